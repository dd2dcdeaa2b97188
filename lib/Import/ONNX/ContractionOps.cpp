//===- ContractionOps.cpp - Conv, ConvTranspose, Gemm and MatMul ----------===//
//
// The contractions become the linalg ops qnn-quantize reads:
// linalg.conv_2d_nchw_fchw (groups of one), linalg.depthwise_conv_2d_nhwc_hwcm
// (one group per channel, between NCHW <-> NHWC transposes), one convolution
// per group otherwise; linalg.matmul and linalg.batch_matmul. Constant weights
// are rearranged at import time. A BatchNormalization that only reads a
// convolution with constant weights is folded into its weights and bias.
//
// When both operands come from DequantizeLinear (a QDQ model), the
// contraction is built as the qnn op on the quantized tensors followed by a
// quant.dcast: the form qnn-quantize emits, which qnn-fuse turns into integer
// code.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "Convolution.h"
#include "GraphImporter.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using onnx::TensorProto;

namespace qnn {
namespace onnx_import {

static std::string format(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Strides, dilations, pads and auto_pad for a window of `kH` x `kW` over
/// `p.inH` x `p.inW`; fills the output size.
static LogicalResult readWindow(NodeContext &node, ConvParams &p,
                                bool ceilMode) {
  int64_t spatial = p.is1D ? 1 : 2;
  auto read = [&](StringRef name, int64_t &h, int64_t &w) -> LogicalResult {
    SmallVector<int64_t> v = node.getInts(name);
    if (v.empty())
      return success();
    if (static_cast<int64_t>(v.size()) != spatial)
      return node.error(name + " has " + Twine(v.size()) + " values, " +
                        Twine(spatial) + " expected");
    if (llvm::any_of(v, [](int64_t x) { return x <= 0; }))
      return node.error(name + " must be positive");
    if (p.is1D)
      w = v[0];
    else
      h = v[0], w = v[1];
    return success();
  };
  if (failed(read("strides", p.strideH, p.strideW)) ||
      failed(read("dilations", p.dilationH, p.dilationW)))
    return failure();
  std::string autoPad = node.getString("auto_pad", "NOTSET");
  int64_t effH = p.dilationH * (p.kH - 1) + 1;
  int64_t effW = p.dilationW * (p.kW - 1) + 1;
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    auto same = [&](int64_t in, int64_t stride, int64_t eff, int64_t &begin,
                    int64_t &end) {
      int64_t out = (in + stride - 1) / stride;
      int64_t total = std::max<int64_t>(0, (out - 1) * stride + eff - in);
      begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      end = total - begin;
    };
    same(p.inH, p.strideH, effH, p.padTop, p.padBottom);
    same(p.inW, p.strideW, effW, p.padLeft, p.padRight);
  } else if (autoPad == "NOTSET") {
    SmallVector<int64_t> pads = node.getInts("pads");
    if (!pads.empty()) {
      if (static_cast<int64_t>(pads.size()) != 2 * spatial)
        return node.error("pads has " + Twine(pads.size()) + " values, " +
                          Twine(2 * spatial) + " expected");
      if (llvm::any_of(pads, [](int64_t x) { return x < 0; }))
        return node.error("negative pads are not supported");
      if (p.is1D) {
        p.padLeft = pads[0];
        p.padRight = pads[1];
      } else {
        p.padTop = pads[0];
        p.padLeft = pads[1];
        p.padBottom = pads[2];
        p.padRight = pads[3];
      }
    }
  } else if (autoPad != "VALID") {
    return node.error("auto_pad '" + autoPad + "' is not valid");
  }
  auto outSize = [&](int64_t in, int64_t begin, int64_t &end, int64_t stride,
                     int64_t eff, int64_t &extra) -> int64_t {
    int64_t span = in + begin + end - eff;
    if (span < 0)
      return -1;
    int64_t out =
        ceilMode ? (span + stride - 1) / stride + 1 : span / stride + 1;
    // ceil_mode: a last window that starts in the end padding is dropped.
    if (ceilMode && (out - 1) * stride >= in + begin)
      --out;
    // Extra padding so that the last window fits.
    int64_t needed = (out - 1) * stride + eff - in - begin;
    if (needed > end) {
      extra = needed - end;
      end = needed;
    }
    return out;
  };
  p.outH =
      outSize(p.inH, p.padTop, p.padBottom, p.strideH, effH, p.extraBottom);
  p.outW = outSize(p.inW, p.padLeft, p.padRight, p.strideW, effW, p.extraRight);
  if (p.outH <= 0 || p.outW <= 0)
    return node.error("the window (" + Twine(p.kH) + "x" + Twine(p.kW) +
                      ", dilated " + Twine(effH) + "x" + Twine(effW) +
                      ") is larger than the padded input (" + Twine(p.inH) +
                      "x" + Twine(p.inW) + ")");
  return success();
}

FailureOr<ConvParams> getConvParams(NodeContext &node, ArrayRef<int64_t> x,
                                    ArrayRef<int64_t> w) {
  ConvParams p;
  if (x.size() != 3 && x.size() != 4) {
    (void)node.error("input has shape " + format(x) +
                     "; only 1-D and 2-D convolutions (rank 3 or 4) are "
                     "supported");
    return failure();
  }
  if (w.size() != x.size()) {
    (void)node.error("filter shape " + format(w) +
                     " does not match the input shape " + format(x));
    return failure();
  }
  p.is1D = x.size() == 3;
  p.batch = x[0];
  p.channels = x[1];
  p.inH = p.is1D ? 1 : x[2];
  p.inW = x.back();
  p.outChannels = w[0];
  p.kH = p.is1D ? 1 : w[2];
  p.kW = w.back();
  if (p.kH <= 0 || p.kW <= 0 || p.outChannels <= 0) {
    (void)node.error("filter shape " + format(w) + " has an empty dimension");
    return failure();
  }
  p.groups = node.getInt("group", 1);
  if (p.groups <= 0 || p.channels % p.groups || p.outChannels % p.groups ||
      w[1] * p.groups != p.channels) {
    (void)node.error("filter shape " + format(w) + " with group " +
                     Twine(p.groups) + " does not fit an input of " +
                     Twine(p.channels) + " channels (" + format(x) + ")");
    return failure();
  }
  SmallVector<int64_t> kernel = node.getInts("kernel_shape");
  if (!kernel.empty() && ArrayRef<int64_t>(kernel) != w.drop_front(2)) {
    (void)node.error("kernel_shape " + format(kernel) +
                     " differs from the filter's " + format(w.drop_front(2)));
    return failure();
  }
  if (failed(readWindow(node, p, /*ceilMode=*/false)))
    return failure();
  return p;
}

FailureOr<ConvParams> getPoolParams(NodeContext &node, ArrayRef<int64_t> x) {
  ConvParams p;
  if (x.size() != 3 && x.size() != 4) {
    (void)node.error("input has shape " + format(x) +
                     "; only 1-D and 2-D pooling (rank 3 or 4) is supported");
    return failure();
  }
  p.is1D = x.size() == 3;
  p.batch = x[0];
  p.channels = p.outChannels = x[1];
  p.inH = p.is1D ? 1 : x[2];
  p.inW = x.back();
  SmallVector<int64_t> kernel = node.getInts("kernel_shape");
  if (kernel.size() != x.size() - 2) {
    (void)node.error("kernel_shape " + format(kernel) + " does not fit input " +
                     format(x));
    return failure();
  }
  p.kH = p.is1D ? 1 : kernel[0];
  p.kW = kernel.back();
  if (p.kH <= 0 || p.kW <= 0) {
    (void)node.error("kernel_shape " + format(kernel) + " must be positive");
    return failure();
  }
  if (failed(readWindow(node, p, node.getInt("ceil_mode", 0) != 0)))
    return failure();
  return p;
}

Value buildChannelBias(OpBuilder &b, Location loc, Value y, Value bias) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> shape = getShape(y);
  unsigned rank = shape.size();
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, {getAffineDimExpr(1, context)}, context),
      AffineMap::getMultiDimIdentityMap(rank, context),
      AffineMap::getMultiDimIdentityMap(rank, context)};
  Value init = tensor::EmptyOp::create(b, loc, shape, getElementTypeOf(y));
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{bias, y},
             ValueRange{init}, maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [](OpBuilder &nested, Location bodyLoc, ValueRange args) {
               Value sum =
                   arith::AddFOp::create(nested, bodyLoc, args[1], args[0]);
               linalg::YieldOp::create(nested, bodyLoc, sum);
             })
      .getResult(0);
}

