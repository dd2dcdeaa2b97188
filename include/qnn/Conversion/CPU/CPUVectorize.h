//===- CPUVectorize.h - Tiling and vectorization for the CPU ----*- C++ -*-===//
//
// The pieces of qnn-cpu-vectorize: the tile-size rule and the pattern sets,
// for compilers that schedule tiling and vectorization themselves.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_CPU_CPUVECTORIZE_H
#define QNN_CONVERSION_CPU_CPUVECTORIZE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include "llvm/ADT/SmallVector.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace qnn {

/// Upper bounds of tile sizes; each loop gets the largest divisor of its
/// extent not above its bound, so that tiles are static and need no mask.
struct CPUTileTargets {
  /// Innermost parallel loop, matmul n, convolution output channels.
  int64_t vectorSize = 16;
  /// Matmul m, convolution output width.
  int64_t tileM = 4;
  /// Reduction loops: matmul k, convolution input channels.
  int64_t tileK = 16;
};

/// The tile size of every loop of `op` (0: not tiled, the whole extent in
/// one tile), or an empty vector when `op` has a dynamic loop range. See the
/// table in the description of qnn-cpu-vectorize.
llvm::SmallVector<int64_t> computeCPUTileSizes(mlir::linalg::LinalgOp op,
                                               const CPUTileTargets &targets);

/// The largest divisor of `extent` that is at most `bound` (at least 1).
int64_t largestDivisorAtMost(int64_t extent, int64_t bound);

/// Rewrites `linalg.depthwise_conv_2d_nhwc_hwcm` with a channel multiplier of
/// 1 into `linalg.depthwise_conv_2d_nhwc_hwc`, which the convolution
/// decomposition and the vectorizer support.
void populateDepthwiseMultiplierOnePatterns(mlir::RewritePatternSet &patterns);

/// Rewrites convolutions into the layouts that decompose into 1-D
/// convolutions and vectorize, with `linalg.transpose` ops around them:
/// `linalg.depthwise_conv_2d_nchw_chw` into `depthwise_conv_2d_nhwc_hwc`,
/// and `linalg.conv_2d_nhwc_fhwc` into `conv_2d_nhwc_hwcf` (static shapes).
void populateConvolutionLayoutPatterns(mlir::RewritePatternSet &patterns);

/// tensor.pad with static shapes and a constant padding value as a
/// linalg.fill of the padded tensor and a linalg.copy of the source into
/// its interior (inserted back in place): a copy that is vectorized and
/// bufferizes in place, not a call of the runtime's element-by-element
/// `memrefCopy`.
void populatePadAsFillAndCopyPatterns(mlir::RewritePatternSet &patterns);

/// Tiles the statically shaped grouped convolutions under `root`
/// (`linalg.conv_2d_nhwgc_gfhwc`, `conv_2d_ngchw_gfchw`) one group at a
/// time, which linalg cannot decompose otherwise.
void tileGroupedConvolutions(mlir::Operation *root);

/// Rewrites grouped convolutions with a single group into the plain ones
/// (`conv_2d_nhwc_fhwc`, `conv_2d_nchw_fchw`) by dropping the unit group
/// dimensions.
void populateUnitGroupConvolutionPatterns(mlir::RewritePatternSet &patterns);

/// The vector-level cleanups that make vectorized tiles lowerable and
/// compact: transfer permutation lowering, folding tensor slices into
/// transfers, reduction-to-contract, dropping leading unit dimensions, and
/// the transfer ops' canonicalizations.
void populateCPUVectorCleanupPatterns(mlir::RewritePatternSet &patterns);

} // namespace qnn

#endif // QNN_CONVERSION_CPU_CPUVECTORIZE_H
