// A bias that qnn-fuse folds into int32 keeps its name and reports what
// rounding it to the accumulator grid cost; its scales are the
// accumulator's, so it costs no scale bytes.
// RUN: qnn-opt %s --qnn-fuse --qnn-report -o /dev/null | FileCheck %s

// The accumulator scale is 0.5 * 0.25 = 0.125: 0.3 -> 2 (0.25), -0.2 -> -2
// (-0.25); both errors 0.05, SQNR 10 log10((0.09 + 0.04) / 0.005) = 14.15.
// CHECK: qnn-report: 2 quantized tensors
// CHECK: fc.bias{{ +}}2{{ +}}i32{{ +}}symmetric{{ +}}per-tensor{{ +}}5.000e-02{{ +}}5.000e-02{{ +}}14.15{{ +}}8{{ +}}8
// CHECK: total: 40 B fp32 -> 20 B quantized

!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32, 0.25>
!acc = !quant.uniform<i32:f32, 0.125>
func.func @dense(%x: tensor<3x4x!x>) -> tensor<3x2xf32> {
  %w = qnn.constant dense<[[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8> -> tensor<4x2x!w> loc("fc.weight")
  %acc = qnn.matmul %x, %w : (tensor<3x4x!x>, tensor<4x2x!w>) -> tensor<3x2x!acc>
  %y = quant.dcast %acc : tensor<3x2x!acc> to tensor<3x2xf32>
  %b = arith.constant dense<[[0.3, -0.2]]> : tensor<1x2xf32> loc("fc.bias")
  %e = tensor.empty() : tensor<3x2xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                         iterator_types = ["parallel", "parallel"]}
      ins(%y, %b : tensor<3x2xf32>, tensor<1x2xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<3x2xf32>
  return %sum : tensor<3x2xf32>
}
