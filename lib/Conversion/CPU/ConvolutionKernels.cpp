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
// - the im2col matrix is copied from the activations in NHWC, the
//   reduction ordered (kh, kw, c), and the filter becomes the constant
//   weights in that order (Im2col.cpp); the convolution's own input is read
//   as i8 when it is the widening of an i8 tensor (`convert-qnn-to-linalg`
//   widens u8 activations to i16 for the named op's signed semantics), and
//   a zero point subtracted in that widening goes into the initial value;
// - the elementwise consumer (requantize, bias, activation) moves into the
//   matmul's (rows, channels) space, so the kernel fuses it and the int32
//   accumulators never go to memory;
// - an NCHW result is transposed back once, after the consumer, where the
//   elements are narrowest; TransposeSinking.cpp then moves that transpose
//   on to the next convolution, where it cancels.
//
//===----------------------------------------------------------------------===//

#include "Broadcast.h"
#include "Convolution.h"
#include "Epilogue.h"
#include "Transpose.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace qnn;

static SmallVector<utils::IteratorType> parallel(unsigned count) {
  return SmallVector<utils::IteratorType>(count, utils::IteratorType::parallel);
}

/// `value` (the convolution's layout) as rows x channels.
static Value toRowsByChannels(OpBuilder &b, Location loc,
                              const ConvolutionMatch &match, Value value) {
  if (match.layout.channelsFirst)
    value = createTranspose(b, loc, value, {0, 2, 3, 1});
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
  return createTranspose(b, loc, value, {0, 3, 1, 2});
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
                              const ConvolutionMatch &match) {
  ArrayRef<int32_t> correction = match.correction;
  Value init = match.op.getDpsInitOperand(0)->get();
  Type element = cast<RankedTensorType>(init.getType()).getElementType();
  Value channels = getBroadcastSource(init, match.channelDim());
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
  Value weights = arith::ConstantOp::create(b, loc, getIm2colWeights(match));
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
      getAffineDimExpr(match.channelDim(), consumer.getContext());
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
    Value init = emitInitialValue(rewriter, loc, match);
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
