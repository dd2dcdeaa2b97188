//===- IntegerTensors.h - Storage integers on tensors -----------*- C++ -*-===//
//
// What the integer lowerings share: widening stored integers with their
// signedness, the bit patterns of storage constants, and elementwise
// linalg.generic ops whose body reads per-channel parameters (scales, zero
// points, fixed-point multipliers), so that every granularity is one op.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_INTEGERTENSORS_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_INTEGERTENSORS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include <optional>

namespace qnn {

/// Extends the stored integer `value` (a scalar of `type`'s storage width)
/// to `wideType`: `extsi` for signed, `extui` for unsigned storage (u8 is
/// kept in signless i8). Returns `value` when it already has that width.
mlir::Value widenStored(mlir::OpBuilder &builder, mlir::Location loc,
                        mlir::Value value, mlir::quant::QuantizedType type,
                        mlir::IntegerType wideType);

/// The signless storage bit pattern of the storage-range integer `value`
/// (255 for u8 is the i8 attribute -1).
mlir::IntegerAttr getStorageAttr(mlir::OpBuilder &builder,
                                 mlir::quant::QuantizedType type,
                                 int64_t value);

/// An `arith.constant` of `value` with integer or float type `type`.
mlir::Value createScalarConstant(mlir::OpBuilder &builder, mlir::Location loc,
                                 mlir::Type type, int64_t value);

/// The type zero-point-corrected values `q - z` of `type` need: i16 for
/// storage of up to 8 bits, i32 above (|q - z| < 2^16 for 16-bit storage).
mlir::IntegerType getCenteredType(mlir::quant::QuantizedType type);

/// A parameter of an elementwise body: one value for every element, or one
/// per index of the channel axis.
struct ChannelParam {
  mlir::Type type;
  llvm::SmallVector<mlir::Attribute> values;

  static ChannelParam ints(mlir::Type type, llvm::ArrayRef<int64_t> values);
  static ChannelParam floats(mlir::Type type, llvm::ArrayRef<double> values);
  /// Whether every channel has the same value: the body then uses a scalar
  /// constant instead of reading a tensor.
  bool isUniform() const;
};

/// An input of a generic and its indexing map; a null map is the identity.
struct GenericInput {
  mlir::Value value;
  mlir::AffineMap map;
};

/// The body of an elementwise generic: the elements of the inputs and the
/// parameters, in the order given; returns the result element.
using ChannelBody = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange inputs,
    mlir::ValueRange params)>;

/// Builds an all-parallel `linalg.generic` over `sizes` producing a tensor of
/// `elementType`. Uniform parameters are scalar constants in the body; the
/// others are constant 1-D tensors read through `(d...) -> (d_axis)`, so
/// `axis` must be set when any parameter is per channel.
mlir::Value buildChannelwiseGeneric(
    mlir::OpBuilder &builder, mlir::Location loc,
    llvm::ArrayRef<mlir::OpFoldResult> sizes, mlir::Type elementType,
    llvm::ArrayRef<GenericInput> inputs, std::optional<int64_t> axis,
    llvm::ArrayRef<ChannelParam> params, ChannelBody body);

/// `widen(q) - z` for every element of the storage tensor `value` of the
/// per-tensor or per-axis `type` (z indexed by its quantized dimension), as
/// a tensor of `getCenteredType(type)`: signed integers that the named
/// linalg ops, which sign-extend, read correctly whatever the storage.
mlir::Value buildCenteredTensor(mlir::OpBuilder &builder, mlir::Location loc,
                                mlir::Value value,
                                mlir::quant::QuantizedType type);

/// `arith.maxsi(arith.minsi(x, hi), lo)`.
mlir::Value buildClamp(mlir::OpBuilder &builder, mlir::Location loc,
                       mlir::Value x, mlir::Value lo, mlir::Value hi);

} // namespace qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_INTEGERTENSORS_H
