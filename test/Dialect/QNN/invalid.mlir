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

// -----
// qnn.matmul, qnn.batch_matmul

!act = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8:f32:1, {0.25, 0.125}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
func.func @matmul_lhs_per_axis(%x: tensor<4x3x!quant.uniform<u8:f32:0, {0.5, 0.5, 0.5, 0.5}>>, %w: tensor<3x2x!w>) {
  // expected-error @+1 {{first operand must be quantized per tensor, got}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!quant.uniform<u8:f32:0, {0.5, 0.5, 0.5, 0.5}>>, tensor<3x2x!w>) -> tensor<4x2x!acc>
  return
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
func.func @matmul_rhs_sub_channel(%x: tensor<4x4x!act>, %w: tensor<4x2x!quant.uniform<i8:f32:{0:2}, {{0.25}, {0.125}}>>) {
  // expected-error @+1 {{second operand must be quantized per tensor or per axis}}
  %acc = qnn.matmul %x, %w : (tensor<4x4x!act>, tensor<4x2x!quant.uniform<i8:f32:{0:2}, {{0.25}, {0.125}}>>) -> tensor<4x2x!acc>
  return
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
func.func @matmul_rhs_axis(%x: tensor<4x2x!act>, %w: tensor<2x2x!quant.uniform<i8:f32:0, {0.25, 0.125}>>) {
  // expected-error @+1 {{second operand must be quantized along its output-channel dimension 1, not 0}}
  %acc = qnn.matmul %x, %w : (tensor<4x2x!act>, tensor<2x2x!quant.uniform<i8:f32:0, {0.25, 0.125}>>) -> tensor<4x2x!acc>
  return
}

// -----

!act = !quant.uniform<i32:f32, 0.5>
func.func @matmul_wide_storage(%x: tensor<4x3x!act>, %w: tensor<3x2x!quant.uniform<i8:f32, 0.25>>) {
  // expected-error @+1 {{operands must have integer storage of at most 16 bits, got 'i32'}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!act>, tensor<3x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x2x!quant.uniform<i32:f32, 0.125>>
  return
}

// -----

func.func @matmul_expressed(%x: tensor<4x3x!quant.uniform<u8:f32, 0.5>>, %w: tensor<3x2x!quant.uniform<i8:f16, 0.25>>) {
  // expected-error @+1 {{operands must express the same float type}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!quant.uniform<u8:f32, 0.5>>, tensor<3x2x!quant.uniform<i8:f16, 0.25>>) -> tensor<4x2x!quant.uniform<i32:f32, 0.125>>
  return
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
func.func @matmul_rhs_scales(%x: tensor<4x3x!act>, %w: tensor<3x3x!quant.uniform<i8:f32:1, {0.25, 0.125}>>) {
  // expected-error @+1 {{dimension 1 has extent 3 but the type has 2 scales}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!act>, tensor<3x3x!quant.uniform<i8:f32:1, {0.25, 0.125}>>) -> tensor<4x3x!quant.uniform<i32:f32:1, {0.125, 0.0625}>>
  return
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8:f32:1, {0.25, 0.125}>
func.func @matmul_result_scale(%x: tensor<4x3x!act>, %w: tensor<3x2x!w>) {
  // expected-error @+1 {{result must be the int32 accumulator '!quant.uniform<i32:f32:1, {1.250000e-01,6.250000e-02}>', got '!quant.uniform<i32:f32:1, {1.250000e-01,1.250000e-01}>'}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!act>, tensor<3x2x!w>) -> tensor<4x2x!quant.uniform<i32:f32:1, {0.125, 0.125}>>
  return
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
func.func @matmul_result_storage(%x: tensor<4x3x!act>, %w: tensor<3x2x!quant.uniform<i8:f32, 0.25>>) {
  // expected-error @+1 {{result must be the int32 accumulator}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!act>, tensor<3x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x2x!quant.uniform<i16:f32, 0.125>>
  return
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8:f32:1, {0.25, 0.125}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
func.func @matmul_bias_shape(%x: tensor<4x3x!act>, %w: tensor<3x2x!w>, %b: tensor<3x!quant.uniform<i32:f32:0, {0.125, 0.0625, 0.1}>>) {
  // expected-error @+1 {{bias must be a 1-D tensor of 2 output channels, got}}
  %acc = qnn.matmul %x, %w, %b : (tensor<4x3x!act>, tensor<3x2x!w>, tensor<3x!quant.uniform<i32:f32:0, {0.125, 0.0625, 0.1}>>) -> tensor<4x2x!acc>
  return
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8:f32:1, {0.25, 0.125}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
func.func @matmul_bias_type(%x: tensor<4x3x!act>, %w: tensor<3x2x!w>, %b: tensor<2x!quant.uniform<i32:f32, 0.125>>) {
  // expected-error @+1 {{bias must have element type '!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>'}}
  %acc = qnn.matmul %x, %w, %b : (tensor<4x3x!act>, tensor<3x2x!w>, tensor<2x!quant.uniform<i32:f32, 0.125>>) -> tensor<4x2x!acc>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!acc = !quant.uniform<i32:f32, 0.25>
func.func @matmul_rank(%x: tensor<2x4x3x!q>, %w: tensor<3x2x!q>) {
  // expected-error @+1 {{operands and result must have rank 2}}
  %acc = qnn.matmul %x, %w : (tensor<2x4x3x!q>, tensor<3x2x!q>) -> tensor<4x2x!acc>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!acc = !quant.uniform<i32:f32, 0.25>
func.func @matmul_reduction(%x: tensor<4x3x!q>, %w: tensor<4x2x!q>) {
  // expected-error @+1 {{reduction dimensions do not match: 3 and 4}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!q>, tensor<4x2x!q>) -> tensor<4x2x!acc>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!acc = !quant.uniform<i32:f32, 0.25>
func.func @matmul_result_shape(%x: tensor<4x3x!q>, %w: tensor<3x2x!q>) {
  // expected-error @+1 {{result shape does not match the operands}}
  %acc = qnn.matmul %x, %w : (tensor<4x3x!q>, tensor<3x2x!q>) -> tensor<4x3x!acc>
  return
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
!acc = !quant.uniform<i32:f32, 0.25>
func.func @batch_matmul_batch(%x: tensor<2x4x3x!q>, %w: tensor<3x3x2x!q>) {
  // expected-error @+1 {{batch dimensions do not match}}
  %acc = qnn.batch_matmul %x, %w : (tensor<2x4x3x!q>, tensor<3x3x2x!q>) -> tensor<2x4x2x!acc>
  return
}

// -----
// qnn.conv2d

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_rank(%x: tensor<8x8x3x!q>, %f: tensor<3x3x3x2x!f>) {
  // expected-error @+1 {{input, filter and result must have rank 4}}
  %y = qnn.conv2d %x, %f : (tensor<8x8x3x!q>, tensor<3x3x3x2x!f>) -> tensor<1x6x6x2x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_attribute_sizes(%x: tensor<1x8x8x3x!q>, %f: tensor<3x3x3x2x!f>) {
  // expected-error @+1 {{expects 2 strides, 2 dilations and 4 paddings}}
  %y = qnn.conv2d %x, %f {padding = array<i64: 1, 1>} : (tensor<1x8x8x3x!q>, tensor<3x3x3x2x!f>) -> tensor<1x6x6x2x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_strides(%x: tensor<1x8x8x3x!q>, %f: tensor<3x3x3x2x!f>) {
  // expected-error @+1 {{strides and dilations must be positive}}
  %y = qnn.conv2d %x, %f {strides = array<i64: 0, 1>} : (tensor<1x8x8x3x!q>, tensor<3x3x3x2x!f>) -> tensor<1x6x6x2x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_negative_padding(%x: tensor<1x8x8x3x!q>, %f: tensor<3x3x3x2x!f>) {
  // expected-error @+1 {{padding must not be negative}}
  %y = qnn.conv2d %x, %f {padding = array<i64: -1, 0, 0, 0>} : (tensor<1x8x8x3x!q>, tensor<3x3x3x2x!f>) -> tensor<1x6x6x2x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_groups_zero(%x: tensor<1x8x8x3x!q>, %f: tensor<3x3x3x2x!f>) {
  // expected-error @+1 {{groups must be positive, got 0}}
  %y = qnn.conv2d %x, %f {groups = 0 : i64} : (tensor<1x8x8x3x!q>, tensor<3x3x3x2x!f>) -> tensor<1x6x6x2x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_groups_input(%x: tensor<1x8x8x4x!q>, %f: tensor<3x3x1x3x!f>) {
  // expected-error @+1 {{groups 3 must divide the 4 input channels}}
  %y = qnn.conv2d %x, %f {groups = 3 : i64} : (tensor<1x8x8x4x!q>, tensor<3x3x1x3x!f>) -> tensor<1x6x6x3x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_groups_output(%x: tensor<1x8x8x4x!q>, %f: tensor<3x3x2x3x!f>) {
  // expected-error @+1 {{groups 2 must divide the 3 output channels}}
  %y = qnn.conv2d %x, %f {groups = 2 : i64} : (tensor<1x8x8x4x!q>, tensor<3x3x2x3x!f>) -> tensor<1x6x6x3x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_filter_channels(%x: tensor<1x8x8x4x!q>, %f: tensor<3x3x4x2x!f>) {
  // expected-error @+1 {{filter must have 2 input channels per group, got 4}}
  %y = qnn.conv2d %x, %f {groups = 2 : i64} : (tensor<1x8x8x4x!q>, tensor<3x3x4x2x!f>) -> tensor<1x6x6x2x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @conv_result_shape(%x: tensor<1x8x8x3x!q>, %f: tensor<3x3x3x2x!f>) {
  // expected-error @+1 {{result shape [1, 8, 8, 2] does not match the expected [1, 3, 3, 2]}}
  %y = qnn.conv2d %x, %f {strides = array<i64: 2, 2>} : (tensor<1x8x8x3x!q>, tensor<3x3x3x2x!f>) -> tensor<1x8x8x2x!acc>
  return
}

// -----

!q = !quant.uniform<u8:f32, 0.5>
!f = !quant.uniform<i8:f32:0, {0.25, 0.5, 0.25}>
!acc = !quant.uniform<i32:f32:3, {0.125, 0.25}>
func.func @conv_filter_axis(%x: tensor<1x8x8x3x!q>, %f: tensor<3x3x3x2x!f>) {
  // expected-error @+1 {{second operand must be quantized along its output-channel dimension 3, not 0}}
  %y = qnn.conv2d %x, %f : (tensor<1x8x8x3x!q>, tensor<3x3x3x2x!f>) -> tensor<1x6x6x2x!acc>
  return
}

// -----
// qnn.requantize

func.func @requantize_shape(%x: tensor<4x!quant.uniform<i32:f32, 0.1>>) {
  // expected-error @+1 {{input shape [4] does not match result shape [5]}}
  %y = qnn.requantize %x : tensor<4x!quant.uniform<i32:f32, 0.1>> -> tensor<5x!quant.uniform<u8:f32, 0.2:3>>
  return
}

// -----

func.func @requantize_sub_channel(%x: tensor<1x4x!quant.uniform<i32:f32:{1:2}, {{0.1, 0.2}}>>) {
  // expected-error @+1 {{input and result must be quantized per tensor or per axis}}
  %y = qnn.requantize %x : tensor<1x4x!quant.uniform<i32:f32:{1:2}, {{0.1, 0.2}}>> -> tensor<1x4x!quant.uniform<u8:f32, 0.2:3>>
  return
}

// -----

func.func @requantize_expressed(%x: tensor<4x!quant.uniform<i32:f32, 0.1>>) {
  // expected-error @+1 {{input and result must express the same float type}}
  %y = qnn.requantize %x : tensor<4x!quant.uniform<i32:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f16, 0.2:3>>
  return
}

// -----

func.func @requantize_result_axis(%x: tensor<2x2x!quant.uniform<i32:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{a per-axis result must be quantized along the input's axis}}
  %y = qnn.requantize %x : tensor<2x2x!quant.uniform<i32:f32:1, {0.1, 0.2}>> -> tensor<2x2x!quant.uniform<u8:f32:0, {0.2:3, 0.2:3}>>
  return
}

// -----

func.func @requantize_scales(%x: tensor<2x3x!quant.uniform<i32:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{dimension 1 has extent 3 but the type has 2 scales}}
  %y = qnn.requantize %x : tensor<2x3x!quant.uniform<i32:f32:1, {0.1, 0.2}>> -> tensor<2x3x!quant.uniform<u8:f32, 0.2:3>>
  return
}

// -----

func.func @requantize_clamp_range(%x: tensor<4x!quant.uniform<i32:f32, 0.1>>) {
  // expected-error @+1 {{clamp [-1, 255] exceeds the storage range [0, 255] of the result}}
  %y = qnn.requantize %x {clamp_min = -1 : i64} : tensor<4x!quant.uniform<i32:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.2:3>>
  return
}

// -----

func.func @requantize_clamp_order(%x: tensor<4x!quant.uniform<i32:f32, 0.1>>) {
  // expected-error @+1 {{clamp_min 10 is greater than clamp_max 5}}
  %y = qnn.requantize %x {clamp_min = 10 : i64, clamp_max = 5 : i64} : tensor<4x!quant.uniform<i32:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.2:3>>
  return
}

// -----

func.func @requantize_factor(%x: tensor<4x!quant.uniform<i32:f32, 1.0e10>>) {
  // expected-error @+1 {{rescale factor 5.000000e+10 (input scale / result scale) cannot be represented in fixed point; it must be finite, non-negative and below 2^31}}
  %y = qnn.requantize %x : tensor<4x!quant.uniform<i32:f32, 1.0e10>> -> tensor<4x!quant.uniform<u8:f32, 0.2:3>>
  return
}

// -----
// qnn.add, qnn.mul

func.func @add_per_axis(%x: tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, %y: tensor<2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{lhs must be quantized per tensor}}
  %s = qnn.add %x, %y : (tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @add_widths(%x: tensor<2x!quant.uniform<i16:f32, 0.1>>, %y: tensor<2x!quant.uniform<i16:f32, 0.1>>) {
  // expected-error @+1 {{operands and result must have the same storage width}}
  %s = qnn.add %x, %y : (tensor<2x!quant.uniform<i16:f32, 0.1>>, tensor<2x!quant.uniform<i16:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @add_wide(%x: tensor<2x!quant.uniform<i8:f32, 0.1>>, %y: tensor<2x!quant.uniform<i32:f32, 0.1>>) {
  // expected-error @+1 {{rhs must have integer storage of at most 16 bits}}
  %s = qnn.add %x, %y : (tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i32:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @add_expressed(%x: tensor<2x!quant.uniform<i8:f16, 0.1>>, %y: tensor<2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{operands and result must express the same float type}}
  %s = qnn.add %x, %y : (tensor<2x!quant.uniform<i8:f16, 0.1>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @add_shape(%x: tensor<2x!quant.uniform<i8:f32, 0.1>>, %y: tensor<3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %s = qnn.add %x, %y : (tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<3x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @add_clamp(%x: tensor<2x!quant.uniform<i8:f32, 0.1>>, %y: tensor<2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{clamp [-128, 200] exceeds the storage range [-128, 127] of the result}}
  %s = qnn.add %x, %y {clamp_max = 200 : i64} : (tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @add_factor(%x: tensor<2x!quant.uniform<i8:f32, 1.0e6>>, %y: tensor<2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{(2 * max(input scales) / (2^shift * result scale)) cannot be represented in fixed point}}
  %s = qnn.add %x, %y : (tensor<2x!quant.uniform<i8:f32, 1.0e6>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 1.0e-10>>
  return
}

// -----

func.func @mul_factor(%x: tensor<2x!quant.uniform<i8:f32, 1.0e6>>, %y: tensor<2x!quant.uniform<i8:f32, 1.0e6>>) {
  // expected-error @+1 {{(lhs scale * rhs scale / result scale) cannot be represented in fixed point}}
  %p = qnn.mul %x, %y : (tensor<2x!quant.uniform<i8:f32, 1.0e6>>, tensor<2x!quant.uniform<i8:f32, 1.0e6>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @mul_result_per_axis(%x: tensor<2x!quant.uniform<i8:f32, 0.1>>, %y: tensor<2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{result must be quantized per tensor}}
  %p = qnn.mul %x, %y : (tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.1}>>
  return
}

// -----

func.func @mul_expressed(%x: tensor<2x!quant.uniform<i8:f32, 0.1>>, %y: tensor<2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{operands and result must express the same float type}}
  %p = qnn.mul %x, %y : (tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f16, 0.1>>
  return
}

// -----

func.func @mul_clamp(%x: tensor<2x!quant.uniform<i8:f32, 0.1>>, %y: tensor<2x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{clamp_min 5 is greater than clamp_max 4}}
  %p = qnn.mul %x, %y {clamp_min = 5 : i64, clamp_max = 4 : i64} : (tensor<2x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----
// qnn.max_pool2d, qnn.avg_pool2d, qnn.pad

func.func @pool_element_type(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result must have the input's element type '!quant.uniform<u8:f32, 1.000000e-01>'}}
  %y = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>> -> tensor<1x3x3x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

func.func @pool_sub_channel(%x: tensor<1x4x4x2x!quant.uniform<u8:f32:{3:1}, {{{{0.1, 0.2}}}}>>) {
  // expected-error @+1 {{input must be quantized per tensor or per axis}}
  %y = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x4x4x2x!quant.uniform<u8:f32:{3:1}, {{{{0.1, 0.2}}}}>> -> tensor<1x3x3x2x!quant.uniform<u8:f32:{3:1}, {{{{0.1, 0.2}}}}>>
  return
}

// -----

func.func @pool_rank(%x: tensor<4x4x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{input and result must have rank 4}}
  %y = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<4x4x2x!quant.uniform<u8:f32, 0.1>> -> tensor<3x3x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_attribute_sizes(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{expects 2 kernel sizes, 2 strides and 4 paddings}}
  %y = qnn.avg_pool2d %x {kernel = array<i64: 2>} : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>> -> tensor<1x3x3x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{kernel sizes and strides must be positive}}
  %y = qnn.avg_pool2d %x {kernel = array<i64: 0, 2>} : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>> -> tensor<1x3x3x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{padding must be non-negative and smaller than the kernel}}
  %y = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>> -> tensor<1x5x3x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pool_result_shape(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result shape [1, 4, 4, 2] does not match the expected [1, 2, 2, 2]}}
  %y = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pad_element_type(%x: tensor<2x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result must have the input's element type}}
  %y = qnn.pad %x low = [1, 0] high = [0, 0] : tensor<2x2x!quant.uniform<u8:f32, 0.1>> -> tensor<3x2x!quant.uniform<u8:f32, 0.1:2>>
  return
}

// -----

func.func @pad_rank(%x: tensor<2x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{low and high must have one entry per dimension (2)}}
  %y = qnn.pad %x low = [1] high = [0, 0] : tensor<2x2x!quant.uniform<u8:f32, 0.1>> -> tensor<3x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pad_negative(%x: tensor<2x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{padding must not be negative}}
  %y = qnn.pad %x low = [-1, 0] high = [0, 0] : tensor<2x2x!quant.uniform<u8:f32, 0.1>> -> tensor<1x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

func.func @pad_result(%x: tensor<2x2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error @+1 {{result dimension 0 should be 4, got 5}}
  %y = qnn.pad %x low = [1, 0] high = [1, 0] : tensor<2x2x!quant.uniform<u8:f32, 0.1>> -> tensor<5x2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----
// qnn.observe

func.func @observe_empty_name(%x: tensor<4xf32>) {
  // expected-error @+1 {{name must not be empty}}
  %o = qnn.observe %x {name = ""} : tensor<4xf32>
  return
}

// -----

func.func @observe_not_f32(%x: tensor<4xf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float values}}
  %o = qnn.observe %x {name = "x"} : tensor<4xf16>
  return
}
