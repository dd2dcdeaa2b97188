// convert-qnn-to-linalg on qnn.max_pool2d, qnn.avg_pool2d and qnn.pad:
// named linalg pooling on the stored integers, padding in storage integers.
// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg | FileCheck %s

// Max pooling pads with the storage minimum (-127 for i8<-127:127>, never
// above a stored value) and starts from it; signed NHWC storage uses
// pooling_nhwc_max, unsigned pooling_nhwc_max_unsigned (u8: minimum 0).
// CHECK-LABEL: func.func @max_nhwc
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x2xi8>, %[[U:.*]]: tensor<1x4x4x2xi8>)
// CHECK: %[[MIN:.*]] = arith.constant -127 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[MIN]] : i8
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[MIN]] : i8) outs(%{{.*}} : tensor<1x2x2x2xi8>)
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xi32>
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[WINDOW]] : tensor<1x6x6x2xi8>, tensor<3x3xi32>) outs(%[[INIT]] : tensor<1x2x2x2xi8>)
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: linalg.pooling_nhwc_max_unsigned
// CHECK-SAME: ins(%[[U]], %{{.*}} : tensor<1x4x4x2xi8>, tensor<2x2xi32>)
func.func @max_nhwc(%x: tensor<1x4x4x2x!quant.uniform<i8<-127:127>:f32, 0.05>>, %u: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:3>>)
    -> (tensor<1x2x2x2x!quant.uniform<i8<-127:127>:f32, 0.05>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.05:3>>) {
  %m = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : tensor<1x4x4x2x!quant.uniform<i8<-127:127>:f32, 0.05>> -> tensor<1x2x2x2x!quant.uniform<i8<-127:127>:f32, 0.05>>
  %n = qnn.max_pool2d %u {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:3>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.05:3>>
  return %m, %n : tensor<1x2x2x2x!quant.uniform<i8<-127:127>:f32, 0.05>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.05:3>>
}

// -----

// Unsigned NCHW: no unsigned NCHW max pooling op, so the sign bit is
// flipped (u8 order becomes i8 order), the padding and initial value are
// the flipped minimum (0 xor 128 = -128), and the result is flipped back.
// CHECK-LABEL: func.func @max_nchw_u8
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xi8>)
// CHECK: %[[FLIPPED:.*]] = linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<1x2x4x4xi8>)
// CHECK: %[[SIGN:.*]] = arith.constant -128 : i8
// CHECK: arith.xori %{{.*}}, %[[SIGN]] : i8
// CHECK: %[[MIN:.*]] = arith.constant -128 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[FLIPPED]] low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: tensor.yield %[[MIN]] : i8
// CHECK: %[[POOL:.*]] = linalg.pooling_nchw_max
// CHECK-SAME: ins(%[[PAD]], %{{.*}} : tensor<1x2x5x5xi8>, tensor<3x3xi32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[POOL]] : tensor<1x2x2x2xi8>)
// CHECK: arith.xori
!q = !quant.uniform<u8:f32, 0.05:3>
func.func @max_nchw_u8(%x: tensor<1x2x4x4x!q>) -> tensor<1x2x2x2x!q> {
  %m = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>,
                          data_format = #qnn.data_format<nchw>} : tensor<1x2x4x4x!q> -> tensor<1x2x2x2x!q>
  return %m : tensor<1x2x2x2x!q>
}

// -----

