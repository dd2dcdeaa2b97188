// Bad options of qnn-pipeline are rejected when the pipeline is parsed,
// with the stage that objects named; errors of the passes at run time are
// located.
// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic tile-m=0" 2>&1 | FileCheck %s --check-prefix=TILEM
// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic threads=-1" 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not qnn-opt %s --qnn-pipeline 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic stats=%S/Inputs/qnn-pipeline-stats.json" 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic weight-granularity=per-group" 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic rescale=double" 2>&1 | FileCheck %s --check-prefix=ENUM
// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic vectorise=false" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not qnn-opt %s --qnn-pipeline="stats=%S/Inputs/does-not-exist.json" 2>&1 | FileCheck %s --check-prefix=MISSING

// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic compat=caffe2" 2>&1 | FileCheck %s --check-prefix=COMPAT
// RUN: not qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json calibration=percentile percentile=0" 2>&1 | FileCheck %s --check-prefix=PCT
// RUN: not qnn-opt %s --qnn-pipeline="mode=dynamic calibration=entropy" 2>&1 | FileCheck %s --check-prefix=DYNCALIB
// TILEM: error: qnn-pipeline: tile-m must be positive, got 0
// THREADS: error: qnn-pipeline: threads must be positive, got -1
// STATS: error: qnn-pipeline: qnn-quantize: mode=static needs a statistics file (stats=<file.json>), or use mode=dynamic
// DYNAMIC: error: qnn-pipeline: qnn-quantize: stats= is only read with mode=static
// GROUP: error: qnn-pipeline: qnn-quantize: weight-granularity=per-group is not offered
// ENUM: for the --rescale option: Cannot find option named 'double'!
// UNKNOWN: no such option vectorise
// MISSING: qnn-pipeline-invalid.mlir:0:0: error: qnn-quantize: cannot read statistics file '{{.*}}does-not-exist.json'

// COMPAT: for the --compat option: Cannot find option named 'caffe2'!
// PCT: error: qnn-pipeline: qnn-quantize: percentile=0 is not in (0, 100]
// DYNCALIB: error: qnn-pipeline: qnn-quantize: mode=dynamic computes activation parameters at run time
func.func @f(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x4xf32>) outs(%z : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
