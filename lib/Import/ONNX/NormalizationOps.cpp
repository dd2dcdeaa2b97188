//===- NormalizationOps.cpp - Normalizations, softmax and reductions ------===//
//
// BatchNormalization that could not be folded into a convolution becomes a
// per-channel scale and shift computed at import time; LayerNormalization,
// Softmax and the Reduce ops are linalg.reduce plus elementwise generics.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "GraphImporter.h"
#include "ShapeRules.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using onnx::TensorProto;

namespace qnn {
namespace onnx_import {

using Combine = llvm::function_ref<Value(OpBuilder &, Location, Value, Value)>;

static Value addF(OpBuilder &b, Location l, Value x, Value y) {
  return arith::AddFOp::create(b, l, x, y);
}
static Value maxF(OpBuilder &b, Location l, Value x, Value y) {
  return arith::MaximumFOp::create(b, l, x, y);
}

static LogicalResult importBatchNorm(NodeContext &node) {
  if (!isFloatType(node.dtype(0)) || node.rank(0) < 2)
    return node.error("input must be a floating-point tensor of rank 2 or "
                      "more");
  int64_t C = node.shape(0)[1];
  const HostTensor *params[4];
  for (int i = 1; i <= 4; ++i) {
    params[i - 1] = node.constant(i);
    if (!params[i - 1])
      return node.error("scale, bias, mean and variance must be known at "
                        "import time");
    if (params[i - 1]->size() != C)
      return node.error("parameter " + Twine(i) + " has " +
                        Twine(params[i - 1]->size()) +
                        " elements; the input "
                        "has " +
                        Twine(C) + " channels");
  }
  if (node.getInt("training_mode", 0))
    return node.error("training_mode is not supported");
  double epsilon = node.getFloat("epsilon", 1e-5);
  SmallVector<int64_t> paramShape = {C};
  paramShape.append(node.rank(0) - 2, 1);
  HostTensor scale(TensorProto::FLOAT, paramShape),
      shift(TensorProto::FLOAT, paramShape);
  for (int64_t c = 0; c < C; ++c) {
    double s =
        params[0]->getReal(c) / std::sqrt(params[3]->getReal(c) + epsilon);
    scale.set(c, s);
    shift.set(c, params[1]->getReal(c) - params[2]->getReal(c) * s);
  }
  std::string name = node.node.output(0);
  Value s = node.graph.constantValue(scale, name + "/scale");
  Value t = node.graph.constantValue(shift, name + "/shift");
  Value y = buildElementwise(
      node.builder, node.loc(), {node.value(0), s, t}, node.shape(0),
      getElementType(node.builder.getContext(), node.dtype(0)),
      [](OpBuilder &b, Location l, ValueRange a) {
        return arith::AddFOp::create(
            b, l, arith::MulFOp::create(b, l, a[0], a[1]), a[2]);
      });
  node.setOutput(0, y, node.dtype(0));
  return success();
}

/// mean over `axes` with the reduced dimensions kept.
static Value buildMean(OpBuilder &b, Location loc, Value x,
                       ArrayRef<int64_t> axes) {
  int64_t n = 1;
  for (int64_t a : axes)
    n *= getShape(x)[a];
  Value sum = buildReduce(b, loc, x, axes, true, 0.0, addF);
  Type element = getElementTypeOf(x);
  return buildElementwise(
      b, loc, {sum}, getShape(sum), element,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        return arith::DivFOp::create(
            nb, l, a[0], buildScalar(nb, l, element, static_cast<double>(n)));
      });
}

static LogicalResult importLayerNorm(NodeContext &node) {
  if (!isFloatType(node.dtype(0)))
    return node.error("input must be floating point");
  int64_t rank = node.rank(0);
  std::optional<int64_t> axis =
      node.normalizeAxis(node.getInt("axis", -1), rank);
  if (!axis)
    return failure();
  double epsilon = node.getFloat("epsilon", 1e-5);
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < rank; ++d)
    axes.push_back(d);
  OpBuilder &b = node.builder;
  ArrayRef<int64_t> shape = node.shape(0);
  Type element = getElementTypeOf(node.value(0));
  Value x = node.value(0);
  Value mean = buildMean(b, node.loc("mean"), x, axes);
  Value centered =
      buildElementwise(b, node.loc("centered"), {x, mean}, shape, element,
                       [](OpBuilder &nb, Location l, ValueRange a) {
                         return arith::SubFOp::create(nb, l, a[0], a[1]);
                       });
  Value squares =
      buildElementwise(b, node.loc("squares"), {centered}, shape, element,
                       [](OpBuilder &nb, Location l, ValueRange a) {
                         return arith::MulFOp::create(nb, l, a[0], a[0]);
                       });
  Value variance = buildMean(b, node.loc("variance"), squares, axes);
  SmallVector<Value> operands = {centered, variance, node.value(1)};
  for (int i : {1, 2})
    if (node.hasInput(i) && !broadcastShapes(shape, node.shape(i)))
      return node.error("scale or bias does not broadcast to the input");
  if (node.hasInput(2))
    operands.push_back(node.value(2));
  Value y = buildElementwise(
      b, node.loc(), operands, shape, element,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value denom = math::SqrtOp::create(
            nb, l,
            arith::AddFOp::create(nb, l, a[1],
                                  buildScalar(nb, l, element, epsilon)));
        Value v = arith::MulFOp::create(
            nb, l, arith::DivFOp::create(nb, l, a[0], denom), a[2]);
        if (a.size() > 3)
          v = arith::AddFOp::create(nb, l, v, a[3]);
        return v;
      });
  node.setOutput(0, y, node.dtype(0));
  return success();
}

