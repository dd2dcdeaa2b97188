//===- FuseZeroPoints.cpp - The input zero point's term into the bias -----===//
//
// A contraction subtracts the input zero point z from every input integer:
// sum_k (a_k - z) * w_k. With symmetric weights (zero points 0) known at
// compile time this is sum_k a_k * w_k - z * sum_k w_k, and the second term
// is a constant per output channel. The fold moves it into the int32 bias
// and gives the contraction its input reinterpreted with zero point 0
// (quant.scast to the storage integers and back, identities after
// lowering), so that the inner loop is a pure integer dot product. It is
// exact in integers when nothing overflows int32, which is checked: the
// combined bias must fit, and so must every partial sum of the new
// accumulator, whose inputs now range over the whole storage range
// (dotProductRange over the weights).
//
// A convolution's implicit padding holds the input zero point; after the
// fold it would hold 0, whose product the correction does not cancel. The
// padding is therefore made explicit first (qnn.pad with the original type,
// writing z), and the reinterpreted, padded input is convolved without
// padding. Asymmetric weights are left alone: their zero point times
// sum_k a_k depends on the input.
//
//===----------------------------------------------------------------------===//

#include "FuseContraction.h"
#include "FusePatterns.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"

#include <limits>

using namespace mlir;
using namespace qnn;

/// Pads `input` explicitly with the convolution's padding, for `conv`.
static FailureOr<Value> padExplicitly(PatternRewriter &rewriter, Conv2DOp conv,
                                      Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.hasStaticShape())
    return rewriter.notifyMatchFailure(conv, "padding a dynamic input");
  int64_t h = conv.getChannelDim() == 3 ? 1 : 2;
  ArrayRef<int64_t> padding = conv.getPadding();
  SmallVector<int64_t> low(4, 0), high(4, 0);
  low[h] = padding[0];
  high[h] = padding[1];
  low[h + 1] = padding[2];
  high[h + 1] = padding[3];
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t d = 0; d < 4; ++d)
    shape[d] += low[d] + high[d];
  return PadOp::create(rewriter, conv.getLoc(), type.clone(shape), input, low,
                       high)
      .getResult();
}

static LogicalResult foldInputZeroPoint(Contraction contraction,
                                        PatternRewriter &rewriter) {
  Operation *op = contraction.getOperation();
  quant::UniformQuantizedType inputType = contraction.getInputType();
  int64_t zeroPoint = inputType.getZeroPoint();
  if (zeroPoint == 0)
    return rewriter.notifyMatchFailure(op, "the input has no zero point");
  std::optional<Contraction::Weights> weights =
      contraction.getConstantWeights();
  if (!weights)
    return rewriter.notifyMatchFailure(op, "the weights are not a constant");
  if (llvm::any_of(getZeroPoints(contraction.getWeightType()),
                   [](int64_t z) { return z != 0; }))
    return rewriter.notifyMatchFailure(
        op, "asymmetric weights: their zero point times the input sum "
            "depends on the input");
  std::optional<SmallVector<int64_t>> bias = contraction.getConstantBias();
  if (!bias)
    return rewriter.notifyMatchFailure(op, "the bias is not a constant");

  // -z * sum_k w_k per channel; the bias is per channel only, so a batch
  // matmul's batches must agree.
  int64_t channels = weights->channels;
  SmallVector<int64_t> combined(*bias);
  for (auto [index, terms] : llvm::enumerate(weights->dotProducts)) {
    int64_t sum = 0;
    for (int64_t weight : terms)
      sum += weight;
    int64_t channel = static_cast<int64_t>(index) % channels;
    int64_t corrected = (*bias)[channel] - zeroPoint * sum;
    if (static_cast<int64_t>(index) >= channels &&
        corrected != combined[channel])
      return rewriter.notifyMatchFailure(
          op, "the correction differs between batches");
    combined[channel] = corrected;
  }
  if (llvm::any_of(combined, [](int64_t b) {
        return b < std::numeric_limits<int32_t>::min() ||
               b > std::numeric_limits<int32_t>::max();
      }))
    return rewriter.notifyMatchFailure(op, "the corrected bias overflows "
                                           "int32");
  if (!contraction.accumulatorFits(combined, inputType.getStorageTypeMin(),
                                   inputType.getStorageTypeMax()))
    return rewriter.notifyMatchFailure(
        op, "the accumulator could overflow int32 without the zero point");

  Value input = contraction.getInput();
  std::optional<SmallVector<int64_t>> padding;
  if (auto conv = dyn_cast<Conv2DOp>(op);
      conv && llvm::any_of(conv.getPadding(), [](int64_t p) { return p; })) {
    FailureOr<Value> padded = padExplicitly(rewriter, conv, input);
    if (failed(padded))
      return failure();
    input = *padded;
    padding = SmallVector<int64_t>(4, 0);
  }
  auto inputTensor = cast<RankedTensorType>(input.getType());
  Value stored = quant::StorageCastOp::create(
      rewriter, op->getLoc(), inputTensor.clone(inputType.getStorageType()),
      input);
  auto zeroFree = quant::UniformQuantizedType::get(
      inputType.getFlags(), inputType.getStorageType(),
      inputType.getExpressedType(), inputType.getScale(), /*zeroPoint=*/0,
      inputType.getStorageTypeMin(), inputType.getStorageTypeMax());
  Value reinterpreted = quant::StorageCastOp::create(
      rewriter, op->getLoc(), inputTensor.clone(zeroFree), stored);
  Operation *rebuilt =
      contraction.rebuild(rewriter, reinterpreted,
                          contraction.buildBias(rewriter, combined), padding);
  rewriter.replaceOp(op, rebuilt->getResults());
  return success();
}

namespace {

template <typename OpTy>
class FoldInputZeroPoint : public OpRewritePattern<OpTy> {
public:
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    return foldInputZeroPoint(*Contraction::get(op), rewriter);
  }
};

} // namespace

void qnn::populateFoldZeroPointPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldInputZeroPoint<MatmulOp>, FoldInputZeroPoint<BatchMatmulOp>,
               FoldInputZeroPoint<Conv2DOp>>(patterns.getContext());
}
