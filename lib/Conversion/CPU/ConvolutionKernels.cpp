//===- ConvolutionKernels.cpp - Constant-filter convolutions as matmuls ---===//
//
// A 2-D convolution with a constant filter is a matmul over its im2col
// matrix:
//
//   out[n, oh, ow, f] = sum over (c, kh, kw) of
//     in[n, c, oh * sh + kh * dh, ow * sw + kw * dw] * filter[f, c, kh, kw]
//
// rows (n, oh, ow), columns f, reduction (c, kh, kw). Rewritten so, the
// convolution takes the packed-weight kernels of the matmuls
// (ContractionKernels.cpp) instead of the generic tiling of
// qnn-cpu-vectorize, which runs an int8 convolution with 32-bit multiplies:
//
// - the im2col copy is a linalg.generic whose input map reads the windows
//   (an affine map, no gather); the convolution's own input is read as i8
//   when it is the widening of an i8 tensor (`convert-qnn-to-linalg` widens
//   u8 activations to i16 for the named op's signed semantics);
// - the filter becomes the constant weights, reshaped to F x K (FCHW, FHWC)
//   or K x F (HWCF) without moving an element;
// - the elementwise consumer (requantize, bias, activation) moves into the
//   matmul's (rows, channels) space, so the kernel fuses it and the int32
//   accumulators never go to memory;
// - an NCHW result is transposed back once, after the consumer, where the
//   elements are narrowest.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace qnn;

namespace {

/// Where the dimensions of a convolution's operands are.
struct ConvolutionLayout {
  /// Input and output are NCHW (else NHWC).
  bool channelsFirst;
  /// The filter is F x ... (FCHW, FHWC; else HWCF).
  bool filterChannelsFirst;
};

/// A convolution `init + conv(activations, filter)` with a constant filter,
/// in the terms of the matmul it becomes.
struct ConvolutionMatch {
  // Op and attribute handles: `mutable` because their accessors are not
  // const.
  mutable linalg::LinalgOp op;
  ConvolutionLayout layout;
  KernelKind kind;
  /// The tensor the im2col copy reads: the convolution's input, or the i8
  /// tensor it widens.
  Value activations;
  bool activationsSigned = true;
  /// Subtracted from every activation (the padding holds it, so that it
  /// contributes nothing): the kernel multiplies the stored values and the
  /// initial value takes `-zeroPoint * sum(filter[f])`.
  int64_t activationZeroPoint = 0;
  /// `-activationZeroPoint * sum(filter[f])` per output channel, when the
  /// zero point is not 0.
  SmallVector<int32_t> correction;
  mutable DenseElementsAttr filter;
  int64_t batch, channels, height, width;
  int64_t outChannels, outHeight, outWidth, kernelHeight, kernelWidth;
  int64_t strideH, strideW, dilationH, dilationW;

  int64_t rows() const { return batch * outHeight * outWidth; }
  int64_t reduction() const { return channels * kernelHeight * kernelWidth; }
};

} // namespace

static std::optional<ConvolutionLayout> getLayout(linalg::LinalgOp op) {
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return ConvolutionLayout{true, true};
  if (isa<linalg::Conv2DNhwcFhwcOp>(op))
    return ConvolutionLayout{false, true};
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return ConvolutionLayout{false, false};
  return std::nullopt;
}

/// An i8 tensor widened elementwise, minus a zero point.
struct WidenedI8 {
  Value source;
  bool isSigned;
  int64_t zeroPoint = 0;
};

/// The i8 tensor that `value` widens elementwise (a linalg.generic of one
/// `arith.extui` / `arith.extsi`, then possibly the subtraction of a
/// constant zero point: how `convert-qnn-to-linalg` feeds a convolution).
static std::optional<WidenedI8> getWidenedI8(Value value) {
  auto generic = value.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return std::nullopt;
  Block *body = generic.getBlock();
  WidenedI8 result;
  Value yielded = body->getTerminator()->getOperand(0);
  if (auto sub = yielded.getDefiningOp<arith::SubIOp>()) {
    APInt zeroPoint;
    if (!matchPattern(sub.getRhs(), m_ConstantInt(&zeroPoint)))
      return std::nullopt;
    result.zeroPoint = zeroPoint.getSExtValue();
    yielded = sub.getLhs();
  }
  Operation *extension = yielded.getDefiningOp();
  if (!isa_and_nonnull<arith::ExtUIOp, arith::ExtSIOp>(extension) ||
      extension->getOperand(0) != body->getArgument(0) ||
      !body->getArgument(0).getType().isInteger(8) ||
      llvm::range_size(body->without_terminator()) !=
          (result.zeroPoint != 0 ? 2u : 1u))
    return std::nullopt;
  result.source = generic.getDpsInputOperand(0)->get();
  result.isSigned = isa<arith::ExtSIOp>(extension);
  return result;
}

