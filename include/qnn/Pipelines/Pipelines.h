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

#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace qnn {

/// Options of `qnn-lower-to-llvm`.
struct LowerToLLVMOptions
    : public mlir::PassPipelineOptions<LowerToLLVMOptions> {
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize linalg ops (qnn-cpu-vectorize); "
                     "when false they become scalar loops"),
      llvm::cl::init(true)};
  Option<int64_t> vectorSize{
      *this, "vector-size",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of the innermost "
                     "parallel loop"),
      llvm::cl::init(16)};
  Option<int64_t> tileM{
      *this, "tile-m",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of matmul m and of "
                     "convolution output width"),
      llvm::cl::init(4)};
  Option<int64_t> tileK{
      *this, "tile-k",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of reduction loops"),
      llvm::cl::init(16)};
  Option<bool> convertTosa{
      *this, "tosa",
      llvm::cl::desc("Lower TOSA ops to linalg/arith/tensor first"),
      llvm::cl::init(true)};
  Option<bool> reassociateFPReductions{
      *this, "reassociate-fp-reductions",
      llvm::cl::desc("Let LLVM reassociate floating-point vector "
                     "reductions (faster, results may differ in the last "
                     "bits)"),
      llvm::cl::init(false)};

  /// Describes what is wrong with the options (a non-positive tile size),
  /// if anything. The registered pipeline reports it when parsed.
  std::optional<std::string> findProblem() const;
};

/// Lowers a module of func + linalg/tosa/arith on tensors, possibly holding
/// qnn ops and `quant.dcast`, to the LLVM dialect: TOSA to linalg,
/// convert-qnn-to-linalg, elementwise arith to linalg, tiling and
/// vectorization (qnn-cpu-vectorize), one-shot bufferization across function
/// boundaries (identity layouts), buffer deallocation, and the conversions
/// to LLVM. The result runs under `mlir-runner` and translates with
/// `mlir-translate --mlir-to-llvmir`. `pm` must be anchored on
/// `builtin.module`.
void populateLowerToLLVMPipeline(mlir::OpPassManager &pm,
                                 const LowerToLLVMOptions &options);

/// Registers every qnn pipeline for textual pass pipelines.
void registerPipelines();

} // namespace qnn

#endif // QNN_PIPELINES_PIPELINES_H
