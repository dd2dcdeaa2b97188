//===- CPUContractionKernels.cpp - The qnn-cpu-contraction-kernels pass ---===//
//
// Resolves the target against the host CPU, turns the convolutions with
// constant filters into matmuls (ConvolutionKernels.cpp) and rewrites the
// matmuls with constant weights (ContractionKernels.cpp); the rest of the
// module is left to qnn-cpu-vectorize.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/ContractionKernels.h"
#include "qnn/Conversion/Passes.h"

namespace qnn {
#define GEN_PASS_DEF_QNNCPUCONTRACTIONKERNELS
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

struct CPUContractionKernelsPass
    : public qnn::impl::QNNCPUContractionKernelsBase<
          CPUContractionKernelsPass> {
  using QNNCPUContractionKernelsBase::QNNCPUContractionKernelsBase;

  void runOnOperation() override {
    KernelTarget resolved = resolveKernelTarget(target);
    if (resolved == KernelTarget::Generic)
      return;
    if (rewriteConvolutionsAsMatmuls(getOperation(), resolved) > 0)
      sinkTransposes(getOperation());
    rewriteContractionsWithKernels(getOperation(), resolved);
  }
};

} // namespace