/// The element kinds of the convolution as a kernel sees them: f32 x f32 ->
/// f32, or (u8 or i8, possibly widened) x i8 -> i32.
static bool matchKind(ConvolutionMatch &match, Value input, Type filterElement,
                      Type outElement) {
  Type inElement = cast<RankedTensorType>(input.getType()).getElementType();
  if (inElement.isF32() && filterElement.isF32() && outElement.isF32()) {
    match.kind = KernelKind::Float32;
    match.activations = input;
    return true;
  }
  if (!filterElement.isInteger(8) || !outElement.isInteger(32))
    return false;
  match.kind = KernelKind::Int8;
  if (inElement.isInteger(8)) {
    // The named convolution sign-extends its integer operands.
    match.activations = input;
    match.activationsSigned = true;
    return true;
  }
  if (std::optional<WidenedI8> widened = getWidenedI8(input)) {
    match.activations = widened->source;
    match.activationsSigned = widened->isSigned;
    match.activationZeroPoint = widened->zeroPoint;
    return true;
  }
  return false;
}

/// Per output channel, `-zeroPoint * sum(filter[f])`: what the activations'
/// zero point takes off each result (every window position holds a
/// corrected value, the padding included), or nothing when it fits no i32.
static std::optional<SmallVector<int32_t>>
getZeroPointCorrection(const ConvolutionMatch &match) {
  SmallVector<int64_t> sums(match.outChannels, 0);
  int64_t k = match.reduction();
  for (auto [i, value] : llvm::enumerate(match.filter.getValues<int8_t>()))
    sums[match.layout.filterChannelsFirst ? i / k : i % match.outChannels] +=
        value;
  SmallVector<int32_t> correction;
  for (int64_t sum : sums) {
    int64_t value = -match.activationZeroPoint * sum;
    if (value < INT32_MIN || value > INT32_MAX)
      return std::nullopt;
    correction.push_back(static_cast<int32_t>(value));
  }
  return correction;
}

static std::optional<ConvolutionMatch> matchConvolution(linalg::LinalgOp op) {
  std::optional<ConvolutionLayout> layout = getLayout(op);
  if (!layout || !op.hasPureTensorSemantics())
    return std::nullopt;
  ConvolutionMatch match;
  match.op = op;
  match.layout = *layout;
  Value input = op.getDpsInputOperand(0)->get();
  Value filter = op.getDpsInputOperand(1)->get();
  auto inType = cast<RankedTensorType>(input.getType());
  auto filterType = cast<RankedTensorType>(filter.getType());
  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!inType.hasStaticShape() || !filterType.hasStaticShape() ||
      !outType.hasStaticShape() ||
      !matchPattern(filter, m_Constant(&match.filter)) || !match.filter)
    return std::nullopt;
  if (!matchKind(match, input, filterType.getElementType(),
                 outType.getElementType()))
    return std::nullopt;

  ArrayRef<int64_t> in = inType.getShape(), out = outType.getShape(),
                    kernel = filterType.getShape();
  match.batch = in[0];
  if (layout->channelsFirst) {
    match.channels = in[1];
    match.height = in[2];
    match.width = in[3];
    match.outChannels = out[1];
    match.outHeight = out[2];
    match.outWidth = out[3];
  } else {
    match.channels = in[3];
    match.height = in[1];
    match.width = in[2];
    match.outChannels = out[3];
    match.outHeight = out[1];
    match.outWidth = out[2];
  }
  // FCHW, FHWC or HWCF: the window's extent.
  match.kernelHeight = layout->channelsFirst         ? kernel[2]
                       : layout->filterChannelsFirst ? kernel[1]
                                                     : kernel[0];
  match.kernelWidth = layout->channelsFirst         ? kernel[3]
                      : layout->filterChannelsFirst ? kernel[2]
                                                    : kernel[1];
  auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (!strides || !dilations || strides.getNumElements() != 2 ||
      dilations.getNumElements() != 2)
    return std::nullopt;
  match.strideH = strides.getValues<int64_t>()[0];
  match.strideW = strides.getValues<int64_t>()[1];
  match.dilationH = dilations.getValues<int64_t>()[0];
  match.dilationW = dilations.getValues<int64_t>()[1];
  if (match.activationZeroPoint != 0) {
    std::optional<SmallVector<int32_t>> correction =
        getZeroPointCorrection(match);
    if (!correction)
      return std::nullopt;
    match.correction = std::move(*correction);
  }
  return match;
}

