// Every option of qnn-quantize-weights on hand-checkable weights.
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-tensor" | FileCheck %s --check-prefix=TENSOR
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-tensor range=full" | FileCheck %s --check-prefix=FULL
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-tensor bits=4" | FileCheck %s --check-prefix=INT4
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-tensor bits=4 rounding=half-away-from-zero" | FileCheck %s --check-prefix=INT4AWAY
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-tensor scheme=asymmetric signed=false" | FileCheck %s --check-prefix=ASYMU8
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-tensor scheme=asymmetric range=full" | FileCheck %s --check-prefix=ASYMI8
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-tensor signed=false" | FileCheck %s --check-prefix=SYMU8
// RUN: qnn-opt %s --qnn-quantize-weights="granularity=per-group group-size=2" | FileCheck %s --check-prefix=GROUP

// Weights [[1, -2], [0.5, 4]] as B [K, N].
// TENSOR-LABEL: func @small
// absmax 4, scale 4/127: 1 -> 31.75, -2 -> -63.5, 0.5 -> 15.875.
// TENSOR: qnn.constant dense<{{\[\[}}32, -64], [16, 127]]> : tensor<2x2xi8>
// TENSOR-SAME: -> tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.031496{{[0-9]*}}>>
// FULL: qnn.constant dense<{{\[\[}}32, -64], [16, 127]]> : tensor<2x2xi8>
// FULL-SAME: -> tensor<2x2x!quant.uniform<i8:f32, 0.031496{{[0-9]*}}>>
// 4-bit narrow [-7, 7], scale 4/7: 1 -> 1.75, 0.5 -> 0.875, and -2 -> -3.4999998
// in float32 (4/7 rounds up), so -3 with either rounding.
// INT4: qnn.constant dense<{{\[\[}}2, -3], [1, 7]]> : tensor<2x2xi4>
// INT4-SAME: -> tensor<2x2x!quant.uniform<i4<-7:7>:f32, 0.571428{{[0-9]*}}>>
// INT4AWAY: qnn.constant dense<{{\[\[}}2, -3], [1, 7]]> : tensor<2x2xi4>
func.func @small(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// Weights [[7, -3.5], [1, 0.5]]: scale 1 in 4 bits, so ties are exact.
// INT4-LABEL: func @ties
// INT4: qnn.constant dense<{{\[\[}}7, -4], [1, 0]]> : tensor<2x2xi4>
// INT4AWAY-LABEL: func @ties
// INT4AWAY: qnn.constant dense<{{\[\[}}7, -4], [1, 1]]> : tensor<2x2xi4>
func.func @ties(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[7.0, -3.5], [1.0, 0.5]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// Weights [[-1, 3], [0, 1]]: range [-1, 3], scale 4/255 (0.0157),
// zero point qmin + 63.75.
// ASYMU8-LABEL: func @asymmetric
// ASYMU8: qnn.constant dense<{{\[\[}}0, 255], [64, 128]]> : tensor<2x2xui8>
// ASYMU8-SAME: -> tensor<2x2x!quant.uniform<u8:f32, 0.015686{{[0-9]*}}:64>>
// ASYMI8-LABEL: func @asymmetric
// ASYMI8: qnn.constant dense<{{\[\[}}-128, 127], [-64, 0]]> : tensor<2x2xi8>
// ASYMI8-SAME: -> tensor<2x2x!quant.uniform<i8:f32, 0.015686{{[0-9]*}}:-64>>
func.func @asymmetric(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[-1.0, 3.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// Symmetric unsigned: scale = max / 255 = 4/255; 1 -> 63.75, 2 -> 127.49999
// in float32, negative values saturate to 0.
// SYMU8-LABEL: func @symmetric_unsigned
// SYMU8: qnn.constant dense<{{\[\[}}64, 127], [0, 255]]> : tensor<2x2xui8>
// SYMU8-SAME: -> tensor<2x2x!quant.uniform<u8:f32, 0.015686{{[0-9]*}}>>
func.func @symmetric_unsigned(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [-1.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// Per-group: B [K=4, N=2], one scale per output column and pair of rows.
// Blocks (rows 0-1, col 0) absmax 2, (rows 2-3, col 0) 8, (rows 0-1, col 1)
// 4, (rows 2-3, col 1) 2.
// GROUP-LABEL: func @groups
// GROUP: qnn.constant dense<{{\[\[}}64, 64], [127, 127], [-127, 64], [64, -127]]> : tensor<4x2xi8>
// GROUP-SAME: -> tensor<4x2x!quant.uniform<i8<-127:127>:f32:{0:2, 1:1}, {{\{\{}}0.0157480314, 0.0314960629}, {0.0629921257, 0.0157480314}}>>
func.func @groups(%x: tensor<3x4xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [2.0, 4.0], [-8.0, 1.0], [4.0, -2.0]]> : tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
