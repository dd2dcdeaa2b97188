// RUN: qnn-opt %s --split-input-file --qnn-fuse | FileCheck %s
// Fixed point: running the pass again changes nothing.
// RUN: qnn-opt %s --split-input-file --qnn-fuse --qnn-fuse | FileCheck %s

// Input of the form qnn-quantize emits, one pattern per function. Expected
// integers are worked out in the comments; "Q(x)" is qnn.quantize of x,
// round(x / scale) + zero point in float32, and the float32 quotients were
// checked with numpy.

//===----------------------------------------------------------------------===//
// quantize(dcast(x)) -> requantize(x), or x
//===----------------------------------------------------------------------===//

!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>
!h = !quant.uniform<u8:f32, 0.05:10>

// CHECK-LABEL: func @requantize
// CHECK-SAME: (%[[ACC:.*]]: tensor<4x2x!quant.uniform<i32
// CHECK-NEXT: %[[R:.*]] = qnn.requantize %[[ACC]] : tensor<4x2x!quant.uniform<i32:f32:1, {{.*}}>> -> tensor<4x2x!quant.uniform<u8:f32, 5.000000e-02:10>>
// CHECK-NEXT: return %[[R]]
func.func @requantize(%acc: tensor<4x2x!acc>) -> tensor<4x2x!h> {
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %h = qnn.quantize %y : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}

// -----

// The same 8-bit type on both sides: dequantize then quantize gives every
// integer back, so the pair vanishes.
!q = !quant.uniform<i8:f32, 0.1:-3>