//===----------------------------------------------------------------------===//
// Rewriting
//===----------------------------------------------------------------------===//

static SmallVector<utils::IteratorType> parallel(unsigned count) {
  return SmallVector<utils::IteratorType>(count, utils::IteratorType::parallel);
}

/// The longest run one vector transfer of the im2col copy moves: longer runs
/// (wide layers) take several, so that no vector is huge.
static constexpr int64_t kMaxCopyVector = 256;

/// The activations in NHWC: an NCHW input is transposed once (it is the
/// smallest tensor of the convolution), so that every window row is one
/// contiguous run of `kw * c` values.
static Value getChannelsLastActivations(OpBuilder &b, Location loc,
                                        const ConvolutionMatch &match) {
  if (!match.layout.channelsFirst)
    return match.activations;
  Type element =
      cast<RankedTensorType>(match.activations.getType()).getElementType();
  if (match.channels == 1) {
    // N x 1 x H x W is N x H x W x 1 in memory: a reshape, not a copy.
    SmallVector<ReassociationIndices> dropChannels = {{0, 1}, {2}, {3}},
                                      appendChannels = {{0}, {1}, {2, 3}};
    Value pixels = tensor::CollapseShapeOp::create(b, loc, match.activations,
                                                   dropChannels);
    return tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({match.batch, match.height, match.width, 1},
                              element),
        pixels, appendChannels);
  }
  Value init = tensor::EmptyOp::create(
      b, loc,
      ArrayRef<int64_t>{match.batch, match.height, match.width, match.channels},
      element);
  return linalg::TransposeOp::create(b, loc, match.activations, init,
                                     ArrayRef<int64_t>{0, 2, 3, 1})
      .getResult()[0];
}

