// Bad options of qnn-prefetch-constant-reads: an error naming the pass and
// the option, a non-zero exit, never a crash.
// RUN: not qnn-opt %s --qnn-prefetch-constant-reads="distance=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not qnn-opt %s --pass-pipeline="builtin.module(qnn-prefetch-constant-reads{min-bytes=-1})" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not qnn-opt %s --qnn-prefetch-constant-reads="distance=far" 2>&1 | FileCheck %s --check-prefix=NOTANUMBER

// ZERO: error: qnn-prefetch-constant-reads: distance must be positive, got 0
// NEGATIVE: error: qnn-prefetch-constant-reads: min-bytes must not be negative, got -1
// NOTANUMBER: 'far' value invalid for long argument!

func.func @f(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %a : tensor<4x8xf32>
}
