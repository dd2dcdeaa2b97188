//===- Broadcast.h - A tensor broadcast along one dimension -----*- C++ -*-===//
//
// The bias of a matmul or a convolution reaches it as its initial value: a
// linalg.generic that broadcasts a 1-D tensor along the output channels.
// The kernels read the 1-D tensor itself instead.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_CPU_BROADCAST_H
#define QNN_LIB_CONVERSION_CPU_BROADCAST_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace qnn {

/// The 1-D tensor that `value` broadcasts along dimension `dim` (a
/// linalg.generic of parallel loops reading it through `dim` alone and
/// yielding it into the identity-mapped output), or null.
inline mlir::Value getBroadcastSource(mlir::Value value, unsigned dim) {
  auto generic = value.getDefiningOp<mlir::linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return {};
  mlir::OpOperand *input = generic.getDpsInputOperand(0);
  mlir::AffineMap map = generic.getMatchingIndexingMap(input);
  mlir::Block *body = generic.getBlock();
  if (map.getNumResults() != 1 ||
      map.getResult(0) != mlir::getAffineDimExpr(dim, map.getContext()) ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity() ||
      body->getTerminator()->getOperand(0) != body->getArgument(0))
    return {};
  return input->get();
}

} // namespace qnn

#endif // QNN_LIB_CONVERSION_CPU_BROADCAST_H
