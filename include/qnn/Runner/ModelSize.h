//===- ModelSize.h - Bytes of the constants a module holds ------*- C++ -*-===//
//
// The model size `qnn-run --bench` prints: what the constants of a module
// (weights, biases, lookup tables) take in storage, split by element kind,
// so that an fp32 model and its int8 version compare side by side.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_MODELSIZE_H
#define QNN_RUNNER_MODELSIZE_H

#include "llvm/Support/JSON.h"

#include <cstdint>
#include <map>
#include <string>

namespace mlir {
class Operation;
} // namespace mlir

namespace qnn::runner {

struct ConstantBytes {
  /// Constants counted (dense attributes of any op).
  int64_t constants = 0;
  /// Bytes of constant data by stored element type ("f32", "i8", ...): a
  /// quantized constant counts as its storage type. A splat counts one
  /// element, as it is stored.
  std::map<std::string, int64_t> bytesByElement;
  /// Scales (4 bytes each, as qnn-report counts them) and non-zero zero
  /// points of quantized constants.
  int64_t quantParamBytes = 0;

  int64_t total() const;
};

/// Counts the constants of every op nested in `root`.
ConstantBytes measureConstants(mlir::Operation *root);

llvm::json::Value toJSON(const ConstantBytes &bytes);

} // namespace qnn::runner

#endif // QNN_RUNNER_MODELSIZE_H
