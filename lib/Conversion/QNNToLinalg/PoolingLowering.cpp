//===- PoolingLowering.cpp - qnn.max_pool2d, qnn.avg_pool2d, qnn.pad ------===//
//
// Pooling uses the named linalg pooling ops, which the CPU vectorizer
// decomposes into 1-D pooling and vectorizes:
//
// - max pooling pads with the storage minimum (it never wins) and takes the
//   signed or unsigned maximum of the stored integers. There is no unsigned
//   NCHW max pooling op: unsigned storage is mapped to signed order by
//   flipping the sign bit (q xor 2^(w-1) = q - 2^(w-1)), pooled, and flipped
//   back.
// - average pooling sums the stored integers in i32 over the window (the
//   padding adds 0), then divides by the number of summed elements, or by
//   the whole window with `count_include_pad`, where the padding counts as
//   the zero point: S + (KH*KW - n) * z. The division rounds half away from
//   zero, as TFLite: (S +- d/2) / d with a truncating division.
// - qnn.pad is tensor.pad with the zero point; per-axis zero points that
//   differ fill the result channel by channel and insert the input.
//
//===----------------------------------------------------------------------===//

#include "IntegerTensors.h"
#include "Lowerings.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace qnn;

namespace {
/// The image dimensions of a pooling op's data format.
struct PoolLayout {
  bool nhwc;
  int64_t channel() const { return nhwc ? 3 : 1; }
  int64_t height() const { return nhwc ? 1 : 2; }
  int64_t width() const { return nhwc ? 2 : 3; }
};
} // namespace

/// `value` with `padding` ([top, bottom, left, right]) added around its
/// image dimensions, holding `padValue`.
static Value padImage(OpBuilder &builder, Location loc, Value value,
                      PoolLayout layout, ArrayRef<int64_t> padding,
                      Value padValue) {
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
  MLIRContext *context = builder.getContext();
  return tensor::PadOp::create(
      builder, loc, RankedTensorType::get(shape, type.getElementType()), value,
      getAsIndexOpFoldResult(context, low),
      getAsIndexOpFoldResult(context, high), padValue);
}

/// The result sizes of a pooling op: the (static) result shape, with a
/// dynamic batch or channel extent read from the input.
static SmallVector<OpFoldResult> getPoolSizes(OpBuilder &builder, Location loc,
                                              RankedTensorType resultType,
                                              Value input) {
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(builder.getContext(), resultType.getShape());
  SmallVector<OpFoldResult> inputSizes =
      tensor::getMixedSizes(builder, loc, input);
  for (int64_t d = 0; d < 4; ++d)
    if (resultType.isDynamicDim(d))
      sizes[d] = inputSizes[d];
  return sizes;
}

/// A tensor of `sizes` filled with `value`.
static Value createFilled(OpBuilder &builder, Location loc,
                          ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = tensor::EmptyOp::create(builder, loc, sizes, value.getType());
  return linalg::FillOp::create(builder, loc, ValueRange{value},
                                ValueRange{empty})
      .getResult(0);
}

