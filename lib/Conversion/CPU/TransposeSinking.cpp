//===- TransposeSinking.cpp - Keep activations channels-last --------------===//
//
// The im2col form of an NCHW convolution (ConvolutionKernels.cpp) computes
// in NHWC: it transposes its input to NHWC and its result back to NCHW. In
// a CNN the result goes through elementwise ops, a pooling and a padding to
// the next convolution, which transposes it to NHWC again. Moving each
// NHWC -> NCHW transpose past the ops that do not care about the layout
// (elementwise ops, poolings, which have an NHWC form, and paddings) until
// it meets the next NCHW -> NHWC transpose, where the two cancel, keeps the
// whole chain channels-last: no transposes, and poolings that vectorize
// along the contiguous channels instead of striding along the width.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"
#include "Transpose.h"

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace qnn;

namespace {

/// transpose(transpose(x, p), q) -> transpose(x, p o q), or x.
class ComposeTransposes : public OpRewritePattern<linalg::TransposeOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<linalg::TransposeOp>();
    if (!producer || !op.hasPureTensorSemantics() ||
        !producer.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not a transpose of a transpose");
    ArrayRef<int64_t> inner = producer.getPermutation(),
                      outer = op.getPermutation();
    SmallVector<int64_t> composed;
    for (int64_t dim : outer)
      composed.push_back(inner[dim]);
    if (llvm::equal(composed, llvm::seq<int64_t>(0, composed.size()))) {
      rewriter.replaceOp(op, producer.getInput());
      return success();
    }
    rewriter.replaceOp(op, createTranspose(rewriter, op.getLoc(),
                                           producer.getInput(), composed));
    return success();
  }
};

/// An elementwise generic (every map the identity, every loop parallel, an
/// elementwise body, the output not read) whose tensor inputs are all
/// transposed the same way computes on the untransposed inputs, then
/// transposes its result.
class SinkThroughElementwise : public OpRewritePattern<linalg::GenericOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumResults() != 1 ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !llvm::all_of(op.getIndexingMapsArray(),
                      [](AffineMap map) { return map.isIdentity(); }) ||
        op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
        !hasElementwiseBody(op))
      return rewriter.notifyMatchFailure(op, "not elementwise");
    std::optional<ArrayRef<int64_t>> permutation;
    SmallVector<Value> sources;
    for (Value input : op.getDpsInputs()) {
      auto transposeOp = input.getDefiningOp<linalg::TransposeOp>();
      // A transpose that other ops read too stays: sinking would only add
      // one.
      if (!transposeOp || !transposeOp->hasOneUse() ||
          (permutation && *permutation != transposeOp.getPermutation()))
        return rewriter.notifyMatchFailure(op, "an input is not transposed");
      permutation = transposeOp.getPermutation();
      sources.push_back(transposeOp.getInput());
    }
    if (!permutation)
      return rewriter.notifyMatchFailure(op, "no inputs");
    Location loc = op.getLoc();
    Type element =
        cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
    Value init = tensor::EmptyOp::create(
        rewriter, loc,
        cast<RankedTensorType>(sources.front().getType()).getShape(), element);
    auto moved = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, sources, ValueRange{init},
        op.getIndexingMapsArray(), op.getIteratorTypesArray());
    rewriter.cloneRegionBefore(op.getRegion(), moved.getRegion(),
                               moved.getRegion().end());
    rewriter.replaceOp(
        op, createTranspose(rewriter, loc, moved.getResult(0), *permutation));
    return success();
  }
};

/// pooling_nchw_{max,sum}(transpose(x) from NHWC) with a filled initial
/// value -> transpose(pooling_nhwc_{max,sum}(x)).
template <typename NchwPool, typename NhwcPool>
class SinkThroughPooling : public OpRewritePattern<NchwPool> {
public:
  using OpRewritePattern<NchwPool>::OpRewritePattern;

  LogicalResult matchAndRewrite(NchwPool op,
                                PatternRewriter &rewriter) const override {
    auto transposeOp =
        op.getInputs()[0].template getDefiningOp<linalg::TransposeOp>();
    auto fill = op.getOutputs()[0].template getDefiningOp<linalg::FillOp>();
    if (!op.hasPureTensorSemantics() || !transposeOp ||
        !transposeOp->hasOneUse() || !fill ||
        transposeOp.getPermutation() != ArrayRef<int64_t>{0, 3, 1, 2})
      return rewriter.notifyMatchFailure(op, "input not transposed from NHWC");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    ArrayRef<int64_t> nchw = resultType.getShape();
    Value init = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{nchw[0], nchw[2], nchw[3], nchw[1]},
        resultType.getElementType());
    Value filled = linalg::FillOp::create(rewriter, loc, fill.getInputs(), init)
                       .getResult(0);
    auto pool = NhwcPool::create(
        rewriter, loc, TypeRange{filled.getType()},
        ValueRange{transposeOp.getInput(), op.getInputs()[1]},
        ValueRange{filled}, op.getStridesAttr(), op.getDilationsAttr());
    rewriter.replaceOp(op, createTranspose(rewriter, loc, pool->getResult(0),
                                           ArrayRef<int64_t>{0, 3, 1, 2}));
    return success();
  }
};

/// tensor.pad(transpose(x)) with a padding value from outside -> transpose(
/// tensor.pad(x)) with the amounts permuted.
class SinkThroughPad : public OpRewritePattern<tensor::PadOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp op,
                                PatternRewriter &rewriter) const override {
    auto transposeOp = op.getSource().getDefiningOp<linalg::TransposeOp>();
    Value padding = op.getConstantPaddingValue();
    if (!transposeOp || !transposeOp->hasOneUse() ||
        !transposeOp.hasPureTensorSemantics() || !padding ||
        !op.getResultType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "not a constant pad of a "
                                             "transpose");
    ArrayRef<int64_t> permutation = transposeOp.getPermutation();
    SmallVector<OpFoldResult> low = op.getMixedLowPad(),
                              high = op.getMixedHighPad();
    SmallVector<OpFoldResult> sourceLow(low.size()), sourceHigh(high.size());
    for (auto [dim, from] : llvm::enumerate(permutation)) {
      sourceLow[from] = low[dim];
      sourceHigh[from] = high[dim];
    }
    Location loc = op.getLoc();
    Value padded =
        tensor::PadOp::create(rewriter, loc, Type(), transposeOp.getInput(),
                              sourceLow, sourceHigh, padding, op.getNofold());
    rewriter.replaceOp(op, createTranspose(rewriter, loc, padded, permutation));
    return success();
  }
};

} // namespace

void qnn::sinkTransposes(ModuleOp module) {
  RewritePatternSet patterns(module.getContext());
  patterns.add<
      ComposeTransposes, SinkThroughElementwise, SinkThroughPad,
      SinkThroughPooling<linalg::PoolingNchwMaxOp, linalg::PoolingNhwcMaxOp>,
      SinkThroughPooling<linalg::PoolingNchwSumOp, linalg::PoolingNhwcSumOp>>(
      module.getContext());
  (void)applyPatternsGreedily(module, std::move(patterns));
}
