//===- QuantizedTypes.cpp - Reading and building !quant.uniform types -----===//

#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include <cmath>

using namespace mlir;

namespace qnn {

quant::QuantizedType getQuantizedElementType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return dyn_cast<quant::QuantizedType>(shaped.getElementType());
  return dyn_cast<quant::QuantizedType>(type);
}

bool isPerTensorOrPerAxis(quant::QuantizedType type) {
  return isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
      type);
}

std::optional<int32_t> getQuantizedAxis(quant::QuantizedType type) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return perAxis.getQuantizedDimension();
  return std::nullopt;
}

SmallVector<double> getScales(quant::QuantizedType type) {
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type))
    return {perTensor.getScale()};
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<double>(perAxis.getScales());
  return {};
}

SmallVector<int64_t> getZeroPoints(quant::QuantizedType type) {
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type))
    return {perTensor.getZeroPoint()};
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<int64_t>(perAxis.getZeroPoints());
  return {};
}

quant::QuantizedType getAccumulatorType(quant::UniformQuantizedType lhs,
                                        quant::QuantizedType rhs,
                                        int32_t resultAxis) {
  MLIRContext *context = lhs.getContext();
  Type i32 = IntegerType::get(context, 32);
  Type expressed = lhs.getExpressedType();
  int64_t min = std::numeric_limits<int32_t>::min();
  int64_t max = std::numeric_limits<int32_t>::max();
  SmallVector<double> scales;
  for (double rhsScale : getScales(rhs))
    scales.push_back(lhs.getScale() * rhsScale);
  if (!getQuantizedAxis(rhs))
    return quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                            i32, expressed, scales.front(),
                                            /*zeroPoint=*/0, min, max);
  SmallVector<int64_t> zeroPoints(scales.size(), 0);
  return quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, i32, expressed, scales, zeroPoints,
      resultAxis, min, max);
}

quant::QuantizedType withQuantizedAxis(quant::QuantizedType type,
                                       int32_t axis) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis)
    return type;
  return quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      perAxis.getScales(), perAxis.getZeroPoints(), axis,
      perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
}

bool scalesMatch(double a, double b) {
  return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b));
}

} // namespace qnn
