// RUN: qnn-opt %s --split-input-file --qnn-cpu-vectorize | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-cpu-vectorize="vector-size=8 tile-m=2 tile-k=8" | FileCheck %s --check-prefix=SMALL

// A 4x32x48 matmul: n in tiles of 16, k in tiles of 16, m whole (4); each
// tile is one vector.contract on static vectors.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x32xf32>, %[[B:.*]]: tensor<32x48xf32>, %[[C:.*]]: tensor<4x48xf32>)
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[C48:.*]] = arith.constant 48 : index
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %[[C48]] step %[[C16]] iter_args(%{{.*}} = %[[C]])
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %[[C32]] step %[[C16]] iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK: %[[LHS:.*]] = vector.transfer_read %[[A]][%{{.*}}, %[[K]]]{{.*}} : tensor<4x32xf32>, vector<4x16xf32>
// CHECK: %[[RHS:.*]] = vector.transfer_read %[[B]][%[[K]], %[[N]]]{{.*}} : tensor<32x48xf32>, vector<16x16xf32>
// CHECK: %[[OUT:.*]] = vector.transfer_read %[[ACC]][%{{.*}}, %[[N]]]{{.*}} : tensor<4x48xf32>, vector<4x16xf32>
// CHECK: %[[R:.*]] = vector.contract {{.*}} %[[LHS]], %[[RHS]], %[[OUT]] : vector<4x16xf32>, vector<16x16xf32> into vector<4x16xf32>
// CHECK: vector.transfer_write %[[R]], %[[ACC]][%{{.*}}, %[[N]]]
// CHECK-NOT: linalg.matmul
// SMALL-LABEL: func.func @matmul
// SMALL: scf.for {{.*}} step %c2
// SMALL: scf.for {{.*}} step %c8
// SMALL: scf.for {{.*}} step %c8
// SMALL: vector.contract {{.*}} : vector<2x8xf32>, vector<8x8xf32> into vector<2x8xf32>
func.func @matmul(%a: tensor<4x32xf32>, %b: tensor<32x48xf32>, %c: tensor<4x48xf32>) -> tensor<4x48xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x32xf32>, tensor<32x48xf32>) outs(%c : tensor<4x48xf32>) -> tensor<4x48xf32>
  return %r : tensor<4x48xf32>
}

// -----

// B stored [N, K] through the indexing maps: the contraction reads it as is.
// CHECK-DAG: #[[$TB:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @matmul_transposed_b
// CHECK: vector.transfer_read %{{.*}} : tensor<48x32xf32>, vector<16x16xf32>
// CHECK: vector.contract {indexing_maps = [#{{.*}}, #[[$TB]], #{{.*}}]{{.*}} : vector<4x16xf32>, vector<16x16xf32> into vector<4x16xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul_transposed_b(%a: tensor<4x32xf32>, %b: tensor<48x32xf32>, %c: tensor<4x48xf32>) -> tensor<4x48xf32> {
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%a, %b : tensor<4x32xf32>, tensor<48x32xf32>) outs(%c : tensor<4x48xf32>) -> tensor<4x48xf32>
  return %r : tensor<4x48xf32>
}

// -----

// Batches one at a time.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C2]] step %[[C1]]
// CHECK: vector.contract {{.*}} : vector<4x16xf32>, vector<16x16xf32> into vector<4x16xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch_matmul(%a: tensor<2x4x32xf32>, %b: tensor<2x32x16xf32>, %c: tensor<2x4x16xf32>) -> tensor<2x4x16xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x4x32xf32>, tensor<2x32x16xf32>) outs(%c : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  return %r : tensor<2x4x16xf32>
}

// -----

// Awkward extents: m = 5 has no divisor in [2, 4] (tiles of 1), n = 13 fits
// one tile, k = 36 gets tiles of 12. Shapes stay static: no masks.
// CHECK-LABEL: func.func @matmul_odd
// CHECK: scf.for {{.*}} step %c1
// CHECK: scf.for {{.*}} step %c12
// CHECK: vector.contract {{.*}} : vector<12xf32>, vector<12x13xf32> into vector<13xf32>
// CHECK-NOT: vector.mask
func.func @matmul_odd(%a: tensor<5x36xf32>, %b: tensor<36x13xf32>, %c: tensor<5x13xf32>) -> tensor<5x13xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<5x36xf32>, tensor<36x13xf32>) outs(%c : tensor<5x13xf32>) -> tensor<5x13xf32>
  return %r : tensor<5x13xf32>
}

