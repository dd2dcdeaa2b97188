//===- Quantize.cpp - Rewrite fp32 contractions into integer compute ------===//
//
// Full int8 (W8A8): every supported fp32 matmul and convolution becomes
// qnn.quantize of its activations, qnn.constant weights, the qnn integer op
// with an int32 accumulator and a quant.dcast back to fp32. Static mode takes
// activation ranges from a statistics file and is written here; dynamic mode
// (DynamicQuantize.cpp) computes them at run time.
//
// Every op is planned before the IR changes: value names count ops, and
// every missing or unusable statistic is reported at once.
//
//===----------------------------------------------------------------------===//

#include "ContractionForm.h"
#include "DynamicQuantize.h"
#include "OpSelection.h"
#include "WeightQuantization.h"

#include "qnn/CheckedOptionsPass.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Transforms/Statistics.h"
#include "qnn/Dialect/QNN/Transforms/ValueNames.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

namespace qnn {
#define GEN_PASS_DEF_QNNQUANTIZE
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

/// A matched op and its operands, as found before any rewriting.
struct OpPlan {
  ContractionForm form;
  OperandPlan lhs, rhs;
};

struct QuantizePass
    : public qnn::CheckedOptionsPass<QuantizePass,
                                     qnn::impl::QNNQuantizeBase<QuantizePass>> {
  using CheckedOptionsPass::CheckedOptionsPass;

  /// What is wrong with the options, if anything (CheckedOptionsPass).
  std::optional<std::string> findOptionProblem() const;

  void runOnOperation() override;

private:
  quantmath::QuantSpec getActivationSpec() const;
  quantmath::QuantSpec getWeightSpec() const;
  bool isSelected(Operation *op);

  /// Plans operand `index` of `op`; fails after a diagnostic. Sets `skip`
  /// (after a remark) when the op has to stay in fp32.
  LogicalResult planOperand(Operation *op, unsigned index, OperandPlan &plan,
                            bool &skip);
  LogicalResult rewriteStatic(OpBuilder &builder, OpPlan &plan);
  /// The quantized activation `value` with `params`, one qnn.quantize per
  /// value and type.
  Value quantizeActivation(OpBuilder &builder, Value value,
                           quantmath::QuantParams params);

  std::optional<Statistics> statistics;
  ValueNamer namer;
  llvm::StringSet<> warnedValues;
  llvm::DenseMap<std::pair<Value, Type>, Value> quantizedActivations;
};

} // namespace

std::optional<std::string> QuantizePass::findOptionProblem() const {
  if (weightGranularity == WeightGranularity::PerGroup)
    return std::string("weight-granularity=per-group is not offered: the "
                       "int32 sum over input channels can only be rescaled "
                       "by one scale per output channel (qnn-quantize-weights "
                       "quantizes weights per group)");
  if (mode == ActivationRangeMode::Static && statsFile.empty())
    return std::string("mode=static needs a statistics file "
                       "(stats=<file.json>), or use mode=dynamic");
  if (mode == ActivationRangeMode::Dynamic && !statsFile.empty())
    return std::string("stats= is only read with mode=static");
  if (mode == ActivationRangeMode::Dynamic &&
      (activationScheme != quantmath::Scheme::Asymmetric || activationSigned))
    return std::string("mode=dynamic quantizes activations as ONNX "
                       "DynamicQuantizeLinear does (asymmetric uint8); "
                       "activation-scheme and activation-signed do not apply");
  if (mode == ActivationRangeMode::Dynamic &&
      (calibration != quantmath::CalibrationMethod::MinMax ||
       compat != quantmath::CompatMode::None || activationReduceRange))
    return std::string("mode=dynamic computes activation parameters at run "
                       "time as ONNX DynamicQuantizeLinear does; "
                       "calibration, compat and activation-reduce-range "
                       "apply to mode=static");
  if (!(percentile > 0.0 && percentile <= 100.0))
    return "percentile=" + formatBound(percentile) + " is not in (0, 100]";
  if (calibration != quantmath::CalibrationMethod::Percentile &&
      percentile != 99.99)
    return std::string("percentile= is only used with calibration=percentile");
  if (compat == quantmath::CompatMode::OnnxRuntime &&
      weightRange != IntegerRangeKind::Auto)
    return std::string("compat=onnxruntime chooses its own integer ranges; "
                       "leave weight-range=auto");
  if (std::optional<std::string> problem =
          quantmath::findSpecProblem(getActivationSpec()))
    return "activations: " + *problem;
  if (std::optional<std::string> problem =
          quantmath::findSpecProblem(getWeightSpec()))
    return "weights: " + *problem;
  for (const std::string &name : onlyOps)
    if (std::optional<std::string> problem = findListEntryProblem(name, "ops"))
      return problem;
  for (const std::string &name : excludeOps)
    if (std::optional<std::string> problem =
            findListEntryProblem(name, "exclude"))
      return problem;
  return std::nullopt;
}

