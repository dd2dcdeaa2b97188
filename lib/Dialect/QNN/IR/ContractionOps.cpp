//===- ContractionOps.cpp - Integer matmul and convolution ----------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace qnn;

namespace {

/// What a contraction's verifier needs to know about its operand layout.
struct ContractionLayout {
  /// The dimension of the rhs (weights) holding output channels.
  int64_t rhsChannelDim;
  /// The dimension of the result holding output channels.
  int64_t resultChannelDim;
};

/// Checks the types that every contraction shares: a per-tensor lhs, a
/// per-tensor or per-channel rhs with narrow integer storage, and an int32
/// accumulator result (and bias) whose scale is the product of the operands'.
LogicalResult verifyContractionTypes(Operation *op, Value lhs, Value rhs,
                                     Value bias, Value result,
                                     ContractionLayout layout) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  auto resultType = cast<RankedTensorType>(result.getType());

  auto lhsQuant =
      dyn_cast<quant::UniformQuantizedType>(lhsType.getElementType());
  if (!lhsQuant)
    return op->emitOpError("first operand must be quantized per tensor, got ")
           << lhsType.getElementType();
  quant::QuantizedType rhsQuant = getQuantizedElementType(rhsType);
  if (!isPerTensorOrPerAxis(rhsQuant))
    return op->emitOpError("second operand must be quantized per tensor or "
                           "per axis, got ")
           << rhsQuant;
  std::optional<int32_t> rhsAxis = getQuantizedAxis(rhsQuant);
  if (rhsAxis && *rhsAxis != layout.rhsChannelDim)
    return op->emitOpError("second operand must be quantized along its "
                           "output-channel dimension ")
           << layout.rhsChannelDim << ", not " << *rhsAxis;
  for (quant::QuantizedType operand :
       {quant::QuantizedType(lhsQuant), rhsQuant})
    if (operand.getStorageTypeIntegralWidth() > 16)
      return op->emitOpError("operands must have integer storage of at most "
                             "16 bits, got ")
             << operand.getStorageType();
  if (lhsQuant.getExpressedType() != rhsQuant.getExpressedType())
    return op->emitOpError("operands must express the same float type");
  if (failed(verifyQuantizedTypeFitsShape([&] { return op->emitOpError(); },
                                          rhsQuant, rhsType.getShape())))
    return failure();

  quant::QuantizedType resultQuant = getQuantizedElementType(resultType);
  quant::QuantizedType expected = getAccumulatorType(
      lhsQuant, rhsQuant, static_cast<int32_t>(layout.resultChannelDim));
  auto mismatch = [&]() {
    return op->emitOpError("result must be the int32 accumulator ")
           << expected << ", got " << resultQuant;
  };
  if (!isPerTensorOrPerAxis(resultQuant) ||
      resultQuant.getStorageType() != expected.getStorageType() ||
      !resultQuant.isSigned() ||
      resultQuant.getExpressedType() != expected.getExpressedType() ||
      getQuantizedAxis(resultQuant) != getQuantizedAxis(expected) ||
      llvm::any_of(getZeroPoints(resultQuant),
                   [](int64_t zp) { return zp != 0; }))
    return mismatch();
  SmallVector<double> resultScales = getScales(resultQuant);
  SmallVector<double> expectedScales = getScales(expected);
  if (resultScales.size() != expectedScales.size() ||
      !llvm::all_of(llvm::zip_equal(resultScales, expectedScales),
                    [](auto pair) {
                      return scalesMatch(std::get<0>(pair), std::get<1>(pair));
                    }))
    return mismatch();

  if (!bias)
    return success();
  auto biasType = cast<RankedTensorType>(bias.getType());
  int64_t channels = resultType.getDimSize(layout.resultChannelDim);
  if (biasType.getRank() != 1 ||
      (!ShapedType::isDynamic(channels) &&
       !ShapedType::isDynamic(biasType.getDimSize(0)) &&
       biasType.getDimSize(0) != channels))
    return op->emitOpError("bias must be a 1-D tensor of ")
           << channels << " output channels, got " << biasType;
  quant::QuantizedType expectedBias = withQuantizedAxis(resultQuant, 0);
  if (biasType.getElementType() != expectedBias)
    return op->emitOpError("bias must have element type ")
           << expectedBias << ", got " << biasType.getElementType();
  return success();
}

/// Checks that `shape[dim]` (if static) is `expected` (if static).
bool compatible(int64_t extent, int64_t expected) {
  return ShapedType::isDynamic(extent) || ShapedType::isDynamic(expected) ||
         extent == expected;
}

} // namespace

//===----------------------------------------------------------------------===//
// MatmulOp and BatchMatmulOp
//===----------------------------------------------------------------------===//