static LogicalResult importSoftmax(NodeContext &node, bool isLog) {
  if (!isFloatType(node.dtype(0)))
    return node.error("input must be floating point");
  int64_t rank = node.rank(0);
  int64_t defaultAxis = node.opset < 13 ? 1 : -1;
  std::optional<int64_t> axis =
      node.normalizeAxis(node.getInt("axis", defaultAxis), rank);
  if (!axis)
    return failure();
  SmallVector<int64_t> axes = {*axis};
  if (node.opset < 13)
    for (int64_t d = *axis + 1; d < rank; ++d)
      axes.push_back(d);
  OpBuilder &b = node.builder;
  ArrayRef<int64_t> shape = node.shape(0);
  Value x = node.value(0);
  Type element = getElementTypeOf(x);
  Value max = buildReduce(b, node.loc("max"), x, axes, true, -INFINITY, maxF);
  Value shifted =
      buildElementwise(b, node.loc("shifted"), {x, max}, shape, element,
                       [](OpBuilder &nb, Location l, ValueRange a) {
                         return arith::SubFOp::create(nb, l, a[0], a[1]);
                       });
  Value exp = buildElementwise(b, node.loc("exp"), {shifted}, shape, element,
                               [](OpBuilder &nb, Location l, ValueRange a) {
                                 return math::ExpOp::create(nb, l, a[0]);
                               });
  Value sum = buildReduce(b, node.loc("sum"), exp, axes, true, 0.0, addF);
  Value y;
  if (isLog)
    y = buildElementwise(b, node.loc(), {shifted, sum}, shape, element,
                         [](OpBuilder &nb, Location l, ValueRange a) {
                           return arith::SubFOp::create(
                               nb, l, a[0], math::LogOp::create(nb, l, a[1]));
                         });
  else
    y = buildElementwise(b, node.loc(), {exp, sum}, shape, element,
                         [](OpBuilder &nb, Location l, ValueRange a) {
                           return arith::DivFOp::create(nb, l, a[0], a[1]);
                         });
  node.setOutput(0, y, node.dtype(0));
  return success();
}

