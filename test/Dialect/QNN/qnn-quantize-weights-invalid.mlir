// Remarks for weights left in floating point, and errors for weights that
// cannot be quantized correctly.
// RUN: qnn-opt %s --split-input-file --qnn-quantize-weights --verify-diagnostics

func.func @activation_times_activation(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %init: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-remark @+1 {{weight operand #1 is not a constant; left in floating point}}
  %y = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @f16_weight(%x: tensor<2x2xf16>, %init: tensor<2x2xf16>) -> tensor<2x2xf16> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf16>
  // expected-remark @+1 {{weight operand #1 holds 'f16' data, not f32; left in floating point}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf16>, tensor<2x2xf16>) outs(%init : tensor<2x2xf16>) -> tensor<2x2xf16>
  return %y : tensor<2x2xf16>
}

// -----

func.func @dynamic_weight(%x: tensor<2x2xf32>, %init: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %w = tensor.cast %c : tensor<2x2xf32> to tensor<2x?xf32>
  // expected-remark @+1 {{weight operand #1 is not a constant; left in floating point}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x?xf32>) outs(%init : tensor<2x?xf32>) -> tensor<2x?xf32>
  return %y : tensor<2x?xf32>
}

// -----

func.func @empty_weight(%x: tensor<2x0xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<> : tensor<0x2xf32>
  // expected-remark @+1 {{weight operand #1 is empty; left in floating point}}
  %y = linalg.matmul ins(%x, %w : tensor<2x0xf32>, tensor<0x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// A matrix-vector product whose constant is the vector: no output channel.
func.func @vector_weight(%a: tensor<3x2xf32>, %init: tensor<3xf32>) -> tensor<3xf32> {
  %v = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  // expected-remark @+1 {{weight has no output-channel axis; quantized per tensor}}
  %y = linalg.matvec ins(%a, %v : tensor<3x2xf32>, tensor<2xf32>) outs(%init : tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

func.func @nan_weight(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{cannot quantize weight of 'linalg.matmul': element [0, 1] is NaN}}
  %w = arith.constant dense<[[1.0, 0x7FC00000], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @infinite_weight(%x: tensor<1x1x2x2xf32>, %init: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  // expected-error @+1 {{cannot quantize weight of 'linalg.conv_2d_nhwc_hwcf': element [0, 1, 1, 0] is infinite}}
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [0xFF800000, 4.0]]]]> : tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x1x2x2xf32>, tensor<1x2x2x2xf32>) outs(%init : tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  return %y : tensor<1x1x1x2xf32>
}
