// convert-qnn-to-linalg on qnn.matmul, qnn.batch_matmul and qnn.conv2d:
// integer linalg on the stored integers with an i32 accumulator.
// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg | FileCheck %s

// Both zero points 0: one contraction generic widening the stored integers
// (extsi for i8) into a zero-filled accumulator, nothing else.
// CHECK-DAG: #[[$MK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$KN:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_pure
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xi8>, %[[W:.*]]: tensor<8x16xi8>) -> tensor<4x16xi32>
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<4x16xi32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$MK]], #[[$KN]], #[[$MN]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]], %[[W]] : tensor<4x8xi8>, tensor<8x16xi8>) outs(%[[ZERO]] : tensor<4x16xi32>)
// CHECK: ^bb0(%[[X:.*]]: i8, %[[Y:.*]]: i8, %[[ACC:.*]]: i32):
// CHECK: %[[XW:.*]] = arith.extsi %[[X]] : i8 to i32
// CHECK: %[[YW:.*]] = arith.extsi %[[Y]] : i8 to i32
// CHECK: %[[P:.*]] = arith.muli %[[XW]], %[[YW]] : i32
// CHECK: %[[S:.*]] = arith.addi %[[ACC]], %[[P]] : i32
// CHECK: linalg.yield %[[S]] : i32
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @matmul_pure(%x: tensor<4x8x!quant.uniform<i8:f32, 0.5>>,
                       %w: tensor<8x16x!quant.uniform<i8<-127:127>:f32, 0.25>>)
    -> tensor<4x16x!quant.uniform<i32:f32, 0.125>> {
  %acc = qnn.matmul %x, %w : (tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<8x16x!quant.uniform<i8<-127:127>:f32, 0.25>>)
      -> tensor<4x16x!quant.uniform<i32:f32, 0.125>>
  return %acc : tensor<4x16x!quant.uniform<i32:f32, 0.125>>
}

// -----

// u8 activations (zero point 128) and weights with per-channel zero points:
// the contraction stays pure (extui / extsi), the corrections go into the
// accumulator's initial value with the bias:
//   bias[n] - 128 * sum_k (w[k, n] - zw[n]) - zw[n] * sum_k x[m, k].
!act = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8:f32:1, {0.25:1, 0.125:-2}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
!bias = !quant.uniform<i32:f32:0, {0.125, 0.0625}>

// CHECK-DAG: #[[$KN_T:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[$D0:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$D1:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_zero_points
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xi8>, %[[W:.*]]: tensor<3x2xi8>, %[[B:.*]]: tensor<2xi32>)
// Column sums of the weights minus their zero points.
// CHECK: %[[ZPS:.*]] = arith.constant dense<[1, -2]> : tensor<2xi32>
// CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[$KN_T]], #[[$D0]], #[[$D0]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[W]], %[[ZPS]] : tensor<3x2xi8>, tensor<2xi32>)
// CHECK: arith.extsi
// CHECK: arith.subi
// CHECK: arith.addi
// Row sums of the activations, widened unsigned.
// CHECK: %[[ROWS:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$D0]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]] : tensor<4x3xi8>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[$D1]], #[[$D1]], #[[$D0]], #[[$D1]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[B]], %[[COLS]], %[[ROWS]], %{{.*}} : tensor<2xi32>, tensor<2xi32>, tensor<4xi32>, tensor<2xi32>)
// CHECK: ^bb0(%[[BIAS:.*]]: i32, %[[COL:.*]]: i32, %[[ROW:.*]]: i32, %[[ZW:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[ZA:.*]] = arith.constant 128 : i32
// CHECK: %[[T1:.*]] = arith.muli %[[ZA]], %[[COL]] : i32
// CHECK: %[[V1:.*]] = arith.subi %[[BIAS]], %[[T1]] : i32
// CHECK: %[[T2:.*]] = arith.muli %[[ZW]], %[[ROW]] : i32
// CHECK: %[[V2:.*]] = arith.subi %[[V1]], %[[T2]] : i32
// CHECK: linalg.yield %[[V2]]
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[A]], %[[W]] : tensor<4x3xi8>, tensor<3x2xi8>) outs(%[[INIT]] : tensor<4x2xi32>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmul_zero_points(%x: tensor<4x3x!act>, %w: tensor<3x2x!w>, %b: tensor<2x!bias>) -> tensor<4x2x!acc> {
  %acc = qnn.matmul %x, %w, %b : (tensor<4x3x!act>, tensor<3x2x!w>, tensor<2x!bias>) -> tensor<4x2x!acc>
  return %acc : tensor<4x2x!acc>
}

// -----

// Dynamic extents are read from the operands.
// CHECK-LABEL: func.func @matmul_dynamic
// CHECK-SAME: (%[[A:.*]]: tensor<?x?xi8>, %[[W:.*]]: tensor<?x?xi8>)
// CHECK-DAG: %[[M:.*]] = tensor.dim %[[A]], %c0
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[W]], %c1
// CHECK: tensor.empty(%[[M]], %[[N]]) : tensor<?x?xi32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<?x?xi32>)
func.func @matmul_dynamic(%x: tensor<?x?x!quant.uniform<u8:f32, 0.5>>,
                          %w: tensor<?x?x!quant.uniform<i8:f32, 0.25>>) -> tensor<?x?x!quant.uniform<i32:f32, 0.125>> {
  %acc = qnn.matmul %x, %w : (tensor<?x?x!quant.uniform<u8:f32, 0.5>>, tensor<?x?x!quant.uniform<i8:f32, 0.25>>)
      -> tensor<?x?x!quant.uniform<i32:f32, 0.125>>
  return %acc : tensor<?x?x!quant.uniform<i32:f32, 0.125>>
}

