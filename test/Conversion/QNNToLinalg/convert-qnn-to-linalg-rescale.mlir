// convert-qnn-to-linalg on qnn.requantize, qnn.add and qnn.mul: one
// elementwise linalg.generic each, in fixed point (gemmlowp's
// MultiplyByQuantizedMultiplier with compile-time multipliers and shifts)
// or in float.
// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg | FileCheck %s

// Per-channel factors 0.125 / 0.25 = 2^30 * 2^(0 - 31) and 0.0625 / 0.25 =
// 2^30 * 2^(-1 - 31): one multiplier (a scalar), right shifts 0 and 1 read
// through the channel axis. The body: the saturating rounding doubling high
// multiply in i64 (gemmlowp's nudge, a truncating division), the rounding
// right shift (mask, threshold, shift), the clamp against bounds shifted by
// the zero point (clamp_min 3 - 3 = 0, 255 - 3 = 252), the zero point, the
// truncation to the storage type.
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
!out = !quant.uniform<u8:f32, 0.25:3>

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @requantize_per_channel
// CHECK-SAME: (%[[X:.*]]: tensor<4x2xi32>) -> tensor<4x2xi8>
// CHECK: %[[SHIFTS:.*]] = arith.constant dense<[0, 1]> : tensor<2xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[SHIFTS]] : tensor<4x2xi32>, tensor<2xi32>) outs(%{{.*}} : tensor<4x2xi8>)
// CHECK: ^bb0(%[[IN:.*]]: i32, %[[SHIFT:.*]]: i32, %{{.*}}: i8):
// CHECK-DAG: %[[M:.*]] = arith.constant 1073741824 : i32
// CHECK-DAG: %[[ZP:.*]] = arith.constant 3 : i32
// CHECK-DAG: %[[LO:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[HI:.*]] = arith.constant 252 : i32
// CHECK: %[[A:.*]] = arith.extsi %[[IN]] : i32 to i64
// CHECK: %[[B:.*]] = arith.extsi %[[M]] : i32 to i64
// CHECK: %[[AB:.*]] = arith.muli %[[A]], %[[B]] : i64
// CHECK: %[[NONNEG:.*]] = arith.cmpi sge, %[[AB]], %{{.*}} : i64
// CHECK-DAG: %[[UP:.*]] = arith.constant 1073741824 : i64
// CHECK-DAG: %[[DOWN:.*]] = arith.constant -1073741823 : i64
// CHECK: %[[NUDGE:.*]] = arith.select %[[NONNEG]], %[[UP]], %[[DOWN]] : i64
// CHECK: %[[NUDGED:.*]] = arith.addi %[[AB]], %[[NUDGE]] : i64
// CHECK: %[[TWO31:.*]] = arith.constant 2147483648 : i64
// CHECK: %[[Q:.*]] = arith.divsi %[[NUDGED]], %[[TWO31]] : i64
// CHECK: %[[SAT:.*]] = arith.minsi %[[Q]], %{{.*}} : i64
// CHECK: %[[HIGH:.*]] = arith.trunci %[[SAT]] : i64 to i32
// CHECK: %[[POW:.*]] = arith.shli %{{.*}}, %[[SHIFT]] : i32
// CHECK: %[[MASK:.*]] = arith.subi %[[POW]], %{{.*}} : i32
// CHECK: %[[REM:.*]] = arith.andi %[[HIGH]], %[[MASK]] : i32
// CHECK: %[[HALF:.*]] = arith.shrsi %[[MASK]], %{{.*}} : i32
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[HIGH]], %{{.*}} : i32
// CHECK: %[[BUMP:.*]] = arith.extui %[[NEG]] : i1 to i32
// CHECK: %[[THRESHOLD:.*]] = arith.addi %[[HALF]], %[[BUMP]] : i32
// CHECK: %[[ROUNDUP:.*]] = arith.cmpi sgt, %[[REM]], %[[THRESHOLD]] : i32
// CHECK: %[[SHIFTED:.*]] = arith.shrsi %[[HIGH]], %[[SHIFT]] : i32
// CHECK: %[[ONE:.*]] = arith.extui %[[ROUNDUP]] : i1 to i32
// CHECK: %[[R:.*]] = arith.addi %[[SHIFTED]], %[[ONE]] : i32
// CHECK: %[[C1:.*]] = arith.minsi %[[R]], %[[HI]] : i32
// CHECK: %[[C2:.*]] = arith.maxsi %[[C1]], %[[LO]] : i32
// CHECK: %[[OUT:.*]] = arith.addi %[[C2]], %[[ZP]] : i32
// CHECK: %[[T:.*]] = arith.trunci %[[OUT]] : i32 to i8
// CHECK: linalg.yield %[[T]] : i8
func.func @requantize_per_channel(%x: tensor<4x2x!acc>) -> tensor<4x2x!out> {
  %y = qnn.requantize %x {clamp_min = 3 : i64} : tensor<4x2x!acc> -> tensor<4x2x!out>
  return %y : tensor<4x2x!out>
}

