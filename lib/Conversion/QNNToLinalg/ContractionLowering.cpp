//===- ContractionLowering.cpp - Integer matmul and convolution -----------===//
//
// qnn.matmul, qnn.batch_matmul and qnn.conv2d become linalg ops on the
// stored integers with an i32 accumulator, exact in int32 (wrapping
// arithmetic: any intermediate that overflows comes back when the final
// value fits, which the ops require).
//
// Matmuls are one linalg.generic contraction whose body widens the stored
// integers (extsi, or extui for unsigned storage) and multiplies: the inner
// loop is a pure integer dot product whatever the zero points. Non-zero zero
// points are corrected in the accumulator's initial value (gemmlowp's
// offset terms, with the weight zero point per output channel):
//
//   sum_k (a - za)(b - zb[n])
//     = sum_k a b - za sum_k (b - zb[n]) - zb[n] sum_k a
//
// Convolutions pad the input with its zero point, in storage integers, then
// use the named linalg convolutions, which the CPU vectorizer decomposes and
// vectorizes. Those sign-extend their operands, so an operand with unsigned
// storage or a non-zero zero point is first widened and centred (q - z,
// i16), which also turns the padding into zeros.
//
//===----------------------------------------------------------------------===//

#include "IntegerTensors.h"
#include "Lowerings.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace qnn;

static Value createZeroFilled(OpBuilder &builder, Location loc,
                              ArrayRef<OpFoldResult> sizes, Type elementType) {
  Value empty = tensor::EmptyOp::create(builder, loc, sizes, elementType);
  Value zero = createScalarConstant(builder, loc, elementType, 0);
  return linalg::FillOp::create(builder, loc, ValueRange{zero},
                                ValueRange{empty})
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Matmul and batch matmul
//===----------------------------------------------------------------------===//

namespace {
/// The loops of a (batch) matmul: (batch..., m, n, k).
struct MatmulLoops {
  MLIRContext *context;
  int64_t batchRank;

  unsigned m() const { return batchRank; }
  unsigned n() const { return batchRank + 1; }
  unsigned k() const { return batchRank + 2; }
  unsigned count() const { return batchRank + 3; }
  /// A map from the loops to (batch..., dims...).
  AffineMap map(ArrayRef<unsigned> dims) const {
    SmallVector<AffineExpr> results;
    for (int64_t b = 0; b < batchRank; ++b)
      results.push_back(getAffineDimExpr(b, context));
    for (unsigned dim : dims)
      results.push_back(getAffineDimExpr(dim, context));
    return AffineMap::get(count(), /*symbolCount=*/0, results, context);
  }
};
} // namespace

/// Sizes (batch..., extent of `operand` dimension `dim`) of a row or column
/// sum.
static SmallVector<OpFoldResult> getSumSizes(OpBuilder &builder, Location loc,
                                             Value operand, int64_t batchRank,
                                             int64_t dim) {
  SmallVector<OpFoldResult> all = tensor::getMixedSizes(builder, loc, operand);
  SmallVector<OpFoldResult> sizes(all.begin(), all.begin() + batchRank);
  sizes.push_back(all[dim]);
  return sizes;
}

/// `sum_k widen(x) - z[kept]` for the matmul operand `x` of `type`, keeping
/// the batch dimensions and m (lhs) or n (rhs): the row sums of the lhs,
/// the zero-point-corrected column sums of the rhs. `zeroPoints` (one, or
/// one per n) may be empty: nothing to subtract.
static Value buildSumOverK(OpBuilder &builder, Location loc, Value x,
                           quant::QuantizedType type, int64_t batchRank,
                           bool isLhs, ArrayRef<int64_t> zeroPoints) {
  MLIRContext *context = builder.getContext();
  Type i32 = builder.getI32Type();
  // Loops (batch..., kept, k).
  unsigned rank = batchRank + 2;
  unsigned kept = batchRank, k = batchRank + 1;
  auto map = [&](ArrayRef<unsigned> dims, bool withBatch) {
    SmallVector<AffineExpr> results;
    for (int64_t b = 0; withBatch && b < batchRank; ++b)
      results.push_back(getAffineDimExpr(b, context));
    for (unsigned dim : dims)
      results.push_back(getAffineDimExpr(dim, context));
    return AffineMap::get(rank, /*symbolCount=*/0, results, context);
  };
  int64_t keptDim = batchRank + (isLhs ? 0 : 1);
  Value init = createZeroFilled(
      builder, loc, getSumSizes(builder, loc, x, batchRank, keptDim), i32);

  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {isLhs ? map({kept, k}, true)
                                       : map({k, kept}, true)};
  bool subtract = llvm::any_of(zeroPoints, [](int64_t z) { return z != 0; });
  bool zeroPointTensor = subtract && !llvm::all_equal(zeroPoints);
  if (zeroPointTensor) {
    auto tensorType =
        RankedTensorType::get({static_cast<int64_t>(zeroPoints.size())}, i32);
    SmallVector<int32_t> values(zeroPoints.begin(), zeroPoints.end());
    inputs.push_back(arith::ConstantOp::create(
        builder, loc, DenseIntElementsAttr::get(tensorType, ArrayRef(values))));
    maps.push_back(map({kept}, false));
  }
  maps.push_back(map({kept}, true));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[k] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      builder, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        Value wide = widenStored(b, bodyLoc, args[0], type, b.getI32Type());
        if (subtract) {
          Value zeroPoint =
              zeroPointTensor ? args[1]
                              : createScalarConstant(b, bodyLoc, b.getI32Type(),
                                                     zeroPoints.front());
          wide = arith::SubIOp::create(b, bodyLoc, wide, zeroPoint);
        }
        Value sum = arith::AddIOp::create(b, bodyLoc, args.back(), wide);
        linalg::YieldOp::create(b, bodyLoc, sum);
      });
  return generic.getResult(0);
}

