// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg | FileCheck %s

// qnn.constant becomes an arith.constant of the stored integers; a per-tensor
// dequantize with zero point 0 widens, converts and scales (no subtraction).
// CHECK-LABEL: func.func @constant_per_tensor
// CHECK-SAME: () -> tensor<2x3xf32>
// CHECK: %[[Q:.*]] = arith.constant dense<{{\[\[}}1, -2, 3], [127, -127, 0]]> : tensor<2x3xi8>
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[Q]] : tensor<2x3xi8>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: i8, %{{.*}}: f32):
// CHECK: %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[WIDE:.*]] = arith.extsi %[[IN]] : i8 to i32
// CHECK-NOT: arith.subi
// CHECK: %[[REAL:.*]] = arith.sitofp %[[WIDE]] : i32 to f32
// CHECK: %[[R:.*]] = arith.mulf %[[REAL]], %[[SCALE]] : f32
// CHECK: linalg.yield %[[R]] : f32
// CHECK-NOT: qnn.
// CHECK-NOT: quant.
func.func @constant_per_tensor() -> tensor<2x3xf32> {
  %q = qnn.constant dense<[[1, -2, 3], [127, -127, 0]]> : tensor<2x3xi8>
      -> tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %f = quant.dcast %q : tensor<2x3x!quant.uniform<i8<-127:127>:f32, 0.5>> to tensor<2x3xf32>
  return %f : tensor<2x3xf32>
}

// -----

// Unsigned storage spelled ui8 in the constant becomes signless i8 (255 and
// 128 print as -1 and -128); it is widened with extui and the zero point
// subtracted in i32.
// CHECK-LABEL: func.func @constant_u8
// CHECK: arith.constant dense<[-1, 0, -128]> : tensor<3xi8>
// CHECK: linalg.generic
// CHECK: %[[ZP:.*]] = arith.constant 128 : i32
// CHECK: %[[WIDE:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK: %[[SHIFTED:.*]] = arith.subi %[[WIDE]], %[[ZP]] : i32
// CHECK: arith.sitofp %[[SHIFTED]] : i32 to f32
func.func @constant_u8() -> tensor<3xf32> {
  %q = qnn.constant dense<[255, 0, 128]> : tensor<3xui8>
      -> tensor<3x!quant.uniform<u8:f32, 0.5:128>>
  %f = quant.dcast %q : tensor<3x!quant.uniform<u8:f32, 0.5:128>> to tensor<3xf32>
  return %f : tensor<3xf32>
}

// -----

// Per-axis: scales and (non-zero) zero points are 1-D constants read through
// the axis loop. The signature is converted to the storage type.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis
// CHECK-SAME: (%[[ARG:.*]]: tensor<3x2xi8>) -> tensor<3x2xf32>
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<[1, -2]> : tensor<2xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$AXIS]], #[[$AXIS]], #[[$ID]]]
// CHECK-SAME: ins(%[[ARG]], %[[SCALES]], %[[ZPS]] : tensor<3x2xi8>, tensor<2xf32>, tensor<2xi32>)
// CHECK: ^bb0(%[[IN:.*]]: i8, %[[SCALE:.*]]: f32, %[[ZP:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[WIDE:.*]] = arith.extsi %[[IN]] : i8 to i32
// CHECK: %[[SHIFTED:.*]] = arith.subi %[[WIDE]], %[[ZP]] : i32
// CHECK: %[[REAL:.*]] = arith.sitofp %[[SHIFTED]] : i32 to f32
// CHECK: arith.mulf %[[REAL]], %[[SCALE]] : f32
func.func @per_axis(%q: tensor<3x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>>) -> tensor<3x2xf32> {
  %f = quant.dcast %q : tensor<3x2x!quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>> to tensor<3x2xf32>
  return %f : tensor<3x2xf32>
}

// -----

