// RUN: qnn-opt %s --split-input-file --qnn-quantize-weights | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-quantize-weights --qnn-quantize-weights | FileCheck %s

// The seed's GNMT example: rows of the weight are output channels (the
// matmul reads B transposed), scale = absmax / 127 per row, 1.0 for the zero
// row, whose inverses are the seed's 2.8539326e+03, 1.0, 2.9195403e+03.

// CHECK-LABEL: func @gnmt_transposed_b
// CHECK-NOT: arith.constant dense<{{\[\[}}1.140000e-02
// CHECK: %[[Q:.*]] = qnn.constant dense<{{\[\[}}33, -66, 127], [0, 0, 0], [-119, -127, -117]]> : tensor<3x3xi8>
// CHECK-SAME: -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0, {3.50393{{[0-9]*}}E-4,1.000000e+00,3.42519{{[0-9]*}}E-4}>>
// CHECK: %[[W:.*]] = quant.dcast %[[Q]]
// CHECK: linalg.matmul {{.*}} ins(%{{.*}}, %[[W]] :
func.func @gnmt_transposed_b(%x: tensor<1x3xf32>, %init: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[0.0114, -0.0231, 0.0445], [0.0, 0.0, 0.0], [-0.0409, -0.0435, -0.0400]]> : tensor<3x3xf32>
  %y = linalg.matmul indexing_maps = [
         affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
         affine_map<(m, n, k) -> (m, n)>]
       ins(%x, %w : tensor<1x3xf32>, tensor<3x3xf32>)
       outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// B is [K, N]: output channels are columns (axis 1). Column absmax 2, 4, 8
// gives scales 2/127, 4/127, 8/127.

// CHECK-LABEL: func @matmul_columns
// CHECK: qnn.constant dense<{{\[\[}}127, 127, 127], [-64, 32, -16]]> : tensor<2x3xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:1, {0.015748{{[0-9]*}},0.031496{{[0-9]*}},0.062992{{[0-9]*}}}>
func.func @matmul_columns(%x: tensor<4x2xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[2.0, 4.0, 8.0], [-1.0, 1.0, -1.0]]> : tensor<2x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>)
                     outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func @batch_matmul
// CHECK: qnn.constant {{.*}} : tensor<2x2x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:2,
func.func @batch_matmul(%x: tensor<2x3x2xf32>, %init: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]> : tensor<2x2x2xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x2xf32>, tensor<2x2x2xf32>)
                           outs(%init : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// The weight on the left (y = W x): output channels are W's rows.

// CHECK-LABEL: func @matmul_weight_on_left
// CHECK: qnn.constant dense<{{\[\[}}127, -64], [32, 127]]> : tensor<2x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:0,
func.func @matmul_weight_on_left(%x: tensor<2x5xf32>, %init: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %w = arith.constant dense<[[2.0, -1.0], [1.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x2xf32>, tensor<2x5xf32>)
                     outs(%init : tensor<2x5xf32>) -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

// Filter HWCF: output channels on axis 3.

// CHECK-LABEL: func @conv_2d_nhwc_hwcf
// CHECK: qnn.constant dense<{{\[\[\[\[}}127, 127, -127], [64, 16, 32]]]]> : tensor<1x1x2x3xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:3,
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @conv_2d_nhwc_hwcf(%x: tensor<1x4x4x2xf32>, %init: tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, -4.0], [0.5, 0.25, 1.0]]]]> : tensor<1x1x2x3xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x1x2x3xf32>)
                                outs(%init : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

// Filter FCHW: output channels on axis 0.

// CHECK-LABEL: func @conv_2d_nchw_fchw
// CHECK: qnn.constant dense<{{\[\[\[\[}}127]], {{\[\[}}-64]]], {{\[\[\[}}16]], {{\[\[}}127]]]]> : tensor<2x2x1x1xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:0,
func.func @conv_2d_nchw_fchw(%x: tensor<1x2x4x4xf32>, %init: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = arith.constant dense<[[[[2.0]], [[-1.0]]], [[[1.0]], [[8.0]]]]> : tensor<2x2x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>)
                                outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Depthwise HWC: the channel axis (2) is shared by input, filter and output.

// CHECK-LABEL: func @depthwise_conv_2d_nhwc_hwc
// CHECK: qnn.constant dense<{{\[\[\[}}42, -32], [127, 64]], {{\[\[}}21, 8], [42, 127]]]> : tensor<2x2x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:2,
func.func @depthwise_conv_2d_nhwc_hwc(%x: tensor<1x4x4x2xf32>, %init: tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32> {
  %w = arith.constant dense<[[[1.0, -2.0], [3.0, 4.0]], [[0.5, 0.5], [1.0, 8.0]]]> : tensor<2x2x2xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %w : tensor<1x4x4x2xf32>, tensor<2x2x2xf32>)
                                         outs(%init : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// -----

// TOSA weights stay in tosa.const; the layouts are fixed by the TOSA spec.

// CHECK-LABEL: func @tosa_matmul
// CHECK: qnn.constant {{.*}} : tensor<1x2x3xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:2,
// CHECK: tosa.matmul
func.func @tosa_matmul(%x: tensor<1x4x2xf32>) -> tensor<1x4x3xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]> : tensor<1x2x3xf32>}> : () -> tensor<1x2x3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x2xf32>, tensor<1x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x3xf32>
  return %y : tensor<1x4x3xf32>
}

// -----

// CHECK-LABEL: func @tosa_conv2d
// CHECK: qnn.constant dense<{{\[\[\[\[}}64, 127]]], {{\[\[\[}}-127, 127]]]]> : tensor<2x1x1x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:0,
// CHECK: tosa.conv2d
func.func @tosa_conv2d(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[1.0, 2.0]]], [[[-0.5, 0.5]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func @tosa_depthwise_conv2d
// CHECK: qnn.constant {{.*}} : tensor<1x1x2x1xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:2,
// CHECK: tosa.depthwise_conv2d
func.func @tosa_depthwise_conv2d(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[1.0], [-3.0]]]]> : tensor<1x1x2x1xf32>}> : () -> tensor<1x1x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// One constant feeding two matmuls is quantized once; the fp32 copy goes.

// CHECK-LABEL: func @shared_weight
// CHECK-COUNT-1: qnn.constant
// CHECK-NOT: qnn.constant
// CHECK-NOT: arith.constant dense<{{\[\[}}1.0
func.func @shared_weight(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %a, %b : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A constant that also feeds a non-weight use keeps its fp32 copy there.

// CHECK-LABEL: func @weight_with_other_use
// CHECK-DAG: %[[F:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[Q:.*]] = qnn.constant
// CHECK: %[[W:.*]] = quant.dcast %[[Q]]
// CHECK: linalg.matmul ins(%{{.*}}, %[[W]] :
// CHECK: linalg.add ins(%{{.*}}, %[[F]] :
func.func @weight_with_other_use(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = linalg.add ins(%a, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %b : tensor<2x2xf32>
}

// -----

// Elementwise ops have no weights: their constants stay as they are.

// CHECK-LABEL: func @bias_is_not_a_weight
// CHECK-NOT: qnn.constant
func.func @bias_is_not_a_weight(%x: tensor<4xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %b = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = linalg.add ins(%x, %b : tensor<4xf32>, tensor<4xf32>) outs(%init : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