/// The weights of a convolution, transformed at import time when constant
/// (`hostFn`) and with linalg ops otherwise (`irFn`).
static Value
transformWeights(NodeContext &node, int input,
                 llvm::function_ref<HostTensor(const HostTensor &)> hostFn,
                 llvm::function_ref<Value(Value)> irFn) {
  if (const HostTensor *w = node.constant(input))
    return node.graph.constantValue(hostFn(*w), node.node.input(input));
  return irFn(node.value(input));
}

/// One fp32 convolution in NCHW on a padded input, `w` FCHW.
static Value buildConvNchw(OpBuilder &b, Location loc, Value x, Value w,
                           const ConvParams &p, Type element) {
  Value init = buildInit(b, loc, p.outputShape(), element);
  auto strides = b.getI64TensorAttr({p.strideH, p.strideW});
  auto dilations = b.getI64TensorAttr({p.dilationH, p.dilationW});
  return linalg::Conv2DNchwFchwOp::create(b, loc, TypeRange{init.getType()},
                                          ValueRange{x, w}, ValueRange{init},
                                          strides, dilations)
      .getResult(0);
}

/// The fp32 convolution of `x` (NCHW, 2-D form) with the node's filter
/// (input 1, possibly replaced by `filter`) without bias.
static Value buildConvolution(NodeContext &node, Value x, const ConvParams &p,
                              const HostTensor *filter) {
  OpBuilder &b = node.builder;
  Type element = getElementTypeOf(x);
  int64_t F = p.outChannels, C = p.channels, G = p.groups;
  SmallVector<int64_t> filterShape = {F, C / G, p.kH, p.kW};
  auto weights4d = [&](llvm::function_ref<HostTensor(const HostTensor &)> h,
                       llvm::function_ref<Value(Value)> ir) {
    if (filter)
      return node.graph.constantValue(h([&] {
                                        HostTensor t = *filter;
                                        t.shape = filterShape;
                                        return t;
                                      }()),
                                      node.node.input(1));
    return transformWeights(
        node, 1,
        [&](const HostTensor &t) {
          HostTensor r = t;
          r.shape = filterShape;
          return h(r);
        },
        [&](Value v) {
          return ir(buildReshape(b, node.loc("filter"), v, filterShape));
        });
  };
  Value padded = buildPad(b, node.loc("pad"), x, {0, 0, p.padTop, p.padLeft},
                          {0, 0, p.padBottom, p.padRight}, 0.0);
  if (G == 1) {
    Value w = weights4d([](const HostTensor &t) { return t; },
                        [](Value v) { return v; });
    return buildConvNchw(b, node.loc("conv"), padded, w, p, element);
  }
  if (G == C) {
    // Depthwise: NHWC with an [KH, KW, C, M] filter, as qnn-quantize reads.
    int64_t M = F / C;
    Value w = weights4d(
        [&](const HostTensor &t) {
          HostTensor r = transposeHost(t, {2, 3, 1, 0}); // KH KW 1 F
          r.shape = {p.kH, p.kW, C, M};
          return r;
        },
        [&](Value v) {
          Value t = buildTranspose(b, node.loc("filter"), v, {2, 3, 1, 0});
          return buildReshape(b, node.loc("filter"), t, {p.kH, p.kW, C, M});
        });
    Value nhwc = buildTranspose(b, node.loc("nhwc"), padded, {0, 2, 3, 1});
    Location loc = node.loc("conv");
    Value init = buildInit(b, loc, {p.batch, p.outH, p.outW, C, M}, element);
    Value conv =
        linalg::DepthwiseConv2DNhwcHwcmOp::create(
            b, loc, TypeRange{init.getType()}, ValueRange{nhwc, w},
            ValueRange{init}, b.getI64TensorAttr({p.strideH, p.strideW}),
            b.getI64TensorAttr({p.dilationH, p.dilationW}))
            .getResult(0);
    conv = buildReshape(b, loc, conv, {p.batch, p.outH, p.outW, F});
    return buildTranspose(b, node.loc("nchw"), conv, {0, 3, 1, 2});
  }
  // Other groups: one convolution per group, concatenated.
  Value w = weights4d([](const HostTensor &t) { return t; },
                      [](Value v) { return v; });
  SmallVector<Value> parts;
  int64_t Cg = C / G, Fg = F / G;
  ArrayRef<int64_t> paddedShape = getShape(padded);
  for (int64_t g = 0; g < G; ++g) {
    Location loc = node.loc("group" + std::to_string(g));
    Value xs = buildExtractSlice(
        b, loc, padded, ArrayRef<int64_t>{0, g * Cg, 0, 0},
        ArrayRef<int64_t>{p.batch, Cg, paddedShape[2], paddedShape[3]},
        ArrayRef<int64_t>{1, 1, 1, 1});
    Value ws = buildExtractSlice(b, loc, w, ArrayRef<int64_t>{g * Fg, 0, 0, 0},
                                 ArrayRef<int64_t>{Fg, Cg, p.kH, p.kW},
                                 ArrayRef<int64_t>{1, 1, 1, 1});
    ConvParams pg = p;
    pg.outChannels = Fg;
    parts.push_back(buildConvNchw(b, loc, xs, ws, pg, element));
  }
  return tensor::ConcatOp::create(b, node.loc("conv"), 1, parts);
}

