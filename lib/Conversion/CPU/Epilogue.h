//===- Epilogue.h - Elementwise consumers applied to accumulators -*- C++
//-*-===//
//
// The elementwise linalg.generic that consumes a matmul (requantize, bias,
// activation) evaluated on accumulator vectors still in registers, one row
// and one vector of columns at a time.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_CPU_EPILOGUE_H
#define QNN_LIB_CONVERSION_CPU_EPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace qnn {

/// Whether `consumer` can be evaluated lane by lane on the (m, n) result
/// `accumulator` of a matmul: two parallel loops, `accumulator` read through
/// the identity map, every other input read through (m, n), (n), (m) or
/// nothing, a body of elementwise arith/math ops, the output not read. The
/// input position of `accumulator` when it can.
std::optional<unsigned> matchEpilogue(mlir::linalg::GenericOp consumer,
                                      mlir::Value accumulator);

/// Whether the body of `op` is made of elementwise arith/math ops on scalars
/// (and constants) only: ops that compute the same on vectors of lanes, with
/// no `linalg.index` that would tie them to the iteration space.
bool hasElementwiseBody(mlir::linalg::GenericOp op);

/// `consumer`'s body on the accumulators of row `row`, columns [`col`, `col`
/// + lanes), the lanes of `accumulator`'s vector type; the other inputs are
/// read there (columns from `validLanes` on are outside the tensors: read as
/// padding, never written). Returns the vector of results.
mlir::Value emitEpilogue(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::linalg::GenericOp consumer,
                         unsigned accumulatorInput, mlir::Value accumulator,
                         mlir::Value row, mlir::Value col, int64_t validLanes);

/// Reads `lanes` elements of the row `row` (nullptr: a 1-D tensor) of
/// `tensor` from column `col`, those from `validLanes` on as `padding`.
mlir::Value readRowVector(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value tensor, mlir::Value row, mlir::Value col,
                          int64_t lanes, int64_t validLanes);

/// Writes `vector` to the row `row` of `tensor` from column `col`, its lanes
/// from `validLanes` on left out (an in-bounds write of the first
/// `validLanes`, never a masked one). Returns the new tensor.
mlir::Value writeRowVector(mlir::OpBuilder &builder, mlir::Location loc,
                           mlir::Value vector, mlir::Value tensor,
                           mlir::Value row, mlir::Value col,
                           int64_t validLanes);

} // namespace qnn

#endif // QNN_LIB_CONVERSION_CPU_EPILOGUE_H
