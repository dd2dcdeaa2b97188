//===- DepthwiseMultiplierOne.cpp - hwcm depthwise with M = 1 to hwc ------===//
//
// tosa-to-linalg-named lowers every tosa.depthwise_conv2d to the `hwcm` form
// (with a channel-multiplier dimension), which neither the convolution
// decomposition nor the vectorizer handles. With a multiplier of 1 it is
// the `hwc` form with unit dimensions added, so drop them.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/CPUVectorize.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace qnn;

namespace {

class DepthwiseMultiplierOneToHWC
    : public OpRewritePattern<linalg::DepthwiseConv2DNhwcHwcmOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::DepthwiseConv2DNhwcHwcmOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value filter = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    auto filterType = dyn_cast<RankedTensorType>(filter.getType());
    auto initType = dyn_cast<RankedTensorType>(init.getType());
    if (!filterType || !initType || filterType.getRank() != 4 ||
        initType.getRank() != 5 || filterType.getDimSize(3) != 1 ||
        initType.getDimSize(4) != 1)
      return rewriter.notifyMatchFailure(op, "channel multiplier is not 1");

    Location loc = op.getLoc();
    Value hwcFilter = tensor::CollapseShapeOp::create(
        rewriter, loc, filter,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    SmallVector<ReassociationIndices> outputGroups = {{0}, {1}, {2}, {3, 4}};
    Value hwcInit =
        tensor::CollapseShapeOp::create(rewriter, loc, init, outputGroups);
    auto conv = linalg::DepthwiseConv2DNhwcHwcOp::create(
        rewriter, loc, TypeRange{hwcInit.getType()},
        ValueRange{op.getDpsInputOperand(0)->get(), hwcFilter},
        ValueRange{hwcInit}, op.getStridesAttr(), op.getDilationsAttr());
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, initType, conv.getResult(0), outputGroups);
    return success();
  }
};

} // namespace

void qnn::populateDepthwiseMultiplierOnePatterns(RewritePatternSet &patterns) {
  patterns.add<DepthwiseMultiplierOneToHWC>(patterns.getContext());
}
