//===- Epilogue.cpp - Elementwise consumers applied to accumulators -------===//
//
// A requantize (or bias + activation) generic after a matmul is scalar code
// over (m, n). Its body is made of elementwise-mappable arith and math ops,
// so the same ops on vectors of `lanes` columns compute `lanes` results at
// once: the body is cloned with every scalar type widened to a vector,
// per-channel parameters read as vectors along n, per-row ones broadcast,
// and values captured from outside (constants) broadcast. The accumulator
// comes straight from the kernel's registers and never goes to memory.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace qnn;

/// How an epilogue input is indexed by (m, n).
enum class InputAccess { RowCol, Col, Row, Scalar };

static std::optional<InputAccess> classify(AffineMap map) {
  if (map.getNumDims() != 2 || map.getNumSymbols() != 0)
    return std::nullopt;
  if (map.isIdentity())
    return InputAccess::RowCol;
  if (map.getNumResults() == 0)
    return InputAccess::Scalar;
  if (map.getNumResults() != 1)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(map.getResult(0));
  if (!dim)
    return std::nullopt;
  return dim.getPosition() == 0 ? InputAccess::Row : InputAccess::Col;
}

static bool isScalarIntOrFloat(Type type) {
  return type.isIntOrIndexOrFloat() && !type.isIndex();
}

std::optional<unsigned> qnn::matchEpilogue(linalg::GenericOp consumer,
                                           Value accumulator) {
  if (!consumer.hasPureTensorSemantics() || consumer.getNumLoops() != 2 ||
      consumer.getNumParallelLoops() != 2 || consumer.getNumDpsInits() != 1 ||
      consumer.getNumResults() != 1 ||
      !consumer.getMatchingIndexingMap(consumer.getDpsInitOperand(0))
           .isIdentity() ||
      consumer.payloadUsesValueFromOperand(consumer.getDpsInitOperand(0)))
    return std::nullopt;
  std::optional<unsigned> position;
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    std::optional<InputAccess> access =
        classify(consumer.getMatchingIndexingMap(input));
    if (!access || !isa<RankedTensorType>(input->get().getType()))
      return std::nullopt;
    if (input->get() == accumulator) {
      if (*access != InputAccess::RowCol || position)
        return std::nullopt;
      position = input->getOperandNumber();
    }
  }
  if (!position || !hasElementwiseBody(consumer))
    return std::nullopt;
  return position;
}

bool qnn::hasElementwiseBody(linalg::GenericOp op) {
  return llvm::all_of(op.getBlock()->without_terminator(), [](Operation &op) {
    bool elementwise =
        op.hasTrait<OpTrait::Elementwise>() || isa<arith::ConstantOp>(op);
    return elementwise && op.getNumRegions() == 0 &&
           llvm::all_of(op.getResultTypes(), isScalarIntOrFloat) &&
           llvm::all_of(op.getOperandTypes(), isScalarIntOrFloat);
  });
}

Value qnn::readRowVector(OpBuilder &builder, Location loc, Value tensor,
                         Value row, Value col, int64_t lanes,
                         int64_t validLanes) {
  Type element = cast<RankedTensorType>(tensor.getType()).getElementType();
  auto type = VectorType::get({lanes}, element);
  SmallVector<Value> indices;
  if (row)
    indices.push_back(row);
  indices.push_back(col);
  Value padding = arith::ConstantOp::create(builder, loc, element,
                                            builder.getZeroAttr(element));
  auto map =
      AffineMap::getMinorIdentityMap(indices.size(), 1, builder.getContext());
  return vector::TransferReadOp::create(builder, loc, type, tensor, indices,
                                        padding, map,
                                        ArrayRef<bool>{validLanes >= lanes});
}

Value qnn::writeRowVector(OpBuilder &builder, Location loc, Value vector,
                          Value tensor, Value row, Value col,
                          int64_t validLanes) {
  int64_t lanes = cast<VectorType>(vector.getType()).getNumElements();
  // The lanes inside the tensor as a shorter vector, written in bounds:
  // not a masked write, which LLVM 22 miscompiles for a truncated byte
  // vector with one lane enabled (a 4-byte `vmovd` that overwrites the
  // next row).
  if (validLanes < lanes)
    vector = vector::ExtractStridedSliceOp::create(
        builder, loc, vector, ArrayRef<int64_t>{0},
        ArrayRef<int64_t>{validLanes}, ArrayRef<int64_t>{1});
  auto map = AffineMap::getMinorIdentityMap(2, 1, builder.getContext());
  return vector::TransferWriteOp::create(builder, loc, vector, tensor,
                                         ValueRange{row, col}, map,
                                         ArrayRef<bool>{true})
      .getResult();
}

/// `value` (a scalar defined outside the body) as a vector of `lanes`.
static Value broadcastOutside(OpBuilder &builder, Location loc, Value value,
                              int64_t lanes) {
  auto type = VectorType::get({lanes}, value.getType());
  Attribute constant;
  if (matchPattern(value, m_Constant(&constant)))
    return arith::ConstantOp::create(
        builder, loc, type,
        SplatElementsAttr::get(type, cast<TypedAttr>(constant)));
  return vector::BroadcastOp::create(builder, loc, type, value);
}

Value qnn::emitEpilogue(OpBuilder &builder, Location loc,
                        linalg::GenericOp consumer, unsigned accumulatorInput,
                        Value accumulator, Value row, Value col,
                        int64_t validLanes) {
  int64_t lanes = cast<VectorType>(accumulator.getType()).getNumElements();
  auto widen = [&](Type type) { return VectorType::get({lanes}, type); };
  Block *body = consumer.getBlock();
  IRMapping mapping;
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    unsigned position = input->getOperandNumber();
    Value argument = body->getArgument(position);
    if (position == accumulatorInput) {
      mapping.map(argument, accumulator);
      continue;
    }
    Value tensor = input->get();
    Value vector;
    switch (*classify(consumer.getMatchingIndexingMap(input))) {
    case InputAccess::RowCol:
      vector = readRowVector(builder, loc, tensor, row, col, lanes, validLanes);
      break;
    case InputAccess::Col:
      vector =
          readRowVector(builder, loc, tensor, Value(), col, lanes, validLanes);
      break;
    case InputAccess::Row:
      vector = vector::BroadcastOp::create(
          builder, loc, widen(argument.getType()),
          tensor::ExtractOp::create(builder, loc, tensor, ValueRange{row}));
      break;
    case InputAccess::Scalar:
      vector = vector::BroadcastOp::create(
          builder, loc, widen(argument.getType()),
          tensor::ExtractOp::create(builder, loc, tensor, ValueRange{}));
      break;
    }
    mapping.map(argument, vector);
  }

  for (Operation &op : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto type = widen(constant.getType());
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(
                      builder, loc, type,
                      SplatElementsAttr::get(type, constant.getValue())));
      continue;
    }
    for (Value operand : op.getOperands())
      if (!mapping.contains(operand))
        mapping.map(operand, broadcastOutside(builder, loc, operand, lanes));
    // The op itself, with its properties, on vectors.
    Operation *vectorOp = builder.clone(op, mapping);
    for (OpResult result : vectorOp->getResults())
      result.setType(widen(result.getType()));
    mapping.map(op.getResults(), vectorOp->getResults());
  }
  Value yielded = body->getTerminator()->getOperand(0);
  if (Value mapped = mapping.lookupOrNull(yielded))
    return mapped;
  return broadcastOutside(builder, loc, yielded, lanes);
}
