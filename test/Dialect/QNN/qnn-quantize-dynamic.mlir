// mode=dynamic: activation ranges at run time (ONNX DynamicQuantizeLinear),
// in upstream ops only. The arithmetic is spelled out in
// lib/Dialect/QNN/Transforms/DynamicQuantize.cpp.
// RUN: qnn-opt %s --split-input-file --qnn-quantize="mode=dynamic" | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-quantize="mode=dynamic weight-scheme=asymmetric" | FileCheck %s --check-prefix=WASYM
// RUN: qnn-opt %s --split-input-file --qnn-quantize="mode=dynamic rounding=half-away-from-zero" | FileCheck %s --check-prefix=AWAY

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[SCALAR3:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[COLUMN:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<3x2xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[STEPS:.*]] = arith.constant 2.550000e+02 : f32
// CHECK-DAG: %[[FLT_MIN:.*]] = arith.constant 1.17549435E-38 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// lo = min(x, 0), hi = max(x, 0): reductions from 0, ignoring NaN.
// CHECK: %[[R:.*]]:2 = linalg.reduce ins(%[[X]], %[[X]] : tensor<3x2xf32>, tensor<3x2xf32>) outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<f32>) dimensions = [0, 1]
// CHECK: arith.minnumf
// CHECK: arith.maxnumf
// CHECK: %[[LO:.*]] = tensor.extract %[[R]]#0[]
// CHECK: %[[HI:.*]] = tensor.extract %[[R]]#1[]
// scale = range == 0 ? 1 : max(range / 255, FLT_MIN)
// CHECK: %[[RANGE:.*]] = arith.subf %[[HI]], %[[LO]] : f32
// CHECK: %[[STEP:.*]] = arith.divf %[[RANGE]], %[[STEPS]] : f32
// CHECK: %[[NORMAL:.*]] = arith.maximumf %[[STEP]], %[[FLT_MIN]] : f32
// CHECK: %[[ISZERO:.*]] = arith.cmpf oeq, %[[RANGE]], %[[ZERO]] : f32
// CHECK: %[[SCALE:.*]] = arith.select %[[ISZERO]], %[[ONE]], %[[NORMAL]] : f32
// zp = clamp(round(0 - lo / scale), 0, 255)
// CHECK: %[[SHIFT:.*]] = arith.divf %[[LO]], %[[SCALE]] : f32
// CHECK: %[[NEG:.*]] = arith.subf %[[ZERO]], %[[SHIFT]] : f32
// CHECK: %[[ROUNDED:.*]] = math.roundeven %[[NEG]] : f32
// CHECK: %[[LOW:.*]] = arith.maximumf %[[ROUNDED]], %{{.*}} : f32
// CHECK: %[[ZP:.*]] = arith.minimumf %[[LOW]], %{{.*}} : f32
// CHECK: %[[ZPI:.*]] = arith.fptosi %[[ZP]] : f32 to i32
// q = isnan(x) ? zp : clamp(round(x / scale) + zp, 0, 255), stored as u8.
// CHECK: %[[XQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]], {{.*}}} ins(%[[X]], %[[SCALE]], %[[ZP]] : tensor<3x2xf32>, f32, f32) outs(%{{.*}} : tensor<3x2xi8>)
// CHECK: ^bb0(%[[E:.*]]: f32, %[[ES:.*]]: f32, %[[EZ:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[D:.*]] = arith.divf %[[E]], %[[ES]] : f32
// CHECK: %[[RD:.*]] = math.roundeven %[[D]] : f32
// CHECK: %[[S:.*]] = arith.addf %[[RD]], %[[EZ]] : f32
// CHECK: %[[MX:.*]] = arith.maximumf %[[S]]
// CHECK: %[[MN:.*]] = arith.minimumf %[[MX]]
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[E]], %[[E]] : f32
// CHECK: %[[SEL:.*]] = arith.select %[[NAN]], %[[EZ]], %[[MN]] : f32
// CHECK: arith.fptoui %[[SEL]] : f32 to i8
// The weights as in static mode (qnn-quantize-options.mlir: scales 1 and
// 4/127 per column), as storage integers.
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[}}127, -64], [2, 127]]> : tensor<2x2xi8>
// CHECK: %[[WS:.*]] = quant.scast %[[W]] : {{.*}} to tensor<2x2xi8>
// CHECK: %[[SW:.*]] = arith.constant dense<[1.000000e+00, 0.0314960629]> : tensor<2xf32>
// acc = sum (u8(x) - zp) * i8(w), in i32.
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[SCALAR3]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[XQ]], %[[WS]], %[[ZPI]] : tensor<3x2xi8>, tensor<2x2xi8>, i32) outs(%{{.*}} : tensor<3x2xi32>)
// CHECK: ^bb0(%[[QX:.*]]: i8, %[[QW:.*]]: i8, %[[Z:.*]]: i32, %[[SUM:.*]]: i32):
// CHECK: %[[WX:.*]] = arith.extui %[[QX]] : i8 to i32
// CHECK: %[[CX:.*]] = arith.subi %[[WX]], %[[Z]] : i32
// CHECK: %[[WW:.*]] = arith.extsi %[[QW]] : i8 to i32
// CHECK: %[[P:.*]] = arith.muli %[[CX]], %[[WW]] : i32
// CHECK: arith.addi %[[SUM]], %[[P]] : i32
// y = f32(acc) * (scale * s_w[n])
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[COLUMN]], #[[ID]]], {{.*}}} ins(%[[ACC]], %[[SCALE]], %[[SW]] : tensor<3x2xi32>, f32, tensor<2xf32>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK: ^bb0(%[[I:.*]]: i32, %[[SX:.*]]: f32, %[[SN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[M:.*]] = arith.mulf %[[SX]], %[[SN]] : f32
// CHECK: %[[F:.*]] = arith.sitofp %[[I]] : i32 to f32
// CHECK: arith.mulf %[[F]], %[[M]] : f32
// CHECK: return %[[Y]]