quantmath::QuantSpec QuantizePass::getActivationSpec() const {
  quantmath::QuantSpec spec;
  spec.scheme = activationScheme;
  spec.rounding = rounding;
  spec.storage = activationSigned ? quantmath::IntegerStorage::int8()
                                  : quantmath::IntegerStorage::uint8();
  if (mode == ActivationRangeMode::Static) {
    spec.compat = compat;
    spec.reduceRange = activationReduceRange;
  }
  return spec;
}

quantmath::QuantSpec QuantizePass::getWeightSpec() const {
  quantmath::QuantSpec spec;
  spec.scheme = weightScheme;
  spec.rounding = rounding;
  spec.compat = compat;
  spec.reduceRange = weightReduceRange;
  bool narrow = weightRange == IntegerRangeKind::Auto
                    ? quantmath::defaultNarrowRange(compat, weightScheme)
                    : weightRange == IntegerRangeKind::Narrow;
  spec.storage = quantmath::IntegerStorage::int8(narrow);
  return spec;
}

bool QuantizePass::isSelected(Operation *op) {
  // The op's location name, or the stable name of its result when it has
  // none (`model/linalg.matmul#2`).
  return isSelectedByLists(op, namer.getName(op->getResult(0)), onlyOps,
                           excludeOps);
}

LogicalResult QuantizePass::planOperand(Operation *op, unsigned index,
                                        OperandPlan &plan, bool &skip) {
  Value value = op->getOperand(index);
  plan.value = value;
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr))) {
    auto type = cast<RankedTensorType>(value.getType());
    plan.constantData = readFloatConstant(attr);
    if (!plan.constantData || plan.constantData->empty()) {
      op->emitRemark("operand #")
          << index << " is a constant without f32 data to quantize; left in "
          << "fp32";
      skip = true;
      return success();
    }
    if (std::optional<std::string> where =
            findNonFiniteElement(*plan.constantData, type.getShape()))
      return value.getDefiningOp()->emitError("cannot quantize weight of '")
             << op->getName() << "': " << *where;
    return success();
  }

  plan.name = namer.getName(value);
  if (mode == ActivationRangeMode::Dynamic)
    return success();
  const ValueStatistics *stats = statistics->lookup(plan.name);
  if (!stats)
    return op->emitOpError("no statistics for value '")
           << plan.name << "' (operand #" << index << ") in '" << statsFile
           << "'";
  if (std::optional<std::string> problem = stats->findRangeProblem())
    return op->emitOpError("statistics of value '")
           << plan.name << "' (operand #" << index << ") have " << *problem;
  quantmath::CalibrationOptions options;
  options.method = calibration;
  options.percentile = percentile;
  llvm::Expected<std::pair<float, float>> range =
      quantmath::chooseRange(stats->activation, getActivationSpec(), options);
  if (!range)
    return op->emitOpError("statistics of value '")
           << plan.name << "' (operand #" << index << ") "
           << llvm::toString(range.takeError());
  auto [lo, hi] = *range;
  plan.params = quantmath::chooseQuantParams(lo, hi, getActivationSpec());
  if (lo == hi && warnedValues.insert(plan.name).second)
    op->emitWarning("statistics of value '")
        << plan.name << "' have a zero range (min == max == " << formatBound(lo)
        << "); quantized with scale " << formatBound(plan.params.scale)
        << ", zero point " << plan.params.zeroPoint;
  return success();
}

Value QuantizePass::quantizeActivation(OpBuilder &builder, Value value,
                                       quantmath::QuantParams params) {
  MLIRContext *context = &getContext();
  quantmath::QuantSpec spec = getActivationSpec();
  quantmath::IntegerStorage storage = spec.storage;
  Type elementType = quant::UniformQuantizedType::get(
      storage.isSigned ? quant::QuantizationFlags::Signed : 0,
      IntegerType::get(context, storage.bits), Float32Type::get(context),
      params.scale, params.zeroPoint, spec.minValue(), spec.maxValue());
  auto key = std::make_pair(value, elementType);
  if (Value existing = quantizedActivations.lookup(key))
    return existing;
  // Right after the value, so that every op reading it can share it.
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfterValue(value);
  auto type = RankedTensorType::get(
      cast<RankedTensorType>(value.getType()).getShape(), elementType);
  quantmath::CalibrationOptions options;
  options.method = calibration;
  options.percentile = percentile;
  Value quantized = QuantizeOp::create(
      builder, value.getLoc(), type, value,
      RoundingModeAttr::get(context, fromMathRounding(rounding)),
      getCompatModeAttr(context, compat),
      // min/max, the default, needs no mark (as compat=none).
      calibration == quantmath::CalibrationMethod::MinMax
          ? CalibrationAttr()
          : getCalibrationAttr(context, options));
  quantizedActivations[key] = quantized;
  return quantized;
}

