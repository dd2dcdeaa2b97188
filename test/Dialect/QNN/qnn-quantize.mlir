// Static W8A8 rewriting of every supported op form.
// RUN: qnn-opt %s --split-input-file --qnn-quantize="stats=%S/Inputs/qnn-quantize-stats.json" | FileCheck %s

// Activations have the range [-0.5, 2.05] unless said otherwise: asymmetric
// uint8 with scale 2.55 / 255 = 0.01 and zero point 0.5 / 0.01 = 50.
// B = [[1, -2], [0.5, 4]] ([K, N]) is quantized per column (output channel):
// scales 1/127 and 4/127, so 1 -> 127, 0.5 -> 63.5 -> 64 (ties to even),
// -2 -> -63.5 -> -64, 4 -> 127.

// CHECK-LABEL: func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<3x2xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[XQ:.*]] = qnn.quantize %[[X]] : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0099999{{[0-9]*}}:50>>
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[}}127, -64], [64, 127]]> : tensor<2x2xi8>
// CHECK-SAME: -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.0078740{{[0-9]*}},0.031496{{[0-9]*}}}>>
// CHECK: %[[ACC:.*]] = qnn.matmul %[[XQ]], %[[W]] : {{.*}} -> tensor<3x2x!quant.uniform<i32:f32:1, {{.*}}>>
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]] : {{.*}} to tensor<3x2xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[Y]]
func.func @matmul(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// B stored [N, K] is transposed at compile time: the same integers as above.

// CHECK-LABEL: func @matmul_transposed_b
// CHECK: %[[XQ:.*]] = qnn.quantize
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[}}127, -64], [64, 127]]> : tensor<2x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:1,
// CHECK: qnn.matmul %[[XQ]], %[[W]]
func.func @matmul_transposed_b(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, 0.5], [-2.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul indexing_maps = [
         affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
         affine_map<(m, n, k) -> (m, n)>]
       ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>)
       outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A read as [K, M]: the fp32 activation is transposed, then quantized with
// its own statistics.

