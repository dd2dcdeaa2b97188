//===- Pipelines.cpp - Register the qnn pass pipelines --------------------===//

#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

std::optional<std::string> qnn::LowerToLLVMOptions::findProblem() const {
  for (auto [name, value] :
       {std::make_pair("vector-size", static_cast<int64_t>(vectorSize)),
        std::make_pair("tile-m", static_cast<int64_t>(tileM)),
        std::make_pair("tile-k", static_cast<int64_t>(tileK))})
    if (value < 1)
      return llvm::formatv("{0} must be positive, got {1}", name, value).str();
  return std::nullopt;
}

void qnn::registerPipelines() {
  // registerPassPipeline rather than PassPipelineRegistration: the builder
  // can then reject bad options while the pipeline is parsed.
  registerPassPipeline(
      "qnn-lower-to-llvm",
      "Lower tensors of TOSA/linalg/arith and quantized qnn/quant ops to the "
      "LLVM dialect: convert-qnn-to-linalg, qnn-cpu-vectorize, one-shot "
      "bufferization, conversions to LLVM",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        LowerToLLVMOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        if (std::optional<std::string> problem = options.findProblem())
          return errorHandler("qnn-lower-to-llvm: " + *problem);
        populateLowerToLLVMPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> printOptions) {
        printOptions(LowerToLLVMOptions());
      });
}
