//===- qnn-import-onnx.cpp - ONNX model to MLIR
//-----------------------------===//
//
// qnn-import-onnx model.onnx [--input-shape name=1x3x224x224] [-o model.mlir]
//
//===----------------------------------------------------------------------===//

#include "qnn/Import/ONNX/Import.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory category("qnn-import-onnx options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static shape of a graph input: name=1x3x48x192 "
                         "(repeatable; required for dynamic dimensions)"),
                cl::value_desc("name=dims"), cl::cat(category));
static cl::opt<std::string> functionName("function",
                                         cl::desc("Name of the function"),
                                         cl::init("main"), cl::cat(category));
static cl::opt<bool>
    printDebugInfo("mlir-print-debuginfo",
                   cl::desc("Print the value names (locations) of the ops"),
                   cl::init(false), cl::cat(category));

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "ONNX model -> fp32 MLIR (func, linalg, tensor, "
                              "arith, math; qnn/quant for quantized models)\n");

  qnn::onnx_import::ImportOptions options;
  options.functionName = functionName;
  for (const std::string &spec : inputShapes) {
    std::string message = qnn::onnx_import::parseInputShape(spec, options);
    if (!message.empty()) {
      errs() << "qnn-import-onnx: error: " << message << "\n";
      return 1;
    }
  }

  mlir::MLIRContext context;
  context.printOpOnDiagnostic(false);
  mlir::ScopedDiagnosticHandler handler(
      &context, [](mlir::Diagnostic &diagnostic) {
        std::string where;
        if (auto name = dyn_cast<mlir::NameLoc>(diagnostic.getLocation()))
          where = name.getName().str() + ": ";
        StringRef severity =
            diagnostic.getSeverity() == mlir::DiagnosticSeverity::Error
                ? "error"
            : diagnostic.getSeverity() == mlir::DiagnosticSeverity::Warning
                ? "warning"
                : "note";
        errs() << where << severity << ": " << diagnostic.str() << "\n";
        for (const mlir::Diagnostic &note : diagnostic.getNotes())
          errs() << where << "note: " << note.str() << "\n";
        return mlir::success();
      });

  mlir::OwningOpRef<mlir::ModuleOp> module =
      qnn::onnx_import::importModelFile(inputFile, context, options);
  if (!module)
    return 1;
  if (failed(mlir::verify(*module))) {
    errs() << inputFile
           << ": error: the imported module does not verify (an importer "
              "bug; please report it with the model)\n";
    return 1;
  }

  std::string error;
  std::unique_ptr<ToolOutputFile> output =
      mlir::openOutputFile(outputFile, &error);
  if (!output) {
    errs() << "qnn-import-onnx: error: " << error << "\n";
    return 1;
  }
  mlir::OpPrintingFlags flags;
  if (printDebugInfo)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  module->print(output->os(), flags);
  output->keep();
  return 0;
}
