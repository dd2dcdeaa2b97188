//===- FuseMatchers.h - The fp32 idioms qnn-fuse recognizes -----*- C++ -*-===//
//
// qnn-fuse reads fp32 code written many ways: a ReLU is an arith op on
// tensors, a linalg.generic or a named linalg op; a constant is a scalar, a
// splat tensor or a linalg.fill. These matchers see through the spellings so
// that each pattern states its condition once.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSEMATCHERS_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSEMATCHERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace qnn {

/// The float held by `value` everywhere: a float `arith.constant`, a splat
/// tensor constant, or a `linalg.fill` of one.
std::optional<double> matchFloatScalar(mlir::Value value);

/// A linalg op that computes one scalar function element by element: every
/// loop parallel, one result with an identity map and an init that the body
/// never reads, no `linalg.index`.
struct ElementwiseLinalg {
  /// Mutable: interface accessors are not const.
  mutable mlir::linalg::LinalgOp op;
  /// The scalar the body yields.
  mlir::Value yielded;

  /// The tensor operand read through block argument `arg` of the body, or
  /// null when `arg` is not an input's argument.
  mlir::OpOperand *getInputOperand(mlir::Value arg) const;
  /// The float `value` (a body scalar) always has: a constant in the body,
  /// a float value defined above the op, or the argument of an input that is
  /// itself a float scalar.
  std::optional<double> getScalarConstant(mlir::Value value) const;
};

std::optional<ElementwiseLinalg> matchElementwise(mlir::Operation *op);

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSEMATCHERS_H
