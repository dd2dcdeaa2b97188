//===- Convolution.h - Convolution attributes and builders ------*- C++ -*-===//
//
// Conv, ConvTranspose, ConvInteger and QLinearConv share their attributes
// (pads, auto_pad, strides, dilations, group) and the 2-D forms they are
// built in: 1-D convolutions run as 2-D ones of height 1.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_CONVOLUTION_H
#define QNN_LIB_IMPORT_ONNX_CONVOLUTION_H

#include "GraphImporter.h"

namespace qnn {
namespace onnx_import {

/// The attributes of a 1-D or 2-D convolution, as 2-D (height 1 for 1-D).
struct ConvParams {
  bool is1D = false;
  int64_t batch = 0, channels = 0, outChannels = 0, groups = 1;
  int64_t inH = 0, inW = 0, kH = 0, kW = 0, outH = 0, outW = 0;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  /// Padding of the input: [top, bottom, left, right].
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  /// The part of padBottom / padRight that ceil_mode added (not counted by
  /// AveragePool's count_include_pad).
  int64_t extraBottom = 0, extraRight = 0;

  bool hasPadding() const { return padTop || padBottom || padLeft || padRight; }
  /// Input/output shape in NCHW.
  llvm::SmallVector<int64_t> inputShape() const {
    return {batch, channels, inH, inW};
  }
  llvm::SmallVector<int64_t> outputShape() const {
    return {batch, outChannels, outH, outW};
  }
};

/// Reads and checks the attributes of a convolution of input `x` and filter
/// `w` (shapes as in ONNX: [N, C, (H,) W] and [F, C / group, (KH,) KW]).
mlir::FailureOr<ConvParams> getConvParams(NodeContext &node,
                                          llvm::ArrayRef<int64_t> x,
                                          llvm::ArrayRef<int64_t> w);

/// The pooling window attributes in the same form (kernel_shape instead of
/// a filter; no channels check).
mlir::FailureOr<ConvParams> getPoolParams(NodeContext &node,
                                          llvm::ArrayRef<int64_t> x);

/// `y[n, f, ...] + bias[f]`: a generic reading the bias along dimension 1.
mlir::Value buildChannelBias(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value y, mlir::Value bias);

} // namespace onnx_import
} // namespace qnn

#endif // QNN_LIB_IMPORT_ONNX_CONVOLUTION_H
