//===- CPUContractionKernels.cpp - The qnn-cpu-contraction-kernels pass ---===//
//
// Resolves the target against the host CPU, turns the convolutions with
// constant filters into matmuls (ConvolutionKernels.cpp) and rewrites the
// matmuls with constant weights (ContractionKernels.cpp); the rest of the
// module is left to qnn-cpu-vectorize.
//
//===----------------------------------------------------------------------===//

#include "qnn/CheckedOptionsPass.h"
#include "qnn/Conversion/CPU/ContractionKernels.h"
#include "qnn/Conversion/Passes.h"

#include "llvm/Support/FormatVariadic.h"

namespace qnn {
#define GEN_PASS_DEF_QNNCPUCONTRACTIONKERNELS
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

struct CPUContractionKernelsPass
    : public qnn::CheckedOptionsPass<
          CPUContractionKernelsPass,
          qnn::impl::QNNCPUContractionKernelsBase<CPUContractionKernelsPass>> {
  using CheckedOptionsPass::CheckedOptionsPass;

  /// What is wrong with the options, if anything (CheckedOptionsPass).
  std::optional<std::string> findOptionProblem() const {
    if (threads < 1)
      return llvm::formatv("threads must be positive, got {0}",
                           static_cast<int64_t>(threads))
          .str();
    return std::nullopt;
  }

  void runOnOperation() override {
    // Passes built from C++ skip initializeOptions: check again.
    if (failed(checkOptions()))
      return signalPassFailure();
    KernelTarget resolved = resolveKernelTarget(target);
    if (resolved == KernelTarget::Generic)
      return;
    if (rewriteConvolutionsAsMatmuls(getOperation(), resolved) > 0)
      sinkTransposes(getOperation());
    rewriteContractionsWithKernels(getOperation(), resolved, threads);
  }
};

} // namespace
