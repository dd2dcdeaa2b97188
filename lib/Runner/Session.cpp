//===- Session.cpp - Context, diagnostics, models -------------------------===//

#include "qnn/Runner/Session.h"

#include "qnn/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;

namespace qnn::runner {

static DialectRegistry makeRegistry() {
  DialectRegistry registry;
  // Any upstream dialect a model may be written in parses; qnn's pipeline
  // then lowers what it knows.
  mlir::registerAllDialects(registry);
  qnn::registerAllDialects(registry);
  return registry;
}

Session::Session(llvm::raw_ostream &diagnostics)
    : context(makeRegistry()),
      handler(std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &context,
                                                           diagnostics)) {}

Session::~Session() = default;

OwningOpRef<ModuleOp> Session::loadModule(llvm::StringRef path) {
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &message);
  if (!file) {
    // At the file, so that the message reads "x.mlir:0:0: error: ...".
    emitError(FileLineColLoc::get(&context, path, 0, 0)) << message;
    return nullptr;
  }
  parsedFiles.push_back(std::make_unique<llvm::SourceMgr>());
  parsedFiles.back()->AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(*parsedFiles.back(), ParserConfig(&context));
}

} // namespace qnn::runner
