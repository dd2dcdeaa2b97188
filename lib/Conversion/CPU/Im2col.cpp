//===- Im2col.cpp - The im2col matrix and the filter as weights -----------===//
//
// The two operands of a convolution's matmul form. The im2col matrix is
// copied with vector transfers, not a linalg.generic: its input map (oh *
// sh + kh * dh) is not a projected permutation, so the vectorizer would
// leave the copy as scalar loops of three-byte tiles.
//
//===----------------------------------------------------------------------===//

#include "Convolution.h"
#include "Transpose.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace qnn;

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
  return createTranspose(b, loc, match.activations, {0, 2, 3, 1});
}

/// The im2col matrix: rows (n, oh, ow) by columns (kh, kw, c), copied with
/// vector transfers from the NHWC activations seen as N x H x (W * C): with
/// dilation 1 along w, the window row `kh` of output (oh, ow) is the run
/// [ow * sw * C, (ow * sw + KW) * C) of input row oh * sh + kh * dh.
Value qnn::emitIm2col(OpBuilder &b, Location loc,
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
DenseElementsAttr qnn::getIm2colWeights(const ConvolutionMatch &match) {
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