/// The named pooling op `OpTy` of `input` into `init` with a window of
/// `kernel` and `strides`.
template <typename OpTy>
static Value createPool(OpBuilder &builder, Location loc, Value input,
                        Value init, ArrayRef<int64_t> kernel,
                        ArrayRef<int64_t> strides) {
  // The window operand only carries the kernel shape.
  Value window =
      tensor::EmptyOp::create(builder, loc, kernel, builder.getI32Type());
  auto stridesAttr = builder.getI64TensorAttr(strides);
  auto dilationsAttr = builder.getI64TensorAttr({1, 1});
  return OpTy::create(builder, loc, TypeRange{init.getType()},
                      ValueRange{input, window}, ValueRange{init}, stridesAttr,
                      dilationsAttr)
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// qnn.max_pool2d
//===----------------------------------------------------------------------===//

/// `q xor 2^(w-1)` elementwise: unsigned order becomes signed order and
/// back.
static Value flipSignBit(OpBuilder &builder, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  auto element = cast<IntegerType>(type.getElementType());
  APInt signBit = APInt::getSignMask(element.getWidth());
  return buildChannelwiseGeneric(
      builder, loc, tensor::getMixedSizes(builder, loc, value), element,
      {{value, AffineMap()}}, std::nullopt, {},
      [&](OpBuilder &b, Location bodyLoc, ValueRange in, ValueRange) -> Value {
        Value mask = arith::ConstantOp::create(
            b, bodyLoc, element, b.getIntegerAttr(element, signBit));
        return arith::XOrIOp::create(b, bodyLoc, in[0], mask);
      });
}

static Value buildMaxPool(OpBuilder &builder, MaxPool2DOp op, Value input,
                          RankedTensorType resultType) {
  Location loc = op.getLoc();
  quant::QuantizedType type = getQuantizedElementType(op.getInput().getType());
  PoolLayout layout{op.getDataFormat() == DataFormat::NHWC};
  SmallVector<OpFoldResult> sizes =
      getPoolSizes(builder, loc, resultType, input);
  // The storage minimum: below or equal to every stored value.
  IntegerAttr minimum = getStorageAttr(builder, type, type.getStorageTypeMin());
  bool flip = !type.isSigned() && !layout.nhwc;
  if (flip) {
    input = flipSignBit(builder, loc, input);
    APInt flipped = minimum.getValue() ^
                    APInt::getSignMask(minimum.getValue().getBitWidth());
    minimum = builder.getIntegerAttr(minimum.getType(), flipped);
  }
  Value minValue = arith::ConstantOp::create(builder, loc, minimum);
  input = padImage(builder, loc, input, layout, op.getPadding(), minValue);
  Value init = createFilled(builder, loc, sizes, minValue);
  Value result;
  if (layout.nhwc && type.isSigned())
    result = createPool<linalg::PoolingNhwcMaxOp>(
        builder, loc, input, init, op.getKernel(), op.getStrides());
  else if (layout.nhwc)
    result = createPool<linalg::PoolingNhwcMaxUnsignedOp>(
        builder, loc, input, init, op.getKernel(), op.getStrides());
  else
    result = createPool<linalg::PoolingNchwMaxOp>(
        builder, loc, input, init, op.getKernel(), op.getStrides());
  return flip ? flipSignBit(builder, loc, result) : result;
}

//===----------------------------------------------------------------------===//
// qnn.avg_pool2d
//===----------------------------------------------------------------------===//

/// The number of window elements inside the input for each output position
/// [OH, OW], or one value when every window has the same count.
static SmallVector<int32_t> countValid(int64_t height, int64_t width,
                                       int64_t outHeight, int64_t outWidth,
                                       ArrayRef<int64_t> kernel,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> padding) {
  auto valid = [](int64_t start, int64_t size, int64_t extent) {
    int64_t lo = std::max<int64_t>(start, 0);
    int64_t hi = std::min<int64_t>(start + size, extent);
    return std::max<int64_t>(hi - lo, 0);
  };
  SmallVector<int32_t> counts;
  for (int64_t y = 0; y < outHeight; ++y)
    for (int64_t x = 0; x < outWidth; ++x)
      counts.push_back(static_cast<int32_t>(
          valid(y * strides[0] - padding[0], kernel[0], height) *
          valid(x * strides[1] - padding[2], kernel[1], width)));
  return counts;
}

static Value buildAvgPool(OpBuilder &builder, AvgPool2DOp op, Value input,
                          RankedTensorType resultType) {
  Location loc = op.getLoc();
  MLIRContext *context = builder.getContext();
  quant::QuantizedType type = getQuantizedElementType(op.getInput().getType());
  PoolLayout layout{op.getDataFormat() == DataFormat::NHWC};
  Type i32 = builder.getI32Type();
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<OpFoldResult> sizes =
      getPoolSizes(builder, loc, resultType, input);
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                    padding = op.getPadding();
  bool padded = llvm::any_of(padding, [](int64_t p) { return p != 0; });

  // S: the sum of the stored integers of each window, the padding adding 0.
  Value wide = buildChannelwiseGeneric(
      builder, loc, tensor::getMixedSizes(builder, loc, input), i32,
      {{input, AffineMap()}}, std::nullopt, {},
      [&](OpBuilder &b, Location bodyLoc, ValueRange in, ValueRange) {
        return widenStored(b, bodyLoc, in[0], type, b.getI32Type());
      });
  Value zero = createScalarConstant(builder, loc, i32, 0);
  wide = padImage(builder, loc, wide, layout, padding, zero);
  Value init = createFilled(builder, loc, sizes, zero);
  Value sums = layout.nhwc ? createPool<linalg::PoolingNhwcSumOp>(
                                 builder, loc, wide, init, kernel, strides)
                           : createPool<linalg::PoolingNchwSumOp>(
                                 builder, loc, wide, init, kernel, strides);

  // The divisor of each output position, and the padding's contribution.
  int64_t window = kernel[0] * kernel[1];
  SmallVector<int32_t> counts = countValid(
      inputType.getDimSize(layout.height()),
      inputType.getDimSize(layout.width()),
      resultType.getDimSize(layout.height()),
      resultType.getDimSize(layout.width()), kernel, strides, padding);
  SmallVector<int64_t> zeroPoints = getZeroPoints(type);
  bool includePad = op.getCountIncludePad();
  bool addPadding = includePad && padded &&
                    llvm::any_of(zeroPoints, [](int64_t z) { return z != 0; });
  bool uniformCount = includePad || llvm::all_equal(counts);
  int32_t firstCount = counts.empty() ? window : counts.front();

  SmallVector<GenericInput> inputs = {{sums, AffineMap()}};
  if (!uniformCount || addPadding) {
    // Counts by output position, read through (n, ., oh, ow) -> (oh, ow).
    auto countType =
        RankedTensorType::get({resultType.getDimSize(layout.height()),
                               resultType.getDimSize(layout.width())},
                              i32);
    Value countTensor = arith::ConstantOp::create(
        builder, loc, DenseIntElementsAttr::get(countType, ArrayRef(counts)));
    AffineMap map = AffineMap::get(4, /*symbolCount=*/0,
                                   {getAffineDimExpr(layout.height(), context),
                                    getAffineDimExpr(layout.width(), context)},
                                   context);
    inputs.push_back({countTensor, map});
  }
  SmallVector<ChannelParam> params;
  std::optional<int64_t> axis;
  if (addPadding) {
    params.push_back(ChannelParam::ints(i32, zeroPoints));
    if (std::optional<int32_t> quantizedAxis = getQuantizedAxis(type))
      axis = *quantizedAxis;
  }
  int64_t lo = type.getStorageTypeMin(), hi = type.getStorageTypeMax();
  Type storage = type.getStorageType();
  return buildChannelwiseGeneric(
      builder, loc, sizes, storage, inputs, axis, params,
      [&](OpBuilder &b, Location bodyLoc, ValueRange in,
          ValueRange p) -> Value {
        Value sum = in[0];
        Value divisor;
        if (includePad) {
          divisor = createScalarConstant(b, bodyLoc, i32, window);
          if (addPadding) {
            // The padded positions of the window hold the zero point.
            Value missing = arith::SubIOp::create(b, bodyLoc, divisor, in[1]);
            Value padSum = arith::MulIOp::create(b, bodyLoc, missing, p[0]);
            sum = arith::AddIOp::create(b, bodyLoc, sum, padSum);
          }
        } else {
          divisor = in.size() > 1
                        ? in[1]
                        : createScalarConstant(b, bodyLoc, i32, firstCount);
        }
        // Round half away from zero: (S + d/2) / d, (S - d/2) / d for
        // negative S, with a truncating division.
        Value one = createScalarConstant(b, bodyLoc, i32, 1);
        Value half = arith::ShRSIOp::create(b, bodyLoc, divisor, one);
        Value zeroValue = createScalarConstant(b, bodyLoc, i32, 0);
        Value negative = arith::CmpIOp::create(
            b, bodyLoc, arith::CmpIPredicate::slt, sum, zeroValue);
        Value up = arith::AddIOp::create(b, bodyLoc, sum, half);
        Value down = arith::SubIOp::create(b, bodyLoc, sum, half);
        Value nudged = arith::SelectOp::create(b, bodyLoc, negative, down, up);
        Value mean = arith::DivSIOp::create(b, bodyLoc, nudged, divisor);
        Value clamped = buildClamp(b, bodyLoc, mean,
                                   createScalarConstant(b, bodyLoc, i32, lo),
                                   createScalarConstant(b, bodyLoc, i32, hi));
        if (storage == clamped.getType())
          return clamped;
        return arith::TruncIOp::create(b, bodyLoc, storage, clamped);
      });
}

//===----------------------------------------------------------------------===//
// qnn.pad
//===----------------------------------------------------------------------===//

/// The zero points of `type`, and its quantized axis when they differ.
static SmallVector<int64_t> getAnyZeroPoints(quant::QuantizedType type) {
  if (auto subChannel = dyn_cast<quant::UniformQuantizedSubChannelType>(type)) {
    SmallVector<int64_t> values;
    for (const APInt &z : subChannel.getZeroPoints().getValues<APInt>())
      values.push_back(z.getSExtValue());
    return values;
  }
  return getZeroPoints(type);
}

static Value buildPad(OpBuilder &builder, PadOp op, Value input,
                      RankedTensorType resultType) {
  Location loc = op.getLoc();
  MLIRContext *context = builder.getContext();
  quant::QuantizedType type = getQuantizedElementType(op.getInput().getType());
  SmallVector<int64_t> zeroPoints = getAnyZeroPoints(type);
  SmallVector<OpFoldResult> low = getAsIndexOpFoldResult(context, op.getLow());
  SmallVector<OpFoldResult> high =
      getAsIndexOpFoldResult(context, op.getHigh());
  if (llvm::all_equal(zeroPoints)) {
    Value padValue = arith::ConstantOp::create(
        builder, loc, getStorageAttr(builder, type, zeroPoints.front()));
    return tensor::PadOp::create(builder, loc, resultType, input, low, high,
                                 padValue);
  }
  // Per-axis zero points that differ: the result starts as the zero point
  // of each channel, and the input goes inside.
  int64_t axis = *getQuantizedAxis(type);
  SmallVector<OpFoldResult> inputSizes =
      tensor::getMixedSizes(builder, loc, input);
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(context, resultType.getShape());
  for (int64_t d = 0, e = resultType.getRank(); d < e; ++d)
    if (resultType.isDynamicDim(d)) {
      Value extent =
          getValueOrCreateConstantIndexOp(builder, loc, inputSizes[d]);
      Value added = arith::ConstantIndexOp::create(
          builder, loc, op.getLow()[d] + op.getHigh()[d]);
      sizes[d] = arith::AddIOp::create(builder, loc, extent, added).getResult();
    }
  SmallVector<int64_t> storageValues;
  for (int64_t z : zeroPoints)
    storageValues.push_back(
        getStorageAttr(builder, type, z).getValue().getSExtValue());
  Type storage = type.getStorageType();
  Value filled = buildChannelwiseGeneric(
      builder, loc, sizes, storage, {}, axis,
      {ChannelParam::ints(storage, storageValues)},
      [](OpBuilder &, Location, ValueRange, ValueRange p) { return p[0]; });
  SmallVector<OpFoldResult> strides(resultType.getRank(),
                                    builder.getIndexAttr(1));
  return tensor::InsertSliceOp::create(builder, loc, input, filled, low,
                                       inputSizes, strides);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

template <typename OpTy>
class PoolingLoweringBase : public OpConversionPattern<OpTy> {
public:
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (std::optional<std::string> why = findUnsupportedPooling(op))
      return rewriter.notifyMatchFailure(op, *why);
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result type does not convert");
    rewriter.replaceOp(op, build(rewriter, op, adaptor.getInput(), resultType));
    return success();
  }

private:
  static Value build(OpBuilder &builder, OpTy op, Value input,
                     RankedTensorType resultType) {
    if constexpr (std::is_same_v<OpTy, MaxPool2DOp>)
      return buildMaxPool(builder, op, input, resultType);
    else if constexpr (std::is_same_v<OpTy, AvgPool2DOp>)
      return buildAvgPool(builder, op, input, resultType);
    else
      return buildPad(builder, op, input, resultType);
  }
};

} // namespace

