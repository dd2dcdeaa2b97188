//===- ObserveLowering.cpp - qnn.observe as calls into the runner ---------===//
//
// The value is passed as an unranked tensor, so that one function serves
// every shape; bufferization turns it into an unranked memref (as
// printMemrefF32 calls are handled), and the argument is marked read-only
// (`bufferization.access = "read"`) so that bufferization needs no copy of
// the observed buffer. The runner drops that attribute from the lowered
// declaration (the LLVM IR translation does not know it).
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QNNToLinalg/ObserveLowering.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;

namespace qnn {

/// The type of @qnn_observe_f32.
static FunctionType getObserveFunctionType(MLIRContext *context) {
  Type f32 = Float32Type::get(context);
  return FunctionType::get(
      context, {UnrankedTensorType::get(f32), IntegerType::get(context, 64)},
      {});
}

FailureOr<ArrayAttr> prepareObserverLowering(ModuleOp module) {
  MLIRContext *context = module.getContext();
  Attribute existing = module->getAttr(kObservedValuesAttrName);
  auto table = dyn_cast_or_null<ArrayAttr>(existing);
  if (existing && (!table || !llvm::all_of(table, [](Attribute name) {
        return isa<StringAttr>(name);
      })))
    return module.emitOpError("attribute '")
           << kObservedValuesAttrName << "' must be an array of strings, got "
           << existing;
  SmallVector<Attribute> names;
  llvm::StringMap<unsigned> indices;
  if (table)
    for (Attribute name : table) {
      indices.try_emplace(cast<StringAttr>(name).getValue(), names.size());
      names.push_back(name);
    }
  bool anyObserver = false;
  module.walk([&](ObserveOp observe) {
    anyObserver = true;
    if (indices.try_emplace(observe.getName(), names.size()).second)
      names.push_back(observe.getNameAttr());
  });
  auto result = ArrayAttr::get(context, names);
  if (!anyObserver)
    return result;
  module->setAttr(kObservedValuesAttrName, result);

  FunctionType type = getObserveFunctionType(context);
  Operation *symbol = SymbolTable::lookupSymbolIn(module, kObserveFunctionName);
  if (auto function = dyn_cast_or_null<func::FuncOp>(symbol);
      function && function.isExternal() && function.getFunctionType() == type)
    return result;
  if (symbol)
    return symbol->emitOpError("is not the declaration qnn.observe lowers "
                               "to: @")
           << kObserveFunctionName << " must be a declaration of type " << type;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto function = func::FuncOp::create(builder, module.getLoc(),
                                       kObserveFunctionName, type);
  function.setPrivate();
  function->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
  // The runner only reads the value: without this, bufferization would have
  // to copy it before the call (an external function may write its
  // arguments), which it cannot do for an unranked tensor.
  function.setArgAttr(0, "bufferization.access", builder.getStringAttr("read"));
  return result;
}

namespace {

/// qnn.observe -> tensor.cast to tensor<*xf32> and a call of
/// @qnn_observe_f32 with the index of its name; its result is its input.
class ObserveOpLowering : public OpRewritePattern<ObserveOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ObserveOp op,
                                PatternRewriter &rewriter) const override {
    auto module = op->getParentOfType<ModuleOp>();
    auto table = module
                     ? module->getAttrOfType<ArrayAttr>(kObservedValuesAttrName)
                     : ArrayAttr();
    if (!table)
      return rewriter.notifyMatchFailure(op, "the module has no observer "
                                             "table (qnn.observed_values)");
    const auto *it = llvm::find(table.getValue(), op.getNameAttr());
    if (it == table.end())
      return rewriter.notifyMatchFailure(op, "name is not in the module's "
                                             "observer table");
    Location loc = op.getLoc();
    Value unranked = tensor::CastOp::create(
        rewriter, loc, UnrankedTensorType::get(rewriter.getF32Type()),
        op.getInput());
    Value id = arith::ConstantIntOp::create(
        rewriter, loc, rewriter.getI64Type(),
        static_cast<int64_t>(std::distance(table.begin(), it)));
    func::CallOp::create(rewriter, loc, kObserveFunctionName, TypeRange{},
                         ValueRange{unranked, id});
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

} // namespace

void populateObserveLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<ObserveOpLowering>(patterns.getContext());
}

} // namespace qnn
