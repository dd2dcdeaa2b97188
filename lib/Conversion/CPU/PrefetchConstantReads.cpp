//===- PrefetchConstantReads.cpp - The qnn-prefetch-constant-reads pass ---===//
//
// A memory-bound matvec reads its packed weights in several streams at
// once; the hardware prefetchers follow each stream only within a 4 KiB
// page and need a few misses to start again in the next. A software
// prefetch a few iterations ahead of every read keeps each stream's next
// lines in flight across those boundaries. Only the loops the kernel
// generator marks as streaming are touched (where a tile reuses each weight
// for several rows, the weights come from cache and a prefetch is one more
// instruction), and in them only the reads of large constant globals: the
// weights; activations and small constants stay in cache.
//
//===----------------------------------------------------------------------===//

#include "qnn/CheckedOptionsPass.h"
#include "qnn/Conversion/Passes.h"

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/Support/FormatVariadic.h"

#include <optional>
#include <string>

namespace qnn {
#define GEN_PASS_DEF_QNNPREFETCHCONSTANTREADS
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;

/// Whether `buffer` is a constant global with a static shape of at least
/// `minBytes` bytes.
static bool isLargeConstantGlobal(Value buffer, SymbolTableCollection &symbols,
                                  int64_t minBytes) {
  auto getGlobal = buffer.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return false;
  auto global = symbols.lookupNearestSymbolFrom<memref::GlobalOp>(
      getGlobal, getGlobal.getNameAttr());
  MemRefType type = getGlobal.getType();
  if (!global || !global.getConstant() || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat())
    return false;
  int64_t bits = type.getNumElements() * type.getElementTypeBitWidth();
  return bits / 8 >= minBytes;
}

namespace {

struct PrefetchConstantReadsPass
    : public qnn::CheckedOptionsPass<
          PrefetchConstantReadsPass,
          qnn::impl::QNNPrefetchConstantReadsBase<PrefetchConstantReadsPass>> {
  using CheckedOptionsPass::CheckedOptionsPass;

  /// What is wrong with the options, if anything (CheckedOptionsPass).
  std::optional<std::string> findOptionProblem() const {
    if (distance < 1)
      return llvm::formatv("distance must be positive, got {0}",
                           static_cast<int64_t>(distance))
          .str();
    if (minBytes < 0)
      return llvm::formatv("min-bytes must not be negative, got {0}",
                           static_cast<int64_t>(minBytes))
          .str();
    return std::nullopt;
  }

  void runOnOperation() override {
    // Passes built from C++ skip initializeOptions: check again.
    if (failed(checkOptions()))
      return signalPassFailure();
    SymbolTableCollection symbols;
    DenseMap<std::pair<Operation *, int64_t>, Value> aheadIndices;
    SmallVector<std::pair<Operation *, scf::ForOp>> reads;
    getOperation()->walk([&](Operation *op) {
      if (!isa<vector::TransferReadOp, vector::LoadOp>(op))
        return;
      auto loop = dyn_cast<scf::ForOp>(op->getParentOp());
      if (loop && loop->hasAttr(qnn::kPrefetchConstantReadsAttrName))
        reads.emplace_back(op, loop);
    });
    for (auto [read, loop] : reads) {
      Value buffer = isa<vector::TransferReadOp>(read)
                         ? cast<vector::TransferReadOp>(read).getBase()
                         : cast<vector::LoadOp>(read).getBase();
      if (!isLargeConstantGlobal(buffer, symbols, minBytes))
        continue;
      ValueRange indices = isa<vector::TransferReadOp>(read)
                               ? cast<vector::TransferReadOp>(read).getIndices()
                               : cast<vector::LoadOp>(read).getIndices();
      Value iv = loop.getInductionVar();
      auto position = llvm::find(indices, iv);
      if (position == indices.end() || llvm::count(indices, iv) != 1)
        continue;
      int64_t dim = std::distance(indices.begin(), position);
      auto type = cast<MemRefType>(buffer.getType());
      // One index `distance` iterations ahead per loop and bound, at the
      // top of the body; its step and bound are computed before the loop.
      Value &ahead = aheadIndices[{loop, type.getDimSize(dim)}];
      if (!ahead) {
        Location loc = loop.getLoc();
        OpBuilder before(loop);
        Value offset = arith::MulIOp::create(
            before, loc, loop.getStep(),
            arith::ConstantIndexOp::create(before, loc, distance));
        Value last = arith::ConstantIndexOp::create(before, loc,
                                                    type.getDimSize(dim) - 1);
        auto b = OpBuilder::atBlockBegin(loop.getBody());
        Value next = arith::AddIOp::create(b, loc, iv, offset);
        ahead = arith::MinSIOp::create(b, loc, next, last);
      }
      SmallVector<Value> prefetchIndices(indices);
      prefetchIndices[dim] = ahead;
      OpBuilder b(read);
      Location loc = read->getLoc();
      memref::PrefetchOp::create(b, loc, buffer, prefetchIndices,
                                 /*isWrite=*/false, /*localityHint=*/3,
                                 /*isDataCache=*/true);
    }
    getOperation()->walk([](scf::ForOp loop) {
      loop->removeAttr(qnn::kPrefetchConstantReadsAttrName);
    });
  }
};

} // namespace
