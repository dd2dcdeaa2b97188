//===- QuantizeWeights.cpp - Quantize constant weights (W8A32) ------------===//
//
// Finds the weight operand of every matmul-like and convolution op, quantizes
// constant weights with the math library and feeds the op a dequantized copy.
// The op keeps computing in floating point; what changes is what the model
// stores.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Quant/ErrorStats.h"
#include "qnn/Quant/TensorQuantizer.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

namespace qnn {
#define GEN_PASS_DEF_QNNQUANTIZEWEIGHTS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

/// The weight operand of an op and the roles of its axes.
struct WeightOperand {
  OpOperand *operand = nullptr;
  /// The axis indexing output channels, if the weight has one.
  std::optional<int64_t> channelAxis;
  /// The axis summed over together with the activation's channels (the
  /// input-channel axis), along which per-group quantization cuts groups.
  std::optional<int64_t> groupAxis;
};

bool isConstant(Value value) { return matchPattern(value, m_Constant()); }

/// Reads the axes of a linalg contraction or convolution weight from the
/// indexing maps: an output channel is a parallel loop the weight shares
/// with the output but not with the activation (n of a matmul, f of a
/// convolution); failing that, a parallel loop shared by all three (the
/// channel of a depthwise convolution). The group axis is a reduction loop
/// that indexes the activation directly (k, or the input channel c; not a
/// window loop, which appears in the activation as oh + kh).
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

/// Finds the weight of `op` if it is an op whose weights this pass knows.
/// Returns nullopt for ops that have no weights (elementwise ops, ...).
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
    OpOperand *weight = isConstant(rhs->get())   ? rhs
                        : isConstant(lhs->get()) ? lhs
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

/// The reals of a constant, or nullopt when they are not f32 data this pass
/// can read.
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

/// The `!quant.uniform` element type describing `tensor`.
Type getQuantizedElementType(MLIRContext *context,
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
        storage.minValue(), storage.maxValue());
  case quantmath::Granularity::Kind::PerAxis:
    return quant::UniformQuantizedPerAxisType::get(
        flags, storageType, expressedType, scales, zeroPoints, granularity.axis,
        storage.minValue(), storage.maxValue());
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
        storage.minValue(), storage.maxValue());
  }
  }
  llvm_unreachable("unknown granularity");
}

/// The stored integers as an attribute of the storage type.
DenseIntElementsAttr getStorageAttr(MLIRContext *context,
                                    const quantmath::QuantizedTensor &tensor) {
  // Unsigned storage is spelled ui8/ui4 so that the IR shows 255, not -1.
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

struct QuantizeWeightsPass
    : public qnn::impl::QNNQuantizeWeightsBase<QuantizeWeightsPass> {
  using QNNQuantizeWeightsBase::QNNQuantizeWeightsBase;

  /// Rejects bad option combinations when a textual pipeline is parsed,
  /// before any IR is touched.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(
            QNNQuantizeWeightsBase::initializeOptions(options, errorHandler)))
      return failure();
    if (std::optional<std::string> problem = findOptionProblem())
      return errorHandler("qnn-quantize-weights: " + *problem);
    return success();
  }

  void runOnOperation() override;

private:
  /// Describes what is wrong with the options, if anything. Passes built
  /// from C++ skip initializeOptions, so runOnOperation checks again.
  std::optional<std::string> findOptionProblem() const;
  quantmath::QuantSpec getSpec() const;
  quantmath::Granularity getGranularity(Operation *user,
                                        const WeightOperand &weight,
                                        ArrayRef<int64_t> shape) const;
  /// Quantizes the weight of `user`, or leaves it with a remark. Fails only
  /// on a weight that cannot be quantized correctly (NaN, infinity).
  LogicalResult quantizeWeightOf(Operation *user, const WeightOperand &weight);

  /// Dequantized weights already built, so that a constant shared by several
  /// ops (with the same axes) is quantized once.
  llvm::DenseMap<std::tuple<Value, int64_t, int64_t>, Value> quantizedWeights;
  /// fp32 constants that lost a use; erased at the end if they lost all.
  llvm::SetVector<Operation *> replacedConstants;
};

} // namespace

std::optional<std::string> QuantizeWeightsPass::findOptionProblem() const {
  if (bits != 8 && bits != 4)
    return llvm::formatv("bits must be 8 or 4, got {0}",
                         static_cast<unsigned>(bits))
        .str();
  if (granularity == WeightGranularity::PerGroup && groupSize <= 0)
    return llvm::formatv("granularity=per-group needs a positive group-size, "
                         "got {0}",
                         static_cast<int64_t>(groupSize))
        .str();
  if (granularity != WeightGranularity::PerGroup && groupSize != 0)
    return std::string(
        "group-size is only meaningful with granularity=per-group");
  return std::nullopt;
}

quantmath::QuantSpec QuantizeWeightsPass::getSpec() const {
  quantmath::QuantSpec spec;
  spec.scheme = scheme;
  spec.rounding = rounding;
  spec.storage.bits = bits;
  spec.storage.isSigned = isSigned;
  spec.storage.narrowRange = isSigned && range == IntegerRangeKind::Narrow;
  return spec;
}

