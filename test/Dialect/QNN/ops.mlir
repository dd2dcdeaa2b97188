// RUN: qnn-opt %s --split-input-file | qnn-opt | FileCheck %s
// RUN: qnn-opt %s --split-input-file --mlir-print-op-generic | qnn-opt | FileCheck %s
// RUN: qnn-opt %s --split-input-file --canonicalize --cse | FileCheck %s --check-prefix=CHECK

// CHECK-LABEL: func @constant_per_axis
// CHECK: qnn.constant dense<{{\[\[}}33, -66, 127], [0, 0, 0], [-119, -127, -117]]> : tensor<3x3xi8> -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0, {3.500000e-04,1.000000e+00,3.400000e-04}>>
func.func @constant_per_axis() -> tensor<3x3xf32> {
  %q = qnn.constant dense<[[33, -66, 127], [0, 0, 0], [-119, -127, -117]]> : tensor<3x3xi8>
      -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0, {3.5e-4, 1.0, 3.4e-4}>>
  %f = quant.dcast %q : tensor<3x3x!quant.uniform<i8<-127:127>:f32:0, {3.5e-4, 1.0, 3.4e-4}>> to tensor<3x3xf32>
  return %f : tensor<3x3xf32>
}

// -----

// CHECK-LABEL: func @constant_with_error
// CHECK: qnn.constant dense<[1, -2]> : tensor<2xi8> {error = #qnn.error<max_abs = 2.500000e-01, mean_abs = 1.250000e-01, mse = 3.125000e-02, sqnr_db = inf>}
// CHECK-SAME: -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
func.func @constant_with_error() -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  %q = qnn.constant dense<[1, -2]> : tensor<2xi8>
      {error = #qnn.error<max_abs = 0.25, mean_abs = 0.125, mse = 0.03125, sqnr_db = inf>}
      -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// CHECK-LABEL: func @constant_negative_sqnr
// CHECK: sqnr_db = -inf
func.func @constant_negative_sqnr() -> tensor<1x!quant.uniform<i8:f32, 0.5>> {
  %q = qnn.constant dense<1> : tensor<1xi8>
      {error = #qnn.error<max_abs = 0.5, mean_abs = 0.5, mse = 0.25, sqnr_db = -inf>}
      -> tensor<1x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<1x!quant.uniform<i8:f32, 0.5>>
}

// -----

// CHECK-LABEL: func @constant_int4_sub_channel
// CHECK: qnn.constant dense<{{\[\[}}7, -7, 1, 0]]> : tensor<1x4xi4> -> tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{\{\{}}1.000000e+00, 2.000000e+00}}>>
func.func @constant_int4_sub_channel() -> tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{1.0, 2.0}}>> {
  %q = qnn.constant dense<[[7, -7, 1, 0]]> : tensor<1x4xi4>
      -> tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{1.0, 2.0}}>>
  return %q : tensor<1x4x!quant.uniform<i4<-7:7>:f32:{1:2}, {{1.0, 2.0}}>>
}

// -----

// CHECK-LABEL: func @quantize
// CHECK: qnn.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
// CHECK: qnn.quantize %{{.*}} {rounding = #qnn.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
func.func @quantize(%x: tensor<4xf32>) -> (tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>) {
  %a = qnn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  %b = qnn.quantize %x {rounding = #qnn.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
  return %a, %b : tensor<4x!quant.uniform<u8:f32, 0.1:3>>, tensor<4x!quant.uniform<u8:f32, 0.1:3>>
}

// -----

!act = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125}>
!acc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
!bias = !quant.uniform<i32:f32:0, {0.125, 0.0625}>
!out = !quant.uniform<u8:f32, 0.25:3>

