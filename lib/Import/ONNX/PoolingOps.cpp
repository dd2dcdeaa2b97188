//===- PoolingOps.cpp - MaxPool, AveragePool and the global pools ---------===//
//
// Windows become linalg.pooling_nchw_max / pooling_nchw_sum (the ops
// qnn-fuse turns into qnn.max_pool2d / qnn.avg_pool2d) on an explicitly
// padded input; averages divide by the window size, or by the number of
// input elements in each window when padding is not counted.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "Convolution.h"
#include "GraphImporter.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using onnx::TensorProto;

namespace qnn {
namespace onnx_import {

static LogicalResult importPool(NodeContext &node, bool isMax) {
  if (!isFloatType(node.dtype(0)))
    return node.error("input must be floating point, not " +
                      getTypeName(node.dtype(0)));
  FailureOr<ConvParams> params = getPoolParams(node, node.shape(0));
  if (failed(params))
    return failure();
  ConvParams &p = *params;
  if (!isMax) {
    SmallVector<int64_t> dilations = node.getInts("dilations");
    if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
      return node.error("dilated average pooling is not supported");
  }
  OpBuilder &b = node.builder;
  Type element = getElementType(b.getContext(), node.dtype(0));
  Value x = node.value(0);
  if (p.is1D)
    x = buildReshape(b, node.loc("2d"), x, p.inputShape());
  double padValue = isMax ? -INFINITY : 0.0;
  Value padded = buildPad(b, node.loc("pad"), x, {0, 0, p.padTop, p.padLeft},
                          {0, 0, p.padBottom, p.padRight}, padValue);
  Location loc = node.loc("pool");
  Value window =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{p.kH, p.kW}, element);
  Value init = buildInit(b, loc, p.outputShape(), element, padValue);
  auto strides = b.getI64TensorAttr({p.strideH, p.strideW});
  auto dilations = b.getI64TensorAttr({p.dilationH, p.dilationW});
  Value y;
  if (isMax) {
    y = linalg::PoolingNchwMaxOp::create(b, loc, TypeRange{init.getType()},
                                         ValueRange{padded, window},
                                         ValueRange{init}, strides, dilations)
            .getResult(0);
  } else {
    y = linalg::PoolingNchwSumOp::create(b, loc, TypeRange{init.getType()},
                                         ValueRange{padded, window},
                                         ValueRange{init}, strides, dilations)
            .getResult(0);
    bool countPad = node.getInt("count_include_pad", 0) != 0;
    // Elements of each window inside the input (or its counted padding).
    auto count = [&](int64_t o, int64_t stride, int64_t k, int64_t begin,
                     int64_t in, int64_t end) {
      int64_t lo = countPad ? -begin : 0, hi = countPad ? in + end : in;
      int64_t start = o * stride - begin;
      return std::max<int64_t>(0,
                               std::min(start + k, hi) - std::max(start, lo));
    };
    bool uniform = true;
    if (failed(node.checkHostSize({p.outH, p.outW}, "the output window")))
      return failure();
    HostTensor counts(TensorProto::FLOAT, {p.outH, p.outW});
    for (int64_t i = 0; i < p.outH; ++i)
      for (int64_t j = 0; j < p.outW; ++j) {
        int64_t n = count(i, p.strideH, p.kH, p.padTop, p.inH,
                          p.padBottom - p.extraBottom) *
                    count(j, p.strideW, p.kW, p.padLeft, p.inW,
                          p.padRight - p.extraRight);
        counts.set(i * p.outW + j, static_cast<double>(n));
        uniform &= n == p.kH * p.kW;
      }
    Location divLoc = node.loc("divide");
    if (uniform) {
      double n = static_cast<double>(p.kH * p.kW);
      y = buildElementwise(b, divLoc, {y}, p.outputShape(), element,
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             return arith::DivFOp::create(
                                 nb, l, a[0], buildScalar(nb, l, element, n));
                           });
    } else {
      Value c = node.graph.constantValue(counts, node.node.output(0) +
                                                     "/window_counts");
      y = buildElementwise(b, divLoc, {y, c}, p.outputShape(), element,
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             return arith::DivFOp::create(nb, l, a[0], a[1]);
                           });
    }
  }
  if (p.is1D)
    y = buildReshape(b, node.loc("1d"), y, {p.batch, p.channels, p.outW});
  y.getDefiningOp()->setLoc(node.loc());
  node.setOutput(0, y, node.dtype(0));
  return success();
}

static LogicalResult importGlobalPool(NodeContext &node, bool isMax) {
  if (!isFloatType(node.dtype(0)) || node.rank(0) < 3)
    return node.error("input must be a floating-point tensor of rank 3 or "
                      "more");
  OpBuilder &b = node.builder;
  SmallVector<int64_t> axes;
  int64_t n = 1;
  for (int64_t d = 2; d < node.rank(0); ++d) {
    axes.push_back(d);
    n *= node.shape(0)[d];
  }
  Value x = node.value(0);
  Value y;
  if (isMax) {
    y = buildReduce(b, node.loc("max"), x, axes, true, -INFINITY,
                    [](OpBuilder &nb, Location l, Value v, Value acc) {
                      return arith::MaximumFOp::create(nb, l, v, acc);
                    });
  } else {
    Value sum = buildReduce(b, node.loc("sum"), x, axes, true, 0.0,
                            [](OpBuilder &nb, Location l, Value v, Value acc) {
                              return arith::AddFOp::create(nb, l, v, acc);
                            });
    Type element = getElementTypeOf(sum);
    y = buildElementwise(
        b, node.loc(), {sum}, getShape(sum), element,
        [&](OpBuilder &nb, Location l, ValueRange a) {
          return arith::DivFOp::create(
              nb, l, a[0], buildScalar(nb, l, element, static_cast<double>(n)));
        });
  }
  y.getDefiningOp()->setLoc(node.loc());
  node.setOutput(0, y, node.dtype(0));
  return success();
}

void registerPoolingOps(OpRegistry &registry) {
  registry.add("MaxPool",
               [](NodeContext &node) { return importPool(node, true); });
  registry.add("AveragePool",
               [](NodeContext &node) { return importPool(node, false); });
  registry.add("GlobalAveragePool",
               [](NodeContext &node) { return importGlobalPool(node, false); });
  registry.add("GlobalMaxPool",
               [](NodeContext &node) { return importGlobalPool(node, true); });
}

} // namespace onnx_import
} // namespace qnn
