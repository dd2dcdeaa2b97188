//===- WeightQuantization.h - Find and quantize weights ---------*- C++ -*-===//
//
// What qnn-quantize-weights (W8A32) and qnn-quantize (W8A8) share: which
// operand of an op is its weight and which axes of it are output and input
// channels, reading f32 constants, and building the `qnn.constant` that
// holds a tensor quantized by the math library.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_WEIGHTQUANTIZATION_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_WEIGHTQUANTIZATION_H

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Quant/TensorQuantizer.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <string>
#include <vector>

namespace qnn {

/// The weight operand of an op and the roles of its axes.
struct WeightOperand {
  mlir::OpOperand *operand = nullptr;
  /// The axis indexing output channels, if the weight has one.
  std::optional<int64_t> channelAxis;
  /// The axis summed over together with the activation's channels (the
  /// input-channel axis), along which per-group quantization cuts groups.
  std::optional<int64_t> groupAxis;
};

/// Whether `value` is produced by a constant-like op.
bool isConstantValue(mlir::Value value);

/// Reads the axes of the `weight` operand of a linalg contraction or
/// convolution from the indexing maps: an output channel is a parallel loop
/// the weight shares with the output but not with the activation (n of a
/// matmul, f of a convolution); failing that, a parallel loop shared by all
/// three (the channel of a depthwise convolution). The group axis is a
/// reduction loop that indexes the activation directly (k, or the input
/// channel c; not a window loop, which appears in the activation as
/// oh + kh).
WeightOperand weightAxesFromIndexingMaps(mlir::linalg::LinalgOp op,
                                         mlir::OpOperand *weight);

/// Finds the weight of `op` if it is an op whose weights qnn-quantize-weights
/// knows (linalg contractions and convolutions with two inputs, TOSA matmul
/// and convolutions). Returns nullopt for ops that have no weights.
std::optional<WeightOperand> findWeight(mlir::Operation *op);

/// The reals of a constant attribute, or nullopt when they are not f32 data
/// that can be read (another element type, an elided resource).
std::optional<std::vector<float>> readFloatConstant(mlir::Attribute attr);

/// Where `data` (row-major in `shape`) first holds NaN or infinity, in the
/// math library's words (`element [0, 1] is NaN`), or nullopt if nowhere.
std::optional<std::string> findNonFiniteElement(llvm::ArrayRef<float> data,
                                                llvm::ArrayRef<int64_t> shape);

/// `data` (row-major in `shape`) with its dimensions permuted:
/// result dimension i is input dimension `permutation[i]`.
std::vector<float> transposeData(llvm::ArrayRef<float> data,
                                 llvm::ArrayRef<int64_t> shape,
                                 llvm::ArrayRef<int64_t> permutation);

/// The `!quant.uniform` element type describing `tensor` (per tensor, per
/// axis or sub-channel, as `granularity` says), with the integer range of
/// its spec.
mlir::Type buildQuantizedElementType(mlir::MLIRContext *context,
                                     const quantmath::QuantizedTensor &tensor,
                                     const quantmath::Granularity &granularity);

/// The stored integers as an attribute of the storage type; unsigned storage
/// is spelled ui8/ui4 so that the IR shows 255, not -1.
mlir::DenseIntElementsAttr
buildStorageAttr(mlir::MLIRContext *context,
                 const quantmath::QuantizedTensor &tensor);

/// Quantizes `reals` (row-major in `shape`) with the math library and builds
/// the `qnn.constant` holding them, with the error statistics of
/// W_hat - W in its `error` attribute and the spec's compat mode, if any, in
/// its `compat` attribute. The type's storage range is the spec's
/// (`QuantSpec::minValue`, reduced ranges included). Fails with the library's
/// message (NaN or infinity, naming the element; a granularity that does not
/// fit).
llvm::Expected<ConstantOp> buildQuantizedConstant(
    mlir::OpBuilder &builder, mlir::Location loc, llvm::ArrayRef<float> reals,
    llvm::ArrayRef<int64_t> shape, const quantmath::Granularity &granularity,
    const quantmath::QuantSpec &spec);

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_WEIGHTQUANTIZATION_H