/// The im2col matrix: rows (n, oh, ow) by columns (kh, kw, c), copied with
/// vector transfers from the NHWC activations seen as N x H x (W * C): with
/// dilation 1 along w, the window row `kh` of output (oh, ow) is the run
/// [ow * sw * C, (ow * sw + KW) * C) of input row oh * sh + kh * dh.
static Value emitIm2col(OpBuilder &b, Location loc,
                        const ConvolutionMatch &match) {
  Value nhwc = getChannelsLastActivations(b, loc, match);
  SmallVector<ReassociationIndices> rowsOfPixels = {{0}, {1}, {2, 3}};
  Value input = tensor::CollapseShapeOp::create(b, loc, nhwc, rowsOfPixels);
  auto inputType = cast<RankedTensorType>(input.getType());
  Type element = inputType.getElementType();
  Value im2col = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{match.rows(), match.reduction()}, element);
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  Value padding =
      arith::ConstantOp::create(b, loc, element, b.getZeroAttr(element));
  int64_t c = match.channels;
  // One run per window row when the window's columns are adjacent.
  bool wholeRows = match.dilationW == 1;
  int64_t runLength = wholeRows ? match.kernelWidth * c : c;
  int64_t runsPerRow = wholeRows ? 1 : match.kernelWidth;

  // The runs of output pixel (n, oh, ow), row `row` of the matrix.
  auto copyWindow = [&](Value out, Value n, Value oh, Value ow, Value row) {
    for (int64_t kh = 0; kh < match.kernelHeight; ++kh) {
      Value ih = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, oh, index(match.strideH)),
          index(kh * match.dilationH));
      for (int64_t run = 0; run < runsPerRow; ++run) {
        // Input column of the run's first value, in units of elements.
        Value iw = arith::MulIOp::create(
            b, loc,
            arith::AddIOp::create(
                b, loc, arith::MulIOp::create(b, loc, ow, index(match.strideW)),
                index(run * match.dilationW)),
            index(c));
        int64_t column = (kh * runsPerRow + run) * runLength;
        for (int64_t start = 0; start < runLength; start += kMaxCopyVector) {
          int64_t length = std::min(kMaxCopyVector, runLength - start);
          auto type = VectorType::get({length}, element);
          Value from = arith::AddIOp::create(b, loc, iw, index(start));
          Value values = vector::TransferReadOp::create(
              b, loc, type, input, ValueRange{n, ih, from}, padding,
              AffineMap::getMinorIdentityMap(3, 1, b.getContext()),
              ArrayRef<bool>{true});
          out = vector::TransferWriteOp::create(
                    b, loc, values, out, ValueRange{row, index(column + start)},
                    AffineMap::getMinorIdentityMap(2, 1, b.getContext()),
                    ArrayRef<bool>{true})
                    .getResult();
        }
      }
    }
    return out;
  };

  // for n, oh, ow: the row index is carried along.
  auto loop = [&](Value out, int64_t count,
                  function_ref<Value(Value, Value)> body) {
    auto forOp = scf::ForOp::create(
        b, loc, index(0), index(count), index(1), ValueRange{out},
        [&](OpBuilder &nested, Location, Value iv, ValueRange current) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(nested.getInsertionBlock());
          scf::YieldOp::create(b, loc, body(current[0], iv));
        });
    return forOp.getResult(0);
  };
  return loop(im2col, match.batch, [&](Value out, Value n) {
    return loop(out, match.outHeight, [&](Value out, Value oh) {
      return loop(out, match.outWidth, [&](Value out, Value ow) {
        // row = (n * OH + oh) * OW + ow
        Value row = arith::AddIOp::create(
            b, loc,
            arith::MulIOp::create(
                b, loc,
                arith::AddIOp::create(
                    b, loc,
                    arith::MulIOp::create(b, loc, n, index(match.outHeight)),
                    oh),
                index(match.outWidth)),
            ow);
        return copyWindow(out, n, oh, ow, row);
      });
    });
  });
}

/// The filter as the K x F or F x K weights of the matmul, the reduction in
/// the im2col order (kh, kw, c): an FCHW filter is permuted to FHWC (at
/// compile time, on the constant), FHWC and HWCF are only reshaped.
static DenseElementsAttr getMatmulWeights(const ConvolutionMatch &match) {
  int64_t f = match.outChannels, k = match.reduction();
  Type element = match.filter.getElementType();
  bool transposed = match.layout.filterChannelsFirst;
  auto type = transposed ? RankedTensorType::get({f, k}, element)
                         : RankedTensorType::get({k, f}, element);
  if (!match.layout.channelsFirst || match.filter.isSplat())
    return match.filter.reshape(type);
  int64_t c = match.channels, kh = match.kernelHeight, kw = match.kernelWidth;
  int64_t bytes = element.getIntOrFloatBitWidth() / 8;
  ArrayRef<char> raw = match.filter.getRawData();
  SmallVector<char> permuted(raw.size());
  for (int64_t o = 0; o < f; ++o)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
          int64_t from = ((o * c + ci) * kh + y) * kw + x;
          int64_t to = ((o * kh + y) * kw + x) * c + ci;
          std::copy_n(raw.begin() + from * bytes, bytes,
                      permuted.begin() + to * bytes);
        }
  return DenseElementsAttr::getFromRawBuffer(type, permuted);
}

/// The channel dimension of a convolution's output.
static unsigned getChannelDim(const ConvolutionMatch &match) {
  return match.layout.channelsFirst ? 1 : 3;
}