/// Whether the convolution's only reader is a BatchNormalization with
/// constant parameters; returns its node index.
static std::optional<int> findFoldableBatchNorm(NodeContext &node) {
  GraphImporter &graph = node.graph;
  const std::string &out = node.node.output(0);
  auto it = graph.consumers.find(out);
  if (it == graph.consumers.end() || it->second.size() != 1 ||
      graph.graphOutputs.count(out) || !node.constant(1))
    return std::nullopt;
  int index = it->second.front();
  const onnx::NodeProto &bn = graph.graph->node(index);
  if (bn.op_type() != "BatchNormalization" || bn.input_size() < 5 ||
      bn.input(0) != out)
    return std::nullopt;
  for (int i = 1; i < 5; ++i) {
    TensorValue *v = graph.lookup(bn.input(i));
    if (!v || !v->constant || v->constant->size() != node.shape(1)[0])
      return std::nullopt;
  }
  for (int i = 1; i < bn.output_size(); ++i)
    if (!bn.output(i).empty() && graph.consumers.count(bn.output(i)))
      return std::nullopt;
  for (const onnx::AttributeProto &a : bn.attribute())
    if (a.name() == "training_mode" && a.i() != 0)
      return std::nullopt;
  return index;
}

/// The qnn.conv2d of a QDQ convolution, or a null value when the operands
/// are not both dequantized in a form qnn.conv2d takes.
static Value buildQuantizedConv(NodeContext &node, const ConvParams &p) {
  TensorValue &x = node.input(0), &w = node.input(1);
  if (p.is1D || !x.dequantized || !w.dequantized || !w.dequantized->storage)
    return nullptr;
  auto xType = dyn_cast<quant::UniformQuantizedType>(x.dequantized->type);
  quant::QuantizedType wType = w.dequantized->type;
  std::optional<int32_t> axis = getQuantizedAxis(wType);
  if (!xType || !isPerTensorOrPerAxis(wType) || (axis && *axis != 0))
    return nullptr;
  OpBuilder &b = node.builder;
  Value xq = node.graph.materializeQuantized(x);
  Value wq = node.graph.materializeQuantized(w);
  quant::QuantizedType accType = getAccumulatorType(xType, wType, 1);
  auto resultType = RankedTensorType::get(p.outputShape(), accType);
  auto conv = qnn::Conv2DOp::create(
      b, node.loc("conv"), resultType, xq, wq, /*bias=*/Value(),
      qnn::DataFormat::NCHW, ArrayRef<int64_t>{p.strideH, p.strideW},
      ArrayRef<int64_t>{p.dilationH, p.dilationW},
      ArrayRef<int64_t>{p.padTop, p.padBottom, p.padLeft, p.padRight},
      static_cast<uint64_t>(p.groups));
  return quant::DequantizeCastOp::create(
      b, node.loc("dequantized"),
      RankedTensorType::get(p.outputShape(), accType.getExpressedType()), conv);
}

