//===- GraphImporter.cpp - The ONNX graph walk and its values -------------===//

#include "GraphImporter.h"

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace qnn {
namespace onnx_import {

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

NodeContext::NodeContext(GraphImporter &graph, const onnx::NodeProto &node,
                         int index)
    : node(node), graph(graph), builder(graph.builder), opset(graph.opset),
      index(index) {}

int NodeContext::numInputs() const { return node.input_size(); }

bool NodeContext::hasInput(int i) const {
  return i < node.input_size() && !node.input(i).empty();
}

TensorValue &NodeContext::input(int i) {
  // checkGraph made sure every named input is defined.
  return *graph.lookup(node.input(i));
}

Value NodeContext::value(int i) {
  Value v = graph.materialize(input(i));
  auto type = cast<RankedTensorType>(v.getType());
  if (auto q = dyn_cast<quant::QuantizedType>(type.getElementType()))
    v = quant::StorageCastOp::create(builder, v.getLoc(),
                                     type.clone(q.getStorageType()), v);
  return v;
}

Value NodeContext::rawValue(int i) { return graph.materialize(input(i)); }

const HostTensor *NodeContext::constant(int i) {
  if (!hasInput(i))
    return nullptr;
  TensorValue &v = input(i);
  return v.constant ? &*v.constant : nullptr;
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::getInt(StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : defaultValue;
}

double NodeContext::getFloat(StringRef name, double defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : defaultValue;
}

std::string NodeContext::getString(StringRef name,
                                   StringRef defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : defaultValue.str();
}

SmallVector<int64_t> NodeContext::getInts(StringRef name) const {
  SmallVector<int64_t> values;
  if (const onnx::AttributeProto *a = attr(name))
    values.append(a->ints().begin(), a->ints().end());
  return values;
}

SmallVector<double> NodeContext::getFloats(StringRef name) const {
  SmallVector<double> values;
  if (const onnx::AttributeProto *a = attr(name))
    values.append(a->floats().begin(), a->floats().end());
  return values;
}

int NodeContext::numOutputs() const { return node.output_size(); }

bool NodeContext::hasOutput(int i) const {
  return i < node.output_size() && !node.output(i).empty();
}

StringRef NodeContext::outputName(int i) const { return node.output(i); }

void NodeContext::setOutput(int i, Value value, DataType dtype) {
  TensorValue v;
  v.dtype = dtype;
  v.value = value;
  v.shape.assign(cast<RankedTensorType>(value.getType()).getShape().begin(),
                 cast<RankedTensorType>(value.getType()).getShape().end());
  setOutput(i, std::move(v));
}

void NodeContext::setOutput(int i, TensorValue value) {
  if (!hasOutput(i))
    return;
  value.name = node.output(i);
  graph.define(std::move(value));
}

void NodeContext::setConstantOutput(int i, HostTensor tensor) {
  TensorValue v;
  v.dtype = tensor.dtype;
  v.shape = tensor.shape;
  v.constant = std::move(tensor);
  setOutput(i, std::move(v));
}

Location NodeContext::loc() { return outputLoc(0); }

Location NodeContext::outputLoc(int i) {
  std::string name = hasOutput(i) ? node.output(i) : node.name();
  return NameLoc::get(builder.getStringAttr(name));
}

Location NodeContext::loc(StringRef suffix) {
  std::string name = hasOutput(0) ? node.output(0) : node.name();
  return NameLoc::get(builder.getStringAttr(name + "/" + suffix.str()));
}

std::string NodeContext::describe() const {
  std::string what = "node ";
  if (!node.name().empty())
    what += "'" + node.name() + "'";
  else
    what += "#" + std::to_string(index);
  what += " (" + node.op_type() + ")";
  return what;
}

LogicalResult NodeContext::error(const Twine &message) {
  return graph.error(describe() + ": " + message);
}

std::optional<int64_t> NodeContext::normalizeAxis(int64_t axis, int64_t rank,
                                                  StringRef what) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    (void)error(what + " " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
    return std::nullopt;
  }
  return axis < 0 ? axis + rank : axis;
}

LogicalResult NodeContext::checkHostSize(ArrayRef<int64_t> shape,
                                         StringRef what) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return error(what + " would have a negative dimension (" + Twine(d) +
                   ")");
    if (d != 0 && count > kMaxHostElements / d)
      return error(what + " would have more than " + Twine(kMaxHostElements) +
                   " elements, the importer's limit");
    count *= d;
  }
  return success();
}

