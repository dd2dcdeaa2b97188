//===- DataMovementOps.cpp - Pooling and padding --------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace qnn;

/// Shared by max and average pooling: window attributes, an output shape
/// that follows from them, and one element type in and out.
static LogicalResult verifyPool2D(Operation *op, RankedTensorType inputType,
                                  RankedTensorType resultType,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> padding,
                                  DataFormat format) {
  if (inputType.getElementType() != resultType.getElementType())
    return op->emitOpError("result must have the input's element type ")
           << inputType.getElementType();
  if (!isPerTensorOrPerAxis(getQuantizedElementType(inputType)))
    return op->emitOpError("input must be quantized per tensor or per axis");
  if (inputType.getRank() != 4 || resultType.getRank() != 4)
    return op->emitOpError("input and result must have rank 4");
  if (kernel.size() != 2 || strides.size() != 2 || padding.size() != 4)
    return op->emitOpError("expects 2 kernel sizes, 2 strides and 4 "
                           "paddings");
  if (llvm::any_of(kernel, [](int64_t k) { return k <= 0; }) ||
      llvm::any_of(strides, [](int64_t s) { return s <= 0; }))
    return op->emitOpError("kernel sizes and strides must be positive");
  // Padding at least a kernel wide would make windows of padding only, whose
  // maximum or mean is undefined.
  if (llvm::any_of(padding, [](int64_t p) { return p < 0; }) ||
      padding[0] >= kernel[0] || padding[1] >= kernel[0] ||
      padding[2] >= kernel[1] || padding[3] >= kernel[1])
    return op->emitOpError("padding must be non-negative and smaller than "
                           "the kernel");

  bool nhwc = format == DataFormat::NHWC;
  int64_t h = nhwc ? 1 : 2, w = nhwc ? 2 : 3;
  auto extent = [&](int64_t input, int64_t before, int64_t after, int64_t size,
                    int64_t stride) {
    if (ShapedType::isDynamic(input))
      return ShapedType::kDynamic;
    return (input + before + after - size) / stride + 1;
  };
  SmallVector<int64_t> expected(inputType.getShape());
  expected[h] = extent(inputType.getDimSize(h), padding[0], padding[1],
                       kernel[0], strides[0]);
  expected[w] = extent(inputType.getDimSize(w), padding[2], padding[3],
                       kernel[1], strides[1]);
  for (auto [got, want] : llvm::zip_equal(resultType.getShape(), expected))
    if (!ShapedType::isDynamic(got) && !ShapedType::isDynamic(want) &&
        got != want)
      return op->emitOpError("result shape [")
             << resultType.getShape() << "] does not match the expected ["
             << ArrayRef<int64_t>(expected) << "]";
  return success();
}

LogicalResult MaxPool2DOp::verify() {
  return verifyPool2D(*this, getInput().getType(), getType(), getKernel(),
                      getStrides(), getPadding(), getDataFormat());
}

LogicalResult AvgPool2DOp::verify() {
  return verifyPool2D(*this, getInput().getType(), getType(), getKernel(),
                      getStrides(), getPadding(), getDataFormat());
}

LogicalResult PadOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getType();
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError("result must have the input's element type ")
           << inputType.getElementType();
  int64_t rank = inputType.getRank();
  if (static_cast<int64_t>(getLow().size()) != rank ||
      static_cast<int64_t>(getHigh().size()) != rank ||
      resultType.getRank() != rank)
    return emitOpError("low and high must have one entry per dimension (")
           << rank << ")";
  for (int64_t d = 0; d < rank; ++d) {
    if (getLow()[d] < 0 || getHigh()[d] < 0)
      return emitOpError("padding must not be negative");
    int64_t in = inputType.getDimSize(d), out = resultType.getDimSize(d);
    if (!ShapedType::isDynamic(in) && !ShapedType::isDynamic(out) &&
        out != in + getLow()[d] + getHigh()[d])
      return emitOpError("result dimension ")
             << d << " should be " << in + getLow()[d] + getHigh()[d]
             << ", got " << out;
  }
  return success();
}