/// A bias as an fp32 constant: plain, or the real values of a dequantized
/// constant (qnn-fuse requantizes it into the accumulator).
static Value getBias(NodeContext &node, int input) {
  TensorValue &bias = node.input(input);
  if (bias.dequantized && bias.dequantized->storage) {
    const HostTensor &q = *bias.dequantized->storage;
    SmallVector<double> scales = getScales(bias.dequantized->type);
    SmallVector<int64_t> zeros = getZeroPoints(bias.dequantized->type);
    HostTensor real(TensorProto::FLOAT, q.shape);
    for (int64_t i = 0; i < q.size(); ++i) {
      size_t c = scales.size() == 1 ? 0 : i;
      real.set(i, (q.getInt(i) - zeros[c]) * scales[c]);
    }
    return node.graph.constantValue(real, bias.name);
  }
  return node.value(input);
}

static LogicalResult importConv(NodeContext &node) {
  if (!isFloatType(node.dtype(0)))
    return node.error("input must be floating point, not " +
                      getTypeName(node.dtype(0)));
  FailureOr<ConvParams> params =
      getConvParams(node, node.shape(0), node.shape(1));
  if (failed(params))
    return failure();
  ConvParams &p = *params;
  if (node.hasInput(2) &&
      (node.rank(2) != 1 || node.shape(2)[0] != p.outChannels))
    return node.error("bias has shape " + format(node.shape(2)) + ", [" +
                      Twine(p.outChannels) + "] expected");
  OpBuilder &b = node.builder;

  Value y = buildQuantizedConv(node, p);
  std::optional<int> batchNorm;
  if (!y) {
    Value x = node.value(0);
    if (p.is1D)
      x = buildReshape(b, node.loc("2d"), x, p.inputShape());
    // BatchNormalization folded into the weights and bias.
    batchNorm = findFoldableBatchNorm(node);
    std::optional<HostTensor> foldedFilter, foldedBias;
    if (batchNorm) {
      const onnx::NodeProto &bn = node.graph.graph->node(*batchNorm);
      double epsilon = 1e-5;
      for (const onnx::AttributeProto &a : bn.attribute())
        if (a.name() == "epsilon")
          epsilon = a.f();
      auto param = [&](int i) {
        return *node.graph.lookup(bn.input(i))->constant;
      };
      HostTensor gamma = param(1), beta = param(2), mean = param(3),
                 var = param(4);
      foldedFilter = *node.constant(1);
      foldedBias = HostTensor(TensorProto::FLOAT, {p.outChannels});
      int64_t perChannel = foldedFilter->size() / p.outChannels;
      for (int64_t f = 0; f < p.outChannels; ++f) {
        double factor = gamma.getReal(f) / std::sqrt(var.getReal(f) + epsilon);
        for (int64_t k = 0; k < perChannel; ++k)
          foldedFilter->set(f * perChannel + k,
                            foldedFilter->getReal(f * perChannel + k) * factor);
        double b0 = 0.0;
        if (const HostTensor *bias = node.constant(2))
          b0 = bias->getReal(f);
        foldedBias->set(f, (b0 - mean.getReal(f)) * factor + beta.getReal(f));
      }
      if (node.hasInput(2) && !node.constant(2))
        batchNorm.reset();
    }
    if (batchNorm) {
      y = buildConvolution(node, x, p, &*foldedFilter);
      y = buildChannelBias(
          b, node.loc("bias"), y,
          node.graph.constantValue(*foldedBias,
                                   node.node.output(0) + "/folded_bias"));
    } else {
      y = buildConvolution(node, x, p, nullptr);
    }
  }
  if (node.hasInput(2) && !batchNorm)
    y = buildChannelBias(b, node.loc("bias"), y, getBias(node, 2));
  if (p.is1D)
    y = buildReshape(b, node.loc("1d"), y, {p.batch, p.outChannels, p.outW});

  if (batchNorm) {
    // The folded node's output is the BatchNormalization's.
    const onnx::NodeProto &bn = node.graph.graph->node(*batchNorm);
    y.getDefiningOp()->setLoc(NameLoc::get(b.getStringAttr(bn.output(0))));
    TensorValue v;
    v.name = bn.output(0);
    v.dtype = node.dtype(0);
    v.value = y;
    v.shape.assign(getShape(y).begin(), getShape(y).end());
    node.graph.define(std::move(v));
    node.graph.absorbed.insert(*batchNorm);
    return success();
  }
  y.getDefiningOp()->setLoc(node.loc());
  node.setOutput(0, y, node.dtype(0));
  return success();
}