// -----

// i8 x i8 -> i32 goes straight to a mixed-type vector.contract.
// CHECK-LABEL: func.func @matmul_i8
// CHECK: vector.contract {{.*}} : vector<4x16xi8>, vector<16x16xi8> into vector<4x16xi32>
// CHECK-NOT: linalg.matmul
func.func @matmul_i8(%a: tensor<4x32xi8>, %b: tensor<32x16xi8>, %c: tensor<4x16xi32>) -> tensor<4x16xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x32xi8>, tensor<32x16xi8>) outs(%c : tensor<4x16xi32>) -> tensor<4x16xi32>
  return %r : tensor<4x16xi32>
}

// -----

// 2-D NHWC convolution: tiles of unit output height and kernel height (kh
// loop), 3 output columns (6 has no divisor 4), 16 filters, whole kernel
// width; each tile is a 1-D convolution vectorized as one contraction per
// kernel column.
// CHECK-LABEL: func.func @conv_nhwc_hwcf
// CHECK: scf.for %[[OH:.*]] = {{.*}} step %c1
// CHECK: scf.for %[[OW:.*]] = {{.*}} step %c3
// CHECK: scf.for %[[KH:.*]] = {{.*}} step %c1
// CHECK: vector.transfer_read {{.*}} : tensor<1x8x8x8xf32>, vector<5x8xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<3x3x8x16xf32>, vector<3x8x16xf32>
// CHECK-COUNT-3: vector.contract {{.*}} : vector<3x8xf32>, vector<8x16xf32> into vector<3x16xf32>
// CHECK-NOT: linalg.conv
func.func @conv_nhwc_hwcf(%x: tensor<1x8x8x8xf32>, %w: tensor<3x3x8x16xf32>, %init: tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x8x8xf32>, tensor<3x3x8x16xf32>) outs(%init : tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  return %y : tensor<1x6x6x16xf32>
}

// -----

// NCHW: the same through transposes of the 1-D NCW convolution.
// CHECK-LABEL: func.func @conv_nchw_fchw
// CHECK: vector.transpose
// CHECK-COUNT-3: vector.contract {{.*}} : vector<3x8xf32>, vector<8x16xf32> into vector<3x16xf32>
// CHECK-NOT: linalg.conv
func.func @conv_nchw_fchw(%x: tensor<1x8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %init: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%init : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %y : tensor<1x16x6x6xf32>
}

// -----

// Strides and dilations carry over to the 1-D convolution, which the
// vectorizer unrolls per output column when strided: 3 columns x 3 kernel
// columns, reading input columns 0, 2, ..., 8.
// CHECK-LABEL: func.func @conv_strided_dilated
// CHECK: vector.transfer_read {{.*}} : tensor<1x9x9x4xf32>, vector<9x4xf32>
// CHECK-COUNT-9: vector.contract {{.*}} : vector<4xf32>, vector<4x8xf32> into vector<8xf32>
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.conv
func.func @conv_strided_dilated(%x: tensor<1x9x9x4xf32>, %w: tensor<3x3x4x8xf32>, %init: tensor<1x3x3x8xf32>) -> tensor<1x3x3x8xf32> {
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x9x9x4xf32>, tensor<3x3x4x8xf32>) outs(%init : tensor<1x3x3x8xf32>) -> tensor<1x3x3x8xf32>
  return %y : tensor<1x3x3x8xf32>
}

// -----

