// Every diagnostic of convert-qnn-to-linalg: the op is named, the pass fails,
// nothing crashes.
// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg -verify-diagnostics

func.func @no_lowering(%c: i1, %a: tensor<4x!quant.uniform<i8:f32, 0.5>>,
                       %b: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'arith.select' op operates on quantized values and has no lowering to integer arithmetic; dequantize its operands (quant.dcast) before it}}
  %r = arith.select %c, %a, %b : tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %r : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Ops nested in a reported op (the linalg.yield) are not reported again.
func.func @no_lowering_region(%a: tensor<4x!quant.uniform<i8:f32, 0.5>>,
                              %b: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'linalg.generic' op operates on quantized values and has no lowering}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%a : tensor<4x!quant.uniform<i8:f32, 0.5>>) outs(%b : tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  ^bb0(%in: !quant.uniform<i8:f32, 0.5>, %out: !quant.uniform<i8:f32, 0.5>):
    linalg.yield %in : !quant.uniform<i8:f32, 0.5>
  } -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %r : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// expected-error @+1 {{'func.func' op has quantized type 'tensor<4x!quant.any<i8:f32>>' that cannot be lowered: only !quant.uniform types (per-tensor, per-axis, sub-channel) have a storage form}}
func.func @any_in_signature(%a: tensor<4x!quant.any<i8:f32>>) -> tensor<4xf32> {
  %r = quant.dcast %a : tensor<4x!quant.any<i8:f32>> to tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @any_in_body(%i: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'quant.scast' op has quantized type 'tensor<4x!quant.any<i8:f32>>' that cannot be lowered}}
  %a = quant.scast %i : tensor<4xi8> to tensor<4x!quant.any<i8:f32>>
  // expected-error @+1 {{'quant.dcast' op has quantized type 'tensor<4x!quant.any<i8:f32>>' that cannot be lowered}}
  %r = quant.dcast %a : tensor<4x!quant.any<i8:f32>> to tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op has quantized type 'tensor<4x!quant.calibrated<f32<-1.000000e+00:1.000000e+00>>>' that cannot be lowered}}
func.func @calibrated(%a: tensor<4x!quant.calibrated<f32<-1.0:1.0>>>) -> tensor<4x!quant.calibrated<f32<-1.0:1.0>>> {
  return %a : tensor<4x!quant.calibrated<f32<-1.0:1.0>>>
}

// -----

func.func @unranked(%a: tensor<*x!quant.uniform<i8:f32, 0.5>>) -> tensor<*xf32> {
  // expected-error @+1 {{'quant.dcast' op cannot be lowered: only ranked tensors of quantized types can be lowered, got tensor<*x!quant.uniform<i8:f32, 5.000000e-01>>}}
  %r = quant.dcast %a : tensor<*x!quant.uniform<i8:f32, 0.5>> to tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

func.func @unranked_quantize(%x: tensor<*xf32>) -> tensor<*x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'quant.qcast' op cannot be lowered: only ranked tensors of quantized types can be lowered}}
  %q = quant.qcast %x : tensor<*xf32> to tensor<*x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<*x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @dynamic_group(%a: tensor<?x2x!quant.uniform<i8:f32:{0:2, 1:2}, {{0.5}, {0.25}}>>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'quant.dcast' op cannot be lowered: dimension 0 is cut into 2 groups and must have a static extent}}
  %r = quant.dcast %a : tensor<?x2x!quant.uniform<i8:f32:{0:2, 1:2}, {{0.5}, {0.25}}>> to tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

func.func @dynamic_group_quantize(%x: tensor<?x2xf32>) -> tensor<?x2x!quant.uniform<i8:f32:{0:2, 1:2}, {{0.5}, {0.25}}>> {
  // expected-error @+1 {{'qnn.quantize' op cannot be lowered: dimension 0 is cut into 2 groups and must have a static extent}}
  %q = qnn.quantize %x : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32:{0:2, 1:2}, {{0.5}, {0.25}}>>
  return %q : tensor<?x2x!quant.uniform<i8:f32:{0:2, 1:2}, {{0.5}, {0.25}}>>
}

