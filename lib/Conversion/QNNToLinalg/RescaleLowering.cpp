//===- RescaleLowering.cpp - qnn.requantize, qnn.add, qnn.mul -------------===//
//
// Each rescale op becomes one elementwise linalg.generic on the stored
// integers. Per-channel parameters (zero points, multipliers, shifts, clamp
// bounds, scales) are constant 1-D tensors read through the quantized axis;
// parameters shared by every channel are scalars in the body.
//
// fixed_point: the factors become multipliers and shifts at compile time
// (quantmath::quantizeMultiplier); the body is
// MultiplyByQuantizedMultiplier (FixedPointArith.h) on `q - z_in`, then the
// output zero point and the clamp. The clamp is applied before the zero
// point is added, against bounds shifted by it, so that nothing can wrap:
// clamp(r, lo - z, hi - z) + z == clamp(r + z, lo, hi) for every int32 r.
//
// float: dequantize then quantize in the expressed type (QuantArith.h), the
// result saturating to the clamp range.
//
//===----------------------------------------------------------------------===//

#include "FixedPointArith.h"
#include "IntegerTensors.h"
#include "Lowerings.h"
#include "QuantArith.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;

static constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

/// The value of a per-tensor (one entry) or per-channel list at channel `c`.
template <typename T> static T at(ArrayRef<T> values, size_t c) {
  return values[values.size() == 1 ? 0 : c];
}

namespace {
/// Collects the parameters of a generic body and remembers their positions.
class ParamList {
public:
  unsigned add(ChannelParam param) {
    params.push_back(std::move(param));
    return params.size() - 1;
  }
  ArrayRef<ChannelParam> get() const { return params; }

private:
  SmallVector<ChannelParam> params;
};

/// The fixed-point parameters of one rescale in a body.
struct MultiplierParams {
  unsigned multiplier;
  std::optional<unsigned> leftShift, rightShift;

  static MultiplierParams add(ParamList &list, MLIRContext *context,
                              const FixedPointMultipliers &m) {
    Builder b(context);
    MultiplierParams result;
    result.multiplier =
        list.add(ChannelParam::ints(b.getI32Type(), m.multipliers));
    if (m.hasLeftShift())
      result.leftShift =
          list.add(ChannelParam::ints(b.getI64Type(), m.leftShifts));
    if (m.hasRightShift())
      result.rightShift =
          list.add(ChannelParam::ints(b.getI32Type(), m.rightShifts));
    return result;
  }

  Value build(OpBuilder &b, Location loc, Value x, ValueRange params) const {
    return buildMultiplyByQuantizedMultiplier(
        b, loc, x, params[multiplier], leftShift ? params[*leftShift] : Value(),
        rightShift ? params[*rightShift] : Value());
  }
};

/// The output zero point and clamp of a fixed-point rescale in a body.
struct OutputParams {
  unsigned zeroPoint, lower, upper;

  static OutputParams add(ParamList &list, MLIRContext *context,
                          ArrayRef<int64_t> zeroPoints,
                          std::pair<int64_t, int64_t> clamp) {
    Type i32 = IntegerType::get(context, 32);
    SmallVector<int64_t> lower, upper;
    for (int64_t z : zeroPoints) {
      lower.push_back(std::max(clamp.first - z, kInt32Min));
      upper.push_back(std::min(clamp.second - z, kInt32Max));
    }
    return {list.add(ChannelParam::ints(i32, zeroPoints)),
            list.add(ChannelParam::ints(i32, lower)),
            list.add(ChannelParam::ints(i32, upper))};
  }

  /// clamp(r + z) truncated to the storage type of `type`.
  Value build(OpBuilder &b, Location loc, Value r, ValueRange params,
              quant::QuantizedType type) const {
    Value clamped = buildClamp(b, loc, r, params[lower], params[upper]);
    Value shifted = arith::AddIOp::create(b, loc, clamped, params[zeroPoint]);
    Type storage = type.getStorageType();
    if (storage == shifted.getType())
      return shifted;
    return arith::TruncIOp::create(b, loc, storage, shifted);
  }
};
} // namespace

/// `q - z` as i32 for a stored integer `q` of `type`; `zeroPoint` is a
/// body parameter of type `getCenteredInputType(type)`, or null for 0.
/// 32-bit storage is centred in i64 and saturated to int32.
static Type getCenteredInputType(quant::QuantizedType type) {
  unsigned width = type.getStorageTypeIntegralWidth() < 32 ? 32 : 64;
  return IntegerType::get(type.getContext(), width);
}

