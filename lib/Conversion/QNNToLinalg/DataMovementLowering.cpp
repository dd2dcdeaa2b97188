//===- DataMovementLowering.cpp - Ops that only move quantized values -----===//
//
// Reshapes, slices, concatenation, transposes, broadcasts and copies never
// look at the values they move, so on storage integers they mean the same:
// they are retyped. Tensor ops have no regions and are rebuilt with their
// converted types; the linalg ones have a body over the element type, so
// they are created again.
//
//===----------------------------------------------------------------------===//

#include "Lowerings.h"

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace qnn;

bool qnn::isDataMovementOp(Operation *op) {
  return isa<tensor::EmptyOp, tensor::ExtractSliceOp, tensor::InsertSliceOp,
             tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::CastOp,
             tensor::ConcatOp, tensor::ReshapeOp, tensor::ExtractOp,
             tensor::InsertOp, tensor::FromElementsOp, tensor::DimOp,
             linalg::TransposeOp, linalg::BroadcastOp, linalg::CopyOp>(op);
}

namespace {

/// Retypes region-free data-movement tensor ops on quantized tensors.
class TensorDataMovementConversion : public ConversionPattern {
public:
  TensorDataMovementConversion(const TypeConverter &converter,
                               MLIRContext *context)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1,
                          context) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isDataMovementOp(op) || op->getNumRegions() != 0 ||
        !hasQuantizedTypes(op))
      return rewriter.notifyMatchFailure(op, "not a data-movement op on "
                                             "quantized tensors");
    FailureOr<Operation *> converted =
        convertOpResultTypes(op, operands, *getTypeConverter(), rewriter);
    if (failed(converted))
      return rewriter.notifyMatchFailure(op, "result types do not convert");
    rewriter.replaceOp(op, (*converted)->getResults());
    return success();
  }
};

/// linalg.transpose on quantized tensors: the same permutation of the
/// stored integers.
class TransposeConversion : public OpConversionPattern<linalg::TransposeOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(linalg::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    auto transpose =
        linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getInput(),
                                    adaptor.getInit(), op.getPermutationAttr());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

/// linalg.broadcast on quantized tensors.
class BroadcastConversion : public OpConversionPattern<linalg::BroadcastOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(linalg::BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    auto broadcast =
        linalg::BroadcastOp::create(rewriter, op.getLoc(), adaptor.getInput(),
                                    adaptor.getInit(), op.getDimensionsAttr());
    rewriter.replaceOp(op, broadcast.getResult());
    return success();
  }
};

/// linalg.copy on quantized tensors (its verifier keeps the element type).
class CopyConversion : public OpConversionPattern<linalg::CopyOp> {
public:
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(linalg::CopyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    Value init = adaptor.getOutputs().front();
    auto copy =
        linalg::CopyOp::create(rewriter, op.getLoc(), TypeRange{init.getType()},
                               adaptor.getInputs(), ValueRange{init});
    rewriter.replaceOp(op, copy.getResults());
    return success();
  }
};

} // namespace

void qnn::populateDataMovementLoweringPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<TensorDataMovementConversion, TransposeConversion,
               BroadcastConversion, CopyConversion>(converter, context);
}