static LogicalResult importReduce(NodeContext &node, StringRef op) {
  bool isFloat = isFloatType(node.dtype(0));
  if (!isFloat && op != "ReduceMax" && op != "ReduceMin" && op != "ReduceSum")
    return node.error("input must be floating point");
  int64_t rank = node.rank(0);
  bool present;
  int64_t inputSince = op == "ReduceSum" ? 13 : 18;
  FailureOr<SmallVector<int64_t>> given = getAxes(node, inputSince, 1, present);
  if (failed(given))
    return failure();
  bool keepDims = node.getInt("keepdims", 1) != 0;
  SmallVector<int64_t> axes;
  if (!present || given->empty()) {
    if (node.getInt("noop_with_empty_axes", 0)) {
      TensorValue v = node.input(0);
      node.setOutput(0, v);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  } else {
    for (int64_t a : *given) {
      std::optional<int64_t> n = node.normalizeAxis(a, rank);
      if (!n)
        return failure();
      if (!llvm::is_contained(axes, *n))
        axes.push_back(*n);
    }
    llvm::sort(axes);
  }
  OpBuilder &b = node.builder;
  Value x = node.value(0);
  Type element = getElementTypeOf(x);
  Value y;
  bool isUnsigned = isUnsignedType(node.dtype(0));
  if (op == "ReduceMean") {
    y = buildMean(b, node.loc(), x, axes);
    if (!keepDims) {
      SmallVector<int64_t> shape;
      for (int64_t d = 0; d < rank; ++d)
        if (!llvm::is_contained(axes, d))
          shape.push_back(node.shape(0)[d]);
      y = buildReshape(b, node.loc(), y, shape);
    }
  } else if (op == "ReduceSum") {
    y = buildReduce(
        b, node.loc(), x, axes, keepDims, 0.0,
        [&](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
          if (isFloat)
            return arith::AddFOp::create(nb, l, v, acc);
          return arith::AddIOp::create(nb, l, v, acc);
        });
  } else if (op == "ReduceSumSquare" || op == "ReduceL2") {
    y = buildReduce(b, node.loc(), x, axes, keepDims, 0.0,
                    [](OpBuilder &nb, Location l, Value v, Value acc) {
                      return arith::AddFOp::create(
                          nb, l, arith::MulFOp::create(nb, l, v, v), acc);
                    });
    if (op == "ReduceL2")
      y = buildElementwise(b, node.loc(), {y}, getShape(y), element,
                           [](OpBuilder &nb, Location l, ValueRange a) {
                             return math::SqrtOp::create(nb, l, a[0]);
                           });
  } else if (op == "ReduceProd") {
    y = buildReduce(b, node.loc(), x, axes, keepDims, 1.0,
                    [](OpBuilder &nb, Location l, Value v, Value acc) {
                      return arith::MulFOp::create(nb, l, v, acc);
                    });
  } else {
    bool isMax = op == "ReduceMax";
    double init;
    if (isFloat) {
      init = isMax ? -INFINITY : INFINITY;
    } else {
      unsigned width = element.getIntOrFloatBitWidth();
      double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
      double hi = isUnsigned ? std::ldexp(1.0, width) - 1
                             : std::ldexp(1.0, width - 1) - 1;
      init = isMax ? lo : hi;
    }
    y = buildReduce(
        b, node.loc(), x, axes, keepDims, init,
        [&](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
          if (isFloat)
            return isMax ? Value(arith::MaximumFOp::create(nb, l, v, acc))
                         : Value(arith::MinimumFOp::create(nb, l, v, acc));
          if (isUnsigned)
            return isMax ? Value(arith::MaxUIOp::create(nb, l, v, acc))
                         : Value(arith::MinUIOp::create(nb, l, v, acc));
          return isMax ? Value(arith::MaxSIOp::create(nb, l, v, acc))
                       : Value(arith::MinSIOp::create(nb, l, v, acc));
        });
  }
  if (Operation *def = y.getDefiningOp())
    def->setLoc(node.loc());
  node.setOutput(0, y, node.dtype(0));
  return success();
}

void registerNormalizationOps(OpRegistry &registry) {
  registry.add("BatchNormalization", importBatchNorm);
  registry.add("LayerNormalization", importLayerNorm);
  registry.add("Softmax",
               [](NodeContext &node) { return importSoftmax(node, false); });
  registry.add("LogSoftmax",
               [](NodeContext &node) { return importSoftmax(node, true); });
  for (StringRef op : {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin",
                       "ReduceProd", "ReduceSumSquare", "ReduceL2"})
    registry.add(op,
                 [op](NodeContext &node) { return importReduce(node, op); });
}

} // namespace onnx_import
} // namespace qnn