static Value buildCenteredInput(OpBuilder &b, Location loc, Value stored,
                                Value zeroPoint, quant::QuantizedType type) {
  auto wideType = cast<IntegerType>(getCenteredInputType(type));
  if (wideType.getWidth() == 32) {
    Value wide = widenStored(b, loc, stored, type, wideType);
    return zeroPoint ? arith::SubIOp::create(b, loc, wide, zeroPoint) : wide;
  }
  if (!zeroPoint && type.isSigned())
    return stored;
  Value wide = widenStored(b, loc, stored, type, wideType);
  if (zeroPoint)
    wide = arith::SubIOp::create(b, loc, wide, zeroPoint);
  return buildSaturateToInt32(b, loc, wide);
}

static bool anyNonZero(ArrayRef<int64_t> values) {
  return llvm::any_of(values, [](int64_t v) { return v != 0; });
}

//===----------------------------------------------------------------------===//
// qnn.requantize
//===----------------------------------------------------------------------===//

static FailureOr<Value> buildRequantize(OpBuilder &builder, RequantizeOp op,
                                        Value input, Type resultElementType,
                                        std::string &why) {
  Location loc = op.getLoc();
  MLIRContext *context = builder.getContext();
  quant::QuantizedType inType =
      getQuantizedElementType(op.getInput().getType());
  quant::QuantizedType outType = getQuantizedElementType(op.getType());
  SmallVector<double> inScales = getScales(inType);
  SmallVector<double> outScales = getScales(outType);
  SmallVector<int64_t> inZeroPoints = getZeroPoints(inType);
  SmallVector<int64_t> outZeroPoints = getZeroPoints(outType);
  size_t channels = std::max(inScales.size(), outScales.size());
  std::optional<int64_t> axis;
  if (std::optional<int32_t> inAxis = getQuantizedAxis(inType))
    axis = *inAxis;
  // Per-tensor parameters of one side repeat for every channel of the other.
  auto perChannel = [&](auto values) {
    using T = typename decltype(values)::value_type;
    SmallVector<T> result;
    for (size_t c = 0; c < channels; ++c)
      result.push_back(at<T>(values, c));
    return result;
  };
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, input);
  ParamList params;

  if (op.getMode() == RescaleMode::Float) {
    Type expressed = inType.getExpressedType();
    unsigned inScale =
        params.add(ChannelParam::floats(expressed, perChannel(inScales)));
    std::optional<unsigned> inZeroPoint, outZeroPoint;
    if (anyNonZero(inZeroPoints))
      inZeroPoint = params.add(ChannelParam::ints(getWideIntegerType(inType),
                                                  perChannel(inZeroPoints)));
    unsigned outScale =
        params.add(ChannelParam::floats(expressed, perChannel(outScales)));
    if (anyNonZero(outZeroPoints)) {
      SmallVector<double> asFloat;
      for (int64_t z : perChannel(outZeroPoints))
        asFloat.push_back(static_cast<double>(z));
      outZeroPoint =
          params.add(ChannelParam::floats(getClampFloatType(outType), asFloat));
    }
    std::pair<int64_t, int64_t> clamp = op.getClampRange();
    RoundingMode rounding = op.getRounding();
    return buildChannelwiseGeneric(
        builder, loc, sizes, resultElementType, {{input, AffineMap()}}, axis,
        params.get(),
        [&](OpBuilder &b, Location bodyLoc, ValueRange in,
            ValueRange p) -> Value {
          Value real =
              buildDequantize(b, bodyLoc, in[0], p[inScale],
                              inZeroPoint ? p[*inZeroPoint] : Value(), inType);
          return buildQuantize(b, bodyLoc, real, p[outScale],
                               outZeroPoint ? p[*outZeroPoint] : Value(),
                               outType, rounding, clamp);
        });
  }

  SmallVector<double> factors;
  for (size_t c = 0; c < channels; ++c)
    factors.push_back(at<double>(inScales, c) / at<double>(outScales, c));
  FailureOr<FixedPointMultipliers> multipliers =
      computeFixedPointMultipliers(factors, why);
  if (failed(multipliers))
    return failure();
  std::optional<unsigned> inZeroPoint;
  if (anyNonZero(inZeroPoints))
    inZeroPoint = params.add(ChannelParam::ints(getCenteredInputType(inType),
                                                perChannel(inZeroPoints)));
  MultiplierParams rescale =
      MultiplierParams::add(params, context, *multipliers);
  OutputParams output = OutputParams::add(
      params, context, perChannel(outZeroPoints), op.getClampRange());
  return buildChannelwiseGeneric(
      builder, loc, sizes, resultElementType, {{input, AffineMap()}}, axis,
      params.get(),
      [&](OpBuilder &b, Location bodyLoc, ValueRange in,
          ValueRange p) -> Value {
        Value x = buildCenteredInput(
            b, bodyLoc, in[0], inZeroPoint ? p[*inZeroPoint] : Value(), inType);
        Value r = rescale.build(b, bodyLoc, x, p);
        return output.build(b, bodyLoc, r, p, outType);
      });
}

