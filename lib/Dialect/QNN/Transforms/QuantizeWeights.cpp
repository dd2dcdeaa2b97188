//===- QuantizeWeights.cpp - Quantize constant weights (W8A32) ------------===//
//
// Finds the weight operand of every matmul-like and convolution op, quantizes
// constant weights with the math library and feeds the op a dequantized copy.
// The op keeps computing in floating point; what changes is what the model
// stores.
//
//===----------------------------------------------------------------------===//

#include "WeightQuantization.h"

#include "qnn/CheckedOptionsPass.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

namespace qnn {
#define GEN_PASS_DEF_QNNQUANTIZEWEIGHTS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

struct QuantizeWeightsPass
    : public qnn::CheckedOptionsPass<
          QuantizeWeightsPass,
          qnn::impl::QNNQuantizeWeightsBase<QuantizeWeightsPass>> {
  using CheckedOptionsPass::CheckedOptionsPass;

  /// What is wrong with the options, if anything (CheckedOptionsPass).
  std::optional<std::string> findOptionProblem() const;

  void runOnOperation() override;

private:
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
  if (compat == quantmath::CompatMode::OnnxRuntime &&
      range != IntegerRangeKind::Auto)
    return std::string("compat=onnxruntime chooses its own integer ranges; "
                       "leave range=auto");
  if (compat == quantmath::CompatMode::TFLite &&
      scheme == quantmath::Scheme::Asymmetric &&
      granularity != WeightGranularity::PerTensor)
    return std::string("compat=tflite quantizes weights per channel "
                       "symmetrically; use scheme=symmetric or "
                       "granularity=per-tensor");
  if (std::optional<std::string> problem =
          quantmath::findSpecProblem(getSpec()))
    return problem;
  return std::nullopt;
}

quantmath::QuantSpec QuantizeWeightsPass::getSpec() const {
  quantmath::QuantSpec spec;
  spec.scheme = scheme;
  spec.rounding = rounding;
  spec.compat = compat;
  spec.reduceRange = reduceRange;
  spec.storage.bits = bits;
  spec.storage.isSigned = isSigned;
  bool narrow = range == IntegerRangeKind::Auto
                    ? quantmath::defaultNarrowRange(compat, scheme)
                    : range == IntegerRangeKind::Narrow;
  spec.storage.narrowRange = isSigned && narrow;
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

  OpBuilder builder(constant);
  builder.setInsertionPointAfter(constant);
  Location loc = constant->getLoc();
  llvm::Expected<ConstantOp> storage = buildQuantizedConstant(
      builder, loc, *reals, type.getShape(), granularityForOp, getSpec());
  if (!storage) {
    std::string message = llvm::toString(storage.takeError());
    // The pass options were validated up front, so what remains is bad data
    // (NaN, infinity) or a group size that does not fit this weight.
    return constant->emitError("cannot quantize weight of '")
           << user->getName() << "': " << message;
  }
  auto dequantized =
      quant::DequantizeCastOp::create(builder, loc, type, *storage);
  weight.operand->set(dequantized);
  quantizedWeights[key] = dequantized;
  replacedConstants.insert(constant);
  return success();
}

void QuantizeWeightsPass::runOnOperation() {
  quantizedWeights.clear();
  replacedConstants.clear();
  if (failed(checkOptions()))
    return signalPassFailure();

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