// Per-axis with all zero points 0 needs no zero-point tensor; a dynamic
// dimension is sized from the input.
// CHECK-LABEL: func.func @per_axis_dynamic
// CHECK-SAME: (%[[ARG:.*]]: tensor<?x4xi8>)
// CHECK: %[[DIM:.*]] = tensor.dim %[[ARG]], %{{.*}} : tensor<?x4xi8>
// CHECK: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK: %[[INIT:.*]] = tensor.empty(%[[DIM]]) : tensor<?x4xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ARG]], %[[SCALES]] : tensor<?x4xi8>, tensor<4xf32>) outs(%[[INIT]] : tensor<?x4xf32>)
// CHECK-NOT: arith.subi
// CHECK: linalg.yield
func.func @per_axis_dynamic(%q: tensor<?x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0, 2.0}>>) -> tensor<?x4xf32> {
  %f = quant.dcast %q : tensor<?x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0, 2.0}>> to tensor<?x4xf32>
  return %f : tensor<?x4xf32>
}

// -----

// Sub-channel (per-group) i4: the grouped dimension is split into
// [groups, group size] so that the parameter map stays a projected
// permutation, then collapsed back.
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$GROUP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @sub_channel_i4
// CHECK-SAME: (%[[ARG:.*]]: tensor<4x6xi4>)
// CHECK: %[[EXPANDED:.*]] = tensor.expand_shape %[[ARG]] {{\[\[}}0, 1], [2]] output_shape [2, 2, 6] : tensor<4x6xi4> into tensor<2x2x6xi4>
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<{{.*}}> : tensor<2x6xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<{{\[\[}}1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]> : tensor<2x6xi32>
// CHECK: %[[GENERIC:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$GROUP]], #[[$GROUP]], #[[$ID3]]]
// CHECK-SAME: ins(%[[EXPANDED]], %[[SCALES]], %[[ZPS]] : tensor<2x2x6xi4>, tensor<2x6xf32>, tensor<2x6xi32>)
// CHECK: arith.extsi %{{.*}} : i4 to i32
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[GENERIC]] {{\[\[}}0, 1], [2]] : tensor<2x2x6xf32> into tensor<4x6xf32>
// CHECK: return %[[R]]
func.func @sub_channel_i4(%q: tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:1}, {{0.5:1, 0.25:0, 1.0:0, 2.0:0, 4.0:0, 8.0:0}, {0.5:0, 0.25:0, 1.0:0, 2.0:0, 4.0:0, 8.0:0}}>>) -> tensor<4x6xf32> {
  %f = quant.dcast %q : tensor<4x6x!quant.uniform<i4:f32:{0:2, 1:1}, {{0.5:1, 0.25:0, 1.0:0, 2.0:0, 4.0:0, 8.0:0}, {0.5:0, 0.25:0, 1.0:0, 2.0:0, 4.0:0, 8.0:0}}>> to tensor<4x6xf32>
  return %f : tensor<4x6xf32>
}

// -----

// A scalar dequantize needs no linalg op.
// CHECK-LABEL: func.func @scalar
// CHECK-SAME: (%[[ARG:.*]]: i8) -> f32
// CHECK: %[[WIDE:.*]] = arith.extsi %[[ARG]] : i8 to i32
// CHECK: %[[SHIFTED:.*]] = arith.subi %[[WIDE]], %{{.*}} : i32
// CHECK: %[[REAL:.*]] = arith.sitofp %[[SHIFTED]] : i32 to f32
// CHECK: %[[R:.*]] = arith.mulf %[[REAL]], %{{.*}} : f32
// CHECK: return %[[R]] : f32
func.func @scalar(%q: !quant.uniform<i8:f32, 0.5:3>) -> f32 {
  %f = quant.dcast %q : !quant.uniform<i8:f32, 0.5:3> to f32
  return %f : f32
}

// -----