//===----------------------------------------------------------------------===//
// qnn.add and qnn.mul
//===----------------------------------------------------------------------===//

/// The per-tensor operands and result of an elementwise rescale op.
namespace {
struct BinaryTypes {
  quant::UniformQuantizedType lhs, rhs, result;
};
} // namespace

template <typename OpTy> static BinaryTypes getBinaryTypes(OpTy op) {
  auto get = [](Value value) {
    return cast<quant::UniformQuantizedType>(
        getQuantizedElementType(value.getType()));
  };
  return {get(op.getLhs()), get(op.getRhs()), get(op.getResult())};
}

/// Float mode of add and mul: dequantize both operands, combine, quantize.
template <typename OpTy>
static Value buildFloatBinary(OpBuilder &builder, OpTy op, Value lhs, Value rhs,
                              Type resultElementType, bool isAdd) {
  Location loc = op.getLoc();
  BinaryTypes types = getBinaryTypes(op);
  Type expressed = types.result.getExpressedType();
  ParamList params;
  unsigned lhsScale =
      params.add(ChannelParam::floats(expressed, {types.lhs.getScale()}));
  unsigned rhsScale =
      params.add(ChannelParam::floats(expressed, {types.rhs.getScale()}));
  unsigned outScale =
      params.add(ChannelParam::floats(expressed, {types.result.getScale()}));
  unsigned lhsZero = params.add(ChannelParam::ints(
      getWideIntegerType(types.lhs), {types.lhs.getZeroPoint()}));
  unsigned rhsZero = params.add(ChannelParam::ints(
      getWideIntegerType(types.rhs), {types.rhs.getZeroPoint()}));
  unsigned outZero = params.add(
      ChannelParam::floats(getClampFloatType(types.result),
                           {static_cast<double>(types.result.getZeroPoint())}));
  std::pair<int64_t, int64_t> clamp = op.getClampRange();
  RoundingMode rounding = op.getRounding();
  return buildChannelwiseGeneric(
      builder, loc, tensor::getMixedSizes(builder, loc, lhs), resultElementType,
      {{lhs, AffineMap()}, {rhs, AffineMap()}}, std::nullopt, params.get(),
      [&](OpBuilder &b, Location bodyLoc, ValueRange in,
          ValueRange p) -> Value {
        auto zeroOrNull = [&](int64_t z, unsigned index) {
          return z != 0 ? p[index] : Value();
        };
        Value l = buildDequantize(b, bodyLoc, in[0], p[lhsScale],
                                  zeroOrNull(types.lhs.getZeroPoint(), lhsZero),
                                  types.lhs);
        Value r = buildDequantize(b, bodyLoc, in[1], p[rhsScale],
                                  zeroOrNull(types.rhs.getZeroPoint(), rhsZero),
                                  types.rhs);
        Value real = isAdd ? Value(arith::AddFOp::create(b, bodyLoc, l, r))
                           : Value(arith::MulFOp::create(b, bodyLoc, l, r));
        return buildQuantize(b, bodyLoc, real, p[outScale],
                             zeroOrNull(types.result.getZeroPoint(), outZero),
                             types.result, rounding, clamp);
      });
}

/// The shift TFLite's integer ADD applies before rescaling its inputs (the
/// verifier's rule: by the result's storage width).
static int64_t getAddLeftShift(quant::QuantizedType result) {
  return result.getStorageTypeIntegralWidth() > 8 ? 15 : 20;
}

/// Whether `(q - z) << shift` may overflow int32 for storage of `type`.
static bool mayOverflowShifted(quant::QuantizedType type, int64_t shift) {
  int64_t maxMagnitude = (int64_t(1) << type.getStorageTypeIntegralWidth()) - 1;
  return (maxMagnitude << shift) > kInt32Max;
}

