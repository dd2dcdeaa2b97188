//===- ContractionForm.cpp - fp32 ops qnn-quantize rewrites ---------------===//

#include "ContractionForm.h"
#include "WeightQuantization.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace qnn {

SmallVector<int64_t>
OperandLayout::apply(ArrayRef<int64_t> operandShape) const {
  if (!shape.empty())
    return shape;
  SmallVector<int64_t> result(operandShape);
  if (!permutation.empty())
    for (auto [i, source] : llvm::enumerate(permutation))
      result[i] = operandShape[source];
  return result;
}

/// Whether every operand and result is a ranked f32 tensor.
static bool isF32TensorOp(linalg::LinalgOp op) {
  auto isF32Tensor = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.getElementType().isF32();
  };
  return op.hasPureTensorSemantics() && op.getNumDpsInputs() == 2 &&
         op.getNumDpsInits() == 1 &&
         llvm::all_of(op->getOperandTypes(), isF32Tensor) &&
         llvm::all_of(op->getResultTypes(), isF32Tensor);
}

/// The layout that reads an operand indexed by `map` as `canonical` (both
/// permutations of the same loops): a permutation, or nullopt when `map` is
/// not a permutation of `canonical`'s results (broadcasts, ...).
static std::optional<OperandLayout> matchPermutation(AffineMap map,
                                                     ArrayRef<unsigned> loops) {
  if (map.getNumResults() != loops.size())
    return std::nullopt;
  SmallVector<int64_t> permutation;
  for (unsigned loop : loops) {
    std::optional<unsigned> position =
        map.getResultPosition(getAffineDimExpr(loop, map.getContext()));
    if (!position)
      return std::nullopt;
    permutation.push_back(*position);
  }
  OperandLayout layout;
  if (!llvm::equal(permutation, llvm::seq<int64_t>(0, permutation.size())))
    layout.permutation = std::move(permutation);
  return layout;
}

/// (Batch) matmul: loops (b,) m, n, k; the canonical operands are
/// [(B,) M, K], [(B,) K, N] -> [(B,) M, N].
static std::optional<ContractionForm> matchMatmul(linalg::LinalgOp op,
                                                  ContractionKind kind) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  bool batch = kind == ContractionKind::BatchMatmul;
  unsigned b = 0, m = batch ? 1 : 0, n = m + 1, k = m + 2;
  SmallVector<unsigned> lhsLoops{m, k}, rhsLoops{k, n}, outLoops{m, n};
  if (batch) {
    lhsLoops.insert(lhsLoops.begin(), b);
    rhsLoops.insert(rhsLoops.begin(), b);
    outLoops.insert(outLoops.begin(), b);
  }
  std::optional<OperandLayout> lhs = matchPermutation(maps[0], lhsLoops);
  std::optional<OperandLayout> rhs = matchPermutation(maps[1], rhsLoops);
  std::optional<OperandLayout> out = matchPermutation(maps[2], outLoops);
  if (!lhs || !rhs || !out || !out->isIdentity())
    return std::nullopt;
  // Only the batch dimension stays in front: the permutation must not move
  // it (maps like (b, m, k) -> (m, b, k) are not matmuls we support).
  if (batch && ((!lhs->permutation.empty() && lhs->permutation[0] != 0) ||
                (!rhs->permutation.empty() && rhs->permutation[0] != 0)))
    return std::nullopt;
  ContractionForm form;
  form.op = op;
  form.kind = kind;
  form.lhsLayout = *lhs;
  form.rhsLayout = *rhs;
  form.rhsChannelAxis = form.resultChannelAxis = batch ? 2 : 1;
  return form;
}

template <typename ConvOp>
static void readWindow(ConvOp conv, ContractionForm &form) {
  form.strides.assign(conv.getStrides().template getValues<int64_t>().begin(),
                      conv.getStrides().template getValues<int64_t>().end());
  form.dilations.assign(
      conv.getDilations().template getValues<int64_t>().begin(),
      conv.getDilations().template getValues<int64_t>().end());
}

