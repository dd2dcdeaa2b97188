//===- FixedPoint.cpp - Integer-only rescaling (gemmlowp/TFLite) ----------===//

#include "qnn/Quant/FixedPoint.h"

#include <cmath>
#include <limits>

namespace qnn::quantmath {

double QuantizedMultiplier::toDouble() const {
  return std::ldexp(static_cast<double>(multiplier), shift - 31);
}

std::optional<QuantizedMultiplier> quantizeMultiplier(double realMultiplier) {
  if (!std::isfinite(realMultiplier) || realMultiplier < 0.0)
    return std::nullopt;
  if (realMultiplier == 0.0)
    return QuantizedMultiplier{0, 0};
  int shift = 0;
  double mantissa = std::frexp(realMultiplier, &shift);
  auto fixed = static_cast<int64_t>(std::round(mantissa * (int64_t(1) << 31)));
  if (fixed == (int64_t(1) << 31)) {
    fixed /= 2;
    ++shift;
  }
  // Every bit would be shifted out: the product is 0 for any int32 input.
  if (shift < -31)
    return QuantizedMultiplier{0, 0};
  if (shift > 31)
    return std::nullopt;
  return QuantizedMultiplier{static_cast<int32_t>(fixed), shift};
}

int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  if (a == kMin && b == kMin)
    return std::numeric_limits<int32_t>::max();
  int64_t product = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  int64_t nudge = product >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  // Division truncates toward zero, as in gemmlowp.
  return static_cast<int32_t>((product + nudge) / (int64_t(1) << 31));
}

int32_t roundingDivideByPOT(int32_t x, int exponent) {
  if (exponent <= 0)
    return x;
  int64_t mask = (int64_t(1) << exponent) - 1;
  int64_t remainder = static_cast<int64_t>(x) & mask;
  int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return static_cast<int32_t>((static_cast<int64_t>(x) >> exponent) +
                              (remainder > threshold ? 1 : 0));
}

int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m) {
  int leftShift = m.shift > 0 ? m.shift : 0;
  int rightShift = m.shift > 0 ? 0 : -m.shift;
  int64_t shifted = static_cast<int64_t>(x) * (int64_t(1) << leftShift);
  if (shifted > std::numeric_limits<int32_t>::max())
    shifted = std::numeric_limits<int32_t>::max();
  if (shifted < std::numeric_limits<int32_t>::min())
    shifted = std::numeric_limits<int32_t>::min();
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(
                                 static_cast<int32_t>(shifted), m.multiplier),
                             rightShift);
}

} // namespace qnn::quantmath
