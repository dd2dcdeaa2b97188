//===- FuseDataMovement.cpp - Quantize above reshapes, slices, transposes -===//
//
// `qnn.quantize(op(x))` -> `op(qnn.quantize(x))` for ops that only move,
// select or copy elements: tensor.collapse_shape, tensor.expand_shape,
// tensor.reshape, tensor.extract_slice, tensor.concat and linalg.transpose.
// Quantizing is elementwise with one scale and zero point (per-tensor
// types only), so it gives every element the same integer wherever the op
// puts it: the rewrite is exact. Moving the quantize up lets it meet the
// dequantize of the previous layer, so that one layer's requantize feeds the
// next layer directly. The op must have no other user, or it would be
// computed twice.
//
//===----------------------------------------------------------------------===//

#include "FusePatterns.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace qnn;

/// The per-tensor element type of `quantize`, and the op it quantizes when
/// that op is an `OpTy` with no other user.
template <typename OpTy>
static FailureOr<std::pair<OpTy, quant::UniformQuantizedType>>
matchQuantizedMove(QuantizeOp quantize, PatternRewriter &rewriter) {
  auto op = quantize.getInput().getDefiningOp<OpTy>();
  if (!op)
    return rewriter.notifyMatchFailure(quantize, "not the op this moves past");
  if (!op->hasOneUse())
    return rewriter.notifyMatchFailure(quantize,
                                       "the fp32 result has other users");
  auto element = dyn_cast<quant::UniformQuantizedType>(
      quantize.getType().getElementType());
  if (!element)
    return rewriter.notifyMatchFailure(
        quantize, "a per-axis type changes meaning when elements move");
  return std::make_pair(op, element);
}

/// `qnn.quantize` of `value` to `element`, with the rounding of `like`.
static Value quantizeTo(PatternRewriter &rewriter, QuantizeOp like, Value value,
                        quant::UniformQuantizedType element) {
  auto type = cast<RankedTensorType>(value.getType());
  return QuantizeOp::create(rewriter, like.getLoc(), type.clone(element), value,
                            like.getRoundingAttr());
}

namespace {

/// Tensor ops without regions: every operand of the quantized float type
/// is quantized, the others (shapes, offsets) kept, and the op cloned with
/// the quantized result type.
template <typename OpTy>
class CommuteQuantizeThroughTensorOp : public OpRewritePattern<QuantizeOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto matched = matchQuantizedMove<OpTy>(quantize, rewriter);
    if (failed(matched))
      return failure();
    auto [op, element] = *matched;
    Type floatType = quantize.getInput().getType().getElementType();
    IRMapping mapping;
    for (Value operand : op->getOperands()) {
      auto tensor = dyn_cast<RankedTensorType>(operand.getType());
      if (tensor && tensor.getElementType() == floatType &&
          !mapping.contains(operand))
        mapping.map(operand, quantizeTo(rewriter, quantize, operand, element));
    }
    Operation *moved = rewriter.clone(*op, mapping);
    moved->getResult(0).setType(quantize.getType());
    rewriter.replaceOp(quantize, moved->getResults());
    return success();
  }
};

/// linalg.transpose: a new init of the quantized type.
class CommuteQuantizeThroughTranspose : public OpRewritePattern<QuantizeOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto matched = matchQuantizedMove<linalg::TransposeOp>(quantize, rewriter);
    if (failed(matched))
      return failure();
    auto [transpose, element] = *matched;
    auto empty = transpose.getInit().getDefiningOp<tensor::EmptyOp>();
    if (!empty)
      return rewriter.notifyMatchFailure(quantize,
                                         "the transpose's init is not empty");
    Value input = quantizeTo(rewriter, quantize, transpose.getInput(), element);
    Value init = tensor::EmptyOp::create(
        rewriter, empty.getLoc(), quantize.getType(), empty.getDynamicSizes());
    rewriter.replaceOpWithNewOp<linalg::TransposeOp>(
        quantize, input, init, transpose.getPermutation());
    return success();
  }
};

} // namespace

void qnn::populateCommuteQuantizePatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<CommuteQuantizeThroughTensorOp<tensor::CollapseShapeOp>,
               CommuteQuantizeThroughTensorOp<tensor::ExpandShapeOp>,
               CommuteQuantizeThroughTensorOp<tensor::ReshapeOp>,
               CommuteQuantizeThroughTensorOp<tensor::ExtractSliceOp>,
               CommuteQuantizeThroughTensorOp<tensor::ConcatOp>,
               CommuteQuantizeThroughTranspose>(context);
}