std::optional<ContractionForm> matchContraction(Operation *operation) {
  auto op = dyn_cast<linalg::LinalgOp>(operation);
  if (!op || !isF32TensorOp(op))
    return std::nullopt;
  std::optional<ContractionForm> matmul;
  if (isa<linalg::MatmulOp>(operation))
    matmul = matchMatmul(op, ContractionKind::Matmul);
  else if (isa<linalg::BatchMatmulOp>(operation))
    matmul = matchMatmul(op, ContractionKind::BatchMatmul);
  if (matmul) {
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(op->getResult(0).getType()).getShape();
    matmul->resultShape.assign(shape.begin(), shape.end());
    return matmul;
  }

  ContractionForm form;
  form.op = op;
  form.kind = ContractionKind::Conv2D;
  auto filterType = cast<RankedTensorType>(form.getRhs().getType());
  bool matched = llvm::TypeSwitch<Operation *, bool>(operation)
                     .Case([&](linalg::Conv2DNhwcHwcfOp conv) {
                       readWindow(conv, form);
                       form.rhsChannelAxis = form.resultChannelAxis = 3;
                       return true;
                     })
                     .Case([&](linalg::Conv2DNhwcFhwcOp conv) {
                       readWindow(conv, form);
                       form.rhsLayout.permutation = {1, 2, 3, 0};
                       form.rhsChannelAxis = form.resultChannelAxis = 3;
                       return true;
                     })
                     .Case([&](linalg::Conv2DNchwFchwOp conv) {
                       readWindow(conv, form);
                       form.dataFormat = DataFormat::NCHW;
                       form.rhsChannelAxis = 0;
                       form.resultChannelAxis = 1;
                       return true;
                     })
                     .Case<linalg::DepthwiseConv2DNhwcHwcOp,
                           linalg::DepthwiseConv2DNhwcHwcmOp>([&](auto conv) {
                       // One group per input channel: the filter [KH, KW, C(,
                       // M)] is the grouped filter [KH, KW, 1, C * M] without
                       // moving elements.
                       if (!filterType.hasStaticShape())
                         return false;
                       readWindow(conv, form);
                       ArrayRef<int64_t> shape = filterType.getShape();
                       int64_t channels = shape[2];
                       int64_t multiplier = shape.size() == 4 ? shape[3] : 1;
                       form.groups = channels;
                       form.rhsLayout.shape = {shape[0], shape[1], 1,
                                               channels * multiplier};
                       form.rhsChannelAxis = form.resultChannelAxis = 3;
                       return true;
                     })
                     .Default([](Operation *) { return false; });
  if (!matched)
    return std::nullopt;
  ArrayRef<int64_t> resultShape =
      cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  form.resultShape.assign(resultShape.begin(), resultShape.end());
  if (isa<linalg::DepthwiseConv2DNhwcHwcmOp>(operation)) {
    // [N, OH, OW, C, M] -> [N, OH, OW, C * M].
    form.resultShape.pop_back();
    form.resultShape[3] = filterType.getDimSize(2) * filterType.getDimSize(3);
  }
  return form;
}

ArrayRef<StringLiteral> getQuantizableOpNames() {
  static constexpr StringLiteral names[] = {
      "linalg.matmul",
      "linalg.batch_matmul",
      "linalg.conv_2d_nhwc_hwcf",
      "linalg.conv_2d_nhwc_fhwc",
      "linalg.conv_2d_nchw_fchw",
      "linalg.depthwise_conv_2d_nhwc_hwc",
      "linalg.depthwise_conv_2d_nhwc_hwcm",
      "tosa.matmul",
      "tosa.conv2d",
      "tosa.depthwise_conv2d",
  };
  return names;
}

SmallVector<StringRef> getSelectedOpNames(StringRef name) {
  if (name == "tosa.matmul")
    return {"linalg.batch_matmul"};
  if (name == "tosa.conv2d")
    return {"linalg.conv_2d_nhwc_fhwc", "linalg.conv_2d_nhwc_hwcf"};
  if (name == "tosa.depthwise_conv2d")
    return {"linalg.depthwise_conv_2d_nhwc_hwcm"};
  if (llvm::is_contained(getQuantizableOpNames(), name))
    return {name};
  return {};
}

