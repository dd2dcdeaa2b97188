//===- WeightQuantization.cpp - Find and quantize constant weights --------===//

#include "WeightQuantization.h"

#include "qnn/Quant/ErrorStats.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

namespace qnn {

bool isConstantValue(Value value) { return matchPattern(value, m_Constant()); }

WeightOperand weightAxesFromIndexingMaps(linalg::LinalgOp op,
                                         OpOperand *weight) {
  WeightOperand result{weight};
  AffineMap weightMap = op.getMatchingIndexingMap(weight);
  if (!weightMap.isProjectedPermutation())
    return result;

  llvm::SmallDenseSet<unsigned> activationDims;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (input == weight)
      continue;
    for (AffineExpr expr : op.getMatchingIndexingMap(input).getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        activationDims.insert(dim.getPosition());
  }
  AffineMap outputMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();

  std::optional<int64_t> sharedChannel;
  for (auto [axis, expr] : llvm::enumerate(weightMap.getResults())) {
    unsigned loop = cast<AffineDimExpr>(expr).getPosition();
    bool inOutput = outputMap.getResultPosition(expr).has_value();
    bool inActivation = activationDims.contains(loop);
    if (iterators[loop] == utils::IteratorType::parallel && inOutput) {
      if (!inActivation && !result.channelAxis)
        result.channelAxis = axis;
      else if (inActivation && !sharedChannel)
        sharedChannel = axis;
    }
    if (iterators[loop] == utils::IteratorType::reduction && inActivation &&
        !result.groupAxis)
      result.groupAxis = axis;
  }
  if (!result.channelAxis)
    result.channelAxis = sharedChannel;
  return result;
}

std::optional<WeightOperand> findWeight(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    if (!linalgOp.hasPureTensorSemantics() || linalgOp.getNumDpsInputs() != 2 ||
        linalgOp.getNumDpsInits() != 1)
      return std::nullopt;
    if (!linalg::isaContractionOpInterface(linalgOp) &&
        !linalg::isaConvolutionOpInterface(linalgOp))
      return std::nullopt;
    // The weight is the constant input; prefer the second (B, the filter)
    // when both are.
    OpOperand *lhs = linalgOp.getDpsInputOperand(0);
    OpOperand *rhs = linalgOp.getDpsInputOperand(1);
    OpOperand *weight = isConstantValue(rhs->get())   ? rhs
                        : isConstantValue(lhs->get()) ? lhs
                                                      : rhs;
    return weightAxesFromIndexingMaps(linalgOp, weight);
  }
  // TOSA keeps weights in fixed layouts.
  auto tosaWeight = [&](int64_t channel, std::optional<int64_t> group) {
    return WeightOperand{&op->getOpOperand(1), channel, group};
  };
  return llvm::TypeSwitch<Operation *, std::optional<WeightOperand>>(op)
      .Case([&](tosa::MatMulOp) { return tosaWeight(2, 1); })
      .Case([&](tosa::Conv2DOp) { return tosaWeight(0, 3); })
      .Case([&](tosa::Conv3DOp) { return tosaWeight(0, 4); })
      .Case([&](tosa::TransposeConv2DOp) { return tosaWeight(0, 3); })
      .Case(
          [&](tosa::DepthwiseConv2DOp) { return tosaWeight(2, std::nullopt); })
      .Default([](Operation *) { return std::nullopt; });
}

