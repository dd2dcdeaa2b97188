//===- TileSizes.cpp - Tile sizes of linalg ops for the CPU ---------------===//
//
// Tiles are chosen to divide every loop exactly: the vectorizer then sees
// static shapes and needs no masks, at the price of smaller tiles on
// awkward extents (a prime extent above the bound gets tiles of 1).
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/CPUVectorize.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

using namespace mlir;
using namespace qnn;

int64_t qnn::largestDivisorAtMost(int64_t extent, int64_t bound) {
  for (int64_t size = std::min(extent, bound); size > 1; --size)
    if (extent % size == 0)
      return size;
  return 1;
}

namespace {
/// Builds tile sizes loop by loop; a tile covering the whole loop is
/// recorded as 0 so that no single-iteration loop is created.
class TileSizeBuilder {
public:
  TileSizeBuilder(ArrayRef<int64_t> ranges)
      : ranges(ranges), sizes(ranges.size(), 0) {}

  void set(unsigned loop, int64_t bound) {
    int64_t size = largestDivisorAtMost(ranges[loop], bound);
    sizes[loop] = size == ranges[loop] ? 0 : size;
  }
  SmallVector<int64_t> take() { return std::move(sizes); }

private:
  ArrayRef<int64_t> ranges;
  SmallVector<int64_t> sizes;
};
} // namespace

/// 2-D convolutions the decomposition into 1-D convolutions supports, with
/// the roles of their loops: tiles of unit output height and kernel height
/// let them be rewritten as 1-D convolutions.
static bool setConvolutionTileSizes(linalg::LinalgOp op,
                                    const CPUTileTargets &targets,
                                    TileSizeBuilder &tiles) {
  // Loop order (n, oh, ow, f, kh, kw, c).
  if (isa<linalg::Conv2DNhwcHwcfOp>(op)) {
    for (unsigned loop : {0, 1, 4})
      tiles.set(loop, 1);
    tiles.set(2, targets.tileM);
    tiles.set(3, targets.vectorSize);
    tiles.set(6, targets.tileK);
    return true;
  }
  // Loop order (n, f, oh, ow, c, kh, kw).
  if (isa<linalg::Conv2DNchwFchwOp>(op)) {
    for (unsigned loop : {0, 2, 5})
      tiles.set(loop, 1);
    tiles.set(1, targets.vectorSize);
    tiles.set(3, targets.tileM);
    tiles.set(4, targets.tileK);
    return true;
  }
  // Loop order (n, oh, ow, c, kh, kw); NHWC pooling has the same loops.
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcSumOp,
          linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcMaxUnsignedOp,
          linalg::PoolingNhwcMinOp, linalg::PoolingNhwcMinUnsignedOp>(op)) {
    for (unsigned loop : {0, 1, 4})
      tiles.set(loop, 1);
    tiles.set(2, targets.tileM);
    tiles.set(3, targets.vectorSize);
    return true;
  }
  // Loop order (n, c, oh, ow, kh, kw): NCHW pooling decomposes to the 1-D
  // NCW pooling the vectorizer knows.
  if (isa<linalg::PoolingNchwSumOp, linalg::PoolingNchwMaxOp>(op)) {
    for (unsigned loop : {0, 2, 4})
      tiles.set(loop, 1);
    tiles.set(1, targets.vectorSize);
    tiles.set(3, targets.tileM);
    return true;
  }
  return false;
}

/// Contractions: one register tile of m x n, a slice of k, batches one by
/// one. Only the innermost loop of each role is tiled above 1.
static bool setContractionTileSizes(linalg::LinalgOp op,
                                    const CPUTileTargets &targets,
                                    TileSizeBuilder &tiles) {
  if (!linalg::isaContractionOpInterface(op))
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims))
    return false;
  auto setRole = [&](ArrayRef<unsigned> loops, int64_t bound) {
    for (auto [i, loop] : llvm::enumerate(loops))
      tiles.set(loop, i + 1 == loops.size() ? bound : 1);
  };
  setRole(dims->batch, 1);
  setRole(dims->m, targets.tileM);
  setRole(dims->n, targets.vectorSize);
  setRole(dims->k, targets.tileK);
  return true;
}

SmallVector<int64_t> qnn::computeCPUTileSizes(linalg::LinalgOp op,
                                              const CPUTileTargets &targets) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return {};
  TileSizeBuilder tiles(ranges);
  if (setConvolutionTileSizes(op, targets, tiles) ||
      setContractionTileSizes(op, targets, tiles))
    return tiles.take();

  // Everything else: vectors along the innermost parallel loop, which is
  // usually the contiguous one; reductions in slices.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  std::optional<unsigned> innermostParallel;
  for (auto [loop, iterator] : llvm::enumerate(iterators))
    if (iterator == utils::IteratorType::parallel)
      innermostParallel = loop;
  for (auto [loop, iterator] : llvm::enumerate(iterators)) {
    if (iterator == utils::IteratorType::reduction)
      tiles.set(loop, targets.tileK);
    else
      tiles.set(loop, loop == innermostParallel ? targets.vectorSize : 1);
  }
  return tiles.take();
}
