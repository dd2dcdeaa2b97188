//===- LowerToLLVM.cpp - The qnn-lower-to-llvm pipeline -------------------===//
//
// From tensors (TOSA, linalg, arith, qnn and quant ops) to the LLVM dialect.
// The order matters in a few places, each noted where it happens; the
// sequence follows docs/Lowering.md.
//
//===----------------------------------------------------------------------===//

#include "qnn/Pipelines/Pipelines.h"

#include "qnn/Conversion/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// Everything up to linalg on tensors with storage integers.
static void addToLinalgPasses(OpPassManager &pm,
                              const qnn::LowerToLLVMOptions &options) {
  if (options.convertTosa) {
    OpPassManager &funcPM = pm.nest<func::FuncOp>();
    // The HWCF kernel layout is the one the convolution decomposition (and
    // so the vectorizer) supports; the default FHWC is not.
    TosaToLinalgNamedOptions namedOptions;
    namedOptions.preferConv2DKernelLayoutHWCF = true;
    funcPM.addPass(tosa::createTosaToLinalgNamed(namedOptions));
    funcPM.addPass(tosa::createTosaToLinalg());
    funcPM.addPass(createTosaToArithPass());
    funcPM.addPass(createTosaToTensorPass());
  }
  pm.addPass(qnn::createConvertQNNToLinalg());
  OpPassManager &funcPM = pm.nest<func::FuncOp>();
  funcPM.addPass(createConvertElementwiseToLinalgPass());
  funcPM.addPass(createCanonicalizerPass());
  if (options.vectorize) {
    // Matmuls with constant weights first: what they leave (and everything
    // else) is tiled and vectorized generically. A module pass: it declares
    // the intrinsics it calls.
    qnn::QNNCPUContractionKernelsOptions kernelOptions;
    kernelOptions.target = options.target;
    kernelOptions.threads = options.threads;
    pm.addPass(qnn::createQNNCPUContractionKernels(kernelOptions));
    qnn::QNNCPUVectorizeOptions vectorizeOptions;
    vectorizeOptions.vectorSize = options.vectorSize;
    vectorizeOptions.tileM = options.tileM;
    vectorizeOptions.tileK = options.tileK;
    pm.addNestedPass<func::FuncOp>(
        qnn::createQNNCPUVectorize(vectorizeOptions));
  }
}

/// Tensors to buffers, with deallocation.
static void addBufferizationPasses(OpPassManager &pm,
                                   const qnn::LowerToLLVMOptions &options) {
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  // Plain memrefs at function boundaries: what a C caller or mlir-runner's
  // printMemref* expects.
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // A loop may carry a tensor that each iteration computes afresh (a call
  // result, say); the deallocation pipeline frees the buffers it yields.
  bufferizeOptions.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  if (options.threads > 1) {
    // The kernels' scf.forall on buffers (each iteration writes its own
    // subview) is an scf.parallel, the form convert-scf-to-openmp takes.
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  }
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  // A buffer copied onto itself only disappears when canonicalize runs
  // after cse; left alone it needs memrefCopy from the runner library.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // Only the loops qnn-cpu-contraction-kernels marked (matvecs) change.
  pm.addPass(qnn::createQNNPrefetchConstantReads());
}

/// Buffers, vectors and loops to the LLVM dialect.
static void addToLLVMPasses(OpPassManager &pm,
                            const qnn::LowerToLLVMOptions &options) {
  OpPassManager &funcPM = pm.nest<func::FuncOp>();
  VectorTransferToSCFOptions transferOptions;
  transferOptions.enableFullUnroll();
  funcPM.addPass(createConvertVectorToSCFPass(transferOptions));
  funcPM.addPass(vector::createLowerVectorMultiReductionPass());
  funcPM.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  if (options.threads > 1) {
    // scf.parallel -> omp.parallel + omp.wsloop (static schedule) on
    // `threads` threads; the OpenMP runtime's calls (__kmpc_fork_call, ...)
    // appear when the module is translated to LLVM IR.
    ConvertSCFToOpenMPPassOptions openMPOptions;
    openMPOptions.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(openMPOptions));
    pm.addPass(qnn::createQNNInlineAllocaScopes());
  }
  pm.addPass(createSCFToControlFlowPass());
  // expand-strided-metadata creates affine.apply ops: lower-affine again.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());

  ConvertVectorToLLVMPassOptions vectorOptions;
  // Outer products become vector.fma rows, the shape register tiles want;
  // the default dot products need a transpose and horizontal reductions.
  vectorOptions.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  vectorOptions.reassociateFPReductions = options.reassociateFPReductions;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  // Math ops without an LLVM intrinsic (tanh, erf, ...) become libm calls,
  // one per lane of a vector operand: the vector.extract/insert and the
  // constants that leaves need lowering too.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  // Vector and tensor lowerings leave ub.poison behind.
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  if (options.threads > 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void qnn::populateLowerToLLVMPipeline(OpPassManager &pm,
                                      const LowerToLLVMOptions &options) {
  addToLinalgPasses(pm, options);
  addBufferizationPasses(pm, options);
  addToLLVMPasses(pm, options);
}