// qnn.quantize, half to even: divide (not multiply by the reciprocal),
// roundeven, add the zero point as a float, clamp to the storage range,
// NaN to the zero point, fptosi.
// CHECK-LABEL: func.func @quantize_half_to_even
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>) -> tensor<4xi8>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant -3.000000e+00 : f32
// CHECK: %[[SCALED:.*]] = arith.divf %[[IN]], %[[SCALE]] : f32
// CHECK: %[[ROUNDED:.*]] = math.roundeven %[[SCALED]] : f32
// CHECK: %[[SHIFTED:.*]] = arith.addf %[[ROUNDED]], %[[ZP]] : f32
// CHECK-DAG: %[[QMIN:.*]] = arith.constant -1.280000e+02 : f32
// CHECK-DAG: %[[QMAX:.*]] = arith.constant 1.270000e+02 : f32
// CHECK: %[[LOW:.*]] = arith.maximumf %[[SHIFTED]], %[[QMIN]] : f32
// CHECK: %[[CLAMPED:.*]] = arith.minimumf %[[LOW]], %[[QMAX]] : f32
// CHECK: %[[ISNAN:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK: %[[SELECTED:.*]] = arith.select %[[ISNAN]], %[[ZP]], %[[CLAMPED]] : f32
// CHECK: %[[Q:.*]] = arith.fptosi %[[SELECTED]] : f32 to i8
// CHECK: linalg.yield %[[Q]] : i8
func.func @quantize_half_to_even(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.25:-3>> {
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
}

// -----

// Half away from zero uses math.round; unsigned storage clamps to [0, 255]
// and converts with fptoui.
// CHECK-LABEL: func.func @quantize_half_away_u8
// CHECK: arith.divf
// CHECK: math.round %{{.*}} : f32
// CHECK-NOT: math.roundeven
// CHECK-DAG: arith.constant 0.000000e+00 : f32
// CHECK-DAG: arith.constant 2.550000e+02 : f32
// CHECK: arith.cmpf uno
// CHECK: arith.fptoui %{{.*}} : f32 to i8
func.func @quantize_half_away_u8(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 0.1:3>> {
  %q = qnn.quantize %x {rounding = #qnn.rounding<half_away_from_zero>}
      : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

// 4-bit narrow storage clamps to [-7, 7]; a zero point of 0 is not added
// and NaN selects 0.
// CHECK-LABEL: func.func @quantize_i4
// CHECK-SAME: -> tensor<8xi4>
// CHECK: math.roundeven
// CHECK-NOT: arith.addf
// CHECK-DAG: arith.constant -7.000000e+00 : f32
// CHECK-DAG: arith.constant 7.000000e+00 : f32
// CHECK: %[[ISNAN:.*]] = arith.cmpf uno
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.select %[[ISNAN]], %[[ZERO]], %{{.*}} : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i4
func.func @quantize_i4(%x: tensor<8xf32>) -> tensor<8x!quant.uniform<i4<-7:7>:f32, 0.5>> {
  %q = qnn.quantize %x : tensor<8xf32> -> tensor<8x!quant.uniform<i4<-7:7>:f32, 0.5>>
  return %q : tensor<8x!quant.uniform<i4<-7:7>:f32, 0.5>>
}

// -----

// Per-axis quantize: float zero points, one per channel.
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[SCALES]], %[[ZPS]] : tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[SCALE:.*]]: f32, %[[ZP:.*]]: f32, %{{.*}}: i8):
// CHECK: arith.divf %[[IN]], %[[SCALE]] : f32
// CHECK: arith.addf %{{.*}}, %[[ZP]] : f32
// CHECK: arith.select %{{.*}}, %[[ZP]], %{{.*}} : f32
func.func @quantize_per_axis(%x: tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32:0, {0.5:1, 0.25:-2}>> {
  %q = qnn.quantize %x : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<i8:f32:0, {0.5:1, 0.25:-2}>>
  return %q : tensor<2x2x!quant.uniform<i8:f32:0, {0.5:1, 0.25:-2}>>
}

// -----

// quant.qcast rounds half to even (upstream's lower-quant-ops would
// truncate); quant.scast disappears.
// CHECK-LABEL: func.func @qcast_scast
// CHECK-SAME: -> tensor<4xi8>
// CHECK: %[[Q:.*]] = linalg.generic
// CHECK: math.roundeven
// CHECK: arith.fptosi
// CHECK-NOT: quant.scast
// CHECK: return %[[Q]] : tensor<4xi8>
func.func @qcast_scast(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %s = quant.scast %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>> to tensor<4xi8>
  return %s : tensor<4xi8>
}

// -----

// Storage wider than 16 bits widens to i64 and clamps in f64, where i32's
// range is exact.
// CHECK-LABEL: func.func @i32_storage
// CHECK: math.roundeven %{{.*}} : f32
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: arith.fptosi %{{.*}} : f64 to i32
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.sitofp %{{.*}} : i64 to f32
func.func @i32_storage(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 0.5:3>>
  %f = quant.dcast %q : tensor<4x!quant.uniform<i32:f32, 0.5:3>> to tensor<4xf32>
  return %f : tensor<4xf32>
}

// -----

// Signatures, calls, scf loops and data-movement tensor ops take the storage
// type.
// CHECK-LABEL: func.func private @callee(tensor<4x8xi8>) -> tensor<4x8xi8>
// CHECK-LABEL: func.func @structural
// CHECK-SAME: (%[[ARG:.*]]: tensor<4x8xi8>, %[[N:.*]]: index) -> tensor<2x8xi8>
// CHECK: %[[LOOP:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[ARG]]) -> (tensor<4x8xi8>)
// CHECK: %[[CALL:.*]] = func.call @callee(%[[ACC]]) : (tensor<4x8xi8>) -> tensor<4x8xi8>
// CHECK: scf.yield %[[CALL]] : tensor<4x8xi8>
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[LOOP]][0, 0] [2, 8] [1, 1] : tensor<4x8xi8> to tensor<2x8xi8>
// CHECK: return %[[SLICE]] : tensor<2x8xi8>
func.func private @callee(tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x8x!quant.uniform<i8:f32, 0.5>>
func.func @structural(%q: tensor<4x8x!quant.uniform<i8:f32, 0.5>>, %n: index) -> tensor<2x8x!quant.uniform<i8:f32, 0.5>> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %q) -> tensor<4x8x!quant.uniform<i8:f32, 0.5>> {
    %c = func.call @callee(%acc) : (tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x8x!quant.uniform<i8:f32, 0.5>>
    scf.yield %c : tensor<4x8x!quant.uniform<i8:f32, 0.5>>
  }
  %s = tensor.extract_slice %r[0, 0] [2, 8] [1, 1] : tensor<4x8x!quant.uniform<i8:f32, 0.5>> to tensor<2x8x!quant.uniform<i8:f32, 0.5>>
  return %s : tensor<2x8x!quant.uniform<i8:f32, 0.5>>
}

// -----

// linalg.transpose, linalg.broadcast and linalg.copy move quantized values
// without looking at them: they are rebuilt on the storage integers, and so
// are the tensor.empty and tensor.concat around them.
// CHECK-LABEL: func.func @linalg_data_movement
// CHECK-SAME: (%[[A:.*]]: tensor<2x4xi8>, %[[V:.*]]: tensor<4xi8>) -> tensor<8x2xi8>
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<4x2xi8>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[A]] : tensor<2x4xi8>) outs(%[[E1]] : tensor<4x2xi8>) permutation = [1, 0]
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[V]] : tensor<4xi8>) outs(%{{.*}} : tensor<4x2xi8>) dimensions = [1]
// CHECK: %[[C:.*]] = linalg.copy ins(%[[B]] : tensor<4x2xi8>) outs(%{{.*}} : tensor<4x2xi8>) -> tensor<4x2xi8>
// CHECK: %[[R:.*]] = tensor.concat dim(0) %[[T]], %[[C]] : (tensor<4x2xi8>, tensor<4x2xi8>) -> tensor<8x2xi8>
// CHECK: return %[[R]] : tensor<8x2xi8>
!u8 = !quant.uniform<u8:f32, 0.5:128>
func.func @linalg_data_movement(%a: tensor<2x4x!u8>, %v: tensor<4x!u8>) -> tensor<8x2x!u8> {
  %e1 = tensor.empty() : tensor<4x2x!u8>
  %t = linalg.transpose ins(%a : tensor<2x4x!u8>) outs(%e1 : tensor<4x2x!u8>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<4x2x!u8>
  %b = linalg.broadcast ins(%v : tensor<4x!u8>) outs(%e2 : tensor<4x2x!u8>) dimensions = [1]
  %e3 = tensor.empty() : tensor<4x2x!u8>
  %c = linalg.copy ins(%b : tensor<4x2x!u8>) outs(%e3 : tensor<4x2x!u8>) -> tensor<4x2x!u8>
  %r = tensor.concat dim(0) %t, %c : (tensor<4x2x!u8>, tensor<4x2x!u8>) -> tensor<8x2x!u8>
  return %r : tensor<8x2x!u8>
}

// -----

// IR without quantized types is left alone.
// CHECK-LABEL: func.func @untouched
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-NEXT: return %[[C]]
func.func @untouched() -> tensor<4xf32> {
  %c = arith.constant dense<1.0> : tensor<4xf32>
  return %c : tensor<4xf32>
}
