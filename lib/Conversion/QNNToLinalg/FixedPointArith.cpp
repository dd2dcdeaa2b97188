//===- FixedPointArith.cpp - gemmlowp fixed-point arithmetic in IR --------===//
//
// Each builder mirrors one function of lib/Quant/FixedPoint.cpp. Products
// are formed in i64, where they are exact (|a * b| <= 2^62), so no
// intermediate value wraps or saturates except where the library saturates.
//
//===----------------------------------------------------------------------===//

#include "FixedPointArith.h"

#include "qnn/Quant/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace qnn;

static constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

bool FixedPointMultipliers::hasLeftShift() const {
  return llvm::any_of(leftShifts, [](int64_t s) { return s != 0; });
}

bool FixedPointMultipliers::hasRightShift() const {
  return llvm::any_of(rightShifts, [](int64_t s) { return s != 0; });
}

FailureOr<FixedPointMultipliers>
qnn::computeFixedPointMultipliers(ArrayRef<double> factors, std::string &why) {
  FixedPointMultipliers result;
  for (double factor : factors) {
    std::optional<quantmath::QuantizedMultiplier> m =
        quantmath::quantizeMultiplier(factor);
    if (!m) {
      llvm::raw_string_ostream(why) << "rescale factor " << factor
                                    << " cannot be represented in fixed point";
      return failure();
    }
    result.multipliers.push_back(m->multiplier);
    result.leftShifts.push_back(m->shift > 0 ? m->shift : 0);
    result.rightShifts.push_back(m->shift > 0 ? 0 : -m->shift);
  }
  return result;
}

static Value constantLike(OpBuilder &builder, Location loc, Type type,
                          int64_t value) {
  return arith::ConstantOp::create(builder, loc, type,
                                   builder.getIntegerAttr(type, value));
}

Value qnn::buildSaturateToInt32(OpBuilder &builder, Location loc, Value x) {
  Type i64 = builder.getI64Type();
  Value lo = constantLike(builder, loc, i64, kInt32Min);
  Value hi = constantLike(builder, loc, i64, kInt32Max);
  Value clamped = arith::MinSIOp::create(builder, loc, x, hi);
  clamped = arith::MaxSIOp::create(builder, loc, clamped, lo);
  return arith::TruncIOp::create(builder, loc, builder.getI32Type(), clamped);
}

Value qnn::buildSaturatingRoundingDoublingHighMul(OpBuilder &builder,
                                                  Location loc, Value a,
                                                  Value b) {
  Type i64 = builder.getI64Type();
  Value a64 = arith::ExtSIOp::create(builder, loc, i64, a);
  Value b64 = arith::ExtSIOp::create(builder, loc, i64, b);
  Value product = arith::MulIOp::create(builder, loc, a64, b64);
  Value zero = constantLike(builder, loc, i64, 0);
  Value nonNegative = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::sge, product, zero);
  // gemmlowp's nudge: ties round upwards, so -0.5 becomes 0.
  Value positiveNudge = constantLike(builder, loc, i64, int64_t(1) << 30);
  Value negativeNudge = constantLike(builder, loc, i64, 1 - (int64_t(1) << 30));
  Value nudge = arith::SelectOp::create(builder, loc, nonNegative,
                                        positiveNudge, negativeNudge);
  Value nudged = arith::AddIOp::create(builder, loc, product, nudge);
  // Truncating division, as gemmlowp's (ab_64 + nudge) / (1ll << 31).
  Value divisor = constantLike(builder, loc, i64, int64_t(1) << 31);
  Value quotient = arith::DivSIOp::create(builder, loc, nudged, divisor);
  // Only INT32_MIN * INT32_MIN gives 2^31 here: it saturates.
  Value hi = constantLike(builder, loc, i64, kInt32Max);
  quotient = arith::MinSIOp::create(builder, loc, quotient, hi);
  return arith::TruncIOp::create(builder, loc, builder.getI32Type(), quotient);
}

Value qnn::buildRoundingDivideByPOT(OpBuilder &builder, Location loc, Value x,
                                    Value exponent) {
  Type i32 = builder.getI32Type();
  Value zero = constantLike(builder, loc, i32, 0);
  Value one = constantLike(builder, loc, i32, 1);
  // mask = 2^exponent - 1; for exponent 31 the shift gives INT32_MIN and
  // the wrapping subtraction INT32_MAX, the right mask.
  Value power = arith::ShLIOp::create(builder, loc, one, exponent);
  Value mask = arith::SubIOp::create(builder, loc, power, one);
  Value remainder = arith::AndIOp::create(builder, loc, x, mask);
  Value halfMask = arith::ShRSIOp::create(builder, loc, mask, one);
  Value negative =
      arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::slt, x, zero);
  Value negativeBump = arith::ExtUIOp::create(builder, loc, i32, negative);
  Value threshold = arith::AddIOp::create(builder, loc, halfMask, negativeBump);
  Value roundUp = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sgt,
                                        remainder, threshold);
  Value shifted = arith::ShRSIOp::create(builder, loc, x, exponent);
  Value bump = arith::ExtUIOp::create(builder, loc, i32, roundUp);
  return arith::AddIOp::create(builder, loc, shifted, bump);
}

Value qnn::buildMultiplyByQuantizedMultiplier(OpBuilder &builder, Location loc,
                                              Value x, Value multiplier,
                                              Value leftShift,
                                              Value rightShift) {
  Value shifted = x;
  if (leftShift) {
    // x < 2^31 and leftShift <= 31: the i64 shift is exact; the library
    // then saturates to int32 where TFLite would overflow.
    Value wide = arith::ExtSIOp::create(builder, loc, builder.getI64Type(), x);
    wide = arith::ShLIOp::create(builder, loc, wide, leftShift);
    shifted = buildSaturateToInt32(builder, loc, wide);
  }
  Value high =
      buildSaturatingRoundingDoublingHighMul(builder, loc, shifted, multiplier);
  if (!rightShift)
    return high;
  return buildRoundingDivideByPOT(builder, loc, high, rightShift);
}
