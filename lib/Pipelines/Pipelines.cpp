//===- Pipelines.cpp - Register the qnn pass pipelines --------------------===//

#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

void qnn::registerPipelines() {
  mlir::PassPipelineRegistration<LowerToLLVMOptions>(
      "qnn-lower-to-llvm",
      "Lower tensors of TOSA/linalg/arith and quantized qnn/quant ops to the "
      "LLVM dialect: convert-qnn-to-linalg, qnn-cpu-vectorize, one-shot "
      "bufferization, conversions to LLVM",
      populateLowerToLLVMPipeline);
}
