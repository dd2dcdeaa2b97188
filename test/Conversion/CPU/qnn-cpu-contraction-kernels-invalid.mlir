// Bad options of qnn-cpu-contraction-kernels: an error naming the pass and
// the option, a non-zero exit, never a crash.
// RUN: not qnn-opt %s --qnn-cpu-contraction-kernels="threads=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not qnn-opt %s --pass-pipeline="builtin.module(qnn-cpu-contraction-kernels{target=avx2 threads=-2})" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not qnn-opt %s --qnn-cpu-contraction-kernels="threads=two" 2>&1 | FileCheck %s --check-prefix=NOTANUMBER

// ZERO: error: qnn-cpu-contraction-kernels: threads must be positive, got 0
// NEGATIVE: error: qnn-cpu-contraction-kernels: threads must be positive, got -2
// NOTANUMBER: 'two' value invalid for long argument!

func.func @f(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %a : tensor<4x8xf32>
}
