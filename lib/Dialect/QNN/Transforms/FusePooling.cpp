//===- FusePooling.cpp - fp32 pooling under a quantize -> qnn pooling -----===//
//
// Max pooling: `qnn.quantize(linalg.pooling_{nhwc,nchw}_max(x))` ->
// `qnn.max_pool2d(qnn.quantize(x))`. Quantization Q is monotonic, so
// Q(max(S)) = max(Q(S)) exactly. The fp32 pool also takes the max with its
// init (-inf, or the lowest float) and, when its input is a tensor.pad, with
// the padding value; both must quantize to the storage minimum, which is
// neutral for the integer max, as qnn.max_pool2d's own padding is.
//
// Average pooling is exact only in a narrow case, the only one rewritten:
// `qnn.quantize(sum_pool(quant.dcast(q)) / n)` with q of the quantize's own
// type, n = KH * KW odd -> `qnn.avg_pool2d(q)`. The fp32 chain computes
// R = sum(q_i - z) / n with float errors below (n + 4) * 2^-24 * M
// (M = the largest |q - z|) and rounds it; qnn.avg_pool2d rounds
// sum(q_i) / n = R + z. For odd n, R is at least 1 / (2n) away from a tie,
// so when the float error is smaller (checked: 4 n (n + 4) M < 2^24) both
// round to the same integer whatever their tie rule. Quantizing fp32 values
// that are not already on the output grid before averaging would round
// twice, so any other average pooling stays fp32.
//
//===----------------------------------------------------------------------===//

#include "FuseMatchers.h"
#include "FusePatterns.h"
#include "FuseScalar.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace qnn;

namespace {

/// An fp32 pooling op as qnn's pooling attributes see it.
struct PoolWindow {
  /// Mutable: interface accessors are not const.
  mutable linalg::LinalgOp op;
  DataFormat format;
  SmallVector<int64_t, 2> kernel;
  SmallVector<int64_t, 2> strides;
};

/// The image the pool reads and the spatial padding around it:
/// `tensor.pad` (with a value `acceptPad` accepts, only on the spatial
/// dimensions, less than a window wide) or none.
struct PaddedImage {
  Value image;
  SmallVector<int64_t, 4> padding = {0, 0, 0, 0};
};

/// The divisor of an elementwise `x / d` or `x * (1 / d)`, and x.
struct Division {
  Value dividend;
  double divisor;
};

} // namespace

/// The window of the linalg pooling op (`NhwcOp` or `NchwOp`) defining
/// `value`, with unit dilations and a static kernel.
template <typename NhwcOp, typename NchwOp>
static FailureOr<PoolWindow> matchPool(Value value, PatternRewriter &rewriter,
                                       Operation *root) {
  Operation *def = value.getDefiningOp();
  if (!def || !isa<NhwcOp, NchwOp>(def))
    return rewriter.notifyMatchFailure(root, "not the pooling op");
  if (!def->hasOneUse())
    return rewriter.notifyMatchFailure(root,
                                       "the fp32 pooling has other users");
  PoolWindow window;
  window.op = cast<linalg::LinalgOp>(def);
  window.format = isa<NhwcOp>(def) ? DataFormat::NHWC : DataFormat::NCHW;
  auto strides = def->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilations = def->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (dilations && llvm::any_of(dilations.getValues<int64_t>(),
                                [](int64_t d) { return d != 1; }))
    return rewriter.notifyMatchFailure(root, "dilated pooling");
  window.strides = {1, 1};
  if (strides)
    window.strides.assign(strides.getValues<int64_t>().begin(),
                          strides.getValues<int64_t>().end());
  auto kernelType =
      cast<RankedTensorType>(window.op.getDpsInputs()[1].getType());
  if (!kernelType.hasStaticShape())
    return rewriter.notifyMatchFailure(root, "dynamic pooling window");
  window.kernel.assign(kernelType.getShape().begin(),
                       kernelType.getShape().end());
  return window;
}

