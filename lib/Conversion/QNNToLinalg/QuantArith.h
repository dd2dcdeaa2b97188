//===- QuantArith.h - Scalar quantize / dequantize arithmetic ---*- C++ -*-===//
//
// The per-element arithmetic of the numeric contract, emitted as arith/math
// ops. It must agree bit for bit with quantizeValue / dequantizeValue in
// lib/Quant/QuantParams.cpp; the integration tests check that it does.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_QUANTARITH_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_QUANTARITH_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <utility>

namespace qnn {

/// The integer type stored values are widened to before the zero point is
/// subtracted: i32, or i64 for storage wider than 16 bits, so that
/// q - zero_point cannot overflow.
mlir::IntegerType getWideIntegerType(mlir::quant::QuantizedType type);

/// The float type in which the zero point is added and the result clamped:
/// the expressed type when it represents every storage value exactly, f64
/// otherwise (as the math library, which clamps in double).
mlir::FloatType getClampFloatType(mlir::quant::QuantizedType type);

/// real = float(widen(stored) - zeroPoint) * scale, in the expressed type.
/// `scale` has the expressed type; `zeroPoint` has the wide integer type, or
/// is null when it is 0.
mlir::Value buildDequantize(mlir::OpBuilder &builder, mlir::Location loc,
                            mlir::Value stored, mlir::Value scale,
                            mlir::Value zeroPoint,
                            mlir::quant::QuantizedType type);

/// stored = saturate(round(x / scale) + zeroPoint) with `rounding`, NaN
/// giving zeroPoint. `x` and `scale` have the expressed type; `zeroPoint`
/// has the clamp float type, or is null when it is 0. The result saturates
/// to `clampRange` when given (a subrange of the storage range, as the
/// `clamp_min` / `clamp_max` of the rescale ops), else to the storage range.
mlir::Value
buildQuantize(mlir::OpBuilder &builder, mlir::Location loc, mlir::Value x,
              mlir::Value scale, mlir::Value zeroPoint,
              mlir::quant::QuantizedType type, RoundingMode rounding,
              std::optional<std::pair<int64_t, int64_t>> clampRange = {});

} // namespace qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_QUANTARITH_H
