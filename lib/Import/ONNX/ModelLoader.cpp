//===- ModelLoader.cpp - Reading ONNX files and the import entry points ---===//

#include "qnn/Import/ONNX/Import.h"

#include "GraphImporter.h"

#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;

namespace qnn {
namespace onnx_import {

void registerImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, quant::QuantDialect, tensor::TensorDialect,
                  qnn::QNNDialect>();
}

std::string parseInputShape(StringRef spec, ImportOptions &options) {
  auto [name, dims] = spec.rsplit('=');
  if (name.empty() || dims.empty() || !spec.contains('='))
    return "--input-shape '" + spec.str() +
           "' is not of the form name=1x3x224x224";
  std::vector<int64_t> shape;
  if (dims != "scalar") {
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t d;
      if (part.getAsInteger(10, d) || d <= 0)
        return "--input-shape '" + spec.str() + "': dimension '" + part.str() +
               "' is not a positive integer";
      shape.push_back(d);
    }
  }
  int64_t count = 1;
  for (int64_t d : shape)
    if (llvm::MulOverflow(count, d, count) || count > (int64_t(1) << 40))
      return "--input-shape '" + spec.str() + "' has too many elements";
  if (!options.inputShapes.emplace(name.str(), shape).second)
    return "--input-shape gives input '" + name.str() + "' twice";
  return "";
}

OwningOpRef<ModuleOp> importModel(StringRef bytes, StringRef modelName,
                                  MLIRContext &context,
                                  const ImportOptions &options) {
  DialectRegistry registry;
  registerImportDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();

  Location loc = NameLoc::get(StringAttr::get(&context, modelName));
  onnx::ModelProto model;
  if (bytes.empty()) {
    emitError(loc, "the file is empty, not an ONNX model");
    return nullptr;
  }
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(loc, "not a valid ONNX model: the protobuf data is malformed "
                   "or truncated");
    return nullptr;
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    emitError(loc, "not a valid ONNX model: it has no graph, or its graph "
                   "has no nodes (is the file truncated?)");
    return nullptr;
  }
  if (model.graph().output_size() == 0) {
    emitError(loc, "not a valid ONNX model: its graph has no outputs");
    return nullptr;
  }
  GraphImporter importer(context, modelName);
  return importer.import(model, options.inputShapes, options.functionName);
}

OwningOpRef<ModuleOp> importModelFile(StringRef path, MLIRContext &context,
                                      const ImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file) {
    emitError(NameLoc::get(StringAttr::get(&context, path)),
              "cannot read the file: " + file.getError().message());
    return nullptr;
  }
  return importModel((*file)->getBuffer(), path, context, options);
}

} // namespace onnx_import
} // namespace qnn
