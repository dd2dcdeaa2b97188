//===- ElementwiseOps.cpp - Arithmetic, activations and casts -------------===//
//
// Every elementwise ONNX op is one linalg.generic with numpy broadcasting
// (Builders.h) and a scalar body in arith/math. Activations keep the forms
// qnn-fuse folds into a requantize clamp: max/min with a constant.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "GraphImporter.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using onnx::TensorProto;

namespace qnn {
namespace onnx_import {

namespace {
/// What a scalar body knows about its element types.
struct Scalars {
  OpBuilder &b;
  Location loc;
  Type type;
  bool isUnsigned;

  bool isFloat() const { return isa<FloatType>(type); }
  Value constant(double v) { return buildScalar(b, loc, type, v); }
  Value add(Value x, Value y) {
    return isFloat() ? Value(arith::AddFOp::create(b, loc, x, y))
                     : Value(arith::AddIOp::create(b, loc, x, y));
  }
  Value sub(Value x, Value y) {
    return isFloat() ? Value(arith::SubFOp::create(b, loc, x, y))
                     : Value(arith::SubIOp::create(b, loc, x, y));
  }
  Value mul(Value x, Value y) {
    return isFloat() ? Value(arith::MulFOp::create(b, loc, x, y))
                     : Value(arith::MulIOp::create(b, loc, x, y));
  }
  Value div(Value x, Value y) {
    if (isFloat())
      return arith::DivFOp::create(b, loc, x, y);
    return isUnsigned ? Value(arith::DivUIOp::create(b, loc, x, y))
                      : Value(arith::DivSIOp::create(b, loc, x, y));
  }
  Value max(Value x, Value y) {
    if (isFloat())
      return arith::MaximumFOp::create(b, loc, x, y);
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, x, y))
                      : Value(arith::MaxSIOp::create(b, loc, x, y));
  }
  Value min(Value x, Value y) {
    if (isFloat())
      return arith::MinimumFOp::create(b, loc, x, y);
    return isUnsigned ? Value(arith::MinUIOp::create(b, loc, x, y))
                      : Value(arith::MinSIOp::create(b, loc, x, y));
  }
  Value compare(StringRef op, Value x, Value y) {
    if (isFloat()) {
      arith::CmpFPredicate p = op == "Equal"     ? arith::CmpFPredicate::OEQ
                               : op == "Less"    ? arith::CmpFPredicate::OLT
                               : op == "Greater" ? arith::CmpFPredicate::OGT
                               : op == "LessOrEqual"
                                   ? arith::CmpFPredicate::OLE
                                   : arith::CmpFPredicate::OGE;
      return arith::CmpFOp::create(b, loc, p, x, y);
    }
    arith::CmpIPredicate p =
        op == "Equal"         ? arith::CmpIPredicate::eq
        : op == "Less"        ? (isUnsigned ? arith::CmpIPredicate::ult
                                            : arith::CmpIPredicate::slt)
        : op == "Greater"     ? (isUnsigned ? arith::CmpIPredicate::ugt
                                            : arith::CmpIPredicate::sgt)
        : op == "LessOrEqual" ? (isUnsigned ? arith::CmpIPredicate::ule
                                            : arith::CmpIPredicate::sle)
                              : (isUnsigned ? arith::CmpIPredicate::uge
                                            : arith::CmpIPredicate::sge);
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
};

using ScalarBody = std::function<Value(Scalars &, ValueRange)>;
} // namespace

/// Imports an elementwise node reading inputs `operands` (absent ones are
/// skipped) into one broadcasting generic.
static LogicalResult importElementwise(NodeContext &node,
                                       ArrayRef<int> operands,
                                       DataType resultType, ScalarBody body,
                                       bool sameTypes = true) {
  SmallVector<Value> values;
  SmallVector<int64_t> shape;
  DataType dtype = -1;
  for (int i : operands) {
    if (!node.hasInput(i))
      continue;
    std::optional<SmallVector<int64_t>> b =
        broadcastShapes(shape, node.shape(i));
    if (!b) {
      std::string shapes;
      for (int j : operands)
        if (node.hasInput(j)) {
          shapes += shapes.empty() ? "" : " and ";
          shapes += "[";
          for (auto [k, d] : llvm::enumerate(node.shape(j)))
            shapes += (k ? "x" : "") + std::to_string(d);
          shapes += "]";
        }
      return node.error("operand shapes " + shapes +
                        " cannot be broadcast together");
    }
    shape = *b;
    if (sameTypes && dtype >= 0 && node.dtype(i) != dtype)
      return node.error("operand types differ (" + getTypeName(dtype) +
                        " and " + getTypeName(node.dtype(i)) + ")");
    if (dtype < 0)
      dtype = node.dtype(i);
    values.push_back(node.value(i));
  }
  if (values.empty())
    return node.error("has no inputs");
  if (resultType < 0)
    resultType = dtype;
  MLIRContext *context = node.builder.getContext();
  Type operandElement = getElementType(context, dtype);
  Type resultElement = getElementType(context, resultType);
  bool isUnsigned = isUnsignedType(dtype);
  Value result =
      buildElementwise(node.builder, node.loc(), values, shape, resultElement,
                       [&](OpBuilder &b, Location loc, ValueRange args) {
                         Scalars s{b, loc, operandElement, isUnsigned};
                         return body(s, args);
                       });
  node.setOutput(0, result, resultType);
  return success();
}

static ImportFn unary(std::function<Value(Scalars &, Value)> fn) {
  return [fn](NodeContext &node) {
    return importElementwise(
        node, {0}, -1, [&](Scalars &s, ValueRange a) { return fn(s, a[0]); });
  };
}

static ImportFn floatUnary(std::function<Value(Scalars &, Value)> fn) {
  return [fn](NodeContext &node) {
    if (!isFloatType(node.dtype(0)))
      return node.error("input must be floating point, not " +
                        getTypeName(node.dtype(0)));
    return importElementwise(
        node, {0}, -1, [&](Scalars &s, ValueRange a) { return fn(s, a[0]); });
  };
}

/// max(0, min(1, alpha * x + beta)).
static Value hardSigmoid(Scalars &s, Value x, double alpha, double beta) {
  Value y = s.add(s.mul(x, s.constant(alpha)), s.constant(beta));
  return s.max(s.min(y, s.constant(1.0)), s.constant(0.0));
}

static Value sigmoid(Scalars &s, Value x) {
  Value e =
      math::ExpOp::create(s.b, s.loc, arith::NegFOp::create(s.b, s.loc, x));
  return s.div(s.constant(1.0), s.add(s.constant(1.0), e));
}

static LogicalResult importClip(NodeContext &node) {
  std::optional<double> lo, hi;
  int loInput = -1, hiInput = -1;
  if (node.opset < 11) {
    lo = node.getFloat("min", -INFINITY);
    hi = node.getFloat("max", INFINITY);
  } else {
    for (int i : {1, 2}) {
      if (!node.hasInput(i))
        continue;
      if (const HostTensor *c = node.constant(i)) {
        if (c->size() != 1)
          return node.error("min and max must be scalars");
        (i == 1 ? lo : hi) = c->getReal(0);
      } else {
        (i == 1 ? loInput : hiInput) = i;
      }
    }
  }
  SmallVector<int> operands = {0};
  if (loInput > 0)
    operands.push_back(loInput);
  if (hiInput > 0)
    operands.push_back(hiInput);
  return importElementwise(node, operands, -1, [&](Scalars &s, ValueRange a) {
    Value x = a[0];
    size_t next = 1;
    if (lo && !(s.isFloat() && std::isinf(*lo)))
      x = s.max(x, s.constant(*lo));
    else if (loInput > 0)
      x = s.max(x, a[next++]);
    if (hi && !(s.isFloat() && std::isinf(*hi)))
      x = s.min(x, s.constant(*hi));
    else if (hiInput > 0)
      x = s.min(x, a[next++]);
    return x;
  });
}

static LogicalResult importCast(NodeContext &node) {
  DataType to = node.getInt("to", 0);
  DataType from = node.dtype(0);
  MLIRContext *context = node.builder.getContext();
  if (!getElementType(context, to))
    return node.error("cannot cast to " + getTypeName(to));
  Type target = getElementType(context, to);
  if (to == from) {
    // A cast to the type the tensor has: the tensor itself, so that a
    // quantized tensor keeps its type (torch's QDQ export puts such a Cast
    // between every QuantizeLinear and DequantizeLinear).
    TensorValue v = node.input(0);
    node.setOutput(0, std::move(v));
    return success();
  }
  return importElementwise(
      node, {0}, to, [&](Scalars &s, ValueRange a) -> Value {
        Value x = a[0];
        Type source = x.getType();
        if (source == target && isUnsignedType(from) == isUnsignedType(to))
          return x;
        OpBuilder &b = s.b;
        if (to == TensorProto::BOOL) {
          if (isa<FloatType>(source))
            return arith::CmpFOp::create(b, s.loc, arith::CmpFPredicate::UNE, x,
                                         s.constant(0.0));
          return arith::CmpIOp::create(b, s.loc, arith::CmpIPredicate::ne, x,
                                       s.constant(0.0));
        }
        bool fromUnsigned = isUnsignedType(from);
        if (auto targetFloat = dyn_cast<FloatType>(target)) {
          if (auto sourceFloat = dyn_cast<FloatType>(source)) {
            if (sourceFloat.getWidth() < targetFloat.getWidth())
              return arith::ExtFOp::create(b, s.loc, target, x);
            if (sourceFloat.getWidth() > targetFloat.getWidth())
              return arith::TruncFOp::create(b, s.loc, target, x);
            return x;
          }
          if (fromUnsigned)
            return arith::UIToFPOp::create(b, s.loc, target, x);
          return arith::SIToFPOp::create(b, s.loc, target, x);
        }
        if (isa<FloatType>(source)) {
          if (isUnsignedType(to))
            return arith::FPToUIOp::create(b, s.loc, target, x);
          return arith::FPToSIOp::create(b, s.loc, target, x);
        }
        unsigned fromWidth = source.getIntOrFloatBitWidth();
        unsigned toWidth = target.getIntOrFloatBitWidth();
        if (fromWidth < toWidth)
          return fromUnsigned
                     ? Value(arith::ExtUIOp::create(b, s.loc, target, x))
                     : Value(arith::ExtSIOp::create(b, s.loc, target, x));
        if (fromWidth > toWidth)
          return arith::TruncIOp::create(b, s.loc, target, x);
        return x;
      });
}

static LogicalResult importVariadic(NodeContext &node, StringRef op) {
  SmallVector<int> operands;
  for (int i = 0; i < node.numInputs(); ++i)
    operands.push_back(i);
  return importElementwise(node, operands, -1, [&](Scalars &s, ValueRange a) {
    Value r = a[0];
    for (Value x : a.drop_front())
      r = op == "Max" ? s.max(r, x) : op == "Min" ? s.min(r, x) : s.add(r, x);
    if (op == "Mean")
      r = s.div(r, s.constant(static_cast<double>(a.size())));
    return r;
  });
}

void registerElementwiseOps(OpRegistry &registry) {
  auto binary = [&](StringRef op,
                    std::function<Value(Scalars &, Value, Value)> fn) {
    registry.add(op, [fn](NodeContext &node) {
      return importElementwise(node, {0, 1}, -1, [&](Scalars &s, ValueRange a) {
        return fn(s, a[0], a[1]);
      });
    });
  };
  binary("Add", [](Scalars &s, Value x, Value y) { return s.add(x, y); });
  binary("Sub", [](Scalars &s, Value x, Value y) { return s.sub(x, y); });
  binary("Mul", [](Scalars &s, Value x, Value y) { return s.mul(x, y); });
  binary("Div", [](Scalars &s, Value x, Value y) { return s.div(x, y); });
  registry.add("Pow", [](NodeContext &node) {
    if (!isFloatType(node.dtype(0)))
      return node.error("only floating-point bases are supported");
    const HostTensor *e = node.constant(1);
    if (e && e->size() == 1 && e->getReal(0) == 2.0)
      return importElementwise(node, {0}, -1, [](Scalars &s, ValueRange a) {
        return s.mul(a[0], a[0]);
      });
    return importElementwise(
        node, {0, 1}, -1,
        [](Scalars &s, ValueRange a) -> Value {
          Value y = a[1];
          if (y.getType() != s.type) {
            y = isa<FloatType>(y.getType())
                    ? Value(arith::ExtFOp::create(s.b, s.loc, s.type, y))
                    : Value(arith::SIToFPOp::create(s.b, s.loc, s.type, y));
          }
          return math::PowFOp::create(s.b, s.loc, a[0], y);
        },
        /*sameTypes=*/false);
  });
  for (StringRef op :
       {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"})
    registry.add(op, [op](NodeContext &node) {
      return importElementwise(
          node, {0, 1}, TensorProto::BOOL,
          [&](Scalars &s, ValueRange a) { return s.compare(op, a[0], a[1]); });
    });
  registry.add("And", [](NodeContext &node) {
    return importElementwise(node, {0, 1}, -1, [](Scalars &s, ValueRange a) {
      return arith::AndIOp::create(s.b, s.loc, a[0], a[1]);
    });
  });
  registry.add("Or", [](NodeContext &node) {
    return importElementwise(node, {0, 1}, -1, [](Scalars &s, ValueRange a) {
      return arith::OrIOp::create(s.b, s.loc, a[0], a[1]);
    });
  });
  registry.add("Xor", [](NodeContext &node) {
    return importElementwise(node, {0, 1}, -1, [](Scalars &s, ValueRange a) {
      return arith::XOrIOp::create(s.b, s.loc, a[0], a[1]);
    });
  });
  registry.add(
      "Not", unary([](Scalars &s, Value x) -> Value {
        return arith::XOrIOp::create(
            s.b, s.loc, x,
            arith::ConstantOp::create(s.b, s.loc, s.b.getBoolAttr(true)));
      }));
  registry.add("Where", [](NodeContext &node) {
    if (node.dtype(1) != node.dtype(2))
      return node.error("operand types differ");
    return importElementwise(
        node, {0, 1, 2}, node.dtype(1),
        [](Scalars &s, ValueRange a) {
          return arith::SelectOp::create(s.b, s.loc, a[0], a[1], a[2]);
        },
        /*sameTypes=*/false);
  });
  for (StringRef op : {"Max", "Min", "Sum", "Mean"})
    registry.add(op,
                 [op](NodeContext &node) { return importVariadic(node, op); });

  registry.add("Relu", unary([](Scalars &s, Value x) {
                 return s.max(x, s.constant(0.0));
               }));
  registry.add("LeakyRelu", [](NodeContext &node) {
    double alpha = node.getFloat("alpha", 0.01);
    return floatUnary([alpha](Scalars &s, Value x) -> Value {
      Value positive = s.compare("Greater", x, s.constant(0.0));
      return arith::SelectOp::create(s.b, s.loc, positive, x,
                                     s.mul(x, s.constant(alpha)));
    })(node);
  });
  registry.add("PRelu", [](NodeContext &node) {
    return importElementwise(node, {0, 1}, -1, [](Scalars &s, ValueRange a) {
      Value negative = s.compare("Less", a[0], s.constant(0.0));
      return arith::SelectOp::create(s.b, s.loc, negative, s.mul(a[0], a[1]),
                                     a[0]);
    });
  });
  registry.add("Elu", [](NodeContext &node) {
    double alpha = node.getFloat("alpha", 1.0);
    return floatUnary([alpha](Scalars &s, Value x) -> Value {
      Value negative = s.compare("Less", x, s.constant(0.0));
      Value e = math::ExpM1Op::create(s.b, s.loc, x);
      return arith::SelectOp::create(s.b, s.loc, negative,
                                     s.mul(e, s.constant(alpha)), x);
    })(node);
  });
  registry.add("Selu", [](NodeContext &node) {
    double alpha = node.getFloat("alpha", 1.67326319217681884765625);
    double gamma = node.getFloat("gamma", 1.05070102214813232421875);
    return floatUnary([alpha, gamma](Scalars &s, Value x) -> Value {
      Value positive = s.compare("Greater", x, s.constant(0.0));
      Value e =
          s.sub(s.mul(math::ExpOp::create(s.b, s.loc, x), s.constant(alpha)),
                s.constant(alpha));
      return s.mul(arith::SelectOp::create(s.b, s.loc, positive, x, e),
                   s.constant(gamma));
    })(node);
  });
  registry.add("Clip", importClip);
  registry.add("Sigmoid", floatUnary(sigmoid));
  registry.add("HardSigmoid", [](NodeContext &node) {
    double alpha = node.getFloat("alpha", 0.2),
           beta = node.getFloat("beta", 0.5);
    return floatUnary([alpha, beta](Scalars &s, Value x) {
      return hardSigmoid(s, x, alpha, beta);
    })(node);
  });
  registry.add("HardSwish", floatUnary([](Scalars &s, Value x) {
                 return s.mul(x, hardSigmoid(s, x, 1.0 / 6.0, 0.5));
               }));
  registry.add("Tanh", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::TanhOp::create(s.b, s.loc, x);
               }));
  registry.add("Erf", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::ErfOp::create(s.b, s.loc, x);
               }));
  registry.add("Gelu", [](NodeContext &node) {
    bool tanh = node.getString("approximate", "none") == "tanh";
    return floatUnary([tanh](Scalars &s, Value x) -> Value {
      Value inner;
      if (tanh) {
        // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
        Value cube = s.mul(s.mul(x, x), x);
        Value t = s.mul(s.add(x, s.mul(cube, s.constant(0.044715))),
                        s.constant(std::sqrt(2.0 / M_PI)));
        inner = math::TanhOp::create(s.b, s.loc, t);
      } else {
        inner =
            math::ErfOp::create(s.b, s.loc, s.mul(x, s.constant(M_SQRT1_2)));
      }
      return s.mul(s.mul(x, s.constant(0.5)), s.add(s.constant(1.0), inner));
    })(node);
  });
  registry.add("Softplus", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::Log1pOp::create(
                     s.b, s.loc, math::ExpOp::create(s.b, s.loc, x));
               }));
  registry.add("Exp", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::ExpOp::create(s.b, s.loc, x);
               }));
  registry.add("Log", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::LogOp::create(s.b, s.loc, x);
               }));
  registry.add("Sqrt", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::SqrtOp::create(s.b, s.loc, x);
               }));
  registry.add("Sin", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::SinOp::create(s.b, s.loc, x);
               }));
  registry.add("Cos", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::CosOp::create(s.b, s.loc, x);
               }));
  registry.add("Reciprocal", floatUnary([](Scalars &s, Value x) {
                 return s.div(s.constant(1.0), x);
               }));
  registry.add("Floor", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::FloorOp::create(s.b, s.loc, x);
               }));
  registry.add("Ceil", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::CeilOp::create(s.b, s.loc, x);
               }));
  registry.add("Round", floatUnary([](Scalars &s, Value x) -> Value {
                 return math::RoundEvenOp::create(s.b, s.loc, x);
               }));
  registry.add("Neg", unary([](Scalars &s, Value x) -> Value {
                 if (s.isFloat())
                   return arith::NegFOp::create(s.b, s.loc, x);
                 return s.sub(s.constant(0.0), x);
               }));
  registry.add("Abs", unary([](Scalars &s, Value x) -> Value {
                 if (s.isFloat())
                   return math::AbsFOp::create(s.b, s.loc, x);
                 return math::AbsIOp::create(s.b, s.loc, x);
               }));
  registry.add("Cast", importCast);
}

} // namespace onnx_import
} // namespace qnn
