//===- Passes.h - Conversions out of the qnn dialect ------------*- C++ -*-===//
//
// Declarations and registration of the conversion passes: quantized IR to
// linalg (convert-qnn-to-linalg) and CPU code generation (qnn-cpu-vectorize).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_PASSES_H
#define QNN_CONVERSION_PASSES_H

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace qnn {

#define GEN_PASS_DECL
#include "qnn/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Conversion/Passes.h.inc"

} // namespace qnn

#endif // QNN_CONVERSION_PASSES_H