// Asymmetric weights subtract their per-channel zero points (here -127 and
// -42, as in qnn-quantize-options.mlir) in the contraction.
// WASYM-LABEL: func @matmul
// WASYM: %[[ZW:.*]] = arith.constant dense<[-127, -42]> : tensor<2xi32>
// WASYM: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZW]] : tensor<3x2xi8>, tensor<2x2xi8>, i32, tensor<2xi32>)
// WASYM: arith.extui
// WASYM: arith.subi
// WASYM: arith.extsi
// WASYM: arith.subi

// AWAY-LABEL: func @matmul
// AWAY-NOT: math.roundeven
// AWAY: math.round
// AWAY: math.round
// AWAY-NOT: math.roundeven
func.func @matmul(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w = arith.constant dense<[[127.0, -2.0], [2.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// One reduction and one quantization per activation, however many ops read
// it; a transposed read transposes the integers.

// CHECK-LABEL: func @shared
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: linalg.reduce ins(%[[X]], %[[X]]
// CHECK-NOT: linalg.reduce
// CHECK: %[[XQ:.*]] = linalg.generic {{.*}} ins(%[[X]], {{.*}} outs(%{{.*}} : tensor<2x3xi8>)
// CHECK-NOT: linalg.reduce
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[XQ]] : tensor<2x3xi8>) outs(%{{.*}} : tensor<3x2xi8>) permutation = [1, 0]
// CHECK: linalg.generic {{.*}} ins(%[[T]], %{{.*}}, %{{.*}} : tensor<3x2xi8>, tensor<2x2xi8>, i32)
// CHECK-NOT: linalg.reduce
// CHECK: linalg.generic {{.*}} ins(%[[XQ]], %{{.*}}, %{{.*}} : tensor<2x3xi8>, tensor<3x2xi8>, i32)
func.func @shared(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x2xf32>) {
  %empty = tensor.empty() : tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %y1 = linalg.matmul indexing_maps = [
         affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>,
         affine_map<(m, n, k) -> (m, n)>]
       ins(%x, %w : tensor<2x3xf32>, tensor<2x2xf32>)
       outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %empty2 = tensor.empty() : tensor<2x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %y2 = linalg.matmul ins(%x, %w2 : tensor<2x3xf32>, tensor<3x2xf32>)
                      outs(%empty2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y1, %y2 : tensor<3x2xf32>, tensor<2x2xf32>
}

// -----

// Activation x activation: both quantized at run time, both zero points
// subtracted, both scales multiplied. The init is added back in fp32.

// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func @batch_matmul_activations
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<2x4x5xf32>, %[[INIT:.*]]: tensor<2x3x5xf32>)
// CHECK-DAG: linalg.reduce ins(%[[A]], %[[A]]
// CHECK-DAG: linalg.reduce ins(%[[B]], %[[B]]
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3x4xi8>, tensor<2x4x5xi8>, i32, i32) outs(%{{.*}} : tensor<2x3x5xi32>)
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[SCALAR]], #[[SCALAR]], #{{.*}}], {{.*}}} ins(%[[ACC]], %{{.*}}, %{{.*}} : tensor<2x3x5xi32>, f32, f32)
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[Y]], %[[INIT]] :
// CHECK: return %[[SUM]]
func.func @batch_matmul_activations(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %init: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %y = linalg.batch_matmul ins(%a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>)
                           outs(%init : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// -----

// Convolutions: the contraction reads the input through the window
// (stride 2, dilation 1 here) in the qnn layouts; a depthwise filter is the
// grouped [KH, KW, 1, C] one, whose input channel is the output channel.

// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d6)>
// CHECK-DAG: #[[HWCF:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>
// CHECK-DAG: #[[DEPTHWISE:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[NCHW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[FCHW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-LABEL: func @convolutions
// CHECK: linalg.generic {indexing_maps = [#[[WINDOW]], #[[HWCF]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins({{.*}} : tensor<1x5x5x2xi8>, tensor<1x1x2x2xi8>, i32) outs({{.*}} : tensor<1x3x3x2xi32>)
// CHECK: qnn.constant dense<{{\[\[\[\[}}127, 127]], {{\[\[}}-64, -64]]]]> : tensor<1x2x1x2xi8>
// CHECK: linalg.generic {indexing_maps = [#[[DEPTHWISE]], #[[HWCF]], {{.*}}]{{.*}} ins({{.*}} : tensor<1x4x4x2xi8>, tensor<1x2x1x2xi8>, i32) outs({{.*}} : tensor<1x4x3x2xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[NCHW]], #[[FCHW]], {{.*}}]{{.*}} ins({{.*}} : tensor<1x2x4x4xi8>, tensor<2x2x1x1xi8>, i32) outs({{.*}} : tensor<1x2x4x4xi32>)
func.func @convolutions(%img: tensor<1x5x5x2xf32>, %x: tensor<1x4x4x2xf32>, %nchw: tensor<1x2x4x4xf32>)
    -> (tensor<1x3x3x2xf32>, tensor<1x4x3x2xf32>, tensor<1x2x4x4xf32>) {
  %e1 = tensor.empty() : tensor<1x3x3x2xf32>
  %f1 = arith.constant dense<[[[[1.0, 2.0], [-1.0, -2.0]]]]> : tensor<1x1x2x2xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
          ins(%img, %f1 : tensor<1x5x5x2xf32>, tensor<1x1x2x2xf32>) outs(%e1 : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %e2 = tensor.empty() : tensor<1x4x3x2xf32>
  %f2 = arith.constant dense<[[[1.0, 2.0], [-0.5, -1.0]]]> : tensor<1x2x2xf32>
  %c2 = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %f2 : tensor<1x4x4x2xf32>, tensor<1x2x2xf32>)
                                          outs(%e2 : tensor<1x4x3x2xf32>) -> tensor<1x4x3x2xf32>
  %e3 = tensor.empty() : tensor<1x2x4x4xf32>
  %f3 = arith.constant dense<[[[[1.0]], [[-1.0]]], [[[2.0]], [[-2.0]]]]> : tensor<2x2x1x1xf32>
  %c3 = linalg.conv_2d_nchw_fchw ins(%nchw, %f3 : tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>)
                                 outs(%e3 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %c1, %c2, %c3 : tensor<1x3x3x2xf32>, tensor<1x4x3x2xf32>, tensor<1x2x4x4xf32>
}
