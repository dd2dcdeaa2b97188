// qnn.observe becomes a call of @qnn_observe_f32 with the value as an
// unranked tensor and the index of its name in the module's observer table
// (qnn.observed_values); qnn-run --calibrate provides the function.
// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg | FileCheck %s

// Observers sharing a name share an id; the declaration is read-only for
// bufferization and has a C interface.
// CHECK: module attributes {qnn.observed_values = ["f/arg0", "fc1.relu"]}
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK: %[[U:.*]] = tensor.cast %[[X]] : tensor<4x8xf32> to tensor<*xf32>
// CHECK: %[[ID0:.*]] = arith.constant 0 : i64
// CHECK: call @qnn_observe_f32(%[[U]], %[[ID0]]) : (tensor<*xf32>, i64) -> ()
// CHECK: %[[R:.*]] = arith.addf %[[X]], %[[X]]
// CHECK: %[[U1:.*]] = tensor.cast %[[R]]
// CHECK: %[[ID1:.*]] = arith.constant 1 : i64
// CHECK: call @qnn_observe_f32(%[[U1]], %[[ID1]])
// CHECK: %[[ID1B:.*]] = arith.constant 1 : i64
// CHECK: call @qnn_observe_f32(%{{.*}}, %[[ID1B]])
// CHECK: return %[[R]]
// CHECK: func.func private @qnn_observe_f32(tensor<*xf32> {bufferization.access = "read"}, i64) attributes {llvm.emit_c_interface}
func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %xo = qnn.observe %x {name = "f/arg0"} : tensor<4x8xf32>
  %r = arith.addf %xo, %xo : tensor<4x8xf32>
  %ro = qnn.observe %r {name = "fc1.relu"} : tensor<4x8xf32>
  %again = qnn.observe %ro {name = "fc1.relu"} : tensor<4x8xf32>
  return %again : tensor<4x8xf32>
}

// -----

// Names already in the table keep their index.
// CHECK: module attributes {qnn.observed_values = ["b", "a"]}
// CHECK: arith.constant 1 : i64
// CHECK: call @qnn_observe_f32
module attributes {qnn.observed_values = ["b"]} {
  func.func @g(%x: tensor<2xf32>) -> tensor<2xf32> {
    %xo = qnn.observe %x {name = "a"} : tensor<2xf32>
    return %xo : tensor<2xf32>
  }
}

// -----

// Without observers nothing is declared.
// CHECK-LABEL: func.func @none
// CHECK-NOT: qnn_observe_f32
func.func @none(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
