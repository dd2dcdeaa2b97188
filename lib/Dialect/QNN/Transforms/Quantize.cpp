//===- Quantize.cpp - The QNNQuantize pass
//--------------------------------------===//

#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace qnn {
#define GEN_PASS_DEF_QNNQUANTIZE
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

namespace {
struct QuantizePass : public qnn::impl::QNNQuantizeBase<QuantizePass> {
  using QNNQuantizeBase::QNNQuantizeBase;
  void runOnOperation() override {}
};
} // namespace
