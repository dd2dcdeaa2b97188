//===- Array.h - Dense n-dimensional arrays of the runner -------*- C++ -*-===//
//
// The runner's value type: a C-ordered array of one of the numpy dtypes
// qnn-run reads and writes. It owns its bytes; the JIT copies them into the
// memref buffers it passes to compiled code and copies results back out.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_ARRAY_H
#define QNN_RUNNER_ARRAY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qnn::runner {

/// The element types of .npy files the runner supports.
enum class DType { Float32, Float64, Int8, UInt8, Int16, Int32, Int64, Bool };

/// numpy's name of `dtype` ("float32", "int8", "bool", ...).
llvm::StringRef dtypeName(DType dtype);

/// Bytes per element.
int64_t dtypeSize(DType dtype);

bool isFloatingPoint(DType dtype);

/// The dtype numpy calls `name`, if the runner supports it.
std::optional<DType> parseDTypeName(llvm::StringRef name);

/// "2x3x4", "scalar" for rank 0: how shapes appear in messages.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Number of elements of `shape` (1 for rank 0).
int64_t numElementsOf(llvm::ArrayRef<int64_t> shape);

/// A dense, C-ordered (row-major) array that owns its elements.
class Array {
public:
  /// An empty float32 array of shape [0].
  Array() : Array(DType::Float32, {0}) {}
  /// A zero-filled array.
  Array(DType dtype, llvm::ArrayRef<int64_t> shape);

  DType dtype() const { return elementType; }
  llvm::ArrayRef<int64_t> shape() const { return dims; }
  int64_t rank() const { return static_cast<int64_t>(dims.size()); }
  int64_t numElements() const { return numElementsOf(dims); }
  int64_t byteSize() const { return static_cast<int64_t>(storage.size()); }

  uint8_t *data() { return storage.data(); }
  const uint8_t *data() const { return storage.data(); }
  llvm::ArrayRef<uint8_t> bytes() const { return storage; }

  /// The elements as `T`, which must be the C++ type of `dtype()`.
  template <typename T> llvm::ArrayRef<T> values() const {
    return {reinterpret_cast<const T *>(storage.data()),
            static_cast<size_t>(numElements())};
  }
  template <typename T> llvm::MutableArrayRef<T> values() {
    return {reinterpret_cast<T *>(storage.data()),
            static_cast<size_t>(numElements())};
  }

  /// Element `i` (in C order) converted to double, whatever the dtype.
  double elementAsDouble(int64_t i) const;

  /// The same elements with another shape of the same element count.
  void reshape(llvm::ArrayRef<int64_t> shape);

  /// Rows [begin, begin + count) of the leading dimension, zero-padded to
  /// `paddedCount` rows (>= count).
  Array sliceRows(int64_t begin, int64_t count, int64_t paddedCount) const;

  /// `parts` joined along the leading dimension; they must agree in dtype
  /// and in every other dimension.
  static llvm::Expected<Array> concatRows(llvm::ArrayRef<Array> parts);

  bool operator==(const Array &other) const {
    return elementType == other.elementType && dims == other.dims &&
           storage == other.storage;
  }

private:
  DType elementType;
  llvm::SmallVector<int64_t, 4> dims;
  // 8-byte aligned through the allocator; the JIT copies into its own
  // aligned buffers anyway.
  std::vector<uint8_t> storage;
};

/// An array with the name it is known by: its .npz member name, or a
/// description such as "test-set.npz:images" used in messages.
struct NamedArray {
  std::string name;
  Array array;
};

} // namespace qnn::runner

#endif // QNN_RUNNER_ARRAY_H