// CHECK-LABEL: func @matmul_transposed_a
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: %[[XQ:.*]] = qnn.quantize %[[T]] : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0099999{{[0-9]*}}:50>>
// CHECK: qnn.matmul %[[XQ]], %{{.*}} : (tensor<3x2x
func.func @matmul_transposed_a(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul indexing_maps = [
         affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>,
         affine_map<(m, n, k) -> (m, n)>]
       ins(%x, %w : tensor<2x3xf32>, tensor<2x2xf32>)
       outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Activation x activation: both per tensor. The second has the range
// [0, 6.375]: scale 6.375 / 255 = 0.025, zero point 0, and the accumulator
// scale 0.01 * 0.025 = 2.5e-4. The init is not zero: added back in fp32.

// CHECK-LABEL: func @batch_matmul_activations
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<2x4x5xf32>, %[[INIT:.*]]: tensor<2x3x5xf32>)
// CHECK-DAG: %[[BQ:.*]] = qnn.quantize %[[B]] : tensor<2x4x5xf32> -> tensor<2x4x5x!quant.uniform<u8:f32, 0.0250000{{[0-9]*}}>>
// CHECK-DAG: %[[AQ:.*]] = qnn.quantize %[[A]] : tensor<2x3x4xf32> -> tensor<2x3x4x!quant.uniform<u8:f32, 0.0099999{{[0-9]*}}:50>>
// CHECK: %[[ACC:.*]] = qnn.batch_matmul %[[AQ]], %[[BQ]] : {{.*}} -> tensor<2x3x5x!quant.uniform<i32:f32, 2.4999999{{[0-9]*}}E-4>>
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]]
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[Y]], %[[INIT]] : tensor<2x3x5xf32>, tensor<2x3x5xf32>)
// CHECK: return %[[SUM]]
func.func @batch_matmul_activations(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %init: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %y = linalg.batch_matmul ins(%a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>)
                           outs(%init : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// -----

// A constant B [batch, K, N] per output channel (axis 2): columns
// [1, 2, 3, 4] and [-1, -2, -4, -8] have absmax 4 and 8 over both batches.

// CHECK-LABEL: func @batch_matmul_weight
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[\[}}32, -16], [64, -32]], {{\[\[}}95, -64], [127, -127]]]> : tensor<2x2x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:2, {0.031496{{[0-9]*}},0.062992{{[0-9]*}}}>
// CHECK: qnn.batch_matmul %{{.*}}, %[[W]] : {{.*}} -> tensor<2x3x2x!quant.uniform<i32:f32:2,
func.func @batch_matmul_weight(%x: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %empty = tensor.empty() : tensor<2x3x2xf32>
  %w = arith.constant dense<[[[1.0, -1.0], [2.0, -2.0]], [[3.0, -4.0], [4.0, -8.0]]]> : tensor<2x2x2xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x2xf32>, tensor<2x2x2xf32>)
                           outs(%empty : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// The fp32 tensor.pad stays; its result is the activation
// (`<function>/tensor.pad#0`). Filter HWCF [1, 1, 2, 2] = [[1, 2], [-1, -2]]
// per output channel: absmax 1 and 2, so every value is +-127.

// CHECK-LABEL: func @conv_nhwc_hwcf
// CHECK: %[[PAD:.*]] = tensor.pad
// CHECK: %[[XQ:.*]] = qnn.quantize %[[PAD]] : tensor<1x6x6x2xf32> -> tensor<1x6x6x2x!quant.uniform<u8:f32, 0.0099999{{[0-9]*}}:50>>
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[\[\[}}127, 127], [-127, -127]]]]> : tensor<1x1x2x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:3, {0.0078740{{[0-9]*}},0.015748{{[0-9]*}}}>
// CHECK: %[[ACC:.*]] = qnn.conv2d %[[XQ]], %[[W]] {dilations = array<i64: 1, 2>, strides = array<i64: 2, 1>}
// CHECK-SAME: -> tensor<1x3x6x2x!quant.uniform<i32:f32:3,
// CHECK: quant.dcast %[[ACC]] : {{.*}} to tensor<1x3x6x2xf32>
func.func @conv_nhwc_hwcf(%x: tensor<1x4x4x2xf32>) -> tensor<1x3x6x2xf32> {
  %zero = arith.constant 0.0 : f32
  %pad = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x2xf32> to tensor<1x6x6x2xf32>
  %empty = tensor.empty() : tensor<1x3x6x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x3x6x2xf32>) -> tensor<1x3x6x2xf32>
  %w = arith.constant dense<[[[[1.0, 2.0], [-1.0, -2.0]]]]> : tensor<1x1x2x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
         ins(%pad, %w : tensor<1x6x6x2xf32>, tensor<1x1x2x2xf32>)
         outs(%init : tensor<1x3x6x2xf32>) -> tensor<1x3x6x2xf32>
  return %y : tensor<1x3x6x2xf32>
}

// -----

// The FHWC filter [2, 1, 1, 2] = [[1, -1], [2, -2]] is the HWCF filter of the
// previous test, transposed at compile time.