static PaddedImage getPaddedImage(const PoolWindow &window,
                                  function_ref<bool(double)> acceptPad) {
  Value input = window.op.getDpsInputs()[0];
  PaddedImage result{input};
  auto pad = input.getDefiningOp<tensor::PadOp>();
  if (!pad || ShapedType::isDynamicShape(pad.getStaticLow()) ||
      ShapedType::isDynamicShape(pad.getStaticHigh()))
    return result;
  Value paddingValue = pad.getConstantPaddingValue();
  std::optional<double> real =
      paddingValue ? matchFloatScalar(paddingValue) : std::nullopt;
  if (!real || !acceptPad(*real))
    return result;
  int64_t h = window.format == DataFormat::NHWC ? 1 : 2;
  int64_t c = window.format == DataFormat::NHWC ? 3 : 1;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (low[0] || high[0] || low[c] || high[c])
    return result;
  SmallVector<int64_t, 4> padding = {low[h], high[h], low[h + 1], high[h + 1]};
  // qnn pooling rejects windows of padding only.
  if (padding[0] >= window.kernel[0] || padding[1] >= window.kernel[0] ||
      padding[2] >= window.kernel[1] || padding[3] >= window.kernel[1])
    return result;
  return {pad.getSource(), padding};
}

/// Whether qnn pooling of `image` with these attributes has `resultType`'s
/// shape (a linalg pool may read less than the whole image).
static bool hasQNNPoolShape(Value image, const PoolWindow &window,
                            ArrayRef<int64_t> padding,
                            RankedTensorType resultType) {
  auto imageType = cast<RankedTensorType>(image.getType());
  if (!imageType.hasStaticShape() || !resultType.hasStaticShape())
    return false;
  int64_t h = window.format == DataFormat::NHWC ? 1 : 2;
  for (int64_t i = 0; i < 2; ++i) {
    int64_t padded =
        imageType.getDimSize(h + i) + padding[2 * i] + padding[2 * i + 1];
    if ((padded - window.kernel[i]) / window.strides[i] + 1 !=
        resultType.getDimSize(h + i))
      return false;
  }
  return true;
}

namespace {

class FoldMaxPool : public OpRewritePattern<QuantizeOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    FailureOr<PoolWindow> window =
        matchPool<linalg::PoolingNhwcMaxOp, linalg::PoolingNchwMaxOp>(
            quantize.getInput(), rewriter, quantize);
    if (failed(window))
      return failure();
    auto element = dyn_cast<quant::UniformQuantizedType>(
        quantize.getType().getElementType());
    if (!element)
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor type");
    RoundingMode rounding = quantize.getRounding();
    auto isNeutral = [&](double real) {
      return quantizeScalar(real, element, rounding) ==
             element.getStorageTypeMin();
    };
    std::optional<double> init = matchFloatScalar(window->op.getDpsInits()[0]);
    if (!init || !isNeutral(*init))
      return rewriter.notifyMatchFailure(
          quantize, "the init does not quantize to the storage minimum");
    PaddedImage image = getPaddedImage(*window, isNeutral);
    if (!hasQNNPoolShape(image.image, *window, image.padding,
                         quantize.getType()))
      return rewriter.notifyMatchFailure(
          quantize, "the pool does not cover the image as qnn pooling does");

    auto imageType = cast<RankedTensorType>(image.image.getType());
    Value quantized = QuantizeOp::create(rewriter, quantize.getLoc(),
                                         imageType.clone(element), image.image,
                                         quantize.getRoundingAttr());
    rewriter.replaceOpWithNewOp<MaxPool2DOp>(
        quantize, quantize.getType(), quantized, window->kernel,
        window->strides, image.padding, window->format);
    return success();
  }
};

} // namespace

