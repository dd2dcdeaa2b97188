// qnn-insert-observers marks exactly the activations qnn-quantize would
// quantize, under the names qnn-quantize looks up: the second half of this
// file quantizes the same module with a statistics file holding only the
// observed names (OBSERVED below), which fails on any name it lacks.
// RUN: qnn-opt %s --split-input-file --qnn-insert-observers | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-insert-observers --qnn-insert-observers | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-insert-observers="exclude=fc1" | FileCheck %s --check-prefix=EXCLUDE
// RUN: qnn-opt %s --split-input-file --qnn-insert-observers="ops=linalg.batch_matmul" | FileCheck %s --check-prefix=ONLY
// RUN: qnn-opt %s --split-input-file --qnn-insert-observers="all-values=true" | FileCheck %s --check-prefix=ALL
// RUN: qnn-opt %s --split-input-file --qnn-insert-observers --qnn-strip-observers | FileCheck %s --check-prefix=STRIP
// RUN: qnn-opt %s --split-input-file --qnn-insert-observers | grep -o 'qnn.observe %[^ ]* {name = "[^"]*"}' | sed 's/.*name = "\(.*\)"}/\1/' | sort -u > %t.names
// RUN: %python -c "import json, sys; names = open(sys.argv[1]).read().split(); json.dump({'format': 'qnn-stats', 'version': 1, 'values': {n: {'min': -1.0, 'max': 1.0} for n in names}}, open(sys.argv[2], 'w'))" %t.names %t.stats.json
// RUN: qnn-opt %s --split-input-file --qnn-quantize="stats=%t.stats.json" | FileCheck %s --check-prefix=QUANT

// The argument feeds two matmuls: one observer. The ReLU between the layers
// is observed under its location name; the constant weights are not.
// CHECK-LABEL: func @mlp
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[XO:.*]] = qnn.observe %[[X]] {name = "mlp/arg0"} : tensor<4x8xf32>
// CHECK-NOT: qnn.observe
// CHECK: linalg.matmul ins(%[[XO]],
// CHECK: %[[R:.*]] = linalg.generic
// CHECK: %[[RO:.*]] = qnn.observe %[[R]] {name = "fc1.relu"} : tensor<4x8xf32>
// CHECK: linalg.matmul ins(%[[RO]],
// CHECK: linalg.matmul ins(%[[XO]],
// CHECK-NOT: qnn.observe

// EXCLUDE-LABEL: func @mlp
// EXCLUDE: qnn.observe %{{.*}} {name = "mlp/arg0"}
// EXCLUDE: qnn.observe %{{.*}} {name = "fc1.relu"}
// EXCLUDE-NOT: qnn.observe

// ALL-LABEL: func @mlp
// ALL: qnn.observe %{{.*}} {name = "mlp/arg0"}
// ALL: qnn.observe %{{.*}} {name = "fc1"}
// ALL: qnn.observe %{{.*}} {name = "fc1.relu"}
// ALL: qnn.observe %{{.*}} {name = "fc2"}
// ALL: qnn.observe %{{.*}} {name = "mlp/linalg.matmul#2"}
// ALL: qnn.observe %{{.*}} {name = "mlp/arith.addf#0"}
// ALL-NOT: qnn.observe

// STRIP-NOT: qnn.observe

// QUANT-LABEL: func @mlp
// QUANT-COUNT-2: qnn.quantize
// QUANT-NOT: qnn.quantize
// QUANT-NOT: linalg.matmul

#row = affine_map<(d0, d1) -> (d0, d1)>
func.func @mlp(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x8xf32>) -> tensor<4x8xf32>
  %w = arith.constant dense<0.5> : tensor<8x8xf32>
  %y1 = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x8xf32>)
                      outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32> loc("fc1")
  %r = linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel", "parallel"]}
      ins(%y1 : tensor<4x8xf32>) outs(%empty : tensor<4x8xf32>) {
  ^bb0(%a: f32, %unused: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32> loc("fc1.relu")
  %y2 = linalg.matmul ins(%r, %w : tensor<4x8xf32>, tensor<8x8xf32>)
                      outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32> loc("fc2")
  %y3 = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x8xf32>)
                      outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = arith.addf %y2, %y3 : tensor<4x8xf32>
  return %s, %y3 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Both operands of a batch matmul are activations; a transposed one is
// observed before the transpose qnn-quantize inserts (the range is the
// same). The convolution's input is observed, its filter is not.
// CHECK-LABEL: func @two_activations
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<2x4x5xf32>, %[[I:.*]]: tensor<1x4x4x2xf32>)
// CHECK-DAG: qnn.observe %[[A]] {name = "two_activations/arg0"}
// CHECK-DAG: qnn.observe %[[B]] {name = "two_activations/arg1"}
// CHECK-DAG: qnn.observe %[[I]] {name = "two_activations/arg2"}
// CHECK-NOT: qnn.observe

// EXCLUDE-LABEL: func @two_activations
// ALL-LABEL: func @two_activations
// ONLY-LABEL: func @two_activations
// ONLY-DAG: qnn.observe %{{.*}} {name = "two_activations/arg0"}
// ONLY-DAG: qnn.observe %{{.*}} {name = "two_activations/arg1"}
// ONLY-NOT: qnn.observe

// QUANT-LABEL: func @two_activations
// QUANT-COUNT-3: qnn.quantize
// QUANT-NOT: qnn.quantize
func.func @two_activations(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %img: tensor<1x4x4x2xf32>)
    -> (tensor<2x3x5xf32>, tensor<1x4x4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x5xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %y = linalg.batch_matmul ins(%a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>)
                           outs(%z : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %ce = tensor.empty() : tensor<1x4x4x3xf32>
  %cz = linalg.fill ins(%zero : f32) outs(%ce : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %f = arith.constant dense<0.25> : tensor<1x1x2x3xf32>
  %c = linalg.conv_2d_nhwc_hwcf ins(%img, %f : tensor<1x4x4x2xf32>, tensor<1x1x2x3xf32>)
                                outs(%cz : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %y, %c : tensor<2x3x5xf32>, tensor<1x4x4x3xf32>
}