// Depthwise: one vector.fma per kernel column.
// CHECK-LABEL: func.func @depthwise_nhwc_hwc
// CHECK-COUNT-3: vector.fma {{.*}} : vector<3x16xf32>
// CHECK-NOT: linalg.depthwise
func.func @depthwise_nhwc_hwc(%x: tensor<1x8x8x16xf32>, %w: tensor<3x3x16xf32>, %init: tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32> {
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x8x16xf32>, tensor<3x3x16xf32>) outs(%init : tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  return %y : tensor<1x6x6x16xf32>
}

// -----

// NHWC pooling is tiled like a depthwise convolution and vectorized as a
// 1-D pooling (strided: unrolled per output column, 4 columns x 2 kernel
// columns).
// CHECK-LABEL: func.func @max_pool
// CHECK: scf.for {{.*}} step %c1
// CHECK: vector.transfer_read {{.*}} : tensor<1x8x8x16xf32>, vector<8x16xf32>
// CHECK-COUNT-8: arith.maximumf {{.*}} : vector<16xf32>
// CHECK-NOT: linalg.pooling
func.func @max_pool(%x: tensor<1x8x8x16xf32>, %init: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32> {
  %k = tensor.empty() : tensor<2x2xf32>
  %y = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %k : tensor<1x8x8x16xf32>, tensor<2x2xf32>) outs(%init : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}

// -----

// The hwcm form with a multiplier of 1 (what tosa-to-linalg-named emits)
// becomes hwc, then as above.
// CHECK-LABEL: func.func @depthwise_multiplier_one
// CHECK: %[[FILTER:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<3x3x16x1xf32> into tensor<3x3x16xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x6x6x16x1xf32> into tensor<1x6x6x16xf32>
// CHECK-COUNT-3: vector.fma
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 6, 6, 16, 1]
// CHECK-NOT: linalg.depthwise
func.func @depthwise_multiplier_one(%x: tensor<1x8x8x16xf32>, %w: tensor<3x3x16x1xf32>, %init: tensor<1x6x6x16x1xf32>) -> tensor<1x6x6x16x1xf32> {
  %y = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x8x16xf32>, tensor<3x3x16x1xf32>) outs(%init : tensor<1x6x6x16x1xf32>) -> tensor<1x6x6x16x1xf32>
  return %y : tensor<1x6x6x16x1xf32>
}

// -----

// Elementwise ops and fills: vectors along the innermost loop, rows one at a
// time; the tensor slices fold into the transfers.
// CHECK-LABEL: func.func @elementwise
// CHECK: scf.for {{.*}} step %c1
// CHECK: scf.for {{.*}} step %c16
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, tensor<8x48xf32>
// CHECK: %[[X:.*]] = vector.transfer_read {{.*}} : tensor<8x48xf32>, vector<16xf32>
// CHECK: %[[Y:.*]] = vector.transfer_read {{.*}} : tensor<8x48xf32>, vector<16xf32>
// CHECK: arith.mulf %[[X]], %[[Y]] : vector<16xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.extract_slice
func.func @elementwise(%a: tensor<8x48xf32>, %b: tensor<8x48xf32>) -> tensor<8x48xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x48xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<8x48xf32>) -> tensor<8x48xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
         ins(%a, %b : tensor<8x48xf32>, tensor<8x48xf32>) outs(%init : tensor<8x48xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %m = arith.mulf %x, %y : f32
    linalg.yield %m : f32
  } -> tensor<8x48xf32>
  return %r : tensor<8x48xf32>
}

// -----

// A dequantize generic with per-channel scales is vectorized with the scale
// vector broadcast across rows.
// CHECK-LABEL: func.func @dequantize
// CHECK: vector.transfer_read {{.*}} : tensor<8x48xi8>, vector<16xi8>
// CHECK: vector.transfer_read {{.*}} : tensor<48xf32>, vector<16xf32>
// CHECK: arith.extsi {{.*}} : vector<16xi8> to vector<16xi32>
// CHECK: arith.sitofp {{.*}} : vector<16xi32> to vector<16xf32>
// CHECK: arith.mulf {{.*}} : vector<16xf32>
// CHECK-NOT: linalg.generic
func.func @dequantize(%q: tensor<8x48xi8>, %scales: tensor<48xf32>) -> tensor<8x48xf32> {
  %e = tensor.empty() : tensor<8x48xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
         ins(%q, %scales : tensor<8x48xi8>, tensor<48xf32>) outs(%e : tensor<8x48xf32>) {
  ^bb0(%in: i8, %s: f32, %out: f32):
    %w = arith.extsi %in : i8 to i32
    %f = arith.sitofp %w : i32 to f32
    %m = arith.mulf %f, %s : f32
    linalg.yield %m : f32
  } -> tensor<8x48xf32>
  return %r : tensor<8x48xf32>
}

