//===- FixedPointArith.h - gemmlowp fixed point in IR -----------*- C++ -*-===//
//
// The integer-only rescale of the numeric contract (docs/Numerics.md,
// include/qnn/Quant/FixedPoint.h) emitted as arith ops on scalars, for the
// bodies of linalg.generic ops. Multipliers and shifts are computed at
// compile time by the math library's quantizeMultiplier; the IR reproduces
// multiplyByQuantizedMultiplier bit for bit, for every int32 input.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_FIXEDPOINTARITH_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_FIXEDPOINTARITH_H

#include "mlir/IR/Builders.h"

#include <string>

namespace qnn {

/// Real factors as fixed-point multipliers, one per channel (or one):
/// factor = multiplier * 2^(leftShift - rightShift - 31).
struct FixedPointMultipliers {
  /// In [2^30, 2^31), or 0 for factors too small to represent.
  llvm::SmallVector<int64_t> multipliers;
  /// max(shift, 0) and max(-shift, 0) of quantizeMultiplier's shift.
  llvm::SmallVector<int64_t> leftShifts;
  llvm::SmallVector<int64_t> rightShifts;

  bool hasLeftShift() const;
  bool hasRightShift() const;
};

/// quantizeMultiplier of every factor; fails (setting `why`) on a factor the
/// math library rejects (negative, not finite, 2^31 or more).
mlir::FailureOr<FixedPointMultipliers>
computeFixedPointMultipliers(llvm::ArrayRef<double> factors, std::string &why);

/// i64 -> i32, saturating to [INT32_MIN, INT32_MAX].
mlir::Value buildSaturateToInt32(mlir::OpBuilder &builder, mlir::Location loc,
                                 mlir::Value x);

/// gemmlowp SaturatingRoundingDoublingHighMul on i32 scalars: (2ab + 2^31) /
/// 2^32 with the nudge 1 - 2^30 for negative products and a truncating
/// division, computed exactly in i64; INT32_MIN * INT32_MIN saturates.
mlir::Value buildSaturatingRoundingDoublingHighMul(mlir::OpBuilder &builder,
                                                   mlir::Location loc,
                                                   mlir::Value a,
                                                   mlir::Value b);

/// gemmlowp RoundingDivideByPOT on i32: x / 2^exponent rounded half away
/// from zero, for an i32 exponent in [0, 31] (a constant or per channel).
mlir::Value buildRoundingDivideByPOT(mlir::OpBuilder &builder,
                                     mlir::Location loc, mlir::Value x,
                                     mlir::Value exponent);

/// TFLite MultiplyByQuantizedMultiplier on the i32 `x`: `x << leftShift`
/// saturated to int32 (as the math library), the high multiply by the i32
/// `multiplier`, then the rounding right shift. `leftShift` (i64) and
/// `rightShift` (i32) may be null when every channel's is 0.
mlir::Value buildMultiplyByQuantizedMultiplier(
    mlir::OpBuilder &builder, mlir::Location loc, mlir::Value x,
    mlir::Value multiplier, mlir::Value leftShift, mlir::Value rightShift);

} // namespace qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_FIXEDPOINTARITH_H
