//===- FixedPoint.h - Integer-only rescaling (gemmlowp/TFLite) --*- C++ -*-===//
//
// Requantization multiplies an int32 accumulator by a real factor
// (s_in * s_w / s_out) without floating point: the factor becomes an int32
// multiplier in [2^30, 2^31) and a power-of-two shift. The functions follow
// gemmlowp's fixedpoint.h and TFLite's QuantizeMultiplier /
// MultiplyByQuantizedMultiplier bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_FIXEDPOINT_H
#define QNN_QUANT_FIXEDPOINT_H

#include <cstdint>
#include <optional>

namespace qnn::quantmath {

/// real ~= multiplier * 2^(shift - 31), multiplier in [2^30, 2^31) or 0.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;

  /// The real factor this pair stands for.
  double toDouble() const;
};

/// TFLite's QuantizeMultiplier: frexp, then round the mantissa half away from
/// zero to 31 bits (a mantissa that rounds up to 2^31 is renormalized).
/// Factors too small to represent (shift < -31 after rounding) become 0.
/// Returns nullopt for negative, NaN or infinite factors and for factors that
/// round to 2^31 or more, whose left shift could not fit an int32 accumulator
/// anyway.
std::optional<QuantizedMultiplier> quantizeMultiplier(double realMultiplier);

/// gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b,
/// rounded to nearest with ties upwards (gemmlowp's nudge: -0.5 becomes 0,
/// not -1); the one overflowing case (INT32_MIN squared) saturates to
/// INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero,
/// for exponent in [0, 31].
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// TFLite MultiplyByQuantizedMultiplier (the double-rounding form): left
/// shift for shift > 0, the high multiply, then a rounding right shift. A left
/// shift that overflows int32 saturates (TFLite leaves it undefined).
int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m);

} // namespace qnn::quantmath

#endif // QNN_QUANT_FIXEDPOINT_H