/// [(B,) M, K] x [(B,) K, N] -> [(B,) M, N].
static LogicalResult verifyMatmulShapes(Operation *op, Value lhs, Value rhs,
                                        Value result, int64_t batchRank) {
  auto lhsShape = cast<RankedTensorType>(lhs.getType()).getShape();
  auto rhsShape = cast<RankedTensorType>(rhs.getType()).getShape();
  auto resultShape = cast<RankedTensorType>(result.getType()).getShape();
  int64_t rank = batchRank + 2;
  if (static_cast<int64_t>(lhsShape.size()) != rank ||
      static_cast<int64_t>(rhsShape.size()) != rank ||
      static_cast<int64_t>(resultShape.size()) != rank)
    return op->emitOpError("operands and result must have rank ") << rank;
  int64_t m = batchRank, k = batchRank + 1;
  for (int64_t b = 0; b < batchRank; ++b)
    if (!compatible(lhsShape[b], rhsShape[b]) ||
        !compatible(lhsShape[b], resultShape[b]))
      return op->emitOpError("batch dimensions do not match");
  if (!compatible(lhsShape[k], rhsShape[m]))
    return op->emitOpError("reduction dimensions do not match: ")
           << lhsShape[k] << " and " << rhsShape[m];
  if (!compatible(resultShape[m], lhsShape[m]) ||
      !compatible(resultShape[k], rhsShape[k]))
    return op->emitOpError("result shape does not match the operands");
  return success();
}

LogicalResult MatmulOp::verify() {
  if (failed(verifyMatmulShapes(*this, getLhs(), getRhs(), getResult(), 0)))
    return failure();
  return verifyContractionTypes(*this, getLhs(), getRhs(), getBias(),
                                getResult(), {1, 1});
}

LogicalResult BatchMatmulOp::verify() {
  if (failed(verifyMatmulShapes(*this, getLhs(), getRhs(), getResult(), 1)))
    return failure();
  return verifyContractionTypes(*this, getLhs(), getRhs(), getBias(),
                                getResult(), {2, 2});
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

/// The output extent of a convolution or pooling window along one dimension.
static int64_t windowOutputExtent(int64_t input, int64_t padBefore,
                                  int64_t padAfter, int64_t kernel,
                                  int64_t stride, int64_t dilation) {
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t padded = input + padBefore + padAfter;
  if (padded < span)
    return 0;
  return (padded - span) / stride + 1;
}

bool Conv2DOp::isDepthwise() {
  int64_t channels = getInput().getType().getDimSize(getChannelDim());
  return getGroups() > 1 && getGroups() == channels;
}

LogicalResult Conv2DOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType filterType = getFilter().getType();
  RankedTensorType resultType = getResult().getType();
  if (inputType.getRank() != 4 || filterType.getRank() != 4 ||
      resultType.getRank() != 4)
    return emitOpError("input, filter and result must have rank 4");
  if (getStrides().size() != 2 || getDilations().size() != 2 ||
      getPadding().size() != 4)
    return emitOpError("expects 2 strides, 2 dilations and 4 paddings");
  if (llvm::any_of(getStrides(), [](int64_t s) { return s <= 0; }) ||
      llvm::any_of(getDilations(), [](int64_t d) { return d <= 0; }))
    return emitOpError("strides and dilations must be positive");
  if (llvm::any_of(getPadding(), [](int64_t p) { return p < 0; }))
    return emitOpError("padding must not be negative");

  bool nhwc = getDataFormat() == DataFormat::NHWC;
  // Positions of (channels, height, width) in the image, and of (output
  // channels, input channels per group, kernel height, kernel width) in the
  // filter.
  int64_t c = nhwc ? 3 : 1, h = nhwc ? 1 : 2, w = nhwc ? 2 : 3;
  int64_t fOut = nhwc ? 3 : 0, fIn = nhwc ? 2 : 1, fH = nhwc ? 0 : 2,
          fW = nhwc ? 1 : 3;
  int64_t groups = getGroups();
  int64_t channels = inputType.getDimSize(c);
  int64_t outChannels = filterType.getDimSize(fOut);
  if (groups <= 0)
    return emitOpError("groups must be positive, got ") << groups;
  if (!ShapedType::isDynamic(channels) && channels % groups != 0)
    return emitOpError("groups ")
           << groups << " must divide the " << channels << " input channels";
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOpError("groups ") << groups << " must divide the "
                                  << outChannels << " output channels";
  if (!ShapedType::isDynamic(channels) &&
      !compatible(filterType.getDimSize(fIn), channels / groups))
    return emitOpError("filter must have ")
           << channels / groups << " input channels per group, got "
           << filterType.getDimSize(fIn);

  ArrayRef<int64_t> pad = getPadding();
  int64_t expectedH = windowOutputExtent(inputType.getDimSize(h), pad[0],
                                         pad[1], filterType.getDimSize(fH),
                                         getStrides()[0], getDilations()[0]);
  int64_t expectedW = windowOutputExtent(inputType.getDimSize(w), pad[2],
                                         pad[3], filterType.getDimSize(fW),
                                         getStrides()[1], getDilations()[1]);
  if (!compatible(resultType.getDimSize(0), inputType.getDimSize(0)) ||
      !compatible(resultType.getDimSize(c), outChannels) ||
      !compatible(resultType.getDimSize(h), expectedH) ||
      !compatible(resultType.getDimSize(w), expectedW))
    return emitOpError("result shape [")
           << resultType.getShape() << "] does not match the expected ["
           << inputType.getDimSize(0) << ", "
           << (nhwc ? expectedH : outChannels) << ", "
           << (nhwc ? expectedW : expectedH) << ", "
           << (nhwc ? outChannels : expectedW) << "]";
  return verifyContractionTypes(*this, getInput(), getFilter(), getBias(),
                                getResult(), {fOut, c});
}