// CHECK-LABEL: func @conv_nhwc_fhwc
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[\[\[}}127, 127], [-127, -127]]]]> : tensor<1x1x2x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:3,
// CHECK: qnn.conv2d %{{.*}}, %[[W]] :
func.func @conv_nhwc_fhwc(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %empty = tensor.empty() : tensor<1x4x4x2xf32>
  %w = arith.constant dense<[[[[1.0, -1.0]]], [[[2.0, -2.0]]]]> : tensor<2x1x1x2xf32>
  %y = linalg.conv_2d_nhwc_fhwc ins(%x, %w : tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>)
                                outs(%empty : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// NCHW: the filter FCHW is quantized along 0, the result along 1.

// CHECK-LABEL: func @conv_nchw_fchw
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[\[\[}}127]], {{\[\[}}-127]]], {{\[\[\[}}127]], {{\[\[}}-127]]]]> : tensor<2x2x1x1xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:0, {0.0078740{{[0-9]*}},0.015748{{[0-9]*}}}>
// CHECK: qnn.conv2d %{{.*}}, %[[W]] {data_format = #qnn.data_format<nchw>}
// CHECK-SAME: -> tensor<1x2x4x4x!quant.uniform<i32:f32:1,
func.func @conv_nchw_fchw(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %empty = tensor.empty() : tensor<1x2x4x4xf32>
  %w = arith.constant dense<[[[[1.0]], [[-1.0]]], [[[2.0]], [[-2.0]]]]> : tensor<2x2x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>)
                                outs(%empty : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Depthwise [KH, KW, C] = [1, 2, 2] becomes a grouped convolution's
// [KH, KW, 1, C] with groups = C. Per channel: [1, -0.5] (absmax 1) and
// [2, -1] (absmax 2), so 127 and -63.5 -> -64 in both.

// CHECK-LABEL: func @depthwise_hwc
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[\[\[}}127, 127]], {{\[\[}}-64, -64]]]]> : tensor<1x2x1x2xi8>
// CHECK-SAME: !quant.uniform<i8<-127:127>:f32:3, {0.0078740{{[0-9]*}},0.015748{{[0-9]*}}}>
// CHECK: qnn.conv2d %{{.*}}, %[[W]] {groups = 2 : i64}
// CHECK-SAME: -> tensor<1x4x3x2x!quant.uniform<i32:f32:3,
func.func @depthwise_hwc(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x3x2xf32> {
  %empty = tensor.empty() : tensor<1x4x3x2xf32>
  %w = arith.constant dense<[[[1.0, 2.0], [-0.5, -1.0]]]> : tensor<1x2x2xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x2x2xf32>)
                                         outs(%empty : tensor<1x4x3x2xf32>) -> tensor<1x4x3x2xf32>
  return %y : tensor<1x4x3x2xf32>
}

// -----

// With a channel multiplier M = 2 the filter [1, 1, C, M] is
// [1, 1, 1, C * M] (one value per output channel: +-127), and the result
// [N, OH, OW, C * M] is expanded back to [N, OH, OW, C, M].

// CHECK-LABEL: func @depthwise_hwcm
// CHECK: %[[W:.*]] = qnn.constant dense<{{\[\[\[\[}}127, 127, 127, -127]]]]> : tensor<1x1x1x4xi8>
// CHECK: %[[ACC:.*]] = qnn.conv2d %{{.*}}, %[[W]] {groups = 2 : i64} : {{.*}} -> tensor<1x4x4x4x!quant.uniform<i32:f32:3,
// CHECK: %[[Y:.*]] = quant.dcast %[[ACC]] : {{.*}} to tensor<1x4x4x4xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 4, 4, 2, 2] : tensor<1x4x4x4xf32> into tensor<1x4x4x2x2xf32>
// CHECK: return %[[E]]
func.func @depthwise_hwcm(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x4x4x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x4x4x2x2xf32>) -> tensor<1x4x4x2x2xf32>
  %w = arith.constant dense<[[[[1.0, 2.0], [4.0, -8.0]]]]> : tensor<1x1x2x2xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwcm ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>)
                                          outs(%init : tensor<1x4x4x2x2xf32>) -> tensor<1x4x4x2x2xf32>
  return %y : tensor<1x4x4x2x2xf32>
}

// -----

// Two ops reading the same value with the same parameters share one
// qnn.quantize.

// CHECK-LABEL: func @shared
// CHECK-SAME: (%[[X:.*]]: tensor<3x2xf32>)
// CHECK: %[[XQ:.*]] = qnn.quantize %[[X]]
// CHECK-NOT: qnn.quantize
// CHECK: qnn.matmul %[[XQ]],
// CHECK-NOT: qnn.quantize
// CHECK: qnn.matmul %[[XQ]],
func.func @shared(%x: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %empty = tensor.empty() : tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %w2 = arith.constant dense<[[2.0, 1.0], [1.0, 2.0]]> : tensor<2x2xf32>
  %y1 = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>)
                      outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y2 = linalg.matmul ins(%x, %w2 : tensor<3x2xf32>, tensor<2x2xf32>)
                      outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y1, %y2 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// Two layers: the second reads the first's ReLU, named by its location
