//===- QNNDialect.cpp - The qnn dialect -----------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace qnn;

#include "qnn/Dialect/QNN/IR/QNNOpsDialect.cpp.inc"

void QNNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qnn/Dialect/QNN/IR/QNNOps.cpp.inc"
      >();
  registerAttributes();
}

Operation *QNNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto storage = dyn_cast<DenseIntElementsAttr>(value);
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!storage || !tensorType ||
      !isa<quant::QuantizedType>(tensorType.getElementType()))
    return nullptr;
  return ConstantOp::create(builder, loc, tensorType, storage,
                            /*error=*/nullptr);
}
