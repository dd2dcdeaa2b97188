//===- CompatQuantParams.cpp - Other tools' rules for qparams -------------===//
//
// Each function follows its peer operation by operation, in the peer's
// precision: PyTorch computes in float32 tensors, ONNX Runtime in numpy with
// a float32 difference and a float64 quotient, TFLite in C++ floats. The
// unit tests compare against torch.ao itself and against Python
// transcriptions of the ONNX Runtime and TensorFlow functions.
//
//===----------------------------------------------------------------------===//

#include "CompatQuantParams.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace qnn::quantmath {

/// Where a peer's scale cannot be written in a `!quant.uniform` type.
static bool isUsableScale(float scale) {
  return std::isfinite(scale) && scale > 0.0f;
}

static int64_t clampZeroPoint(double zeroPoint, const QuantSpec &spec) {
  return static_cast<int64_t>(std::clamp(zeroPoint,
                                         static_cast<double>(spec.minValue()),
                                         static_cast<double>(spec.maxValue())));
}

/// torch's "customized" quantization range: anything but the default range
/// of quint8 ([0, 255]) or qint8 ([-128, 127]), before reduce_range.
static bool isCustomizedTorchRange(const IntegerStorage &storage) {
  return storage.bits != 8 || (storage.isSigned && storage.narrowRange);
}

QuantParams choosePyTorchParams(float min, float max, const QuantSpec &spec) {
  const float eps = FLT_EPSILON; // torch.finfo(torch.float32).eps
  int64_t qmin = spec.minValue(), qmax = spec.maxValue();
  float minNeg = std::min(min, 0.0f);
  float maxPos = std::max(max, 0.0f);
  if (spec.scheme == Scheme::Symmetric) {
    float absMax = std::max(-minNeg, maxPos);
    // max_val_pos / (float(quant_max - quant_min) / 2): the divisor is
    // exact in float.
    float scale = absMax / (static_cast<float>(qmax - qmin) / 2.0f);
    scale = std::max(scale, eps);
    int64_t zeroPoint = 0;
    if (!spec.storage.isSigned)
      zeroPoint =
          isCustomizedTorchRange(spec.storage) ? (qmin + qmax) / 2 : 128;
    return {scale, zeroPoint};
  }
  float scale = (maxPos - minNeg) / static_cast<float>(qmax - qmin);
  scale = std::max(scale, eps);
  // A range wider than FLT_MAX: torch's scale is infinite.
  if (!isUsableScale(scale))
    return chooseContractParams(min, max, spec);
  // quant_min - torch.round(min_val_neg / scale): a float32 quotient,
  // rounded half to even.
  float rounded = std::nearbyint(minNeg / scale);
  return {scale, clampZeroPoint(static_cast<double>(qmin) - rounded, spec)};
}

QuantParams chooseOnnxRuntimeParams(float min, float max,
                                    const QuantSpec &spec) {
  int64_t qmin = spec.minValue(), qmax = spec.maxValue();
  float rmin = std::min(min, 0.0f);
  float rmax = std::max(max, 0.0f);
  bool symmetric = spec.scheme == Scheme::Symmetric;
  if (symmetric) {
    float absMax = std::max(std::fabs(rmin), std::fabs(rmax));
    rmin = -absMax;
    rmax = absMax;
  }
  // numpy.array(rmax - rmin, dtype=float64): the difference is taken in
  // float32 first.
  auto dr = static_cast<double>(rmax - rmin);
  double dq = static_cast<double>(qmax) - static_cast<double>(qmin);
  double scale = dr / dq;
  if (scale < static_cast<double>(FLT_MIN))
    return {1.0f, 0};
  double zeroPoint =
      symmetric ? std::nearbyint(static_cast<double>(qmin + qmax) / 2.0)
                : std::nearbyint(static_cast<double>(qmin) -
                                 static_cast<double>(rmin) / scale);
  auto scale32 = static_cast<float>(scale);
  if (!isUsableScale(scale32))
    return chooseContractParams(min, max, spec);
  return {scale32, clampZeroPoint(zeroPoint, spec)};
}

QuantParams chooseTFLiteParams(float min, float max, const QuantSpec &spec) {
  int64_t qmin = spec.minValue(), qmax = spec.maxValue();
  if (spec.scheme == Scheme::Symmetric) {
    float extent = spec.storage.isSigned
                       ? std::max(std::fabs(min), std::fabs(max))
                       : std::max(max, 0.0f);
    // TFLite writes scale 0 for an all-zero channel.
    float scale = extent / static_cast<float>(qmax);
    if (!(scale >= FLT_MIN))
      return chooseContractParams(min, max, spec);
    return {scale, 0};
  }
  // GetAsymmetricQuantizationParams widens the range to include 0, then
  // FakeQuant's Nudge, all in float.
  float lo = std::min(min, 0.0f), hi = std::max(max, 0.0f);
  auto qminFloat = static_cast<float>(qmin);
  auto qmaxFloat = static_cast<float>(qmax);
  float scale = (hi - lo) / (qmaxFloat - qminFloat);
  // An all-zero range: TFLite's scale is 0 and its zero point qmin.
  if (lo == hi)
    return {kZeroRangeScale, qmin};
  if (!(scale >= FLT_MIN) || !std::isfinite(scale))
    return chooseContractParams(min, max, spec);
  float zeroPointFromMin = qminFloat - lo / scale;
  int64_t zeroPoint;
  if (zeroPointFromMin < qminFloat)
    zeroPoint = qmin;
  else if (zeroPointFromMin > qmaxFloat)
    zeroPoint = qmax;
  else
    zeroPoint = static_cast<int64_t>(std::round(zeroPointFromMin));
  return {scale, zeroPoint};
}

} // namespace qnn::quantmath
