//===- QNNToLinalg.cpp - Lower quantized IR to linalg on tensors ----------===//
//
// After this pass no quantized type is left: tensors hold their storage
// integers, and quantize/dequantize are linalg.generic ops doing the
// contract's arithmetic, ready for tiling, vectorization and bufferization.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"
#include "qnn/Conversion/QNNToLinalg/ObserveLowering.h"

#include "Lowerings.h"
#include "QuantArith.h"
#include "QuantizedLayout.h"

#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"

namespace qnn {
#define GEN_PASS_DEF_CONVERTQNNTOLINALG
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

/// The arithmetic on one element, given its scale and zero point.
using ElementBody = function_ref<Value(OpBuilder &, Location, Value element,
                                       Value scale, Value zeroPoint)>;

/// Computes `body(element, scale, zeroPoint)` for every element of `input`
/// (a ranked tensor of storage or expressed values, or a scalar), with the
/// parameters `layout` assigns to that element. Scales have the expressed
/// type, zero points `zeroPointType`; a zero point of 0 everywhere is passed
/// as a null value. Returns a value of `resultType`.
static Value buildElementwise(OpBuilder &builder, Location loc, Value input,
                              Type resultType, const QuantizedLayout &layout,
                              Type zeroPointType, ElementBody body) {
  Type scaleType = layout.type.getExpressedType();
  bool needsZeroPoint = !layout.hasZeroZeroPoints();
  auto scaleConstant = [&](OpBuilder &b, double scale) -> Value {
    return arith::ConstantOp::create(b, loc, scaleType,
                                     b.getFloatAttr(scaleType, scale));
  };
  auto zeroPointConstant = [&](OpBuilder &b, int64_t zeroPoint) -> Value {
    if (isa<FloatType>(zeroPointType))
      return arith::ConstantOp::create(
          b, loc, zeroPointType,
          b.getFloatAttr(zeroPointType, static_cast<double>(zeroPoint)));
    return arith::ConstantOp::create(
        b, loc, zeroPointType, b.getIntegerAttr(zeroPointType, zeroPoint));
  };

  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  if (!inputType) {
    Value zeroPoint =
        needsZeroPoint ? zeroPointConstant(builder, layout.zeroPoints.front())
                       : Value();
    return body(builder, loc, input, scaleConstant(builder, layout.scales[0]),
                zeroPoint);
  }

  // Parameters shared by every element are scalars in the body; the others
  // are constant tensors read through the layout's map.
  MLIRContext *context = builder.getContext();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  unsigned rank = layout.iterationShape.size();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
  AffineMap paramsMap = layout.getParamsMap(context);
  SmallVector<OpFoldResult> sizes;
  for (auto [extent, sourceDim] :
       llvm::zip_equal(layout.iterationShape, layout.sourceDims)) {
    if (ShapedType::isDynamic(extent))
      sizes.push_back(
          tensor::DimOp::create(builder, loc, input, sourceDim).getResult());
    else
      sizes.push_back(builder.getIndexAttr(extent));
  }
  Value expanded = input;
  if (layout.isSplit()) {
    auto expandedType = RankedTensorType::get(layout.iterationShape,
                                              inputType.getElementType());
    expanded = tensor::ExpandShapeOp::create(builder, loc, expandedType, input,
                                             layout.reassociation, sizes);
  }
  inputs.push_back(expanded);
  maps.push_back(identity);

  bool scaleTensor = !layout.hasSingleScale();
  bool zeroPointTensor = needsZeroPoint && !layout.hasSingleZeroPoint();
  if (scaleTensor) {
    SmallVector<Attribute> values;
    for (double scale : layout.scales)
      values.push_back(builder.getFloatAttr(scaleType, scale));
    auto type = RankedTensorType::get(layout.paramsShape, scaleType);
    inputs.push_back(arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(type, values)));
    maps.push_back(paramsMap);
  }
  if (zeroPointTensor) {
    SmallVector<Attribute> values;
    for (int64_t zeroPoint : layout.zeroPoints)
      values.push_back(
          isa<FloatType>(zeroPointType)
              ? Attribute(builder.getFloatAttr(zeroPointType,
                                               static_cast<double>(zeroPoint)))
              : Attribute(builder.getIntegerAttr(zeroPointType, zeroPoint)));
    auto type = RankedTensorType::get(layout.paramsShape, zeroPointType);
    inputs.push_back(arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(type, values)));
    maps.push_back(paramsMap);
  }
  maps.push_back(identity);

  Type resultElementType = getElementTypeOrSelf(resultType);
  Value init = tensor::EmptyOp::create(builder, loc, sizes, resultElementType);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      builder, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        unsigned next = 1;
        Value scale = scaleTensor ? args[next++]
                                  : scaleConstant(b, layout.scales.front());
        Value zeroPoint;
        if (zeroPointTensor)
          zeroPoint = args[next++];
        else if (needsZeroPoint)
          zeroPoint = zeroPointConstant(b, layout.zeroPoints.front());
        Value result = body(b, bodyLoc, args[0], scale, zeroPoint);
        linalg::YieldOp::create(b, bodyLoc, result);
      });
  Value result = generic.getResult(0);
  if (layout.isSplit())
    result = tensor::CollapseShapeOp::create(builder, loc, resultType, result,
                                             layout.reassociation);
  return result;
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// Lowers a quantize with `rounding` from `input` (expressed type) to the
/// storage type of `quantizedType`.
static LogicalResult lowerQuantize(Operation *op, Value input,
                                   Type quantizedType, RoundingMode rounding,
                                   const TypeConverter &converter,
                                   ConversionPatternRewriter &rewriter) {
  std::string why;
  FailureOr<QuantizedLayout> layout = getQuantizedLayout(quantizedType, why);
  if (failed(layout))
    return rewriter.notifyMatchFailure(op, why);
  Type resultType = converter.convertType(quantizedType);
  if (!resultType)
    return rewriter.notifyMatchFailure(op, "result type has no storage type");
  quant::QuantizedType type = layout->type;
  Value result = buildElementwise(
      rewriter, op->getLoc(), input, resultType, *layout,
      getClampFloatType(type),
      [&](OpBuilder &b, Location loc, Value x, Value scale, Value zeroPoint) {
        return buildQuantize(b, loc, x, scale, zeroPoint, type, rounding);
      });
  rewriter.replaceOp(op, result);
  return success();
}