/// The whole matmul on storage tensors: the accumulator initialised with
/// the bias and zero-point corrections, then the integer contraction.
static Value buildMatmul(OpBuilder &builder, Location loc, Value lhs, Value rhs,
                         Value bias, quant::UniformQuantizedType lhsType,
                         quant::QuantizedType rhsType, int64_t batchRank) {
  MLIRContext *context = builder.getContext();
  Type i32 = builder.getI32Type();
  MatmulLoops loops{context, batchRank};

  SmallVector<OpFoldResult> lhsSizes = tensor::getMixedSizes(builder, loc, lhs);
  SmallVector<OpFoldResult> sizes(lhsSizes.begin(),
                                  lhsSizes.begin() + batchRank + 1);
  sizes.push_back(tensor::getMixedSizes(builder, loc, rhs)[batchRank + 1]);

  int64_t lhsZeroPoint = lhsType.getZeroPoint();
  SmallVector<int64_t> rhsZeroPoints = getZeroPoints(rhsType);
  bool correctRhs =
      llvm::any_of(rhsZeroPoints, [](int64_t z) { return z != 0; });
  Value rhsSums, lhsSums;
  if (lhsZeroPoint != 0)
    rhsSums = buildSumOverK(builder, loc, rhs, rhsType, batchRank,
                            /*isLhs=*/false, rhsZeroPoints);
  if (correctRhs)
    lhsSums = buildSumOverK(builder, loc, lhs, lhsType, batchRank,
                            /*isLhs=*/true, {});

  // The accumulator's initial value, over (batch..., m, n).
  Value init;
  if (!bias && !rhsSums && !lhsSums) {
    init = createZeroFilled(builder, loc, sizes, i32);
  } else {
    unsigned rank = batchRank + 2;
    auto outerMap = [&](ArrayRef<unsigned> dims) {
      SmallVector<AffineExpr> results;
      for (unsigned dim : dims)
        results.push_back(getAffineDimExpr(dim, context));
      return AffineMap::get(rank, /*symbolCount=*/0, results, context);
    };
    SmallVector<unsigned> batchDims;
    for (int64_t b = 0; b < batchRank; ++b)
      batchDims.push_back(b);
    auto withBatch = [&](unsigned dim) {
      SmallVector<unsigned> dims(batchDims);
      dims.push_back(dim);
      return outerMap(dims);
    };
    unsigned m = batchRank, n = batchRank + 1;
    SmallVector<GenericInput> inputs;
    SmallVector<ChannelParam> params;
    if (bias)
      inputs.push_back({bias, outerMap({n})});
    if (rhsSums) {
      inputs.push_back({rhsSums, withBatch(n)});
      params.push_back(ChannelParam::ints(i32, {lhsZeroPoint}));
    }
    if (lhsSums) {
      inputs.push_back({lhsSums, withBatch(m)});
      params.push_back(ChannelParam::ints(i32, rhsZeroPoints));
    }
    init = buildChannelwiseGeneric(
        builder, loc, sizes, i32, inputs, n, params,
        [&](OpBuilder &b, Location bodyLoc, ValueRange in,
            ValueRange param) -> Value {
          unsigned nextInput = 0, nextParam = 0;
          Value value =
              bias ? in[nextInput++] : createScalarConstant(b, bodyLoc, i32, 0);
          for (Value sums : {rhsSums, lhsSums}) {
            if (!sums)
              continue;
            Value term = arith::MulIOp::create(b, bodyLoc, param[nextParam++],
                                               in[nextInput++]);
            value = arith::SubIOp::create(b, bodyLoc, value, term);
          }
          return value;
        });
  }

  SmallVector<AffineMap> maps = {loops.map({loops.m(), loops.k()}),
                                 loops.map({loops.k(), loops.n()}),
                                 loops.map({loops.m(), loops.n()})};
  SmallVector<utils::IteratorType> iterators(loops.count(),
                                             utils::IteratorType::parallel);
  iterators[loops.k()] = utils::IteratorType::reduction;
  auto contraction = linalg::GenericOp::create(
      builder, loc, init.getType(), ValueRange{lhs, rhs}, ValueRange{init},
      maps, iterators, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        Value a = widenStored(b, bodyLoc, args[0], lhsType, b.getI32Type());
        Value w = widenStored(b, bodyLoc, args[1], rhsType, b.getI32Type());
        Value product = arith::MulIOp::create(b, bodyLoc, a, w);
        Value sum = arith::AddIOp::create(b, bodyLoc, args[2], product);
        linalg::YieldOp::create(b, bodyLoc, sum);
      });
  return contraction.getResult(0);
}