Value applyLayout(OpBuilder &builder, Location loc, Value value,
                  const OperandLayout &layout) {
  if (!layout.permutation.empty()) {
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(builder, loc, value);
    SmallVector<OpFoldResult> permuted;
    for (int64_t source : layout.permutation)
      permuted.push_back(sizes[source]);
    Type element = cast<RankedTensorType>(value.getType()).getElementType();
    Value init = tensor::EmptyOp::create(builder, loc, permuted, element);
    value = linalg::TransposeOp::create(builder, loc, value, init,
                                        layout.permutation)
                .getResult()[0];
  }
  if (!layout.shape.empty()) {
    // Only depthwise filters are reshaped: [KH, KW, C(, M)] (static) to
    // [KH, KW, 1, C * M], through [KH, KW, C * M].
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() == 4) {
      SmallVector<ReassociationIndices> collapse{{0}, {1}, {2, 3}};
      value = tensor::CollapseShapeOp::create(builder, loc, value, collapse);
    }
    auto resultType =
        RankedTensorType::get(layout.shape, type.getElementType());
    SmallVector<ReassociationIndices> expand{{0}, {1}, {2, 3}};
    value =
        tensor::ExpandShapeOp::create(builder, loc, resultType, value, expand);
  }
  return value;
}

std::vector<float> applyLayout(ArrayRef<float> data, ArrayRef<int64_t> shape,
                               const OperandLayout &layout) {
  // A reshape keeps the row-major order; only a permutation moves data.
  if (layout.permutation.empty())
    return std::vector<float>(data.begin(), data.end());
  return transposeData(data, shape, layout.permutation);
}

/// Whether the `outs` init of a contraction contributes nothing to its
/// result.
static bool isZeroInit(Value init) {
  if (init.getDefiningOp<tensor::EmptyOp>())
    return true;
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  return matchPattern(init, m_AnyZeroFloat());
}

Value finishResult(OpBuilder &builder, ContractionForm &form, Value result) {
  Location loc = form.op.getLoc();
  Value init = form.getInit();
  auto initType = cast<RankedTensorType>(init.getType());
  if (cast<RankedTensorType>(result.getType()).getRank() !=
      initType.getRank()) {
    // depthwise_conv_2d_nhwc_hwcm: [N, OH, OW, C * M] -> [N, OH, OW, C, M].
    SmallVector<ReassociationIndices> expand{{0}, {1}, {2}, {3, 4}};
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, init);
    result = tensor::ExpandShapeOp::create(builder, loc, initType, result,
                                           expand, sizes);
  }
  if (isZeroInit(init))
    return result;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, init);
  Value empty =
      tensor::EmptyOp::create(builder, loc, sizes, initType.getElementType());
  return linalg::AddOp::create(builder, loc, TypeRange{initType},
                               ValueRange{result, init}, ValueRange{empty})
      .getResult(0);
}

FailureOr<ConstantOp>
buildWeightConstant(OpBuilder &builder, ContractionForm &form,
                    const OperandPlan &operand, bool isRhs,
                    const quantmath::QuantSpec &spec, bool perChannel) {
  auto type = cast<RankedTensorType>(operand.value.getType());
  const OperandLayout &layout = isRhs ? form.rhsLayout : form.lhsLayout;
  SmallVector<int64_t> shape = layout.apply(type.getShape());
  std::vector<float> data =
      applyLayout(*operand.constantData, type.getShape(), layout);
  quantmath::Granularity granularity =
      isRhs && perChannel ? quantmath::Granularity::perAxis(form.rhsChannelAxis)
                          : quantmath::Granularity::perTensor();
  Location loc = operand.value.getLoc();
  llvm::Expected<ConstantOp> constant =
      buildQuantizedConstant(builder, loc, data, shape, granularity, spec);
  if (!constant)
    return form.op->emitOpError("cannot quantize operand #")
           << (isRhs ? 1 : 0) << ": " << llvm::toString(constant.takeError());
  return *constant;
}

} // namespace qnn