std::optional<std::vector<float>> readFloatConstant(Attribute attr) {
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      return std::vector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

std::optional<std::string> findNonFiniteElement(ArrayRef<float> data,
                                                ArrayRef<int64_t> shape) {
  const float *found =
      llvm::find_if(data, [](float x) { return !std::isfinite(x); });
  if (found == data.end())
    return std::nullopt;
  // Row-major coordinates of the element.
  int64_t offset = found - data.begin();
  SmallVector<int64_t> coordinates(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    coordinates[d] = offset % shape[d];
    offset /= shape[d];
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "element [";
  llvm::interleaveComma(coordinates, os);
  os << "] is " << (std::isnan(*found) ? "NaN" : "infinite");
  return text;
}

std::vector<float> transposeData(ArrayRef<float> data, ArrayRef<int64_t> shape,
                                 ArrayRef<int64_t> permutation) {
  size_t rank = shape.size();
  SmallVector<int64_t> inputStrides(rank, 1);
  for (size_t d = rank; d-- > 1;)
    inputStrides[d - 1] = inputStrides[d] * shape[d];
  SmallVector<int64_t> resultShape, strides;
  for (int64_t source : permutation) {
    resultShape.push_back(shape[source]);
    strides.push_back(inputStrides[source]);
  }
  std::vector<float> result;
  result.reserve(data.size());
  // Walk the result in row-major order with an odometer over its indices.
  SmallVector<int64_t> index(rank, 0);
  for (size_t i = 0; i < data.size(); ++i) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d)
      offset += index[d] * strides[d];
    result.push_back(data[offset]);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < resultShape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

Type buildQuantizedElementType(MLIRContext *context,
                               const quantmath::QuantizedTensor &tensor,
                               const quantmath::Granularity &granularity) {
  const quantmath::IntegerStorage &storage = tensor.spec.storage;
  Type storageType = IntegerType::get(context, storage.bits);
  Type expressedType = Float32Type::get(context);
  unsigned flags = storage.isSigned ? quant::QuantizationFlags::Signed : 0;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (const quantmath::QuantParams &params : tensor.params) {
    scales.push_back(params.scale);
    zeroPoints.push_back(params.zeroPoint);
  }
  switch (granularity.kind) {
  case quantmath::Granularity::Kind::PerTensor:
    return quant::UniformQuantizedType::get(
        flags, storageType, expressedType, scales.front(), zeroPoints.front(),
        tensor.spec.minValue(), tensor.spec.maxValue());
  case quantmath::Granularity::Kind::PerAxis:
    return quant::UniformQuantizedPerAxisType::get(
        flags, storageType, expressedType, scales, zeroPoints, granularity.axis,
        tensor.spec.minValue(), tensor.spec.maxValue());
  case quantmath::Granularity::Kind::PerGroup: {
    SmallVector<int64_t> grid = tensor.blockGrid();
    auto scaleType = RankedTensorType::get(grid, expressedType);
    auto zeroPointType = RankedTensorType::get(grid, storageType);
    SmallVector<float> floatScales(scales.begin(), scales.end());
    SmallVector<APInt> storedZeroPoints;
    for (int64_t zeroPoint : zeroPoints)
      storedZeroPoints.push_back(
          APInt(storage.bits, zeroPoint, /*isSigned=*/storage.isSigned));
    SmallVector<int32_t> dims;
    SmallVector<int64_t> blocks;
    for (auto [dim, extent] : llvm::enumerate(tensor.blockShape)) {
      if (extent == tensor.shape[dim])
        continue;
      dims.push_back(static_cast<int32_t>(dim));
      blocks.push_back(extent);
    }
    return quant::UniformQuantizedSubChannelType::get(
        flags, storageType, expressedType,
        DenseElementsAttr::get(scaleType, ArrayRef<float>(floatScales)),
        DenseElementsAttr::get(zeroPointType, storedZeroPoints), dims, blocks,
        tensor.spec.minValue(), tensor.spec.maxValue());
  }
  }
  llvm_unreachable("unknown granularity");
}

DenseIntElementsAttr
buildStorageAttr(MLIRContext *context,
                 const quantmath::QuantizedTensor &tensor) {
  unsigned bits = tensor.spec.storage.bits;
  auto signedness = tensor.spec.storage.isSigned ? IntegerType::Signless
                                                 : IntegerType::Unsigned;
  auto type = RankedTensorType::get(
      tensor.shape, IntegerType::get(context, bits, signedness));
  SmallVector<APInt> values;
  values.reserve(tensor.values.size());
  for (int32_t value : tensor.values)
    values.push_back(
        APInt(bits, value, /*isSigned=*/tensor.spec.storage.isSigned));
  return cast<DenseIntElementsAttr>(DenseElementsAttr::get(type, values));
}

llvm::Expected<ConstantOp>
buildQuantizedConstant(OpBuilder &builder, Location loc, ArrayRef<float> reals,
                       ArrayRef<int64_t> shape,
                       const quantmath::Granularity &granularity,
                       const quantmath::QuantSpec &spec) {
  llvm::Expected<quantmath::QuantizedTensor> quantized =
      quantmath::quantizeTensor(reals, shape, granularity, spec);
  if (!quantized)
    return quantized.takeError();
  MLIRContext *context = builder.getContext();
  quantmath::ErrorStats stats = quantmath::computeErrorStats(
      reals, quantmath::dequantizeTensor(*quantized));
  auto resultType = RankedTensorType::get(
      shape, buildQuantizedElementType(context, *quantized, granularity));
  return ConstantOp::create(builder, loc, resultType,
                            buildStorageAttr(context, *quantized),
                            getErrorStatsAttr(context, stats),
                            getCompatModeAttr(context, spec.compat));
}

} // namespace qnn