/// ConvTranspose as a convolution of the input spread out by the strides
/// (zeros between the elements), padded by the dilated kernel size minus the
/// pads, with the filter flipped and its channel dimensions swapped.
static LogicalResult importConvTranspose(NodeContext &node) {
  ArrayRef<int64_t> x = node.shape(0), w = node.shape(1);
  if (x.size() != 4 || w.size() != 4)
    return node.error("only 2-D transposed convolutions (rank 4) are "
                      "supported");
  if (node.getInt("group", 1) != 1)
    return node.error("group other than 1 is not supported");
  if (w[0] != x[1])
    return node.error("filter shape " + format(w) +
                      " does not fit an input of " + Twine(x[1]) + " channels");
  auto pair = [&](StringRef name, int64_t dflt) {
    SmallVector<int64_t> v = node.getInts(name);
    if (v.empty())
      v.assign(2, dflt);
    return v;
  };
  SmallVector<int64_t> strides = pair("strides", 1),
                       dilations = pair("dilations", 1),
                       outputPadding = pair("output_padding", 0);
  SmallVector<int64_t> pads = node.getInts("pads");
  if (pads.empty())
    pads.assign(4, 0);
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4 ||
      outputPadding.size() != 2)
    return node.error("strides, dilations, pads or output_padding do not "
                      "have 2 (pads: 4) values");
  int64_t kernel[2] = {w[2], w[3]};
  SmallVector<int64_t> outputShape = node.getInts("output_shape");
  std::string autoPad = node.getString("auto_pad", "NOTSET");
  for (int d = 0; d < 2; ++d) {
    int64_t in = x[2 + d];
    int64_t full = strides[d] * (in - 1) + outputPadding[d] +
                   ((kernel[d] - 1) * dilations[d] + 1);
    int64_t total = -1;
    if (!outputShape.empty())
      total = full - outputShape[outputShape.size() - 2 + d];
    else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
      total = full - in * strides[d];
    if (total >= 0) {
      int64_t small = total / 2, large = total - small;
      bool upper = autoPad != "SAME_LOWER";
      pads[d] = upper ? small : large;
      pads[d + 2] = upper ? large : small;
    }
  }
  int64_t F = w[1], C = x[1];
  int64_t outH = strides[0] * (x[2] - 1) + outputPadding[0] +
                 (kernel[0] - 1) * dilations[0] + 1 - pads[0] - pads[2];
  int64_t outW = strides[1] * (x[3] - 1) + outputPadding[1] +
                 (kernel[1] - 1) * dilations[1] + 1 - pads[1] - pads[3];
  if (outH <= 0 || outW <= 0)
    return node.error("the output would be empty");
  OpBuilder &b = node.builder;
  Type element = getElementType(b.getContext(), node.dtype(0));

  // Spread the input out by the strides.
  Value input = node.value(0);
  int64_t spreadH = (x[2] - 1) * strides[0] + 1,
          spreadW = (x[3] - 1) * strides[1] + 1;
  if (strides[0] != 1 || strides[1] != 1) {
    Location loc = node.loc("spread");
    Value zeros = buildInit(b, loc, {x[0], C, spreadH, spreadW}, element);
    input =
        buildInsertSlice(b, loc, input, zeros, ArrayRef<int64_t>{0, 0, 0, 0},
                         ArrayRef<int64_t>{x[0], C, x[2], x[3]},
                         ArrayRef<int64_t>{1, 1, strides[0], strides[1]});
  }
  // Padding: the dilated kernel minus the pads (negative: crop).
  SmallVector<int64_t> low(4, 0), high(4, 0);
  for (int d = 0; d < 2; ++d) {
    int64_t eff = (kernel[d] - 1) * dilations[d];
    low[2 + d] = eff - pads[d];
    high[2 + d] = eff - pads[d + 2] + outputPadding[d];
  }
  SmallVector<int64_t> cropLow(4, 0), cropHigh(4, 0);
  for (int d = 0; d < 4; ++d) {
    if (low[d] < 0)
      cropLow[d] = -low[d], low[d] = 0;
    if (high[d] < 0)
      cropHigh[d] = -high[d], high[d] = 0;
  }
  Value padded = buildPad(b, node.loc("pad"), input, low, high, 0.0);
  if (llvm::any_of(cropLow, [](int64_t v) { return v; }) ||
      llvm::any_of(cropHigh, [](int64_t v) { return v; })) {
    ArrayRef<int64_t> s = getShape(padded);
    SmallVector<int64_t> sizes;
    for (int d = 0; d < 4; ++d)
      sizes.push_back(s[d] - cropLow[d] - cropHigh[d]);
    padded = buildExtractSlice(b, node.loc("crop"), padded, cropLow, sizes,
                               ArrayRef<int64_t>{1, 1, 1, 1});
  }
  // Filter [C, F, KH, KW] -> flipped [F, C, KH, KW].
  Value filter = transformWeights(
      node, 1,
      [&](const HostTensor &t) {
        HostTensor r = transposeHost(t, {1, 0, 2, 3});
        HostTensor flipped = r;
        for (int64_t f = 0; f < F; ++f)
          for (int64_t c = 0; c < C; ++c)
            for (int64_t i = 0; i < kernel[0]; ++i)
              for (int64_t j = 0; j < kernel[1]; ++j) {
                int64_t to = ((f * C + c) * kernel[0] + i) * kernel[1] + j;
                int64_t from = ((f * C + c) * kernel[0] + (kernel[0] - 1 - i)) *
                                   kernel[1] +
                               (kernel[1] - 1 - j);
                flipped.set(to, r.getReal(from));
              }
        return flipped;
      },
      [&](Value v) {
        Value t = buildTranspose(b, node.loc("filter"), v, {1, 0, 2, 3});
        SmallVector<int64_t> flip;
        for (int64_t i = kernel[0] - 1; i >= 0; --i)
          flip.push_back(i);
        t = buildGather(b, node.loc("filter"), t, 2, flip, {kernel[0]});
        flip.clear();
        for (int64_t j = kernel[1] - 1; j >= 0; --j)
          flip.push_back(j);
        return buildGather(b, node.loc("filter"), t, 3, flip, {kernel[1]});
      });
  ConvParams p;
  p.batch = x[0];
  p.channels = C;
  p.outChannels = F;
  p.kH = kernel[0];
  p.kW = kernel[1];
  p.outH = outH;
  p.outW = outW;
  p.dilationH = dilations[0];
  p.dilationW = dilations[1];
  Value y = buildConvNchw(b, node.loc("conv"), padded, filter, p, element);
  if (node.hasInput(2))
    y = buildChannelBias(b, node.loc("bias"), y, node.value(2));
  y.getDefiningOp()->setLoc(node.loc());
  node.setOutput(0, y, node.dtype(0));
  return success();
}

