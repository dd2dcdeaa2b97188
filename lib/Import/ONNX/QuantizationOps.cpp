//===- QuantizationOps.cpp - QDQ and QOperator models ---------------------===//
//
// Models that carry their own quantization keep their scales and zero points:
//
// - QuantizeLinear -> qnn.quantize (round half to even, saturating: ONNX's
//   rule and qnn.quantize's default), to `!quant.uniform` with the model's
//   scale and zero point, per tensor or per axis;
// - DequantizeLinear -> quant.dcast; of a constant, a qnn.constant holding
//   the stored integers. Contractions on dequantized operands become qnn ops
//   (ContractionOps.cpp), so a QDQ model is already in qnn-quantize's form;
// - QLinearConv / QLinearMatMul -> qnn.conv2d / qnn.matmul with an int32
//   bias and a qnn.requantize in float (as ONNX Runtime rescales);
// - ConvInteger / MatMulInteger -> the same contractions with scale 1, whose
//   int32 accumulators are the ONNX result.
//
// Integer tensors between such ops carry their quantized types; quant.scast
// gives their stored integers to any other reader.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "Convolution.h"
#include "GraphImporter.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/IR/QuantizedTypes.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using onnx::TensorProto;

namespace qnn {
namespace onnx_import {

/// `v` as printf's %g writes it (a scale of 1e-12 is not "0.00").
static std::string formatReal(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", v);
  return buffer;
}

/// Storage ranges of the integer types quantized tensors may have.
static bool getStorageRange(DataType dtype, int64_t &lo, int64_t &hi,
                            unsigned &width) {
  switch (dtype) {
  case TensorProto::INT8:
    lo = -128, hi = 127, width = 8;
    return true;
  case TensorProto::UINT8:
    lo = 0, hi = 255, width = 8;
    return true;
  case TensorProto::INT16:
    lo = -32768, hi = 32767, width = 16;
    return true;
  case TensorProto::UINT16:
    lo = 0, hi = 65535, width = 16;
    return true;
  case TensorProto::INT32:
    lo = INT32_MIN, hi = INT32_MAX, width = 32;
    return true;
  default:
    return false;
  }
}

/// The quantized element type of a tensor of `dtype` and `shape` with the
/// scales in input `scaleInput` and zero points in `zeroInput` (absent: 0),
/// per axis along `axis` when there is more than one scale. `scaleOverride`
/// replaces the scales (1.0 for the Integer ops).
static FailureOr<quant::QuantizedType>
getQuantizedType(NodeContext &node, DataType dtype, ArrayRef<int64_t> shape,
                 int scaleInput, int zeroInput, int64_t axis,
                 std::optional<double> scaleOverride = std::nullopt) {
  int64_t lo, hi;
  unsigned width;
  if (!getStorageRange(dtype, lo, hi, width)) {
    (void)node.error("quantized tensors of type " + getTypeName(dtype) +
                     " are not supported (int8, uint8, int16, uint16, int32 "
                     "are)");
    return failure();
  }
  SmallVector<double> scales;
  if (scaleOverride) {
    scales.push_back(*scaleOverride);
  } else {
    const HostTensor *scale = node.constant(scaleInput);
    if (!scale) {
      (void)node.error("the scale (input " + Twine(scaleInput) +
                       ") must be known at import time");
      return failure();
    }
    for (double s : scale->toReals()) {
      if (!(s > 0) || !std::isfinite(s)) {
        (void)node.error("scale " + formatReal(s) +
                         " is not a positive finite number");
        return failure();
      }
      scales.push_back(s);
    }
  }
  SmallVector<int64_t> zeros;
  if (zeroInput >= 0 && node.hasInput(zeroInput)) {
    const HostTensor *zero = node.constant(zeroInput);
    if (!zero) {
      (void)node.error("the zero point (input " + Twine(zeroInput) +
                       ") must be known at import time");
      return failure();
    }
    for (int64_t z : zero->toInts())
      zeros.push_back(z);
  }
  if (zeros.empty())
    zeros.assign(scales.size(), 0);
  if (zeros.size() == 1 && scales.size() > 1)
    zeros.assign(scales.size(), zeros.front());
  if (scales.size() == 1 && zeros.size() > 1)
    scales.assign(zeros.size(), scales.front());
  if (zeros.size() != scales.size()) {
    (void)node.error("has " + Twine(scales.size()) + " scales but " +
                     Twine(zeros.size()) + " zero points");
    return failure();
  }
  MLIRContext *context = node.builder.getContext();
  Type storage = IntegerType::get(context, width);
  Type expressed = Float32Type::get(context);
  unsigned flags = isUnsignedType(dtype) ? 0 : quant::QuantizationFlags::Signed;
  for (int64_t z : zeros)
    if (z < lo || z > hi) {
      (void)node.error("zero point " + Twine(z) + " is outside the range of " +
                       getTypeName(dtype));
      return failure();
    }
  if (scales.size() == 1)
    return cast<quant::QuantizedType>(quant::UniformQuantizedType::get(
        flags, storage, expressed, scales[0], zeros[0], lo, hi));
  int64_t rank = shape.size();
  if (axis < -rank || axis >= rank) {
    (void)node.error("axis " + Twine(axis) + " is out of range for rank " +
                     Twine(rank));
    return failure();
  }
  if (axis < 0)
    axis += rank;
  if (shape[axis] != static_cast<int64_t>(scales.size())) {
    (void)node.error(Twine(scales.size()) + " scales for axis " + Twine(axis) +
                     " of size " + Twine(shape[axis]));
    return failure();
  }
  return cast<quant::QuantizedType>(quant::UniformQuantizedPerAxisType::get(
      flags, storage, expressed, scales, zeros, axis, lo, hi));
}

/// Input `i` with quantized type `type`: as it is when it already has it,
/// otherwise its stored integers reinterpreted (quant.scast).
static Value getQuantizedInput(NodeContext &node, int i,
                               quant::QuantizedType type) {
  TensorValue &v = node.input(i);
  auto tensorType = RankedTensorType::get(v.shape, type);
  if (v.constant) {
    if (v.constant->isFloat()) {
      (void)node.error("input " + Twine(i) + " must be an integer tensor");
      return nullptr;
    }
    return qnn::ConstantOp::create(
        node.builder, NameLoc::get(node.builder.getStringAttr(v.name)),
        tensorType, v.constant->toAttr(node.builder.getContext()),
        /*error=*/nullptr);
  }
  Value raw = node.rawValue(i);
  if (raw.getType() == tensorType)
    return raw;
  Value integers = node.value(i);
  if (getElementTypeOf(integers) != type.getStorageType()) {
    (void)node.error("input " + Twine(i) + " has type " + getTypeName(v.dtype) +
                     ", which does not match its "
                     "zero point's");
    return nullptr;
  }
  return quant::StorageCastOp::create(node.builder, node.loc("quantized"),
                                      tensorType, integers);
}

/// The data type of quantized outputs: the zero point's, uint8 without one.
static DataType getZeroPointType(NodeContext &node, int zeroInput) {
  if (zeroInput >= 0 && node.hasInput(zeroInput))
    return node.dtype(zeroInput);
  return TensorProto::UINT8;
}

static LogicalResult importQuantizeLinear(NodeContext &node) {
  DataType dtype = getZeroPointType(node, 2);
  if (!isFloatType(node.dtype(0)))
    return node.error("input must be floating point");
  FailureOr<quant::QuantizedType> type = getQuantizedType(
      node, dtype, node.shape(0), 1, 2, node.getInt("axis", 1));
  if (failed(type))
    return failure();
  if (node.getInt("saturate", 1) == 0)
    return node.error("saturate = 0 is not supported");
  if (const HostTensor *x = node.constant(0)) {
    // Quantized at import time, as ONNX rounds: half to even, saturating.
    SmallVector<double> scales = getScales(*type);
    SmallVector<int64_t> zeros = getZeroPoints(*type);
    std::optional<int32_t> axis = getQuantizedAxis(*type);
    int64_t inner = 1;
    if (axis)
      for (size_t d = *axis + 1; d < x->shape.size(); ++d)
        inner *= x->shape[d];
    HostTensor q(dtype, x->shape);
    for (int64_t i = 0; i < x->size(); ++i) {
      size_t c = axis ? (i / inner) % x->shape[*axis] : 0;
      double v = std::nearbyint(x->getReal(i) / scales[c]) + zeros[c];
      v = std::clamp<double>(v, type->getStorageTypeMin(),
                             type->getStorageTypeMax());
      q.setInt(i, static_cast<int64_t>(std::isnan(v) ? zeros[c] : v));
    }
    node.setConstantOutput(0, std::move(q));
    return success();
  }
  auto resultType = RankedTensorType::get(node.shape(0), *type);
  Value y =
      qnn::QuantizeOp::create(node.builder, node.loc(), resultType,
                              node.value(0), qnn::RoundingMode::HalfToEven);
  node.setOutput(0, y, dtype);
  return success();
}

static LogicalResult importDequantizeLinear(NodeContext &node) {
  FailureOr<quant::QuantizedType> type = getQuantizedType(
      node, node.dtype(0), node.shape(0), 1, 2, node.getInt("axis", 1));
  if (failed(type))
    return failure();
  TensorValue v;
  v.dtype = TensorProto::FLOAT;
  v.shape.assign(node.shape(0).begin(), node.shape(0).end());
  QuantSource source;
  source.type = *type;
  if (const HostTensor *x = node.constant(0)) {
    // Materialized on first use, as a qnn.constant and a quant.dcast.
    source.storage = *x;
  } else {
    source.quantized = getQuantizedInput(node, 0, *type);
    if (!source.quantized)
      return failure();
    v.value = quant::DequantizeCastOp::create(
        node.builder, node.loc(),
        RankedTensorType::get(v.shape, node.builder.getF32Type()),
        source.quantized);
  }
  v.dequantized = source;
  node.setOutput(0, std::move(v));
  return success();
}

/// The int32 bias of a QLinearConv (input 8), as an accumulator constant.
static Value getAccumulatorBias(NodeContext &node, int input,
                                quant::QuantizedType accType) {
  if (!node.hasInput(input))
    return nullptr;
  const HostTensor *bias = node.constant(input);
  if (!bias || bias->dtype != TensorProto::INT32) {
    (void)node.error("the bias must be an int32 tensor known at import time");
    return nullptr;
  }
  quant::QuantizedType biasType = accType;
  if (getQuantizedAxis(accType))
    biasType = withQuantizedAxis(accType, 0);
  return qnn::ConstantOp::create(
      node.builder,
      NameLoc::get(node.builder.getStringAttr(node.node.input(input))),
      RankedTensorType::get(bias->shape, biasType),
      bias->toAttr(node.builder.getContext()), /*error=*/nullptr);
}

/// A quantized convolution: QLinearConv (with an output scale) or
/// ConvInteger (scales 1, the int32 accumulator is the result).
static LogicalResult importQuantizedConv(NodeContext &node, bool linear) {
  int w = linear ? 3 : 1;
  FailureOr<ConvParams> params =
      getConvParams(node, node.shape(0), node.shape(w));
  if (failed(params))
    return failure();
  ConvParams &p = *params;
  if (p.is1D)
    return node.error("1-D quantized convolutions are not supported");
  if (!node.constant(w))
    return node.error("the filter must be known at import time");
  std::optional<double> one;
  if (!linear)
    one = 1.0;
  FailureOr<quant::QuantizedType> xType =
      getQuantizedType(node, node.dtype(0), node.shape(0), linear ? 1 : -1,
                       linear ? 2 : 2, 1, one);
  FailureOr<quant::QuantizedType> wType =
      getQuantizedType(node, node.dtype(w), node.shape(w), linear ? 4 : -1,
                       linear ? 5 : 3, 0, one);
  if (failed(xType) || failed(wType))
    return failure();
  auto xUniform = dyn_cast<quant::UniformQuantizedType>(*xType);
  if (!xUniform)
    return node.error("the input must be quantized per tensor");
  Value x = getQuantizedInput(node, 0, *xType);
  Value filter = getQuantizedInput(node, w, *wType);
  if (!x || !filter)
    return failure();
  quant::QuantizedType accType = getAccumulatorType(xUniform, *wType, 1);
  Value bias;
  if (linear && node.hasInput(8)) {
    bias = getAccumulatorBias(node, 8, accType);
    if (!bias)
      return failure();
  }
  OpBuilder &b = node.builder;
  auto accTensor = RankedTensorType::get(p.outputShape(), accType);
  Value acc = qnn::Conv2DOp::create(
      b, linear ? node.loc("accumulator") : node.loc(), accTensor, x, filter,
      bias, qnn::DataFormat::NCHW, ArrayRef<int64_t>{p.strideH, p.strideW},
      ArrayRef<int64_t>{p.dilationH, p.dilationW},
      ArrayRef<int64_t>{p.padTop, p.padBottom, p.padLeft, p.padRight},
      static_cast<uint64_t>(p.groups));
  if (!linear) {
    Value integers = quant::StorageCastOp::create(
        b, node.loc("integers"), accTensor.clone(b.getI32Type()), acc);
    node.setOutput(0, integers, TensorProto::INT32);
    return success();
  }
  DataType yDtype = getZeroPointType(node, 7);
  FailureOr<quant::QuantizedType> yType =
      getQuantizedType(node, yDtype, p.outputShape(), 6, 7, 1);
  if (failed(yType))
    return failure();
  Value y = qnn::RequantizeOp::create(
      b, node.loc(), RankedTensorType::get(p.outputShape(), *yType), acc,
      qnn::RescaleMode::Float, qnn::RoundingMode::HalfToEven, IntegerAttr(),
      IntegerAttr());
  node.setOutput(0, y, yDtype);
  return success();
}

/// QLinearMatMul and MatMulInteger on matrices, or on equal batches of
/// matrices.
static LogicalResult importQuantizedMatMul(NodeContext &node, bool linear) {
  int bIndex = linear ? 3 : 1;
  ArrayRef<int64_t> a = node.shape(0), w = node.shape(bIndex);
  bool batched = a.size() == 3 && w.size() == 3 && a[0] == w[0];
  if (!(a.size() == 2 && w.size() == 2) && !batched)
    return node.error("only matrices and equal batches of matrices are "
                      "supported");
  if (a.back() != w[w.size() - 2])
    return node.error("operands do not share an inner dimension");
  std::optional<double> one;
  if (!linear)
    one = 1.0;
  int64_t outAxis = w.size() - 1;
  FailureOr<quant::QuantizedType> aType =
      getQuantizedType(node, node.dtype(0), a, linear ? 1 : -1, 2, 0, one);
  FailureOr<quant::QuantizedType> bType =
      getQuantizedType(node, node.dtype(bIndex), w, linear ? 4 : -1,
                       linear ? 5 : 3, outAxis, one);
  if (failed(aType) || failed(bType))
    return failure();
  auto aUniform = dyn_cast<quant::UniformQuantizedType>(*aType);
  if (!aUniform)
    return node.error("the first operand must be quantized per tensor");
  if (batched && getQuantizedAxis(*bType))
    return node.error("per-column scales of batched operands are not "
                      "supported");
  Value lhs = getQuantizedInput(node, 0, *aType);
  Value rhs = getQuantizedInput(node, bIndex, *bType);
  if (!lhs || !rhs)
    return failure();
  SmallVector<int64_t> shape(a.drop_back());
  shape.push_back(w.back());
  quant::QuantizedType accType = getAccumulatorType(aUniform, *bType, outAxis);
  auto accTensor = RankedTensorType::get(shape, accType);
  OpBuilder &b = node.builder;
  Location accLoc = linear ? node.loc("accumulator") : node.loc();
  Value acc = batched ? Value(qnn::BatchMatmulOp::create(b, accLoc, accTensor,
                                                         lhs, rhs, Value()))
                      : Value(qnn::MatmulOp::create(b, accLoc, accTensor, lhs,
                                                    rhs, Value()));
  if (!linear) {
    Value integers = quant::StorageCastOp::create(
        b, node.loc("integers"), accTensor.clone(b.getI32Type()), acc);
    node.setOutput(0, integers, TensorProto::INT32);
    return success();
  }
  DataType yDtype = getZeroPointType(node, 7);
  FailureOr<quant::QuantizedType> yType =
      getQuantizedType(node, yDtype, shape, 6, 7, 0);
  if (failed(yType))
    return failure();
  Value y = qnn::RequantizeOp::create(
      b, node.loc(), RankedTensorType::get(shape, *yType), acc,
      qnn::RescaleMode::Float, qnn::RoundingMode::HalfToEven, IntegerAttr(),
      IntegerAttr());
  node.setOutput(0, y, yDtype);
  return success();
}

void registerQuantizationOps(OpRegistry &registry) {
  registry.add("QuantizeLinear", importQuantizeLinear);
  registry.add("DequantizeLinear", importDequantizeLinear);
  registry.add("QLinearConv", [](NodeContext &node) {
    return importQuantizedConv(node, true);
  });
  registry.add("ConvInteger", [](NodeContext &node) {
    return importQuantizedConv(node, false);
  });
  registry.add("QLinearMatMul", [](NodeContext &node) {
    return importQuantizedMatMul(node, true);
  });
  registry.add("MatMulInteger", [](NodeContext &node) {
    return importQuantizedMatMul(node, false);
  });
}

} // namespace onnx_import
} // namespace qnn