/// `value` (the convolution's layout) as rows x channels.
static Value toRowsByChannels(OpBuilder &b, Location loc,
                              const ConvolutionMatch &match, Value value) {
  if (match.layout.channelsFirst) {
    auto type = cast<RankedTensorType>(value.getType());
    Value init = tensor::EmptyOp::create(
        b, loc,
        ArrayRef<int64_t>{match.batch, match.outHeight, match.outWidth,
                          match.outChannels},
        type.getElementType());
    value = linalg::TransposeOp::create(b, loc, value, init,
                                        ArrayRef<int64_t>{0, 2, 3, 1})
                .getResult()[0];
  }
  SmallVector<ReassociationIndices> rowsAndChannels = {{0, 1, 2}, {3}};
  return tensor::CollapseShapeOp::create(b, loc, value, rowsAndChannels);
}

/// `value` (rows x channels) back in the convolution's layout.
static Value fromRowsByChannels(OpBuilder &b, Location loc,
                                const ConvolutionMatch &match, Value value) {
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  auto nhwc = RankedTensorType::get(
      {match.batch, match.outHeight, match.outWidth, match.outChannels},
      element);
  SmallVector<ReassociationIndices> rowsAndChannels = {{0, 1, 2}, {3}};
  value = tensor::ExpandShapeOp::create(b, loc, nhwc, value, rowsAndChannels);
  if (!match.layout.channelsFirst)
    return value;
  Value init = tensor::EmptyOp::create(
      b, loc,
      ArrayRef<int64_t>{match.batch, match.outChannels, match.outHeight,
                        match.outWidth},
      element);
  return linalg::TransposeOp::create(b, loc, value, init,
                                     ArrayRef<int64_t>{0, 3, 1, 2})
      .getResult()[0];
}

/// The 1-D tensor over channels that `init` broadcasts (a linalg.generic
/// reading it through the channel dimension and yielding it), if it is one.
static Value getBroadcastChannels(Value init, unsigned channelDim) {
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return Value();
  OpOperand *input = generic.getDpsInputOperand(0);
  AffineMap map = generic.getMatchingIndexingMap(input);
  Block *body = generic.getBlock();
  if (map.getNumResults() != 1 ||
      map.getResult(0) != getAffineDimExpr(channelDim, map.getContext()) ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity() ||
      body->getTerminator()->getOperand(0) != body->getArgument(0))
    return Value();
  return input->get();
}

/// `tensor` (1-D over channels, or rows x channels) plus the constant
/// `perChannel` along its last dimension.
static Value addPerChannel(OpBuilder &b, Location loc, Value tensor,
                           ArrayRef<int32_t> perChannel) {
  MLIRContext *context = b.getContext();
  auto type = cast<RankedTensorType>(tensor.getType());
  unsigned rank = type.getRank();
  Value constant = arith::ConstantOp::create(
      b, loc,
      DenseIntElementsAttr::get(
          RankedTensorType::get({type.getShape().back()}, b.getI32Type()),
          perChannel));
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap channels =
      AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, context), context);
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{tensor, constant},
             ValueRange{init},
             ArrayRef<AffineMap>{identity, channels, identity}, parallel(rank),
             [](OpBuilder &nested, Location loc, ValueRange args) {
               linalg::YieldOp::create(nested, loc,
                                       ValueRange{arith::AddIOp::create(
                                           nested, loc, args[0], args[1])});
             })
      .getResult(0);
}

/// `channels` (1-D) broadcast to rows x channels, in the form the kernel
/// reads as one vector per column block.
static Value broadcastChannels(OpBuilder &b, Location loc,
                               const ConvolutionMatch &match, Value channels) {
  MLIRContext *context = b.getContext();
  Type element = cast<RankedTensorType>(channels.getType()).getElementType();
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{match.rows(), match.outChannels}, element);
  AffineMap columns =
      AffineMap::get(2, 0, getAffineDimExpr(1, context), context);
  return linalg::GenericOp::create(
             b, loc, TypeRange{empty.getType()}, ValueRange{channels},
             ValueRange{empty},
             ArrayRef<AffineMap>{columns, b.getMultiDimIdentityMap(2)},
             parallel(2),
             [](OpBuilder &nested, Location loc, ValueRange args) {
               linalg::YieldOp::create(nested, loc, args[0]);
             })
      .getResult(0);
}

