// The verifiers of the #qnn.compat and #qnn.calibration marks: what a mark
// promises and the type can show.
// RUN: qnn-opt %s --split-input-file --verify-diagnostics

func.func @onnxruntime_range() {
  // expected-error @+1 {{'qnn.constant' op is marked #qnn.compat<onnxruntime>, but [-100, 100] is not one of ONNX Runtime's integer ranges for this storage type}}
  %q = qnn.constant dense<1> : tensor<2xi8> {compat = #qnn.compat<onnxruntime>} -> tensor<2x!quant.uniform<i8<-100:100>:f32, 0.5>>
  return
}

// -----

func.func @onnxruntime_bits() {
  // expected-error @+1 {{'qnn.constant' op is marked #qnn.compat<onnxruntime>, but compat=onnxruntime quantizes to 4, 8 or 16 bits, not 6}}
  %q = qnn.constant dense<1> : tensor<2xi6> {compat = #qnn.compat<onnxruntime>} -> tensor<2x!quant.uniform<i6:f32, 0.5>>
  return
}

// -----

func.func @tflite_per_channel_offsets() {
  // expected-error @+1 {{'qnn.constant' op is marked #qnn.compat<tflite>, but TFLite quantizes per channel symmetrically (zero points 0)}}
  %q = qnn.constant dense<1> : tensor<2x2xi8> {compat = #qnn.compat<tflite>} -> tensor<2x2x!quant.uniform<i8:f32:1, {0.5:3, 0.25}>>
  return
}

// -----

func.func @calibration_per_channel(%x: tensor<2x2xf32>) {
  // expected-error @+1 {{'qnn.quantize' op has a calibration method, but its result is not quantized per tensor (calibration chooses one range per activation)}}
  %q = qnn.quantize %x {calibration = #qnn.calibration<mse>} : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u8:f32:1, {0.5, 0.25}>>
  return
}

// -----

func.func @quantize_onnxruntime_range(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qnn.quantize' op is marked #qnn.compat<onnxruntime>, but [0, 200] is not one of ONNX Runtime's integer ranges}}
  %q = qnn.quantize %x {compat = #qnn.compat<onnxruntime>} : tensor<2xf32> -> tensor<2x!quant.uniform<u8<0:200>:f32, 0.5>>
  return
}

// -----

func.func @percentile_missing(%x: tensor<2xf32>) {
  // expected-error @+1 {{the percentile method needs its percentile (`percentile = p`)}}
  %q = qnn.quantize %x {calibration = #qnn.calibration<percentile>} : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @percentile_range(%x: tensor<2xf32>) {
  // expected-error @+1 {{percentile must be in (0, 100], got 1.010000e+02}}
  %q = qnn.quantize %x {calibration = #qnn.calibration<percentile = 101.0>} : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @percentile_other_method(%x: tensor<2xf32>) {
  // expected-error @+1 {{only the percentile method takes a percentile}}
  %q = qnn.quantize %x {calibration = #qnn.calibration<mse = 99.0>} : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 0.5>>
  return
}

// -----

func.func @unknown_method(%x: tensor<2xf32>) {
  // expected-error @+1 {{unknown calibration method 'kl'}}
  %q = qnn.quantize %x {calibration = #qnn.calibration<kl>} : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 0.5>>
  return
}
