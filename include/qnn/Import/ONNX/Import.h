//===- Import.h - ONNX models to upstream MLIR dialects ---------*- C++ -*-===//
//
// Reads an ONNX model (a serialized `onnx.ModelProto`) and builds one
// `func.func` on tensors in upstream dialects (func, linalg, tensor, arith,
// math) plus, for models that carry their own quantization (QDQ and
// QOperator forms), `qnn.quantize`, `qnn.constant`, the qnn integer ops and
// `quant.dcast` / `quant.scast`. Every op is located by the name of the ONNX
// tensor it computes (`loc("conv1.out")`), so that calibration statistics and
// reports use the model's own names. docs/Import.md lists the operators.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_IMPORT_ONNX_IMPORT_H
#define QNN_IMPORT_ONNX_IMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qnn {
namespace onnx_import {

struct ImportOptions {
  /// Static shapes for graph inputs, by input name; they replace the
  /// model's own (dynamic or not) dimensions.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Name of the generated function.
  std::string functionName = "main";
};

/// Parses `name=1x3x48x192` (one `--input-shape` flag) into `options`.
/// Returns an error message, or an empty string on success.
std::string parseInputShape(llvm::StringRef spec, ImportOptions &options);

/// Imports the serialized model in `bytes`; `modelName` names it in
/// diagnostics (the file name). Every problem is reported through the
/// context's diagnostic engine (all unsupported operators and undefined
/// inputs at once, before anything is built); on failure the result is
/// null.
mlir::OwningOpRef<mlir::ModuleOp> importModel(llvm::StringRef bytes,
                                              llvm::StringRef modelName,
                                              mlir::MLIRContext &context,
                                              const ImportOptions &options);

/// Reads `path` and imports it (see importModel).
mlir::OwningOpRef<mlir::ModuleOp> importModelFile(llvm::StringRef path,
                                                  mlir::MLIRContext &context,
                                                  const ImportOptions &options);

/// Registers the dialects the importer produces.
void registerImportDialects(mlir::DialectRegistry &registry);

} // namespace onnx_import
} // namespace qnn

#endif // QNN_IMPORT_ONNX_IMPORT_H
