// RUN: qnn-opt %s --split-input-file --qnn-cpu-vectorize | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// A padding is a fill of the padded tensor and a copy of the source into its
// interior, both vectorized; inserted back where it was extracted, the copy
// bufferizes in place. Lowered, no call of the runtime's element-by-element
// memrefCopy is left.
// CHECK-LABEL: func.func @pad_nhwc
// CHECK-SAME:    (%[[X:.*]]: tensor<1x14x14x16xi8>)
// CHECK-DAG:     %[[PAD:.*]] = arith.constant dense<73> : vector<16xi8>
// CHECK:         %[[FILLED:.*]] = scf.for
// CHECK:           vector.transfer_write %[[PAD]]
// CHECK:         %[[INTERIOR:.*]] = tensor.extract_slice %[[FILLED]][0, 1, 2, 0] [1, 14, 14, 16] [1, 1, 1, 1]
// CHECK:         %[[COPIED:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[INTERIOR]])
// CHECK:           %[[V:.*]] = vector.transfer_read %[[X]]{{.*}} : tensor<1x14x14x16xi8>, vector<16xi8>
// CHECK:           vector.transfer_write %[[V]]
// CHECK:         %[[RESULT:.*]] = tensor.insert_slice %[[COPIED]] into %[[FILLED]][0, 1, 2, 0] [1, 14, 14, 16] [1, 1, 1, 1]
// CHECK:         return %[[RESULT]]
// LLVM-LABEL: llvm.func @pad_nhwc
// LLVM-NOT:     llvm.call @memrefCopy
func.func @pad_nhwc(%x: tensor<1x14x14x16xi8>) -> tensor<1x17x17x16xi8> {
  %c = arith.constant 73 : i8
  %p = tensor.pad %x low[0, 1, 2, 0] high[0, 2, 1, 0] {
  ^bb0(%a: index, %b: index, %d: index, %e: index):
    tensor.yield %c : i8
  } : tensor<1x14x14x16xi8> to tensor<1x17x17x16xi8>
  return %p : tensor<1x17x17x16xi8>
}

// -----

// The padding value may be a function argument.
// CHECK-LABEL: func.func @pad_value_argument
// CHECK:         vector.broadcast %{{.*}} : f32 to vector
// CHECK:         tensor.insert_slice
// LLVM-LABEL: llvm.func @pad_value_argument
// LLVM-NOT:     llvm.call @memrefCopy
func.func @pad_value_argument(%x: tensor<3x5xf32>, %v: f32) -> tensor<4x9xf32> {
  %p = tensor.pad %x low[1, 0] high[0, 4] {
  ^bb0(%a: index, %b: index):
    tensor.yield %v : f32
  } : tensor<3x5xf32> to tensor<4x9xf32>
  return %p : tensor<4x9xf32>
}

// -----

// Left as it is: a padding value computed from the position.
// CHECK-LABEL: func.func @pad_by_position
// CHECK:         tensor.pad
// LLVM-LABEL: llvm.func @pad_by_position
func.func @pad_by_position(%x: tensor<3x5xindex>) -> tensor<4x9xindex> {
  %p = tensor.pad %x low[1, 0] high[0, 4] {
  ^bb0(%a: index, %b: index):
    tensor.yield %b : index
  } : tensor<3x5xindex> to tensor<4x9xindex>
  return %p : tensor<4x9xindex>
}
