//===- FuseBias.cpp - An fp32 bias into the int32 accumulator -------------===//
//
// `quant.dcast(acc) + bias`, where `bias` is a constant that varies only
// along the output channels (a [C] vector broadcast by a linalg indexing map
// or linalg.broadcast, TOSA's [1, C], or a full constant with equal rows;
// the add alone or followed by more elementwise code in the same generic),
// becomes a bias operand of the contraction that produced `acc`:
// b_q[c] = round(bias[c] / s_acc[c]) in int32 (the math library's
// quantizeToAccumulator, ties to even), added to any bias it already has.
//
// dcast(acc + b_q) = dcast(acc) + b_q * s_acc[c], and b_q * s_acc[c] is
// bias[c] to within half an accumulator step (s_in * s_w, far below the
// output's step), which is how every int8 runtime adds a bias. The fold is
// made only when it is exact in integers: b_q does not saturate (a NaN,
// infinite or huge bias stays fp32), the sum of biases fits int32, and no
// partial sum of the accumulator can leave int32 (dotProductRange over the
// weights). It rewrites the contraction, so the accumulator and its dcast
// must have no other users.
//
//===----------------------------------------------------------------------===//

#include "FuseContraction.h"
#include "FuseMatchers.h"
#include "FusePatterns.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Quant/Accumulator.h"
#include "qnn/Quant/ErrorStats.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

#include <limits>

using namespace mlir;
using namespace qnn;

