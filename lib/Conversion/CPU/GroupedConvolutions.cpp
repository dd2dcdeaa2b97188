//===- GroupedConvolutions.cpp - Grouped convolutions one group at a time -===//
//
// Linalg cannot decompose the grouped convolutions (`conv_2d_nhwgc_gfhwc`,
// `conv_2d_ngchw_gfchw`) into 1-D ones, so they would stay scalar loops.
// Tiled one group at a time, each tile is a plain convolution with a unit
// group dimension, which is dropped: the tiles then take the path of every
// other 2-D convolution (tiling, decomposition, vectorization).
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/CPUVectorize.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace qnn;

/// The loop of `op` that runs over the groups: the one indexing the group
/// dimension (`groupDim`) of the output.
static unsigned getGroupLoop(linalg::LinalgOp op, unsigned groupDim) {
  return op.getIndexingMapsArray().back().getDimPosition(groupDim);
}

void qnn::tileGroupedConvolutions(Operation *root) {
  SmallVector<linalg::LinalgOp> candidates;
  root->walk([&](linalg::LinalgOp op) {
    if (isa<linalg::Conv2DNhwgcGfhwcOp, linalg::Conv2DNgchwGfchwOp>(op) &&
        op.hasPureTensorSemantics() &&
        !llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
      candidates.push_back(op);
  });
  IRRewriter rewriter(root->getContext());
  for (linalg::LinalgOp op : candidates) {
    unsigned groupLoop =
        getGroupLoop(op, isa<linalg::Conv2DNhwgcGfhwcOp>(op) ? 3 : 1);
    if (op.getStaticLoopRanges()[groupLoop] == 1)
      continue;
    SmallVector<int64_t> sizes(op.getNumLoops(), 0);
    sizes[groupLoop] = 1;
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(root->getContext(), sizes));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    // An op that cannot be tiled is still correct as it is.
    if (failed(tiled))
      continue;
    rewriter.replaceOp(op, tiled->replacements);
  }
}

/// `value` without its unit dimension `dim`.
static Value dropUnitDim(PatternRewriter &rewriter, Location loc, Value value,
                         int64_t dim) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    if (d == dim)
      continue;
    groups.push_back({d});
  }
  // The unit dimension joins its neighbour.
  if (dim == 0)
    groups.front().insert(groups.front().begin(), 0);
  else
    groups[dim - 1].push_back(dim);
  return tensor::CollapseShapeOp::create(rewriter, loc, value, groups);
}

namespace {

/// A grouped convolution with one group is a plain convolution: NHWGC
/// images with GFHWC filters are NHWC images with FHWC filters, NGCHW with
/// GFCHW are NCHW with FCHW.
template <typename GroupedOp>
class UnitGroupConvolution : public OpRewritePattern<GroupedOp> {
public:
  using OpRewritePattern<GroupedOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(GroupedOp op,
                                PatternRewriter &rewriter) const override {
    constexpr bool nhwc = std::is_same_v<GroupedOp, linalg::Conv2DNhwgcGfhwcOp>;
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value input = op.getDpsInputOperand(0)->get();
    Value filter = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    int64_t imageGroupDim = nhwc ? 3 : 1;
    auto initType = cast<RankedTensorType>(init.getType());
    if (initType.getDimSize(imageGroupDim) != 1 ||
        cast<RankedTensorType>(filter.getType()).getDimSize(0) != 1)
      return rewriter.notifyMatchFailure(op, "more than one group");

    Location loc = op.getLoc();
    Value plainInput = dropUnitDim(rewriter, loc, input, imageGroupDim);
    Value plainFilter = dropUnitDim(rewriter, loc, filter, 0);
    Value plainInit = dropUnitDim(rewriter, loc, init, imageGroupDim);
    Value conv;
    if constexpr (nhwc)
      conv = linalg::Conv2DNhwcFhwcOp::create(
                 rewriter, loc, TypeRange{plainInit.getType()},
                 ValueRange{plainInput, plainFilter}, ValueRange{plainInit},
                 op.getStridesAttr(), op.getDilationsAttr())
                 .getResult(0);
    else
      conv = linalg::Conv2DNchwFchwOp::create(
                 rewriter, loc, TypeRange{plainInit.getType()},
                 ValueRange{plainInput, plainFilter}, ValueRange{plainInit},
                 op.getStridesAttr(), op.getDilationsAttr())
                 .getResult(0);
    SmallVector<ReassociationIndices> groups =
        cast<tensor::CollapseShapeOp>(plainInit.getDefiningOp())
            .getReassociationIndices();
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, initType, conv,
                                                       groups);
    return success();
  }
};

} // namespace

void qnn::populateUnitGroupConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<UnitGroupConvolution<linalg::Conv2DNhwgcGfhwcOp>,
               UnitGroupConvolution<linalg::Conv2DNgchwGfchwOp>>(
      patterns.getContext());
}
