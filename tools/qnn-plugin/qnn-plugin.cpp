//===- qnn-plugin.cpp - qnn-mlir as an mlir-opt plugin --------------------===//
//
// Builds libQNNPlugin.so, which any mlir-opt linked against the same
// libMLIR.so (Debian's mlir-opt-22 is) can load:
//
//   mlir-opt-22 --load-dialect-plugin=libQNNPlugin.so \
//               --load-pass-plugin=libQNNPlugin.so ...
//
// Both entry points go through InitAll.h, so the plugin always offers exactly
// what qnn-opt offers on top of upstream MLIR.
//
//===----------------------------------------------------------------------===//

#include "qnn/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

/// Dialect plugin entry point. Passes are registered here too, so that
/// `--load-dialect-plugin` alone is enough to both parse qnn IR and name qnn
/// passes; registration is idempotent, so loading both plugins is harmless.
extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QNN", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            qnn::registerAllDialects(*registry);
            qnn::registerAllPasses();
          }};
}

/// Pass plugin entry point.
extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QNNPasses", LLVM_VERSION_STRING,
          []() { qnn::registerAllPasses(); }};
}
