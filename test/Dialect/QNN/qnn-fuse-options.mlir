// The options of qnn-fuse.
// RUN: qnn-opt %s --qnn-fuse | FileCheck %s --check-prefix=DEFAULT
// RUN: qnn-opt %s --qnn-fuse="rescale=float" | FileCheck %s --check-prefix=FLOAT
// RUN: qnn-opt %s --qnn-fuse="fold-zero-points=false" | FileCheck %s --check-prefix=NOZP

!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>
!acc = !quant.uniform<i32:f32:1, {2.0e-4, 4.0e-4}>
!h = !quant.uniform<u8:f32, 0.05:0>

// rescale: the requantize's arithmetic (fixed point, the default, is not
// printed). fold-zero-points: with it, -128 * column sums (1 + 3 = 4,
// -2 + 4 = 2) become the bias; without it the matmul keeps its zero point.

// DEFAULT-LABEL: func @layer
// DEFAULT: %[[B:.*]] = qnn.constant dense<[-512, -256]> : tensor<2xi32>
// DEFAULT: quant.scast
// DEFAULT: %[[ACC:.*]] = qnn.matmul %{{.*}}, %{{.*}}, %[[B]]
// DEFAULT: qnn.requantize %[[ACC]] :

// FLOAT-LABEL: func @layer
// FLOAT: qnn.requantize %{{.*}} {mode = #qnn.rescale<float>} :

// NOZP-LABEL: func @layer
// NOZP-SAME: (%[[X:.*]]: tensor<4x2xf32>)
// NOZP-NOT: quant.scast
// NOZP: %[[XQ:.*]] = qnn.quantize %[[X]]
// NOZP: %[[ACC:.*]] = qnn.matmul %[[XQ]], %{{[^,]*}} :
// NOZP: qnn.requantize %[[ACC]] :
func.func @layer(%x: tensor<4x2xf32>) -> tensor<4x2x!h> {
  %xq = qnn.quantize %x : tensor<4x2xf32> -> tensor<4x2x!x>
  %w = qnn.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!w>
  %acc = qnn.matmul %xq, %w : (tensor<4x2x!x>, tensor<2x2x!w>) -> tensor<4x2x!acc>
  %y = quant.dcast %acc : tensor<4x2x!acc> to tensor<4x2xf32>
  %h = qnn.quantize %y : tensor<4x2xf32> -> tensor<4x2x!h>
  return %h : tensor<4x2x!h>
}
