//===- Fuse.cpp - The QNNFuse pass --------------------------------------===//

#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace qnn {
#define GEN_PASS_DEF_QNNFUSE
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

namespace {
struct FusePass : public qnn::impl::QNNFuseBase<FusePass> {
  using QNNFuseBase::QNNFuseBase;
  void runOnOperation() override {}
};
} // namespace
