//===- DynamicQuantize.cpp - qnn-quantize mode=dynamic --------------------===//
//
// `!quant.uniform` types carry compile-time scales, so an activation range
// known only at run time cannot be one; dynamic mode emits upstream ops
// instead. The arithmetic is ONNX DynamicQuantizeLinear's (uint8), and tests
// reproduce it bit for bit, so here it is exactly. All float operations are
// f32 and round to nearest even; `round` is the pass's `rounding` option
// (half to even by default, as ONNX).
//
// Once per activation x (a linalg.reduce, then scalar arith):
//
//   lo    = minnum(0, x...)            min(x, 0); NaN elements are ignored
//   hi    = maxnum(0, x...)            max(x, 0)
//   range = hi - lo
//   scale = range == 0 ? 1.0 : max(range / 255, FLT_MIN)
//   zp    = clamp(round(0 - lo / scale), 0, 255)
//
// The zero-range case is the math library's (an all-zero activation gets
// scale 1.0, never a division by zero); FLT_MIN is its floor for ranges
// below 255 * FLT_MIN, where ONNX would divide by a zero or subnormal scale.
//
// Each element (a linalg.generic; the same steps as qnn.quantize):
//
//   q = isnan(x) ? zp : clamp(round(x / scale) + zp, 0, 255)   stored as u8
//
// Constant weights are quantized at compile time exactly as in static mode
// (by the math library, per output channel by default), giving integers
// q_w, scales s_w[n] and zero points z_w[n] (0 for symmetric weights). The
// contraction (a linalg.generic on the storage integers, in the qnn op's
// operand layout) is exact in int32:
//
//   acc = sum (i32(q_x) - i32(zp)) * (i32(q_w) - z_w[n])
//
// and the result (a linalg.generic) is
//
//   y = f32(acc) * (scale * s_w[n])
//
// with the product of the two scales rounded to f32 first. An activation x
// activation product quantizes both operands at run time and multiplies by
// both run-time scales the same way.
//
//===----------------------------------------------------------------------===//

#include "DynamicQuantize.h"

#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cfloat>

using namespace mlir;