namespace {

/// qnn.matmul and qnn.batch_matmul.
template <typename OpTy, int64_t BatchRank>
class MatmulLowering : public OpConversionPattern<OpTy> {
public:
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto lhsType = dyn_cast<quant::UniformQuantizedType>(
        getQuantizedElementType(op.getLhs().getType()));
    quant::QuantizedType rhsType =
        getQuantizedElementType(op.getRhs().getType());
    if (!lhsType || !isPerTensorOrPerAxis(rhsType))
      return rewriter.notifyMatchFailure(op, "unexpected operand types");
    Value result =
        buildMatmul(rewriter, op.getLoc(), adaptor.getLhs(), adaptor.getRhs(),
                    adaptor.getBias(), lhsType, rhsType, BatchRank);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Conv2D
//===----------------------------------------------------------------------===//

/// Where the dimensions of an image and a filter are for a data format.
namespace {
struct ConvLayout {
  bool nhwc;
  int64_t channel() const { return nhwc ? 3 : 1; }
  int64_t height() const { return nhwc ? 1 : 2; }
  int64_t width() const { return nhwc ? 2 : 3; }
};
} // namespace

/// `value` padded by `padding` ([top, bottom, left, right]) with the
/// storage value `padValue`.
static Value padImage(OpBuilder &builder, Location loc, Value value,
                      ConvLayout layout, ArrayRef<int64_t> padding,
                      TypedAttr padValue) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> low(4, 0), high(4, 0);
  low[layout.height()] = padding[0];
  high[layout.height()] = padding[1];
  low[layout.width()] = padding[2];
  high[layout.width()] = padding[3];
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t d = 0; d < 4; ++d)
    if (!ShapedType::isDynamic(shape[d]))
      shape[d] += low[d] + high[d];
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value constant = arith::ConstantOp::create(builder, loc, padValue);
  return tensor::PadOp::create(
      builder, loc, resultType, value,
      getAsIndexOpFoldResult(builder.getContext(), low),
      getAsIndexOpFoldResult(builder.getContext(), high), constant);
}

