//===- Pipelines.h - Registered qnn pass pipelines --------------*- C++ -*-===//
//
// The C++ embedding API: each pipeline is one populate function over an
// OpPassManager, with its options, registered once for textual pipelines
// (`qnn-opt --qnn-lower-to-llvm`).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_PIPELINES_PIPELINES_H
#define QNN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace qnn {

/// Options of `qnn-lower-to-llvm`.
struct LowerToLLVMOptions
    : public mlir::PassPipelineOptions<LowerToLLVMOptions> {
  // Options are declared in Pipelines.cpp's implementation notes; see
  // docs/Pipelines.md for the list.
};

/// Lowers a module of func + linalg/tosa/arith on tensors, possibly holding
/// qnn ops and `quant.dcast`, to the LLVM dialect: convert-qnn-to-linalg,
/// tiling and vectorization, bufferization, and the conversions to LLVM.
void populateLowerToLLVMPipeline(mlir::OpPassManager &pm,
                                 const LowerToLLVMOptions &options);

/// Registers every qnn pipeline for textual pass pipelines.
void registerPipelines();

} // namespace qnn

#endif // QNN_PIPELINES_PIPELINES_H
