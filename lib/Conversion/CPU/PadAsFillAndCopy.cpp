//===- PadAsFillAndCopy.cpp - Paddings as a fill and a copy in place ------===//
//
// One-Shot Bufferize turns a tensor.pad into an allocation, a fill and a
// memref.copy of the source into a strided view of it; that copy lowers to
// a call of the runtime's generic `memrefCopy`, element by element, which
// made the paddings between a CNN's layers a third of its run time. As a
// fill, then a linalg.copy into a slice of the filled tensor that is
// inserted back at the same place, the copy is a linalg op, tiled and
// vectorized like the others, and it bufferizes in place.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/CPUVectorize.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace qnn;

namespace {

class PadAsFillAndCopy : public OpRewritePattern<tensor::PadOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp op,
                                PatternRewriter &rewriter) const override {
    Value padding = op.getConstantPaddingValue();
    RankedTensorType resultType = op.getResultType();
    if (!padding || !resultType.hasStaticShape() ||
        !op.getSourceType().hasStaticShape() || op.getNofold())
      return rewriter.notifyMatchFailure(op, "not a static constant padding");
    Location loc = op.getLoc();
    Value empty = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                          resultType.getElementType());
    Value filled = linalg::FillOp::create(rewriter, loc, ValueRange{padding},
                                          ValueRange{empty})
                       .getResult(0);
    SmallVector<OpFoldResult> offsets = op.getMixedLowPad();
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(getContext(), op.getSourceType().getShape());
    SmallVector<OpFoldResult> strides(sizes.size(), rewriter.getIndexAttr(1));
    Value interior = tensor::ExtractSliceOp::create(rewriter, loc, filled,
                                                    offsets, sizes, strides);
    Value copied =
        linalg::CopyOp::create(rewriter, loc, op.getSource(), interior)
            .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(op, copied, filled,
                                                       offsets, sizes, strides);
    return success();
  }
};

} // namespace

void qnn::populatePadAsFillAndCopyPatterns(RewritePatternSet &patterns) {
  patterns.add<PadAsFillAndCopy>(patterns.getContext());
}
