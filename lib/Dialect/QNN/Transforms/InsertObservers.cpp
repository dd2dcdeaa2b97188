//===- InsertObservers.cpp - Mark the activations to calibrate ------------===//
//
// Observers go on exactly the values qnn-quantize looks up in the statistics
// file: the same contraction matching (ContractionForm.h) and the same
// `ops`/`exclude` selection (OpSelection.h), the same stable names. Every
// name is computed before the first observer is inserted.
//
//===----------------------------------------------------------------------===//

#include "ContractionForm.h"
#include "OpSelection.h"
#include "WeightQuantization.h"

#include "qnn/CheckedOptionsPass.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Transforms/ValueNames.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace qnn {
#define GEN_PASS_DEF_QNNINSERTOBSERVERS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

struct InsertObserversPass
    : public qnn::CheckedOptionsPass<
          InsertObserversPass,
          qnn::impl::QNNInsertObserversBase<InsertObserversPass>> {
  using CheckedOptionsPass::CheckedOptionsPass;

  /// What is wrong with the options, if anything (CheckedOptionsPass).
  std::optional<std::string> findOptionProblem() const;

  void runOnOperation() override;
};

} // namespace

std::optional<std::string> InsertObserversPass::findOptionProblem() const {
  if (allValues && (!onlyOps.empty() || !excludeOps.empty()))
    return std::string("all-values=true observes every value; ops and "
                       "exclude choose among the activations qnn-quantize "
                       "quantizes and do not apply to it");
  for (const std::string &name : onlyOps)
    if (std::optional<std::string> problem = findListEntryProblem(name, "ops"))
      return problem;
  for (const std::string &name : excludeOps)
    if (std::optional<std::string> problem =
            findListEntryProblem(name, "exclude"))
      return problem;
  return std::nullopt;
}

static bool isF32Tensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType().isF32();
}

/// Whether `value` already has an observer: it is one's result, or one reads
/// it.
static bool isObserved(Value value) {
  if (value.getDefiningOp<ObserveOp>())
    return true;
  return llvm::any_of(value.getUsers(),
                      [](Operation *user) { return isa<ObserveOp>(user); });
}

/// The activation operands of the ops qnn-quantize rewrites, in walk order.
static void collectQuantizedActivations(Operation *root,
                                        ArrayRef<std::string> onlyOps,
                                        ArrayRef<std::string> excludeOps,
                                        ValueNamer &namer,
                                        llvm::SetVector<Value> &values) {
  root->walk([&](Operation *op) {
    // In a module qnn-quantize has already rewritten, the activations are
    // the inputs of its per-tensor qnn.quantize ops (named as before), so
    // that an fp32 and an int8 model observe the same values
    // (`qnn-run --eval --per-layer`).
    if (auto quantize = dyn_cast<QuantizeOp>(op)) {
      if (isa<quant::UniformQuantizedType>(
              getElementTypeOrSelf(quantize.getType())))
        values.insert(quantize.getInput());
      return;
    }
    std::optional<ContractionForm> form = matchContraction(op);
    if (!form || !isSelectedByLists(op, namer.getName(op->getResult(0)),
                                    onlyOps, excludeOps))
      return;
    SmallVector<Value, 2> activations;
    for (unsigned index : {0u, 1u}) {
      Value value = op->getOperand(index);
      Attribute attr;
      if (!matchPattern(value, m_Constant(&attr))) {
        activations.push_back(value);
        continue;
      }
      // A constant without f32 data keeps the whole op in fp32
      // (qnn-quantize says so with a remark): nothing of it is quantized.
      std::optional<std::vector<float>> data = readFloatConstant(attr);
      if (!data || data->empty())
        return;
    }
    values.insert(activations.begin(), activations.end());
  });
}

/// Every ranked f32 tensor computed from the arguments of a function, in
/// textual order: the arguments, and the results of ops with an operand so
/// computed, at the function level and in control-flow regions (whose block
/// arguments count as computed), not in payload regions.
static void collectComputedValues(Operation *root,
                                  llvm::SetVector<Value> &values) {
  root->walk<WalkOrder::PreOrder>([&](FunctionOpInterface function) {
    if (function.isExternal())
      return WalkResult::skip();
    llvm::DenseSet<Value> computed;
    auto addBlockArguments = [&](Region &region) {
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments()) {
          computed.insert(argument);
          if (isF32Tensor(argument.getType()))
            values.insert(argument);
        }
    };
    addBlockArguments(function.getFunctionBody());
    function.getFunctionBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
      bool fromArguments = llvm::any_of(op->getOperands(), [&](Value operand) {
        return computed.contains(operand);
      });
      if (fromArguments)
        for (Value result : op->getResults()) {
          computed.insert(result);
          if (isF32Tensor(result.getType()) && !isa<ObserveOp>(op))
            values.insert(result);
        }
      if (op->getNumRegions() == 0)
        return WalkResult::advance();
      if (!isa<RegionBranchOpInterface>(op))
        return WalkResult::skip();
      if (fromArguments)
        for (Region &region : op->getRegions())
          addBlockArguments(region);
      return WalkResult::advance();
    });
    return WalkResult::skip();
  });
}

/// Where the observer of `value` goes: right after its definition, after the
/// observers already there for the same op or block (so that they stay in
/// the order of the values).
static void setInsertionPointForObserver(OpBuilder &builder, Value value) {
  Block *block;
  Block::iterator it;
  Operation *definition = value.getDefiningOp();
  if (definition) {
    block = definition->getBlock();
    it = std::next(definition->getIterator());
  } else {
    block = cast<BlockArgument>(value).getOwner();
    it = block->begin();
  }
  auto sameDefinition = [&](Value other) {
    if (definition)
      return other.getDefiningOp() == definition;
    auto argument = dyn_cast<BlockArgument>(other);
    return argument && argument.getOwner() == block;
  };
  while (it != block->end()) {
    auto observe = dyn_cast<ObserveOp>(*it);
    if (!observe || !sameDefinition(observe.getInput()))
      break;
    ++it;
  }
  builder.setInsertionPoint(block, it);
}

void InsertObserversPass::runOnOperation() {
  if (failed(checkOptions()))
    return signalPassFailure();
  ValueNamer namer;
  llvm::SetVector<Value> candidates;
  if (allValues)
    collectComputedValues(getOperation(), candidates);
  else
    collectQuantizedActivations(getOperation(), onlyOps, excludeOps, namer,
                                candidates);

  // Name everything before the IR changes.
  std::vector<std::pair<Value, std::string>> targets;
  for (Value value : candidates)
    if (isF32Tensor(value.getType()) && !isObserved(value))
      targets.emplace_back(value, namer.getName(value));

  OpBuilder builder(&getContext());
  for (auto &[value, name] : targets) {
    setInsertionPointForObserver(builder, value);
    // The location name keeps the observed value's stable name for passes
    // run on the instrumented IR.
    Location loc = NameLoc::get(builder.getStringAttr(name), value.getLoc());
    auto observe = ObserveOp::create(builder, loc, value.getType(), value,
                                     builder.getStringAttr(name));
    value.replaceAllUsesExcept(observe.getResult(), observe);
  }
}