FailureOr<SmallVector<int64_t>> NodeContext::getConstantInts(int i,
                                                             StringRef what) {
  const HostTensor *c = constant(i);
  if (!c) {
    (void)error(what + " (input " + Twine(i) + ", '" + node.input(i) +
                "') must be known at import time");
    return failure();
  }
  std::vector<int64_t> values = c->toInts();
  return SmallVector<int64_t>(values.begin(), values.end());
}

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext &context, StringRef modelName)
    : context(context), builder(&context), modelName(modelName.str()) {}

LogicalResult GraphImporter::error(const Twine &message) {
  emitError(NameLoc::get(builder.getStringAttr(modelName)), message);
  return failure();
}

TensorValue *GraphImporter::lookup(StringRef name) {
  auto it = values.find(name.str());
  return it == values.end() ? nullptr : &it->second;
}

void GraphImporter::define(TensorValue value) {
  std::string name = value.name;
  values[name] = std::move(value);
}

Value GraphImporter::materialize(TensorValue &v) {
  if (v.value)
    return v.value;
  Location loc = NameLoc::get(builder.getStringAttr(v.name));
  if (v.constant) {
    v.value =
        arith::ConstantOp::create(builder, loc, v.constant->toAttr(&context));
    return v.value;
  }
  QuantSource &source = *v.dequantized;
  materializeQuantized(v);
  auto realType =
      RankedTensorType::get(v.shape, source.type.getExpressedType());
  v.value =
      quant::DequantizeCastOp::create(builder, loc, realType, source.quantized);
  return v.value;
}

Value GraphImporter::materializeQuantized(TensorValue &v) {
  // A dequantized constant: the stored integers as a qnn.constant.
  QuantSource &source = *v.dequantized;
  if (!source.quantized) {
    auto type = RankedTensorType::get(source.storage->shape, source.type);
    source.quantized = qnn::ConstantOp::create(
        builder, NameLoc::get(builder.getStringAttr(v.name + "/quantized")),
        type, source.storage->toAttr(&context), /*error=*/nullptr);
  }
  return source.quantized;
}

Value GraphImporter::constantValue(const HostTensor &tensor, StringRef name) {
  return arith::ConstantOp::create(builder,
                                   NameLoc::get(builder.getStringAttr(name)),
                                   tensor.toAttr(&context));
}

static bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

LogicalResult GraphImporter::checkGraph(const OpRegistry &registry) {
  std::set<std::string> defined;
  for (const onnx::TensorProto &init : graph->initializer())
    defined.insert(init.name());
  for (const onnx::ValueInfoProto &input : graph->input())
    defined.insert(input.name());
  std::map<std::string, std::vector<std::string>> unsupported;
  int problems = 0;
  for (int i = 0; i < graph->node_size(); ++i) {
    const onnx::NodeProto &node = graph->node(i);
    NodeContext ctx(*this, node, i);
    const std::string &op = node.op_type();
    if (!isDefaultDomain(node.domain())) {
      (void)error(ctx.describe() + ": unsupported operator '" + op +
                  "' of domain '" + node.domain() + "'");
      unsupported[node.domain() + "." + op].push_back(ctx.describe());
    } else if (!registry.importers.count(op) && !isFoldable(op)) {
      (void)error(ctx.describe() + ": unsupported operator '" + op + "'");
      unsupported[op].push_back(ctx.describe());
    }
    for (int j = 0; j < node.input_size(); ++j) {
      const std::string &name = node.input(j);
      if (name.empty() || defined.count(name))
        continue;
      (void)error(ctx.describe() + ": input " + Twine(j) + " '" + name +
                  "' is not an initializer, a graph input or the output of "
                  "an earlier node");
      ++problems;
    }
    for (int j = 0; j < node.input_size(); ++j)
      consumers[node.input(j)].push_back(i);
    for (const std::string &output : node.output())
      if (!output.empty())
        defined.insert(output);
  }
  for (const onnx::ValueInfoProto &output : graph->output()) {
    graphOutputs.insert(output.name());
    if (!defined.count(output.name())) {
      (void)error("graph output '" + output.name() +
                  "' is not computed by any node");
      ++problems;
    }
  }
  if (!unsupported.empty()) {
    std::string list;
    size_t count = 0;
    for (auto &[op, nodes] : unsupported) {
      list += (list.empty() ? "" : ", ") + op;
      count += nodes.size();
    }
    (void)error(Twine(count) + (count == 1 ? " node uses" : " nodes use") +
                " unsupported operators: " + list);
  }
  if (!unsupported.empty() || problems)
    return failure();
  return success();
}

