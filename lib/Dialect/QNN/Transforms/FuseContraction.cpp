//===- FuseContraction.cpp - qnn contractions as the folds see them -------===//

#include "FuseContraction.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"
#include "qnn/Quant/Accumulator.h"

using namespace mlir;

namespace qnn {

std::optional<Contraction> Contraction::get(Operation *op) {
  if (isa<MatmulOp>(op))
    return Contraction(op, 1, 1, std::nullopt);
  if (isa<BatchMatmulOp>(op))
    return Contraction(op, 2, 2, 0);
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return Contraction(op, conv.getChannelDim(),
                       conv.getFilterOutputChannelDim(), std::nullopt);
  return std::nullopt;
}

RankedTensorType Contraction::getResultType() const {
  return cast<RankedTensorType>(op->getResult(0).getType());
}

quant::UniformQuantizedType Contraction::getInputType() const {
  return cast<quant::UniformQuantizedType>(
      getQuantizedElementType(getInput().getType()));
}

quant::QuantizedType Contraction::getWeightType() const {
  return getQuantizedElementType(getWeights().getType());
}

quant::QuantizedType Contraction::getAccumulatorType() const {
  return getQuantizedElementType(getResultType());
}

std::optional<int64_t> Contraction::getNumChannels() const {
  int64_t channels = getResultType().getDimSize(resultChannelDim);
  if (ShapedType::isDynamic(channels))
    return std::nullopt;
  return channels;
}

double Contraction::getAccumulatorScale(int64_t channel) const {
  SmallVector<double> scales = getScales(getAccumulatorType());
  return scales[scales.size() == 1 ? 0 : channel];
}

/// The stored integers of a qnn.constant as signed 64-bit values.
static SmallVector<int64_t> getStoredIntegers(ConstantOp constant) {
  bool isSigned = constant.getQuantizedElementType().isSigned();
  SmallVector<int64_t> values;
  for (const APInt &value :
       constant.getSignlessStorageValues().getValues<APInt>())
    values.push_back(isSigned ? value.getSExtValue()
                              : static_cast<int64_t>(value.getZExtValue()));
  return values;
}

std::optional<SmallVector<int64_t>> Contraction::getConstantBias() const {
  std::optional<int64_t> channels = getNumChannels();
  if (!channels)
    return std::nullopt;
  Value bias = getBias();
  if (!bias)
    return SmallVector<int64_t>(*channels, 0);
  auto constant = bias.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  return getStoredIntegers(constant);
}

std::optional<Contraction::Weights> Contraction::getConstantWeights() const {
  auto constant = getWeights().getDefiningOp<ConstantOp>();
  auto type = cast<RankedTensorType>(getWeights().getType());
  if (!constant || !type.hasStaticShape())
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> zeroPoints = getZeroPoints(getWeightType());
  Weights weights;
  weights.channels = shape[weightChannelDim];
  int64_t batches = weightBatchDim ? shape[*weightBatchDim] : 1;
  weights.dotProducts.resize(batches * weights.channels);

  // Row-major strides, to find each element's channel (and batch).
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  for (auto [index, stored] : llvm::enumerate(getStoredIntegers(constant))) {
    auto flat = static_cast<int64_t>(index);
    int64_t channel = flat / strides[weightChannelDim] % weights.channels;
    int64_t batch =
        weightBatchDim ? flat / strides[*weightBatchDim] % batches : 0;
    int64_t zeroPoint = zeroPoints[zeroPoints.size() == 1 ? 0 : channel];
    weights.dotProducts[batch * weights.channels + channel].push_back(
        stored - zeroPoint);
  }
  return weights;
}

std::optional<int64_t> Contraction::getReductionSize() const {
  auto inputShape = cast<RankedTensorType>(getInput().getType()).getShape();
  auto weightShape = cast<RankedTensorType>(getWeights().getType()).getShape();
  if (isa<MatmulOp>(op))
    return ShapedType::isDynamic(inputShape[1])
               ? std::nullopt
               : std::optional<int64_t>(inputShape[1]);
  if (isa<BatchMatmulOp>(op))
    return ShapedType::isDynamic(inputShape[2])
               ? std::nullopt
               : std::optional<int64_t>(inputShape[2]);
  // A convolution sums KH * KW * C / G products: the filter's extent
  // without its output channels.
  int64_t terms = 1;
  for (auto [dim, extent] : llvm::enumerate(weightShape)) {
    if (static_cast<int64_t>(dim) == weightChannelDim)
      continue;
    if (ShapedType::isDynamic(extent))
      return std::nullopt;
    terms *= extent;
  }
  return terms;
}

bool Contraction::accumulatorFits(ArrayRef<int64_t> bias, int64_t inputMin,
                                  int64_t inputMax) const {
  if (std::optional<Weights> weights = getConstantWeights()) {
    for (auto [index, terms] : llvm::enumerate(weights->dotProducts)) {
      int64_t channel = static_cast<int64_t>(index) % weights->channels;
      if (!quantmath::dotProductRange(terms, inputMin, inputMax, bias[channel])
               .fitsInt32())
        return false;
    }
    return true;
  }
  std::optional<int64_t> terms = getReductionSize();
  if (!terms)
    return false;
  quant::QuantizedType weightType = getWeightType();
  SmallVector<int64_t> zeroPoints = getZeroPoints(weightType);
  for (auto [channel, channelBias] : llvm::enumerate(bias)) {
    int64_t zeroPoint = zeroPoints[zeroPoints.size() == 1 ? 0 : channel];
    if (!quantmath::dotProductRange(*terms, inputMin, inputMax,
                                    weightType.getStorageTypeMin() - zeroPoint,
                                    weightType.getStorageTypeMax() - zeroPoint,
                                    channelBias)
             .fitsInt32())
      return false;
  }
  return true;
}

Value Contraction::buildBias(PatternRewriter &rewriter,
                             ArrayRef<int64_t> values,
                             std::optional<Location> origin,
                             ErrorStatsAttr error) const {
  if (llvm::all_of(values, [](int64_t value) { return value == 0; }))
    return Value();
  Location loc = op->getLoc();
  if (auto existing =
          getBias() ? getBias().getDefiningOp<ConstantOp>() : ConstantOp()) {
    loc = existing.getLoc();
    error = error ? error : existing.getErrorAttr();
  }
  if (origin)
    loc = *origin;
  auto length = static_cast<int64_t>(values.size());
  auto storageType = RankedTensorType::get({length}, rewriter.getI32Type());
  SmallVector<int32_t> narrowed(values.begin(), values.end());
  auto type = RankedTensorType::get({length},
                                    withQuantizedAxis(getAccumulatorType(), 0));
  return ConstantOp::create(
      rewriter, loc, type,
      DenseIntElementsAttr::get(storageType, ArrayRef(narrowed)), error);
}

Operation *
Contraction::rebuild(PatternRewriter &rewriter, Value input, Value bias,
                     std::optional<ArrayRef<int64_t>> padding) const {
  Location loc = op->getLoc();
  RankedTensorType type = getResultType();
  Operation *rebuilt;
  if (isa<MatmulOp>(op)) {
    rebuilt = MatmulOp::create(rewriter, loc, type, input, getWeights(), bias);
  } else if (isa<BatchMatmulOp>(op)) {
    rebuilt =
        BatchMatmulOp::create(rewriter, loc, type, input, getWeights(), bias);
  } else {
    auto conv = cast<Conv2DOp>(op);
    rebuilt = Conv2DOp::create(rewriter, loc, type, input, getWeights(), bias,
                               conv.getDataFormatAttr(), conv.getStridesAttr(),
                               conv.getDilationsAttr(),
                               padding ? rewriter.getDenseI64ArrayAttr(*padding)
                                       : conv.getPaddingAttr(),
                               conv.getGroupsAttr());
  }
  rebuilt->setDiscardableAttrs(op->getDiscardableAttrDictionary());
  return rebuilt;
}

} // namespace qnn