// -----

// A contraction generic on u8 x i8 (what convert-qnn-to-linalg emits for
// qnn.matmul): the widening casts stay on the vectors, before one
// vector.contract on i32 (a mixed-type contract would sign-extend the u8).
// CHECK-LABEL: func.func @contraction_u8_i8
// CHECK: %[[A:.*]] = vector.transfer_read {{.*}} : tensor<4x32xi8>, vector<4x16xi8>
// CHECK: %[[B:.*]] = vector.transfer_read {{.*}} : tensor<32x16xi8>, vector<16x16xi8>
// CHECK: %[[AW:.*]] = arith.extui %[[A]] : vector<4x16xi8> to vector<4x16xi32>
// CHECK: %[[BW:.*]] = arith.extsi %[[B]] : vector<16x16xi8> to vector<16x16xi32>
// CHECK: vector.contract {{.*}} %[[AW]], %[[BW]], %{{.*}} : vector<4x16xi32>, vector<16x16xi32> into vector<4x16xi32>
// CHECK-NOT: linalg.generic
func.func @contraction_u8_i8(%a: tensor<4x32xi8>, %b: tensor<32x16xi8>, %c: tensor<4x16xi32>) -> tensor<4x16xi32> {
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>,
                                        affine_map<(m, n, k) -> (m, n)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
         ins(%a, %b : tensor<4x32xi8>, tensor<32x16xi8>) outs(%c : tensor<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xw = arith.extui %x : i8 to i32
    %yw = arith.extsi %y : i8 to i32
    %p = arith.muli %xw, %yw : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<4x16xi32>
  return %r : tensor<4x16xi32>
}

// -----

// NCHW pooling: tiles of unit output height and kernel height, all
// channels, decomposed to 1-D NCW pooling and vectorized along the
// channels.
// CHECK-LABEL: func.func @pool_nchw_max
// CHECK: scf.for {{.*}} step %c1
// CHECK: scf.for {{.*}} step %c1
// CHECK: vector.transfer_read {{.*}} : tensor<1x16x8x8xf32>, vector<16x7xf32>
// CHECK-COUNT-9: arith.maximumf {{.*}} : vector<16xf32>
// CHECK-NOT: linalg.pooling
func.func @pool_nchw_max(%x: tensor<1x16x8x8xf32>, %init: tensor<1x16x3x3xf32>) -> tensor<1x16x3x3xf32> {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x16x8x8xf32>, tensor<3x3xf32>) outs(%init : tensor<1x16x3x3xf32>) -> tensor<1x16x3x3xf32>
  return %r : tensor<1x16x3x3xf32>
}

// -----

// NCHW depthwise: rewritten as the NHWC form between transposes, all of
// which vectorize (the convolution as multiply-adds per kernel column).
// CHECK-LABEL: func.func @depthwise_nchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x8xf32>, %[[W:.*]]: tensor<16x3x3xf32>, %[[INIT:.*]]: tensor<1x16x6x6xf32>)
// CHECK: vector.transfer_read %[[X]]{{.*}} : tensor<1x16x8x8xf32>, vector<16x1x1xf32>
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x8x8x16xf32>
// CHECK: vector.transfer_read %[[W]]{{.*}} : tensor<16x3x3xf32>, vector<16x1x1xf32>
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, tensor<3x3x16xf32>
// CHECK-COUNT-3: vector.fma {{.*}} : vector<3x16xf32>
// CHECK: vector.transfer_write {{.*}} tensor<1x16x6x6xf32>
// CHECK-NOT: linalg.
func.func @depthwise_nchw(%x: tensor<1x16x8x8xf32>, %w: tensor<16x3x3xf32>, %init: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x16x8x8xf32>, tensor<16x3x3xf32>) outs(%init : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %r : tensor<1x16x6x6xf32>
}

