//===- QuantizedLayout.h - Quantization parameters of a tensor --*- C++ -*-===//
//-*-===//
//
// Per-tensor, per-axis and sub-channel types differ only in which elements
// share a scale and zero point. This describes that sharing as one iteration
// space plus an indexing map into parameter tensors, so that quantize and
// dequantize are each built by a single routine.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_QUANTIZEDLAYOUT_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_QUANTIZEDLAYOUT_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"

#include <string>

namespace qnn {

/// Where the parameters of a quantized type apply over a tensor (or scalar)
/// of that type.
struct QuantizedLayout {
  mlir::quant::QuantizedType type;
  /// Rank of the original tensor (0 for a scalar).
  int64_t sourceRank = 0;
  /// The iteration space: the tensor shape with every dimension cut into
  /// several groups of more than one element split into [groups, group size].
  llvm::SmallVector<int64_t> iterationShape;
  /// The tensor dimension each iteration dimension comes from.
  llvm::SmallVector<int64_t> sourceDims;
  /// Groups iteration dimensions into tensor dimensions
  /// (`tensor.expand_shape` / `collapse_shape`); empty when nothing is split.
  llvm::SmallVector<mlir::ReassociationIndices> reassociation;
  /// Shape of the parameter tensors and the iteration dimension indexing
  /// each of their dimensions; empty for one parameter pair.
  llvm::SmallVector<int64_t> paramsShape;
  llvm::SmallVector<unsigned> paramsDims;
  /// Scales and zero points, row-major over `paramsShape`.
  llvm::SmallVector<double> scales;
  llvm::SmallVector<int64_t> zeroPoints;

  bool isSplit() const { return !reassociation.empty(); }
  /// Whether every element shares one scale (zero point): then the
  /// parameter is a scalar constant instead of a tensor.
  bool hasSingleScale() const;
  bool hasSingleZeroPoint() const;
  /// Whether every zero point is 0, so that no subtraction is needed.
  bool hasZeroZeroPoints() const;
  /// The map from the iteration space to the parameter tensors.
  mlir::AffineMap getParamsMap(mlir::MLIRContext *context) const;
};

/// Computes the layout of `type`'s quantization parameters for a value of
/// type `valueType` (a ranked tensor of `type`, or `type` itself). On
/// failure returns failure and sets `why` to a message suitable for a
/// diagnostic. Handles only `!quant.uniform` types with a float expressed
/// type; sub-channel dimensions cut into several groups must be static.
mlir::FailureOr<QuantizedLayout> getQuantizedLayout(mlir::Type valueType,
                                                    std::string &why);

} // namespace qnn

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_QUANTIZEDLAYOUT_H