/// The reals of an fp32 bias per output channel: `bias` read through `map`
/// (from the iteration space of the add, which is the accumulator's index
/// space) must depend on dimension `channelDim` alone. Nullopt when it is
/// not a constant or varies along another dimension.
static std::optional<SmallVector<double>> getChannelBias(Value bias,
                                                         AffineMap map,
                                                         int64_t channelDim,
                                                         int64_t channels) {
  // linalg.broadcast reads its input through the dimensions it keeps.
  if (auto broadcast = bias.getDefiningOp<linalg::BroadcastOp>()) {
    ArrayRef<int64_t> added = broadcast.getDimensions();
    SmallVector<AffineExpr> kept;
    for (int64_t d = 0, e = broadcast.getInit().getType().getRank(); d < e; ++d)
      if (!llvm::is_contained(added, d))
        kept.push_back(getAffineDimExpr(d, bias.getContext()));
    map = AffineMap::get(map.getNumResults(), 0, kept, bias.getContext())
              .compose(map);
    bias = broadcast.getInput();
  }
  DenseFPElementsAttr values;
  if (!matchPattern(bias, m_Constant(&values)))
    return std::nullopt;
  ArrayRef<int64_t> shape = values.getType().getShape();
  if (map.getNumResults() != shape.size())
    return std::nullopt;

  // Which operand dimension follows the channels, and which hold a fixed
  // index (broadcast dimensions of extent 1).
  std::optional<unsigned> channelResult;
  SmallVector<std::optional<int64_t>> fixedIndex(shape.size());
  for (auto [result, expr] : llvm::enumerate(map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (dim.getPosition() == channelDim) {
        if (channelResult || shape[result] != channels)
          return std::nullopt;
        channelResult = result;
      }
    } else if (auto constant = dyn_cast<AffineConstantExpr>(expr)) {
      if (constant.getValue() < 0 || constant.getValue() >= shape[result])
        return std::nullopt;
      fixedIndex[result] = constant.getValue();
    } else {
      return std::nullopt;
    }
  }

  // Every element the add reads must agree with the others of its channel.
  SmallVector<std::optional<double>> perChannel(channels);
  SmallVector<int64_t> index(shape.size(), 0);
  for (const APFloat &element : values.getValues<APFloat>()) {
    bool read = llvm::all_of(llvm::enumerate(fixedIndex), [&](auto fixed) {
      return !fixed.value() || *fixed.value() == index[fixed.index()];
    });
    if (read) {
      double value = FloatAttr::getValueAsDouble(element);
      int64_t first = channelResult ? index[*channelResult] : 0;
      int64_t last = channelResult ? first + 1 : channels;
      for (int64_t c = first; c < last; ++c) {
        if (perChannel[c] && *perChannel[c] != value &&
            !(std::isnan(*perChannel[c]) && std::isnan(value)))
          return std::nullopt;
        perChannel[c] = value;
      }
    }
    // Next row-major index.
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  SmallVector<double> result;
  for (std::optional<double> value : perChannel) {
    if (!value)
      return std::nullopt;
    result.push_back(*value);
  }
  return result;
}

/// Folds `bias` (read through `biasMap`) into the contraction behind
/// `dequantized`; `replaceAdd` then replaces `add` given the dequantized new
/// accumulator (the sum).
static LogicalResult foldBias(PatternRewriter &rewriter, Operation *add,
                              Value dequantized, Value bias, AffineMap biasMap,
                              function_ref<void(Value)> replaceAdd) {
  auto dcast = dequantized.getDefiningOp<quant::DequantizeCastOp>();
  if (!dcast)
    return rewriter.notifyMatchFailure(add, "no operand is a dequantize");
  std::optional<Contraction> contraction =
      Contraction::get(dcast.getInput().getDefiningOp());
  if (!contraction)
    return rewriter.notifyMatchFailure(
        add, "the dequantized value is not a contraction's accumulator");
  if (!dcast.getInput().hasOneUse() || !dcast->hasOneUse())
    return rewriter.notifyMatchFailure(
        add, "the accumulator or its dequantize has other users");
  if (add->getResult(0).getType() != dcast.getType())
    return rewriter.notifyMatchFailure(add, "the add changes the shape");
  std::optional<int64_t> channels = contraction->getNumChannels();
  if (!channels)
    return rewriter.notifyMatchFailure(add, "dynamic output channels");
  std::optional<SmallVector<double>> reals = getChannelBias(
      bias, biasMap, contraction->getResultChannelDim(), *channels);
  if (!reals)
    return rewriter.notifyMatchFailure(
        add, "the other operand is not a constant along the output channels");
  std::optional<SmallVector<int64_t>> existing = contraction->getConstantBias();
  if (!existing)
    return rewriter.notifyMatchFailure(
        add, "the contraction has a bias that is not a constant");

  SmallVector<int64_t> combined;
  std::vector<float> biasReals, biasDequantized;
  for (auto [channel, real] : llvm::enumerate(*reals)) {
    double scale = contraction->getAccumulatorScale(channel);
    quantmath::AccumulatorValue quantized = quantmath::quantizeToAccumulator(
        real, scale, quantmath::RoundingMode::HalfToEven);
    if (!quantized.exact)
      return rewriter.notifyMatchFailure(
          add, "the bias does not fit int32 at the accumulator's scale");
    biasReals.push_back(static_cast<float>(real));
    biasDequantized.push_back(static_cast<float>(quantized.value * scale));
    int64_t sum = (*existing)[channel] + quantized.value;
    if (sum < std::numeric_limits<int32_t>::min() ||
        sum > std::numeric_limits<int32_t>::max())
      return rewriter.notifyMatchFailure(add, "the summed bias overflows");
    combined.push_back(sum);
  }
  quant::UniformQuantizedType inputType = contraction->getInputType();
  if (!contraction->accumulatorFits(
          combined, inputType.getStorageTypeMin() - inputType.getZeroPoint(),
          inputType.getStorageTypeMax() - inputType.getZeroPoint()))
    return rewriter.notifyMatchFailure(
        add, "the accumulator could overflow int32 with the bias");

  // The int32 bias keeps the fp32 bias's name and records what rounding it
  // to the accumulator grid cost, for qnn-report.
  Location biasLoc = add->getLoc();
  if (Operation *definition = bias.getDefiningOp())
    biasLoc = definition->getLoc();
  ErrorStatsAttr error = getErrorStatsAttr(
      rewriter.getContext(),
      quantmath::computeErrorStats(biasReals, biasDequantized));
  Operation *rebuilt = contraction->rebuild(
      rewriter, contraction->getInput(),
      contraction->buildBias(rewriter, combined, biasLoc, error));
  Value result = quant::DequantizeCastOp::create(
      rewriter, dcast.getLoc(), dcast.getType(), rebuilt->getResult(0));
  replaceAdd(result);
  rewriter.eraseOp(dcast);
  rewriter.eraseOp(contraction->getOperation());
  return success();
}

namespace {

/// `arith.addf` on tensors: both operands read element by element.
class FoldBiasAddF : public OpRewritePattern<arith::AddFOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(add.getType());
    if (!type)
      return rewriter.notifyMatchFailure(add, "not an add of tensors");
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(type.getRank(), getContext());
    Value lhs = add.getLhs(), rhs = add.getRhs();
    if (!lhs.getDefiningOp<quant::DequantizeCastOp>())
      std::swap(lhs, rhs);
    return foldBias(rewriter, add, lhs, rhs, identity,
                    [&](Value sum) { rewriter.replaceOp(add, sum); });
  }
};