/// Why a pooling op with these types cannot be lowered.
static std::optional<std::string> findUnsupportedPool(RankedTensorType input,
                                                      DataFormat format) {
  PoolLayout layout{format == DataFormat::NHWC};
  for (int64_t d : {layout.height(), layout.width()})
    if (input.isDynamicDim(d)) {
      std::string why;
      llvm::raw_string_ostream(why)
          << "has a dynamic image dimension " << d
          << "; the height and width of a pooling input must be static";
      return why;
    }
  return std::nullopt;
}

std::optional<std::string> qnn::findUnsupportedPooling(Operation *op) {
  if (auto pool = dyn_cast<MaxPool2DOp>(op))
    return findUnsupportedPool(pool.getInput().getType(), pool.getDataFormat());
  if (auto pool = dyn_cast<AvgPool2DOp>(op)) {
    if (std::optional<std::string> why = findUnsupportedPool(
            pool.getInput().getType(), pool.getDataFormat()))
      return why;
    quant::QuantizedType type =
        getQuantizedElementType(pool.getInput().getType());
    std::optional<int32_t> axis = getQuantizedAxis(type);
    int64_t channel = pool.getDataFormat() == DataFormat::NHWC ? 3 : 1;
    if (pool.getCountIncludePad() && axis && *axis != channel &&
        !llvm::all_equal(getZeroPoints(type)))
      return std::string("counts the padding as zero points that vary along "
                         "an image dimension; only per-channel zero points "
                         "are supported");
    return std::nullopt;
  }
  if (auto pad = dyn_cast<PadOp>(op)) {
    quant::QuantizedType type =
        getQuantizedElementType(pad.getInput().getType());
    if (isa<quant::UniformQuantizedSubChannelType>(type) &&
        !llvm::all_equal(getAnyZeroPoints(type)))
      return std::string("pads a sub-channel quantized tensor whose zero "
                         "points differ; only per-tensor and per-axis zero "
                         "points are supported");
  }
  return std::nullopt;
}

void qnn::populatePoolingLoweringPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<PoolingLoweringBase<MaxPool2DOp>,
               PoolingLoweringBase<AvgPool2DOp>, PoolingLoweringBase<PadOp>>(
      converter, patterns.getContext());
}
