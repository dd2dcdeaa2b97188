// The observer lowering refuses a module whose observer table or
// @qnn_observe_f32 means something else.
// RUN: qnn-opt %s --split-input-file --convert-qnn-to-linalg -verify-diagnostics

// expected-error @+1 {{'builtin.module' op attribute 'qnn.observed_values' must be an array of strings, got [1]}}
module attributes {qnn.observed_values = [1]} {
  func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
    %xo = qnn.observe %x {name = "a"} : tensor<2xf32>
    return %xo : tensor<2xf32>
  }
}

// -----

module {
  func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
    %xo = qnn.observe %x {name = "a"} : tensor<2xf32>
    return %xo : tensor<2xf32>
  }
  // expected-error @+1 {{'func.func' op is not the declaration qnn.observe lowers to: @qnn_observe_f32 must be a declaration of type '(tensor<*xf32>, i64) -> ()'}}
  func.func @qnn_observe_f32(%x: tensor<*xf32>) {
    return
  }
}
