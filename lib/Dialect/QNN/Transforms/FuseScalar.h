//===- FuseScalar.h - Real scalars as qnn.quantize maps them ----*- C++ -*-===//
//
// Folding an fp32 clamp, padding value or pooling init into integer code
// needs the integer that qnn.quantize would give the real constant. That
// integer comes from the math library (include/qnn/Quant), which the
// lowering of qnn.quantize agrees with bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSESCALAR_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSESCALAR_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Quant/QuantParams.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <optional>

namespace qnn {

/// The math library's description of a per-tensor type: its scale (as the
/// float the lowering uses) and zero point, and its storage with `rounding`.
/// Nullopt when the storage range is not one the library names (signed
/// full or narrow by one, unsigned full, 2 to 16 bits).
struct MathQuantization {
  quantmath::QuantParams params;
  quantmath::QuantSpec spec;
};
std::optional<MathQuantization>
getMathQuantization(mlir::quant::UniformQuantizedType type,
                    RoundingMode rounding);

/// What `qnn.quantize` to `type` with `rounding` gives for the real `x` (an
/// f32 value), or nullopt when the library cannot describe `type`.
std::optional<int64_t> quantizeScalar(double x,
                                      mlir::quant::UniformQuantizedType type,
                                      RoundingMode rounding);

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSESCALAR_H
