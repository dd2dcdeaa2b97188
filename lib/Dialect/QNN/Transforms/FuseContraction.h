//===- FuseContraction.h - Contractions as the folds see them ---*- C++ -*-===//
//
// The bias and zero-point folds treat qnn.matmul, qnn.batch_matmul and
// qnn.conv2d alike: an int32 dot product per output element, of the input
// with one output channel's weights, plus that channel's bias. This view
// gives them the operands, the per-channel weights and bias as integers,
// the overflow bound of the accumulator, and a way to rebuild the op.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSECONTRACTION_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSECONTRACTION_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace qnn {

class Contraction {
public:
  /// A view of `op` if it is a qnn.matmul, qnn.batch_matmul or qnn.conv2d.
  static std::optional<Contraction> get(mlir::Operation *op);

  mlir::Operation *getOperation() const { return op; }
  /// The activations (`lhs`, `input`), per tensor by the verifier.
  mlir::Value getInput() const { return op->getOperand(0); }
  /// The weights (`rhs`, `filter`).
  mlir::Value getWeights() const { return op->getOperand(1); }
  /// The optional int32 bias.
  mlir::Value getBias() const {
    return op->getNumOperands() > 2 ? op->getOperand(2) : mlir::Value();
  }
  mlir::RankedTensorType getResultType() const;
  mlir::quant::UniformQuantizedType getInputType() const;
  mlir::quant::QuantizedType getWeightType() const;
  mlir::quant::QuantizedType getAccumulatorType() const;
  /// The result dimension of the output channels (a bias runs along it).
  int64_t getResultChannelDim() const { return resultChannelDim; }
  /// The number of output channels, if static.
  std::optional<int64_t> getNumChannels() const;
  /// The accumulator's scale for output channel `channel`.
  double getAccumulatorScale(int64_t channel) const;

  /// The bias as integers (zeros without one), or nullopt when it is not a
  /// qnn.constant or the channel count is dynamic.
  std::optional<llvm::SmallVector<int64_t>> getConstantBias() const;

  /// The stored weights minus their zero points, one list per dot product:
  /// `dotProducts[b * channels + c]` holds the terms of output channel `c`
  /// (and batch `b` for a batch matmul whose weights differ per batch).
  /// Nullopt unless the weights are a static qnn.constant.
  struct Weights {
    int64_t channels = 0;
    llvm::SmallVector<llvm::SmallVector<int64_t>> dotProducts;
  };
  std::optional<Weights> getConstantWeights() const;

  /// Whether every partial sum of `bias[c] + sum_k a_k * w_k` stays in int32
  /// for inputs a_k in [inputMin, inputMax] (the input's storage integers
  /// minus the zero point the op subtracts): with constant weights term by
  /// term, otherwise from the weights' storage range. False when the number
  /// of terms is dynamic.
  bool accumulatorFits(llvm::ArrayRef<int64_t> bias, int64_t inputMin,
                       int64_t inputMax) const;

  /// A qnn.constant holding `values` as the bias of this op, or null when
  /// they are all 0 (no bias operand is the same). It keeps the location
  /// (the model's name for the bias) and the recorded rounding error of the
  /// bias it replaces, unless `origin` gives new ones.
  mlir::Value buildBias(mlir::PatternRewriter &rewriter,
                        llvm::ArrayRef<int64_t> values,
                        std::optional<mlir::Location> origin = std::nullopt,
                        ErrorStatsAttr error = nullptr) const;

  /// A copy of this op reading `input` and `bias`, with a convolution's
  /// padding replaced by `padding` when given. The result type is
  /// unchanged.
  mlir::Operation *
  rebuild(mlir::PatternRewriter &rewriter, mlir::Value input, mlir::Value bias,
          std::optional<llvm::ArrayRef<int64_t>> padding = std::nullopt) const;

private:
  Contraction(mlir::Operation *op, int64_t resultChannelDim,
              int64_t weightChannelDim, std::optional<int64_t> weightBatchDim)
      : op(op), resultChannelDim(resultChannelDim),
        weightChannelDim(weightChannelDim), weightBatchDim(weightBatchDim) {}

  /// The number of products summed into each output element, if static.
  std::optional<int64_t> getReductionSize() const;

  mlir::Operation *op;
  int64_t resultChannelDim;
  int64_t weightChannelDim;
  std::optional<int64_t> weightBatchDim;
};

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_FUSECONTRACTION_H