namespace qnn {

namespace {

/// An operand of the integer contraction: storage integers in the qnn
/// layout, and parameters that are scalars or 1-D tensors along the output
/// channels.
struct IntegerOperand {
  Value storage;
  bool isUnsigned = false;
  /// f32 scalar or tensor<N x f32>.
  Value scale;
  /// i32 scalar, tensor<N x i32>, or null when every zero point is 0.
  Value zeroPoint;
};

/// Loops and maps of the qnn op's computation as a linalg.generic.
struct CanonicalMaps {
  AffineMap lhs, rhs, result;
  SmallVector<utils::IteratorType> iterators;
  /// The loop over output channels.
  unsigned channelLoop = 0;
};

} // namespace

static Value f32Constant(OpBuilder &builder, Location loc, float value) {
  return arith::ConstantOp::create(builder, loc,
                                   builder.getF32FloatAttr(value));
}

static Value rounded(OpBuilder &builder, Location loc, Value x,
                     quantmath::RoundingMode rounding) {
  if (rounding == quantmath::RoundingMode::HalfToEven)
    return math::RoundEvenOp::create(builder, loc, x);
  return math::RoundOp::create(builder, loc, x);
}

static Value clamped(OpBuilder &builder, Location loc, Value x, Value lo,
                     Value hi) {
  Value result = arith::MaximumFOp::create(builder, loc, x, lo);
  return arith::MinimumFOp::create(builder, loc, result, hi);
}

/// A tensor of `sizes` filled with the scalar `value`.
static Value filled(OpBuilder &builder, Location loc,
                    ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = tensor::EmptyOp::create(builder, loc, sizes, value.getType());
  return linalg::FillOp::create(builder, loc, value, empty).getResult(0);
}

DynamicQuantizer::Activation
DynamicQuantizer::quantizeActivation(OpBuilder &builder, Value x) {
  auto it = activations.find(x);
  if (it != activations.end())
    return it->second;

  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfterValue(x);
  Location loc = x.getLoc();
  auto type = cast<RankedTensorType>(x.getType());
  quantmath::RoundingMode rounding = weightSpec.rounding;

  Value zero = f32Constant(builder, loc, 0.0f);
  Value steps = f32Constant(builder, loc, 255.0f);
  Value smallest = f32Constant(builder, loc, FLT_MIN);
  Value one = f32Constant(builder, loc, quantmath::kZeroRangeScale);

  // lo = min(x, 0), hi = max(x, 0): reductions that start from 0.
  SmallVector<OpFoldResult> scalarSizes;
  Value loInit = filled(builder, loc, scalarSizes, zero);
  Value hiInit = filled(builder, loc, scalarSizes, zero);
  auto reduce = linalg::ReduceOp::create(
      builder, loc, ValueRange{x, x}, ValueRange{loInit, hiInit},
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank())),
      [](OpBuilder &b, Location bodyLoc, ValueRange args) {
        Value lo = arith::MinNumFOp::create(b, bodyLoc, args[0], args[2]);
        Value hi = arith::MaxNumFOp::create(b, bodyLoc, args[1], args[3]);
        linalg::YieldOp::create(b, bodyLoc, ValueRange{lo, hi});
      });
  Value lo = tensor::ExtractOp::create(builder, loc, reduce.getResult(0),
                                       ValueRange{});
  Value hi = tensor::ExtractOp::create(builder, loc, reduce.getResult(1),
                                       ValueRange{});

  // scale = range == 0 ? 1.0 : max(range / 255, FLT_MIN)
  Value range = arith::SubFOp::create(builder, loc, hi, lo);
  Value step = arith::DivFOp::create(builder, loc, range, steps);
  step = arith::MaximumFOp::create(builder, loc, step, smallest);
  Value isEmpty = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OEQ,
                                        range, zero);
  Value scale = arith::SelectOp::create(builder, loc, isEmpty, one, step);

  // zp = clamp(round(0 - lo / scale), 0, 255)
  Value shift = arith::SubFOp::create(
      builder, loc, zero, arith::DivFOp::create(builder, loc, lo, scale));
  Value zeroPoint = clamped(
      builder, loc, rounded(builder, loc, shift, rounding), zero, steps);
  Value zeroPointI32 =
      arith::FPToSIOp::create(builder, loc, builder.getI32Type(), zeroPoint);

  // q = isnan(x) ? zp : clamp(round(x / scale) + zp, 0, 255)
  MLIRContext *context = builder.getContext();
  unsigned rank = type.getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
  AffineMap scalar = AffineMap::get(rank, 0, {}, context);
  Value init = tensor::EmptyOp::create(builder, loc,
                                       tensor::getMixedSizes(builder, loc, x),
                                       builder.getIntegerType(8));
  auto quantize = linalg::GenericOp::create(
      builder, loc, TypeRange{init.getType()}, ValueRange{x, scale, zeroPoint},
      ValueRange{init}, {identity, scalar, scalar, identity},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        Value element = args[0], elementScale = args[1], elementZp = args[2];
        Value scaled = arith::DivFOp::create(b, bodyLoc, element, elementScale);
        Value shifted = arith::AddFOp::create(
            b, bodyLoc, rounded(b, bodyLoc, scaled, rounding), elementZp);
        Value inRange =
            clamped(b, bodyLoc, shifted, f32Constant(b, bodyLoc, 0.0f),
                    f32Constant(b, bodyLoc, 255.0f));
        Value isNaN = arith::CmpFOp::create(
            b, bodyLoc, arith::CmpFPredicate::UNO, element, element);
        Value result =
            arith::SelectOp::create(b, bodyLoc, isNaN, elementZp, inRange);
        linalg::YieldOp::create(
            b, bodyLoc,
            arith::FPToUIOp::create(b, bodyLoc, b.getIntegerType(8), result)
                .getResult());
      });
  Activation activation{quantize.getResult(0), scale, zeroPoint, zeroPointI32};
  activations[x] = activation;
  return activation;
}

/// The scales or zero points of a quantized constant as an operand of the
/// generics: a scalar for one value, a 1-D tensor for per-axis ones.
template <typename T>
static Value paramsConstant(OpBuilder &builder, Location loc,
                            ArrayRef<T> values, Type element) {
  auto attr = [&](T value) -> TypedAttr {
    if (isa<FloatType>(element))
      return builder.getFloatAttr(element, static_cast<double>(value));
    return builder.getIntegerAttr(element, static_cast<int64_t>(value));
  };
  if (values.size() == 1)
    return arith::ConstantOp::create(builder, loc, attr(values.front()));
  SmallVector<Attribute> attrs;
  for (T value : values)
    attrs.push_back(attr(value));
  auto type =
      RankedTensorType::get({static_cast<int64_t>(values.size())}, element);
  return arith::ConstantOp::create(builder, loc,
                                   DenseElementsAttr::get(type, attrs));
}

