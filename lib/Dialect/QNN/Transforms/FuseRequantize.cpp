//===- FuseRequantize.cpp - Dequantize, clamp, quantize -> requantize -----===//
//
// `qnn.quantize(f(quant.dcast(x)))`, where f is a chain of ReLU, ReLU6 and
// clamps (max and min with constants) in any spelling, becomes
// `qnn.requantize(x)` with f as the integer clamp.
//
// Why the clamp is exact: Q = qnn.quantize is monotonic (non-decreasing), and
// a monotonic function commutes with max and min: Q(max(v, a)) =
// max(Q(v), Q(a)), Q(min(v, b)) = min(Q(v), Q(b)). A chain of maxes and mins
// reduces to min(max(v, lo), hi) with lo <= hi (ClampRange), so
// Q(f(v)) = min(max(Q(v), Q(lo)), Q(hi)): the requantize clamp is
// [Q(lo), Q(hi)], each bound quantized by the math library with the
// quantize's own rounding. For ReLU, Q(0.0) is the output zero point
// exactly. The bounds are not rounded inwards: with a scale of 0.05, the
// fp32 chain maps every v < lo = 0.02 to Q(0.02) = round(0.4) = 0, and so
// must the integer clamp. What the rewrite changes is only Q(v) itself, which
// the requantize computes from the integers in fixed point (or float, option
// `rescale`) instead of from the fp32 value.
//
//===----------------------------------------------------------------------===//

#include "FuseMatchers.h"
#include "FusePatterns.h"
#include "FuseScalar.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"
#include "qnn/Quant/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

#include <cfloat>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;

namespace {

/// One step of an fp32 activation: v -> max(v, bound) or min(v, bound).
struct ClampStep {
  bool isMax;
  double bound;
};

/// What a chain of steps amounts to: v -> min(max(v, lo), hi), lo <= hi;
/// infinite bounds clamp nothing.
struct ClampRange {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();

  /// max(min(max(v, lo), hi), a) is min(max(v, max(lo, a)), hi) when
  /// a <= hi, and the constant a otherwise; min likewise.
  void apply(ClampStep step) {
    if (step.isMax) {
      if (step.bound > hi)
        lo = hi = step.bound;
      else
        lo = std::max(lo, step.bound);
    } else {
      if (step.bound < lo)
        lo = hi = step.bound;
      else
        hi = std::min(hi, step.bound);
    }
  }
};

} // namespace

/// Matches `op` as one clamp step on a running value (a tensor, or a scalar
/// in a linalg body) and sets `running` to it. Spellings: arith.maximumf,
/// maxnumf, minimumf, minnumf with a constant, and `select(cmpf(v, c), v, c)`
/// (torch-mlir's ReLU). NaN, where these differ, cannot occur: the chain
/// starts at a dequantized integer.
static std::optional<ClampStep>
matchClampStep(Operation *op,
               function_ref<std::optional<double>(Value)> constantOf,
               Value &running) {
  // The one operand of `lhs`, `rhs` that is a constant, the other running.
  auto split = [&](Value lhs, Value rhs,
                   bool &constantFirst) -> std::optional<double> {
    std::optional<double> lhsConstant = constantOf(lhs);
    std::optional<double> rhsConstant = constantOf(rhs);
    if (lhsConstant.has_value() == rhsConstant.has_value())
      return std::nullopt;
    constantFirst = lhsConstant.has_value();
    running = constantFirst ? rhs : lhs;
    return constantFirst ? lhsConstant : rhsConstant;
  };
  bool constantFirst = false;
  if (isa<arith::MaximumFOp, arith::MaxNumFOp, arith::MinimumFOp,
          arith::MinNumFOp>(op)) {
    std::optional<double> bound =
        split(op->getOperand(0), op->getOperand(1), constantFirst);
    if (!bound)
      return std::nullopt;
    return ClampStep{isa<arith::MaximumFOp, arith::MaxNumFOp>(op), *bound};
  }

  auto select = dyn_cast<arith::SelectOp>(op);
  if (!select)
    return std::nullopt;
  auto compare = select.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!compare)
    return std::nullopt;
  std::optional<double> bound =
      split(select.getTrueValue(), select.getFalseValue(), constantFirst);
  if (!bound)
    return std::nullopt;
  bool pickedRunningIfTrue = !constantFirst;
  // The comparison must be between the same two values.
  Value lhs = compare.getLhs(), rhs = compare.getRhs();
  bool runningOnLeft;
  if (lhs == running && constantOf(rhs) == bound)
    runningOnLeft = true;
  else if (rhs == running && constantOf(lhs) == bound)
    runningOnLeft = false;
  else
    return std::nullopt;
  bool greater;
  switch (compare.getPredicate()) {
  case arith::CmpFPredicate::OGT:
  case arith::CmpFPredicate::OGE:
  case arith::CmpFPredicate::UGT:
  case arith::CmpFPredicate::UGE:
    greater = true;
    break;
  case arith::CmpFPredicate::OLT:
  case arith::CmpFPredicate::OLE:
  case arith::CmpFPredicate::ULT:
  case arith::CmpFPredicate::ULE:
    greater = false;
    break;
  default:
    return std::nullopt;
  }
  // select(v > c, v, c) is max(v, c); swapping the comparison's operands or
  // the select's arms turns it into min. (At v == c both give c.)
  bool isMax = greater == runningOnLeft;
  if (!pickedRunningIfTrue)
    isMax = !isMax;
  return ClampStep{isMax, *bound};
}

