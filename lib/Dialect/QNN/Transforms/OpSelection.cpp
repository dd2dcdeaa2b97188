//===- OpSelection.cpp - Which ops qnn-quantize rewrites ------------------===//

#include "OpSelection.h"
#include "ContractionForm.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace qnn {

/// Dialects whose names start op names: a list entry `tosa.sigmoid` names an
/// op (and is checked against the quantizable ones), while `fc1.relu` or
/// `layer1.0.conv` is a location name.
static constexpr llvm::StringLiteral kKnownDialects[] = {
    "affine", "arith",         "bufferization", "builtin", "cf",
    "func",   "index",         "linalg",        "math",    "memref",
    "mhlo",   "onnx",          "qnn",           "quant",   "scf",
    "shape",  "sparse_tensor", "stablehlo",     "tensor",  "tf",
    "tfl",    "torch",         "tosa",          "ub",      "vector"};

std::optional<std::string> findListEntryProblem(StringRef name,
                                                StringRef list) {
  if (name.empty() || llvm::any_of(name, [](char c) {
        return llvm::isSpace(c) || !llvm::isPrint(c);
      }))
    return llvm::formatv("'{0}' in the {1} list is neither an op name nor a "
                         "location name",
                         name, list)
        .str();
  if (!getSelectedOpNames(name).empty())
    return std::nullopt;
  auto [dialect, rest] = name.split('.');
  if (!rest.empty() && llvm::is_contained(kKnownDialects, dialect))
    return llvm::formatv("op '{0}' in the {1} list cannot be quantized", name,
                         list)
        .str();
  return std::nullopt;
}

bool isSelectedByLists(Operation *op, StringRef name,
                       ArrayRef<std::string> onlyOps,
                       ArrayRef<std::string> excludeOps) {
  auto matches = [&](ArrayRef<std::string> list) {
    return llvm::any_of(list, [&](const std::string &entry) {
      return entry == name || llvm::is_contained(getSelectedOpNames(entry),
                                                 op->getName().getStringRef());
    });
  };
  if (!onlyOps.empty() && !matches(onlyOps))
    return false;
  return !matches(excludeOps);
}

} // namespace qnn