/// "1x3x?x?" for messages.
static std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") +
         (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  return s;
}

LogicalResult GraphImporter::defineInputs(
    const std::map<std::string, std::vector<int64_t>> &inputShapes,
    SmallVector<Type> &argTypes, SmallVector<std::string> &argNames) {
  std::set<std::string> initializers;
  for (const onnx::TensorProto &init : graph->initializer())
    initializers.insert(init.name());
  std::set<std::string> inputNames;
  bool ok = true;
  for (const onnx::ValueInfoProto &input : graph->input()) {
    if (initializers.count(input.name()))
      continue;
    inputNames.insert(input.name());
    if (!input.type().has_tensor_type()) {
      ok &= succeeded(error("graph input '" + input.name() +
                            "' is not a tensor (sequences and maps are not "
                            "supported)"));
      continue;
    }
    const onnx::TypeProto_Tensor &tensorType = input.type().tensor_type();
    DataType dtype = tensorType.elem_type();
    Type element = getElementType(&context, dtype);
    if (!element) {
      ok &= succeeded(error("graph input '" + input.name() +
                            "' has unsupported element type " +
                            getTypeName(dtype)));
      continue;
    }
    SmallVector<int64_t> shape;
    if (!tensorType.has_shape()) {
      ok = false;
      (void)error("graph input '" + input.name() +
                  "' has no shape; give one with --input-shape " +
                  input.name() + "=...");
      continue;
    }
    for (const onnx::TensorShapeProto_Dimension &dim : tensorType.shape().dim())
      shape.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    auto given = inputShapes.find(input.name());
    if (given != inputShapes.end()) {
      if (given->second.size() != shape.size()) {
        ok = false;
        (void)error("--input-shape " + input.name() + "=" +
                    formatShape(given->second) + " has rank " +
                    Twine(given->second.size()) + ", but the input has rank " +
                    Twine(shape.size()) + " (" + formatShape(shape) + ")");
        continue;
      }
      bool conflict = false;
      for (size_t d = 0; d < shape.size(); ++d)
        conflict |= shape[d] >= 0 && shape[d] != given->second[d];
      if (conflict) {
        ok = false;
        (void)error(
            "--input-shape " + input.name() + "=" + formatShape(given->second) +
            " contradicts the model's static shape " + formatShape(shape));
        continue;
      }
      shape.assign(given->second.begin(), given->second.end());
    }
    if (llvm::any_of(shape, [](int64_t d) { return d < 0; })) {
      ok = false;
      (void)error("graph input '" + input.name() + "' has dynamic shape " +
                  formatShape(shape) + "; fix it with --input-shape " +
                  input.name() + "=<dims, e.g. 1x3x224x224>");
      continue;
    }
    argTypes.push_back(RankedTensorType::get(shape, element));
    argNames.push_back(input.name());
    TensorValue v;
    v.name = input.name();
    v.dtype = dtype;
    v.shape = shape;
    define(std::move(v));
  }
  for (const auto &[name, shape] : inputShapes) {
    if (inputNames.count(name))
      continue;
    std::string list;
    for (const std::string &n : inputNames)
      list += (list.empty() ? "" : ", ") + n;
    ok = false;
    (void)error("--input-shape names '" + name +
                "', which is not an input of the model (inputs: " + list + ")");
  }
  return success(ok);
}

