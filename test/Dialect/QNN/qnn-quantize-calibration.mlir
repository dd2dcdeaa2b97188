// calibration= and compat= of qnn-quantize on hand-checkable statistics
// (Inputs/qnn-quantize-calibration-stats.json): %x has min -0.5, max 4.0,
// moving averages [-0.25, 2.55], and a histogram of 2 counts in each of 256
// equal bins over [0, 4] (a uniform density).
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json" | FileCheck %s --check-prefix=MINMAX
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json calibration=moving-average" | FileCheck %s --check-prefix=MOVING
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json calibration=percentile percentile=75" | FileCheck %s --check-prefix=PCT
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json calibration=percentile percentile=75 activation-scheme=symmetric" | FileCheck %s --check-prefix=PCTSYM
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json calibration=mse" | FileCheck %s --check-prefix=MSE
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json calibration=entropy" | FileCheck %s --check-prefix=ENTROPY
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json compat=pytorch activation-scheme=symmetric" | FileCheck %s --check-prefix=TORCH
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json compat=pytorch activation-reduce-range=true" | FileCheck %s --check-prefix=TORCHRR
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json compat=onnxruntime weight-reduce-range=true" | FileCheck %s --check-prefix=ORT
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json compat=tflite" | FileCheck %s --check-prefix=TFLITE
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json compat=pytorch calibration=percentile percentile=75" --qnn-report | FileCheck %s --check-prefix=REPORT
// RUN: qnn-opt %s --qnn-quantize="stats=%S/Inputs/qnn-quantize-calibration-stats.json compat=pytorch calibration=percentile percentile=75" --qnn-report="output=%t.json table=false" -o /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-quantize-calibration-stats.json compat=pytorch calibration=percentile percentile=75" | FileCheck %s --check-prefix=PIPELINE

// min/max, the default, carries no mark: scale 4.5 / 255, zero point
// round(0.5 / (4.5 / 255)) = round(28.33) = 28.
// MINMAX: qnn.quantize %{{.*}} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0176470{{[0-9]*}}:28>>
// MINMAX-NOT: calibration
// MINMAX-NOT: compat

// [-0.25, 2.55]: scale 2.8 / 255 = 0.0109804, zero point round(22.77) = 23.
// MOVING: qnn.quantize %{{.*}} {calibration = #qnn.calibration<moving_average>} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.010980{{[0-9]*}}:23>>

// Asymmetric percentile 75: the 25% and 75% points of the histogram's
// piecewise-linear CDF, 1.0 and 3.0; widened to include 0: [0, 3], scale
// 3 / 255, zero point 0.
// PCT: qnn.quantize %{{.*}} {calibration = #qnn.calibration<percentile = 7.500000e+01>} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0117647{{[0-9]*}}>>
// Symmetric: the 75th percentile of |x| is 3.0; uint8 symmetric: 3 / 255.
// PCTSYM: qnn.quantize {{.*}} -> tensor<3x2x!quant.uniform<u8:f32, 0.0117647{{[0-9]*}}>>

// MSE and entropy: the marks (their ranges are checked against torch.ao and
// ONNX Runtime in test/unit/CalibrationTest.cpp).
// MSE: qnn.quantize %{{.*}} {calibration = #qnn.calibration<mse>}
// ENTROPY: qnn.quantize %{{.*}} {calibration = #qnn.calibration<entropy>}

// torch.ao symmetric quint8: scale = 4.0 / 127.5 = 0.0313725, zero point
// 128; weights qint8 symmetric per channel over [-128, 127]: absmax / 127.5,
// so 127 -> 127.5 -> 128, saturated to 127; 4 -> 127.5 -> 127 as well.
// TORCH-DAG: qnn.quantize %{{.*}} {compat = #qnn.compat<pytorch>} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0313725{{[0-9]*}}:128>>
// TORCH-DAG: qnn.constant dense<{{\[\[}}127, -64], [3, 127]]> : tensor<2x2xi8> {compat = #qnn.compat<pytorch>{{.*}}} -> tensor<2x2x!quant.uniform<i8:f32:1, {0.99607843{{[0-9]*}},0.031372{{[0-9]*}}}>>

// reduce_range: quint8 [0, 127]: scale 4.5 / 127 = 0.0354331, zero point
// round(0.5 / 0.0354331) = round(14.11) = 14.
// TORCHRR: qnn.quantize {{.*}} -> tensor<3x2x!quant.uniform<u8<0:127>:f32, 0.035433{{[0-9]*}}:14>>

// ONNX Runtime's reduced int8 weights are [-64, 64]: absmax / 64.
// ORT-DAG: qnn.quantize %{{.*}} {compat = #qnn.compat<onnxruntime>}
// ORT-DAG: qnn.constant {{.*}} -> tensor<2x2x!quant.uniform<i8<-64:64>:f32:1, {1.984375,6.250000e-02}>>

// TFLITE: qnn.quantize %{{.*}} {compat = #qnn.compat<tflite>}

// REPORT: compat=pytorch: 1 of 1 tensors
// REPORT: qnn-report: 1 calibrated activation
// REPORT: f/arg0 u8 [0, 255] {{.*}} percentile=75 pytorch

// JSON: "activations": [
// JSON-DAG: "calibration": "percentile=75",
// JSON-DAG: "compat": "pytorch",
// JSON-DAG: "name": "f/arg0",
// JSON-DAG: "scale": 0.01176470
// JSON: "tensors": [
// JSON: "compat": "pytorch",

// PIPELINE: llvm.func @f

func.func @f(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w = arith.constant dense<[[127.0, -2.0], [2.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32> loc("fc1")
  return %y : tensor<3x2xf32>
}
