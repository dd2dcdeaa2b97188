//===- TensorQuantizer.h - Quantize whole tensors by blocks -----*- C++ -*-===//
//
// Per-tensor, per-axis and per-group quantization are one mechanism: the
// tensor is cut into equal blocks and every block gets its own parameters.
// Per-tensor is one block; per-axis is blocks of extent 1 along the axis;
// per-group additionally cuts another axis (usually the reduction axis) into
// groups of `groupSize` elements.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_TENSORQUANTIZER_H
#define QNN_QUANT_TENSORQUANTIZER_H

#include "qnn/Quant/QuantParams.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace qnn::quantmath {

/// Which elements share one (scale, zeroPoint).
struct Granularity {
  enum class Kind { PerTensor, PerAxis, PerGroup };
  Kind kind = Kind::PerTensor;
  /// PerAxis and PerGroup: the channel axis (one block per index).
  int64_t axis = 0;
  /// PerGroup: the axis cut into groups, and the group extent along it.
  int64_t groupAxis = 0;
  int64_t groupSize = 0;

  static Granularity perTensor() { return {}; }
  static Granularity perAxis(int64_t axis) {
    return {Kind::PerAxis, axis, 0, 0};
  }
  static Granularity perGroup(int64_t axis, int64_t groupAxis,
                              int64_t groupSize) {
    return {Kind::PerGroup, axis, groupAxis, groupSize};
  }

  /// The extent of one block along every dimension of `shape`, or an error
  /// when the granularity does not fit the shape (axis out of range, group
  /// size not dividing its axis, ...).
  llvm::Expected<llvm::SmallVector<int64_t>>
  blockShape(llvm::ArrayRef<int64_t> shape) const;
};

/// A quantized tensor: integers plus the parameters of each block.
struct QuantizedTensor {
  llvm::SmallVector<int64_t> shape;
  /// Block extent per dimension; `params` is laid out row-major over the
  /// grid of blocks, whose extent along dimension d is shape[d] / block[d].
  llvm::SmallVector<int64_t> blockShape;
  std::vector<QuantParams> params;
  /// The stored integers, row-major in `shape`.
  std::vector<int32_t> values;
  QuantSpec spec;

  /// The grid of blocks (shape[d] / blockShape[d] per dimension).
  llvm::SmallVector<int64_t> blockGrid() const;
  /// The parameters that apply to the element at row-major `index`.
  const QuantParams &paramsAt(int64_t index) const;
};

/// Quantizes `data` (row-major in `shape`). Fails, naming the first offending
/// element, on NaN or infinity; fails on a granularity that does not fit
/// `shape` or storage it does not support.
llvm::Expected<QuantizedTensor> quantizeTensor(llvm::ArrayRef<float> data,
                                               llvm::ArrayRef<int64_t> shape,
                                               const Granularity &granularity,
                                               const QuantSpec &spec);

/// W_hat: the reals the quantized tensor stands for.
std::vector<float> dequantizeTensor(const QuantizedTensor &tensor);

} // namespace qnn::quantmath

#endif // QNN_QUANT_TENSORQUANTIZER_H
