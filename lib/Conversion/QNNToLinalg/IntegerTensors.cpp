//===- IntegerTensors.cpp - Storage integers on tensors -------------------===//

#include "IntegerTensors.h"

#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qnn;

Value qnn::widenStored(OpBuilder &builder, Location loc, Value value,
                       quant::QuantizedType type, IntegerType wideType) {
  if (value.getType() == wideType)
    return value;
  if (type.isSigned())
    return arith::ExtSIOp::create(builder, loc, wideType, value);
  return arith::ExtUIOp::create(builder, loc, wideType, value);
}

IntegerAttr qnn::getStorageAttr(OpBuilder &builder, quant::QuantizedType type,
                                int64_t value) {
  auto storage = cast<IntegerType>(type.getStorageType());
  // Truncation to the storage width keeps the bits: 255 becomes -1 in i8.
  return builder.getIntegerAttr(
      storage, APInt(storage.getWidth(), static_cast<uint64_t>(value),
                     /*isSigned=*/value < 0, /*implicitTrunc=*/true));
}

Value qnn::createScalarConstant(OpBuilder &builder, Location loc, Type type,
                                int64_t value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(
        builder, loc, type,
        builder.getFloatAttr(type, static_cast<double>(value)));
  return arith::ConstantOp::create(builder, loc, type,
                                   builder.getIntegerAttr(type, value));
}

IntegerType qnn::getCenteredType(quant::QuantizedType type) {
  unsigned width = type.getStorageTypeIntegralWidth() <= 8 ? 16 : 32;
  return IntegerType::get(type.getContext(), width);
}

ChannelParam ChannelParam::ints(Type type, ArrayRef<int64_t> values) {
  ChannelParam param{type, {}};
  Builder builder(type.getContext());
  for (int64_t value : values)
    param.values.push_back(builder.getIntegerAttr(type, value));
  return param;
}

ChannelParam ChannelParam::floats(Type type, ArrayRef<double> values) {
  ChannelParam param{type, {}};
  Builder builder(type.getContext());
  for (double value : values)
    param.values.push_back(builder.getFloatAttr(type, value));
  return param;
}

bool ChannelParam::isUniform() const { return llvm::all_equal(values); }

Value qnn::buildChannelwiseGeneric(OpBuilder &builder, Location loc,
                                   ArrayRef<OpFoldResult> sizes,
                                   Type elementType,
                                   ArrayRef<GenericInput> inputs,
                                   std::optional<int64_t> axis,
                                   ArrayRef<ChannelParam> params,
                                   ChannelBody body) {
  MLIRContext *context = builder.getContext();
  unsigned rank = sizes.size();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (const GenericInput &input : inputs) {
    operands.push_back(input.value);
    maps.push_back(input.map ? input.map : identity);
  }
  SmallVector<bool> isTensor;
  for (const ChannelParam &param : params) {
    bool perChannel = !param.isUniform();
    isTensor.push_back(perChannel);
    if (!perChannel)
      continue;
    assert(axis && "per-channel parameters need a channel axis");
    auto type = RankedTensorType::get(
        {static_cast<int64_t>(param.values.size())}, param.type);
    operands.push_back(arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(type, param.values)));
    maps.push_back(AffineMap::get(rank, /*symbolCount=*/0,
                                  getAffineDimExpr(*axis, context)));
  }
  maps.push_back(identity);

  Value init = tensor::EmptyOp::create(builder, loc, sizes, elementType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      builder, loc, init.getType(), operands, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        SmallVector<Value> inputValues(args.take_front(inputs.size()));
        SmallVector<Value> paramValues;
        unsigned next = inputs.size();
        for (auto [param, tensor] : llvm::zip_equal(params, isTensor)) {
          if (tensor) {
            paramValues.push_back(args[next++]);
            continue;
          }
          paramValues.push_back(arith::ConstantOp::create(
              b, bodyLoc, param.type, cast<TypedAttr>(param.values.front())));
        }
        Value result = body(b, bodyLoc, inputValues, paramValues);
        linalg::YieldOp::create(b, bodyLoc, result);
      });
  return generic.getResult(0);
}

Value qnn::buildCenteredTensor(OpBuilder &builder, Location loc, Value value,
                               quant::QuantizedType type) {
  IntegerType centered = getCenteredType(type);
  SmallVector<int64_t> zeroPoints = getZeroPoints(type);
  ChannelParam zeroPoint = ChannelParam::ints(centered, zeroPoints);
  bool subtract = llvm::any_of(zeroPoints, [](int64_t z) { return z != 0; });
  SmallVector<ChannelParam> params;
  if (subtract)
    params.push_back(zeroPoint);
  std::optional<int64_t> axis;
  if (std::optional<int32_t> quantizedAxis = getQuantizedAxis(type))
    axis = *quantizedAxis;
  return buildChannelwiseGeneric(
      builder, loc, tensor::getMixedSizes(builder, loc, value), centered,
      {{value, AffineMap()}}, axis, params,
      [&](OpBuilder &b, Location bodyLoc, ValueRange inputs,
          ValueRange paramValues) -> Value {
        Value wide = widenStored(b, bodyLoc, inputs[0], type, centered);
        if (!subtract)
          return wide;
        return arith::SubIOp::create(b, bodyLoc, wide, paramValues[0]);
      });
}

Value qnn::buildClamp(OpBuilder &builder, Location loc, Value x, Value lo,
                      Value hi) {
  Value upper = arith::MinSIOp::create(builder, loc, x, hi);
  return arith::MaxSIOp::create(builder, loc, upper, lo);
}
