// File-level and option errors of qnn-quantize: a diagnostic and a non-zero
// exit, never a crash. Options are checked when the pipeline is parsed,
// before any IR is touched; the statistics file when the pass runs (located
// at the module).
// RUN: not qnn-opt %s --qnn-quantize 2>&1 | FileCheck %s --check-prefix=NOSTATS
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {' > %t.truncated.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.truncated.json" 2>&1 | FileCheck %s --check-prefix=NOTJSON
// RUN: echo '[1, 2]' > %t.array.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.array.json" 2>&1 | FileCheck %s --check-prefix=NOTOBJECT
// RUN: echo '{"version": 1, "values": {}}' > %t.noformat.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.noformat.json" 2>&1 | FileCheck %s --check-prefix=NOFORMAT
// RUN: echo '{"format": "qnn-report", "version": 1, "values": {}}' > %t.format.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.format.json" 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: echo '{"format": "qnn-stats", "version": 2, "values": {}}' > %t.version.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.version.json" 2>&1 | FileCheck %s --check-prefix=VERSION
// RUN: echo '{"format": "qnn-stats", "version": 1}' > %t.novalues.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.novalues.json" 2>&1 | FileCheck %s --check-prefix=NOVALUES
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": "low", "max": 1}}}' > %t.entry.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.entry.json" 2>&1 | FileCheck %s --check-prefix=ENTRY
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0}}}' > %t.nomax.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.nomax.json" 2>&1 | FileCheck %s --check-prefix=NOMAX
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "histogram": {"min": 0, "max": 1, "counts": [3, -1]}}}}' > %t.histogram.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.histogram.json" 2>&1 | FileCheck %s --check-prefix=HISTOGRAM
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic stats=%t.version.json" 2>&1 | FileCheck %s --check-prefix=DYNSTATS
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic activation-signed=true" 2>&1 | FileCheck %s --check-prefix=DYNSIGNED
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic weight-granularity=per-group" 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic ops=tosa.sigmoid" 2>&1 | FileCheck %s --check-prefix=SIGMOID
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic ops=linalg.matmul,linalg.generic" 2>&1 | FileCheck %s --check-prefix=GENERIC
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic exclude=linalg.matmull" 2>&1 | FileCheck %s --check-prefix=TYPO
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic ops=fc1,,fc2" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not qnn-opt %s --qnn-quantize="mode=sometimes" 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not qnn-opt %s --pass-pipeline="builtin.module(qnn-quantize{mode=dynamic ops=arith.addf})" 2>&1 | FileCheck %s --check-prefix=PIPELINE

// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic compat=caffe2" 2>&1 | FileCheck %s --check-prefix=COMPAT
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic calibration=kl" 2>&1 | FileCheck %s --check-prefix=CALIB
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.version.json calibration=percentile percentile=0" 2>&1 | FileCheck %s --check-prefix=PCTZERO
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.version.json calibration=percentile percentile=100.5" 2>&1 | FileCheck %s --check-prefix=PCTBIG
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.version.json percentile=99" 2>&1 | FileCheck %s --check-prefix=PCTMETHOD
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic calibration=mse" 2>&1 | FileCheck %s --check-prefix=DYNCALIB
// RUN: not qnn-opt %s --qnn-quantize="mode=dynamic compat=pytorch" 2>&1 | FileCheck %s --check-prefix=DYNCALIB
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.version.json compat=onnxruntime weight-range=full" 2>&1 | FileCheck %s --check-prefix=ORTRANGE
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.version.json compat=tflite activation-reduce-range=true" 2>&1 | FileCheck %s --check-prefix=TFLRR
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.version.json compat=pytorch activation-scheme=symmetric activation-reduce-range=true" 2>&1 | FileCheck %s --check-prefix=TORCHRR
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1}}}' > %t.minmax.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.minmax.json calibration=entropy" 2>&1 | FileCheck %s --check-prefix=NOHIST
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.minmax.json calibration=moving-average" 2>&1 | FileCheck %s --check-prefix=NOMOVING
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "count": 0, "non_finite": 4}}}' > %t.nonfinite.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.nonfinite.json" 2>&1 | FileCheck %s --check-prefix=NONFINITE
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "batches": 2}}}' > %t.batches.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.batches.json" 2>&1 | FileCheck %s --check-prefix=BATCHES
// RUN: not qnn-opt %s --pass-pipeline="builtin.module(qnn-quantize{mode=dynamic calibration=percentile percentile=-1})" 2>&1 | FileCheck %s --check-prefix=PCTPIPE
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "histogram": {"min": 1, "max": 0, "counts": [1]}}}}' > %t.histrange.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.histrange.json" 2>&1 | FileCheck %s --check-prefix=HISTRANGE
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "histogram": {"min": 0, "max": 1, "counts": []}}}}' > %t.histempty.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.histempty.json" 2>&1 | FileCheck %s --check-prefix=HISTEMPTY
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "count": -3}}}' > %t.count.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.count.json" 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "count": 3, "moving_min": 0, "moving_max": 1}}}' > %t.moving.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.moving.json" 2>&1 | FileCheck %s --check-prefix=MOVINGNOBATCH
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "count": 3, "batches": 1}}}' > %t.nomoving.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.nomoving.json" 2>&1 | FileCheck %s --check-prefix=BATCHNOMOVING
// RUN: echo '{"format": "qnn-stats", "version": 1, "values": {"f/arg0": {"min": 0, "max": 1, "count": 0}}}' > %t.unreached.json
// RUN: not qnn-opt %s --qnn-quantize="stats=%t.unreached.json" 2>&1 | FileCheck %s --check-prefix=UNREACHED
// NOSTATS: error: qnn-quantize: mode=static needs a statistics file (stats=<file.json>), or use mode=dynamic
// MISSING: qnn-quantize-options-invalid.mlir:0:0: error: qnn-quantize: cannot read statistics file '{{.*}}.missing.json': No such file or directory
// The parser names the position where the text ends (line 2, after the newline).
// NOTJSON: qnn-quantize-options-invalid.mlir:0:0: error: qnn-quantize: statistics file '{{.*}}.truncated.json': not valid JSON: [2:0, byte={{[0-9]+}}]: Expected object key
// NOTOBJECT: error: qnn-quantize: statistics file '{{.*}}': not a qnn-stats file: the top level is not an object
// NOFORMAT: error: qnn-quantize: statistics file '{{.*}}': not a qnn-stats file: "format" is missing
// FORMAT: error: qnn-quantize: statistics file '{{.*}}': not a qnn-stats file: format "qnn-report", expected "qnn-stats"
// VERSION: error: qnn-quantize: statistics file '{{.*}}': version 2 is not supported (this build reads version 1)
// NOVALUES: error: qnn-quantize: statistics file '{{.*}}': "values" is missing or not an object
// ENTRY: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0".min must be a number
// NOMAX: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0".max is missing
// HISTOGRAM: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0".histogram.counts must hold non-negative numbers, got -1
// DYNSTATS: error: qnn-quantize: stats= is only read with mode=static
// DYNSIGNED: error: qnn-quantize: mode=dynamic quantizes activations as ONNX DynamicQuantizeLinear does (asymmetric uint8); activation-scheme and activation-signed do not apply
// GROUP: error: qnn-quantize: weight-granularity=per-group is not offered
// SIGMOID: error: qnn-quantize: op 'tosa.sigmoid' in the ops list cannot be quantized
// GENERIC: error: qnn-quantize: op 'linalg.generic' in the ops list cannot be quantized
// TYPO: error: qnn-quantize: op 'linalg.matmull' in the exclude list cannot be quantized
// EMPTY: error: qnn-quantize: '' in the ops list is neither an op name nor a location name
// MODE: Cannot find option named 'sometimes'!
// PIPELINE: error: qnn-quantize: op 'arith.addf' in the ops list cannot be quantized

// COMPAT: Cannot find option named 'caffe2'!
// CALIB: Cannot find option named 'kl'!
// PCTZERO: error: qnn-quantize: percentile=0 is not in (0, 100]
// PCTBIG: error: qnn-quantize: percentile=100.5 is not in (0, 100]
// PCTMETHOD: error: qnn-quantize: percentile= is only used with calibration=percentile
// DYNCALIB: error: qnn-quantize: mode=dynamic computes activation parameters at run time as ONNX DynamicQuantizeLinear does; calibration, compat and activation-reduce-range apply to mode=static
// ORTRANGE: error: qnn-quantize: compat=onnxruntime chooses its own integer ranges; leave weight-range=auto
// TFLRR: error: qnn-quantize: activations: compat=tflite has no reduced range (reduce-range)
// TORCHRR: error: qnn-quantize: activations: compat=pytorch has no symmetric unsigned quantization with reduce-range
// NOHIST: error: 'linalg.matmul' op statistics of value 'f/arg0' (operand #0) have no histogram, which calibration=entropy needs
// NOMOVING: error: 'linalg.matmul' op statistics of value 'f/arg0' (operand #0) have no moving averages (movingMin, movingMax), which calibration=moving-average needs
// NONFINITE: error: 'linalg.matmul' op statistics of value 'f/arg0' (operand #0) have no finite element (calibration saw 4 NaN or infinite elements and nothing else)
// BATCHES: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0" has "non_finite" or "batches" without "count"
// PCTPIPE: error: qnn-quantize: mode=dynamic computes activation parameters at run time
// HISTRANGE: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0".histogram has the range [1, 0]: its bounds must be finite f32 values with min <= max
// HISTEMPTY: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0".histogram.counts must be a non-empty array of counts
// COUNT: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0".count must be a non-negative integer, got -3
// MOVINGNOBATCH: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0" has moving averages but no batches ("batches" must be at least 1)
// BATCHNOMOVING: error: qnn-quantize: statistics file '{{.*}}': values."f/arg0" has "batches" but no "moving_min" and "moving_max"
// UNREACHED: error: 'linalg.matmul' op statistics of value 'f/arg0' (operand #0) have no observed element (calibration never reached the value, or it is empty)
func.func @f(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
