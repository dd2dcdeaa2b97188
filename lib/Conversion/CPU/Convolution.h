//===- Convolution.h - Convolutions as im2col matmuls -----------*- C++ -*-===//
//
// The pieces of the im2col form of a convolution (ConvolutionKernels.cpp):
// what a convolution is in matmul terms (ConvolutionMatch.cpp) and the two
// operands of that matmul, the im2col matrix and the filter as weights
// (Im2col.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_CPU_CONVOLUTION_H
#define QNN_LIB_CONVERSION_CPU_CONVOLUTION_H

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace qnn {

/// Where the dimensions of a convolution's operands are.
struct ConvolutionLayout {
  /// Input and output are NCHW (else NHWC).
  bool channelsFirst;
  /// The filter is F x ... (FCHW, FHWC; else HWCF).
  bool filterChannelsFirst;
};

/// A convolution `init + conv(activations, filter)` with a constant filter,
/// in the terms of the matmul it becomes.
struct ConvolutionMatch {
  // Op and attribute handles: `mutable` because their accessors are not
  // const.
  mutable mlir::linalg::LinalgOp op;
  ConvolutionLayout layout;
  KernelKind kind;
  /// The tensor the im2col copy reads: the convolution's input, or the i8
  /// tensor it widens.
  mlir::Value activations;
  bool activationsSigned = true;
  /// Subtracted from every activation (the padding holds it, so that it
  /// contributes nothing): the kernel multiplies the stored values and the
  /// initial value takes `-zeroPoint * sum(filter[f])`.
  int64_t activationZeroPoint = 0;
  /// `-activationZeroPoint * sum(filter[f])` per output channel, when the
  /// zero point is not 0.
  llvm::SmallVector<int32_t> correction;
  mutable mlir::DenseElementsAttr filter;
  int64_t batch, channels, height, width;
  int64_t outChannels, outHeight, outWidth, kernelHeight, kernelWidth;
  int64_t strideH, strideW, dilationH, dilationW;

  int64_t rows() const { return batch * outHeight * outWidth; }
  int64_t reduction() const { return channels * kernelHeight * kernelWidth; }
  /// The channel dimension of the output.
  unsigned channelDim() const { return layout.channelsFirst ? 1 : 3; }
};

/// `op` in matmul terms, if it is a 2-D convolution with a constant filter,
/// static shapes and element kinds a kernel has (f32 x f32 -> f32; u8 or i8,
/// possibly widened and minus a constant zero point, x i8 -> i32).
std::optional<ConvolutionMatch> matchConvolution(mlir::linalg::LinalgOp op);

/// The im2col matrix of `match`: rows (n, oh, ow) by columns (kh, kw, c).
mlir::Value emitIm2col(mlir::OpBuilder &b, mlir::Location loc,
                       const ConvolutionMatch &match);

/// The filter as the weights of the matmul over `emitIm2col`'s matrix:
/// F x K for FCHW and FHWC filters, K x F for HWCF, the reduction in the
/// order (kh, kw, c).
mlir::DenseElementsAttr getIm2colWeights(const ConvolutionMatch &match);

} // namespace qnn

#endif // QNN_LIB_CONVERSION_CPU_CONVOLUTION_H
