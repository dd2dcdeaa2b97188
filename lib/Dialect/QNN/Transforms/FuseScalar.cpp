//===- FuseScalar.cpp - Real scalars as qnn.quantize maps them ------------===//

#include "FuseScalar.h"

using namespace mlir;

namespace qnn {

std::optional<MathQuantization>
getMathQuantization(quant::UniformQuantizedType type, RoundingMode rounding) {
  quantmath::IntegerStorage storage;
  storage.bits = type.getStorageTypeIntegralWidth();
  storage.isSigned = type.isSigned();
  storage.narrowRange =
      type.isSigned() &&
      type.getStorageTypeMin() == -(int64_t(1) << (storage.bits - 1)) + 1;
  if (!storage.isValid() || storage.minValue() != type.getStorageTypeMin() ||
      storage.maxValue() != type.getStorageTypeMax())
    return std::nullopt;
  MathQuantization result;
  result.params.scale = static_cast<float>(type.getScale());
  result.params.zeroPoint = type.getZeroPoint();
  result.spec.storage = storage;
  result.spec.rounding = toMathRounding(rounding);
  return result;
}

std::optional<int64_t> quantizeScalar(double x,
                                      quant::UniformQuantizedType type,
                                      RoundingMode rounding) {
  std::optional<MathQuantization> math = getMathQuantization(type, rounding);
  if (!math)
    return std::nullopt;
  return quantmath::quantizeValue(static_cast<float>(x), math->params,
                                  math->spec);
}

} // namespace qnn