// (`fc1.relu`, range [0, 6.375]: scale 0.025, zero point 0). The ReLU stays
// in fp32 and reads the first layer's quant.dcast.

// CHECK-LABEL: func @chain
// CHECK: %[[ACC1:.*]] = qnn.matmul
// CHECK: %[[Y1:.*]] = quant.dcast %[[ACC1]]
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[Y1]] :
// CHECK: %[[RQ:.*]] = qnn.quantize %[[RELU]] : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<u8:f32, 0.0250000{{[0-9]*}}>>
// CHECK: %[[ACC2:.*]] = qnn.matmul %[[RQ]],
// CHECK: %[[Y2:.*]] = quant.dcast %[[ACC2]]
// CHECK: return %[[Y2]]
func.func @chain(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32> loc("fc1")
  %relu = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                          iterator_types = ["parallel", "parallel"]}
      ins(%h : tensor<3x2xf32>) outs(%empty : tensor<3x2xf32>) {
  ^bb0(%a: f32, %unused: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<3x2xf32> loc("fc1.relu")
  %w2 = arith.constant dense<[[2.0, 1.0], [1.0, 2.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%relu, %w2 : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32> loc("fc2")
  return %y : tensor<3x2xf32>
}

// -----

// An init that is not zero is added back after the dcast; a tensor.empty
// init (undefined contents) is not.

// CHECK-LABEL: func @nonzero_init
// CHECK-SAME: %[[INIT:[a-z0-9]*]]: tensor<3x2xf32>)
// CHECK: %[[Y:.*]] = quant.dcast
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[Y]], %[[INIT]] :
// CHECK: return %[[SUM]]
func.func @nonzero_init(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// CHECK-LABEL: func @empty_init
// CHECK: %[[Y:.*]] = quant.dcast
// CHECK-NEXT: return %[[Y]]
func.func @empty_init(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %empty = tensor.empty() : tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>)
                     outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A dynamic batch dimension: the types carry it through.

// CHECK-LABEL: func @dynamic_batch
// CHECK: qnn.quantize %{{.*}} : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<u8:f32,
// CHECK: qnn.matmul {{.*}} -> tensor<?x2x!quant.uniform<i32:f32:1,
// CHECK: quant.dcast {{.*}} to tensor<?x2xf32>
func.func @dynamic_batch(%x: tensor<?x2xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %filled = linalg.fill ins(%zero : f32) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x2xf32>)
                     outs(%filled : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Left in fp32 without a diagnostic: ops qnn has no integer form for, and
// ops on other element types. No statistics are needed for them.

// CHECK-LABEL: func @unsupported
// CHECK-NOT: qnn.
// CHECK: linalg.matvec
// CHECK: linalg.matmul {{.*}} tensor<2x2xf16>
// CHECK: linalg.matmul indexing_maps
// CHECK-NOT: qnn.
func.func @unsupported(%a: tensor<3x2xf32>, %v: tensor<2xf32>, %vinit: tensor<3xf32>,
                       %h: tensor<2x2xf16>, %hinit: tensor<2x2xf16>,
                       %b: tensor<2xf32>, %bw: tensor<2x2xf32>, %binit: tensor<3x2xf32>) -> (tensor<3xf32>, tensor<2x2xf16>, tensor<3x2xf32>) {
  %mv = linalg.matvec ins(%a, %v : tensor<3x2xf32>, tensor<2xf32>) outs(%vinit : tensor<3xf32>) -> tensor<3xf32>
  %half = linalg.matmul ins(%h, %h : tensor<2x2xf16>, tensor<2x2xf16>) outs(%hinit : tensor<2x2xf16>) -> tensor<2x2xf16>
  // A broadcast lhs: not a plain matrix product.
  %bcast = linalg.matmul indexing_maps = [
             affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>,
             affine_map<(m, n, k) -> (m, n)>]
           ins(%b, %bw : tensor<2xf32>, tensor<2x2xf32>) outs(%binit : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %mv, %half, %bcast : tensor<3xf32>, tensor<2x2xf16>, tensor<3x2xf32>
}
