//===- GraphImporter.h - The ONNX graph walk and its values -----*- C++ -*-===//
//
// The importer walks the graph's nodes in order. Each ONNX tensor becomes a
// TensorValue: host data when it is known at import time (initializers,
// Constant nodes, folded shape subgraphs), an MLIR value otherwise, or both.
// Op importers (one file per family) read their inputs and attributes through
// a NodeContext and set their outputs there.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
#define QNN_LIB_IMPORT_ONNX_GRAPHIMPORTER_H

#include "HostTensor.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace onnx {
class NodeProto;
class AttributeProto;
class GraphProto;
class ModelProto;
} // namespace onnx

namespace qnn {
namespace onnx_import {

/// A value produced by DequantizeLinear: the quantized tensor it reads, so
/// that a contraction on dequantized operands can be built as a qnn op.
struct QuantSource {
  /// The quantized tensor (`!quant.uniform` elements); null while the
  /// source is only the constant `storage`.
  mlir::Value quantized;
  mlir::quant::QuantizedType type;
  /// The stored integers of a constant source.
  std::optional<HostTensor> storage;
};

/// One ONNX tensor.
struct TensorValue {
  std::string name;
  DataType dtype = 0;
  llvm::SmallVector<int64_t> shape;
  /// The MLIR value: ONNX elements as signless types, or quantized elements
  /// (`!quant.uniform`) for integer tensors made by quantizing ops.
  mlir::Value value;
  std::optional<HostTensor> constant;
  std::optional<QuantSource> dequantized;
};

class GraphImporter;

/// What an op importer sees of one node.
class NodeContext {
public:
  NodeContext(GraphImporter &graph, const onnx::NodeProto &node, int index);

  const onnx::NodeProto &node;
  GraphImporter &graph;
  mlir::OpBuilder &builder;
  int64_t opset;

  /// Inputs: `hasInput` is false for absent optional inputs (empty names).
  int numInputs() const;
  bool hasInput(int i) const;
  TensorValue &input(int i);
  /// The input as an MLIR value (constants materialized), with integer
  /// elements for quantized tensors.
  mlir::Value value(int i);
  /// The input as an MLIR value, quantized types as they are.
  mlir::Value rawValue(int i);
  /// The input's host data, or null when it is computed at run time.
  const HostTensor *constant(int i);
  llvm::ArrayRef<int64_t> shape(int i) { return input(i).shape; }
  int64_t rank(int i) { return static_cast<int64_t>(input(i).shape.size()); }
  DataType dtype(int i) { return input(i).dtype; }

  /// Attributes.
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  int64_t getInt(llvm::StringRef name, int64_t defaultValue) const;
  double getFloat(llvm::StringRef name, double defaultValue) const;
  std::string getString(llvm::StringRef name,
                        llvm::StringRef defaultValue) const;
  llvm::SmallVector<int64_t> getInts(llvm::StringRef name) const;
  llvm::SmallVector<double> getFloats(llvm::StringRef name) const;

  /// Outputs.
  int numOutputs() const;
  bool hasOutput(int i) const;
  llvm::StringRef outputName(int i) const;
  void setOutput(int i, mlir::Value value, DataType dtype);
  void setOutput(int i, TensorValue value);
  void setConstantOutput(int i, HostTensor tensor);

  /// The location of the op that computes output 0 (the tensor's name), or
  /// of an intermediate step of it (`name/suffix`).
  mlir::Location loc();
  mlir::Location loc(llvm::StringRef suffix);
  mlir::Location outputLoc(int i);

  /// Reports `message` about this node and returns failure.
  mlir::LogicalResult error(const llvm::Twine &message);
  /// "node 'conv1' (Conv)".
  std::string describe() const;

  /// Normalizes a possibly negative axis for `rank`; reports an error and
  /// returns nullopt when out of range.
  std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                       llvm::StringRef what = "axis");
  /// Reports an error unless `shape` has non-negative dimensions and at most
  /// `kMaxHostElements` elements: results the importer computes element by
  /// element on the host (folded constants, gather index tables, pooling
  /// counts) must fit in memory, whatever the model says.
  mlir::LogicalResult checkHostSize(llvm::ArrayRef<int64_t> shape,
                                    llvm::StringRef what);
  static constexpr int64_t kMaxHostElements = int64_t(1) << 26;

  /// The integer values of a constant input, or an error.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  getConstantInts(int i, llvm::StringRef what);

  int index;
};

using ImportFn = std::function<mlir::LogicalResult(NodeContext &)>;

/// Which ops are imported, and how: the families register themselves.
struct OpRegistry {
  llvm::StringMap<ImportFn> importers;
  void add(llvm::StringRef opType, ImportFn fn) {
    importers[opType] = std::move(fn);
  }
};

void registerElementwiseOps(OpRegistry &registry);
void registerContractionOps(OpRegistry &registry);
void registerPoolingOps(OpRegistry &registry);
void registerNormalizationOps(OpRegistry &registry);
void registerDataMovementOps(OpRegistry &registry);
void registerQuantizationOps(OpRegistry &registry);

/// The ops that are evaluated on the host when all their inputs are known
/// (ConstantFolding.cpp); they are supported with run-time inputs only when
/// an importer is registered as well.
bool isFoldable(llvm::StringRef opType);
/// Evaluates a foldable node on constant inputs; `folded` is false when the
/// node cannot be evaluated on these inputs (it is then imported).
mlir::LogicalResult foldNode(NodeContext &node, bool &folded);

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, llvm::StringRef modelName);

  mlir::OwningOpRef<mlir::ModuleOp>
  import(const onnx::ModelProto &model,
         const std::map<std::string, std::vector<int64_t>> &inputShapes,
         llvm::StringRef functionName);

  mlir::MLIRContext &context;
  mlir::OpBuilder builder;
  std::string modelName;
  int64_t opset = 0;
  const onnx::GraphProto *graph = nullptr;

  /// Reports an error about the model.
  mlir::LogicalResult error(const llvm::Twine &message);

  TensorValue *lookup(llvm::StringRef name);
  void define(TensorValue value);
  /// Materializes a tensor as an MLIR value (constants as arith.constant,
  /// dequantized constants as qnn.constant + quant.dcast).
  mlir::Value materialize(TensorValue &value);
  /// The quantized tensor a DequantizeLinear read (materialized).
  mlir::Value materializeQuantized(TensorValue &value);
  /// A constant located by `name`.
  mlir::Value constantValue(const HostTensor &tensor, llvm::StringRef name);

  /// Nodes that read a tensor, by index; graph outputs.
  std::map<std::string, std::vector<int>> consumers;
  std::set<std::string> graphOutputs;
  /// Nodes already imported as part of another (a BatchNormalization folded
  /// into its convolution).
  std::set<int> absorbed;

private:
  mlir::LogicalResult checkGraph(const OpRegistry &registry);
  mlir::LogicalResult
  defineInputs(const std::map<std::string, std::vector<int64_t>> &inputShapes,
               llvm::SmallVector<mlir::Type> &argTypes,
               llvm::SmallVector<std::string> &argNames);

  std::map<std::string, TensorValue> values;
};

} // namespace onnx_import
} // namespace qnn

#endif // QNN_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