namespace {

/// qnn.constant -> arith.constant of the stored integers.
class ConstantOpLowering : public OpConversionPattern<qnn::ConstantOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(qnn::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type resultType = getTypeConverter()->convertType(op.getType());
    // Unsigned storage may be spelled `ui8` in the op; arith wants `i8`.
    DenseIntElementsAttr value = op.getSignlessStorageValues();
    if (!resultType || value.getType() != resultType)
      return rewriter.notifyMatchFailure(
          op, "stored values do not have the converted result type");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, resultType, value);
    return success();
  }
};

/// quant.dcast -> float(widen(q) - zero_point) * scale.
class DequantizeCastLowering
    : public OpConversionPattern<quant::DequantizeCastOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::DequantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::string why;
    FailureOr<QuantizedLayout> layout =
        getQuantizedLayout(op.getInput().getType(), why);
    if (failed(layout))
      return rewriter.notifyMatchFailure(op, why);
    quant::QuantizedType type = layout->type;
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getInput(), op.getType(), *layout,
        getWideIntegerType(type),
        [&](OpBuilder &b, Location loc, Value stored, Value scale,
            Value zeroPoint) {
          return buildDequantize(b, loc, stored, scale, zeroPoint, type);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnn.quantize -> saturate(round(x / scale) + zero_point), its rounding.
class QuantizeOpLowering : public OpConversionPattern<qnn::QuantizeOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(qnn::QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerQuantize(op, adaptor.getInput(), op.getType(), op.getRounding(),
                         *getTypeConverter(), rewriter);
  }
};

/// quant.qcast leaves rounding to the lowering: half to even, the project's
/// default (upstream's lower-quant-ops truncates instead).
class QuantizeCastLowering : public OpConversionPattern<quant::QuantizeCastOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerQuantize(op, adaptor.getInput(), op.getType(),
                         RoundingMode::HalfToEven, *getTypeConverter(),
                         rewriter);
  }
};

/// quant.scast reinterprets storage as quantized values or back; both sides
/// are the same integers after conversion.
class StorageCastLowering : public OpConversionPattern<quant::StorageCastOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type resultType = getTypeConverter()->convertType(op.getType());
    if (!resultType || adaptor.getInput().getType() != resultType)
      return rewriter.notifyMatchFailure(
          op, "operand and result do not convert to the same storage type");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

/// Ops whose quantized types are handled by the pass's patterns.
static bool isStructuralOp(Operation *op) {
  return isa<func::FuncOp, func::CallOp, func::ReturnOp, BranchOpInterface,
             scf::ForOp, scf::IfOp, scf::WhileOp, scf::YieldOp,
             scf::ConditionOp, scf::IndexSwitchOp>(op) ||
         isDataMovementOp(op);
}

/// The first quantized type of `op` the converter cannot map to storage.
/// Structural ops only forward values, so only the types they define
/// (results, signatures) are looked at: the producer of a bad operand is
/// reported instead.
static Type findUnconvertibleType(Operation *op,
                                  const TypeConverter &converter) {
  SmallVector<Type> types(op->getResultTypes());
  if (!isStructuralOp(op))
    llvm::append_range(types, op->getOperandTypes());
  if (auto function = dyn_cast<FunctionOpInterface>(op)) {
    llvm::append_range(types, function.getArgumentTypes());
    llvm::append_range(types, function.getResultTypes());
  }
  for (Type type : types)
    if (isQuantizedType(type) && !converter.convertType(type))
      return type;
  return Type();
}