OwningOpRef<ModuleOp> GraphImporter::import(
    const onnx::ModelProto &model,
    const std::map<std::string, std::vector<int64_t>> &inputShapes,
    StringRef functionName) {
  graph = &model.graph();
  for (const onnx::OperatorSetIdProto &set : model.opset_import())
    if (isDefaultDomain(set.domain()))
      opset = set.version();
  if (opset == 0) {
    (void)error("the model imports no version of the default ONNX operator "
                "set");
    return nullptr;
  }
  if (opset < 7 || opset > 21) {
    (void)error("opset " + Twine(opset) +
                " is not supported (opsets 7 to 21 are)");
    return nullptr;
  }

  OpRegistry registry;
  registerElementwiseOps(registry);
  registerContractionOps(registry);
  registerPoolingOps(registry);
  registerNormalizationOps(registry);
  registerDataMovementOps(registry);
  registerQuantizationOps(registry);
  if (failed(checkGraph(registry)))
    return nullptr;

  bool ok = true;
  for (const onnx::TensorProto &init : graph->initializer()) {
    TensorValue v;
    v.name = init.name();
    HostTensor data;
    std::string message;
    if (!readTensorProto(init, data, message)) {
      ok = false;
      (void)error("initializer '" + init.name() + "' " + message);
      continue;
    }
    v.dtype = data.dtype;
    v.shape = data.shape;
    v.constant = std::move(data);
    define(std::move(v));
  }
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  ok &= succeeded(defineInputs(inputShapes, argTypes, argNames));
  if (!ok)
    return nullptr;

  Location moduleLoc = NameLoc::get(builder.getStringAttr(modelName));
  OwningOpRef<ModuleOp> module = ModuleOp::create(moduleLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, moduleLoc, functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    entry->getArgument(i).setLoc(NameLoc::get(builder.getStringAttr(name)));
    lookup(name)->value = entry->getArgument(i);
  }
  builder.setInsertionPointToEnd(entry);

  for (int i = 0; i < graph->node_size(); ++i) {
    if (absorbed.count(i))
      continue;
    const onnx::NodeProto &node = graph->node(i);
    NodeContext ctx(*this, node, i);
    bool folded = false;
    if (isFoldable(node.op_type())) {
      if (failed(foldNode(ctx, folded)))
        return nullptr;
    }
    if (!folded) {
      auto it = registry.importers.find(node.op_type());
      if (it == registry.importers.end()) {
        std::string which;
        for (int j = 0; j < ctx.numInputs(); ++j)
          if (ctx.hasInput(j) && !ctx.constant(j))
            which += (which.empty() ? "'" : ", '") + node.input(j) + "'";
        (void)ctx.error("is only supported on inputs known at import time "
                        "(shape computations); " +
                        which + " " +
                        (which.find(',') == std::string::npos ? "is" : "are") +
                        " computed at run time");
        return nullptr;
      }
      if (failed(it->second(ctx)))
        return nullptr;
    }
    for (int j = 0; j < node.output_size(); ++j) {
      if (node.output(j).empty() || lookup(node.output(j)))
        continue;
      // An optional output the importer does not produce, or one read only
      // by a node folded into this one (a BatchNormalization).
      auto readers = consumers.find(node.output(j));
      bool read = readers != consumers.end() &&
                  llvm::any_of(readers->second, [&](int reader) {
                    return !absorbed.count(reader);
                  });
      if (read || graphOutputs.count(node.output(j))) {
        (void)ctx.error("output " + Twine(j) + " '" + node.output(j) +
                        "' is not supported, but the graph reads it");
        return nullptr;
      }
    }
  }

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &output : graph->output()) {
    TensorValue *v = lookup(output.name());
    if (output.type().has_tensor_type() &&
        output.type().tensor_type().has_shape()) {
      const onnx::TensorShapeProto &declared =
          output.type().tensor_type().shape();
      bool mismatch = declared.dim_size() != static_cast<int>(v->shape.size());
      SmallVector<int64_t> declaredShape;
      for (int d = 0; d < declared.dim_size(); ++d) {
        int64_t size =
            declared.dim(d).has_dim_value() ? declared.dim(d).dim_value() : -1;
        declaredShape.push_back(size);
        if (!mismatch && size >= 0 && size != v->shape[d])
          mismatch = true;
      }
      if (mismatch) {
        (void)error("graph output '" + output.name() + "' is declared " +
                    formatShape(declaredShape) + " but computes " +
                    formatShape(v->shape));
        return nullptr;
      }
    }
    Value value = materialize(*v);
    if (quant::QuantizedType q = dyn_cast<quant::QuantizedType>(
            cast<RankedTensorType>(value.getType()).getElementType())) {
      // Integer outputs of quantizing ops leave as their stored integers.
      value = quant::StorageCastOp::create(
          builder, value.getLoc(),
          cast<RankedTensorType>(value.getType()).clone(q.getStorageType()),
          value);
    }
    results.push_back(value);
    resultTypes.push_back(value.getType());
  }
  func::ReturnOp::create(builder, moduleLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));

  // Ops built and then not used (a dequantized weight that became part of
  // an integer op, a constant read only at import time).
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (op->getParentOp() == func)
      ops.push_back(op);
  });
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      op->erase();
  return module;
}

} // namespace onnx_import
} // namespace qnn
