//===- ContractionForm.h - fp32 ops qnn-quantize rewrites -------*- C++ -*-===//
//
// Which linalg ops qnn-quantize turns into integer compute, and how each maps
// onto the canonical operand layouts of the qnn contraction ops: matmul B as
// [K, N], convolution filters HWCF (nhwc) or FCHW (nchw), depthwise filters
// as a grouped convolution's [KH, KW, 1, C * M]. Static and dynamic mode
// share it.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_CONTRACTIONFORM_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_CONTRACTIONFORM_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Quant/QuantParams.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <string>
#include <vector>

namespace qnn {

enum class ContractionKind { Matmul, BatchMatmul, Conv2D };

/// How an operand of the linalg op becomes the qnn op's operand: permuted
/// (result dimension i is operand dimension `permutation[i]`), then given
/// `shape` without moving elements (the depthwise filter's
/// [KH, KW, C, M] -> [KH, KW, 1, C * M]).
struct OperandLayout {
  llvm::SmallVector<int64_t> permutation;
  llvm::SmallVector<int64_t> shape;

  bool isIdentity() const { return permutation.empty() && shape.empty(); }
  /// The shape of an operand of shape `shape` after the layout (static
  /// shapes; used for constants).
  llvm::SmallVector<int64_t> apply(llvm::ArrayRef<int64_t> operandShape) const;
};

/// A supported linalg op and the qnn op it becomes.
struct ContractionForm {
  mlir::linalg::LinalgOp op;
  ContractionKind kind = ContractionKind::Matmul;
  OperandLayout lhsLayout, rhsLayout;
  /// qnn.conv2d attributes.
  DataFormat dataFormat = DataFormat::NHWC;
  llvm::SmallVector<int64_t, 2> strides{1, 1}, dilations{1, 1};
  int64_t groups = 1;
  /// The output-channel axis of the rhs (in its qnn layout) and of the
  /// result.
  int64_t rhsChannelAxis = 0;
  int64_t resultChannelAxis = 0;
  /// The shape of the qnn op's result; differs from the linalg op's result
  /// only for depthwise_conv_2d_nhwc_hwcm ([N, OH, OW, C * M] against
  /// [N, OH, OW, C, M]).
  llvm::SmallVector<int64_t> resultShape;

  mlir::Value getLhs() { return op.getDpsInputOperand(0)->get(); }
  mlir::Value getRhs() { return op.getDpsInputOperand(1)->get(); }
  mlir::Value getInit() { return op.getDpsInitOperand(0)->get(); }
};

/// One input of a matched op, as the pass found it before changing the IR.
struct OperandPlan {
  /// The op's operand.
  mlir::Value value;
  /// The operand's reals, when it is a constant (quantized at compile time
  /// as a weight); row-major in the operand's own layout.
  std::optional<std::vector<float>> constantData;
  /// The stable name of a non-constant operand (its statistics key).
  std::string name;
  /// Static mode: the quantization parameters chosen from the statistics.
  quantmath::QuantParams params;
};

/// Matches the fp32 ops qnn-quantize rewrites: linalg.matmul with its
/// operands read as [M, K] or [K, M] and [K, N] or [N, K],
/// linalg.batch_matmul likewise, linalg.conv_2d_nhwc_hwcf,
/// conv_2d_nhwc_fhwc, conv_2d_nchw_fchw, depthwise_conv_2d_nhwc_hwc and
/// depthwise_conv_2d_nhwc_hwcm, on f32 tensors.
std::optional<ContractionForm> matchContraction(mlir::Operation *op);

/// The names of the ops `matchContraction` accepts, and the TOSA ops that
/// tosa-to-linalg-named turns into them (which select those linalg ops in
/// the pass's `ops` and `exclude` lists).
llvm::ArrayRef<llvm::StringLiteral> getQuantizableOpNames();
/// The linalg op names a name from the `ops` list selects (itself, or the
/// linalg ops a TOSA name lowers to); empty for names of other ops.
llvm::SmallVector<llvm::StringRef> getSelectedOpNames(llvm::StringRef name);

/// Applies `layout` to an operand in IR (linalg.transpose,
/// tensor.collapse_shape / expand_shape).
mlir::Value applyLayout(mlir::OpBuilder &builder, mlir::Location loc,
                        mlir::Value value, const OperandLayout &layout);
/// Applies `layout` to the data of a constant (row-major in `shape`).
std::vector<float> applyLayout(llvm::ArrayRef<float> data,
                               llvm::ArrayRef<int64_t> shape,
                               const OperandLayout &layout);

/// Turns the fp32 value computed from the qnn op's result (shape
/// `form.resultShape`) into the replacement of the linalg op's result:
/// reshaped back for depthwise_conv_2d_nhwc_hwcm, and the `outs` init added
/// in fp32 unless it is zero (a linalg.fill of 0.0, a zero constant, or a
/// tensor.empty whose contents are undefined).
mlir::Value finishResult(mlir::OpBuilder &builder, ContractionForm &form,
                         mlir::Value result);

/// Quantizes a constant operand in the qnn op's layout and builds its
/// `qnn.constant` at the builder's insertion point: the rhs per output
/// channel when `perChannel`, everything else per tensor. Fails with an
/// error on the op where the math library refuses the data (the pass checks
/// for NaN and infinity first, to name the element in the operand's own
/// layout).
mlir::FailureOr<ConstantOp>
buildWeightConstant(mlir::OpBuilder &builder, ContractionForm &form,
                    const OperandPlan &operand, bool isRhs,
                    const quantmath::QuantSpec &spec, bool perChannel);

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_CONTRACTIONFORM_H