/// Why the quantize or dequantize `op` cannot be lowered, if it is one and
/// cannot.
static std::optional<std::string> findUnlowerableCast(Operation *op) {
  Type quantizedSide;
  if (auto dequantize = dyn_cast<quant::DequantizeCastOp>(op))
    quantizedSide = dequantize.getInput().getType();
  else if (auto quantize = dyn_cast<quant::QuantizeCastOp>(op))
    quantizedSide = quantize.getType();
  else if (auto quantize = dyn_cast<qnn::QuantizeOp>(op))
    quantizedSide = quantize.getType();
  std::string why;
  if (!quantizedSide || succeeded(getQuantizedLayout(quantizedSide, why)))
    return std::nullopt;
  return why;
}

/// Emits an error on every op this pass cannot lower, so that failures are
/// reported with the op and the reason rather than as a failed
/// legalization. Ops nested in a reported op are not reported again.
static LogicalResult checkLowerable(ModuleOp module,
                                    const TypeConverter &converter) {
  bool failedAny = false;
  module.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (!hasQuantizedTypes(op))
      return WalkResult::advance();
    if (Type type = findUnconvertibleType(op, converter)) {
      op->emitOpError("has quantized type ")
          << type
          << " that cannot be lowered: only !quant.uniform types "
             "(per-tensor, per-axis, sub-channel) have a storage form";
      failedAny = true;
      return WalkResult::skip();
    }
    if (std::optional<std::string> why = findUnlowerableCast(op)) {
      op->emitOpError("cannot be lowered: ") << *why;
      failedAny = true;
      return WalkResult::skip();
    }
    if (isIntegerQNNOp(op)) {
      std::optional<std::string> why = findUnsupportedContraction(op);
      if (!why)
        why = findUnsupportedRescale(op);
      if (!why)
        why = findUnsupportedPooling(op);
      if (why) {
        op->emitOpError("cannot be lowered: ") << *why;
        failedAny = true;
        return WalkResult::skip();
      }
      return WalkResult::advance();
    }
    // The bodies of linalg data-movement ops only yield an element; they
    // are rebuilt with the op.
    if (isDataMovementOp(op))
      return WalkResult::skip();
    if (isa<qnn::ConstantOp, qnn::QuantizeOp, quant::DequantizeCastOp,
            quant::QuantizeCastOp, quant::StorageCastOp>(op) ||
        isStructuralOp(op))
      return WalkResult::advance();
    op->emitOpError("operates on quantized values and has no lowering to "
                    "integer arithmetic; dequantize its operands (quant.dcast) "
                    "before it");
    failedAny = true;
    return WalkResult::skip();
  });
  return failure(failedAny);
}

namespace {
struct ConvertQNNToLinalgPass
    : public qnn::impl::ConvertQNNToLinalgBase<ConvertQNNToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    QuantizedStorageTypeConverter converter;
    if (failed(checkLowerable(module, converter)) ||
        failed(prepareObserverLowering(module)))
      return signalPassFailure();

    ConversionTarget target(*context);
    target.markUnknownOpDynamicallyLegal(
        [](Operation *op) { return !hasQuantizedTypes(op); });
    target.addIllegalOp<qnn::ConstantOp, qnn::QuantizeOp,
                        quant::DequantizeCastOp, quant::QuantizeCastOp,
                        quant::StorageCastOp, qnn::ObserveOp>();

    RewritePatternSet patterns(context);
    populateQNNToLinalgConversionPatterns(converter, patterns);
    populateObserveLoweringPatterns(patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateBranchOpInterfaceTypeConversionPattern(patterns, converter);
    scf::populateSCFStructuralTypeConversions(converter, patterns);

    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void qnn::populateQNNToLinalgConversionPatterns(TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ConstantOpLowering, DequantizeCastLowering, QuantizeOpLowering,
               QuantizeCastLowering, StorageCastLowering>(converter, context);
  populateContractionLoweringPatterns(converter, patterns);
  populateRescaleLoweringPatterns(converter, patterns);
  populatePoolingLoweringPatterns(converter, patterns);
  populateDataMovementLoweringPatterns(converter, patterns);
}

bool qnn::isIntegerQNNOp(Operation *op) {
  return isa<MatmulOp, BatchMatmulOp, Conv2DOp, RequantizeOp, AddOp, MulOp,
             MaxPool2DOp, AvgPool2DOp, PadOp>(op);
}
