//===- QuantParams.cpp - Scales and zero points from value ranges ---------===//

#include "qnn/Quant/QuantParams.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace qnn::quantmath {

int64_t IntegerStorage::minValue() const {
  if (!isSigned)
    return 0;
  int64_t min = -(int64_t(1) << (bits - 1));
  return narrowRange ? min + 1 : min;
}

int64_t IntegerStorage::maxValue() const {
  return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
}

bool IntegerStorage::isValid() const { return bits >= 2 && bits <= 16; }

llvm::StringRef stringifyScheme(Scheme scheme) {
  switch (scheme) {
  case Scheme::Symmetric:
    return "symmetric";
  case Scheme::Asymmetric:
    return "asymmetric";
  }
  return "";
}

std::optional<Scheme> symbolizeScheme(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Scheme>>(name)
      .Case("symmetric", Scheme::Symmetric)
      .Case("asymmetric", Scheme::Asymmetric)
      .Default(std::nullopt);
}

/// A scale that would make x / scale overflow or lose all precision is
/// replaced by the smallest normal float: the slice is then still quantized
/// exactly to within half a step.
static float sanitizeScale(double scale) {
  if (!(scale >= FLT_MIN))
    return FLT_MIN;
  return static_cast<float>(scale);
}

/// Near FLT_MAX the rounded scale (or, asymmetric, the rounded zero point)
/// can put an end of the integer range just past FLT_MAX, where dequantizing
/// it would give infinity. Such a scale is lowered to the largest float that
/// keeps both ends finite; the zero point stays, so 0.0 stays exact.
static QuantParams keepGridFinite(QuantParams params,
                                  const IntegerStorage &storage) {
  auto reach =
      static_cast<float>(std::max(params.zeroPoint - storage.minValue(),
                                  storage.maxValue() - params.zeroPoint));
  if (std::isfinite(params.scale * reach))
    return params;
  params.scale = FLT_MAX / reach;
  while (!std::isfinite(params.scale * reach))
    params.scale = std::nextafter(params.scale, 0.0f);
  return params;
}

QuantParams chooseQuantParams(float min, float max, const QuantSpec &spec) {
  const IntegerStorage &storage = spec.storage;
  int64_t qmin = storage.minValue(), qmax = storage.maxValue();

  if (spec.scheme == Scheme::Symmetric) {
    // Signed: the larger magnitude maps to qmax. Unsigned: only [0, max] is
    // representable, negative values saturate to 0.
    float extent = storage.isSigned ? std::max(std::fabs(min), std::fabs(max))
                                    : std::max(max, 0.0f);
    if (extent == 0.0f)
      return {kZeroRangeScale, 0};
    QuantParams params{
        sanitizeScale(static_cast<float>(extent) / static_cast<float>(qmax)),
        0};
    return keepGridFinite(params, storage);
  }

  // Asymmetric: widen to include 0 so that 0.0 is exactly representable
  // (zero padding, ReLU outputs). Differences in double: max - min of two
  // large floats may overflow float.
  double lo = std::min(min, 0.0f), hi = std::max(max, 0.0f);
  // All zeros: zero point 0 (inside every storage range), so that the
  // integers are all zero too, as in the symmetric case.
  if (hi == lo)
    return {kZeroRangeScale, 0};
  float scale = sanitizeScale((hi - lo) / static_cast<double>(qmax - qmin));
  double zeroPoint =
      roundToIntegral(static_cast<double>(qmin) - lo / scale, spec.rounding);
  zeroPoint = std::clamp(zeroPoint, static_cast<double>(qmin),
                         static_cast<double>(qmax));
  return keepGridFinite({scale, static_cast<int64_t>(zeroPoint)}, storage);
}

int64_t quantizeValue(float x, QuantParams params, const QuantSpec &spec) {
  int64_t qmin = spec.storage.minValue(), qmax = spec.storage.maxValue();
  if (std::isnan(x))
    return std::clamp(params.zeroPoint, qmin, qmax);
  // Round first, then add the zero point (ONNX, TFLite and PyTorch agree);
  // with ties to even the order matters.
  float rounded = roundToIntegral(x / params.scale, spec.rounding);
  double shifted = static_cast<double>(rounded) + params.zeroPoint;
  shifted =
      std::clamp(shifted, static_cast<double>(qmin), static_cast<double>(qmax));
  return static_cast<int64_t>(shifted);
}

float dequantizeValue(int64_t q, QuantParams params) {
  return static_cast<float>(q - params.zeroPoint) * params.scale;
}

float inverseScale(float absMax, const IntegerStorage &storage) {
  if (absMax == 0.0f)
    return 1.0f;
  auto qmax = static_cast<float>(storage.maxValue());
  // The scale of this slice was raised to FLT_MIN (see sanitizeScale), and
  // qmax / absMax may not even be finite.
  if (absMax / qmax < FLT_MIN)
    return 1.0f / FLT_MIN;
  return qmax / absMax;
}

void ValueRange::add(float x) {
  if (!std::isfinite(x)) {
    ++nonFinite;
    return;
  }
  if (count == 0) {
    lo = hi = x;
  } else {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  ++count;
}

float ValueRange::absMax() const {
  return std::max(std::fabs(lo), std::fabs(hi));
}

} // namespace qnn::quantmath