/// `value` as an elementwise division by a constant: `divf` by d or `mulf`
/// by 1 / d, on tensors or as the body of an elementwise linalg op.
static std::optional<Division> matchDivision(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return std::nullopt;
  // The scalar op, the value divided (a tensor or a block argument), and a
  // way to read constants in its context.
  Operation *scalarOp = def;
  std::function<std::optional<double>(Value)> constantOf = matchFloatScalar;
  std::optional<ElementwiseLinalg> elementwise = matchElementwise(def);
  if (elementwise) {
    scalarOp = elementwise->yielded.getDefiningOp();
    if (!scalarOp)
      return std::nullopt;
    constantOf = [&](Value v) { return elementwise->getScalarConstant(v); };
  }
  Value dividend;
  std::optional<double> divisor;
  if (auto divide = dyn_cast<arith::DivFOp>(scalarOp)) {
    dividend = divide.getLhs();
    divisor = constantOf(divide.getRhs());
  } else if (auto multiply = dyn_cast<arith::MulFOp>(scalarOp)) {
    dividend = multiply.getLhs();
    std::optional<double> factor = constantOf(multiply.getRhs());
    if (!factor) {
      dividend = multiply.getRhs();
      factor = constantOf(multiply.getLhs());
    }
    if (factor && *factor != 0.0)
      divisor = 1.0 / *factor;
  }
  if (!divisor || constantOf(dividend))
    return std::nullopt;
  if (elementwise) {
    OpOperand *input = elementwise->getInputOperand(dividend);
    if (!input || !elementwise->op.getMatchingIndexingMap(input).isIdentity())
      return std::nullopt;
    dividend = input->get();
  }
  return Division{dividend, *divisor};
}

namespace {

class FoldAvgPool : public OpRewritePattern<QuantizeOp> {
public:
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    std::optional<Division> division = matchDivision(quantize.getInput());
    if (!division)
      return rewriter.notifyMatchFailure(quantize, "input is not a division");
    if (!quantize.getInput().hasOneUse())
      return rewriter.notifyMatchFailure(quantize,
                                         "the fp32 average has other users");
    FailureOr<PoolWindow> window =
        matchPool<linalg::PoolingNhwcSumOp, linalg::PoolingNchwSumOp>(
            division->dividend, rewriter, quantize);
    if (failed(window))
      return failure();
    auto element = dyn_cast<quant::UniformQuantizedType>(
        quantize.getType().getElementType());
    if (!element)
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor type");

    int64_t count = window->kernel[0] * window->kernel[1];
    // The divisor is the window size: exactly, or as its float reciprocal
    // (within 2^-23; the error analysis above allows for it).
    if (std::fabs(static_cast<double>(count) / division->divisor - 1.0) >
        0x1p-23)
      return rewriter.notifyMatchFailure(quantize,
                                         "the divisor is not the window size");
    std::optional<double> init = matchFloatScalar(window->op.getDpsInits()[0]);
    if (!init || *init != 0.0)
      return rewriter.notifyMatchFailure(quantize, "the sum does not start at "
                                                   "0.0");
    PaddedImage image = getPaddedImage(*window, [&](double real) {
      return quantizeScalar(real, element, quantize.getRounding()) ==
             element.getZeroPoint();
    });
    auto dequantize = image.image.getDefiningOp<quant::DequantizeCastOp>();
    if (!dequantize ||
        getElementTypeOrSelf(dequantize.getInput().getType()) != element)
      return rewriter.notifyMatchFailure(
          quantize, "the pooled values are not dequantized from the "
                    "quantize's own type");
    if (!hasQNNPoolShape(image.image, *window, image.padding,
                         quantize.getType()))
      return rewriter.notifyMatchFailure(
          quantize, "the pool does not cover the image as qnn pooling does");
    int64_t reach =
        std::max(element.getStorageTypeMax() - element.getZeroPoint(),
                 element.getZeroPoint() - element.getStorageTypeMin());
    if (count % 2 == 0 || 4.0 * count * (count + 4) * reach >= 0x1p24)
      return rewriter.notifyMatchFailure(
          quantize, "the integer average could round differently from the "
                    "fp32 one (an even window, or float error too large)");

    bool padded = llvm::any_of(image.padding, [](int64_t p) { return p; });
    rewriter.replaceOpWithNewOp<AvgPool2DOp>(
        quantize, quantize.getType(), dequantize.getInput(), window->kernel,
        window->strides, image.padding, window->format,
        /*count_include_pad=*/padded);
    return success();
  }
};

} // namespace

void qnn::populateFusePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldMaxPool, FoldAvgPool>(patterns.getContext());
}