quantmath::Granularity
QuantizeWeightsPass::getGranularity(Operation *user,
                                    const WeightOperand &weight,
                                    ArrayRef<int64_t> shape) const {
  if (granularity == WeightGranularity::PerTensor)
    return quantmath::Granularity::perTensor();
  if (!weight.channelAxis) {
    user->emitRemark("weight has no output-channel axis; quantized per "
                     "tensor");
    return quantmath::Granularity::perTensor();
  }
  if (granularity == WeightGranularity::PerChannel)
    return quantmath::Granularity::perAxis(*weight.channelAxis);
  if (!weight.groupAxis) {
    user->emitRemark("weight has no input-channel axis to group; quantized "
                     "per channel");
    return quantmath::Granularity::perAxis(*weight.channelAxis);
  }
  // Layers of one model differ in width; one that the group size does not
  // fit should not stop the others from being quantized.
  if (shape[*weight.groupAxis] % groupSize != 0) {
    user->emitRemark("group size ")
        << static_cast<int64_t>(groupSize) << " does not divide the "
        << shape[*weight.groupAxis] << " input channels; quantized per channel";
    return quantmath::Granularity::perAxis(*weight.channelAxis);
  }
  return quantmath::Granularity::perGroup(*weight.channelAxis,
                                          *weight.groupAxis, groupSize);
}

LogicalResult
QuantizeWeightsPass::quantizeWeightOf(Operation *user,
                                      const WeightOperand &weight) {
  Value value = weight.operand->get();
  unsigned operandNumber = weight.operand->getOperandNumber();
  auto leaveAlone = [&](auto &&...why) {
    InFlightDiagnostic remark = user->emitRemark("weight operand #");
    remark << operandNumber << " ";
    (remark << ... << why);
    remark << "; left in floating point";
    return success();
  };

  if (auto dequantize = value.getDefiningOp<quant::DequantizeCastOp>())
    if (dequantize.getInput().getDefiningOp<ConstantOp>())
      return success(); // Quantized by an earlier run.
  Attribute attr;
  Operation *constant = value.getDefiningOp();
  if (!constant || !matchPattern(value, m_Constant(&attr)))
    return leaveAlone("is not a constant");
  // Constants are statically shaped; this only guards against scalars.
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return leaveAlone("is not a statically shaped tensor");
  if (type.getNumElements() == 0)
    return leaveAlone("is empty");
  std::optional<std::vector<float>> reals = readFloatConstant(attr);
  if (!reals)
    return leaveAlone("holds ", type.getElementType(), " data, not f32");

  quantmath::Granularity granularityForOp =
      getGranularity(user, weight, type.getShape());
  auto key = std::make_tuple(
      value,
      granularityForOp.kind == quantmath::Granularity::Kind::PerTensor
          ? int64_t(-1)
          : granularityForOp.axis,
      granularityForOp.kind == quantmath::Granularity::Kind::PerGroup
          ? granularityForOp.groupAxis
          : int64_t(-1));
  if (Value existing = quantizedWeights.lookup(key)) {
    weight.operand->set(existing);
    return success();
  }

  llvm::Expected<quantmath::QuantizedTensor> quantized =
      quantmath::quantizeTensor(*reals, type.getShape(), granularityForOp,
                                getSpec());
  if (!quantized) {
    std::string message = llvm::toString(quantized.takeError());
    // The pass options were validated up front, so what remains is bad data
    // (NaN, infinity) or a group size that does not fit this weight.
    return constant->emitError("cannot quantize weight of '")
           << user->getName() << "': " << message;
  }

  MLIRContext *context = &getContext();
  quantmath::ErrorStats stats = quantmath::computeErrorStats(
      *reals, quantmath::dequantizeTensor(*quantized));
  auto resultType = RankedTensorType::get(
      type.getShape(),
      getQuantizedElementType(context, *quantized, granularityForOp));

  OpBuilder builder(constant);
  builder.setInsertionPointAfter(constant);
  Location loc = constant->getLoc();
  auto storage = ConstantOp::create(builder, loc, resultType,
                                    getStorageAttr(context, *quantized),
                                    getErrorStatsAttr(context, stats));
  auto dequantized =
      quant::DequantizeCastOp::create(builder, loc, type, storage);
  weight.operand->set(dequantized);
  quantizedWeights[key] = dequantized;
  replacedConstants.insert(constant);
  return success();
}

void QuantizeWeightsPass::runOnOperation() {
  quantizedWeights.clear();
  replacedConstants.clear();
  if (std::optional<std::string> problem = findOptionProblem()) {
    getOperation()->emitError("qnn-quantize-weights: ") << *problem;
    return signalPassFailure();
  }

  SmallVector<std::pair<Operation *, WeightOperand>> users;
  getOperation()->walk([&](Operation *op) {
    if (std::optional<WeightOperand> weight = findWeight(op))
      users.emplace_back(op, *weight);
  });
  bool failedAny = false;
  for (auto &[user, weight] : users)
    failedAny |= failed(quantizeWeightOf(user, weight));
  for (Operation *constant : replacedConstants)
    if (constant->use_empty())
      constant->erase();
  if (failedAny)
    signalPassFailure();
}