/// The convolution's initial value as rows x channels, plus the zero-point
/// correction, in the forms the kernel reads without a copy: a fill, a
/// broadcast over channels, else a transpose.
static Value emitInitialValue(OpBuilder &b, Location loc,
                              const ConvolutionMatch &match,
                              ArrayRef<int32_t> correction) {
  Value init = match.op.getDpsInitOperand(0)->get();
  Type element = cast<RankedTensorType>(init.getType()).getElementType();
  Value channels = getBroadcastChannels(init, getChannelDim(match));
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    if (correction.empty()) {
      Value empty = tensor::EmptyOp::create(
          b, loc, ArrayRef<int64_t>{match.rows(), match.outChannels}, element);
      return linalg::FillOp::create(b, loc, fill.getInputs(), ValueRange{empty})
          .getResult(0);
    }
    Value empty = tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{match.outChannels}, element);
    channels =
        linalg::FillOp::create(b, loc, fill.getInputs(), ValueRange{empty})
            .getResult(0);
  }
  if (channels) {
    if (!correction.empty())
      channels = addPerChannel(b, loc, channels, correction);
    return broadcastChannels(b, loc, match, channels);
  }
  Value rows = toRowsByChannels(b, loc, match, init);
  return correction.empty() ? rows : addPerChannel(b, loc, rows, correction);
}

/// `init + im2col * filter` as the matmul generic the kernels match: rows x
/// K activations, the filter as N x K (transposed) or K x N weights.
static Value emitMatmul(OpBuilder &b, Location loc,
                        const ConvolutionMatch &match, Value im2col,
                        Value init) {
  MLIRContext *context = b.getContext();
  bool transposed = match.layout.filterChannelsFirst;
  Value weights = arith::ConstantOp::create(b, loc, getMatmulWeights(match));
  AffineExpr m = getAffineDimExpr(0, context), n = getAffineDimExpr(1, context),
             r = getAffineDimExpr(2, context);
  auto map = [&](ArrayRef<AffineExpr> results) {
    return AffineMap::get(3, 0, results, context);
  };
  SmallVector<AffineMap> maps = {
      map({m, r}), transposed ? map({n, r}) : map({r, n}), map({m, n})};
  SmallVector<utils::IteratorType> iterators = parallel(2);
  iterators.push_back(utils::IteratorType::reduction);
  bool isFloat = match.kind == KernelKind::Float32;
  bool activationsSigned = match.activationsSigned;
  auto body = [&](OpBuilder &nested, Location loc, ValueRange args) {
    Value product;
    if (isFloat) {
      product = arith::MulFOp::create(nested, loc, args[0], args[1]);
      linalg::YieldOp::create(
          nested, loc,
          ValueRange{arith::AddFOp::create(nested, loc, args[2], product)});
      return;
    }
    Type i32 = nested.getI32Type();
    Value a =
        activationsSigned
            ? arith::ExtSIOp::create(nested, loc, i32, args[0]).getResult()
            : arith::ExtUIOp::create(nested, loc, i32, args[0]).getResult();
    Value w = arith::ExtSIOp::create(nested, loc, i32, args[1]);
    product = arith::MulIOp::create(nested, loc, a, w);
    linalg::YieldOp::create(
        nested, loc,
        ValueRange{arith::AddIOp::create(nested, loc, args[2], product)});
  };
  return linalg::GenericOp::create(b, loc, TypeRange{init.getType()},
                                   ValueRange{im2col, weights},
                                   ValueRange{init}, maps, iterators, body)
      .getResult(0);
}

