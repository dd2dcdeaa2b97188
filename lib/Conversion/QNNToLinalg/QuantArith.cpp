//===- QuantArith.cpp - Scalar quantize / dequantize arithmetic -----------===//

#include "QuantArith.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace qnn;

IntegerType qnn::getWideIntegerType(quant::QuantizedType type) {
  unsigned width = type.getStorageTypeIntegralWidth() <= 16 ? 32 : 64;
  return IntegerType::get(type.getContext(), width);
}

FloatType qnn::getClampFloatType(quant::QuantizedType type) {
  auto expressed = cast<FloatType>(type.getExpressedType());
  // Every storage value (and a zero point within the storage range) is
  // exact when the significand has more bits than the storage.
  if (expressed.getFPMantissaWidth() > type.getStorageTypeIntegralWidth())
    return expressed;
  return Float64Type::get(type.getContext());
}

Value qnn::buildDequantize(OpBuilder &builder, Location loc, Value stored,
                           Value scale, Value zeroPoint,
                           quant::QuantizedType type) {
  IntegerType wideType = getWideIntegerType(type);
  Value wide = stored;
  if (stored.getType().getIntOrFloatBitWidth() < wideType.getWidth()) {
    if (type.isSigned())
      wide = arith::ExtSIOp::create(builder, loc, wideType, stored);
    else
      wide = arith::ExtUIOp::create(builder, loc, wideType, stored);
  }
  if (zeroPoint)
    wide = arith::SubIOp::create(builder, loc, wide, zeroPoint);
  Value real =
      arith::SIToFPOp::create(builder, loc, type.getExpressedType(), wide);
  return arith::MulFOp::create(builder, loc, real, scale);
}

Value qnn::buildQuantize(
    OpBuilder &builder, Location loc, Value x, Value scale, Value zeroPoint,
    quant::QuantizedType type, RoundingMode rounding,
    std::optional<std::pair<int64_t, int64_t>> clampRange) {
  FloatType clampType = getClampFloatType(type);
  // Divide, not multiply by 1 / scale: the reciprocal is itself rounded and
  // moves results across rounding boundaries.
  Value scaled = arith::DivFOp::create(builder, loc, x, scale);
  Value rounded;
  switch (rounding) {
  case RoundingMode::HalfToEven:
    rounded = math::RoundEvenOp::create(builder, loc, scaled);
    break;
  case RoundingMode::HalfAwayFromZero:
    rounded = math::RoundOp::create(builder, loc, scaled);
    break;
  }
  if (rounded.getType() != clampType)
    rounded = arith::ExtFOp::create(builder, loc, clampType, rounded);
  // The zero point is added after rounding, as ONNX, TFLite and PyTorch do.
  Value shifted = rounded;
  if (zeroPoint)
    shifted = arith::AddFOp::create(builder, loc, rounded, zeroPoint);

  auto floatConstant = [&](double value) -> Value {
    return arith::ConstantOp::create(builder, loc, clampType,
                                     builder.getFloatAttr(clampType, value));
  };
  auto [lo, hi] = clampRange.value_or(
      std::make_pair(type.getStorageTypeMin(), type.getStorageTypeMax()));
  Value qmin = floatConstant(static_cast<double>(lo));
  Value qmax = floatConstant(static_cast<double>(hi));
  // +-inf saturate here; NaN is replaced below, so whether these propagate
  // it does not matter.
  Value clamped = arith::MaximumFOp::create(builder, loc, shifted, qmin);
  clamped = arith::MinimumFOp::create(builder, loc, clamped, qmax);
  Value isNaN =
      arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::UNO, x, x);
  Value nanValue = zeroPoint ? zeroPoint : floatConstant(0.0);
  Value result =
      arith::SelectOp::create(builder, loc, isNaN, nanValue, clamped);

  // In range and integral by now, so the conversion is exact (and never
  // poison).
  Type storageType = type.getStorageType();
  if (type.isSigned())
    return arith::FPToSIOp::create(builder, loc, storageType, result);
  return arith::FPToUIOp::create(builder, loc, storageType, result);
}
