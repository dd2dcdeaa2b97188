//===- Session.h - Context, diagnostics, models -----------------*- C++ -*-===//
//
// What a runner tool needs around CompiledModule: an MLIRContext with every
// dialect a model may use, source-located diagnostics (mlir-opt style) on a
// stream, and models parsed from files.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_SESSION_H
#define QNN_RUNNER_SESSION_H

#include "qnn/Runner/CompiledModule.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <vector>

namespace mlir {
class SourceMgrDiagnosticHandler;
} // namespace mlir

namespace qnn::runner {

class Session {
public:
  /// Diagnostics go to `diagnostics`, with the source line they point at.
  explicit Session(llvm::raw_ostream &diagnostics = llvm::errs());
  ~Session();

  mlir::MLIRContext &getContext() { return context; }

  /// Parses the MLIR file at `path` ("-" for stdin). Returns null after
  /// reporting the problem (a missing file, a syntax or verifier error).
  mlir::OwningOpRef<mlir::ModuleOp> loadModule(llvm::StringRef path);

  /// CompiledModule::compile on this session's context.
  mlir::FailureOr<std::unique_ptr<CompiledModule>>
  compile(mlir::ModuleOp module, const CompileOptions &options) {
    return CompiledModule::compile(module, options);
  }

private:
  mlir::MLIRContext context;
  /// Where diagnostics find the source lines they quote (it loads files by
  /// name as locations name them).
  llvm::SourceMgr sourceMgr;
  /// One per parsed file: the parser reads a source manager's main file.
  std::vector<std::unique_ptr<llvm::SourceMgr>> parsedFiles;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
};

} // namespace qnn::runner

#endif // QNN_RUNNER_SESSION_H