/// A 2-D matmul [M, K] x [K, N] in fp32.
static Value buildMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  ArrayRef<int64_t> l = getShape(lhs), r = getShape(rhs);
  Type element = getElementTypeOf(lhs);
  if (l.size() == 3) {
    Value init = buildInit(b, loc, {l[0], l[1], r[2]}, element);
    return linalg::BatchMatmulOp::create(b, loc, TypeRange{init.getType()},
                                         ValueRange{lhs, rhs}, ValueRange{init})
        .getResult(0);
  }
  Value init = buildInit(b, loc, {l[0], r[1]}, element);
  return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

/// qnn.matmul of a dequantized [M, K] activation and dequantized constant
/// weights, given as [K, N] or (transposed) [N, K]; null if not that form.
static Value buildQuantizedMatmul(NodeContext &node, bool transB) {
  TensorValue &a = node.input(0), &w = node.input(1);
  if (a.shape.size() != 2 || w.shape.size() != 2 || !a.dequantized ||
      !w.dequantized || !w.dequantized->storage)
    return nullptr;
  auto aType = dyn_cast<quant::UniformQuantizedType>(a.dequantized->type);
  quant::QuantizedType wType = w.dequantized->type;
  std::optional<int32_t> axis = getQuantizedAxis(wType);
  if (!aType || !isPerTensorOrPerAxis(wType) ||
      (axis && *axis != (transB ? 0 : 1)))
    return nullptr;
  OpBuilder &b = node.builder;
  Value aq = node.graph.materializeQuantized(a);
  Value wq;
  if (transB) {
    HostTensor t = transposeHost(*w.dequantized->storage, {1, 0});
    if (axis)
      wType = withQuantizedAxis(wType, 1);
    wq = qnn::ConstantOp::create(
        b, NameLoc::get(b.getStringAttr(w.name + "/quantized")),
        RankedTensorType::get(t.shape, wType), t.toAttr(b.getContext()),
        /*error=*/nullptr);
  } else {
    wq = node.graph.materializeQuantized(w);
  }
  int64_t M = a.shape[0], N = getShape(wq)[1];
  quant::QuantizedType accType = getAccumulatorType(aType, wType, 1);
  auto matmul = qnn::MatmulOp::create(
      b, node.loc("matmul"), RankedTensorType::get({M, N}, accType), aq, wq,
      /*bias=*/Value());
  return quant::DequantizeCastOp::create(
      b, node.loc("dequantized"),
      RankedTensorType::get({M, N}, accType.getExpressedType()), matmul);
}

