// Bad options of qnn-cpu-vectorize: an error naming the pass and the option,
// a non-zero exit, never a crash.
// RUN: not qnn-opt %s --qnn-cpu-vectorize="vector-size=0" 2>&1 | FileCheck %s --check-prefix=VECTOR
// RUN: not qnn-opt %s --qnn-cpu-vectorize="tile-m=-1" 2>&1 | FileCheck %s --check-prefix=TILEM
// RUN: not qnn-opt %s --pass-pipeline="builtin.module(func.func(qnn-cpu-vectorize{tile-k=0}))" 2>&1 | FileCheck %s --check-prefix=TILEK
// RUN: not qnn-opt %s --qnn-cpu-vectorize="tile-k=many" 2>&1 | FileCheck %s --check-prefix=NOTANUMBER

// VECTOR: error: qnn-cpu-vectorize: vector-size must be positive, got 0
// TILEM: error: qnn-cpu-vectorize: tile-m must be positive, got -1
// TILEK: error: qnn-cpu-vectorize: tile-k must be positive, got 0
// NOTANUMBER: 'many' value invalid for long argument!

func.func @f(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = arith.addf %a, %b : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
