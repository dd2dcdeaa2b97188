//===- main.cpp - An out-of-tree user of the installed qnn-mlir -----------===//
//
// Quantizes the weights of an fp32 matmul and lowers the module to the LLVM
// dialect through qnn-mlir's C++ API, as a compiler embedding qnn-mlir
// would. Exits non-zero unless the result is entirely LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/InitAll.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

// The seed's GNMT weight matrix, rows as output channels (B stored [N, K]).
static const char *const kModule = R"mlir(
func.func @gnmt(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[0.0114, -0.0231, 0.0445], [0.0, 0.0, 0.0],
                             [-0.0409, -0.0435, -0.0400]]> : tensor<3x3xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x3xf32>)
      -> tensor<4x3xf32>
  %y = linalg.matmul indexing_maps = [
           affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
           affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<4x3xf32>, tensor<3x3xf32>)
         outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}
)mlir";

/// Returns the first operation outside the LLVM dialect below `module`, or
/// null when the module is fully lowered.
static mlir::Operation *findNonLLVMOp(mlir::ModuleOp module) {
  mlir::Operation *found = nullptr;
  module.getBody()->walk([&](mlir::Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "llvm")
      return mlir::WalkResult::advance();
    found = op;
    return mlir::WalkResult::interrupt();
  });
  return found;
}

int main() {
  // qnn's registration alone is enough for qnn's pipelines: it brings the
  // upstream dialects they create and the interface models (bufferization,
  // tiling) those need. No qnn::registerAllPasses(): that is only for naming
  // passes in textual pipelines.
  mlir::DialectRegistry registry;
  qnn::registerAllDialects(registry);
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kModule, &context);
  if (!module) {
    llvm::errs() << "qnn-consumer: cannot parse the input module\n";
    return 1;
  }

  // What an embedding compiler does: qnn's passes and pipelines straight
  // into its own pass manager, no textual pipeline.
  mlir::PassManager pm(&context);
  pm.addPass(qnn::createQNNQuantizeWeights());
  qnn::LowerToLLVMOptions options;
  qnn::populateLowerToLLVMPipeline(pm, options);
  if (mlir::failed(pm.run(*module))) {
    llvm::errs() << "qnn-consumer: the pipeline failed\n";
    return 1;
  }

  bool hasLLVMFunc = false;
  module->walk([&](mlir::Operation *op) {
    hasLLVMFunc |= op->getName().getStringRef() == "llvm.func";
  });
  if (mlir::Operation *op = findNonLLVMOp(*module)) {
    llvm::errs() << "qnn-consumer: not lowered to LLVM: " << *op << "\n";
    return 1;
  }
  if (!hasLLVMFunc) {
    llvm::errs() << "qnn-consumer: no llvm.func in the result\n";
    return 1;
  }
  llvm::outs() << "qnn-consumer: quantized and lowered to LLVM\n";
  return 0;
}
