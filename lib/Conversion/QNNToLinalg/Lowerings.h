//===- Lowerings.h - Pattern groups of convert-qnn-to-linalg ----*- C++ -*-===//
//
// convert-qnn-to-linalg is split by concept, one file per group of ops; this
// declares what each file gives the pass: its patterns, and a check that
// names what it cannot lower, so that the pass reports it on the op before
// converting anything.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_LOWERINGS_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_LOWERINGS_H

#include "mlir/Transforms/DialectConversion.h"

#include <optional>
#include <string>

namespace qnn {

/// qnn.matmul, qnn.batch_matmul, qnn.conv2d (ContractionLowering.cpp).
void populateContractionLoweringPatterns(const mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);
/// qnn.requantize, qnn.add, qnn.mul (RescaleLowering.cpp).
void populateRescaleLoweringPatterns(const mlir::TypeConverter &converter,
                                     mlir::RewritePatternSet &patterns);
/// qnn.max_pool2d, qnn.avg_pool2d, qnn.pad (PoolingLowering.cpp).
void populatePoolingLoweringPatterns(const mlir::TypeConverter &converter,
                                     mlir::RewritePatternSet &patterns);
/// Upstream tensor and linalg ops that only move quantized values
/// (DataMovementLowering.cpp).
void populateDataMovementLoweringPatterns(const mlir::TypeConverter &converter,
                                          mlir::RewritePatternSet &patterns);

/// Whether `op` moves, copies or reshapes tensor elements without looking at
/// their values, so that it means the same on storage integers.
bool isDataMovementOp(mlir::Operation *op);

/// Whether `op` is a qnn integer op (contraction, rescale, pooling, pad)
/// that this pass lowers.
bool isIntegerQNNOp(mlir::Operation *op);

/// Why the integer qnn op or data-movement op `op` cannot be lowered, or
/// nullopt when it can. Each file checks its own ops.
std::optional<std::string> findUnsupportedContraction(mlir::Operation *op);
std::optional<std::string> findUnsupportedRescale(mlir::Operation *op);
std::optional<std::string> findUnsupportedPooling(mlir::Operation *op);

} // namespace qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_LOWERINGS_H
