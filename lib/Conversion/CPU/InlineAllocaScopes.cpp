//===- InlineAllocaScopes.cpp - The qnn-inline-alloca-scopes pass ---------===//
//
// convert-scf-to-openmp wraps the body of each parallel iteration in a
// memref.alloca_scope, whose region must stay one block: scf-to-cf would
// break the kernel's loops inside it into several and the IR would no
// longer verify. The canonicalizer only inlines a scope whose body cannot
// allocate, and counts every call (the kernels' intrinsics) as a possible
// allocation. A scope without memref.alloca frees nothing when it ends:
// inlined, it is gone before scf-to-cf runs.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace qnn {
#define GEN_PASS_DEF_QNNINLINEALLOCASCOPES
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;

namespace {

struct InlineAllocaScopesPass
    : public qnn::impl::QNNInlineAllocaScopesBase<InlineAllocaScopesPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaScopeOp> scopes;
    getOperation()->walk([&](memref::AllocaScopeOp scope) {
      bool allocates =
          scope.getBodyRegion()
              .walk([](memref::AllocaOp) { return WalkResult::interrupt(); })
              .wasInterrupted();
      if (!allocates)
        scopes.push_back(scope);
    });
    IRRewriter rewriter(&getContext());
    for (memref::AllocaScopeOp scope : scopes) {
      Block &body = scope.getBodyRegion().front();
      Operation *terminator = body.getTerminator();
      SmallVector<Value> results(terminator->getOperands());
      rewriter.eraseOp(terminator);
      rewriter.inlineBlockBefore(&body, scope);
      rewriter.replaceOp(scope, results);
    }
  }
};

} // namespace
