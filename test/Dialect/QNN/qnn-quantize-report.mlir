// qnn-report names the weights qnn-quantize quantized by the stable value
// names: the location name of the fp32 constant (which the qnn.constant
// keeps), or `<function>/qnn.constant#<n>`.
// RUN: qnn-opt %s --qnn-quantize="mode=dynamic" --qnn-report -o /dev/null | FileCheck %s

// CHECK: qnn-report: 2 quantized tensors
// CHECK-NEXT: name
// CHECK-NEXT: fc1.weight{{ +}}2x2{{ +}}i8{{ +}}symmetric{{ +}}per-channel:1
// CHECK-NEXT: model/qnn.constant#1{{ +}}2x2{{ +}}i8{{ +}}symmetric{{ +}}per-channel:1
func.func @model(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %empty = tensor.empty() : tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32> loc("fc1.weight")
  %h = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[2.0, 1.0], [1.0, 2.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
