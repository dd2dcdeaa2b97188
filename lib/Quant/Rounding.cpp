//===- Rounding.cpp - Rounding modes of float-to-integer steps ------------===//

#include "qnn/Quant/Rounding.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>

namespace qnn::quantmath {

template <typename Float> static Float roundWith(Float x, RoundingMode mode) {
  switch (mode) {
  case RoundingMode::HalfToEven: {
    // std::nearbyint obeys the thread's FP rounding mode, which a host program
    // may have changed; decide ties explicitly instead.
    Float lower = std::floor(x);
    Float diff = x - lower;
    if (diff < Float(0.5))
      return lower;
    if (diff > Float(0.5))
      return lower + 1;
    return std::fmod(lower, Float(2)) == 0 ? lower : lower + 1;
  }
  case RoundingMode::HalfAwayFromZero:
    return std::round(x);
  }
  return x;
}

float roundToIntegral(float x, RoundingMode mode) { return roundWith(x, mode); }

double roundToIntegral(double x, RoundingMode mode) {
  return roundWith(x, mode);
}

llvm::StringRef stringifyRoundingMode(RoundingMode mode) {
  switch (mode) {
  case RoundingMode::HalfToEven:
    return "half_to_even";
  case RoundingMode::HalfAwayFromZero:
    return "half_away_from_zero";
  }
  return "";
}

std::optional<RoundingMode> symbolizeRoundingMode(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<RoundingMode>>(name)
      .Case("half_to_even", RoundingMode::HalfToEven)
      .Case("half_away_from_zero", RoundingMode::HalfAwayFromZero)
      .Default(std::nullopt);
}

} // namespace qnn::quantmath
