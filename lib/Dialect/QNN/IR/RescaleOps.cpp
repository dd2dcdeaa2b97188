//===- RescaleOps.cpp - Requantize, add and multiply ----------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"
#include "qnn/Quant/FixedPoint.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace qnn;

/// The storage range of `type` narrowed by the clamp attributes.
static std::pair<int64_t, int64_t> getClampRangeOf(quant::QuantizedType type,
                                                   std::optional<int64_t> min,
                                                   std::optional<int64_t> max) {
  return {min.value_or(type.getStorageTypeMin()),
          max.value_or(type.getStorageTypeMax())};
}

/// Checks the attributes all rescale ops share: the clamp stays inside the
/// result's storage range.
static LogicalResult verifyClamp(Operation *op, quant::QuantizedType result,
                                 std::optional<int64_t> min,
                                 std::optional<int64_t> max) {
  auto [lo, hi] = getClampRangeOf(result, min, max);
  if (lo < result.getStorageTypeMin() || hi > result.getStorageTypeMax())
    return op->emitOpError("clamp [")
           << lo << ", " << hi << "] exceeds the storage range ["
           << result.getStorageTypeMin() << ", " << result.getStorageTypeMax()
           << "] of the result";
  if (lo > hi)
    return op->emitOpError("clamp_min ")
           << lo << " is greater than clamp_max " << hi;
  return success();
}

/// In fixed point every real factor must become a multiplier and a shift.
static LogicalResult verifyFixedPointFactor(Operation *op, double factor,
                                            StringRef what) {
  if (quantmath::quantizeMultiplier(factor))
    return success();
  return op->emitOpError("rescale factor ")
         << factor << " (" << what
         << ") cannot be represented in fixed point; it must be finite, "
            "non-negative and below 2^31";
}

/// The per-tensor quantized element type of an elementwise operand.
static FailureOr<quant::UniformQuantizedType>
getElementwiseType(Operation *op, Value value, StringRef name) {
  auto type = dyn_cast<quant::UniformQuantizedType>(
      getQuantizedElementType(value.getType()));
  if (!type)
    return op->emitOpError() << name << " must be quantized per tensor";
  if (type.getStorageTypeIntegralWidth() > 16)
    return op->emitOpError()
           << name << " must have integer storage of at most 16 bits";
  return type;
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

std::pair<int64_t, int64_t> RequantizeOp::getClampRange() {
  return getClampRangeOf(getQuantizedElementType(getType()), getClampMin(),
                         getClampMax());
}

LogicalResult RequantizeOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getType();
  if (inputType.getShape() != resultType.getShape())
    return emitOpError("input shape [")
           << inputType.getShape() << "] does not match result shape ["
           << resultType.getShape() << "]";
  quant::QuantizedType input = getQuantizedElementType(inputType);
  quant::QuantizedType result = getQuantizedElementType(resultType);
  if (!isPerTensorOrPerAxis(input) || !isPerTensorOrPerAxis(result))
    return emitOpError("input and result must be quantized per tensor or per "
                       "axis");
  if (input.getExpressedType() != result.getExpressedType())
    return emitOpError("input and result must express the same float type");
  std::optional<int32_t> resultAxis = getQuantizedAxis(result);
  if (resultAxis && resultAxis != getQuantizedAxis(input))
    return emitOpError("a per-axis result must be quantized along the "
                       "input's axis");
  for (auto [type, shape] : {std::make_pair(input, inputType.getShape()),
                             std::make_pair(result, resultType.getShape())})
    if (failed(verifyQuantizedTypeFitsShape([&] { return emitOpError(); }, type,
                                            shape)))
      return failure();
  if (failed(verifyClamp(*this, result, getClampMin(), getClampMax())))
    return failure();
  if (getMode() != RescaleMode::FixedPoint)
    return success();
  SmallVector<double> inputScales = getScales(input);
  SmallVector<double> resultScales = getScales(result);
  for (auto [index, inputScale] : llvm::enumerate(inputScales)) {
    double outputScale = resultScales[resultScales.size() == 1 ? 0 : index];
    if (failed(verifyFixedPointFactor(*this, inputScale / outputScale,
                                      "input scale / result scale")))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp and MulOp
//===----------------------------------------------------------------------===//

/// The shift TFLite's integer ADD applies before rescaling its inputs.
static int addLeftShift(quant::QuantizedType type) {
  return type.getStorageTypeIntegralWidth() > 8 ? 15 : 20;
}

std::pair<int64_t, int64_t> AddOp::getClampRange() {
  return getClampRangeOf(getQuantizedElementType(getType()), getClampMin(),
                         getClampMax());
}

LogicalResult AddOp::verify() {
  auto lhs = getElementwiseType(*this, getLhs(), "lhs");
  auto rhs = getElementwiseType(*this, getRhs(), "rhs");
  auto result = getElementwiseType(*this, getResult(), "result");
  if (failed(lhs) || failed(rhs) || failed(result))
    return failure();
  if (lhs->getExpressedType() != result->getExpressedType() ||
      rhs->getExpressedType() != result->getExpressedType())
    return emitOpError("operands and result must express the same float "
                       "type");
  // TFLite's shift (20, or 15 for 16 bits) keeps (q - z) << shift inside
  // int32 only for inputs as wide as the result.
  if (lhs->getStorageTypeIntegralWidth() !=
          result->getStorageTypeIntegralWidth() ||
      rhs->getStorageTypeIntegralWidth() !=
          result->getStorageTypeIntegralWidth())
    return emitOpError("operands and result must have the same storage "
                       "width");
  if (failed(verifyClamp(*this, *result, getClampMin(), getClampMax())))
    return failure();
  if (getMode() != RescaleMode::FixedPoint)
    return success();
  double twiceMax = 2.0 * std::max(lhs->getScale(), rhs->getScale());
  double shifted = std::ldexp(1.0, addLeftShift(*result));
  return verifyFixedPointFactor(
      *this, twiceMax / (shifted * result->getScale()),
      "2 * max(input scales) / (2^shift * result scale)");
}

std::pair<int64_t, int64_t> MulOp::getClampRange() {
  return getClampRangeOf(getQuantizedElementType(getType()), getClampMin(),
                         getClampMax());
}

LogicalResult MulOp::verify() {
  auto lhs = getElementwiseType(*this, getLhs(), "lhs");
  auto rhs = getElementwiseType(*this, getRhs(), "rhs");
  auto result = getElementwiseType(*this, getResult(), "result");
  if (failed(lhs) || failed(rhs) || failed(result))
    return failure();
  if (lhs->getExpressedType() != result->getExpressedType() ||
      rhs->getExpressedType() != result->getExpressedType())
    return emitOpError("operands and result must express the same float "
                       "type");
  if (failed(verifyClamp(*this, *result, getClampMin(), getClampMax())))
    return failure();
  if (getMode() != RescaleMode::FixedPoint)
    return success();
  return verifyFixedPointFactor(
      *this, lhs->getScale() * rhs->getScale() / result->getScale(),
      "lhs scale * rhs scale / result scale");
}