static LogicalResult importGemm(NodeContext &node) {
  if (!isFloatType(node.dtype(0)))
    return node.error("input must be floating point");
  if (node.rank(0) != 2 || node.rank(1) != 2)
    return node.error("A and B must be matrices, not " + format(node.shape(0)) +
                      " and " + format(node.shape(1)));
  bool transA = node.getInt("transA", 0), transB = node.getInt("transB", 0);
  double alpha = node.getFloat("alpha", 1.0), beta = node.getFloat("beta", 1.0);
  int64_t M = node.shape(0)[transA ? 1 : 0], K = node.shape(0)[transA ? 0 : 1];
  int64_t KB = node.shape(1)[transB ? 1 : 0], N = node.shape(1)[transB ? 0 : 1];
  if (K != KB)
    return node.error("A " + format(node.shape(0)) +
                      (transA ? " (transposed)" : "") + " and B " +
                      format(node.shape(1)) + (transB ? " (transposed)" : "") +
                      " do not share an inner dimension");
  OpBuilder &b = node.builder;
  Value y;
  if (!transA && alpha == 1.0)
    y = buildQuantizedMatmul(node, transB);
  if (!y) {
    Value a = node.value(0);
    if (transA)
      a = buildTranspose(b, node.loc("transpose_a"), a, {1, 0});
    Value w = transformWeights(
        node, 1,
        [&](const HostTensor &t) {
          HostTensor r = transB ? transposeHost(t, {1, 0}) : t;
          if (alpha != 1.0)
            for (int64_t i = 0; i < r.size(); ++i)
              r.set(i, r.getReal(i) * alpha);
          return r;
        },
        [&](Value v) {
          Value r = transB
                        ? buildTranspose(b, node.loc("transpose_b"), v, {1, 0})
                        : v;
          if (alpha != 1.0)
            r = buildElementwise(
                b, node.loc("alpha"), {r}, {K, N}, getElementTypeOf(r),
                [&](OpBuilder &nb, Location l, ValueRange x) {
                  return arith::MulFOp::create(
                      nb, l, x[0], buildScalar(nb, l, x[0].getType(), alpha));
                });
          return r;
        });
    y = buildMatmul(b, node.loc("matmul"), a, w);
  }
  if (node.hasInput(2) && beta != 0.0) {
    if (!broadcastShapes({M, N}, node.shape(2)) ||
        *broadcastShapes({M, N}, node.shape(2)) != SmallVector<int64_t>{M, N})
      return node.error("C " + format(node.shape(2)) +
                        " does not broadcast to [" + Twine(M) + "x" + Twine(N) +
                        "]");
    Value c = getBias(node, 2);
    y = buildElementwise(
        b, node.loc("bias"), {y, c}, {M, N}, getElementTypeOf(y),
        [&](OpBuilder &nb, Location l, ValueRange x) {
          Value cv = x[1];
          if (beta != 1.0)
            cv = arith::MulFOp::create(nb, l, cv,
                                       buildScalar(nb, l, cv.getType(), beta));
          return arith::AddFOp::create(nb, l, x[0], cv);
        });
  }
  y.getDefiningOp()->setLoc(node.loc());
  node.setOutput(0, y, node.dtype(0));
  return success();
}

