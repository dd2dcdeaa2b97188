//===- QuantParams.cpp - Scales and zero points from value ranges ---------===//

#include "qnn/Quant/QuantParams.h"

#include "CompatQuantParams.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

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

llvm::StringRef stringifyCompatMode(CompatMode mode) {
  switch (mode) {
  case CompatMode::None:
    return "none";
  case CompatMode::PyTorch:
    return "pytorch";
  case CompatMode::OnnxRuntime:
    return "onnxruntime";
  case CompatMode::TFLite:
    return "tflite";
  }
  return "";
}

std::optional<CompatMode> symbolizeCompatMode(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CompatMode>>(name)
      .Case("none", CompatMode::None)
      .Case("pytorch", CompatMode::PyTorch)
      .Case("onnxruntime", CompatMode::OnnxRuntime)
      .Case("tflite", CompatMode::TFLite)
      .Default(std::nullopt);
}

/// ONNX Runtime's `get_qmin_qmax_for_qType`: a table per storage type, with
/// the reduced range first, then the symmetric one (8 and 16 bits only).
static std::pair<int64_t, int64_t> onnxRuntimeRange(const QuantSpec &spec) {
  unsigned bits = spec.storage.bits;
  int64_t half = int64_t(1) << (bits - 1);
  if (spec.reduceRange) {
    if (!spec.storage.isSigned)
      return {0, half - 1};
    // int4 is [-4, 3]; int8 and int16 are symmetric, [-64, 64].
    if (bits == 4)
      return {-half / 2, half / 2 - 1};
    return {-half / 2, half / 2};
  }
  if (spec.scheme == Scheme::Symmetric && bits != 4)
    return spec.storage.isSigned ? std::make_pair(-half + 1, half - 1)
                                 : std::make_pair(int64_t(0), 2 * half - 2);
  return spec.storage.isSigned ? std::make_pair(-half, half - 1)
                               : std::make_pair(int64_t(0), 2 * half - 1);
}

/// The integer range of `spec`: see `QuantSpec::minValue`.
static std::pair<int64_t, int64_t> effectiveRange(const QuantSpec &spec) {
  const IntegerStorage &storage = spec.storage;
  if (spec.compat == CompatMode::OnnxRuntime)
    return onnxRuntimeRange(spec);
  if (!spec.reduceRange)
    return {storage.minValue(), storage.maxValue()};
  if (spec.compat == CompatMode::PyTorch) {
    // torch's calculate_qmin_qmax: quant_min // 2, quant_max // 2 (Python
    // floor division).
    auto floorHalf = [](int64_t value) {
      return value >= 0 ? value / 2 : -((-value + 1) / 2);
    };
    return {floorHalf(storage.minValue()), floorHalf(storage.maxValue())};
  }
  IntegerStorage smaller = storage;
  smaller.bits = storage.bits - 1;
  return {smaller.minValue(), smaller.maxValue()};
}

int64_t QuantSpec::minValue() const { return effectiveRange(*this).first; }
int64_t QuantSpec::maxValue() const { return effectiveRange(*this).second; }

bool defaultNarrowRange(CompatMode compat, Scheme scheme) {
  switch (compat) {
  case CompatMode::None:
    return true;
  case CompatMode::PyTorch:
    return false;
  case CompatMode::OnnxRuntime:
  case CompatMode::TFLite:
    return scheme == Scheme::Symmetric;
  }
  return true;
}

std::optional<std::string> findSpecProblem(const QuantSpec &spec) {
  const IntegerStorage &storage = spec.storage;
  if (!storage.isValid())
    return llvm::formatv("unsupported storage width of {0} bits (supported: "
                         "2 to 16)",
                         storage.bits)
        .str();
  if (spec.reduceRange && storage.bits < 3)
    return std::string("reduce-range needs at least 3-bit storage");
  switch (spec.compat) {
  case CompatMode::None:
    return std::nullopt;
  case CompatMode::PyTorch:
    if (spec.reduceRange && spec.scheme == Scheme::Symmetric &&
        !storage.isSigned)
      return std::string("compat=pytorch has no symmetric unsigned "
                         "quantization with reduce-range (torch.ao: \"Cannot "
                         "reduce range for symmetric quantization for "
                         "quint8\")");
    return std::nullopt;
  case CompatMode::OnnxRuntime:
    if (storage.bits != 4 && storage.bits != 8 && storage.bits != 16)
      return llvm::formatv("compat=onnxruntime quantizes to 4, 8 or 16 bits, "
                           "not {0}",
                           storage.bits)
          .str();
    return std::nullopt;
  case CompatMode::TFLite:
    if (spec.reduceRange)
      return std::string("compat=tflite has no reduced range (reduce-range)");
    return std::nullopt;
  }
  return std::nullopt;
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
static QuantParams keepGridFinite(QuantParams params, int64_t qmin,
                                  int64_t qmax) {
  auto reach = static_cast<float>(
      std::max(params.zeroPoint - qmin, qmax - params.zeroPoint));
  if (std::isfinite(params.scale * reach))
    return params;
  params.scale = FLT_MAX / reach;
  while (!std::isfinite(params.scale * reach))
    params.scale = std::nextafter(params.scale, 0.0f);
  return params;
}

QuantParams chooseContractParams(float min, float max, const QuantSpec &spec) {
  const IntegerStorage &storage = spec.storage;
  int64_t qmin = spec.minValue(), qmax = spec.maxValue();

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
    return keepGridFinite(params, qmin, qmax);
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
  return keepGridFinite({scale, static_cast<int64_t>(zeroPoint)}, qmin, qmax);
}

QuantParams chooseQuantParams(float min, float max, const QuantSpec &spec) {
  switch (spec.compat) {
  case CompatMode::None:
    break;
  case CompatMode::PyTorch:
    return choosePyTorchParams(min, max, spec);
  case CompatMode::OnnxRuntime:
    return chooseOnnxRuntimeParams(min, max, spec);
  case CompatMode::TFLite:
    return chooseTFLiteParams(min, max, spec);
  }
  return chooseContractParams(min, max, spec);
}

int64_t quantizeValue(float x, QuantParams params, const QuantSpec &spec) {
  int64_t qmin = spec.minValue(), qmax = spec.maxValue();
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