// -----

// Batch matmul: batch is the leading loop of every map; the activation
// zero point needs the weight column sums per batch.
// CHECK-DAG: #[[$BMK:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$BKN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[$BMN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$BSUM:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-LABEL: func.func @batch_matmul
// CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[$BSUM]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<2x3xi32>)
// CHECK: arith.constant -5 : i32
// CHECK: linalg.generic {indexing_maps = [#[[$BMK]], #[[$BKN]], #[[$BMN]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x4x8xi8>, tensor<2x8x3xi8>)
func.func @batch_matmul(%a: tensor<2x4x8x!quant.uniform<i8:f32, 0.1:-5>>, %b: tensor<2x8x3x!quant.uniform<i8:f32, 0.2>>)
    -> tensor<2x4x3x!quant.uniform<i32:f32, 0.02>> {
  %acc = qnn.batch_matmul %a, %b : (tensor<2x4x8x!quant.uniform<i8:f32, 0.1:-5>>, tensor<2x8x3x!quant.uniform<i8:f32, 0.2>>)
      -> tensor<2x4x3x!quant.uniform<i32:f32, 0.02>>
  return %acc : tensor<2x4x3x!quant.uniform<i32:f32, 0.02>>
}

// -----

// NHWC convolution of u8 images: padding with the zero point 7 in storage
// integers, then the image centred to i16 (q - 7, so the padding becomes
// 0) for the sign-extending named op; the bias broadcast along the output
// channels is the initial accumulator. The i8 weights with zero point 0
// are used as stored.
!img = !quant.uniform<u8:f32, 0.5:7>
!filt = !quant.uniform<i8<-127:127>:f32:3, {0.25, 0.5}>
!cacc = !quant.uniform<i32:f32:3, {0.125, 0.25}>
!cbias = !quant.uniform<i32:f32:0, {0.125, 0.25}>

// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv_nhwc
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x3xi8>, %[[F:.*]]: tensor<3x3x3x2xi8>, %[[B:.*]]: tensor<2xi32>)
// CHECK: %[[ZP:.*]] = arith.constant 7 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: } : tensor<1x8x8x3xi8> to tensor<1x10x10x3xi8>
// CHECK: %[[CENTRED:.*]] = linalg.generic {indexing_maps = [#[[$ID4]], #[[$ID4]]]
// CHECK-SAME: ins(%[[PAD]] : tensor<1x10x10x3xi8>) outs(%{{.*}} : tensor<1x10x10x3xi16>)
// CHECK: %[[ZP16:.*]] = arith.constant 7 : i16
// CHECK: %[[WIDE:.*]] = arith.extui %{{.*}} : i8 to i16
// CHECK: arith.subi %[[WIDE]], %[[ZP16]] : i16
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[$CH]], #[[$ID4]]]
// CHECK-SAME: ins(%[[B]] : tensor<2xi32>) outs(%{{.*}} : tensor<1x4x4x2xi32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[CENTRED]], %[[F]] : tensor<1x10x10x3xi16>, tensor<3x3x3x2xi8>) outs(%[[INIT]] : tensor<1x4x4x2xi32>)
func.func @conv_nhwc(%x: tensor<1x8x8x3x!img>, %f: tensor<3x3x3x2x!filt>, %b: tensor<2x!cbias>) -> tensor<1x4x4x2x!cacc> {
  %a = qnn.conv2d %x, %f, %b {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x8x3x!img>, tensor<3x3x3x2x!filt>, tensor<2x!cbias>) -> tensor<1x4x4x2x!cacc>
  return %a : tensor<1x4x4x2x!cacc>
}

// -----