static FailureOr<Value> buildFixedPointAdd(OpBuilder &builder, AddOp op,
                                           Value lhs, Value rhs,
                                           Type resultElementType,
                                           std::string &why) {
  Location loc = op.getLoc();
  MLIRContext *context = builder.getContext();
  BinaryTypes types = getBinaryTypes(op);
  int64_t leftShift = getAddLeftShift(types.result);
  double twiceMax = 2.0 * std::max(types.lhs.getScale(), types.rhs.getScale());
  double shifted = std::ldexp(1.0, static_cast<int>(leftShift));
  FailureOr<FixedPointMultipliers> lhsFactor =
      computeFixedPointMultipliers({types.lhs.getScale() / twiceMax}, why);
  FailureOr<FixedPointMultipliers> rhsFactor =
      computeFixedPointMultipliers({types.rhs.getScale() / twiceMax}, why);
  FailureOr<FixedPointMultipliers> outFactor = computeFixedPointMultipliers(
      {twiceMax / (shifted * types.result.getScale())}, why);
  if (failed(lhsFactor) || failed(rhsFactor) || failed(outFactor))
    return failure();

  Type i32 = builder.getI32Type();
  ParamList params;
  unsigned lhsZero =
      params.add(ChannelParam::ints(i32, {types.lhs.getZeroPoint()}));
  unsigned rhsZero =
      params.add(ChannelParam::ints(i32, {types.rhs.getZeroPoint()}));
  MultiplierParams lhsRescale =
      MultiplierParams::add(params, context, *lhsFactor);
  MultiplierParams rhsRescale =
      MultiplierParams::add(params, context, *rhsFactor);
  MultiplierParams outRescale =
      MultiplierParams::add(params, context, *outFactor);
  OutputParams output = OutputParams::add(
      params, context, {types.result.getZeroPoint()}, op.getClampRange());
  return buildChannelwiseGeneric(
      builder, loc, tensor::getMixedSizes(builder, loc, lhs), resultElementType,
      {{lhs, AffineMap()}, {rhs, AffineMap()}}, std::nullopt, params.get(),
      [&](OpBuilder &b, Location bodyLoc, ValueRange in,
          ValueRange p) -> Value {
        Type i64 = b.getI64Type();
        // (q - z) << L: exact in int32 for matching storage widths; a wider
        // operand than the result (16-bit into 8-bit, L = 20) saturates.
        auto scaled = [&](Value stored, quant::UniformQuantizedType type,
                          unsigned zero) -> Value {
          Value x = widenStored(b, bodyLoc, stored, type, b.getI32Type());
          x = arith::SubIOp::create(b, bodyLoc, x, p[zero]);
          if (!mayOverflowShifted(type, leftShift))
            return arith::ShLIOp::create(
                b, bodyLoc, x,
                createScalarConstant(b, bodyLoc, i32, leftShift));
          Value wide = arith::ExtSIOp::create(b, bodyLoc, i64, x);
          wide = arith::ShLIOp::create(
              b, bodyLoc, wide,
              createScalarConstant(b, bodyLoc, i64, leftShift));
          return buildSaturateToInt32(b, bodyLoc, wide);
        };
        Value a =
            lhsRescale.build(b, bodyLoc, scaled(in[0], types.lhs, lhsZero), p);
        Value c =
            rhsRescale.build(b, bodyLoc, scaled(in[1], types.rhs, rhsZero), p);
        // |a|, |c| <= 2^30: the sum fits int32 except at the saturated
        // extreme, where it saturates.
        Value sum = arith::AddIOp::create(
            b, bodyLoc, arith::ExtSIOp::create(b, bodyLoc, i64, a),
            arith::ExtSIOp::create(b, bodyLoc, i64, c));
        Value r = outRescale.build(b, bodyLoc,
                                   buildSaturateToInt32(b, bodyLoc, sum), p);
        return output.build(b, bodyLoc, r, p, types.result);
      });
}