/// A constant weight as storage integers plus its parameters.
static IntegerOperand weightOperand(OpBuilder &builder, ConstantOp constant) {
  Location loc = constant.getLoc();
  quant::QuantizedType type = constant.getQuantizedElementType();
  auto storageType = RankedTensorType::get(constant.getType().getShape(),
                                           type.getStorageType());
  IntegerOperand operand;
  operand.storage =
      quant::StorageCastOp::create(builder, loc, storageType, constant);
  operand.isUnsigned = !type.isSigned();
  operand.scale = paramsConstant<double>(builder, loc, getScales(type),
                                         builder.getF32Type());
  SmallVector<int64_t> zeroPoints = getZeroPoints(type);
  if (llvm::any_of(zeroPoints, [](int64_t zp) { return zp != 0; }))
    operand.zeroPoint =
        paramsConstant<int64_t>(builder, loc, zeroPoints, builder.getI32Type());
  return operand;
}

/// The qnn op's computation over loops, in its operand layouts (see the
/// contraction ops' descriptions).
static CanonicalMaps getCanonicalMaps(ContractionForm &form,
                                      MLIRContext *context) {
  CanonicalMaps maps;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;
  switch (form.kind) {
  case ContractionKind::Matmul:
    // (m, n, k)
    maps.lhs = AffineMap::get(3, 0, {d(0), d(2)}, context);
    maps.rhs = AffineMap::get(3, 0, {d(2), d(1)}, context);
    maps.result = AffineMap::get(3, 0, {d(0), d(1)}, context);
    maps.iterators = {par, par, red};
    maps.channelLoop = 1;
    return maps;
  case ContractionKind::BatchMatmul:
    // (b, m, n, k)
    maps.lhs = AffineMap::get(4, 0, {d(0), d(1), d(3)}, context);
    maps.rhs = AffineMap::get(4, 0, {d(0), d(3), d(2)}, context);
    maps.result = AffineMap::get(4, 0, {d(0), d(1), d(2)}, context);
    maps.iterators = {par, par, par, red};
    maps.channelLoop = 2;
    return maps;
  case ContractionKind::Conv2D:
    break;
  }
  int64_t sh = form.strides[0], sw = form.strides[1];
  int64_t dh = form.dilations[0], dw = form.dilations[1];
  maps.iterators = {par, par, par, par, red, red, red};
  if (form.dataFormat == DataFormat::NCHW) {
    // (n, f, oh, ow, c, kh, kw)
    maps.lhs = AffineMap::get(
        7, 0, {d(0), d(4), d(2) * sh + d(5) * dh, d(3) * sw + d(6) * dw},
        context);
    maps.rhs = AffineMap::get(7, 0, {d(1), d(4), d(5), d(6)}, context);
    maps.result = AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, context);
    maps.channelLoop = 1;
    return maps;
  }
  // (n, oh, ow, f, kh, kw, c): input channel g * C/G + c for the group g of
  // output channel f, g = f floordiv (F / G).
  AffineExpr channel = d(6);
  if (form.groups != 1) {
    int64_t outPerGroup = form.resultShape[3] / form.groups;
    auto inputType = cast<RankedTensorType>(form.getLhs().getType());
    int64_t inPerGroup = inputType.getDimSize(3) / form.groups;
    channel = d(3).floorDiv(outPerGroup) * inPerGroup + d(6);
  }
  maps.lhs = AffineMap::get(
      7, 0, {d(0), d(1) * sh + d(4) * dh, d(2) * sw + d(5) * dw, channel},
      context);
  maps.rhs = AffineMap::get(7, 0, {d(4), d(5), d(6), d(3)}, context);
  maps.result = AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, context);
  maps.channelLoop = 3;
  return maps;
}

/// Sizes of the qnn op's result, from the linalg op's init.
static SmallVector<OpFoldResult> getResultSizes(OpBuilder &builder,
                                                ContractionForm &form) {
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(builder, form.op.getLoc(), form.getInit());
  if (sizes.size() != form.resultShape.size()) {
    sizes.resize(form.resultShape.size());
    sizes.back() = builder.getIndexAttr(form.resultShape.back());
  }
  return sizes;
}

/// Widens a stored integer to i32 and subtracts its zero point.
static Value centered(OpBuilder &builder, Location loc, Value stored,
                      bool isUnsigned, Value zeroPoint) {
  Type i32 = builder.getI32Type();
  Value wide =
      isUnsigned
          ? arith::ExtUIOp::create(builder, loc, i32, stored).getResult()
          : arith::ExtSIOp::create(builder, loc, i32, stored).getResult();
  if (!zeroPoint)
    return wide;
  return arith::SubIOp::create(builder, loc, wide, zeroPoint);
}