// Signed storage without zero points feeds the convolution as stored
// (NCHW, with dilations); a dynamic batch is read from the image.
// CHECK-LABEL: func.func @conv_nchw_pure
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x8x8xi8>, %[[F:.*]]: tensor<2x3x3x3xi8>)
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %c0
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x2x4x4xi32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[E]] : tensor<?x2x4x4xi32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME: ins(%[[X]], %[[F]] : tensor<?x3x8x8xi8>, tensor<2x3x3x3xi8>) outs(%[[INIT]] : tensor<?x2x4x4xi32>)
func.func @conv_nchw_pure(%x: tensor<?x3x8x8x!quant.uniform<i8:f32, 0.5>>, %f: tensor<2x3x3x3x!quant.uniform<i8:f32, 0.25>>)
    -> tensor<?x2x4x4x!quant.uniform<i32:f32, 0.125>> {
  %a = qnn.conv2d %x, %f {data_format = #qnn.data_format<nchw>, dilations = array<i64: 2, 2>}
      : (tensor<?x3x8x8x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x3x3x!quant.uniform<i8:f32, 0.25>>)
      -> tensor<?x2x4x4x!quant.uniform<i32:f32, 0.125>>
  return %a : tensor<?x2x4x4x!quant.uniform<i32:f32, 0.125>>
}

// -----

// Depthwise (groups == C == F): the filter's unit dimension is collapsed
// away; NHWC and NCHW.
!img = !quant.uniform<i8:f32, 0.5>
!dw = !quant.uniform<i8:f32:3, {0.25, 0.5, 0.25}>
!dwacc = !quant.uniform<i32:f32:3, {0.125, 0.25, 0.125}>
!dwc = !quant.uniform<i8:f32:0, {0.25, 0.5, 0.25}>
!dwcacc = !quant.uniform<i32:f32:1, {0.125, 0.25, 0.125}>

// CHECK-LABEL: func.func @depthwise
// CHECK: %[[HWC:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<3x3x1x3xi8> into tensor<3x3x3xi8>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK-SAME: ins(%{{.*}}, %[[HWC]] : tensor<1x8x8x3xi8>, tensor<3x3x3xi8>)
// CHECK: %[[CHW:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<3x1x3x3xi8> into tensor<3x3x3xi8>
// CHECK: linalg.depthwise_conv_2d_nchw_chw
// CHECK-SAME: ins(%{{.*}}, %[[CHW]] : tensor<1x3x8x8xi8>, tensor<3x3x3xi8>)
func.func @depthwise(%x: tensor<1x8x8x3x!img>, %f: tensor<3x3x1x3x!dw>, %xc: tensor<1x3x8x8x!img>, %fc: tensor<3x1x3x3x!dwc>)
    -> (tensor<1x6x6x3x!dwacc>, tensor<1x3x6x6x!dwcacc>) {
  %a = qnn.conv2d %x, %f {groups = 3 : i64} : (tensor<1x8x8x3x!img>, tensor<3x3x1x3x!dw>) -> tensor<1x6x6x3x!dwacc>
  %b = qnn.conv2d %xc, %fc {groups = 3 : i64, data_format = #qnn.data_format<nchw>}
      : (tensor<1x3x8x8x!img>, tensor<3x1x3x3x!dwc>) -> tensor<1x3x6x6x!dwcacc>
  return %a, %b : tensor<1x6x6x3x!dwacc>, tensor<1x3x6x6x!dwcacc>
}

// -----

// Grouped NHWC (2 groups): channels split into [G, C/G], the filter
// [KH, KW, C/G, F] split and transposed to [G, F/G, KH, KW, C/G]; weights
// with zero points are centred to i16 first.
!img = !quant.uniform<i8:f32, 0.5>
!filt = !quant.uniform<i8:f32:3, {0.25:1, 0.5:-1, 0.25:0, 0.5:2, 0.25:0, 0.5:0}>
!cacc = !quant.uniform<i32:f32:3, {0.125, 0.25, 0.125, 0.25, 0.125, 0.25}>

// CHECK-LABEL: func.func @grouped_nhwc
// CHECK-SAME: (%[[X:.*]]: tensor<2x6x6x4xi8>, %[[F:.*]]: tensor<3x3x2x6xi8>)
// CHECK: arith.constant dense<[1, -1, 0, 2, 0, 0]> : tensor<6xi16>
// CHECK: %[[FC:.*]] = linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<3x3x2x6xi16>)
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [2, 6, 6, 2, 2]
// CHECK: %[[FG:.*]] = tensor.expand_shape %[[FC]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [3, 3, 2, 2, 3]
// CHECK: %[[FT:.*]] = linalg.transpose ins(%[[FG]] : tensor<3x3x2x2x3xi16>) outs(%{{.*}} : tensor<2x3x3x3x2xi16>) permutation = [3, 4, 0, 1, 2]
// CHECK: %[[IG:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] output_shape [2, 4, 4, 2, 3]
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwgc_gfhwc
// CHECK-SAME: ins(%[[XG]], %[[FT]] : tensor<2x6x6x2x2xi8>, tensor<2x3x3x3x2xi16>) outs(%[[IG]] : tensor<2x4x4x2x3xi32>)
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<2x4x4x2x3xi32> into tensor<2x4x4x6xi32>
func.func @grouped_nhwc(%x: tensor<2x6x6x4x!img>, %f: tensor<3x3x2x6x!filt>) -> tensor<2x4x4x6x!cacc> {
  %a = qnn.conv2d %x, %f {groups = 2 : i64} : (tensor<2x6x6x4x!img>, tensor<3x3x2x6x!filt>) -> tensor<2x4x4x6x!cacc>
  return %a : tensor<2x4x4x6x!cacc>
}

// -----

// Grouped NCHW (2 groups): [N, G, C/G, H, W] images, [G, F/G, C/G, KH, KW]
// filters, no transpose.
// CHECK-LABEL: func.func @grouped_nchw
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6] : tensor<1x4x6x6xi8> into tensor<1x2x2x6x6xi8>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xi8> into tensor<2x3x2x3x3xi8>
// CHECK: %[[C:.*]] = linalg.conv_2d_ngchw_gfchw
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x3x4x4xi32>)
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xi32> into tensor<1x6x4x4xi32>
func.func @grouped_nchw(%x: tensor<1x4x6x6x!quant.uniform<i8:f32, 0.5>>, %f: tensor<6x2x3x3x!quant.uniform<i8:f32, 0.25>>)
    -> tensor<1x6x4x4x!quant.uniform<i32:f32, 0.125>> {
  %a = qnn.conv2d %x, %f {groups = 2 : i64, data_format = #qnn.data_format<nchw>}
      : (tensor<1x4x6x6x!quant.uniform<i8:f32, 0.5>>, tensor<6x2x3x3x!quant.uniform<i8:f32, 0.25>>)
      -> tensor<1x6x4x4x!quant.uniform<i32:f32, 0.125>>
  return %a : tensor<1x6x4x4x!quant.uniform<i32:f32, 0.125>>
}
