//===- CalibrationOps.cpp - Calibration markers ---------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"

using namespace mlir;
using namespace qnn;

LogicalResult ObserveOp::verify() {
  if (getName().empty())
    return emitOpError("name must not be empty");
  return success();
}

void ObserveOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  // Calibration reads the value and writes the runner's statistics; model
  // that as a write to an unknown resource so the op is never dropped or
  // moved across other observers.
  effects.emplace_back(MemoryEffects::Read::get());
  effects.emplace_back(MemoryEffects::Write::get());
}