/// `value` with its static shape `shape` (the leading dimension taken from
/// `batchSource` when dynamic), split or merged by `reassociation`.
static Value expand(OpBuilder &builder, Location loc, Value value,
                    ArrayRef<int64_t> shape,
                    ArrayRef<ReassociationIndices> reassociation,
                    Value batchSource) {
  auto elementType = cast<RankedTensorType>(value.getType()).getElementType();
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(builder.getContext(), shape);
  if (ShapedType::isDynamic(shape.front()))
    sizes.front() = tensor::getMixedSizes(builder, loc, batchSource).front();
  return tensor::ExpandShapeOp::create(
      builder, loc, RankedTensorType::get(shape, elementType), value,
      reassociation, sizes);
}

static Value buildConv2D(OpBuilder &builder, Location loc, Conv2DOp op,
                         Value input, Value filter, Value bias,
                         RankedTensorType resultType) {
  auto inputType = cast<quant::UniformQuantizedType>(
      getQuantizedElementType(op.getInput().getType()));
  quant::QuantizedType filterType =
      getQuantizedElementType(op.getFilter().getType());
  ConvLayout layout{op.getDataFormat() == DataFormat::NHWC};
  Type i32 = builder.getI32Type();
  Value original = input;

  input =
      padImage(builder, loc, input, layout, op.getPadding(),
               getStorageAttr(builder, inputType, inputType.getZeroPoint()));
  if (!inputType.isSigned() || inputType.getZeroPoint() != 0)
    input = buildCenteredTensor(builder, loc, input, inputType);
  SmallVector<int64_t> filterZeroPoints = getZeroPoints(filterType);
  if (!filterType.isSigned() ||
      llvm::any_of(filterZeroPoints, [](int64_t z) { return z != 0; }))
    filter = buildCenteredTensor(builder, loc, filter, filterType);

  // The accumulator, holding the bias.
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(builder.getContext(), resultType.getShape());
  if (resultType.isDynamicDim(0))
    sizes[0] = tensor::getMixedSizes(builder, loc, original)[0];
  Value init;
  if (bias) {
    AffineMap channelMap = AffineMap::get(
        4, /*symbolCount=*/0,
        getAffineDimExpr(layout.channel(), builder.getContext()));
    init = buildChannelwiseGeneric(
        builder, loc, sizes, i32, {{bias, channelMap}}, std::nullopt, {},
        [](OpBuilder &, Location, ValueRange in, ValueRange) { return in[0]; });
  } else {
    init = createZeroFilled(builder, loc, sizes, i32);
  }

  auto strides = builder.getI64TensorAttr(op.getStrides());
  auto dilations = builder.getI64TensorAttr(op.getDilations());
  Type initType = init.getType();
  int64_t groups = op.getGroups();
  auto filterShape = cast<RankedTensorType>(filter.getType()).getShape();
  auto inputShape = cast<RankedTensorType>(input.getType()).getShape();
  if (groups == 1) {
    if (layout.nhwc)
      return linalg::Conv2DNhwcHwcfOp::create(
                 builder, loc, TypeRange{initType}, ValueRange{input, filter},
                 ValueRange{init}, strides, dilations)
          .getResult(0);
    return linalg::Conv2DNchwFchwOp::create(
               builder, loc, TypeRange{initType}, ValueRange{input, filter},
               ValueRange{init}, strides, dilations)
        .getResult(0);
  }

  int64_t channels = inputShape[layout.channel()];
  int64_t outChannels = resultType.getDimSize(layout.channel());
  if (groups == channels && groups == outChannels) {
    // Depthwise: the filter's unit input-channel dimension goes.
    if (layout.nhwc) {
      Value hwc = tensor::CollapseShapeOp::create(
          builder, loc, filter,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
      return linalg::DepthwiseConv2DNhwcHwcOp::create(
                 builder, loc, TypeRange{initType}, ValueRange{input, hwc},
                 ValueRange{init}, strides, dilations)
          .getResult(0);
    }
    Value chw = tensor::CollapseShapeOp::create(
        builder, loc, filter, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    return linalg::DepthwiseConv2DNchwChwOp::create(
               builder, loc, TypeRange{initType}, ValueRange{input, chw},
               ValueRange{init}, strides, dilations)
        .getResult(0);
  }

  // Grouped: the channel dimensions split into [groups, per group].
  int64_t perGroup = channels / groups;
  int64_t outPerGroup = outChannels / groups;
  Type filterElement =
      cast<RankedTensorType>(filter.getType()).getElementType();
  SmallVector<int64_t> resultShape(resultType.getShape());
  if (layout.nhwc) {
    SmallVector<ReassociationIndices> splitLast = {{0}, {1}, {2}, {3, 4}};
    Value groupedInput =
        expand(builder, loc, input,
               {inputShape[0], inputShape[1], inputShape[2], groups, perGroup},
               splitLast, original);
    // [KH, KW, C/G, F] -> [KH, KW, C/G, G, F/G] -> [G, F/G, KH, KW, C/G].
    Value splitFilter = expand(
        builder, loc, filter,
        {filterShape[0], filterShape[1], filterShape[2], groups, outPerGroup},
        splitLast, Value());
    Value transposedInit = tensor::EmptyOp::create(
        builder, loc,
        ArrayRef<int64_t>{groups, outPerGroup, filterShape[0], filterShape[1],
                          filterShape[2]},
        filterElement);
    Value gfhwc =
        linalg::TransposeOp::create(builder, loc, splitFilter, transposedInit,
                                    ArrayRef<int64_t>{3, 4, 0, 1, 2})
            .getResult()[0];
    Value groupedInit = expand(
        builder, loc, init,
        {resultShape[0], resultShape[1], resultShape[2], groups, outPerGroup},
        splitLast, original);
    Value conv = linalg::Conv2DNhwgcGfhwcOp::create(
                     builder, loc, TypeRange{groupedInit.getType()},
                     ValueRange{groupedInput, gfhwc}, ValueRange{groupedInit},
                     strides, dilations)
                     .getResult(0);
    return tensor::CollapseShapeOp::create(builder, loc, initType, conv,
                                           splitLast);
  }
  SmallVector<ReassociationIndices> splitSecond = {{0}, {1, 2}, {3}, {4}};
  Value groupedInput =
      expand(builder, loc, input,
             {inputShape[0], groups, perGroup, inputShape[2], inputShape[3]},
             splitSecond, original);
  // [F, C/G, KH, KW] -> [G, F/G, C/G, KH, KW].
  Value gfchw = expand(
      builder, loc, filter,
      {groups, outPerGroup, filterShape[1], filterShape[2], filterShape[3]},
      {{0, 1}, {2}, {3}, {4}}, Value());
  Value groupedInit = expand(
      builder, loc, init,
      {resultShape[0], groups, outPerGroup, resultShape[2], resultShape[3]},
      splitSecond, original);
  Value conv = linalg::Conv2DNgchwGfchwOp::create(
                   builder, loc, TypeRange{groupedInit.getType()},
                   ValueRange{groupedInput, gfchw}, ValueRange{groupedInit},
                   strides, dilations)
                   .getResult(0);
  return tensor::CollapseShapeOp::create(builder, loc, initType, conv,
                                         splitSecond);
}

namespace {

class Conv2DLowering : public OpConversionPattern<Conv2DOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (std::optional<std::string> why = findUnsupportedContraction(op))
      return rewriter.notifyMatchFailure(op, *why);
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result type does not convert");
    Value result =
        buildConv2D(rewriter, op.getLoc(), op, adaptor.getInput(),
                    adaptor.getFilter(), adaptor.getBias(), resultType);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

std::optional<std::string> qnn::findUnsupportedContraction(Operation *op) {
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv)
    return std::nullopt;
  // The padded, grouped and output shapes are computed at compile time;
  // only the batch may vary.
  for (Value value : {conv.getInput(), conv.getFilter(), conv.getResult()}) {
    auto type = cast<RankedTensorType>(value.getType());
    bool isFilter = value == conv.getFilter();
    for (int64_t d = isFilter ? 0 : 1; d < type.getRank(); ++d)
      if (type.isDynamicDim(d)) {
        std::string why;
        llvm::raw_string_ostream(why)
            << "has a dynamic " << (isFilter ? "filter" : "image")
            << " dimension " << d
            << "; only the batch dimension of a convolution may be dynamic";
        return why;
      }
  }
  return std::nullopt;
}

void qnn::populateContractionLoweringPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<MatmulLowering<MatmulOp, 0>, MatmulLowering<BatchMatmulOp, 1>,
               Conv2DLowering>(converter, context);
}
