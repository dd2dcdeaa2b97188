//===- Fuse.cpp - The QNNFuse pass ----------------------------------------===//
//
// Applies the fusion patterns (FusePatterns.h) greedily. Each one is exact
// on its own and leaves what it does not match unchanged, so their order
// does not matter; docs/Fuse.md describes them.
//
//===----------------------------------------------------------------------===//

#include "FusePatterns.h"

#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qnn {
#define GEN_PASS_DEF_QNNFUSE
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;

namespace {

struct FusePass : public qnn::impl::QNNFuseBase<FusePass> {
  using QNNFuseBase::QNNFuseBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    qnn::populateFuseRequantizePatterns(patterns, rescale);
    qnn::populateFuseBiasPatterns(patterns);
    qnn::populateCommuteQuantizePatterns(patterns);
    qnn::populateFusePoolingPatterns(patterns);
    qnn::populateFusePaddingPatterns(patterns);
    if (foldZeroPoints)
      qnn::populateFoldZeroPointPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns)))) {
      getOperation().emitError("qnn-fuse: the fusion patterns did not reach a "
                               "fixed point");
      signalPassFailure();
    }
  }
};

} // namespace
