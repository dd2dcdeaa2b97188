//===- Array.cpp - Dense n-dimensional arrays of the runner ---------------===//

#include "qnn/Runner/Array.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"

#include <cassert>
#include <cstring>

namespace qnn::runner {

llvm::StringRef dtypeName(DType dtype) {
  switch (dtype) {
  case DType::Float32:
    return "float32";
  case DType::Float64:
    return "float64";
  case DType::Int8:
    return "int8";
  case DType::UInt8:
    return "uint8";
  case DType::Int16:
    return "int16";
  case DType::Int32:
    return "int32";
  case DType::Int64:
    return "int64";
  case DType::Bool:
    return "bool";
  }
  llvm_unreachable("unknown dtype");
}

int64_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::Int8:
  case DType::UInt8:
  case DType::Bool:
    return 1;
  case DType::Int16:
    return 2;
  case DType::Float32:
  case DType::Int32:
    return 4;
  case DType::Float64:
  case DType::Int64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

bool isFloatingPoint(DType dtype) {
  return dtype == DType::Float32 || dtype == DType::Float64;
}

std::optional<DType> parseDTypeName(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<DType>>(name)
      .Case("float32", DType::Float32)
      .Case("float64", DType::Float64)
      .Case("int8", DType::Int8)
      .Case("uint8", DType::UInt8)
      .Case("int16", DType::Int16)
      .Case("int32", DType::Int32)
      .Case("int64", DType::Int64)
      .Case("bool", DType::Bool)
      .Default(std::nullopt);
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (i)
      text += 'x';
    text += dim < 0 ? std::string("?") : std::to_string(dim);
  }
  return text;
}

int64_t numElementsOf(llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

Array::Array(DType dtype, llvm::ArrayRef<int64_t> shape)
    : elementType(dtype), dims(shape),
      storage(static_cast<size_t>(numElementsOf(shape) * dtypeSize(dtype))) {
  assert(llvm::all_of(shape, [](int64_t d) { return d >= 0; }) &&
         "negative dimension");
}

template <typename T> static double load(const uint8_t *p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return static_cast<double>(value);
}

double Array::elementAsDouble(int64_t i) const {
  const uint8_t *p = storage.data() + i * dtypeSize(elementType);
  switch (elementType) {
  case DType::Float32:
    return load<float>(p);
  case DType::Float64:
    return load<double>(p);
  case DType::Int8:
    return load<int8_t>(p);
  case DType::UInt8:
    return load<uint8_t>(p);
  case DType::Int16:
    return load<int16_t>(p);
  case DType::Int32:
    return load<int32_t>(p);
  case DType::Int64:
    return load<int64_t>(p);
  case DType::Bool:
    return *p ? 1.0 : 0.0;
  }
  llvm_unreachable("unknown dtype");
}

void Array::reshape(llvm::ArrayRef<int64_t> shape) {
  assert(numElementsOf(shape) == numElements() && "reshape changes the size");
  dims.assign(shape.begin(), shape.end());
}

Array Array::sliceRows(int64_t begin, int64_t count,
                       int64_t paddedCount) const {
  assert(rank() >= 1 && begin >= 0 && count >= 0 && paddedCount >= count &&
         begin + count <= dims[0] && "rows out of range");
  llvm::SmallVector<int64_t, 4> shape(dims);
  shape[0] = paddedCount;
  Array slice(elementType, shape);
  int64_t rowBytes = dims[0] ? byteSize() / dims[0] : 0;
  if (count)
    std::memcpy(slice.data(), data() + begin * rowBytes, count * rowBytes);
  return slice;
}

llvm::Expected<Array> Array::concatRows(llvm::ArrayRef<Array> parts) {
  if (parts.empty())
    return llvm::createStringError("no arrays to concatenate");
  const Array &first = parts.front();
  if (first.rank() == 0)
    return llvm::createStringError(
        "cannot concatenate scalars along a leading dimension");
  int64_t rows = 0;
  for (const Array &part : parts) {
    if (part.dtype() != first.dtype() ||
        part.shape().drop_front() != first.shape().drop_front())
      return llvm::createStringError(
          "cannot concatenate a %s %s array to a %s %s array",
          dtypeName(part.dtype()).str().c_str(),
          formatShape(part.shape()).c_str(),
          dtypeName(first.dtype()).str().c_str(),
          formatShape(first.shape()).c_str());
    rows += part.shape()[0];
  }
  llvm::SmallVector<int64_t, 4> shape(first.shape());
  shape[0] = rows;
  Array result(first.dtype(), shape);
  uint8_t *out = result.data();
  for (const Array &part : parts) {
    if (part.byteSize())
      std::memcpy(out, part.data(), part.byteSize());
    out += part.byteSize();
  }
  return result;
}

} // namespace qnn::runner
