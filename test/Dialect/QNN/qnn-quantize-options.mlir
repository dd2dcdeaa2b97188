// The options of qnn-quantize on hand-checkable values. %x has the range
// [-0.5, 2.05], %img [-1.27, 2.55].
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json" | FileCheck %s --check-prefix=DEFAULT
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json ops=linalg.conv_2d_nhwc_hwcf" | FileCheck %s --check-prefix=ONLYCONV
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json ops=tosa.conv2d" | FileCheck %s --check-prefix=ONLYCONV
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json ops=model/linalg.conv_2d_nhwc_hwcf#0" | FileCheck %s --check-prefix=ONLYCONV
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json ops=fc2" | FileCheck %s --check-prefix=ONLYFC2
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json exclude=fc1,linalg.conv_2d_nhwc_hwcf" | FileCheck %s --check-prefix=ONLYFC2
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json ops=linalg.matmul exclude=fc1" | FileCheck %s --check-prefix=ONLYFC2
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json weight-granularity=per-tensor" | FileCheck %s --check-prefix=TENSOR
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json weight-range=full" | FileCheck %s --check-prefix=FULL
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json weight-scheme=asymmetric" | FileCheck %s --check-prefix=WASYM
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json rounding=half-away-from-zero" | FileCheck %s --check-prefix=AWAY
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json activation-signed=true" | FileCheck %s --check-prefix=SIGNED
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json activation-scheme=symmetric" | FileCheck %s --check-prefix=SYMU8
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-options-stats.json activation-scheme=symmetric activation-signed=true" | FileCheck %s --check-prefix=SYMI8

// fc1's B = [[127, -2], [2.5, 4]] per column: scale 127/127 = 1 (2.5 is a
// tie: 2 to even, 3 away from zero) and 4/127 (-2 -> -63.5 -> -64 either
// way). %x: scale 2.55 / 255 = 0.01, zero point 0.5 / 0.01 = 50.
// DEFAULT-LABEL: func @model
// DEFAULT-DAG: qnn.quantize %{{.*}} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0099999{{[0-9]*}}:50>>
// DEFAULT-DAG: qnn.constant dense<{{\[\[}}127, -64], [2, 127]]> : tensor<2x2xi8> {{.*}} -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {1.000000e+00,0.031496{{[0-9]*}}}>>
// DEFAULT-DAG: qnn.conv2d
// DEFAULT-NOT: linalg.matmul
// DEFAULT-NOT: linalg.conv

// ONLYCONV-LABEL: func @model
// ONLYCONV: linalg.matmul
// ONLYCONV: qnn.conv2d
// ONLYCONV: linalg.matmul
// ONLYCONV-NOT: qnn.matmul

// ONLYFC2-LABEL: func @model
// ONLYFC2: linalg.matmul
// ONLYFC2: linalg.conv_2d_nhwc_hwcf
// ONLYFC2: qnn.matmul
// ONLYFC2-NOT: qnn.

// One scale for the whole of B: absmax 127, scale 1.
// TENSOR: qnn.constant dense<{{\[\[}}127, -2], [2, 4]]> : tensor<2x2xi8> {{.*}} -> tensor<2x2x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>

// [-128, 127]: the scales (absmax / 127) and integers are the same.
// FULL: qnn.constant dense<{{\[\[}}127, -64], [2, 127]]> : tensor<2x2xi8> {{.*}} -> tensor<2x2x!quant.uniform<i8:f32:1, {1.000000e+00,0.031496{{[0-9]*}}}>>

// Asymmetric over [-127, 127] (254 steps), ranges widened to include 0:
// column [2.5, 127] -> [0, 127], scale 0.5, zero point -127 - 0 / 0.5 =
// -127; 127 -> 254 - 127 = 127, 2.5 -> 5 - 127 = -122. Column [-2, 4]:
// scale 6 / 254 = 0.023622, zero point round(-127 + 2 / 0.023622) =
// round(-42.33) = -42; -2 -> round(-84.67) - 42 = -127, 4 -> round(169.33)
// - 42 = 127.
// WASYM: qnn.constant dense<{{\[\[}}127, -127], [-122, 127]]> : tensor<2x2xi8> {{.*}} -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {5.000000e-01:-127,0.023622{{[0-9]*}}:-42}>>

// AWAY: qnn.quantize %{{.*}} {rounding = #qnn.rounding<half_away_from_zero>} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0099999{{[0-9]*}}:50>>
// AWAY: qnn.constant dense<{{\[\[}}127, -64], [3, 127]]>

// int8 [-128, 127] over [-0.5, 2.05]: scale 0.01, zero point -128 + 50 = -78.
// SIGNED: qnn.quantize %{{.*}} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<i8:f32, 0.0099999{{[0-9]*}}:-78>>

// Symmetric uint8 over [-1.27, 2.55]: scale 2.55 / 255 = 0.01, zero point 0
// (negative values saturate to 0).
// SYMU8: qnn.quantize %{{.*}} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2x!quant.uniform<u8:f32, 0.0099999{{[0-9]*}}>>

// Symmetric int8: scale max(1.27, 2.55) / 127 = 0.0200787.
// SYMI8: qnn.quantize %{{.*}} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2x!quant.uniform<i8:f32, 0.0200787{{[0-9]*}}>>

func.func @model(%x: tensor<3x2xf32>, %img: tensor<1x3x3x2xf32>) -> (tensor<3x2xf32>, tensor<1x3x3x2xf32>, tensor<3x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w1 = arith.constant dense<[[127.0, -2.0], [2.5, 4.0]]> : tensor<2x2xf32>
  %y1 = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>)
                      outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32> loc("fc1")
  %cempty = tensor.empty() : tensor<1x3x3x2xf32>
  %f = arith.constant dense<[[[[1.0, 2.0], [-1.0, -2.0]]]]> : tensor<1x1x2x2xf32>
  %c = linalg.conv_2d_nhwc_hwcf ins(%img, %f : tensor<1x3x3x2xf32>, tensor<1x1x2x2xf32>)
                                outs(%cempty : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %w2 = arith.constant dense<[[2.0, 1.0], [1.0, 2.0]]> : tensor<2x2xf32>
  %y2 = linalg.matmul ins(%x, %w2 : tensor<3x2xf32>, tensor<2x2xf32>)
                      outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32> loc("fc2")
  return %y1, %c, %y2 : tensor<3x2xf32>, tensor<1x3x3x2xf32>, tensor<3x2xf32>
}