// Average pooling: stored integers widened to i32 (extui for u8), padded
// with 0, summed by pooling_nhwc_sum; then the sum divided by the number of
// elements inside the input (a constant per output position), rounding half
// away from zero: (S + n/2) / n, (S - n/2) / n for negative S.
// With count_include_pad the divisor is the whole window (9) and the
// padded positions add the zero point of their channel: S + (9 - n) * z.
!q = !quant.uniform<u8:f32:3, {0.05:3, 0.05:4}>

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$HW:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @avg
// CHECK: %[[WIDE:.*]] = linalg.generic
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[PAD:.*]] = tensor.pad %[[WIDE]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[ZERO]] : i32
// CHECK: %[[SUMS:.*]] = linalg.pooling_nhwc_sum
// CHECK-SAME: ins(%[[PAD]], %{{.*}} : tensor<1x6x6x2xi32>, tensor<3x3xi32>)
// CHECK: %[[COUNTS:.*]] = arith.constant dense<{{\[\[}}4, 6, 6, 4], [6, 9, 9, 6], [6, 9, 9, 6], [4, 6, 6, 4]]> : tensor<4x4xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$HW]], #[[$ID]]]
// CHECK-SAME: ins(%[[SUMS]], %[[COUNTS]] : tensor<1x4x4x2xi32>, tensor<4x4xi32>)
// CHECK: ^bb0(%[[S:.*]]: i32, %[[N:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[HALF:.*]] = arith.shrsi %[[N]], %{{.*}} : i32
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[S]], %{{.*}} : i32
// CHECK: %[[UP:.*]] = arith.addi %[[S]], %[[HALF]] : i32
// CHECK: %[[DOWN:.*]] = arith.subi %[[S]], %[[HALF]] : i32
// CHECK: %[[NUDGED:.*]] = arith.select %[[NEG]], %[[DOWN]], %[[UP]] : i32
// CHECK: %[[MEAN:.*]] = arith.divsi %[[NUDGED]], %[[N]] : i32
// CHECK: arith.minsi %[[MEAN]]
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: linalg.pooling_nhwc_sum
// CHECK: %[[ZPS:.*]] = arith.constant dense<[3, 4]> : tensor<2xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$HW]], #[[$CH]], #[[$ID]]]
// CHECK: ^bb0(%[[S2:.*]]: i32, %[[N2:.*]]: i32, %[[Z:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[WINDOW:.*]] = arith.constant 9 : i32
// CHECK: %[[MISSING:.*]] = arith.subi %[[WINDOW]], %[[N2]] : i32
// CHECK: %[[PADSUM:.*]] = arith.muli %[[MISSING]], %[[Z]] : i32
// CHECK: %[[TOTAL:.*]] = arith.addi %[[S2]], %[[PADSUM]] : i32
// CHECK: arith.divsi %{{.*}}, %[[WINDOW]] : i32
func.func @avg(%x: tensor<1x4x4x2x!q>) -> (tensor<1x4x4x2x!q>, tensor<1x4x4x2x!q>) {
  %a = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x2x!q> -> tensor<1x4x4x2x!q>
  %b = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = true}
      : tensor<1x4x4x2x!q> -> tensor<1x4x4x2x!q>
  return %a, %b : tensor<1x4x4x2x!q>, tensor<1x4x4x2x!q>
}

// -----

// Windows of the same size everywhere: the divisor is a constant; NCHW
// sums with pooling_nchw_sum.
// CHECK-LABEL: func.func @avg_nchw_global
// CHECK: linalg.pooling_nchw_sum
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x1x1xi32>)
// CHECK-NOT: tensor<1x1xi32>
// CHECK: %[[N:.*]] = arith.constant 16 : i32
// CHECK: arith.divsi %{{.*}}, %[[N]] : i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @avg_nchw_global(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:-7>>) -> tensor<1x2x1x1x!quant.uniform<i8:f32, 0.5:-7>> {
  %a = qnn.avg_pool2d %x {kernel = array<i64: 4, 4>, data_format = #qnn.data_format<nchw>}
      : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:-7>> -> tensor<1x2x1x1x!quant.uniform<i8:f32, 0.5:-7>>
  return %a : tensor<1x2x1x1x!quant.uniform<i8:f32, 0.5:-7>>
}

// -----

// qnn.pad: tensor.pad with the zero point's storage bits (200 in u8 is -56
// in i8); a dynamic dimension is padded as well.
// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xi8>)
// CHECK: %[[ZP:.*]] = arith.constant -56 : i8
// CHECK: tensor.pad %[[X]] low[1, 0] high[2, 3]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: } : tensor<?x4xi8> to tensor<?x7xi8>
func.func @pad(%x: tensor<?x4x!quant.uniform<u8:f32, 0.1:200>>) -> tensor<?x7x!quant.uniform<u8:f32, 0.1:200>> {
  %p = qnn.pad %x low = [1, 0] high = [2, 3] : tensor<?x4x!quant.uniform<u8:f32, 0.1:200>> -> tensor<?x7x!quant.uniform<u8:f32, 0.1:200>>
  return %p : tensor<?x7x!quant.uniform<u8:f32, 0.1:200>>
}

// -----

// Per-axis zero points that differ: the result is filled channel by
// channel, and the input inserted.
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @pad_per_axis
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x2xi8>)
// CHECK: %[[ZPS:.*]] = arith.constant dense<[3, 4]> : tensor<2xi8>
// CHECK: %[[FILLED:.*]] = linalg.generic {indexing_maps = [#[[$CH]], #{{.*}}]
// CHECK-SAME: ins(%[[ZPS]] : tensor<2xi8>) outs(%{{.*}} : tensor<1x5x6x2xi8>)
// CHECK: tensor.insert_slice %[[X]] into %[[FILLED]][0, 1, 1, 0] [1, 4, 4, 2] [1, 1, 1, 1]
!q = !quant.uniform<u8:f32:3, {0.05:3, 0.05:4}>
func.func @pad_per_axis(%x: tensor<1x4x4x2x!q>) -> tensor<1x5x6x2x!q> {
  %p = qnn.pad %x low = [0, 1, 1, 0] high = [0, 0, 1, 0] : tensor<1x4x4x2x!q> -> tensor<1x5x6x2x!q>
  return %p : tensor<1x5x6x2x!q>
}
