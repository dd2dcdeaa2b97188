//===- FuseMatchers.cpp - The fp32 idioms qnn-fuse recognizes -------------===//

#include "FuseMatchers.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace qnn {

std::optional<double> matchFloatScalar(Value value) {
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    return matchFloatScalar(fill.getInputs().front());
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto scalar = dyn_cast<FloatAttr>(attr))
    return scalar.getValueAsDouble();
  auto elements = dyn_cast<DenseFPElementsAttr>(attr);
  if (!elements || !elements.isSplat())
    return std::nullopt;
  return FloatAttr::getValueAsDouble(elements.getSplatValue<APFloat>());
}

OpOperand *ElementwiseLinalg::getInputOperand(Value arg) const {
  auto blockArg = dyn_cast<BlockArgument>(arg);
  if (!blockArg || blockArg.getOwner() != op.getBlock() ||
      blockArg.getArgNumber() >= op.getNumDpsInputs())
    return nullptr;
  return op.getDpsInputOperand(blockArg.getArgNumber());
}

std::optional<double> ElementwiseLinalg::getScalarConstant(Value value) const {
  if (isa<BlockArgument>(value)) {
    OpOperand *input = getInputOperand(value);
    return input ? matchFloatScalar(input->get()) : std::nullopt;
  }
  // A constant in the body, or any float scalar defined above the op.
  return matchFloatScalar(value);
}

std::optional<ElementwiseLinalg> matchElementwise(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      linalgOp.getNumParallelLoops() != linalgOp.getNumLoops() ||
      linalgOp.hasIndexSemantics())
    return std::nullopt;
  OpOperand *init = linalgOp.getDpsInitOperand(0);
  if (!linalgOp.getMatchingIndexingMap(init).isIdentity() ||
      linalgOp.payloadUsesValueFromOperand(init))
    return std::nullopt;
  auto yield = dyn_cast<linalg::YieldOp>(linalgOp.getBlock()->getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return std::nullopt;
  return ElementwiseLinalg{linalgOp, yield.getOperand(0)};
}

} // namespace qnn