LogicalResult DynamicQuantizer::rewrite(OpBuilder &builder,
                                        ContractionForm &form,
                                        const OperandPlan &lhs,
                                        const OperandPlan &rhs) {
  MLIRContext *context = builder.getContext();
  Location loc = form.op.getLoc();
  builder.setInsertionPoint(form.op);

  auto integerOperand = [&](const OperandPlan &plan,
                            bool isRhs) -> FailureOr<IntegerOperand> {
    if (plan.constantData) {
      FailureOr<ConstantOp> constant = buildWeightConstant(
          builder, form, plan, isRhs, weightSpec, perChannelWeights);
      if (failed(constant))
        return failure();
      return weightOperand(builder, *constant);
    }
    Activation activation = quantizeActivation(builder, plan.value);
    IntegerOperand operand;
    // Quantization commutes with the layout change, so the integers are
    // laid out, and each activation is reduced and quantized only once.
    operand.storage = applyLayout(builder, loc, activation.storage,
                                  isRhs ? form.rhsLayout : form.lhsLayout);
    operand.isUnsigned = true;
    operand.scale = activation.scale;
    operand.zeroPoint = activation.zeroPointI32;
    return operand;
  };
  FailureOr<IntegerOperand> a = integerOperand(lhs, /*isRhs=*/false);
  if (failed(a))
    return failure();
  FailureOr<IntegerOperand> b = integerOperand(rhs, /*isRhs=*/true);
  if (failed(b))
    return failure();

  // acc = sum (q_a - z_a) * (q_b - z_b), in i32.
  CanonicalMaps maps = getCanonicalMaps(form, context);
  unsigned loops = maps.iterators.size();
  AffineMap scalarMap = AffineMap::get(loops, 0, {}, context);
  AffineMap channelMap = AffineMap::get(
      loops, 0, {getAffineDimExpr(maps.channelLoop, context)}, context);
  auto paramMap = [&](Value param) {
    return isa<RankedTensorType>(param.getType()) ? channelMap : scalarMap;
  };
  SmallVector<Value> inputs{a->storage, b->storage};
  SmallVector<AffineMap> indexingMaps{maps.lhs, maps.rhs};
  for (Value zeroPoint : {a->zeroPoint, b->zeroPoint}) {
    if (!zeroPoint)
      continue;
    inputs.push_back(zeroPoint);
    indexingMaps.push_back(paramMap(zeroPoint));
  }
  indexingMaps.push_back(maps.result);
  SmallVector<OpFoldResult> sizes = getResultSizes(builder, form);
  Value accInit = filled(
      builder, loc, sizes,
      arith::ConstantOp::create(builder, loc, builder.getI32IntegerAttr(0)));
  bool aUnsigned = a->isUnsigned, bUnsigned = b->isUnsigned;
  bool aCentered = static_cast<bool>(a->zeroPoint);
  bool bCentered = static_cast<bool>(b->zeroPoint);
  auto contraction = linalg::GenericOp::create(
      builder, loc, TypeRange{accInit.getType()}, inputs, ValueRange{accInit},
      indexingMaps, maps.iterators,
      [&](OpBuilder &nested, Location bodyLoc, ValueRange args) {
        unsigned next = 2;
        Value za = aCentered ? args[next++] : Value();
        Value zb = bCentered ? args[next++] : Value();
        Value x = centered(nested, bodyLoc, args[0], aUnsigned, za);
        Value w = centered(nested, bodyLoc, args[1], bUnsigned, zb);
        Value product = arith::MulIOp::create(nested, bodyLoc, x, w);
        Value sum =
            arith::AddIOp::create(nested, bodyLoc, args.back(), product);
        linalg::YieldOp::create(nested, bodyLoc, sum);
      });

  // y = f32(acc) * (s_a * s_b).
  unsigned rank = form.resultShape.size();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
  AffineMap resultScalar = AffineMap::get(rank, 0, {}, context);
  AffineMap resultChannel = AffineMap::get(
      rank, 0, {getAffineDimExpr(form.resultChannelAxis, context)}, context);
  auto scaleMap = [&](Value scale) {
    return isa<RankedTensorType>(scale.getType()) ? resultChannel
                                                  : resultScalar;
  };
  Value resultInit =
      tensor::EmptyOp::create(builder, loc, sizes, builder.getF32Type());
  auto rescale = linalg::GenericOp::create(
      builder, loc, TypeRange{resultInit.getType()},
      ValueRange{contraction.getResult(0), a->scale, b->scale},
      ValueRange{resultInit},
      {identity, scaleMap(a->scale), scaleMap(b->scale), identity},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location bodyLoc, ValueRange args) {
        Value scale = arith::MulFOp::create(nested, bodyLoc, args[1], args[2]);
        Value real = arith::SIToFPOp::create(nested, bodyLoc,
                                             nested.getF32Type(), args[0]);
        linalg::YieldOp::create(
            nested, bodyLoc,
            arith::MulFOp::create(nested, bodyLoc, real, scale).getResult());
      });

  Value result = finishResult(builder, form, rescale.getResult(0));
  form.op->getResult(0).replaceAllUsesWith(result);
  form.op->erase();
  return success();
}

} // namespace qnn