/// Broadcasts `v` to `shape` (a copy through a generic) unless it has it.
static Value broadcastTo(OpBuilder &b, Location loc, Value v,
                         ArrayRef<int64_t> shape) {
  if (getShape(v) == shape)
    return v;
  return buildElementwise(
      b, loc, {v}, shape, getElementTypeOf(v),
      [](OpBuilder &, Location, ValueRange x) { return x[0]; });
}

static LogicalResult importMatMul(NodeContext &node) {
  if (!isFloatType(node.dtype(0)))
    return node.error("input must be floating point (MatMulInteger imports "
                      "integer products)");
  SmallVector<int64_t> a(node.shape(0)), w(node.shape(1));
  if (a.empty() || w.empty())
    return node.error("operands must have rank 1 or more");
  bool vectorA = a.size() == 1, vectorB = w.size() == 1;
  if (vectorA)
    a.insert(a.begin(), 1);
  if (vectorB)
    w.push_back(1);
  int64_t M = a[a.size() - 2], K = a.back(), N = w.back();
  if (w[w.size() - 2] != K)
    return node.error("operands " + format(node.shape(0)) + " and " +
                      format(node.shape(1)) +
                      " do not share an inner dimension");
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(a).drop_back(2),
                    batchB = ArrayRef<int64_t>(w).drop_back(2);
  std::optional<SmallVector<int64_t>> batch = broadcastShapes(batchA, batchB);
  if (!batch)
    return node.error("batch dimensions of " + format(node.shape(0)) + " and " +
                      format(node.shape(1)) + " cannot be broadcast together");
  SmallVector<int64_t> resultShape(*batch);
  resultShape.push_back(M);
  resultShape.push_back(N);
  OpBuilder &b = node.builder;
  Value y;
  if (a.size() == 2 && w.size() == 2 && !vectorA && !vectorB)
    y = buildQuantizedMatmul(node, /*transB=*/false);
  if (!y) {
    Value lhs = buildReshape(b, node.loc("lhs"), node.value(0), a);
    Value rhs;
    if (const HostTensor *c = node.constant(1)) {
      HostTensor t = *c;
      t.shape = w;
      rhs = node.graph.constantValue(t, node.node.input(1));
    } else {
      rhs = buildReshape(b, node.loc("rhs"), node.value(1), w);
    }
    int64_t B = getNumElements(*batch);
    if (w.size() == 2) {
      // [..., M, K] x [K, N]: one matmul over all rows.
      lhs = buildReshape(b, node.loc("lhs"), lhs, {B * M, K});
      y = buildMatmul(b, node.loc("matmul"), lhs, rhs);
    } else {
      SmallVector<int64_t> fullA(*batch), fullB(*batch);
      fullA.append({M, K});
      fullB.append({K, N});
      lhs = broadcastTo(b, node.loc("lhs"), lhs, fullA);
      rhs = broadcastTo(b, node.loc("rhs"), rhs, fullB);
      lhs = buildReshape(b, node.loc("lhs"), lhs, {B, M, K});
      rhs = buildReshape(b, node.loc("rhs"), rhs, {B, K, N});
      y = buildMatmul(b, node.loc("matmul"), lhs, rhs);
    }
  }
  SmallVector<int64_t> outShape(*batch);
  if (!vectorA)
    outShape.push_back(M);
  if (!vectorB)
    outShape.push_back(N);
  y = buildReshape(b, node.loc("reshape"), y, outShape);
  y.getDefiningOp()->setLoc(node.loc());
  node.setOutput(0, y, node.dtype(0));
  return success();
}

void registerContractionOps(OpRegistry &registry) {
  registry.add("Conv", importConv);
  registry.add("ConvTranspose", importConvTranspose);
  registry.add("Gemm", importGemm);
  registry.add("MatMul", importMatMul);
}

} // namespace onnx_import
} // namespace qnn
