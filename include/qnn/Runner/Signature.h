//===- Signature.h - What an entry function takes and returns ---*- C++ -*-===//
//
// The arguments and results of the function the runner calls, described
// without MLIR types, so that the checks on inputs and the batching rules
// can be tested (and reused) without compiling anything.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_SIGNATURE_H
#define QNN_RUNNER_SIGNATURE_H

#include "qnn/Runner/Array.h"

#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace qnn::runner {

/// One argument or result: a ranked tensor (or memref) or a scalar.
struct TensorSpec {
  /// Marks a dynamic dimension in `shape`.
  static constexpr int64_t kDynamic = -1;

  DType dtype = DType::Float32;
  /// Empty for scalars and rank-0 tensors.
  llvm::SmallVector<int64_t, 4> shape;
  /// A scalar (i32, f32, index...), passed by value rather than as a memref.
  bool isScalar = false;
  /// A signless 8-bit integer: int8 and uint8 arrays both fit.
  bool signless = false;
  /// The type as the IR writes it, for messages ("tensor<360x64xf32>").
  std::string typeText;

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  bool hasStaticShape() const;
  /// Whether an array of `dtype` may be passed for this argument.
  bool acceptsDType(DType dtype) const;
};

/// The entry function of a compiled module.
struct Signature {
  std::string entry;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

} // namespace qnn::runner

#endif // QNN_RUNNER_SIGNATURE_H