// CHECK-LABEL: func @identity
// CHECK-SAME: (%[[Q:.*]]: tensor<8x!quant.uniform<i8:f32, 1.000000e-01:-3>>)
// CHECK-NEXT: return %[[Q]]
func.func @identity(%q: tensor<8x!q>) -> tensor<8x!q> {
  %y = quant.dcast %q : tensor<8x!q> to tensor<8xf32>
  %h = qnn.quantize %y {rounding = #qnn.rounding<half_away_from_zero>} : tensor<8xf32> -> tensor<8x!q>
  return %h : tensor<8x!q>
}

// -----

// 8-bit to 8-bit with another scale is a requantize; the quantize's rounding
// goes with it (it governs rescale=float).
!a = !quant.uniform<i8:f32, 0.1:-3>
!b = !quant.uniform<u8:f32, 0.2:128>

// CHECK-LABEL: func @rescale_8bit
// CHECK: qnn.requantize %{{.*}} {rounding = #qnn.rounding<half_away_from_zero>} : tensor<8x!quant.uniform<i8:f32, 1.000000e-01:-3>> -> tensor<8x!quant.uniform<u8:f32, 2.000000e-01:128>>
func.func @rescale_8bit(%q: tensor<8x!a>) -> tensor<8x!b> {
  %y = quant.dcast %q : tensor<8x!a> to tensor<8xf32>
  %h = qnn.quantize %y {rounding = #qnn.rounding<half_away_from_zero>} : tensor<8xf32> -> tensor<8x!b>
  return %h : tensor<8x!b>
}

// -----

// A dequantized value with other users keeps its dcast; the quantize still
// becomes a requantize.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:0>

// CHECK-LABEL: func @dcast_with_other_users
// CHECK: %[[Y:.*]] = quant.dcast
// CHECK: %[[R:.*]] = qnn.requantize
// CHECK: return %[[R]], %[[Y]]
func.func @dcast_with_other_users(%acc: tensor<4x!acc>) -> (tensor<4x!h>, tensor<4xf32>) {
  %y = quant.dcast %acc : tensor<4x!acc> to tensor<4xf32>
  %h = qnn.quantize %y : tensor<4xf32> -> tensor<4x!h>
  return %h, %y : tensor<4x!h>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Activations -> the requantize clamp
//===----------------------------------------------------------------------===//

// ReLU as linalg.generic { maximumf %v, 0.0 }: clamp_min = Q(0.0) = z_out.
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>
!h = !quant.uniform<u8:f32, 0.05:10>
#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func @relu
// CHECK-SAME: (%[[ACC:.*]]: tensor
// CHECK-NOT: linalg.generic
// CHECK: %[[R:.*]] = qnn.requantize %[[ACC]] {clamp_min = 10 : i64} :
// CHECK-NEXT: return %[[R]]
func.func @relu(%acc: tensor<4x2x!acc>) -> tensor<4x2x!h> {
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<4x2xf32>
  %h = qnn.quantize %r : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}

// -----

// ReLU6 as tosa-to-linalg writes tosa.clamp (min first, then max):
// clamp_min = Q(0.0) = 10, clamp_max = Q(6.0) = 6 / 0.05 + 10 = 120 + 10.
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>
!h = !quant.uniform<u8:f32, 0.05:10>
#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func @relu6_tosa_clamp
// CHECK: qnn.requantize %{{.*}} {clamp_max = 130 : i64, clamp_min = 10 : i64}
func.func @relu6_tosa_clamp(%acc: tensor<4x2x!acc>) -> tensor<4x2x!h> {
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.constant 0.0 : f32
    %hi = arith.constant 6.0 : f32
    %0 = arith.minimumf %in, %hi : f32
    %1 = arith.maximumf %0, %lo : f32
    linalg.yield %1 : f32
  } -> tensor<4x2xf32>
  %h = qnn.quantize %r : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}

// -----

// clamp(0.02, 0.33) on tensors, as two ops with splat constants, the min
// with its operands swapped. Bounds off the grid (scale 0.05, z = -20) are
// quantized like any value, not rounded inwards: the fp32 chain sends every
// v < 0.02 to Q(0.02) = round(0.4) - 20 = -20, so the integer clamp must
// too. Q(0.33) = round(6.6000004) - 20 = -13.
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>
!h = !quant.uniform<i8:f32, 0.05:-20>

// CHECK-LABEL: func @clamp_off_grid
// CHECK: qnn.requantize %{{.*}} {clamp_max = -13 : i64, clamp_min = -20 : i64}
func.func @clamp_off_grid(%acc: tensor<4x2x!acc>) -> tensor<4x2x!h> {
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %lo = arith.constant dense<0.02> : tensor<4x2xf32>
  %hi = arith.constant dense<0.33> : tensor<4x2xf32>
  %0 = arith.maxnumf %y, %lo : tensor<4x2xf32>
  %1 = arith.minnumf %hi, %0 : tensor<4x2xf32>
  %h = qnn.quantize %1 : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}

// -----

// A bound on a tie is rounded as the quantize rounds: 0.025 / 0.05 = 0.5
// exactly in float32, so Q(0.025) = 1 away from zero (0 to even).
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.05:0>

// CHECK-LABEL: func @clamp_tie_rounding
// CHECK: qnn.requantize %{{.*}} {clamp_min = 1 : i64, rounding = #qnn.rounding<half_away_from_zero>}
func.func @clamp_tie_rounding(%acc: tensor<4x!acc>) -> tensor<4x!h> {
  %y = quant.dcast %acc : tensor<4x!acc> to tensor<4xf32>
  %lo = arith.constant dense<0.025> : tensor<4xf32>
  %0 = arith.maximumf %y, %lo : tensor<4xf32>
  %h = qnn.quantize %0 {rounding = #qnn.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!h>
  return %h : tensor<4x!h>
}

// -----

// torch-mlir's ReLU: select(cmpf ugt (v, 0), v, 0), with the constant from
// outside the body.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:0>
#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func @relu_select
// CHECK: qnn.requantize %{{.*}} {clamp_min = 0 : i64}
func.func @relu_select(%acc: tensor<4x2x!acc>) -> tensor<4x2x!h> {
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.cmpf ugt, %in, %zero : f32
    %s = arith.select %c, %in, %zero : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %h = qnn.quantize %r : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}

// -----

// min(v, 1.0) then max(., 2.0) is the constant 2.0: clamp [Q(2), Q(2)] =
// [20, 20] with scale 0.1.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:0>

// CHECK-LABEL: func @clamp_to_constant
// CHECK: qnn.requantize %{{.*}} {clamp_max = 20 : i64, clamp_min = 20 : i64}
func.func @clamp_to_constant(%acc: tensor<4x!acc>) -> tensor<4x!h> {
  %y = quant.dcast %acc : tensor<4x!acc> to tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %two = arith.constant dense<2.0> : tensor<4xf32>
  %0 = arith.minimumf %y, %one : tensor<4xf32>
  %1 = arith.maximumf %0, %two : tensor<4xf32>
  %h = qnn.quantize %1 : tensor<4xf32> -> tensor<4x!h>
  return %h : tensor<4x!h>
}

// -----

// A max with another activation is not a clamp: everything stays.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:0>

// CHECK-LABEL: func @not_a_clamp
// CHECK: %[[Y:.*]] = quant.dcast
// CHECK: %[[M:.*]] = arith.maximumf %[[Y]], %{{.*}}
// CHECK: qnn.quantize %[[M]]
// CHECK-NOT: qnn.requantize
func.func @not_a_clamp(%acc: tensor<4x!acc>, %other: tensor<4xf32>) -> tensor<4x!h> {
  %y = quant.dcast %acc : tensor<4x!acc> to tensor<4xf32>
  %0 = arith.maximumf %y, %other : tensor<4xf32>
  %h = qnn.quantize %0 : tensor<4xf32> -> tensor<4x!h>
  return %h : tensor<4x!h>
}

// -----

//===----------------------------------------------------------------------===//
// Bias -> int32 operand of the contraction
//===----------------------------------------------------------------------===//

// A [3] bias broadcast by the generic's map, as its first input. Bias /
// (s_in * s_w): 1.0 / 0.125 = 8, -0.40625 / 0.0625 = -6.5 -> -6 (a tie, to
// even), 0.375 / 0.25 = 1.5 -> 2 (to even).
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>
#id = affine_map<(d0, d1) -> (d0, d1)>
#bc = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func @bias_generic
// CHECK-SAME: (%[[X:.*]]: tensor
// CHECK-DAG: %[[W:.*]] = qnn.constant dense<{{\[\[}}1, 2, 3]
// CHECK-DAG: %[[B:.*]] = qnn.constant dense<[8, -6, 2]> : tensor<3xi32> {error = #qnn.error<{{.*}}>} -> tensor<3x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02,2.500000e-01}>>
// CHECK: %[[ACC:.*]] = qnn.matmul %[[X]], %[[W]], %[[B]]
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]]
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @bias_generic(%x: tensor<2x4x!x>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = arith.constant dense<[1.0, -0.40625, 0.375]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %yb = linalg.generic {indexing_maps = [#bc, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b, %y : tensor<3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%bi: f32, %a: f32, %o: f32):
    %s = arith.addf %a, %bi : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// TOSA's [1, 3] bias read through (d0, d1) -> (0, d1): 1 / 0.125 = 8,
// 2 / 0.0625 = 32, 3 / 0.25 = 12.
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>
#id = affine_map<(d0, d1) -> (d0, d1)>
#tosa = affine_map<(d0, d1) -> (0, d1)>

// CHECK-LABEL: func @bias_tosa
// CHECK: %[[B:.*]] = qnn.constant dense<[8, 32, 12]> : tensor<3xi32>
// CHECK: qnn.matmul %{{.*}}, %{{.*}}, %[[B]]
// CHECK-NOT: linalg.generic
func.func @bias_tosa(%x: tensor<2x4x!x>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = "tosa.const"() <{values = dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>}> : () -> tensor<1x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %yb = linalg.generic {indexing_maps = [#id, #tosa, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<2x3xf32>, tensor<1x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %bi: f32, %o: f32):
    %s = arith.addf %a, %bi : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// linalg.broadcast of a [3] constant, added with arith.addf (bias first).
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>

// CHECK-LABEL: func @bias_broadcast_addf
// CHECK: %[[B:.*]] = qnn.constant dense<[8, 32, 12]> : tensor<3xi32>
// CHECK: qnn.matmul %{{.*}}, %{{.*}}, %[[B]]
// CHECK-NOT: arith.addf
func.func @bias_broadcast_addf(%x: tensor<2x4x!x>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %yb = arith.addf %bb, %y : tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// linalg.add with a full constant whose rows are equal.
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>

// CHECK-LABEL: func @bias_linalg_add
// CHECK: %[[B:.*]] = qnn.constant dense<[8, 32, 12]> : tensor<3xi32>
// CHECK: qnn.matmul %{{.*}}, %{{.*}}, %[[B]]
// CHECK-NOT: linalg.add
func.func @bias_linalg_add(%x: tensor<2x4x!x>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = arith.constant dense<[[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %yb = linalg.add ins(%y, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// An NCHW convolution: the bias runs along dimension 1. 0.5 / 0.125 = 4,
// -1.0 / 0.25 = -4.
!img = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.25}>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#bc = affine_map<(n, c, h, w) -> (c)>

// CHECK-LABEL: func @bias_conv_nchw
// CHECK: %[[B:.*]] = qnn.constant dense<[4, -4]> : tensor<2xi32>
// CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %[[B]] {data_format = #qnn.data_format<nchw>}
// CHECK-NOT: linalg.generic
func.func @bias_conv_nchw(%x: tensor<1x1x4x4x!img>) -> tensor<1x2x2x2xf32> {
  %f = qnn.constant dense<1> : tensor<2x1x3x3xi8> -> tensor<2x1x3x3x!f>
  %acc = qnn.conv2d %x, %f {data_format = #qnn.data_format<nchw>} : (tensor<1x1x4x4x!img>, tensor<2x1x3x3x!f>) -> tensor<1x2x2x2x!acc>
  %y = quant.dcast %acc : tensor<1x2x2x2x!acc> to tensor<1x2x2x2xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %yb = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %b : tensor<1x2x2x2xf32>, tensor<2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%a: f32, %bi: f32, %o: f32):
    %s = arith.addf %a, %bi : f32
    linalg.yield %s : f32
  } -> tensor<1x2x2x2xf32>
  return %yb : tensor<1x2x2x2xf32>
}

// -----

// A bias that varies along the rows is not a per-channel bias.
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>

// CHECK-LABEL: func @bias_rows_differ
// CHECK: %[[ACC:.*]] = qnn.matmul %{{[^,]*}}, %{{[^,]*}} :
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]]
// CHECK: arith.addf %[[Y]]
func.func @bias_rows_differ(%x: tensor<2x4x!x>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = arith.constant dense<[[1.0, 2.0, 3.0], [1.0, 2.0, 4.0]]> : tensor<2x3xf32>
  %yb = arith.addf %y, %b : tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// A bias that is not a constant stays fp32.
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>

// CHECK-LABEL: func @bias_not_constant
// CHECK-SAME: %[[BIAS:[^:]*]]: tensor<2x3xf32>
// CHECK: %[[ACC:.*]] = qnn.matmul %{{[^,]*}}, %{{[^,]*}} :
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]]
// CHECK: arith.addf %[[Y]], %[[BIAS]]
func.func @bias_not_constant(%x: tensor<2x4x!x>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %yb = arith.addf %y, %b : tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// The accumulator has a second user, which must not see the bias.
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>

// CHECK-LABEL: func @bias_accumulator_two_uses
// CHECK: %[[ACC:.*]] = qnn.matmul %{{[^,]*}}, %{{[^,]*}} :
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]]
// CHECK: %[[SUM:.*]] = arith.addf %[[Y]]
// CHECK: return %[[SUM]], %[[ACC]]
func.func @bias_accumulator_two_uses(%x: tensor<2x4x!x>) -> (tensor<2x3xf32>, tensor<2x3x!acc>) {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = arith.constant dense<1.0> : tensor<2x3xf32>
  %yb = arith.addf %y, %b : tensor<2x3xf32>
  return %yb, %acc : tensor<2x3xf32>, tensor<2x3x!acc>
}

// -----

// 3e9 / 0.25 = 1.2e10 does not fit int32: the bias stays fp32.
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125, 0.5}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.25}>

// CHECK-LABEL: func @bias_too_large
// CHECK: %[[ACC:.*]] = qnn.matmul %{{[^,]*}}, %{{[^,]*}} :
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]]
// CHECK: arith.addf %[[Y]]
func.func @bias_too_large(%x: tensor<2x4x!x>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = arith.constant dense<[1.0, 2.0, 3.0e9]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %yb = arith.addf %y, %bb : tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// The bias fits int32 (536870880 / 0.25 = 2147483520) but the accumulator
// with it could not: four products of up to 128 * 1 push a partial sum past
// 2^31 - 1 = 2147483647.
!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32, 0.5>
!acc = !quant.uniform<i32:f32, 0.25>

// CHECK-LABEL: func @bias_could_overflow
// CHECK: %[[ACC:.*]] = qnn.matmul %{{[^,]*}}, %{{[^,]*}} :
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]]
// CHECK: arith.addf %[[Y]]
func.func @bias_could_overflow(%x: tensor<2x4x!x>) -> tensor<2x3xf32> {
  %w = qnn.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %b = arith.constant dense<536870880.0> : tensor<2x3xf32>
  %yb = arith.addf %y, %b : tensor<2x3xf32>
  return %yb : tensor<2x3xf32>
}

// -----

// Bias and ReLU between two layers: the matmul gets the bias, the ReLU
// becomes the clamp. 0.5 / (0.02 * 0.01) = 2500, -0.25 / 4e-4 = -625
// (the input has zero point 0, so no zero-point correction is added).
!x = !quant.uniform<u8:f32, 0.02>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>
!h = !quant.uniform<u8:f32, 0.05>
#id = affine_map<(d0, d1) -> (d0, d1)>
#bc = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func @bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-DAG: %[[B:.*]] = qnn.constant dense<[2500, -625]> : tensor<2xi32>
// CHECK-DAG: %[[W:.*]] = qnn.constant dense<{{\[\[}}1, -2], [3, 4], [-5, 6]]>
// CHECK: %[[XQ:.*]] = qnn.quantize %[[X]]
// CHECK: %[[ACC:.*]] = qnn.matmul %[[XQ]], %[[W]], %[[B]]
// CHECK: %[[H:.*]] = qnn.requantize %[[ACC]] {clamp_min = 0 : i64}
// CHECK-NEXT: return %[[H]]
func.func @bias_relu(%x: tensor<4x3xf32>) -> tensor<4x2x!h> {
  %xq = qnn.quantize %x : tensor<4x3xf32> -> tensor<4x3x!x>
  %w = qnn.constant dense<[[1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi8> -> tensor<3x2x!w>
  %acc = qnn.matmul %xq, %w : (tensor<4x3x!x>, tensor<3x2x!w>) -> tensor<4x2x!acc>
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %yb = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %yr = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%yb : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %h = qnn.quantize %yr : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}

// -----

// Bias and ReLU in one generic, as the bundled examples write them: the bias
// goes to the matmul, the rest of the body (the ReLU) stays in a generic on
// the new accumulator and then becomes the clamp. 0.5 / 2e-4 = 2500,
// -0.25 / 4e-4 = -625.
!x = !quant.uniform<u8:f32, 0.02>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>
!h = !quant.uniform<u8:f32, 0.05>
#id = affine_map<(d0, d1) -> (d0, d1)>
#bc = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func @bias_relu_one_generic
// CHECK-DAG: %[[B:.*]] = qnn.constant dense<[2500, -625]> : tensor<2xi32>
// CHECK-DAG: %[[W:.*]] = qnn.constant dense<{{\[\[}}1, -2], [3, 4], [-5, 6]]>
// CHECK: %[[ACC:.*]] = qnn.matmul %{{.*}}, %[[W]], %[[B]]
// CHECK-NEXT: %[[H:.*]] = qnn.requantize %[[ACC]] {clamp_min = 0 : i64}
// CHECK-NEXT: return %[[H]]
func.func @bias_relu_one_generic(%x: tensor<4x3x!x>) -> tensor<4x2x!h> {
  %zero = arith.constant 0.0 : f32
  %w = qnn.constant dense<[[1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi8> -> tensor<3x2x!w>
  %acc = qnn.matmul %x, %w : (tensor<4x3x!x>, tensor<3x2x!w>) -> tensor<4x2x!acc>
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %yr = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %h = qnn.quantize %yr : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}

// -----

//===----------------------------------------------------------------------===//
// Quantize above data movement
//===----------------------------------------------------------------------===//

!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @collapse_shape
// CHECK: %[[R:.*]] = qnn.requantize %{{.*}} -> tensor<2x3x4x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1], [2]] : tensor<2x3x4x!quant.uniform<u8:f32, 1.000000e-01:5>> into tensor<6x4x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK: return %[[C]]
func.func @collapse_shape(%acc: tensor<2x3x4x!acc>) -> tensor<6x4x!h> {
  %y = quant.dcast %acc : tensor<2x3x4x!acc> to tensor<2x3x4xf32>
  %c = tensor.collapse_shape %y [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  %h = qnn.quantize %c : tensor<6x4xf32> -> tensor<6x4x!h>
  return %h : tensor<6x4x!h>
}

// -----

!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @expand_shape_extract_slice
// CHECK: %[[R:.*]] = qnn.requantize %{{.*}} -> tensor<6x4x!quant.uniform
// CHECK: %[[E:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 4] : tensor<6x4x!quant.uniform<u8:f32, 1.000000e-01:5>> into tensor<2x3x4x!quant.uniform
// CHECK: %[[S:.*]] = tensor.extract_slice %[[E]][1, 0, 0] [1, 3, 4] [1, 1, 1] : tensor<2x3x4x!quant.uniform<u8:f32, 1.000000e-01:5>> to tensor<1x3x4x!quant.uniform
// CHECK: return %[[S]]
func.func @expand_shape_extract_slice(%acc: tensor<6x4x!acc>) -> tensor<1x3x4x!h> {
  %y = quant.dcast %acc : tensor<6x4x!acc> to tensor<6x4xf32>
  %e = tensor.expand_shape %y [[0, 1], [2]] output_shape [2, 3, 4] : tensor<6x4xf32> into tensor<2x3x4xf32>
  %s = tensor.extract_slice %e[1, 0, 0] [1, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<1x3x4xf32>
  %h = qnn.quantize %s : tensor<1x3x4xf32> -> tensor<1x3x4x!h>
  return %h : tensor<1x3x4x!h>
}

// -----

// A transpose gets an init of the quantized type; a concatenation quantizes
// each input (the function argument stays a qnn.quantize).
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @transpose_concat
// CHECK-SAME: (%[[ACC:.*]]: tensor<2x3x!quant.uniform<i32:f32, 1.000000e-03>>, %[[OTHER:.*]]: tensor<3x2xf32>)
// CHECK: %[[R:.*]] = qnn.requantize %[[ACC]]
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<3x2x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[R]] : {{.*}}) outs(%[[INIT]] : {{.*}}) permutation = [1, 0]
// CHECK: %[[Q:.*]] = qnn.quantize %[[OTHER]]
// CHECK: %[[C:.*]] = tensor.concat dim(0) %[[T]], %[[Q]] : (tensor<3x2x!quant.uniform<u8:f32, 1.000000e-01:5>>, tensor<3x2x!quant.uniform<u8:f32, 1.000000e-01:5>>) -> tensor<6x2x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK: return %[[C]]
func.func @transpose_concat(%acc: tensor<2x3x!acc>, %other: tensor<3x2xf32>) -> tensor<6x2x!h> {
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%y : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  %c = tensor.concat dim(0) %t, %other : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<6x2xf32>
  %h = qnn.quantize %c : tensor<6x2xf32> -> tensor<6x2x!h>
  return %h : tensor<6x2x!h>
}

// -----

!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @reshape
// CHECK: %[[SHAPE:.*]] = arith.constant dense<6> : tensor<1xi64>
// CHECK: %[[R:.*]] = qnn.requantize
// CHECK: %[[S:.*]] = tensor.reshape %[[R]](%[[SHAPE]]) : (tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:5>>, tensor<1xi64>) -> tensor<6x!quant.uniform
// CHECK: return %[[S]]
func.func @reshape(%acc: tensor<2x3x!acc>) -> tensor<6x!h> {
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %shape = arith.constant dense<[6]> : tensor<1xi64>
  %r = tensor.reshape %y(%shape) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<6xf32>
  %h = qnn.quantize %r : tensor<6xf32> -> tensor<6x!h>
  return %h : tensor<6x!h>
}

// -----

// The fp32 reshape has another user: it stays, and so does the quantize.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @reshape_two_users
// CHECK: %[[S:.*]] = tensor.reshape %{{.*}} -> tensor<6xf32>
// CHECK: %[[Q:.*]] = qnn.quantize %[[S]]
// CHECK: return %[[Q]], %[[S]]
func.func @reshape_two_users(%acc: tensor<2x3x!acc>) -> (tensor<6x!h>, tensor<6xf32>) {
  %y = quant.dcast %acc : tensor<2x3x!acc> to tensor<2x3xf32>
  %shape = arith.constant dense<[6]> : tensor<1xi64>
  %r = tensor.reshape %y(%shape) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<6xf32>
  %h = qnn.quantize %r : tensor<6xf32> -> tensor<6x!h>
  return %h, %r : tensor<6x!h>, tensor<6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// Max pooling with a -inf init: Q(-inf) = 0, the storage minimum.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @max_pool_nhwc
// CHECK: %[[R:.*]] = qnn.requantize %{{.*}} -> tensor<1x6x6x2x!quant.uniform
// CHECK: %[[P:.*]] = qnn.max_pool2d %[[R]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x6x6x2x!quant.uniform<u8:f32, 1.000000e-01:5>> -> tensor<1x3x3x2x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK: return %[[P]]
func.func @max_pool_nhwc(%acc: tensor<1x6x6x2x!acc>) -> tensor<1x3x3x2x!h> {
  %y = quant.dcast %acc : tensor<1x6x6x2x!acc> to tensor<1x6x6x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x3x3x2xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %k = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%y, %k : tensor<1x6x6x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %h = qnn.quantize %p : tensor<1x3x3x2xf32> -> tensor<1x3x3x2x!h>
  return %h : tensor<1x3x3x2x!h>
}

// -----

// NCHW, padded with the lowest float (tosa-to-linalg's choice): the padding
// becomes the pool's own, which never wins either.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @max_pool_nchw_padded
// CHECK-NOT: tensor.pad
// CHECK: qnn.max_pool2d %{{.*}} {data_format = #qnn.data_format<nchw>, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x2x5x5x{{.*}}> -> tensor<1x2x3x3x
func.func @max_pool_nchw_padded(%acc: tensor<1x2x5x5x!acc>) -> tensor<1x2x3x3x!h> {
  %y = quant.dcast %acc : tensor<1x2x5x5x!acc> to tensor<1x2x5x5xf32>
  %lowest = arith.constant -3.40282347E+38 : f32
  %padded = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %lowest : f32
  } : tensor<1x2x5x5xf32> to tensor<1x2x7x7xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %init = linalg.fill ins(%lowest : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %k = tensor.empty() : tensor<3x3xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%padded, %k : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %h = qnn.quantize %p : tensor<1x2x3x3xf32> -> tensor<1x2x3x3x!h>
  return %h : tensor<1x2x3x3x!h>
}

// -----

// An init of 0.0 quantizes to 5, not the storage minimum 0: the fp32 pool
// clamps at 0.0 and qnn.max_pool2d would not, so it stays.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!h = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @max_pool_init_not_neutral
// CHECK: linalg.pooling_nhwc_max
// CHECK-NOT: qnn.max_pool2d
func.func @max_pool_init_not_neutral(%acc: tensor<1x6x6x2x!acc>) -> tensor<1x3x3x2x!h> {
  %y = quant.dcast %acc : tensor<1x6x6x2x!acc> to tensor<1x6x6x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %k = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%y, %k : tensor<1x6x6x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %h = qnn.quantize %p : tensor<1x3x3x2xf32> -> tensor<1x3x3x2x!h>
  return %h : tensor<1x3x3x2x!h>
}

// -----

// Average pooling of values already on the output grid, 3x3 windows (odd:
// no ties), divided by 9.
!q = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// CHECK-LABEL: func @avg_pool_odd_window
// CHECK-SAME: (%[[Q:.*]]: tensor<1x6x6x2x
// CHECK-NEXT: %[[P:.*]] = qnn.avg_pool2d %[[Q]] {kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>} : tensor<1x6x6x2x!quant.uniform<u8:f32, 1.000000e-01:5>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK-NEXT: return %[[P]]
func.func @avg_pool_odd_window(%q: tensor<1x6x6x2x!q>) -> tensor<1x2x2x2x!q> {
  %y = quant.dcast %q : tensor<1x6x6x2x!q> to tensor<1x6x6x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %k = tensor.empty() : tensor<3x3xf32>
  %s = linalg.pooling_nhwc_sum {dilations = dense<1> : vector<2xi64>, strides = dense<3> : vector<2xi64>}
      ins(%y, %k : tensor<1x6x6x2xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x2x2x2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.constant 9.0 : f32
    %d = arith.divf %in, %n : f32
    linalg.yield %d : f32
  } -> tensor<1x2x2x2xf32>
  %h = qnn.quantize %a : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!q>
  return %h : tensor<1x2x2x2x!q>
}

// -----

// Zero padding counted in the average (sum / 9), NCHW, the division as a
// product with float32(1 / 9).
!q = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @avg_pool_padded
// CHECK: qnn.avg_pool2d %{{.*}} {count_include_pad = true, data_format = #qnn.data_format<nchw>, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>}
// CHECK-NOT: linalg.pooling_nchw_sum
func.func @avg_pool_padded(%q: tensor<1x2x5x5x!q>) -> tensor<1x2x5x5x!q> {
  %y = quant.dcast %q : tensor<1x2x5x5x!q> to tensor<1x2x5x5xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x5x5xf32> to tensor<1x2x7x7xf32>
  %e = tensor.empty() : tensor<1x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %k = tensor.empty() : tensor<3x3xf32>
  %s = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%padded, %k : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %ninth = arith.constant dense<0.111111112> : tensor<1x2x5x5xf32>
  %a = arith.mulf %ninth, %s : tensor<1x2x5x5xf32>
  %h = qnn.quantize %a : tensor<1x2x5x5xf32> -> tensor<1x2x5x5x!q>
  return %h : tensor<1x2x5x5x!q>
}

// -----

// 2x2 windows: sums of 4 can average to a tie, which the fp32 chain and
// qnn.avg_pool2d may round differently. It stays fp32.
!q = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @avg_pool_even_window
// CHECK: linalg.pooling_nhwc_sum
// CHECK: qnn.quantize
// CHECK-NOT: qnn.avg_pool2d
func.func @avg_pool_even_window(%q: tensor<1x6x6x2x!q>) -> tensor<1x3x3x2x!q> {
  %y = quant.dcast %q : tensor<1x6x6x2x!q> to tensor<1x6x6x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %k = tensor.empty() : tensor<2x2xf32>
  %s = linalg.pooling_nhwc_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%y, %k : tensor<1x6x6x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %quarter = arith.constant dense<0.25> : tensor<1x3x3x2xf32>
  %a = arith.mulf %s, %quarter : tensor<1x3x3x2xf32>
  %h = qnn.quantize %a : tensor<1x3x3x2xf32> -> tensor<1x3x3x2x!q>
  return %h : tensor<1x3x3x2x!q>
}

// -----

// Averaging values not on the output grid (an accumulator) would round
// twice: it stays fp32.
!acc = !quant.uniform<i32:f32, 1.0e-3>
!q = !quant.uniform<u8:f32, 0.1:5>

// CHECK-LABEL: func @avg_pool_other_type
// CHECK: linalg.pooling_nhwc_sum
// CHECK-NOT: qnn.avg_pool2d
func.func @avg_pool_other_type(%acc: tensor<1x6x6x2x!acc>) -> tensor<1x2x2x2x!q> {
  %y = quant.dcast %acc : tensor<1x6x6x2x!acc> to tensor<1x6x6x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %k = tensor.empty() : tensor<3x3xf32>
  %s = linalg.pooling_nhwc_sum {dilations = dense<1> : vector<2xi64>, strides = dense<3> : vector<2xi64>}
      ins(%y, %k : tensor<1x6x6x2xf32>, tensor<3x3xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %nine = arith.constant dense<9.0> : tensor<1x2x2x2xf32>
  %a = arith.divf %s, %nine : tensor<1x2x2x2xf32>
  %h = qnn.quantize %a : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!q>
  return %h : tensor<1x2x2x2x!q>
}

// -----

//===----------------------------------------------------------------------===//
// Zero padding
//===----------------------------------------------------------------------===//

// tensor.pad with 0.0 -> qnn.pad, which the convolution absorbs.
!img = !quant.uniform<u8:f32, 0.1>
!f = !quant.uniform<i8<-127:127>:f32:3, {0.25, 0.5}>
!acc = !quant.uniform<i32:f32:3, {0.025, 0.05}>

// CHECK-LABEL: func @pad_into_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x3xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[Q:.*]] = qnn.quantize %[[X]] : tensor<1x4x4x3xf32> -> tensor<1x4x4x3x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NOT: qnn.pad
// CHECK: qnn.conv2d %[[Q]], %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x3x
func.func @pad_into_conv(%x: tensor<1x4x4x3xf32>) -> tensor<1x4x4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x3xf32> to tensor<1x6x6x3xf32>
  %xq = qnn.quantize %p : tensor<1x6x6x3xf32> -> tensor<1x6x6x3x!img>
  %f = qnn.constant dense<1> : tensor<3x3x3x2xi8> -> tensor<3x3x3x2x!f>
  %acc = qnn.conv2d %xq, %f : (tensor<1x6x6x3x!img>, tensor<3x3x3x2x!f>) -> tensor<1x4x4x2x!acc>
  %y = quant.dcast %acc : tensor<1x4x4x2x!acc> to tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// Padding along the channels is not convolution padding: the qnn.pad stays.
!img = !quant.uniform<u8:f32, 0.1>
!f = !quant.uniform<i8<-127:127>:f32:3, {0.25, 0.5}>
!acc = !quant.uniform<i32:f32:3, {0.025, 0.05}>

// CHECK-LABEL: func @pad_channels
// CHECK: %[[Q:.*]] = qnn.quantize %{{.*}} : tensor<1x6x6x2xf32>
// CHECK: %[[P:.*]] = qnn.pad %[[Q]] low = [0, 0, 0, 1] high = [0, 0, 0, 0]
// CHECK: qnn.conv2d %[[P]], %{{.*}} : (tensor<1x6x6x3x
func.func @pad_channels(%x: tensor<1x6x6x2xf32>) -> tensor<1x4x4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 0, 1] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x6x6x2xf32> to tensor<1x6x6x3xf32>
  %xq = qnn.quantize %p : tensor<1x6x6x3xf32> -> tensor<1x6x6x3x!img>
  %f = qnn.constant dense<1> : tensor<3x3x3x2xi8> -> tensor<3x3x3x2x!f>
  %acc = qnn.conv2d %xq, %f : (tensor<1x6x6x3x!img>, tensor<3x3x3x2x!f>) -> tensor<1x4x4x2x!acc>
  %y = quant.dcast %acc : tensor<1x4x4x2x!acc> to tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// Padding with 1.0 (Q(1.0) = 13, not the zero point 3) stays fp32.
!img = !quant.uniform<u8:f32, 0.1:3>

// CHECK-LABEL: func @pad_not_zero
// CHECK: %[[P:.*]] = tensor.pad
// CHECK: qnn.quantize %[[P]]
// CHECK-NOT: qnn.pad
func.func @pad_not_zero(%x: tensor<1x4x4x3xf32>) -> tensor<1x6x6x3x!img> {
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %one : f32
  } : tensor<1x4x4x3xf32> to tensor<1x6x6x3xf32>
  %xq = qnn.quantize %p : tensor<1x6x6x3xf32> -> tensor<1x6x6x3x!img>
  return %xq : tensor<1x6x6x3x!img>
}

// -----

//===----------------------------------------------------------------------===//
// Input zero point -> bias
//===----------------------------------------------------------------------===//

// z = 128: the bias is -128 * (column sums 1 + 3 - 5 + 0 = -1,
// -2 + 4 + 6 + 7 = 15, 3 * 127 - 127 = 254) = [128, -1920, -32512], and the
// input is reinterpreted with zero point 0.
!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02, 0.03}>
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4, 6.0e-4}>

// CHECK-LABEL: func @zero_point_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x!quant.uniform<u8:f32, 2.000000e-02:128>>)
// CHECK-DAG: %[[B:.*]] = qnn.constant dense<[128, -1920, -32512]> : tensor<3xi32>
// CHECK-DAG: %[[W:.*]] = qnn.constant
// CHECK: %[[S:.*]] = quant.scast %[[X]] : tensor<2x4x!quant.uniform<u8:f32, 2.000000e-02:128>> to tensor<2x4xi8>
// CHECK: %[[X0:.*]] = quant.scast %[[S]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<u8:f32, 2.000000e-02>>
// CHECK: %[[ACC:.*]] = qnn.matmul %[[X0]], %[[W]], %[[B]]
// CHECK-SAME: -> tensor<2x3x!quant.uniform<i32:f32:1, {2.000000e-04,4.000000e-04,6.000000e-04}>>
// CHECK: return %[[ACC]]
func.func @zero_point_matmul(%x: tensor<2x4x!x>) -> tensor<2x3x!acc> {
  %w = qnn.constant dense<[[1, -2, 127], [3, 4, 127], [-5, 6, 127], [0, 7, -127]]> : tensor<4x3xi8> -> tensor<4x3x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!acc>
  return %acc : tensor<2x3x!acc>
}

// -----

// Columns summing to 0 need no correction: no bias operand is added, only
// the reinterpretation.
!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32, 0.01>
!acc = !quant.uniform<i32:f32, 2.0e-4>

// CHECK-LABEL: func @zero_point_zero_correction
// CHECK-NOT: i32>
// CHECK: %[[X0:.*]] = quant.scast %{{.*}} : tensor<2x2xi8> to tensor<2x2x!quant.uniform<u8:f32, 2.000000e-02>>
// CHECK: qnn.matmul %[[X0]], %{{[^,]*}} :
func.func @zero_point_zero_correction(%x: tensor<2x2x!x>) -> tensor<2x1x!acc> {
  %w = qnn.constant dense<[[5], [-5]]> : tensor<2x1xi8> -> tensor<2x1x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x2x!x>, tensor<2x1x!w>) -> tensor<2x1x!acc>
  return %acc : tensor<2x1x!acc>
}

// -----

// A padded, strided convolution with a bias: the padding becomes a qnn.pad
// of the original type (holding z = 3), the bias [100, -100] gains
// -3 * (filter sums 1 + 3 + ... + 17 = 81, 2 + 4 + ... + 18 = 90).
!img = !quant.uniform<u8:f32, 0.1:3>
!f = !quant.uniform<i8<-127:127>:f32:3, {0.25, 0.5}>
!acc = !quant.uniform<i32:f32:3, {0.025, 0.05}>
!bias = !quant.uniform<i32:f32:0, {0.025, 0.05}>

// CHECK-LABEL: func @zero_point_conv_padded
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x1x
// CHECK-DAG: %[[B:.*]] = qnn.constant dense<[-143, -370]> : tensor<2xi32>
// CHECK-DAG: %[[F:.*]] = qnn.constant dense<{{.*}}> : tensor<3x3x1x2xi8>
// CHECK: %[[P:.*]] = qnn.pad %[[X]] low = [0, 1, 1, 0] high = [0, 0, 0, 0] : tensor<1x4x4x1x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<1x5x5x1x!quant.uniform<u8:f32, 1.000000e-01:3>>
// CHECK: %[[S:.*]] = quant.scast %[[P]] : {{.*}} to tensor<1x5x5x1xi8>
// CHECK: %[[X0:.*]] = quant.scast %[[S]] : tensor<1x5x5x1xi8> to tensor<1x5x5x1x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: qnn.conv2d %[[X0]], %[[F]], %[[B]] {strides = array<i64: 2, 2>} :
func.func @zero_point_conv_padded(%x: tensor<1x4x4x1x!img>) -> tensor<1x2x2x2x!acc> {
  %f = qnn.constant dense<[[[[1, 2]], [[3, 4]], [[5, 6]]], [[[7, 8]], [[9, 10]], [[11, 12]]], [[[13, 14]], [[15, 16]], [[17, 18]]]]> : tensor<3x3x1x2xi8> -> tensor<3x3x1x2x!f>
  %b = qnn.constant dense<[100, -100]> : tensor<2xi32> -> tensor<2x!bias>
  %acc = qnn.conv2d %x, %f, %b {strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>}
      : (tensor<1x4x4x1x!img>, tensor<3x3x1x2x!f>, tensor<2x!bias>) -> tensor<1x2x2x2x!acc>
  return %acc : tensor<1x2x2x2x!acc>
}

// -----

// A batch matmul's bias is per channel: the batches' corrections must agree.
// %same: column sums [4, 6] in both batches, bias 5 * [4, 6]; %differ: the
// second batch's first column sums to 5.
!x = !quant.uniform<i8:f32, 0.1:-5>
!w = !quant.uniform<i8<-127:127>:f32, 0.5>
!acc = !quant.uniform<i32:f32, 0.05>

// CHECK-LABEL: func @zero_point_batch_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x2x
// CHECK-DAG: %[[B:.*]] = qnn.constant dense<[20, 30]> : tensor<2xi32>
// CHECK-DAG: %[[SAME:.*]] = qnn.constant dense<{{\[\[\[}}1, 2], [3, 4]], {{\[\[}}4, 1], [0, 5]]]>
// CHECK-DAG: %[[DIFFER:.*]] = qnn.constant dense<{{\[\[\[}}1, 2], [3, 4]], {{\[\[}}4, 1], [1, 5]]]>
// CHECK: %[[X0:.*]] = quant.scast %{{.*}} to tensor<2x3x2x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK: qnn.batch_matmul %[[X0]], %[[SAME]], %[[B]]
// CHECK: qnn.batch_matmul %[[X]], %[[DIFFER]] :
func.func @zero_point_batch_matmul(%x: tensor<2x3x2x!x>) -> (tensor<2x3x2x!acc>, tensor<2x3x2x!acc>) {
  %same = qnn.constant dense<[[[1, 2], [3, 4]], [[4, 1], [0, 5]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!w>
  %differ = qnn.constant dense<[[[1, 2], [3, 4]], [[4, 1], [1, 5]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!w>
  %a = qnn.batch_matmul %x, %same : (tensor<2x3x2x!x>, tensor<2x2x2x!w>) -> tensor<2x3x2x!acc>
  %b = qnn.batch_matmul %x, %differ : (tensor<2x3x2x!x>, tensor<2x2x2x!w>) -> tensor<2x3x2x!acc>
  return %a, %b : tensor<2x3x2x!acc>, tensor<2x3x2x!acc>
}

// -----

// Asymmetric weights (zero point 3 in channel 1): their zero point times the
// input sum depends on the input, so nothing is folded.
!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8:f32:1, {0.01:0, 0.02:3}>
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>

// CHECK-LABEL: func @zero_point_asymmetric_weights
// CHECK-SAME: (%[[X:.*]]: tensor
// CHECK-NOT: quant.scast
// CHECK: qnn.matmul %[[X]], %{{[^,]*}} :
func.func @zero_point_asymmetric_weights(%x: tensor<2x4x!x>) -> tensor<2x2x!acc> {
  %w = qnn.constant dense<1> : tensor<4x2xi8> -> tensor<4x2x!w>
  %acc = qnn.matmul %x, %w : (tensor<2x4x!x>, tensor<4x2x!w>) -> tensor<2x2x!acc>
  return %acc : tensor<2x2x!acc>
}

// -----

// K = 100,000 products of u8 inputs and weight 127: with the zero point
// subtracted each term lies in [-128 * 127, 127 * 127] and every partial sum
// within +-1.63e9; without it the terms reach 255 * 127, and their sum
// 3.24e9 passes 2^31. The fold is skipped.
!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32, 0.01>
!acc = !quant.uniform<i32:f32, 2.0e-4>

// CHECK-LABEL: func @zero_point_overflow
// CHECK-SAME: (%[[X:.*]]: tensor
// CHECK-NOT: quant.scast
// CHECK: qnn.matmul %[[X]], %{{[^,]*}} :
func.func @zero_point_overflow(%x: tensor<1x100000x!x>) -> tensor<1x1x!acc> {
  %w = qnn.constant dense<127> : tensor<100000x1xi8> -> tensor<100000x1x!w>
  %acc = qnn.matmul %x, %w : (tensor<1x100000x!x>, tensor<100000x1x!w>) -> tensor<1x1x!acc>
  return %acc : tensor<1x1x!acc>
}

// -----

//===----------------------------------------------------------------------===//
// Two layers
//===----------------------------------------------------------------------===//

// conv (zero padding, bias, ReLU) -> 2x2 max pool -> conv: the first conv's
// requantize feeds the pool, whose result feeds the second conv directly.
// Bias: 0.1 / 3.9215689e-05 = 2549.99986 -> 2550, -0.1 / 7.8431378e-05 =
// -1274.99993 -> -1275.
!img = !quant.uniform<u8:f32, 0.0039215689:0>
!f1 = !quant.uniform<i8<-127:127>:f32:3, {0.01, 0.02}>
!acc1 = !quant.uniform<i32:f32:3, {3.9215689e-05, 7.8431378e-05}>
!h = !quant.uniform<u8:f32, 0.05:0>
!f2 = !quant.uniform<i8<-127:127>:f32:3, {0.03}>
!acc2 = !quant.uniform<i32:f32:3, {1.5e-03}>
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
#bc = affine_map<(n, h, w, c) -> (c)>

// CHECK-LABEL: func @conv_relu_pool_conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x1xf32>)
// CHECK-DAG: %[[B:.*]] = qnn.constant dense<[2550, -1275]> : tensor<2xi32>
// CHECK-DAG: %[[F2:.*]] = qnn.constant dense<2>
// CHECK-DAG: %[[F1:.*]] = qnn.constant dense<1>
// CHECK: %[[XQ:.*]] = qnn.quantize %[[X]]
// CHECK: %[[ACC1:.*]] = qnn.conv2d %[[XQ]], %[[F1]], %[[B]] {padding = array<i64: 1, 1, 1, 1>}
// CHECK: %[[H:.*]] = qnn.requantize %[[ACC1]] {clamp_min = 0 : i64}
// CHECK: %[[P:.*]] = qnn.max_pool2d %[[H]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
// CHECK: %[[ACC2:.*]] = qnn.conv2d %[[P]], %[[F2]] :
// CHECK: %[[OUT:.*]] = quant.dcast %[[ACC2]]
// CHECK: return %[[OUT]]
func.func @conv_relu_pool_conv(%x: tensor<1x8x8x1xf32>) -> tensor<1x2x2x1xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x8x1xf32> to tensor<1x10x10x1xf32>
  %xq = qnn.quantize %p : tensor<1x10x10x1xf32> -> tensor<1x10x10x1x!img>
  %f1 = qnn.constant dense<1> : tensor<3x3x1x2xi8> -> tensor<3x3x1x2x!f1>
  %acc1 = qnn.conv2d %xq, %f1 : (tensor<1x10x10x1x!img>, tensor<3x3x1x2x!f1>) -> tensor<1x8x8x2x!acc1>
  %y = quant.dcast %acc1 : tensor<1x8x8x2x!acc1> to tensor<1x8x8x2xf32>
  %b = arith.constant dense<[0.1, -0.1]> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x8x8x2xf32>
  %yb = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %b : tensor<1x8x8x2xf32>, tensor<2xf32>) outs(%e : tensor<1x8x8x2xf32>) {
  ^bb0(%a: f32, %bi: f32, %o: f32):
    %s = arith.addf %a, %bi : f32
    linalg.yield %s : f32
  } -> tensor<1x8x8x2xf32>
  %yr = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%yb : tensor<1x8x8x2xf32>) outs(%e : tensor<1x8x8x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %pe = tensor.empty() : tensor<1x4x4x2xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %k = tensor.empty() : tensor<2x2xf32>
  %pool = linalg.pooling_nhwc_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%yr, %k : tensor<1x8x8x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %hq = qnn.quantize %pool : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!h>
  %f2 = qnn.constant dense<2> : tensor<3x3x2x1xi8> -> tensor<3x3x2x1x!f2>
  %acc2 = qnn.conv2d %hq, %f2 : (tensor<1x4x4x2x!h>, tensor<3x3x2x1x!f2>) -> tensor<1x2x2x1x!acc2>
  %out = quant.dcast %acc2 : tensor<1x2x2x1x!acc2> to tensor<1x2x2x1xf32>
  return %out : tensor<1x2x2x1xf32>
}