// CHECK-LABEL: func @matmul_requantize
// CHECK: %[[ACC:.*]] = qnn.matmul %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x3x!quant.uniform<u8:f32, 5.000000e-01:128>>, tensor<3x2x!quant.uniform<i8<-127:127>:f32:1, {2.500000e-01,1.250000e-01}>>, tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>) -> tensor<4x2x!quant.uniform<i32:f32:1, {1.250000e-01,6.250000e-02}>>
// CHECK: qnn.requantize %[[ACC]] {clamp_min = 3 : i64}
// CHECK: qnn.requantize %[[ACC]] {mode = #qnn.rescale<float>, rounding = #qnn.rounding<half_away_from_zero>}
func.func @matmul_requantize(%x: tensor<4x3x!act>, %w: tensor<3x2x!w>, %b: tensor<2x!bias>) -> (tensor<4x2x!out>, tensor<4x2x!out>) {
  %acc = qnn.matmul %x, %w, %b : (tensor<4x3x!act>, tensor<3x2x!w>, tensor<2x!bias>) -> tensor<4x2x!acc>
  %y = qnn.requantize %acc {clamp_min = 3 : i64} : tensor<4x2x!acc> -> tensor<4x2x!out>
  %z = qnn.requantize %acc {mode = #qnn.rescale<float>, rounding = #qnn.rounding<half_away_from_zero>} : tensor<4x2x!acc> -> tensor<4x2x!out>
  return %y, %z : tensor<4x2x!out>, tensor<4x2x!out>
}

// -----

// CHECK-LABEL: func @batch_matmul_per_tensor
// CHECK: qnn.batch_matmul %{{.*}}, %{{.*}} : (tensor<2x4x8x!quant.uniform<i8:f32, 1.000000e-01>>, tensor<2x8x3x!quant.uniform<i8:f32, 2.000000e-01>>) -> tensor<2x4x3x!quant.uniform<i32:f32, 2.000000e-02>>
func.func @batch_matmul_per_tensor(%a: tensor<2x4x8x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2x8x3x!quant.uniform<i8:f32, 0.2>>) -> tensor<2x4x3x!quant.uniform<i32:f32, 0.02>> {
  %acc = qnn.batch_matmul %a, %b : (tensor<2x4x8x!quant.uniform<i8:f32, 0.1>>, tensor<2x8x3x!quant.uniform<i8:f32, 0.2>>) -> tensor<2x4x3x!quant.uniform<i32:f32, 0.02>>
  return %acc : tensor<2x4x3x!quant.uniform<i32:f32, 0.02>>
}

// -----

!img = !quant.uniform<u8:f32, 0.5:0>
!filt = !quant.uniform<i8<-127:127>:f32:3, {0.25, 0.5}>
!cacc = !quant.uniform<i32:f32:3, {0.125, 0.25}>
!dwfilt = !quant.uniform<i8<-127:127>:f32:3, {0.25, 0.5, 0.25}>
!dwacc = !quant.uniform<i32:f32:3, {0.125, 0.25, 0.125}>
!nchwfilt = !quant.uniform<i8:f32:0, {0.25, 0.5}>
!nchwacc = !quant.uniform<i32:f32:1, {0.125, 0.25}>

// CHECK-LABEL: func @conv2d
// CHECK: qnn.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3x{{.*}}>, tensor<3x3x3x2x{{.*}}>) -> tensor<1x4x4x2x{{.*}}>
// CHECK: qnn.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, groups = 3 : i64} : (tensor<1x8x8x3x{{.*}}>, tensor<3x3x1x3x{{.*}}>) -> tensor<1x4x4x3x{{.*}}>
// CHECK: qnn.conv2d %{{.*}}, %{{.*}} {data_format = #qnn.data_format<nchw>} : (tensor<1x3x8x8x{{.*}}>, tensor<2x3x3x3x{{.*}}>) -> tensor<1x2x6x6x{{.*}}>
func.func @conv2d(%x: tensor<1x8x8x3x!img>, %f: tensor<3x3x3x2x!filt>, %dw: tensor<3x3x1x3x!dwfilt>,
                  %xc: tensor<1x3x8x8x!img>, %fc: tensor<2x3x3x3x!nchwfilt>)
    -> (tensor<1x4x4x2x!cacc>, tensor<1x4x4x3x!dwacc>, tensor<1x2x6x6x!nchwacc>) {
  %a = qnn.conv2d %x, %f {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x8x3x!img>, tensor<3x3x3x2x!filt>) -> tensor<1x4x4x2x!cacc>
  %b = qnn.conv2d %x, %dw {groups = 3 : i64, dilations = array<i64: 2, 2>}
      : (tensor<1x8x8x3x!img>, tensor<3x3x1x3x!dwfilt>) -> tensor<1x4x4x3x!dwacc>
  %c = qnn.conv2d %xc, %fc {data_format = #qnn.data_format<nchw>}
      : (tensor<1x3x8x8x!img>, tensor<2x3x3x3x!nchwfilt>) -> tensor<1x2x6x6x!nchwacc>
  return %a, %b, %c : tensor<1x4x4x2x!cacc>, tensor<1x4x4x3x!dwacc>, tensor<1x2x6x6x!nchwacc>
}

// -----

!a = !quant.uniform<i8:f32, 0.1:-3>
!b = !quant.uniform<i8:f32, 0.2:5>
!c = !quant.uniform<i8:f32, 0.25>

// CHECK-LABEL: func @add_mul
// CHECK: qnn.add %{{.*}}, %{{.*}} {clamp_min = 0 : i64} : (tensor<8x!quant.uniform<i8:f32, 1.000000e-01:-3>>, tensor<8x!quant.uniform<i8:f32, 2.000000e-01:5>>) -> tensor<8x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK: qnn.mul %{{.*}}, %{{.*}} {mode = #qnn.rescale<float>} :
func.func @add_mul(%x: tensor<8x!a>, %y: tensor<8x!b>) -> (tensor<8x!c>, tensor<8x!c>) {
  %s = qnn.add %x, %y {clamp_min = 0 : i64} : (tensor<8x!a>, tensor<8x!b>) -> tensor<8x!c>
  %p = qnn.mul %x, %y {mode = #qnn.rescale<float>} : (tensor<8x!a>, tensor<8x!b>) -> tensor<8x!c>
  return %s, %p : tensor<8x!c>, tensor<8x!c>
}

// -----

!q = !quant.uniform<u8:f32, 0.05:0>

// CHECK-LABEL: func @pooling_and_pad
// CHECK: qnn.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4x!quant.uniform<u8:f32, 5.000000e-02>> -> tensor<1x4x4x4x!quant.uniform<u8:f32, 5.000000e-02>>
// CHECK: qnn.avg_pool2d %{{.*}} {count_include_pad = true, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>}
// CHECK: qnn.pad %{{.*}} low = [0, 1, 1, 0] high = [0, 2, 2, 0] : tensor<1x8x8x4x!quant.uniform<u8:f32, 5.000000e-02>> -> tensor<1x11x11x4x!quant.uniform<u8:f32, 5.000000e-02>>
func.func @pooling_and_pad(%x: tensor<1x8x8x4x!q>) -> (tensor<1x4x4x4x!q>, tensor<1x8x8x4x!q>, tensor<1x11x11x4x!q>) {
  %m = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4x!q> -> tensor<1x4x4x4x!q>
  %a = qnn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<1x8x8x4x!q> -> tensor<1x8x8x4x!q>
  %p = qnn.pad %x low = [0, 1, 1, 0] high = [0, 2, 2, 0] : tensor<1x8x8x4x!q> -> tensor<1x11x11x4x!q>
  return %m, %a, %p : tensor<1x4x4x4x!q>, tensor<1x8x8x4x!q>, tensor<1x11x11x4x!q>
}

// -----

// CHECK-LABEL: func @observe
// CHECK: %[[O:.*]] = qnn.observe %{{.*}} {name = "fc1.relu"} : tensor<4x8xf32>
// CHECK: return %[[O]]
func.func @observe(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %o = qnn.observe %x {name = "fc1.relu"} : tensor<4x8xf32>
  return %o : tensor<4x8xf32>
}

// -----

// An observer has a side effect: an unused one survives cleanups.
// CHECK-LABEL: func @observe_unused
// CHECK: qnn.observe
func.func @observe_unused(%x: tensor<4x8xf32>) {
  %o = qnn.observe %x {name = "unused"} : tensor<4x8xf32>
  return
}
