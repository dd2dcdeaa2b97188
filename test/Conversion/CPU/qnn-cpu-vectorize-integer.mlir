// The integer code convert-qnn-to-linalg emits is tiled and vectorized by
// qnn-cpu-vectorize (as qnn-lower-to-llvm runs them): the contraction, the
// zero-point corrections, the fixed-point requantize epilogue in i64 and
// i32 vectors, convolutions (grouped ones too), pooling and the rescale
// ops. No linalg op is left to become scalar loops.
// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg --convert-elementwise-to-linalg \
// RUN:   --canonicalize --qnn-cpu-vectorize | FileCheck %s

!act = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625}>
!bias = !quant.uniform<i32:f32:0, {0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625, 0.125, 0.0625}>
!out = !quant.uniform<u8:f32, 0.25:3>

// The weight column sums (activation zero point 128) as a vector
// reduction; the contraction on widened vectors in tiles of k = 16; the
// requantize epilogue 16 lanes at a time: the high multiply in
// vector<16xi64>, the rounding shift in vector<16xi32>.
// CHECK-LABEL: func.func @matmul_requantize
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<16x16xi32> to vector<16xi32>
// CHECK: scf.for
// CHECK: arith.extui %{{.*}} : vector<4x16xi8> to vector<4x16xi32>
// CHECK: arith.extsi %{{.*}} : vector<16x16xi8> to vector<16x16xi32>
// CHECK: vector.contract {{.*}} : vector<4x16xi32>, vector<16x16xi32> into vector<4x16xi32>
// CHECK: scf.for
// CHECK: arith.extsi %{{.*}} : vector<16xi32> to vector<16xi64>
// CHECK: arith.muli %{{.*}}, %{{.*}} : vector<16xi64>
// CHECK: arith.divsi %{{.*}}, %{{.*}} : vector<16xi64>
// CHECK: arith.trunci %{{.*}} : vector<16xi64> to vector<16xi32>
// CHECK: arith.shrsi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// CHECK: vector.transfer_write %{{.*}} : vector<16xi8>, tensor<4x16xi8>
// CHECK-NOT: linalg.
func.func @matmul_requantize(%x: tensor<4x64x!act>, %w: tensor<64x16x!w>, %b: tensor<16x!bias>) -> tensor<4x16x!out> {
  %acc = qnn.matmul %x, %w, %b : (tensor<4x64x!act>, tensor<64x16x!w>, tensor<16x!bias>) -> tensor<4x16x!acc>
  %y = qnn.requantize %acc {clamp_min = 3 : i64} : tensor<4x16x!acc> -> tensor<4x16x!out>
  return %y : tensor<4x16x!out>
}

// -----

// A padded u8 convolution: the centring to i16 and the 1-D convolutions
// (one contraction per kernel column, i16 x i8 widened to i32).
// CHECK-LABEL: func.func @conv_u8
// CHECK: arith.extui %{{.*}} : vector<16xi8> to vector<16xi16>
// CHECK-COUNT-3: vector.contract {{.*}} : vector<4x16xi32>, vector<16x16xi32> into vector<4x16xi32>
// CHECK-NOT: linalg.
!img = !quant.uniform<u8:f32, 0.5:7>
!filt = !quant.uniform<i8:f32, 0.25>
!cacc = !quant.uniform<i32:f32, 0.125>
func.func @conv_u8(%x: tensor<1x8x8x16x!img>, %f: tensor<3x3x16x16x!filt>) -> tensor<1x8x8x16x!cacc> {
  %a = qnn.conv2d %x, %f {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16x!img>, tensor<3x3x16x16x!filt>) -> tensor<1x8x8x16x!cacc>
  return %a : tensor<1x8x8x16x!cacc>
}

// -----

// NCHW depthwise convolution and pooling (the sums along 16 channels, the
// division along the 8 columns of a row).
// CHECK-LABEL: func.func @nchw
// CHECK: arith.muli %{{.*}}, %{{.*}} : vector<3x16xi32>
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<16xi8>
// CHECK: arith.addi %{{.*}}, %{{.*}} : vector<4x16xi32>
// CHECK: arith.divsi %{{.*}}, %{{.*}} : vector<8xi32>
// CHECK-NOT: linalg.
!img = !quant.uniform<i8:f32, 0.5:-3>
!dw = !quant.uniform<i8:f32:0, {0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5}>
!dwacc = !quant.uniform<i32:f32:1, {0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25}>
func.func @nchw(%x: tensor<1x16x8x8x!img>, %f: tensor<16x1x3x3x!dw>)
    -> (tensor<1x16x6x6x!dwacc>, tensor<1x16x4x4x!img>, tensor<1x16x8x8x!img>) {
  %a = qnn.conv2d %x, %f {groups = 16 : i64, data_format = #qnn.data_format<nchw>}
      : (tensor<1x16x8x8x!img>, tensor<16x1x3x3x!dw>) -> tensor<1x16x6x6x!dwacc>
  %m = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, data_format = #qnn.data_format<nchw>}
      : tensor<1x16x8x8x!img> -> tensor<1x16x4x4x!img>
  %v = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, data_format = #qnn.data_format<nchw>}
      : tensor<1x16x8x8x!img> -> tensor<1x16x8x8x!img>
  return %a, %m, %v : tensor<1x16x6x6x!dwacc>, tensor<1x16x4x4x!img>, tensor<1x16x8x8x!img>
}

// -----

// qnn.add in fixed point, 16 lanes.
// CHECK-LABEL: func.func @add
// CHECK: arith.shli %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: arith.muli %{{.*}}, %{{.*}} : vector<16xi64>
// CHECK: arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// CHECK-NOT: linalg.
func.func @add(%a: tensor<4x16x!quant.uniform<i8:f32, 0.1:-3>>, %b: tensor<4x16x!quant.uniform<i8:f32, 0.2:5>>)
    -> tensor<4x16x!quant.uniform<i8:f32, 0.25>> {
  %s = qnn.add %a, %b : (tensor<4x16x!quant.uniform<i8:f32, 0.1:-3>>, tensor<4x16x!quant.uniform<i8:f32, 0.2:5>>)
      -> tensor<4x16x!quant.uniform<i8:f32, 0.25>>
  return %s : tensor<4x16x!quant.uniform<i8:f32, 0.25>>
}

// -----

// A grouped convolution (2 groups, u8 images): one group at a time, each a
// vectorized convolution on the centred i16 image.
// CHECK-LABEL: func.func @grouped
// CHECK: scf.for
// CHECK: vector.contract {{.*}} into vector<4x4xi32>
// CHECK-NOT: linalg.
!gimg = !quant.uniform<u8:f32, 0.5:7>
!gfilt = !quant.uniform<i8:f32, 0.25>
!gacc = !quant.uniform<i32:f32, 0.125>
func.func @grouped(%x: tensor<1x8x8x4x!gimg>, %f: tensor<3x3x2x8x!gfilt>) -> tensor<1x8x8x8x!gacc> {
  %a = qnn.conv2d %x, %f {groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x8x4x!gimg>, tensor<3x3x2x8x!gfilt>) -> tensor<1x8x8x8x!gacc>
  return %a : tensor<1x8x8x8x!gacc>
}
