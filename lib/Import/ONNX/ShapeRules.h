//===- ShapeRules.h - Result shapes of the ONNX shape operators -*- C++ -*-===//
//
// Reshape, Squeeze, Unsqueeze, Flatten, Slice and friends compute the same
// shapes whether the importer folds them on the host or builds IR for them.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_SHAPERULES_H
#define QNN_LIB_IMPORT_ONNX_SHAPERULES_H

#include "GraphImporter.h"

namespace qnn {
namespace onnx_import {

/// The shape Reshape produces from `spec` (0 copies, -1 infers).
mlir::FailureOr<llvm::SmallVector<int64_t>>
getReshapeShape(NodeContext &node, llvm::ArrayRef<int64_t> input,
                llvm::ArrayRef<int64_t> spec, bool allowZero);

/// The axes of Squeeze / Unsqueeze / the Reduce ops: an attribute before
/// `inputSince`, then the input `inputIndex`. `present` is false when none
/// are given.
mlir::FailureOr<llvm::SmallVector<int64_t>>
getAxes(NodeContext &node, int64_t inputSince, int inputIndex, bool &present);

mlir::FailureOr<llvm::SmallVector<int64_t>>
getSqueezeShape(NodeContext &node, llvm::ArrayRef<int64_t> input);
mlir::FailureOr<llvm::SmallVector<int64_t>>
getUnsqueezeShape(NodeContext &node, llvm::ArrayRef<int64_t> input);
mlir::FailureOr<llvm::SmallVector<int64_t>>
getFlattenShape(NodeContext &node, llvm::ArrayRef<int64_t> input);

/// A Slice in per-dimension form: element i of dimension d is
/// `start[d] + i * step[d]` for i < size[d].
struct SliceSpec {
  llvm::SmallVector<int64_t> start, size, step;
};
mlir::FailureOr<SliceSpec> getSliceSpec(NodeContext &node,
                                        llvm::ArrayRef<int64_t> input);

/// The permutation of Transpose (reversed dimensions by default).
mlir::FailureOr<llvm::SmallVector<int64_t>> getPermutation(NodeContext &node,
                                                           int64_t rank);

} // namespace onnx_import
} // namespace qnn

#endif // QNN_LIB_IMPORT_ONNX_SHAPERULES_H
