// RUN: qnn-opt %s --split-input-file | qnn-opt | FileCheck %s
// RUN: qnn-opt %s --split-input-file --mlir-print-op-generic | qnn-opt | FileCheck %s

// CHECK-LABEL: func @constant_per_axis
// CHECK: qnn.constant dense<{{\[\[}}33, -66, 127], [0, 0, 0], [-119, -127, -117]]> : tensor<3x3xi8> -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0, {3.500000e-04,1.000000e+00,3.400000e-04}>>
func.func @constant_per_axis() -> tensor<3x3xf32> {
  %q = qnn.constant dense<[[33, -66, 127], [0, 0, 0], [-119, -127, -117]]> : tensor<3x3xi8>
      -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0, {3.5e-4, 1.0, 3.4e-4}>>
  %f = quant.dcast %q : tensor<3x3x!quant.uniform<i8<-127:127>:f32:0, {3.5e-4, 1.0, 3.4e-4}>> to tensor<3x3xf32>
  return %f : tensor<3x3xf32>
}

// -----

// CHECK-LABEL: func @constant_with_error
// CHECK: qnn.constant dense<[1, -2]> : tensor<2xi8> {error = #qnn.error<max_abs = 2.500000e-01, mean_abs = 1.250000e-01, mse = 3.125000e-02, sqnr_db = inf>}
// CHECK-SAME: -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
func.func @constant_with_error() -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  %q = qnn.constant dense<[1, -2]> : tensor<2xi8>
      {error = #qnn.error<max_abs = 0.25, mean_abs = 0.125, mse = 0.03125, sqnr_db = inf>}
      -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// CHECK-LABEL: func @constant_negative_sqnr
// CHECK: sqnr_db = -inf
func.func @constant_negative_sqnr() -> tensor<1x!quant.uniform<i8:f32, 0.5>> {
  %q = qnn.constant dense<1> : tensor<1xi8>
      {error = #qnn.error<max_abs = 0.5, mean_abs = 0.5, mse = 0.25, sqnr_db = -inf>}
      -> tensor<1x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<1x!quant.uniform<i8:f32, 0.5>>
}

// -----

// CHECK-LABEL: func @constant_int4_sub_channel
// CHECK: qnn.constant dense<{{\[\[}}7, -7, 1, 0]]> : tensor<1x4xi4> -> tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{\{\{}}1.000000e+00, 2.000000e+00}}>>
func.func @constant_int4_sub_channel() -> tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{1.0, 2.0}}>> {
  %q = qnn.constant dense<[[7, -7, 1, 0]]> : tensor<1x4xi4>
      -> tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{1.0, 2.0}}>>
  return %q : tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{1.0, 2.0}}>>
}

// -----

// CHECK-LABEL: func @quantize
// CHECK: qnn.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
// CHECK: qnn.quantize %{{.*}} {rounding = #qnn.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
func.func @quantize(%x: tensor<4xf32>) -> (tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>) {
  %a = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %b = qnn.quantize %x {rounding = #qnn.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return %a, %b : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>
}
