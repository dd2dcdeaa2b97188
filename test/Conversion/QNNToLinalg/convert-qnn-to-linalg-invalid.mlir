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

// Ops nested in a reported op are not reported again.
func.func @no_lowering_region(%a: tensor<2x4x!quant.uniform<i8:f32, 0.5>>,
                              %b: tensor<4x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x2x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'linalg.transpose' op operates on quantized values and has no lowering}}
  %r = linalg.transpose ins(%a : tensor<2x4x!quant.uniform<i8:f32, 0.5>>)
                        outs(%b : tensor<4x2x!quant.uniform<i8:f32, 0.5>>) permutation = [1, 0]
  return %r : tensor<4x2x!quant.uniform<i8:f32, 0.5>>
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