/// Appends the steps of the body of `elementwise` (last applied first) and
/// returns the tensor it reads, or null when the body is not a clamp chain
/// on one input read element by element.
static Value matchClampBody(const ElementwiseLinalg &elementwise,
                            SmallVectorImpl<ClampStep> &steps) {
  auto constantOf = [&](Value value) {
    return elementwise.getScalarConstant(value);
  };
  Value value = elementwise.yielded;
  while (true) {
    if (OpOperand *input = elementwise.getInputOperand(value)) {
      if (!elementwise.op.getMatchingIndexingMap(input).isIdentity() ||
          constantOf(value))
        return Value();
      return input->get();
    }
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != elementwise.op.getBlock())
      return Value();
    std::optional<ClampStep> step = matchClampStep(def, constantOf, value);
    if (!step)
      return Value();
    steps.push_back(*step);
  }
}

/// Why `qnn.requantize` from `input` to `result` would not verify, if it
/// would not.
static std::optional<StringRef> checkRequantize(quant::QuantizedType input,
                                                quant::QuantizedType result,
                                                RescaleMode mode) {
  if (!isPerTensorOrPerAxis(input) || !isPerTensorOrPerAxis(result))
    return StringRef("only per-tensor and per-axis types can be requantized");
  if (input.getExpressedType() != result.getExpressedType())
    return StringRef("the types express different float types");
  std::optional<int32_t> resultAxis = getQuantizedAxis(result);
  if (resultAxis && resultAxis != getQuantizedAxis(input))
    return StringRef("a per-axis result must be quantized along the input's "
                     "axis");
  if (mode != RescaleMode::FixedPoint)
    return std::nullopt;
  SmallVector<double> inputScales = getScales(input);
  SmallVector<double> resultScales = getScales(result);
  for (auto [index, inputScale] : llvm::enumerate(inputScales)) {
    double resultScale = resultScales[resultScales.size() == 1 ? 0 : index];
    if (!quantmath::quantizeMultiplier(inputScale / resultScale))
      return StringRef("the rescale factor has no fixed-point form");
  }
  return std::nullopt;
}

