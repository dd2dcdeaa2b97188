//===- CPUVectorize.cpp - Tile and vectorize linalg ops for the CPU -------===//
//
// Correct first: every statically shaped linalg op is tiled so that each tile
// is a small static shape, 2-D convolution tiles are reduced to 1-D ones,
// and whatever the vectorizer accepts is vectorized. Anything else is left
// for convert-linalg-to-loops. Fast int8 kernels are a separate concern.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/CPUVectorize.h"
#include "qnn/CheckedOptionsPass.h"
#include "qnn/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/FormatVariadic.h"

namespace qnn {
#define GEN_PASS_DEF_QNNCPUVECTORIZE
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

/// Iteration spaces above this many points are not vectorized: they are ops
/// tiling could not shrink, and one huge vector would only blow up compile
/// time and registers.
static constexpr int64_t kMaxVectorizedIterations = 1 << 14;

void qnn::populateCPUVectorCleanupPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateSinkVectorOpsPatterns(patterns);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
  vector::TransferReadOp::getCanonicalizationPatterns(patterns, context);
  vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
  vector::ExtractOp::getCanonicalizationPatterns(patterns, context);
  vector::BroadcastOp::getCanonicalizationPatterns(patterns, context);
  vector::ShapeCastOp::getCanonicalizationPatterns(patterns, context);
}

/// Whether `type` is stored one element per byte or more. Sub-byte elements
/// (i1, i4) are one per byte in memrefs but bit-packed in LLVM vectors, so a
/// vector load of them would read the wrong bits.
static bool hasByteSizedElements(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (element.isIndex())
    return true;
  if (!element.isIntOrFloat())
    return false;
  return element.getIntOrFloatBitWidth() % 8 == 0;
}

/// Whether `op` should be handed to the vectorizer.
static bool shouldVectorize(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return false;
  if (!llvm::all_of(op->getOperandTypes(), hasByteSizedElements) ||
      !llvm::all_of(op->getResultTypes(), hasByteSizedElements))
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t points = 1;
  for (int64_t range : ranges) {
    if (ShapedType::isDynamic(range))
      return false;
    points *= range;
    if (points > kMaxVectorizedIterations)
      return false;
  }
  return linalg::hasVectorizationImpl(op) &&
         succeeded(linalg::vectorizeOpPrecondition(op));
}

namespace {

struct CPUVectorizePass
    : public qnn::CheckedOptionsPass<
          CPUVectorizePass, qnn::impl::QNNCPUVectorizeBase<CPUVectorizePass>> {
  using CheckedOptionsPass::CheckedOptionsPass;

  /// What is wrong with the options, if anything (CheckedOptionsPass).
  std::optional<std::string> findOptionProblem() const;

  void runOnOperation() override;

private:
  void tileAll(Operation *root, const CPUTileTargets &targets);
  void vectorizeAll(Operation *root);
};

} // namespace

void CPUVectorizePass::tileAll(Operation *root, const CPUTileTargets &targets) {
  SmallVector<linalg::LinalgOp> candidates;
  root->walk([&](linalg::LinalgOp op) {
    if (op.hasPureTensorSemantics() && op.getNumLoops() > 0)
      candidates.push_back(op);
  });

  IRRewriter rewriter(&getContext());
  for (linalg::LinalgOp op : candidates) {
    SmallVector<int64_t> sizes = computeCPUTileSizes(op, targets);
    if (sizes.empty() || llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
      continue;
    auto tileable = dyn_cast<TilingInterface>(op.getOperation());
    if (!tileable)
      continue;
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled =
        scf::tileUsingSCF(rewriter, tileable, options);
    // An op that cannot be tiled is still correct as it is.
    if (failed(tiled))
      continue;
    rewriter.replaceOp(op, tiled->replacements);
  }
}

void CPUVectorizePass::vectorizeAll(Operation *root) {
  SmallVector<linalg::LinalgOp> candidates;
  root->walk([&](linalg::LinalgOp op) {
    if (shouldVectorize(op))
      candidates.push_back(op);
  });

  IRRewriter rewriter(&getContext());
  for (linalg::LinalgOp op : candidates) {
    rewriter.setInsertionPoint(op);
    // Contractions straight to vector.contract: the i8 form is otherwise a
    // multi_reduction of extended products that is never turned back into a
    // contraction.
    bool isContraction = linalg::isaContractionOpInterface(op);
    FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
        rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/isContraction);
    if (failed(result))
      continue;
    rewriter.replaceOp(op, result->replacements);
  }
}

std::optional<std::string> CPUVectorizePass::findOptionProblem() const {
  for (auto [name, value] :
       {std::make_pair("vector-size", static_cast<int64_t>(vectorSize)),
        std::make_pair("tile-m", static_cast<int64_t>(tileM)),
        std::make_pair("tile-k", static_cast<int64_t>(tileK))})
    if (value < 1)
      return llvm::formatv("{0} must be positive, got {1}", name, value).str();
  return std::nullopt;
}

void CPUVectorizePass::runOnOperation() {
  Operation *root = getOperation();
  MLIRContext *context = &getContext();
  if (failed(checkOptions()))
    return signalPassFailure();

  // Pattern sets that stop before a fixpoint still leave valid IR, only
  // less of it in the preferred form: not a failure.
  {
    RewritePatternSet patterns(context);
    populateDepthwiseMultiplierOnePatterns(patterns);
    populateConvolutionLayoutPatterns(patterns);
    populatePadAsFillAndCopyPatterns(patterns);
    (void)applyPatternsGreedily(root, std::move(patterns));
  }
  // Grouped convolutions one group at a time: each group is a plain
  // convolution, tiled and vectorized below like the others.
  tileGroupedConvolutions(root);
  {
    RewritePatternSet patterns(context);
    populateUnitGroupConvolutionPatterns(patterns);
    populateConvolutionLayoutPatterns(patterns);
    (void)applyPatternsGreedily(root, std::move(patterns));
  }

  CPUTileTargets targets{vectorSize, tileM, tileK};
  tileAll(root, targets);

  // Convolution tiles of unit output and kernel height become 1-D
  // convolutions, the form the vectorizer knows.
  {
    RewritePatternSet patterns(context);
    linalg::populateDecomposeConvolutionPatterns(patterns);
    linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
    (void)applyPatternsGreedily(root, std::move(patterns));
  }

  vectorizeAll(root);

  RewritePatternSet patterns(context);
  populateCPUVectorCleanupPatterns(patterns);
  (void)applyPatternsGreedily(root, std::move(patterns));

  // Only once tensor slices are folded into the transfers: dropping unit
  // dimensions first makes vector and tensor shapes differ, which stops
  // that folding.
  RewritePatternSet unitDimPatterns(context);
  vector::populateCastAwayVectorLeadingOneDimPatterns(unitDimPatterns);
  vector::ExtractOp::getCanonicalizationPatterns(unitDimPatterns, context);
  vector::BroadcastOp::getCanonicalizationPatterns(unitDimPatterns, context);
  (void)applyPatternsGreedily(root, std::move(unitDimPatterns));
}
