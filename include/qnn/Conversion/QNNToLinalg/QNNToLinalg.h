//===- QNNToLinalg.h - Lower quantized IR to linalg on tensors --*- C++ -*-===//
//
// The pieces of convert-qnn-to-linalg, for compilers that run the lowering
// inside their own dialect conversion.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
#define QNN_CONVERSION_QNNTOLINALG_QNNTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
class Operation;
class RewritePatternSet;
class Type;
} // namespace mlir

namespace qnn {

/// Maps `!quant.uniform` types (per-tensor, per-axis and sub-channel), and
/// tensors of them, to their signless storage type (`i8`, `i4`, ...); every
/// other type is legal as is. Quantized types that are not uniform
/// (`!quant.any`, `!quant.calibrated`) have no conversion.
class QuantizedStorageTypeConverter : public mlir::TypeConverter {
public:
  QuantizedStorageTypeConverter();
};

/// Whether `type` is a quantized type or a shaped type of quantized elements.
bool isQuantizedType(mlir::Type type);

/// Whether `op` has an operand, a result or (for functions) a signature
/// type that is quantized: such an op must be lowered before the IR can
/// leave the qnn world.
bool hasQuantizedTypes(mlir::Operation *op);

/// Adds the patterns lowering `qnn.constant`, `qnn.quantize`, `quant.dcast`,
/// `quant.qcast` and `quant.scast`, the integer qnn ops (`qnn.matmul`,
/// `qnn.batch_matmul`, `qnn.conv2d`, `qnn.requantize`, `qnn.add`, `qnn.mul`,
/// `qnn.max_pool2d`, `qnn.avg_pool2d`, `qnn.pad`) to arith/linalg/tensor/math,
/// and the type-only conversion of data-movement tensor and linalg ops
/// (`linalg.transpose`, `linalg.broadcast`, `linalg.copy`), using `converter`
/// (a `QuantizedStorageTypeConverter` or one that maps quantized types the same
/// way). Function, call, return, branch and scf signatures are not included:
/// add upstream's structural type-conversion patterns for those.
void populateQNNToLinalgConversionPatterns(mlir::TypeConverter &converter,
                                           mlir::RewritePatternSet &patterns);

} // namespace qnn

#endif // QNN_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