/// Whether dequantizing `type` and quantizing it again gives back every
/// stored integer: with at most 16-bit storage and a zero point inside it,
/// |q - z| < 2^17, and with a normal scale the two float32 roundings then
/// err by less than 2^-6 of a step.
static bool roundTripsExactly(quant::QuantizedType type) {
  if (!isPerTensorOrPerAxis(type) || type.getStorageTypeIntegralWidth() > 16)
    return false;
  if (llvm::any_of(getZeroPoints(type), [&](int64_t zeroPoint) {
        return zeroPoint < type.getStorageTypeMin() ||
               zeroPoint > type.getStorageTypeMax();
      }))
    return false;
  return llvm::all_of(getScales(type), [](double scale) {
    auto narrowed = static_cast<float>(scale);
    return narrowed >= FLT_MIN && std::isfinite(narrowed * 131072.0f);
  });
}

namespace {

class FoldDequantizeClampQuantize : public OpRewritePattern<QuantizeOp> {
public:
  FoldDequantizeClampQuantize(MLIRContext *context, RescaleMode rescale)
      : OpRewritePattern(context), rescale(rescale) {}

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    // Walk up from the quantize, collecting clamp steps (last applied
    // first), to the dequantize.
    SmallVector<ClampStep> steps;
    Value value = quantize.getInput();
    quant::DequantizeCastOp dequantize;
    while (!(dequantize = value.getDefiningOp<quant::DequantizeCastOp>())) {
      Operation *def = value.getDefiningOp();
      if (!def)
        return rewriter.notifyMatchFailure(quantize,
                                           "input is not a dequantize");
      if (std::optional<ElementwiseLinalg> elementwise =
              matchElementwise(def)) {
        value = matchClampBody(*elementwise, steps);
      } else if (std::optional<ClampStep> step =
                     matchClampStep(def, matchFloatScalar, value)) {
        steps.push_back(*step);
      } else {
        value = Value();
      }
      if (!value)
        return rewriter.notifyMatchFailure(
            quantize, "input is not a dequantize, or a clamp of one");
    }
    ClampRange clamp;
    for (ClampStep step : llvm::reverse(steps))
      clamp.apply(step);

    Value source = dequantize.getInput();
    quant::QuantizedType sourceType = getQuantizedElementType(source.getType());
    quant::QuantizedType resultType =
        getQuantizedElementType(quantize.getType());
    bool clamps = std::isfinite(clamp.lo) || std::isfinite(clamp.hi);
    if (!clamps && sourceType == resultType && roundTripsExactly(sourceType)) {
      rewriter.replaceOp(quantize, source);
      return success();
    }
    if (std::optional<StringRef> why =
            checkRequantize(sourceType, resultType, rescale))
      return rewriter.notifyMatchFailure(quantize, *why);

    IntegerAttr clampMin, clampMax;
    if (clamps) {
      auto perTensor = dyn_cast<quant::UniformQuantizedType>(resultType);
      if (!perTensor)
        return rewriter.notifyMatchFailure(
            quantize, "a clamp needs a per-tensor result type");
      RoundingMode rounding = quantize.getRounding();
      std::optional<int64_t> lo, hi;
      if (std::isfinite(clamp.lo) &&
          !(lo = quantizeScalar(clamp.lo, perTensor, rounding)))
        return rewriter.notifyMatchFailure(quantize,
                                           "unsupported storage range");
      if (std::isfinite(clamp.hi) &&
          !(hi = quantizeScalar(clamp.hi, perTensor, rounding)))
        return rewriter.notifyMatchFailure(quantize,
                                           "unsupported storage range");
      if (lo)
        clampMin = rewriter.getI64IntegerAttr(*lo);
      if (hi)
        clampMax = rewriter.getI64IntegerAttr(*hi);
    }
    rewriter.replaceOpWithNewOp<RequantizeOp>(
        quantize, quantize.getType(), source,
        RescaleModeAttr::get(rewriter.getContext(), rescale),
        quantize.getRoundingAttr(), clampMin, clampMax);
    return success();
  }

private:
  RescaleMode rescale;
};

} // namespace

void qnn::populateFuseRequantizePatterns(RewritePatternSet &patterns,
                                         RescaleMode rescale) {
  patterns.add<FoldDequantizeClampQuantize>(patterns.getContext(), rescale);
}
