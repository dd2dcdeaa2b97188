//===- FusePatterns.h - The rewrite patterns of qnn-fuse --------*- C++ -*-===//
//
// qnn-fuse is a set of small patterns applied greedily to a fixed point; each
// file holds one concept and adds its patterns through one function here.
// docs/Fuse.md says why each rewrite is exact.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSEPATTERNS_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSEPATTERNS_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "mlir/IR/PatternMatch.h"

namespace qnn {

/// `qnn.quantize(clamps(quant.dcast(x)))` -> `qnn.requantize(x)` with the
/// clamps (ReLU, ReLU6, clamp) as `clamp_min` / `clamp_max`, or `x` itself
/// when nothing changes (FuseRequantize.cpp).
void populateFuseRequantizePatterns(mlir::RewritePatternSet &patterns,
                                    RescaleMode rescale);

/// `quant.dcast(acc) + bias`, a constant along the output channels -> an
/// int32 bias operand of the contraction (FuseBias.cpp).
void populateFuseBiasPatterns(mlir::RewritePatternSet &patterns);

/// `qnn.quantize(op(x))` -> `op(qnn.quantize(x))` for reshapes, slices,
/// transposes and concatenation (FuseDataMovement.cpp).
void populateCommuteQuantizePatterns(mlir::RewritePatternSet &patterns);

/// `qnn.quantize` of fp32 max (and, where exact, average) pooling ->
/// `qnn.max_pool2d` / `qnn.avg_pool2d` (FusePooling.cpp).
void populateFusePoolingPatterns(mlir::RewritePatternSet &patterns);

/// `qnn.quantize(tensor.pad(x, 0.0))` -> `qnn.pad(qnn.quantize(x))`, and
/// `qnn.conv2d(qnn.pad(x))` -> `qnn.conv2d(x) {padding}` (FusePadding.cpp).
void populateFusePaddingPatterns(mlir::RewritePatternSet &patterns);

/// The input zero point's share of a contraction with constant symmetric
/// weights, precomputed into the bias (FuseZeroPoints.cpp).
void populateFoldZeroPointPatterns(mlir::RewritePatternSet &patterns);

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSEPATTERNS_H
