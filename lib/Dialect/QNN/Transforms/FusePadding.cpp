//===- FusePadding.cpp - Zero padding as qnn.pad and convolution padding --===//
//
// `qnn.quantize(tensor.pad(x, c))` -> `qnn.pad(qnn.quantize(x))` when the
// padding value c quantizes to the zero point (c = 0.0 always does, since
// the zero point represents 0.0 exactly): qnn.pad writes the zero point, so
// every element of the result, copied or padding, is the integer the fp32
// chain gives it.
//
// `qnn.conv2d(qnn.pad(x))` -> `qnn.conv2d(x) {padding}` when only the
// spatial dimensions are padded: the convolution's own padding holds the
// zero point as well, so the products are the same.
//
//===----------------------------------------------------------------------===//

#include "FuseContraction.h"
#include "FuseMatchers.h"
#include "FusePatterns.h"
#include "FuseScalar.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qnn;

namespace {

class CommuteQuantizeThroughZeroPad : public OpRewritePattern<QuantizeOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto pad = quantize.getInput().getDefiningOp<tensor::PadOp>();
    if (!pad)
      return rewriter.notifyMatchFailure(quantize, "input is not a tensor.pad");
    if (!pad->hasOneUse())
      return rewriter.notifyMatchFailure(quantize,
                                         "the fp32 padding has other users");
    auto element = dyn_cast<quant::UniformQuantizedType>(
        quantize.getType().getElementType());
    if (!element)
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor type");
    if (ShapedType::isDynamicShape(pad.getStaticLow()) ||
        ShapedType::isDynamicShape(pad.getStaticHigh()))
      return rewriter.notifyMatchFailure(quantize, "dynamic padding");
    Value paddingValue = pad.getConstantPaddingValue();
    std::optional<double> real =
        paddingValue ? matchFloatScalar(paddingValue) : std::nullopt;
    if (!real)
      return rewriter.notifyMatchFailure(quantize,
                                         "the padding value is not constant");
    if (quantizeScalar(*real, element, quantize.getRounding()) !=
        element.getZeroPoint())
      return rewriter.notifyMatchFailure(
          quantize, "the padding value does not quantize to the zero point");

    auto sourceType = cast<RankedTensorType>(pad.getSource().getType());
    Value source = QuantizeOp::create(
        rewriter, quantize.getLoc(), sourceType.clone(element), pad.getSource(),
        quantize.getRoundingAttr());
    rewriter.replaceOpWithNewOp<PadOp>(quantize, quantize.getType(), source,
                                       pad.getStaticLow(), pad.getStaticHigh());
    return success();
  }
};

class FoldPadIntoConv : public OpRewritePattern<Conv2DOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    auto pad = conv.getInput().getDefiningOp<PadOp>();
    if (!pad)
      return rewriter.notifyMatchFailure(conv, "input is not a qnn.pad");
    int64_t channelDim = conv.getChannelDim();
    int64_t heightDim = channelDim == 3 ? 1 : 2;
    ArrayRef<int64_t> low = pad.getLow(), high = pad.getHigh();
    if (low[0] != 0 || high[0] != 0 || low[channelDim] != 0 ||
        high[channelDim] != 0)
      return rewriter.notifyMatchFailure(conv,
                                         "the padding is not only spatial");
    ArrayRef<int64_t> padding = conv.getPadding();
    SmallVector<int64_t> combined = {
        padding[0] + low[heightDim], padding[1] + high[heightDim],
        padding[2] + low[heightDim + 1], padding[3] + high[heightDim + 1]};
    Contraction contraction = *Contraction::get(conv);
    Operation *rebuilt =
        contraction.rebuild(rewriter, pad.getInput(), conv.getBias(), combined);
    rewriter.replaceOp(conv, rebuilt->getResults());
    return success();
  }
};

} // namespace

void qnn::populateFusePaddingPatterns(RewritePatternSet &patterns) {
  patterns.add<CommuteQuantizeThroughZeroPad, FoldPadIntoConv>(
      patterns.getContext());
}