LogicalResult QuantizePass::rewriteStatic(OpBuilder &builder, OpPlan &plan) {
  ContractionForm &form = plan.form;
  Location loc = form.op.getLoc();
  builder.setInsertionPoint(form.op);
  auto quantizedOperand = [&](const OperandPlan &operand,
                              bool isRhs) -> FailureOr<Value> {
    if (operand.constantData) {
      FailureOr<ConstantOp> constant = buildWeightConstant(
          builder, form, operand, isRhs, getWeightSpec(),
          weightGranularity == WeightGranularity::PerChannel);
      if (failed(constant))
        return failure();
      return constant->getResult();
    }
    // A transposed or reshaped activation is laid out in fp32 (its range
    // is the same) and then quantized.
    Value value = applyLayout(builder, loc, operand.value,
                              isRhs ? form.rhsLayout : form.lhsLayout);
    return quantizeActivation(builder, value, operand.params);
  };
  FailureOr<Value> lhs = quantizedOperand(plan.lhs, /*isRhs=*/false);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = quantizedOperand(plan.rhs, /*isRhs=*/true);
  if (failed(rhs))
    return failure();

  auto lhsType = cast<quant::UniformQuantizedType>(
      getQuantizedElementType(lhs->getType()));
  quant::QuantizedType accumulator =
      getAccumulatorType(lhsType, getQuantizedElementType(rhs->getType()),
                         static_cast<int32_t>(form.resultChannelAxis));
  auto accType = RankedTensorType::get(form.resultShape, accumulator);
  Value acc;
  switch (form.kind) {
  case ContractionKind::Matmul:
    acc = MatmulOp::create(builder, loc, accType, *lhs, *rhs, Value());
    break;
  case ContractionKind::BatchMatmul:
    acc = BatchMatmulOp::create(builder, loc, accType, *lhs, *rhs, Value());
    break;
  case ContractionKind::Conv2D:
    acc = Conv2DOp::create(builder, loc, accType, *lhs, *rhs, Value(),
                           form.dataFormat, form.strides, form.dilations,
                           /*padding=*/{0, 0, 0, 0},
                           static_cast<uint64_t>(form.groups));
    break;
  }
  auto realType =
      RankedTensorType::get(form.resultShape, Float32Type::get(&getContext()));
  Value real = quant::DequantizeCastOp::create(builder, loc, realType, acc);
  Value result = finishResult(builder, form, real);
  form.op->getResult(0).replaceAllUsesWith(result);
  form.op->erase();
  return success();
}

/// Erases the ops defining `values` that are dead now, and the ops they
/// read from that become dead in turn (fp32 weights, zero inits).
static void eraseDeadDefinitions(ArrayRef<Value> values) {
  SmallVector<Operation *> worklist;
  llvm::DenseSet<Operation *> erased;
  for (Value value : values)
    if (Operation *op = value.getDefiningOp())
      worklist.push_back(op);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *definition = operand.getDefiningOp())
        worklist.push_back(definition);
    erased.insert(op);
    op->erase();
  }
}

void QuantizePass::runOnOperation() {
  statistics.reset();
  namer = ValueNamer();
  warnedValues.clear();
  quantizedActivations.clear();
  if (failed(checkOptions()))
    return signalPassFailure();
  if (mode == ActivationRangeMode::Static) {
    llvm::Expected<Statistics> loaded = Statistics::readFile(statsFile);
    if (!loaded) {
      // A file-level problem: located at the module, without printing it.
      emitError(getOperation()->getLoc(), "qnn-quantize: ")
          << llvm::toString(loaded.takeError());
      return signalPassFailure();
    }
    statistics = std::move(*loaded);
  }

  std::vector<OpPlan> plans;
  bool failedAny = false;
  getOperation()->walk([&](Operation *op) {
    std::optional<ContractionForm> form = matchContraction(op);
    if (!form || !isSelected(op))
      return;
    OpPlan plan{*form, {}, {}};
    bool skip = false;
    bool failedOp = failed(planOperand(op, 0, plan.lhs, skip)) |
                    failed(planOperand(op, 1, plan.rhs, skip));
    failedAny |= failedOp;
    if (!failedOp && !skip)
      plans.push_back(std::move(plan));
  });
  if (failedAny)
    return signalPassFailure();

  OpBuilder builder(&getContext());
  DynamicQuantizer dynamic(getWeightSpec(),
                           weightGranularity == WeightGranularity::PerChannel);
  SmallVector<Value> replacedOperands;
  for (OpPlan &plan : plans) {
    // An earlier rewrite may have replaced an operand (the result of a
    // previous layer).
    plan.lhs.value = plan.form.getLhs();
    plan.rhs.value = plan.form.getRhs();
    llvm::append_range(replacedOperands, plan.form.op->getOperands());
    LogicalResult rewritten =
        mode == ActivationRangeMode::Static
            ? rewriteStatic(builder, plan)
            : dynamic.rewrite(builder, plan.form, plan.lhs, plan.rhs);
    if (failed(rewritten))
      return signalPassFailure();
  }
  eraseDeadDefinitions(replacedOperands);
}
