//===- QNNPipeline.cpp - The qnn-pipeline pipeline ------------------------===//
//
// fp32 in, int8 LLVM out: the quantization passes, then the same lowering
// as qnn-lower-to-llvm. The options of each stage are the pipeline's, under
// the same names.
//
//===----------------------------------------------------------------------===//

#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

qnn::QNNQuantizeOptions qnn::QNNPipelineOptions::getQuantizeOptions() const {
  QNNQuantizeOptions result;
  result.mode = mode;
  result.statsFile = statsFile;
  result.activationScheme = activationScheme;
  result.activationSigned = activationSigned;
  result.weightScheme = weightScheme;
  result.weightGranularity = weightGranularity;
  result.weightRange = weightRange;
  result.rounding = rounding;
  result.onlyOps.assign(onlyOps.begin(), onlyOps.end());
  result.excludeOps.assign(excludeOps.begin(), excludeOps.end());
  result.compat = compat;
  result.activationReduceRange = activationReduceRange;
  result.weightReduceRange = weightReduceRange;
  result.calibration = calibration;
  result.percentile = percentile;
  return result;
}

qnn::QNNFuseOptions qnn::QNNPipelineOptions::getFuseOptions() const {
  QNNFuseOptions result;
  result.rescale = rescale;
  result.foldZeroPoints = foldZeroPoints;
  return result;
}

void qnn::QNNPipelineOptions::getLowerToLLVMOptions(
    LowerToLLVMOptions &lowerOptions) const {
  lowerOptions.vectorize = vectorize;
  lowerOptions.vectorSize = vectorSize;
  lowerOptions.tileM = tileM;
  lowerOptions.tileK = tileK;
  lowerOptions.target = target;
  lowerOptions.threads = threads;
  lowerOptions.convertTosa = convertTosa;
  lowerOptions.reassociateFPReductions = reassociateFPReductions;
}

void qnn::populateQNNPipeline(OpPassManager &pm,
                              const QNNPipelineOptions &options) {
  if (options.convertTosa) {
    // TOSA matmuls and convolutions become the linalg ops qnn-quantize
    // rewrites. The default FHWC kernel layout keeps a convolution's weights
    // a constant that qnn-quantize transposes at compile time (HWCF would
    // put a linalg.transpose in between); qnn-cpu-vectorize rewrites FHWC
    // convolutions that stay in fp32.
    pm.nest<func::FuncOp>().addPass(tosa::createTosaToLinalgNamed());
  }
  pm.addPass(createQNNQuantize(options.getQuantizeOptions()));
  pm.addPass(createQNNFuse(options.getFuseOptions()));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  LowerToLLVMOptions lowerOptions;
  options.getLowerToLLVMOptions(lowerOptions);
  populateLowerToLLVMPipeline(pm, lowerOptions);
}