/// A linalg op (linalg.generic, linalg.add, ...) whose body adds its two
/// inputs, the bias possibly broadcast by its indexing map. The body may go
/// on with the sum (bias and ReLU in one generic, as models written by hand
/// and fused linalg have it): the rest of the body is kept, in a generic
/// reading the new dequantized accumulator in place of the sum.
class FoldBiasLinalgAdd : public OpInterfaceRewritePattern<linalg::LinalgOp> {
public:
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<ElementwiseLinalg> elementwise = matchElementwise(op);
    if (!elementwise || op.getNumDpsInputs() != 2)
      return rewriter.notifyMatchFailure(op, "not an elementwise binary op");
    // Both inputs are read only by one addf.
    Block *body = op.getBlock();
    BlockArgument first = body->getArgument(0), second = body->getArgument(1);
    auto add = dyn_cast_or_null<arith::AddFOp>(
        first.hasOneUse() ? *first.user_begin() : nullptr);
    if (!add || !second.hasOneUse() || *second.user_begin() != add ||
        add.getLhs() == add.getRhs())
      return rewriter.notifyMatchFailure(
          op, "the inputs are not read by one addf of the two");
    OpOperand *lhs = op.getDpsInputOperand(0);
    OpOperand *rhs = op.getDpsInputOperand(1);
    if (!lhs->get().getDefiningOp<quant::DequantizeCastOp>())
      std::swap(lhs, rhs);
    if (!op.getMatchingIndexingMap(lhs).isIdentity())
      return rewriter.notifyMatchFailure(
          op, "the accumulator is not read element by element");

    auto replaceAdd = [&](Value sum) {
      if (elementwise->yielded == add.getResult()) {
        rewriter.replaceOp(op, sum);
        return;
      }
      // The rest of the body, now on the sum read from `sum`.
      unsigned rank = op.getNumLoops();
      AffineMap identity =
          AffineMap::getMultiDimIdentityMap(rank, op.getContext());
      SmallVector<utils::IteratorType> iterators(rank,
                                                 utils::IteratorType::parallel);
      auto rest = linalg::GenericOp::create(
          rewriter, op.getLoc(), op->getResultTypes(), ValueRange{sum},
          op.getDpsInits(), ArrayRef<AffineMap>{identity, identity}, iterators,
          [&](OpBuilder &builder, Location loc, ValueRange args) {
            IRMapping mapping;
            mapping.map(add.getResult(), args[0]);
            for (Operation &inner : body->without_terminator())
              if (&inner != add.getOperation())
                builder.clone(inner, mapping);
            linalg::YieldOp::create(
                builder, loc, mapping.lookupOrDefault(elementwise->yielded));
          });
      rewriter.replaceOp(op, rest->getResults());
    };
    return foldBias(rewriter, op, lhs->get(), rhs->get(),
                    op.getMatchingIndexingMap(rhs), replaceAdd);
  }
};

} // namespace

void qnn::populateFuseBiasPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldBiasAddF, FoldBiasLinalgAdd>(patterns.getContext());
}
