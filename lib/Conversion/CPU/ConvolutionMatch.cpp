//===- ConvolutionMatch.cpp - A convolution in matmul terms ---------------===//
//
// Which convolutions have an im2col form the kernels take, and their
// extents, strides and dilations, activations and filter in the terms of
// that matmul.
//
//===----------------------------------------------------------------------===//

#include "Convolution.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace qnn;

static std::optional<ConvolutionLayout> getLayout(linalg::LinalgOp op) {
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return ConvolutionLayout{true, true};
  if (isa<linalg::Conv2DNhwcFhwcOp>(op))
    return ConvolutionLayout{false, true};
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return ConvolutionLayout{false, false};
  return std::nullopt;
}

/// An i8 tensor widened elementwise, minus a zero point.
struct WidenedI8 {
  Value source;
  bool isSigned;
  int64_t zeroPoint = 0;
};

/// The i8 tensor that `value` widens elementwise (a linalg.generic of one
/// `arith.extui` / `arith.extsi`, then possibly the subtraction of a
/// constant zero point: how `convert-qnn-to-linalg` feeds a convolution).
static std::optional<WidenedI8> getWidenedI8(Value value) {
  auto generic = value.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return std::nullopt;
  Block *body = generic.getBlock();
  WidenedI8 result;
  Value yielded = body->getTerminator()->getOperand(0);
  if (auto sub = yielded.getDefiningOp<arith::SubIOp>()) {
    APInt zeroPoint;
    if (!matchPattern(sub.getRhs(), m_ConstantInt(&zeroPoint)))
      return std::nullopt;
    result.zeroPoint = zeroPoint.getSExtValue();
    yielded = sub.getLhs();
  }
  Operation *extension = yielded.getDefiningOp();
  if (!isa_and_nonnull<arith::ExtUIOp, arith::ExtSIOp>(extension) ||
      extension->getOperand(0) != body->getArgument(0) ||
      !body->getArgument(0).getType().isInteger(8) ||
      llvm::range_size(body->without_terminator()) !=
          (result.zeroPoint != 0 ? 2u : 1u))
    return std::nullopt;
  result.source = generic.getDpsInputOperand(0)->get();
  result.isSigned = isa<arith::ExtSIOp>(extension);
  return result;
}

/// The element kinds of the convolution as a kernel sees them: f32 x f32 ->
/// f32, or (u8 or i8, possibly widened) x i8 -> i32.
static bool matchKind(ConvolutionMatch &match, Value input, Type filterElement,
                      Type outElement) {
  Type inElement = cast<RankedTensorType>(input.getType()).getElementType();
  if (inElement.isF32() && filterElement.isF32() && outElement.isF32()) {
    match.kind = KernelKind::Float32;
    match.activations = input;
    return true;
  }
  if (!filterElement.isInteger(8) || !outElement.isInteger(32))
    return false;
  match.kind = KernelKind::Int8;
  if (inElement.isInteger(8)) {
    // The named convolution sign-extends its integer operands.
    match.activations = input;
    match.activationsSigned = true;
    return true;
  }
  if (std::optional<WidenedI8> widened = getWidenedI8(input)) {
    match.activations = widened->source;
    match.activationsSigned = widened->isSigned;
    match.activationZeroPoint = widened->zeroPoint;
    return true;
  }
  return false;
}

/// Per output channel, `-zeroPoint * sum(filter[f])`: what the activations'
/// zero point takes off each result (every window position holds a
/// corrected value, the padding included), or nothing when it fits no i32.
static std::optional<SmallVector<int32_t>>
getZeroPointCorrection(const ConvolutionMatch &match) {
  SmallVector<int64_t> sums(match.outChannels, 0);
  int64_t k = match.reduction();
  for (auto [i, value] : llvm::enumerate(match.filter.getValues<int8_t>()))
    sums[match.layout.filterChannelsFirst ? i / k : i % match.outChannels] +=
        value;
  SmallVector<int32_t> correction;
  for (int64_t sum : sums) {
    int64_t value = -match.activationZeroPoint * sum;
    if (value < INT32_MIN || value > INT32_MAX)
      return std::nullopt;
    correction.push_back(static_cast<int32_t>(value));
  }
  return correction;
}

std::optional<ConvolutionMatch> qnn::matchConvolution(linalg::LinalgOp op) {
  std::optional<ConvolutionLayout> layout = getLayout(op);
  if (!layout || !op.hasPureTensorSemantics())
    return std::nullopt;
  ConvolutionMatch match;
  match.op = op;
  match.layout = *layout;
  Value input = op.getDpsInputOperand(0)->get();
  Value filter = op.getDpsInputOperand(1)->get();
  auto inType = cast<RankedTensorType>(input.getType());
  auto filterType = cast<RankedTensorType>(filter.getType());
  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!inType.hasStaticShape() || !filterType.hasStaticShape() ||
      !outType.hasStaticShape() ||
      !matchPattern(filter, m_Constant(&match.filter)) || !match.filter)
    return std::nullopt;
  if (!matchKind(match, input, filterType.getElementType(),
                 outType.getElementType()))
    return std::nullopt;

  ArrayRef<int64_t> in = inType.getShape(), out = outType.getShape(),
                    kernel = filterType.getShape();
  match.batch = in[0];
  if (layout->channelsFirst) {
    match.channels = in[1];
    match.height = in[2];
    match.width = in[3];
    match.outChannels = out[1];
    match.outHeight = out[2];
    match.outWidth = out[3];
  } else {
    match.channels = in[3];
    match.height = in[1];
    match.width = in[2];
    match.outChannels = out[3];
    match.outHeight = out[1];
    match.outWidth = out[2];
  }
  // FCHW, FHWC or HWCF: the window's extent.
  match.kernelHeight = layout->channelsFirst         ? kernel[2]
                       : layout->filterChannelsFirst ? kernel[1]
                                                     : kernel[0];
  match.kernelWidth = layout->channelsFirst         ? kernel[3]
                      : layout->filterChannelsFirst ? kernel[2]
                                                    : kernel[1];
  auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (!strides || !dilations || strides.getNumElements() != 2 ||
      dilations.getNumElements() != 2)
    return std::nullopt;
  match.strideH = strides.getValues<int64_t>()[0];
  match.strideW = strides.getValues<int64_t>()[1];
  match.dilationH = dilations.getValues<int64_t>()[0];
  match.dilationW = dilations.getValues<int64_t>()[1];
  if (match.activationZeroPoint != 0) {
    std::optional<SmallVector<int32_t>> correction =
        getZeroPointCorrection(match);
    if (!correction)
      return std::nullopt;
    match.correction = std::move(*correction);
  }
  return match;
}