static FailureOr<Value> buildFixedPointMul(OpBuilder &builder, MulOp op,
                                           Value lhs, Value rhs,
                                           Type resultElementType,
                                           std::string &why) {
  Location loc = op.getLoc();
  MLIRContext *context = builder.getContext();
  BinaryTypes types = getBinaryTypes(op);
  FailureOr<FixedPointMultipliers> factor = computeFixedPointMultipliers(
      {types.lhs.getScale() * types.rhs.getScale() / types.result.getScale()},
      why);
  if (failed(factor))
    return failure();
  Type i32 = builder.getI32Type();
  ParamList params;
  unsigned lhsZero =
      params.add(ChannelParam::ints(i32, {types.lhs.getZeroPoint()}));
  unsigned rhsZero =
      params.add(ChannelParam::ints(i32, {types.rhs.getZeroPoint()}));
  MultiplierParams rescale = MultiplierParams::add(params, context, *factor);
  OutputParams output = OutputParams::add(
      params, context, {types.result.getZeroPoint()}, op.getClampRange());
  // |q - z| < 2^w for each operand: the product is exact in int32 when the
  // widths add up to at most 31 bits (8-bit storage); otherwise it is
  // formed in i64 and saturated.
  bool exact = types.lhs.getStorageTypeIntegralWidth() +
                   types.rhs.getStorageTypeIntegralWidth() <=
               31;
  return buildChannelwiseGeneric(
      builder, loc, tensor::getMixedSizes(builder, loc, lhs), resultElementType,
      {{lhs, AffineMap()}, {rhs, AffineMap()}}, std::nullopt, params.get(),
      [&](OpBuilder &b, Location bodyLoc, ValueRange in,
          ValueRange p) -> Value {
        Value l = widenStored(b, bodyLoc, in[0], types.lhs, b.getI32Type());
        l = arith::SubIOp::create(b, bodyLoc, l, p[lhsZero]);
        Value r = widenStored(b, bodyLoc, in[1], types.rhs, b.getI32Type());
        r = arith::SubIOp::create(b, bodyLoc, r, p[rhsZero]);
        Value product;
        if (exact) {
          product = arith::MulIOp::create(b, bodyLoc, l, r);
        } else {
          Type i64 = b.getI64Type();
          Value wide = arith::MulIOp::create(
              b, bodyLoc, arith::ExtSIOp::create(b, bodyLoc, i64, l),
              arith::ExtSIOp::create(b, bodyLoc, i64, r));
          product = buildSaturateToInt32(b, bodyLoc, wide);
        }
        Value scaled = rescale.build(b, bodyLoc, product, p);
        return output.build(b, bodyLoc, scaled, p, types.result);
      });
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

class RequantizeLowering : public OpConversionPattern<RequantizeOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (std::optional<std::string> why = findUnsupportedRescale(op))
      return rewriter.notifyMatchFailure(op, *why);
    Type resultType = getTypeConverter()->convertType(op.getType());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result type does not convert");
    std::string why;
    FailureOr<Value> result =
        buildRequantize(rewriter, op, adaptor.getInput(),
                        getElementTypeOrSelf(resultType), why);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, why);
    rewriter.replaceOp(op, *result);
    return success();
  }
};

class AddLowering : public OpConversionPattern<AddOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type resultType = getTypeConverter()->convertType(op.getType());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result type does not convert");
    Type element = getElementTypeOrSelf(resultType);
    if (op.getMode() == RescaleMode::Float) {
      rewriter.replaceOp(op, buildFloatBinary(rewriter, op, adaptor.getLhs(),
                                              adaptor.getRhs(), element,
                                              /*isAdd=*/true));
      return success();
    }
    std::string why;
    FailureOr<Value> result = buildFixedPointAdd(
        rewriter, op, adaptor.getLhs(), adaptor.getRhs(), element, why);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, why);
    rewriter.replaceOp(op, *result);
    return success();
  }
};

class MulLowering : public OpConversionPattern<MulOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type resultType = getTypeConverter()->convertType(op.getType());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result type does not convert");
    Type element = getElementTypeOrSelf(resultType);
    if (op.getMode() == RescaleMode::Float) {
      rewriter.replaceOp(op, buildFloatBinary(rewriter, op, adaptor.getLhs(),
                                              adaptor.getRhs(), element,
                                              /*isAdd=*/false));
      return success();
    }
    std::string why;
    FailureOr<Value> result = buildFixedPointMul(
        rewriter, op, adaptor.getLhs(), adaptor.getRhs(), element, why);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, why);
    rewriter.replaceOp(op, *result);
    return success();
  }
};

} // namespace

std::optional<std::string> qnn::findUnsupportedRescale(Operation *op) {
  auto requantize = dyn_cast<RequantizeOp>(op);
  if (!requantize)
    return std::nullopt;
  // A u32 value above INT32_MAX has no int32 fixed-point form.
  for (Value value : {requantize.getInput(), requantize.getResult()}) {
    quant::QuantizedType type = getQuantizedElementType(value.getType());
    if (!type.isSigned() && type.getStorageTypeIntegralWidth() >= 32) {
      std::string why;
      llvm::raw_string_ostream(why)
          << "unsigned 32-bit storage (" << type
          << ") is not supported: its values do not fit int32";
      return why;
    }
  }
  return std::nullopt;
}

void qnn::populateRescaleLoweringPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<RequantizeLowering, AddLowering, MulLowering>(
      converter, patterns.getContext());
}
