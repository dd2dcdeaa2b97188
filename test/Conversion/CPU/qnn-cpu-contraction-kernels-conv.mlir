// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels=target=avx512-vnni | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels=target=generic | FileCheck %s --check-prefix=GENERIC

// A convolution with a constant filter is the matmul of its im2col matrix
// (rows n*oh*ow, columns c*kh*kw) by the filter (F x K): the window copy, the
// packed-weight kernel with the requantize fused, then the NCHW result
// transposed back once, as i8.

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#ch = affine_map<(n, c, h, w) -> (c)>
// CHECK-LABEL: func.func @nchw_u8_requantize
// CHECK-SAME:    (%[[X:.*]]: tensor<1x4x9x9xi8>, %[[BIAS:.*]]: tensor<16xi32>)
func.func @nchw_u8_requantize(%x: tensor<1x4x9x9xi8>, %bias: tensor<16xi32>) -> tensor<1x16x4x5xi8> {
  %w = arith.constant dense<3> : tensor<16x4x3x3xi8>
  %shift = arith.constant dense<7> : tensor<16xi32>
  %lo = arith.constant 0 : i32
  %hi = arith.constant 255 : i32
  %e16 = tensor.empty() : tensor<1x4x9x9xi16>
  %x16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x9x9xi8>) outs(%e16 : tensor<1x4x9x9xi16>) {
  ^bb0(%in: i8, %out: i16):
    %v = arith.extui %in : i8 to i16
    linalg.yield %v : i16
  } -> tensor<1x4x9x9xi16>
  %e = tensor.empty() : tensor<1x16x4x5xi32>
  %init = linalg.generic {indexing_maps = [#ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : tensor<16xi32>) outs(%e : tensor<1x16x4x5xi32>) {
  ^bb0(%b: i32, %out: i32):
    linalg.yield %b : i32
  } -> tensor<1x16x4x5xi32>
  %acc = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
      ins(%x16, %w : tensor<1x4x9x9xi16>, tensor<16x4x3x3xi8>) outs(%init : tensor<1x16x4x5xi32>) -> tensor<1x16x4x5xi32>
  %e8 = tensor.empty() : tensor<1x16x4x5xi8>
  %q = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc, %shift : tensor<1x16x4x5xi32>, tensor<16xi32>) outs(%e8 : tensor<1x16x4x5xi8>) {
  ^bb0(%v: i32, %sh: i32, %out: i8):
    %r = arith.shrsi %v, %sh : i32
    %c1 = arith.maxsi %r, %lo : i32
    %c2 = arith.minsi %c1, %hi : i32
    %t = arith.trunci %c2 : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x16x4x5xi8>
  return %q : tensor<1x16x4x5xi8>
}
// The windows are copied from the u8 tensor itself, not its i16 widening,
// transposed to NHWC and seen as rows of W * C values: with dilation 2
// along w, one run of C = 4 values per (kh, kw), 9 per output pixel.
// CHECK:       %[[NHWC_IN:.*]] = linalg.transpose ins(%[[X]] : tensor<1x4x9x9xi8>) outs(%{{.*}} : tensor<1x9x9x4xi8>) permutation = [0, 2, 3, 1]
// CHECK:       %[[ROWS:.*]] = tensor.collapse_shape %[[NHWC_IN]] {{\[\[}}0], [1], [2, 3]] : tensor<1x9x9x4xi8> into tensor<1x9x36xi8>
// CHECK:       %[[IM2COL:.*]] = scf.for
// CHECK-COUNT-9: vector.transfer_read %[[ROWS]]{{.*}} : tensor<1x9x36xi8>, vector<4xi8>
// CHECK-NOT:   vector.transfer_read %[[ROWS]]
// CHECK:       scf.for
// CHECK:         vector.transfer_read %[[BIAS]]{{.*}} : tensor<16xi32>, vector<16xi32>
// CHECK:         scf.for
// CHECK:           vector.transfer_read %[[IM2COL]]{{.*}} : tensor<20x36xi8>, vector<4xi8>
// CHECK:           call @llvm.x86.avx512.vpdpbusd.512
// CHECK:         arith.shrsi %{{.*}} : vector<16xi32>
// CHECK:         vector.transfer_write %{{.*}} : vector<16xi8>, tensor<20x16xi8>
// CHECK:       %[[NHWC:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 4, 5, 16] : tensor<20x16xi8> into tensor<1x4x5x16xi8>
// CHECK:       %[[NCHW:.*]] = linalg.transpose ins(%[[NHWC]] : tensor<1x4x5x16xi8>) outs(%{{.*}} : tensor<1x16x4x5xi8>) permutation = [0, 3, 1, 2]
// CHECK:       return %[[NCHW]]
// CHECK-NOT:   linalg.conv_2d

// GENERIC-LABEL: func.func @nchw_u8_requantize
// GENERIC:         linalg.conv_2d_nchw_fchw

// -----

