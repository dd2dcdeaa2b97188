//===- QNNOps.h - Operations of the qnn dialect -----------------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_H
#define QNN_DIALECT_QNN_IR_QNNOPS_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/IR/QNNOps.h.inc"

namespace qnn {

/// Checks that `type` (a quantized element type) can describe a tensor of
/// `shape`: per-axis axes in range with one scale per index, sub-channel
/// blocks dividing their dimensions with a matching scale grid.
mlir::LogicalResult verifyQuantizedTypeFitsShape(
    llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
    mlir::quant::QuantizedType type, llvm::ArrayRef<int64_t> shape);

} // namespace qnn

#endif // QNN_DIALECT_QNN_IR_QNNOPS_H
