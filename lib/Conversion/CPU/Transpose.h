//===- Transpose.h - A linalg.transpose into a fresh tensor -----*- C++ -*-===//
//
// The layout rewrites of the CPU lowering (convolution layouts, the im2col
// form, transpose sinking) all permute tensors the same way.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_CPU_TRANSPOSE_H
#define QNN_LIB_CONVERSION_CPU_TRANSPOSE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace qnn {

/// `value` transposed into a new tensor: result dimension i is `value`'s
/// dimension `permutation[i]`.
inline mlir::Value createTranspose(mlir::OpBuilder &builder, mlir::Location loc,
                                   mlir::Value value,
                                   llvm::ArrayRef<int64_t> permutation) {
  auto type = llvm::cast<mlir::RankedTensorType>(value.getType());
  llvm::SmallVector<int64_t> shape;
  for (int64_t dim : permutation)
    shape.push_back(type.getDimSize(dim));
  mlir::Value init =
      mlir::tensor::EmptyOp::create(builder, loc, shape, type.getElementType());
  return mlir::linalg::TransposeOp::create(builder, loc, value, init,
                                           permutation)
      .getResult()[0];
}

} // namespace qnn

#endif // QNN_LIB_CONVERSION_CPU_TRANSPOSE_H