// -----

!img = !quant.uniform<u8:f32, 0.5:3>
!filt = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>

func.func @conv_dynamic_height(%x: tensor<1x?x8x4x!img>, %f: tensor<3x3x4x2x!filt>) -> tensor<1x?x6x2x!acc> {
  // expected-error @+1 {{'qnn.conv2d' op cannot be lowered: has a dynamic image dimension 1; only the batch dimension of a convolution may be dynamic}}
  %r = qnn.conv2d %x, %f : (tensor<1x?x8x4x!img>, tensor<3x3x4x2x!filt>) -> tensor<1x?x6x2x!acc>
  return %r : tensor<1x?x6x2x!acc>
}

// -----

!img = !quant.uniform<u8:f32, 0.5:3>
!filt = !quant.uniform<i8:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>

func.func @conv_dynamic_filter(%x: tensor<1x8x8x4x!img>, %f: tensor<3x3x4x?x!filt>) -> tensor<1x6x6x?x!acc> {
  // expected-error @+1 {{'qnn.conv2d' op cannot be lowered: has a dynamic filter dimension 3; only the batch dimension of a convolution may be dynamic}}
  %r = qnn.conv2d %x, %f : (tensor<1x8x8x4x!img>, tensor<3x3x4x?x!filt>) -> tensor<1x6x6x?x!acc>
  return %r : tensor<1x6x6x?x!acc>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-1>

func.func @pool_dynamic_width(%x: tensor<1x4x?x2x!q>) -> tensor<1x2x?x2x!q> {
  // expected-error @+1 {{'qnn.max_pool2d' op cannot be lowered: has a dynamic image dimension 2; the height and width of a pooling input must be static}}
  %r = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x?x2x!q> -> tensor<1x2x?x2x!q>
  return %r : tensor<1x2x?x2x!q>
}

// -----

!q = !quant.uniform<u8:f32:1, {0.5:1, 0.5:2, 0.5:3, 0.5:4}>

func.func @avg_pool_zero_points_along_height(%x: tensor<1x4x4x2x!q>) -> tensor<1x4x4x2x!q> {
  // expected-error @+1 {{'qnn.avg_pool2d' op cannot be lowered: counts the padding as zero points that vary along an image dimension; only per-channel zero points are supported}}
  %r = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<1x4x4x2x!q> -> tensor<1x4x4x2x!q>
  return %r : tensor<1x4x4x2x!q>
}

// -----

!q = !quant.uniform<i8:f32:{1:2}, {{0.5:1, 0.25:2}}>

func.func @pad_sub_channel(%x: tensor<1x4x!q>) -> tensor<3x4x!q> {
  // expected-error @+1 {{'qnn.pad' op cannot be lowered: pads a sub-channel quantized tensor whose zero points differ; only per-tensor and per-axis zero points are supported}}
  %r = qnn.pad %x low = [1, 0] high = [1, 0] : tensor<1x4x!q> -> tensor<3x4x!q>
  return %r : tensor<3x4x!q>
}

// -----

func.func @requantize_u32(%x: tensor<4x!quant.uniform<u32:f32, 1.0>>) -> tensor<4x!quant.uniform<i8:f32, 2.0>> {
  // expected-error @+1 {{'qnn.requantize' op cannot be lowered: unsigned 32-bit storage (!quant.uniform<u32:f32, 1.000000e+00>) is not supported: its values do not fit int32}}
  %r = qnn.requantize %x : tensor<4x!quant.uniform<u32:f32, 1.0>> -> tensor<4x!quant.uniform<i8:f32, 2.0>>
  return %r : tensor<4x!quant.uniform<i8:f32, 2.0>>
}
