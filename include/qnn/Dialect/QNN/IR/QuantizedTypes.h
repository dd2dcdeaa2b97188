//===- QuantizedTypes.h - Reading and building !quant.uniform types -*- C++
//-*-===//
//
// Helpers over upstream's quantized types that the qnn ops, their verifiers
// and the passes share: the parameters as plain vectors, and the accumulator
// type of a product.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QUANTIZEDTYPES_H
#define QNN_DIALECT_QNN_IR_QUANTIZEDTYPES_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace qnn {

/// The quantized element type of a tensor type, or null.
mlir::quant::QuantizedType getQuantizedElementType(mlir::Type type);

/// Whether `type` is per-tensor (`UniformQuantizedType`) or per-axis; the
/// ops' integer arithmetic is defined for these two.
bool isPerTensorOrPerAxis(mlir::quant::QuantizedType type);

/// The quantized axis of a per-axis type; nullopt for per-tensor.
std::optional<int32_t> getQuantizedAxis(mlir::quant::QuantizedType type);

/// The scales and zero points of a per-tensor (one element) or per-axis
/// type.
llvm::SmallVector<double> getScales(mlir::quant::QuantizedType type);
llvm::SmallVector<int64_t> getZeroPoints(mlir::quant::QuantizedType type);

/// The int32 accumulator type of `sum (lhs - z_lhs) * (rhs - z_rhs)`:
/// zero point 0 and scale `s_lhs * s_rhs`, per-axis along `resultAxis` when
/// `rhs` is per-axis. `lhs` must be per-tensor.
mlir::quant::QuantizedType
getAccumulatorType(mlir::quant::UniformQuantizedType lhs,
                   mlir::quant::QuantizedType rhs, int32_t resultAxis);

/// A per-tensor or per-axis type with the parameters of `type` and a new
/// quantized axis (for a bias of an accumulator: axis 0).
mlir::quant::QuantizedType withQuantizedAxis(mlir::quant::QuantizedType type,
                                             int32_t axis);

/// Whether two scales are equal up to float32 precision: scales that a pass
/// computed as products may have been printed and parsed.
bool scalesMatch(double a, double b);

} // namespace qnn

#endif // QNN_DIALECT_QNN_IR_QUANTIZEDTYPES_H