// f32, NHWC with an HWCF filter (K x F weights), a fill as the initial value
// and no consumer: the result needs no transpose.
// CHECK-LABEL: func.func @nhwc_f32
func.func @nhwc_f32(%x: tensor<2x6x6x3xf32>) -> tensor<2x4x4x8xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x3x8xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x4x8xf32>) -> tensor<2x4x4x8xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<2x6x6x3xf32>, tensor<3x3x3x8xf32>) outs(%init : tensor<2x4x4x8xf32>) -> tensor<2x4x4x8xf32>
  return %y : tensor<2x4x4x8xf32>
}
// Dilation 1: the window row kh of a pixel is one run of KW * C = 9 values.
// CHECK:       %[[ROWS:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<2x6x6x3xf32> into tensor<2x6x18xf32>
// CHECK-COUNT-3: vector.transfer_read %[[ROWS]]{{.*}} : tensor<2x6x18xf32>, vector<9xf32>
// CHECK-NOT:   vector.transfer_read %[[ROWS]]
// CHECK:       vector.fma {{.*}} : vector<16xf32>
// CHECK:       tensor.expand_shape {{.*}} : tensor<32x8xf32> into tensor<2x4x4x8xf32>
// CHECK-NOT:   linalg.transpose
// CHECK-NOT:   linalg.conv_2d

// -----

// The zero point subtracted in the widening goes into the initial value:
// -zp * (sum of the filter of each channel) = -5 * 2 * 8 = -80 here.
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#ch = affine_map<(n, h, w, c) -> (c)>
// CHECK-LABEL: func.func @nhwc_zero_point
func.func @nhwc_zero_point(%x: tensor<1x4x4x2xi8>) -> tensor<1x3x3x4xi32> {
  %w = arith.constant dense<2> : tensor<4x2x2x2xi8>
  %zp = arith.constant 5 : i16
  %zero = arith.constant 0 : i32
  %e16 = tensor.empty() : tensor<1x4x4x2xi16>
  %x16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x4x4x2xi8>) outs(%e16 : tensor<1x4x4x2xi16>) {
  ^bb0(%in: i8, %out: i16):
    %v = arith.extui %in : i8 to i16
    %d = arith.subi %v, %zp : i16
    linalg.yield %d : i16
  } -> tensor<1x4x4x2xi16>
  %e = tensor.empty() : tensor<1x3x3x4xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<1x3x3x4xi32>) -> tensor<1x3x3x4xi32>
  %y = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x16, %w : tensor<1x4x4x2xi16>, tensor<4x2x2x2xi8>) outs(%init : tensor<1x3x3x4xi32>) -> tensor<1x3x3x4xi32>
  return %y : tensor<1x3x3x4xi32>
}
// CHECK:       arith.constant dense<-80> : tensor<4xi32>
// CHECK:       call @llvm.x86.avx512.vpdpbusd.512
// CHECK-NOT:   linalg.conv_2d

// -----

// Left alone: a filter that is not a constant, an i16 input that widens
// nothing of 8 bits.
// CHECK-LABEL: func.func @not_constant
// CHECK:         linalg.conv_2d_nchw_fchw
func.func @not_constant(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>, %init: tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> {
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  return %y : tensor<1x3x3x3xf32>
}

// CHECK-LABEL: func.func @wide_input
// CHECK:         linalg.conv_2d_nchw_fchw
func.func @wide_input(%x: tensor<1x2x5x5xi16>, %init: tensor<1x3x3x3xi32>) -> tensor<1x3x3x3xi32> {
  %w = arith.constant dense<1> : tensor<3x2x3x3xi8>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xi16>, tensor<3x2x3x3xi8>) outs(%init : tensor<1x3x3x3xi32>) -> tensor<1x3x3x3xi32>
  return %y : tensor<1x3x3x3xi32>
}

// -----

// Two NCHW convolutions with a ReLU, a max pool and a padding between them:
// the transpose after the first moves past the ReLU, the pooling (now NHWC)
// and the padding (its amounts permuted), and cancels against the second's
// transpose to NHWC. Left: the input's transpose and the result's.
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @chain
func.func @chain(%x: tensor<1x2x8x8xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = arith.constant dense<0.25> : tensor<4x2x3x3xf32>
  %w2 = arith.constant dense<-0.5> : tensor<8x4x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.0e38 : f32
  %e1 = tensor.empty() : tensor<1x4x6x6xf32>
  %i1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w1 : tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) outs(%i1 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c1 : tensor<1x4x6x6xf32>) outs(%e1 : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x6x6xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %e2 = tensor.empty() : tensor<1x4x3x3xf32>
  %i2 = linalg.fill ins(%lowest : f32) outs(%e2 : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%r1, %window : tensor<1x4x6x6xf32>, tensor<2x2xf32>) outs(%i2 : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %padded = tensor.pad %p low[0, 0, 1, 1] high[0, 0, 2, 2] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x4x3x3xf32> to tensor<1x4x6x6xf32>
  %e3 = tensor.empty() : tensor<1x8x4x4xf32>
  %i3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%padded, %w2 : tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) outs(%i3 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %c2 : tensor<1x8x4x4xf32>
}
// CHECK:       linalg.transpose ins(%{{.*}} : tensor<1x2x8x8xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK-NOT:   linalg.transpose
// CHECK:       arith.maximumf %{{.*}} : vector<16xf32>
// CHECK-NOT:   linalg.transpose
// CHECK:       linalg.pooling_nhwc_max {{.*}} -> tensor<1x3x3x4xf32>
// CHECK-NOT:   linalg.transpose
// CHECK:       tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 2, 2, 0]
// CHECK-NOT:   linalg.transpose
// CHECK:       vector.fma
// CHECK:       %[[OUT:.*]] = linalg.transpose ins(%{{.*}} : tensor<1x4x4x8xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK:       return %[[OUT]]
