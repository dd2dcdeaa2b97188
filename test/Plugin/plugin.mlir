// Loads libQNNPlugin.so into Debian's own mlir-opt (not qnn-opt) and runs
// the seed's GNMT weight quantization through it.
//
// An ASan-instrumented plugin cannot be loaded into the uninstrumented host.
// UNSUPPORTED: asan
//
// mlir-opt builds its pass flags before loading plugins, so plugin passes are
// named in --pass-pipeline rather than as --qnn-quantize-weights.
// RUN: mlir-opt %s --load-dialect-plugin=%qnn_plugin \
// RUN:   --load-pass-plugin=%qnn_plugin \
// RUN:   --pass-pipeline='builtin.module(qnn-quantize-weights)' \
// RUN:   | FileCheck %s
//
// The dialect plugin alone must be enough to parse the quantized IR back.
// RUN: mlir-opt %s --load-pass-plugin=%qnn_plugin \
// RUN:   --pass-pipeline='builtin.module(qnn-quantize-weights)' \
// RUN:   | mlir-opt --load-dialect-plugin=%qnn_plugin \
// RUN:   | FileCheck %s
//
// The registered pipelines come with the plugin: down to the LLVM dialect
// inside Debian's mlir-opt.
// RUN: mlir-opt %s --load-dialect-plugin=%qnn_plugin \
// RUN:   --pass-pipeline='builtin.module(qnn-quantize-weights, qnn-lower-to-llvm)' \
// RUN:   | FileCheck %s --check-prefix=LLVM

// LLVM-NOT: qnn.
// LLVM-NOT: linalg.
// LLVM: llvm.func @gnmt
// LLVM-NOT: qnn.
// LLVM-NOT: linalg.

// CHECK-LABEL: func.func @gnmt
// CHECK: %[[Q:.*]] = qnn.constant dense<{{\[}}[33, -66, 127], [0, 0, 0], [-119, -127, -117]]> : tensor<3x3xi8>
// CHECK-SAME: -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0,
// CHECK: %[[W:.*]] = quant.dcast %[[Q]]
// CHECK: linalg.matmul
// CHECK-SAME: ins(%{{.*}}, %[[W]] :
func.func @gnmt(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[0.0114, -0.0231, 0.0445], [0.0, 0.0, 0.0],
                             [-0.0409, -0.0435, -0.0400]]> : tensor<3x3xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x3xf32>)
      -> tensor<1x3xf32>
  %y = linalg.matmul indexing_maps = [
           affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
           affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<1x3xf32>, tensor<3x3xf32>)
         outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
