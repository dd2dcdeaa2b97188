// The #qnn.compat and #qnn.calibration marks round-trip (custom and generic
// form).
// RUN: qnn-opt %s | qnn-opt | FileCheck %s
// RUN: qnn-opt %s --mlir-print-op-generic | qnn-opt | FileCheck %s

// CHECK-LABEL: func @marks
// CHECK: qnn.constant dense<1> : tensor<2xi8> {compat = #qnn.compat<pytorch>}
// CHECK: qnn.quantize %{{.*}} {calibration = #qnn.calibration<percentile = 99.98999{{[0-9]*}}>, compat = #qnn.compat<onnxruntime>}
// CHECK: qnn.quantize %{{.*}} {calibration = #qnn.calibration<moving_average>, compat = #qnn.compat<tflite>}
// CHECK: qnn.quantize %{{.*}} {calibration = #qnn.calibration<entropy>}
func.func @marks(%x: tensor<2xf32>) {
  %w = qnn.constant dense<1> : tensor<2xi8> {compat = #qnn.compat<pytorch>} -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %a = qnn.quantize %x {calibration = #qnn.calibration<percentile = 99.99>, compat = #qnn.compat<onnxruntime>} : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 0.5:3>>
  %b = qnn.quantize %x {calibration = #qnn.calibration<moving_average>, compat = #qnn.compat<tflite>} : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.5:-3>>
  %c = qnn.quantize %x {calibration = #qnn.calibration<entropy>} : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 0.5>>
  return
}
