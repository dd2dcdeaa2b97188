//===- ConvolutionLayouts.cpp - Convolutions into vectorizable layouts ----===//
//
// The convolution decomposition (and so the vectorizer) knows depthwise
// convolutions only in NHWC and 2-D convolutions only with HWCF (or FCHW)
// filters: `linalg.depthwise_conv_2d_nchw_chw` and `conv_2d_nhwc_fhwc` (what
// tosa-to-linalg-named produces by default) would stay scalar loops.
// Rewritten with transposes into the forms it knows, the convolution and the
// transposes vectorize; a transposed constant filter folds away later or
// costs one pass over the weights.
//
//===----------------------------------------------------------------------===//

#include "Transpose.h"

#include "qnn/Conversion/CPU/CPUVectorize.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace qnn;

namespace {

class DepthwiseNchwToNhwc
    : public OpRewritePattern<linalg::DepthwiseConv2DNchwChwOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::DepthwiseConv2DNchwChwOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value input = op.getDpsInputOperand(0)->get();
    Value filter = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    for (Value value : {input, filter, init})
      if (!cast<ShapedType>(value.getType()).hasStaticShape())
        return rewriter.notifyMatchFailure(op, "dynamic shapes");

    Location loc = op.getLoc();
    SmallVector<int64_t> toNhwc = {0, 2, 3, 1};
    Value nhwcInput = createTranspose(rewriter, loc, input, toNhwc);
    Value hwcFilter = createTranspose(rewriter, loc, filter, {1, 2, 0});
    Value nhwcInit = createTranspose(rewriter, loc, init, toNhwc);
    auto conv = linalg::DepthwiseConv2DNhwcHwcOp::create(
        rewriter, loc, TypeRange{nhwcInit.getType()},
        ValueRange{nhwcInput, hwcFilter}, ValueRange{nhwcInit},
        op.getStridesAttr(), op.getDilationsAttr());
    rewriter.replaceOp(
        op, createTranspose(rewriter, loc, conv.getResult(0), {0, 3, 1, 2}));
    return success();
  }
};

/// conv_2d_nhwc_fhwc: the filter transposed to HWCF.
class ConvFhwcToHwcf : public OpRewritePattern<linalg::Conv2DNhwcFhwcOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::Conv2DNhwcFhwcOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value filter = op.getDpsInputOperand(1)->get();
    if (!cast<ShapedType>(filter.getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic filter shape");
    Value hwcf = createTranspose(rewriter, op.getLoc(), filter, {1, 2, 3, 0});
    rewriter.replaceOpWithNewOp<linalg::Conv2DNhwcHwcfOp>(
        op, op->getResultTypes(),
        ValueRange{op.getDpsInputOperand(0)->get(), hwcf},
        ValueRange{op.getDpsInitOperand(0)->get()}, op.getStridesAttr(),
        op.getDilationsAttr());
    return success();
  }
};

} // namespace

void qnn::populateConvolutionLayoutPatterns(RewritePatternSet &patterns) {
  patterns.add<DepthwiseNchwToNhwc, ConvFhwcToHwcf>(patterns.getContext());
}