/// The elementwise consumer of the convolution's result that can move into
/// rows x channels space: every loop parallel, the result read through the
/// identity map, every other input per channel or a scalar, a body of
/// elementwise ops, the output not read.
static linalg::GenericOp getMovableConsumer(const ConvolutionMatch &match) {
  Value result = match.op->getResult(0);
  if (!result.hasOneUse())
    return {};
  auto consumer = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!consumer || !consumer.hasPureTensorSemantics() ||
      consumer.getNumLoops() != 4 || consumer.getNumParallelLoops() != 4 ||
      consumer.getNumDpsInits() != 1 || consumer.getNumResults() != 1 ||
      !consumer.getMatchingIndexingMap(consumer.getDpsInitOperand(0))
           .isIdentity() ||
      consumer.payloadUsesValueFromOperand(consumer.getDpsInitOperand(0)) ||
      !hasElementwiseBody(consumer))
    return {};
  AffineExpr channel =
      getAffineDimExpr(getChannelDim(match), consumer.getContext());
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    AffineMap map = consumer.getMatchingIndexingMap(input);
    bool ok = input->get() == result
                  ? map.isIdentity()
                  : map.getNumResults() == 0 || (map.getNumResults() == 1 &&
                                                 map.getResult(0) == channel);
    if (!ok || !isa<RankedTensorType>(input->get().getType()))
      return {};
  }
  return consumer;
}

/// `consumer` on rows x channels: the convolution's result replaced by
/// `matmul`, per-channel inputs read along the columns.
static Value emitMovedConsumer(RewriterBase &rewriter, Location loc,
                               const ConvolutionMatch &match,
                               linalg::GenericOp consumer, Value matmul) {
  MLIRContext *context = rewriter.getContext();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    AffineMap map = consumer.getMatchingIndexingMap(input);
    if (input->get() == match.op->getResult(0)) {
      inputs.push_back(matmul);
      maps.push_back(rewriter.getMultiDimIdentityMap(2));
      continue;
    }
    inputs.push_back(input->get());
    maps.push_back(
        map.getNumResults() == 0
            ? AffineMap::get(2, 0, {}, context)
            : AffineMap::get(2, 0, getAffineDimExpr(1, context), context));
  }
  Type element =
      cast<RankedTensorType>(consumer->getResult(0).getType()).getElementType();
  Value init = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{match.rows(), match.outChannels},
      element);
  maps.push_back(rewriter.getMultiDimIdentityMap(2));
  auto moved =
      linalg::GenericOp::create(rewriter, loc, TypeRange{init.getType()},
                                inputs, ValueRange{init}, maps, parallel(2));
  // Same block arguments (element types), same body.
  rewriter.cloneRegionBefore(consumer.getRegion(), moved.getRegion(),
                             moved.getRegion().end());
  return moved.getResult(0);
}

/// Erases `value`'s producer if nothing uses it any more and it is a
/// side-effect-free linalg op on tensors (the old initial value, the
/// widening of the activations).
static void eraseIfDead(RewriterBase &rewriter, Value value) {
  auto producer = value.getDefiningOp<linalg::LinalgOp>();
  if (producer && producer->use_empty() && producer.hasPureTensorSemantics())
    rewriter.eraseOp(producer);
}

int64_t qnn::rewriteConvolutionsAsMatmuls(ModuleOp module,
                                          KernelTarget target) {
  SmallVector<ConvolutionMatch> matches;
  module->walk([&](linalg::LinalgOp op) {
    if (std::optional<ConvolutionMatch> match = matchConvolution(op))
      if (getKernelShape(target, match->kind))
        matches.push_back(*match);
  });

  IRRewriter rewriter(module.getContext());
  for (ConvolutionMatch &match : matches) {
    linalg::GenericOp consumer = getMovableConsumer(match);
    Operation *replaced = consumer ? consumer.getOperation() : match.op;
    Location loc = match.op.getLoc();
    Value oldInit = match.op.getDpsInitOperand(0)->get();
    Value oldInput = match.op.getDpsInputOperand(0)->get();
    // Where the consumer is: everything both read is defined before it.
    rewriter.setInsertionPoint(replaced);
    Value im2col = emitIm2col(rewriter, loc, match);
    Value init = emitInitialValue(rewriter, loc, match, match.correction);
    Value result = emitMatmul(rewriter, loc, match, im2col, init);
    if (consumer)
      result = emitMovedConsumer(rewriter, consumer.getLoc(), match, consumer,
                                 result);
    rewriter.replaceOp(replaced,
                       fromRowsByChannels(rewriter, loc, match, result));
    if (consumer)
      rewriter.eraseOp(match.op);
    eraseIfDead(rewriter, oldInit);
    if (oldInput != match.activations)
      eraseIfDead(rewriter, oldInput);
  }
  return matches.size();
}
