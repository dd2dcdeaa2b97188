// Per-group quantization falls back to per-channel, with a remark, where
// groups do not fit.
// RUN: qnn-opt %s --split-input-file --qnn-quantize-weights="granularity=per-group group-size=2" --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func @depthwise_has_no_input_channels
// CHECK: qnn.constant {{.*}} -> tensor<1x1x2x!quant.uniform<i8<-127:127>:f32:2,
func.func @depthwise_has_no_input_channels(%x: tensor<1x4x4x2xf32>, %init: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[1.0, -3.0]]]> : tensor<1x1x2xf32>
  // expected-remark @+1 {{weight has no input-channel axis to group; quantized per channel}}
  %y = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x1x2xf32>) outs(%init : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func @group_does_not_divide
// CHECK: qnn.constant {{.*}} -> tensor<3x2x!quant.uniform<i8<-127:127>:f32:1,
func.func @group_does_not_divide(%x: tensor<2x3xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  // expected-remark @+1 {{group size 2 does not divide the 3 input channels; quantized per channel}}
  %y = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Groups along the input channels (axis 2) of an HWCF filter, per output
// channel (axis 3).
// CHECK-LABEL: func @conv_groups
// CHECK: qnn.constant {{.*}} -> tensor<1x1x4x2x!quant.uniform<i8<-127:127>:f32:{2:2, 3:1},
func.func @conv_groups(%x: tensor<1x2x2x4xf32>, %init: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]]]> : tensor<1x1x4x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x2x2x4xf32>, tensor<1x1x4x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