// -----

// A factor of 3 = 0.75 * 2^2: the input is shifted left by 2 in i64 and
// saturated to int32 before the high multiply; no right shift.
// CHECK-LABEL: func.func @requantize_left_shift
// CHECK: %[[M:.*]] = arith.constant 1610612736 : i32
// CHECK: %[[L:.*]] = arith.constant 2 : i64
// CHECK: %[[W:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK: %[[S:.*]] = arith.shli %[[W]], %[[L]] : i64
// CHECK: arith.minsi %[[S]], %{{.*}} : i64
// CHECK: arith.maxsi
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK: arith.divsi
// CHECK-NOT: arith.shrsi
// CHECK: arith.trunci %{{.*}} : i32 to i16
func.func @requantize_left_shift(%x: tensor<8x!quant.uniform<i32:f32, 3.0>>) -> tensor<8x!quant.uniform<i16:f32, 1.0:5>> {
  %y = qnn.requantize %x : tensor<8x!quant.uniform<i32:f32, 3.0>> -> tensor<8x!quant.uniform<i16:f32, 1.0:5>>
  return %y : tensor<8x!quant.uniform<i16:f32, 1.0:5>>
}

// -----

// 8-bit input with a zero point: q - z in i32 first.
// CHECK-LABEL: func.func @requantize_u8_input
// CHECK: %[[ZIN:.*]] = arith.constant 128 : i32
// CHECK: %[[W:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK: arith.subi %[[W]], %[[ZIN]] : i32
func.func @requantize_u8_input(%x: tensor<8x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<8x!quant.uniform<i8:f32, 0.1:-3>> {
  %y = qnn.requantize %x : tensor<8x!quant.uniform<u8:f32, 0.05:128>> -> tensor<8x!quant.uniform<i8:f32, 0.1:-3>>
  return %y : tensor<8x!quant.uniform<i8:f32, 0.1:-3>>
}

// -----

// Float mode: dequantize (the accumulator converted from i64, exactly,
// times the per-channel scale) then quantize with the rounding named, into
// the clamp range.
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
!out = !quant.uniform<u8:f32, 0.25:3>

// CHECK-LABEL: func.func @requantize_float
// CHECK: %[[SCALES:.*]] = arith.constant dense<[1.250000e-01, 6.250000e-02]> : tensor<2xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[SCALES]] : tensor<4x2xi32>, tensor<2xf32>)
// CHECK: ^bb0(%[[IN:.*]]: i32, %[[SCALE:.*]]: f32, %{{.*}}: i8):
// CHECK-DAG: %[[SOUT:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-DAG: %[[ZOUT:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: %[[W:.*]] = arith.extsi %[[IN]] : i32 to i64
// CHECK: %[[F:.*]] = arith.sitofp %[[W]] : i64 to f32
// CHECK: %[[REAL:.*]] = arith.mulf %[[F]], %[[SCALE]] : f32
// CHECK: %[[DIV:.*]] = arith.divf %[[REAL]], %[[SOUT]] : f32
// CHECK: %[[ROUNDED:.*]] = math.round %[[DIV]] : f32
// CHECK: %[[SHIFTED:.*]] = arith.addf %[[ROUNDED]], %[[ZOUT]] : f32
// CHECK-DAG: %[[LO:.*]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 2.000000e+02 : f32
// CHECK: %[[C1:.*]] = arith.maximumf %[[SHIFTED]], %[[LO]] : f32
// CHECK: %[[C2:.*]] = arith.minimumf %[[C1]], %[[HI]] : f32
// CHECK: arith.fptoui %{{.*}} : f32 to i8
func.func @requantize_float(%x: tensor<4x2x!acc>) -> tensor<4x2x!out> {
  %y = qnn.requantize %x {mode = #qnn.rescale<float>, rounding = #qnn.rounding<half_away_from_zero>,
                          clamp_min = 10 : i64, clamp_max = 200 : i64} : tensor<4x2x!acc> -> tensor<4x2x!out>
  return %y : tensor<4x2x!out>
}

// -----

// TFLite's integer ADD: each side centred and shifted left by 20, scaled by
// QM(s / 2 max(s_l, s_r)) (0.25 = 2^30 * 2^(-1 - 31), 0.5 = 2^30 * 2^-31),
// summed in i64 and saturated, then scaled by QM(0.4 / (2^20 * 0.25))
// (1717986918, right shift 19).
// CHECK-LABEL: func.func @add_fixed
// CHECK: linalg.generic
// CHECK: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK-DAG: %[[ZL:.*]] = arith.constant -3 : i32
// CHECK-DAG: %[[ZR:.*]] = arith.constant 5 : i32
// CHECK-DAG: %[[MOUT:.*]] = arith.constant 1717986918 : i32
// CHECK-DAG: %[[SOUT:.*]] = arith.constant 19 : i32
// CHECK: %[[LW:.*]] = arith.extsi %[[L]] : i8 to i32
// CHECK: %[[LC:.*]] = arith.subi %[[LW]], %[[ZL]] : i32
// CHECK: %[[L20:.*]] = arith.constant 20 : i32
// CHECK: arith.shli %[[LC]], %[[L20]] : i32
// CHECK: %[[RW:.*]] = arith.extsi %[[R]] : i8 to i32
// CHECK: %[[RC:.*]] = arith.subi %[[RW]], %[[ZR]] : i32
// CHECK: arith.shli %[[RC]]
// CHECK: arith.divsi
// CHECK: %[[SUM:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// CHECK: arith.minsi %[[SUM]]
// CHECK: %[[B:.*]] = arith.extsi %[[MOUT]] : i32 to i64
// CHECK: arith.shrsi %{{.*}}, %[[SOUT]] : i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @add_fixed(%a: tensor<8x!quant.uniform<i8:f32, 0.1:-3>>, %b: tensor<8x!quant.uniform<i8:f32, 0.2:5>>)
    -> tensor<8x!quant.uniform<i8:f32, 0.25>> {
  %s = qnn.add %a, %b : (tensor<8x!quant.uniform<i8:f32, 0.1:-3>>, tensor<8x!quant.uniform<i8:f32, 0.2:5>>)
      -> tensor<8x!quant.uniform<i8:f32, 0.25>>
  return %s : tensor<8x!quant.uniform<i8:f32, 0.25>>
}

// -----

// Float ADD: the sum of the dequantized operands, quantized.
// CHECK-LABEL: func.func @add_float
// CHECK: %[[L:.*]] = arith.mulf
// CHECK: %[[R:.*]] = arith.mulf
// CHECK: %[[SUM:.*]] = arith.addf %[[L]], %[[R]] : f32
// CHECK: arith.divf %[[SUM]]
// CHECK: math.roundeven
func.func @add_float(%a: tensor<8x!quant.uniform<i8:f32, 0.1:-3>>, %b: tensor<8x!quant.uniform<i8:f32, 0.2:5>>)
    -> tensor<8x!quant.uniform<i8:f32, 0.25>> {
  %s = qnn.add %a, %b {mode = #qnn.rescale<float>} : (tensor<8x!quant.uniform<i8:f32, 0.1:-3>>, tensor<8x!quant.uniform<i8:f32, 0.2:5>>)
      -> tensor<8x!quant.uniform<i8:f32, 0.25>>
  return %s : tensor<8x!quant.uniform<i8:f32, 0.25>>
}

// -----

// MUL of u8 operands: the product of the centred values is exact in i32
// (no i64), then QM(0.1 * 0.1 / 0.05) = QM(0.2): 1717986918, right shift 2.
// CHECK-LABEL: func.func @mul_fixed
// CHECK: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[LW:.*]] = arith.extui %[[L]] : i8 to i32
// CHECK: %[[LC:.*]] = arith.subi %[[LW]], %{{.*}} : i32
// CHECK: %[[RW:.*]] = arith.extui %[[R]] : i8 to i32
// CHECK: %[[RC:.*]] = arith.subi %[[RW]], %{{.*}} : i32
// CHECK: %[[P:.*]] = arith.muli %[[LC]], %[[RC]] : i32
// CHECK: arith.extsi %[[P]] : i32 to i64
// CHECK: arith.constant 2147483648 : i64
func.func @mul_fixed(%a: tensor<8x!quant.uniform<u8:f32, 0.1:128>>, %b: tensor<8x!quant.uniform<u8:f32, 0.1:128>>)
    -> tensor<8x!quant.uniform<u8:f32, 0.05:128>> {
  %p = qnn.mul %a, %b : (tensor<8x!quant.uniform<u8:f32, 0.1:128>>, tensor<8x!quant.uniform<u8:f32, 0.1:128>>)
      -> tensor<8x!quant.uniform<u8:f32, 0.05:128>>
  return %p : tensor<8x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

// MUL of 16-bit operands: the product can leave int32, so it is formed in
// i64 and saturated.
// CHECK-LABEL: func.func @mul_i16
// CHECK: %[[P:.*]] = arith.muli %{{.*}}, %{{.*}} : i64
// CHECK: arith.minsi %[[P]]
// CHECK: arith.maxsi
// CHECK: arith.trunci %{{.*}} : i64 to i32
func.func @mul_i16(%a: tensor<8x!quant.uniform<i16:f32, 0.001:-30000>>, %b: tensor<8x!quant.uniform<i16:f32, 0.001:30000>>)
    -> tensor<8x!quant.uniform<i16:f32, 0.01>> {
  %p = qnn.mul %a, %b : (tensor<8x!quant.uniform<i16:f32, 0.001:-30000>>, tensor<8x!quant.uniform<i16:f32, 0.001:30000>>)
      -> tensor<8x!quant.uniform<i16:f32, 0.01>>
  return %p : tensor<8x!quant.uniform<i16:f32, 0.01>>
}
