// RUN: qnn-opt %s --qnn-quantize-weights --qnn-report -o /dev/null | FileCheck %s --check-prefix=TABLE
// RUN: qnn-opt %s --qnn-quantize-weights --qnn-report="table=false output=%t.json" | FileCheck %s --check-prefix=IR
// RUN: %python %S/Inputs/check_report.py %t.json
// RUN: not qnn-opt %s --qnn-report="output=%t.missing/dir/report.json table=false" 2>&1 | FileCheck %s --check-prefix=NOFILE

// TABLE: qnn-report: 2 quantized tensors
// TABLE-NEXT: name{{ +}}shape{{ +}}storage{{ +}}scheme{{ +}}granularity{{ +}}max|err|{{ +}}mean|err|{{ +}}SQNR(dB){{ +}}fp32(B){{ +}}quant(B)
// TABLE-NEXT: gnmt.weight{{ +}}3x3{{ +}}i8{{ +}}symmetric{{ +}}per-channel:0{{ +}}1.630e-04{{ +}}4.488e-05{{ +}}51.73{{ +}}36{{ +}}21
// TABLE-NEXT: conv.weight{{ +}}1x1x2x2{{ +}}i8{{ +}}symmetric{{ +}}per-channel:3{{ +}}0.000e+00{{ +}}0.000e+00{{ +}}inf{{ +}}16{{ +}}12
// TABLE-NEXT: total: 52 B fp32 -> 33 B quantized, 19 B saved (1.58x smaller)

// The report only reads the IR.
// IR: qnn.constant
// IR: qnn.constant

// NOFILE: error: qnn-report: cannot write '{{.*}}report.json': No such file or directory

func.func @model(%x: tensor<1x3xf32>, %init: tensor<1x3xf32>, %img: tensor<1x2x2x2xf32>, %out: tensor<1x2x2x2xf32>) -> (tensor<1x3xf32>, tensor<1x2x2x2xf32>) {
  %w = arith.constant dense<[[0.0114, -0.0231, 0.0445], [0.0, 0.0, 0.0], [-0.0409, -0.0435, -0.0400]]> : tensor<3x3xf32> loc("gnmt.weight")
  %y = linalg.matmul indexing_maps = [
         affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
         affine_map<(m, n, k) -> (m, n)>]
       ins(%x, %w : tensor<1x3xf32>, tensor<3x3xf32>)
       outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  // Powers of two over 127: quantized without error.
  %f = arith.constant dense<[[[[1.0, 2.0], [-1.0, -2.0]]]]> : tensor<1x1x2x2xf32> loc("conv.weight")
  %c = linalg.conv_2d_nhwc_hwcf ins(%img, %f : tensor<1x2x2x2xf32>, tensor<1x1x2x2xf32>)
                                outs(%out : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y, %c : tensor<1x3xf32>, tensor<1x2x2x2xf32>
}