// -----

// conv_2d_nhwc_fhwc (tosa-to-linalg-named's default): the filter is
// transposed to HWCF, and the convolution vectorizes like the HWCF one.
// CHECK-LABEL: func.func @conv_nhwc_fhwc
// CHECK: vector.transfer_write {{.*}} tensor<3x3x8x16xf32>
// CHECK-COUNT-3: vector.contract {{.*}} : vector<3x8xf32>, vector<8x16xf32> into vector<3x16xf32>
// CHECK-NOT: linalg.conv
func.func @conv_nhwc_fhwc(%x: tensor<1x8x8x8xf32>, %w: tensor<16x3x3x8xf32>, %init: tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32> {
  %y = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x8x8xf32>, tensor<16x3x3x8xf32>) outs(%init : tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  return %y : tensor<1x6x6x16xf32>
}

// -----

// Grouped convolutions, which linalg cannot decompose, go one group at a
// time: each group is a plain convolution (the unit group dimension
// collapsed away, the FHWC filter transposed to HWCF), vectorized as one
// contraction per kernel column.
// CHECK-LABEL: func.func @grouped_nhwc
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %c2 step %c1
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, %[[G]], 0] [1, 8, 8, 1, 4]
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3], [4]] : tensor<1x8x8x1x4xf32> into tensor<1x8x8x4xf32>
// CHECK-COUNT-3: vector.contract {{.*}} : vector<3x4xf32>, vector<4x8xf32> into vector<3x8xf32>
// CHECK-NOT: linalg.conv
func.func @grouped_nhwc(%x: tensor<1x8x8x2x4xf32>, %w: tensor<2x8x3x3x4xf32>, %init: tensor<1x6x6x2x8xf32>) -> tensor<1x6x6x2x8xf32> {
  %y = linalg.conv_2d_nhwgc_gfhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x8x2x4xf32>, tensor<2x8x3x3x4xf32>) outs(%init : tensor<1x6x6x2x8xf32>) -> tensor<1x6x6x2x8xf32>
  return %y : tensor<1x6x6x2x8xf32>
}

// -----

// CHECK-LABEL: func.func @grouped_nchw
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %c2 step %c1
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] : tensor<1x3x3x3x3xf32> into tensor<3x3x3x3xf32>
// CHECK-COUNT-3: vector.contract
// CHECK-NOT: linalg.conv
func.func @grouped_nchw(%x: tensor<1x2x3x8x8xf32>, %w: tensor<2x3x3x3x3xf32>, %init: tensor<1x2x3x6x6xf32>) -> tensor<1x2x3x6x6xf32> {
  %y = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x3x8x8xf32>, tensor<2x3x3x3x3xf32>) outs(%init : tensor<1x2x3x6x6xf32>) -> tensor<1x2x3x6x6xf32>
  return %y : tensor<1x2x3x6x6xf32>
}

// -----

// Sub-byte elements are tiled but not vectorized: an i4 vector load would
// read bit-packed data from a byte-per-element buffer.
// CHECK-LABEL: func.func @sub_byte
// CHECK: scf.for
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x16xi4>)
// CHECK-NOT: vector.transfer_read
func.func @sub_byte(%q: tensor<8x48xi4>) -> tensor<8x48xf32> {
  %e = tensor.empty() : tensor<8x48xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
         ins(%q : tensor<8x48xi4>) outs(%e : tensor<8x48xf32>) {
  ^bb0(%in: i4, %out: f32):
    %w = arith.extsi %in : i4 to i32
    %f = arith.sitofp %w : i32 to f32
    linalg.yield %f : f32
  } -> tensor<8x48xf32>
  return %r : tensor<8x48xf32>
}

// -----

// Dynamic shapes are left for the loop lowering.
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: scf.for
// CHECK-NOT: vector.
// CHECK: linalg.matmul
func.func @dynamic(%a: tensor<?x32xf32>, %b: tensor<32x16xf32>, %c: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x32xf32>, tensor<32x16xf32>) outs(%c : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}
