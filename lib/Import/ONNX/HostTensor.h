//===- HostTensor.h - ONNX tensors held on the host -------------*- C++ -*-===//
//
// Initializers, Constant nodes and the results of folded shape subgraphs live
// on the host until an op needs them as MLIR values: shape arithmetic is then
// plain C++, and weights reach the IR as constants.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_HOSTTENSOR_H
#define QNN_LIB_IMPORT_ONNX_HOSTTENSOR_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace qnn {
namespace onnx_import {

/// An ONNX element type (`onnx::TensorProto_DataType`).
using DataType = int32_t;

/// Whether values of `dtype` are floating point (held in `real`).
bool isFloatType(DataType dtype);
/// Whether `dtype` is an integer type that is unsigned (uint8, ...).
bool isUnsignedType(DataType dtype);
/// The ONNX name of a data type, for messages ("float", "uint8", ...).
std::string getTypeName(DataType dtype);
/// The MLIR element type of `dtype` (signless integers; null if unknown).
mlir::Type getElementType(mlir::MLIRContext *context, DataType dtype);

/// The number of elements of a static shape.
int64_t getNumElements(llvm::ArrayRef<int64_t> shape);

/// A tensor's data on the host: floating types in `real` (already rounded to
/// the type's precision), integer and boolean types in `ints`.
struct HostTensor {
  DataType dtype = 0;
  llvm::SmallVector<int64_t> shape;
  std::vector<double> real;
  std::vector<int64_t> ints;

  HostTensor() = default;
  HostTensor(DataType dtype, llvm::ArrayRef<int64_t> shape);

  bool isFloat() const { return isFloatType(dtype); }
  int64_t size() const { return getNumElements(shape); }
  /// Element `i` (row-major) as a double / as an integer.
  double getReal(int64_t i) const;
  int64_t getInt(int64_t i) const;
  /// Stores `value` at `i`, rounded and wrapped as the type requires.
  void set(int64_t i, double value);
  void setInt(int64_t i, int64_t value);
  /// The same data converted to `dtype` (ONNX Cast semantics).
  HostTensor castTo(DataType dtype) const;
  /// All elements as integers / doubles.
  std::vector<int64_t> toInts() const;
  std::vector<double> toReals() const;

  /// The data as a dense attribute of the tensor's MLIR type.
  mlir::DenseElementsAttr toAttr(mlir::MLIRContext *context) const;
};

/// Reads an initializer or Constant tensor. Fails with a message in `error`
/// for data of the wrong size, external data and unsupported types.
bool readTensorProto(const onnx::TensorProto &proto, HostTensor &tensor,
                     std::string &error);

/// `t` with its dimensions permuted (result dimension i is dimension
/// `perm[i]`); ConstantFolding.cpp.
HostTensor transposeHost(const HostTensor &t, llvm::ArrayRef<int64_t> perm);

/// A rank-1 int64 tensor / a scalar of `dtype`.
HostTensor makeIntVector(llvm::ArrayRef<int64_t> values);
HostTensor makeScalar(DataType dtype, double value);

} // namespace onnx_import
} // namespace qnn

#endif // QNN_LIB_IMPORT_ONNX_HOSTTENSOR_H
