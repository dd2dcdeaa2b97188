// qnn-pipeline: an fp32 MLP (matmul, bias, ReLU, matmul) quantized with a
// statistics file, fused and lowered to LLVM, and run. The inputs, weights
// and ranges are chosen so that every scale is a power of two and every
// integer step exact: the int8 result is the exact real result, which the
// fp32 model also computes (x = 0.25 and 0.125 everywhere; layer 1 gives
// [2.25, 1, 3, 0] and [1.25, 0.5, 1.5, 0] after the ReLU).
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json target=generic" | FileCheck %s
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json target=avx2" | FileCheck %s --check-prefix=KERNELS
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json target=avx2" \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN:   | FileCheck %s --check-prefix=EXEC
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json" \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN:   | FileCheck %s --check-prefix=EXEC
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json rescale=float vectorize=false" \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN:   | FileCheck %s --check-prefix=EXEC
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json activation-signed=true fold-zero-points=false" \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN:   | FileCheck %s --check-prefix=EXEC
// Every option reaches its pass.
// RUN: qnn-opt %s --qnn-pipeline="mode=dynamic activation-signed=false weight-scheme=asymmetric weight-granularity=per-tensor weight-range=full rounding=half-away-from-zero ops=fc1,fc2 exclude=fc3 rescale=float fold-zero-points=false vector-size=8 tile-m=2 tile-k=4 target=avx2 threads=2 reassociate-fp-reductions=true" \
// RUN:   --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPELINE
// The calibration options reach qnn-quantize (which then misses the
// histogram these statistics do not have).
// RUN: not qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json compat=pytorch calibration=percentile percentile=99.9 activation-reduce-range=true weight-reduce-range=true" \
// RUN:   --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=CALIB
// RUN: qnn-opt %s --qnn-pipeline="stats=%S/Inputs/qnn-pipeline-stats.json tosa=false vectorize=false" \
// RUN:   --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOTOSA

// Without kernels (target=generic) the weights are i8 globals; the matmuls
// and the requantize between them are integer vector code (the fixed-point
// high multiply in i64 lanes).
// CHECK: llvm.mlir.global private constant @{{.*}}(dense<{{\[\[}}127, 127, 127, -127]{{.*}}> : tensor<8x4xi8>)
// CHECK-LABEL: llvm.func @mlp
// CHECK: llvm.sext %{{.*}} : vector<4xi32> to vector<4xi64>
// CHECK: llvm.mul %{{.*}}, %{{.*}} : vector<4xi64>
// CHECK: llvm.sdiv %{{.*}}, %{{.*}} : vector<4xi64>
// CHECK-LABEL: llvm.func @main
// CHECK-NOT: {{ (arith|linalg|qnn|quant|tensor|vector)\.}}

// With the AVX2 kernels, the weights are packed into pairs of k per lane
// (8 x 4 -> one panel of 8 columns, 4 pairs of rows) and multiplied with
// vpmaddwd.
// KERNELS: llvm.mlir.global private constant @{{.*}} : tensor<1x4x16xi8>)
// KERNELS: llvm.func @llvm.x86.avx2.pmadd.wd(vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// KERNELS-LABEL: llvm.func @mlp
// KERNELS: llvm.call @llvm.x86.avx2.pmadd.wd

// EXEC: sizes = [2, 3]
// EXEC: {{\[\[}}17.8594, -7.9375, 24.0156],
// EXEC-NEXT: [9.92188, -3.96875, 12.0156]]

// CALIB: qnn-quantize{activation-reduce-range=true {{.*}} calibration=percentile compat=pytorch {{.*}} percentile=9.990000e+01 {{.*}} weight-range=auto weight-reduce-range=true
// CALIB: error: {{.*}} statistics of value 'mlp/arg0' (operand #0) have no histogram, which calibration=percentile needs

// PIPELINE: func.func(
// PIPELINE-NEXT: tosa-to-linalg-named{prefer-conv2d-kernel-layout-hwcf=false}
// PIPELINE-NEXT: ),
// PIPELINE-NEXT: qnn-quantize{activation-reduce-range=false activation-scheme=asymmetric activation-signed=false calibration=minmax compat=none exclude={fc3} mode=dynamic ops={fc1,fc2} percentile=9.999000e+01 rounding=half-away-from-zero stats= weight-granularity=per-tensor weight-range=full weight-reduce-range=false weight-scheme=asymmetric},
// PIPELINE-NEXT: qnn-fuse{fold-zero-points=false rescale=float},
// PIPELINE-NEXT: canonicalize
// PIPELINE-NEXT: cse,
// PIPELINE: convert-qnn-to-linalg,
// PIPELINE: qnn-cpu-contraction-kernels{target=avx2 threads=2}
// PIPELINE: qnn-cpu-vectorize{tile-k=4 tile-m=2 vector-size=8}
// PIPELINE: one-shot-bufferize
// PIPELINE: scf-forall-to-parallel
// PIPELINE: convert-scf-to-openmp{num-threads=2}
// PIPELINE: qnn-inline-alloca-scopes
// PIPELINE: convert-vector-to-llvm{{.*}}reassociate-fp-reductions=true
// PIPELINE: convert-openmp-to-llvm

// Without TOSA the first pass is qnn-quantize; without vectorization there
// is no qnn-cpu-vectorize.
// NOTOSA: builtin.module(
// NOTOSA-NEXT: qnn-quantize{
// NOTOSA-NOT: tosa-to-linalg
// NOTOSA-NOT: qnn-cpu-vectorize

#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @mlp(%x: tensor<2x8xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[7.9375, 7.9375, 7.9375, -7.9375],
                              [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0],
                              [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0],
                              [0.0625, -3.9375, 4.0625, 0.0]]> : tensor<8x4xf32> loc("fc1.weight")
  %b1 = arith.constant dense<[0.25, 0.0, 0.0, 0.0]> : tensor<4xf32> loc("fc1.bias")
  %e1 = tensor.empty() : tensor<2x4xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm1 = linalg.matmul ins(%x, %w1 : tensor<2x8xf32>, tensor<8x4xf32>) outs(%z1 : tensor<2x4xf32>) -> tensor<2x4xf32> loc("fc1")
  %h1 = linalg.generic {indexing_maps = [#row, #bias, #row], iterator_types = ["parallel", "parallel"]}
      ins(%mm1, %b1 : tensor<2x4xf32>, tensor<4xf32>) outs(%e1 : tensor<2x4xf32>) {
  ^bb0(%a: f32, %b: f32, %unused: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32> loc("fc1.relu")
  %w2 = arith.constant dense<[[7.9375, 0.0, 0.0625], [0.0, -7.9375, 0.0625], [0.0, 0.0, 7.9375], [0.0, 0.0, 1.0]]> : tensor<4x3xf32> loc("fc2.weight")
  %e2 = tensor.empty() : tensor<2x3xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%h1, %w2 : tensor<2x4xf32>, tensor<4x3xf32>) outs(%z2 : tensor<2x3xf32>) -> tensor<2x3xf32> loc("fc2")
  return %y : tensor<2x3xf32>
}
func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %x = arith.constant dense<[[0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25], [0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125]]> : tensor<2x8xf32>
  %y = func.call @mlp(%x) : (tensor<2x8xf32>) -> tensor<2x3xf32>
  %u = tensor.cast %y : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
