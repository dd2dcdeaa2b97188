//===- InitAll.cpp - Register every qnn dialect, pass and pipeline --------===//

#include "qnn/InitAll.h"

#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/DialectRegistry.h"

#include <mutex>

void qnn::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<QNNDialect, mlir::quant::QuantDialect>();
}

void qnn::registerAllPasses() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerQNNPasses();
    registerQNNConversionPasses();
    registerPipelines();
  });
}
