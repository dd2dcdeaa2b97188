// Batching: a function with a static batch of 4 runs on any number of
// samples (split into batches of 4, the last one zero-padded, the padded rows
// dropped from the outputs); a dynamic leading dimension is passed whole.
// Outputs are checked against numpy (Inputs/arrays.py).
//
// RUN: rm -rf %t && %python %S/Inputs/arrays.py make %t
//
// 10 samples: batches of 4, 4 and 2 (+2 padding rows).
// RUN: qnn-run %s --entry=rows --inputs=%t/rows10.npz -o %t/rows10.out.npz
// RUN: %python %S/Inputs/arrays.py check rows10 %t/rows10.out.npz
// Exactly one batch, and a single sample.
// RUN: qnn-run %s --entry=rows --inputs=%t/rows4.npz -o %t/rows4.out.npz
// RUN: %python %S/Inputs/arrays.py check rows4 %t/rows4.out.npz
// RUN: qnn-run %s --entry=rows --inputs=%t/rows1.npz -o %t/rows1.out.npz
// RUN: %python %S/Inputs/arrays.py check rows1 %t/rows1.out.npz
//
// A dynamic batch: the 10 samples in one call.
// RUN: qnn-run %s --entry=dynamic_rows --inputs=%t/rows10.npz -o %t/dynamic.out.npz
// RUN: %python %S/Inputs/arrays.py check rows10 %t/dynamic.out.npz
//
// A result without the sample dimension cannot be split into batches; one
// exact batch still runs.
// RUN: not qnn-run %s --entry=total --inputs=%t/rows10.npz 2>&1 | FileCheck %s --check-prefix=TOTAL
// TOTAL: batching.mlir:[[@LINE+20]]:1: error: @total takes batches of 4 samples but its result 0 (tensor<f32>) has no leading dimension of 4, so 10 samples cannot be split into batches; give exactly 4
// RUN: qnn-run %s --entry=total --inputs=%t/rows4.npz | FileCheck %s --check-prefix=TOTAL4
// TOTAL4: output0: scalar float32

#sum = {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
        iterator_types = ["parallel", "reduction"]}

func.func @rows(%x: tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic #sum ins(%x : tensor<4x3xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %twice = arith.addf %x, %x : tensor<4x3xf32>
  return %sum, %twice : tensor<4xf32>, tensor<4x3xf32>
}

func.func @total(%x: tensor<4x3xf32>) -> tensor<f32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %sum = linalg.reduce ins(%x : tensor<4x3xf32>) outs(%zero : tensor<f32>) dimensions = [0, 1]
    (%v: f32, %acc: f32) {
      %s = arith.addf %v, %acc : f32
      linalg.yield %s : f32
    }
  return %sum : tensor<f32>
}

func.func @dynamic_rows(%x: tensor<?x3xf32>) -> (tensor<?xf32>, tensor<?x3xf32>) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty(%n) : tensor<?xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.generic #sum ins(%x : tensor<?x3xf32>) outs(%init : tensor<?xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %twice = arith.addf %x, %x : tensor<?x3xf32>
  return %sum, %twice : tensor<?xf32>, tensor<?x3xf32>
}
