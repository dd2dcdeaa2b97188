// Bad options of qnn-lower-to-llvm are rejected when the pipeline is parsed;
// quantized IR the lowering cannot handle fails with a located error.
// RUN: not qnn-opt %s --qnn-lower-to-llvm="vector-size=0" 2>&1 | FileCheck %s --check-prefix=VECTOR
// RUN: not qnn-opt %s --pass-pipeline="builtin.module(qnn-lower-to-llvm{tile-m=-4})" 2>&1 | FileCheck %s --check-prefix=TILEM
// RUN: not qnn-opt %s --qnn-lower-to-llvm="tile-k=0" 2>&1 | FileCheck %s --check-prefix=TILEK
// RUN: not qnn-opt %s --qnn-lower-to-llvm="threads=0" 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not qnn-opt %s --qnn-lower-to-llvm="vectorise=false" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not qnn-opt %s --qnn-lower-to-llvm 2>&1 | FileCheck %s --check-prefix=IR

// VECTOR: error: qnn-lower-to-llvm: vector-size must be positive, got 0
// TILEM: error: qnn-lower-to-llvm: tile-m must be positive, got -4
// TILEK: error: qnn-lower-to-llvm: tile-k must be positive, got 0
// THREADS: error: qnn-lower-to-llvm: threads must be positive, got 0
// UNKNOWN: no such option vectorise

// IR: qnn-lower-to-llvm-invalid.mlir:[[@LINE+3]]:8: error: 'arith.select' op operates on quantized values and has no lowering to integer arithmetic
func.func @f(%c: i1, %a: tensor<4x!quant.uniform<i8:f32, 0.5>>,
             %b: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %r = arith.select %c, %a, %b : tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %r : tensor<4x!quant.uniform<i8:f32, 0.5>>
}
