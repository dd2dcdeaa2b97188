// Bad pass options: a located error and a non-zero exit, never a crash.
// RUN: not qnn-opt %s --qnn-quantize-weights="bits=3" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not qnn-opt %s --qnn-quantize-weights="granularity=per-group" 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: not qnn-opt %s --qnn-quantize-weights="group-size=32" 2>&1 | FileCheck %s --check-prefix=SIZE
// RUN: not qnn-opt %s --qnn-quantize-weights="scheme=affine" 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: not qnn-opt %s --qnn-quantize-weights="rounding=truncate" 2>&1 | FileCheck %s --check-prefix=ROUNDING
// RUN: not qnn-opt %s --qnn-quantize-weights="bits=eight" 2>&1 | FileCheck %s --check-prefix=NOTANUMBER
// RUN: not qnn-opt %s --qnn-quantize-weights="colour=blue" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not qnn-opt %s --pass-pipeline="builtin.module(qnn-quantize-weights{bits=16})" 2>&1 | FileCheck %s --check-prefix=PIPELINE

// RUN: not qnn-opt %s --qnn-quantize-weights="compat=caffe2" 2>&1 | FileCheck %s --check-prefix=COMPAT
// RUN: not qnn-opt %s --qnn-quantize-weights="compat=onnxruntime range=narrow" 2>&1 | FileCheck %s --check-prefix=ORTRANGE
// RUN: not qnn-opt %s --qnn-quantize-weights="compat=tflite scheme=asymmetric" 2>&1 | FileCheck %s --check-prefix=TFLASYM
// RUN: not qnn-opt %s --qnn-quantize-weights="compat=tflite reduce-range=true" 2>&1 | FileCheck %s --check-prefix=TFLRR
// RUN: not qnn-opt %s --qnn-quantize-weights="compat=pytorch signed=false reduce-range=true" 2>&1 | FileCheck %s --check-prefix=TORCHRR
// RUN: not qnn-opt %s --qnn-quantize-weights="compat=onnxruntime bits=4 granularity=per-tensor reduce-range=yes" 2>&1 | FileCheck %s --check-prefix=NOTABOOL
// BITS: error: qnn-quantize-weights: bits must be 8 or 4, got 3
// GROUP: error: qnn-quantize-weights: granularity=per-group needs a positive group-size, got 0
// SIZE: error: qnn-quantize-weights: group-size is only meaningful with granularity=per-group
// SCHEME: Cannot find option named 'affine'!
// ROUNDING: Cannot find option named 'truncate'!
// NOTANUMBER: 'eight' value invalid for uint argument!
// UNKNOWN: no such option colour
// PIPELINE: error: qnn-quantize-weights: bits must be 8 or 4, got 16

// COMPAT: Cannot find option named 'caffe2'!
// ORTRANGE: error: qnn-quantize-weights: compat=onnxruntime chooses its own integer ranges; leave range=auto
// TFLASYM: error: qnn-quantize-weights: compat=tflite quantizes weights per channel symmetrically; use scheme=symmetric or granularity=per-tensor
// TFLRR: error: qnn-quantize-weights: compat=tflite has no reduced range (reduce-range)
// TORCHRR: error: qnn-quantize-weights: compat=pytorch has no symmetric unsigned quantization with reduce-range
// NOTABOOL: 'yes' is invalid value for boolean argument!
func.func @f(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
