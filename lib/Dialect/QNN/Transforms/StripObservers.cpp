//===- StripObservers.cpp - Remove qnn.observe ops ------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

namespace qnn {
#define GEN_PASS_DEF_QNNSTRIPOBSERVERS
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

struct StripObserversPass
    : public qnn::impl::QNNStripObserversBase<StripObserversPass> {
  void runOnOperation() override {
    getOperation()->walk([](ObserveOp observe) {
      observe.getResult().replaceAllUsesWith(observe.getInput());
      observe.erase();
    });
  }
};

} // namespace
