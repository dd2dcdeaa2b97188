// RUN: qnn-opt %s --split-input-file --verify-diagnostics

func.func @constant_float_value() {
  // expected-error @+1 {{value must be a dense integer elements attribute}}
  %q = qnn.constant dense<1.0> : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_index_value() {
  // expected-error @+1 {{value element type 'index' is not an integer type}}
  %q = qnn.constant dense<1> : tensor<2xindex> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_shape_mismatch() {
  // expected-error @+1 {{value shape [3] does not match result shape [2]}}
  %q = qnn.constant dense<1> : tensor<3xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_storage_mismatch() {
  // expected-error @+1 {{value element type 'i16' is not the storage type 'i8'}}
  %q = qnn.constant dense<1> : tensor<2xi16> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_unsigned_spelling_for_signed_storage() {
  // expected-error @+1 {{value element type 'ui8' is not the storage type 'i8'}}
  %q = qnn.constant dense<1> : tensor<2xui8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_out_of_narrow_range() {
  // expected-error @+1 {{stored value -128 at flat index 1 is outside the storage range [-127, 127]}}
  %q = qnn.constant dense<[0, -128]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
  return
}

// -----

func.func @constant_out_of_splat_range() {
  // expected-error @+1 {{stored value 0 at flat index 0 is outside the storage range [1, 255]}}
  %q = qnn.constant dense<0> : tensor<2xui8> -> tensor<2x!quant.uniform<u8<1:255>:f32, 0.5:128>>
  return
}

// -----

func.func @constant_axis_extent() {
  // expected-error @+1 {{dimension 0 has extent 3 but the type has 2 scales}}
  %q = qnn.constant dense<1> : tensor<3x2xi8> -> tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return
}

// -----

func.func @constant_axis_out_of_range() {
  // expected-error @+1 {{quantized dimension 2 is out of range for a tensor of rank 2}}
  %q = qnn.constant dense<1> : tensor<3x2xi8> -> tensor<3x2x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
  return
}

// -----

func.func @constant_block_does_not_divide() {
  // expected-error @+1 {{block size 3 does not divide dimension 1 of extent 4}}
  %q = qnn.constant dense<1> : tensor<1x4xi8> -> tensor<1x4x!quant.uniform<i8:f32:{1:3}, {{1.0, 2.0}}>>
  return
}

// -----

func.func @constant_scale_grid() {
  // expected-error @+1 {{scale grid extent 3 along dimension 1 should be 2}}
  %q = qnn.constant dense<1> : tensor<1x4xi8> -> tensor<1x4x!quant.uniform<i8:f32:{1:2}, {{1.0, 2.0, 3.0}}>>
  return
}

// -----

func.func @constant_scale_grid_rank() {
  // expected-error @+1 {{scale grid of rank 2 does not match a tensor of rank 1}}
  %q = qnn.constant dense<1> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32:{0:2}, {{1.0}, {2.0}}>>
  return
}

// -----

func.func @constant_not_quantized() {
  // expected-error @+1 {{result #0 must be ranked tensor of quantized type values}}
  %q = qnn.constant dense<1> : tensor<2xi8> -> tensor<2xi8>
  return
}

// -----

func.func @constant_negative_error() {
  // expected-error @+1 {{error magnitudes must be finite and non-negative, got -1}}
  %q = qnn.constant dense<1> : tensor<2xi8> {error = #qnn.error<max_abs = -1.0, mean_abs = 0.0, mse = 0.0, sqnr_db = 1.0>} -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_mean_exceeds_max() {
  // expected-error @+1 {{mean_abs 2.000000e+00 exceeds max_abs 1.000000e+00}}
  %q = qnn.constant dense<1> : tensor<2xi8> {error = #qnn.error<max_abs = 1.0, mean_abs = 2.0, mse = 0.0, sqnr_db = 1.0>} -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_nan_sqnr() {
  // expected-error @+1 {{sqnr_db must not be NaN}}
  %q = qnn.constant dense<1> : tensor<2xi8> {error = #qnn.error<max_abs = 1.0, mean_abs = 0.5, mse = 0.0, sqnr_db = 0x7FF8000000000000>} -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @constant_error_syntax() {
  // expected-error @+1 {{expected 'mean_abs'}}
  %q = qnn.constant dense<1> : tensor<2xi8> {error = #qnn.error<max_abs = 1.0, mse = 0.0>} -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @quantize_expressed_type(%x: tensor<4xf16>) {
  // expected-error @+1 {{input element type 'f16' does not match the expressed type 'f32' of the result}}
  %q = qnn.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return
}

// -----

func.func @quantize_axis_extent(%x: tensor<4xf32>) {
  // expected-error @+1 {{dimension 0 has extent 4 but the type has 2 scales}}
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32:0, {0.1:3, 0.2:4}>>
  return
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %q = qnn.quantize %x : tensor<4xf32> -> tensor<5x!quant.uniform<u8:f32, 0.1:3>>
  return
}

// -----

func.func @quantize_rounding_name(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected one of [half_to_even, half_away_from_zero] for how a real value between two integers is rounded, got: truncate}}
  // expected-error @+1 {{failed to parse QNN_RoundingModeAttr parameter 'value'}}
  %q = qnn.quantize %x {rounding = #qnn.rounding<truncate>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return
}
