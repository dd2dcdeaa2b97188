//===- Pipelines.cpp - Register the qnn pass pipelines --------------------===//

#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

/// Checks the options `pass` was created with as if they had been written
/// in a textual pipeline: the passes reject bad combinations only while
/// parsing (and again when they run).
static LogicalResult
checkPassOptions(Pass &pass,
                 function_ref<LogicalResult(const Twine &)> errorHandler) {
  std::string text;
  llvm::raw_string_ostream os(text);
  pass.printAsTextualPipeline(os);
  StringRef options = StringRef(text).split('{').second.rsplit('}').first;
  return pass.initializeOptions(options, errorHandler);
}

std::optional<std::string> qnn::LowerToLLVMOptions::findProblem() const {
  for (auto [name, value] :
       {std::make_pair("vector-size", static_cast<int64_t>(vectorSize)),
        std::make_pair("tile-m", static_cast<int64_t>(tileM)),
        std::make_pair("tile-k", static_cast<int64_t>(tileK)),
        std::make_pair("threads", static_cast<int64_t>(threads))})
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
      [](function_ref<void(const mlir::detail::PassOptions &)> printOptions) {
        printOptions(LowerToLLVMOptions());
      });

  registerPassPipeline(
      "qnn-pipeline",
      "Quantize an fp32 module to int8 and lower it to the LLVM dialect: "
      "tosa-to-linalg-named, qnn-quantize, qnn-fuse, canonicalize, cse, then "
      "the qnn-lower-to-llvm stages",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        QNNPipelineOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        LowerToLLVMOptions lowerOptions;
        options.getLowerToLLVMOptions(lowerOptions);
        if (std::optional<std::string> problem = lowerOptions.findProblem())
          return errorHandler("qnn-pipeline: " + *problem);
        // The quantization passes judge their own options.
        std::unique_ptr<Pass> quantize =
            createQNNQuantize(options.getQuantizeOptions());
        std::unique_ptr<Pass> fuse = createQNNFuse(options.getFuseOptions());
        auto prefixed = [&](const Twine &message) {
          return errorHandler("qnn-pipeline: " + message);
        };
        if (failed(checkPassOptions(*quantize, prefixed)) ||
            failed(checkPassOptions(*fuse, prefixed)))
          return failure();
        populateQNNPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> printOptions) {
        printOptions(QNNPipelineOptions());
      });
}
