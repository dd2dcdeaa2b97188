// Located diagnostics of qnn-quantize: values without statistics (which also
// shows the stable value names), unusable ranges, weights that cannot be
// quantized.
// RUN: qnn-opt %s --split-input-file --qnn-quantize="stats=%S/Inputs/qnn-quantize-invalid-stats.json" --verify-diagnostics

// Value names: a function argument, the n-th op of a name in the function
// (counted in textual order, named ops included), a loc("name") (also
// inside a fused location), and result k > 0 of a multi-result op.
func.func private @two() -> (tensor<2x2xf32>, tensor<2x2xf32>)
func.func @names(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>, %init: tensor<2x2xf32>) {
  // expected-error @+2 {{'linalg.matmul' op no statistics for value 'names/arg0' (operand #0)}}
  // expected-error @+1 {{'linalg.matmul' op no statistics for value 'names/arg1' (operand #1)}}
  %a = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @+1 {{no statistics for value 'names/linalg.matmul#0' (operand #0)}}
  %b = linalg.matmul ins(%a, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %n = arith.addf %b, %b : tensor<2x2xf32> loc("block1.add")
  // expected-error @+1 {{no statistics for value 'block1.add' (operand #0)}}
  %d = linalg.matmul ins(%n, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %f = arith.addf %d, %d : tensor<2x2xf32> loc(fused["model.py":3:1, "block2.add"])
  // expected-error @+1 {{no statistics for value 'block2.add' (operand #0)}}
  %e = linalg.matmul ins(%f, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  // The third arith.addf of the function: the two above are #0 and #1; the
  // arith.addf in the matmuls' bodies are not counted.
  %g = arith.addf %e, %e : tensor<2x2xf32>
  // expected-error @+1 {{no statistics for value 'names/arith.addf#2' (operand #0)}}
  %h = linalg.matmul ins(%g, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %p:2 = func.call @two() : () -> (tensor<2x2xf32>, tensor<2x2xf32>) loc("pair")
  // expected-error @+1 {{no statistics for value 'pair#1' (operand #0)}}
  %i = linalg.matmul ins(%p#1, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %q:2 = func.call @two() : () -> (tensor<2x2xf32>, tensor<2x2xf32>)
  // expected-error @+1 {{no statistics for value 'names/func.call#1#1' (operand #0)}}
  %j = linalg.matmul ins(%q#1, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @negative_range(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @+1 {{'linalg.matmul' op statistics of value 'negative_range/arg0' (operand #0) have a negative range (min 2 > max 1)}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Python's json module writes NaN and Infinity; both are read, and refused.
func.func @nan_bound(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @+1 {{statistics of value 'nan_bound/arg0' (operand #0) have a non-finite bound (min NaN, max 1)}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @infinite_bound(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @+1 {{statistics of value 'infinite_bound/arg0' (operand #0) have a non-finite bound (min -1, max Infinity)}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @beyond_f32(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @+1 {{statistics of value 'beyond_f32/arg0' (operand #0) have a bound outside the f32 range (min -1e+39, max 1)}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// A zero range is usable, with a warning: an all-zero activation gets the
// math library's scale 1.0; a constant 3.0 is widened to [0, 3] (asymmetric
// ranges include 0), so scale 3 / 255.
func.func @zero_range(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-warning @+1 {{statistics of value 'zero_range/arg0' have a zero range (min == max == 0); quantized with scale 1, zero point 0}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @constant_range(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-warning @+1 {{statistics of value 'constant_range/arg0' have a zero range (min == max == 3); quantized with scale 0.0117647}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// The element is named in the weight's own layout ([N, K] here), before the
// compile-time transpose.
func.func @nan_weight(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{cannot quantize weight of 'linalg.matmul': element [0, 1] is NaN}}
  %w = arith.constant dense<[[1.0, 0x7FC00000], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul indexing_maps = [
         affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
         affine_map<(m, n, k) -> (m, n)>]
       ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @infinite_weight(%x: tensor<1x1x2x2xf32>, %init: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  // expected-error @+1 {{cannot quantize weight of 'linalg.conv_2d_nhwc_hwcf': element [0, 1, 1, 0] is infinite}}
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [0xFF800000, 4.0]]]]> : tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x1x2x2xf32>, tensor<1x2x2x2xf32>) outs(%init : tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  return %y : tensor<1x1x1x2xf32>
}

// -----

// A constant whose data cannot be read stays in fp32, with a remark.
func.func @unreadable_constant(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense_resource<blob> : tensor<2x2xf32>
  // expected-remark @+1 {{operand #1 is a constant without f32 data to quantize; left in fp32}}
  %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
