//===- ConstantFolding.cpp - Shape subgraphs evaluated at import time -----===//
//
// Exporters compute shapes at run time (Shape -> Gather -> Unsqueeze ->
// Concat -> Reshape) and sometimes transform weights (Transpose, Cast,
// Reshape of an initializer). With static input shapes all of this is known
// at import time: such nodes are evaluated here, on the host, and only their
// results reach the IR, as constants.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"
#include "ShapeRules.h"

#include "Builders.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using onnx::TensorProto;

namespace qnn {
namespace onnx_import {

bool isFoldable(StringRef opType) {
  static const llvm::StringSet<llvm::MallocAllocator> ops = {"Constant",
                                                             "Shape",
                                                             "Size",
                                                             "Identity",
                                                             "Cast",
                                                             "Reshape",
                                                             "Flatten",
                                                             "Squeeze",
                                                             "Unsqueeze",
                                                             "Transpose",
                                                             "Concat",
                                                             "Gather",
                                                             "Slice",
                                                             "Add",
                                                             "Sub",
                                                             "Mul",
                                                             "Div",
                                                             "Neg",
                                                             "Equal",
                                                             "Less",
                                                             "Greater",
                                                             "Min",
                                                             "Max",
                                                             "Where",
                                                             "Range",
                                                             "Floor",
                                                             "Ceil",
                                                             "Sqrt",
                                                             "ConstantOfShape",
                                                             "Expand",
                                                             "Not",
                                                             "Abs",
                                                             "Dropout",
                                                             "Mod",
                                                             "And",
                                                             "Or"};
  return ops.contains(opType);
}

/// Row-major strides of `shape`.
static SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// For each element of `shape`, the flat index of the element each of
/// `inputs` (broadcast numpy-style) contributes.
static void
forEachBroadcast(ArrayRef<int64_t> shape, ArrayRef<const HostTensor *> inputs,
                 llvm::function_ref<void(int64_t, ArrayRef<int64_t>)> fn) {
  int64_t rank = shape.size();
  SmallVector<SmallVector<int64_t>> strides;
  for (const HostTensor *in : inputs) {
    SmallVector<int64_t> own = getStrides(in->shape);
    SmallVector<int64_t> aligned(rank, 0);
    int64_t offset = rank - in->shape.size();
    for (size_t d = 0; d < in->shape.size(); ++d)
      aligned[offset + d] = in->shape[d] == 1 ? 0 : own[d];
    strides.push_back(aligned);
  }
  SmallVector<int64_t> index(rank, 0), flat(inputs.size(), 0);
  int64_t n = getNumElements(shape);
  for (int64_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < inputs.size(); ++k) {
      flat[k] = 0;
      for (int64_t d = 0; d < rank; ++d)
        flat[k] += index[d] * strides[k][d];
    }
    fn(i, flat);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// Elementwise evaluation with broadcasting, in doubles for float results
/// and in int64 otherwise.
static FailureOr<HostTensor> foldElementwise(
    NodeContext &node, ArrayRef<const HostTensor *> inputs, DataType resultType,
    llvm::function_ref<double(ArrayRef<double>)> real,
    llvm::function_ref<FailureOr<int64_t>(ArrayRef<int64_t>)> integer,
    bool computeInReals) {
  SmallVector<int64_t> shape;
  for (const HostTensor *in : inputs) {
    std::optional<SmallVector<int64_t>> b = broadcastShapes(shape, in->shape);
    if (!b) {
      (void)node.error("operand shapes cannot be broadcast together");
      return failure();
    }
    shape = *b;
  }
  if (failed(node.checkHostSize(shape, "the result")))
    return failure();
  HostTensor result(resultType, shape);
  SmallVector<double> reals(inputs.size());
  SmallVector<int64_t> ints(inputs.size());
  bool failedElement = false;
  forEachBroadcast(shape, inputs, [&](int64_t i, ArrayRef<int64_t> flat) {
    if (failedElement)
      return;
    if (computeInReals) {
      for (size_t k = 0; k < inputs.size(); ++k)
        reals[k] = inputs[k]->getReal(flat[k]);
      result.set(i, real(reals));
      return;
    }
    for (size_t k = 0; k < inputs.size(); ++k)
      ints[k] = inputs[k]->getInt(flat[k]);
    FailureOr<int64_t> value = integer(ints);
    if (failed(value)) {
      failedElement = true;
      return;
    }
    result.setInt(i, *value);
  });
  if (failedElement)
    return failure();
  return result;
}

static HostTensor reshaped(const HostTensor &t, ArrayRef<int64_t> shape) {
  HostTensor r = t;
  r.shape.assign(shape.begin(), shape.end());
  return r;
}

/// Copies element `from` of `src` to element `to` of `dst` (same dtype).
static void copyElement(const HostTensor &src, int64_t from, HostTensor &dst,
                        int64_t to) {
  if (src.isFloat())
    dst.real[to] = src.real[from];
  else
    dst.ints[to] = src.ints[from];
}

HostTensor transposeHost(const HostTensor &t, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(t.shape[p]);
  HostTensor r(t.dtype, shape);
  SmallVector<int64_t> inStrides = getStrides(t.shape);
  int64_t rank = shape.size();
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0, n = r.size(); i < n; ++i) {
    int64_t from = 0;
    for (int64_t d = 0; d < rank; ++d)
      from += index[d] * inStrides[perm[d]];
    copyElement(t, from, r, i);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return r;
}

/// A general strided gather: element `index` of the result reads the input
/// at `source(index)` for each dimension.
static HostTensor
gatherHost(const HostTensor &t, ArrayRef<int64_t> shape,
           llvm::function_ref<int64_t(ArrayRef<int64_t>)> sourceFlat) {
  HostTensor r(t.dtype, shape);
  int64_t rank = shape.size();
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0, n = r.size(); i < n; ++i) {
    copyElement(t, sourceFlat(index), r, i);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return r;
}

static LogicalResult foldConstantNode(NodeContext &node) {
  const onnx::AttributeProto *a = nullptr;
  for (const char *name :
       {"value", "value_float", "value_floats", "value_int", "value_ints",
        "sparse_value", "value_string", "value_strings"})
    if ((a = node.attr(name)))
      break;
  if (!a)
    return node.error("has no value attribute");
  const std::string &name = a->name();
  if (name == "value") {
    HostTensor t;
    std::string message;
    if (!readTensorProto(a->t(), t, message))
      return node.error("value " + message);
    node.setConstantOutput(0, std::move(t));
  } else if (name == "value_float") {
    node.setConstantOutput(0, makeScalar(TensorProto::FLOAT, a->f()));
  } else if (name == "value_int") {
    node.setConstantOutput(0, makeScalar(TensorProto::INT64, a->i()));
  } else if (name == "value_ints") {
    node.setConstantOutput(0, makeIntVector(SmallVector<int64_t>(
                                  a->ints().begin(), a->ints().end())));
  } else if (name == "value_floats") {
    HostTensor t(TensorProto::FLOAT, {a->floats_size()});
    for (int i = 0; i < a->floats_size(); ++i)
      t.set(i, a->floats(i));
    node.setConstantOutput(0, std::move(t));
  } else {
    return node.error("'" + name + "' constants are not supported");
  }
  return success();
}

static double realOp(StringRef op, ArrayRef<double> v) {
  if (op == "Add")
    return v[0] + v[1];
  if (op == "Sub")
    return v[0] - v[1];
  if (op == "Mul")
    return v[0] * v[1];
  if (op == "Div")
    return v[0] / v[1];
  if (op == "Mod")
    return std::fmod(v[0], v[1]);
  if (op == "Neg")
    return -v[0];
  if (op == "Abs")
    return std::fabs(v[0]);
  if (op == "Floor")
    return std::floor(v[0]);
  if (op == "Ceil")
    return std::ceil(v[0]);
  if (op == "Sqrt")
    return std::sqrt(v[0]);
  if (op == "Equal")
    return v[0] == v[1];
  if (op == "Less")
    return v[0] < v[1];
  if (op == "Greater")
    return v[0] > v[1];
  if (op == "Where")
    return v[0] != 0 ? v[1] : v[2];
  double r = v[0];
  for (double x : v.drop_front())
    r = op == "Min" ? std::min(r, x) : std::max(r, x);
  return r;
}

/// Integer elementwise `op` on one element; fails after a diagnostic on
/// what has no int64 result (overflow, division by zero, the square root of
/// a negative number) rather than folding an undefined value.
static FailureOr<int64_t> intOp(NodeContext &node, StringRef op,
                                ArrayRef<int64_t> v) {
  auto checked = [&](std::optional<int64_t> r) -> FailureOr<int64_t> {
    if (!r)
      return node.error("integer overflow while folding constants");
    return *r;
  };
  bool unary = op == "Neg" || op == "Abs";
  if (unary && v[0] == std::numeric_limits<int64_t>::min())
    return checked(std::nullopt);
  if ((op == "Div" || op == "Mod") && v[1] == 0)
    return node.error("integer division by zero while folding constants");
  // x / -1 and x % -1 overflow for the smallest x in C++, not in ONNX.
  if (op == "Mod" && v[1] == -1)
    return int64_t(0);
  if (op == "Div" && v[1] == -1)
    return checked(llvm::checkedMul<int64_t>(v[0], -1));
  if (op == "Add")
    return checked(llvm::checkedAdd<int64_t>(v[0], v[1]));
  if (op == "Sub")
    return checked(llvm::checkedSub<int64_t>(v[0], v[1]));
  if (op == "Mul")
    return checked(llvm::checkedMul<int64_t>(v[0], v[1]));
  if (op == "Div")
    return v[0] / v[1];
  if (op == "Mod") {
    int64_t m = v[0] % v[1];
    return (m != 0 && ((m < 0) != (v[1] < 0))) ? m + v[1] : m;
  }
  if (op == "Neg")
    return -v[0];
  if (op == "Abs")
    return v[0] < 0 ? -v[0] : v[0];
  if (op == "Floor" || op == "Ceil")
    return v[0];
  if (op == "Sqrt") {
    if (v[0] < 0)
      return node.error("square root of a negative integer while folding "
                        "constants");
    return static_cast<int64_t>(std::sqrt(static_cast<double>(v[0])));
  }
  if (op == "Equal")
    return v[0] == v[1];
  if (op == "Less")
    return v[0] < v[1];
  if (op == "Greater")
    return v[0] > v[1];
  if (op == "Not")
    return !v[0];
  if (op == "And")
    return v[0] && v[1];
  if (op == "Or")
    return v[0] || v[1];
  if (op == "Where")
    return v[0] != 0 ? v[1] : v[2];
  int64_t r = v[0];
  for (int64_t x : v.drop_front())
    r = op == "Min" ? std::min(r, x) : std::max(r, x);
  return r;
}

LogicalResult foldNode(NodeContext &node, bool &folded) {
  folded = false;
  StringRef op = node.node.op_type();
  if (op == "Constant") {
    folded = true;
    return foldConstantNode(node);
  }
  if (op == "Shape") {
    ArrayRef<int64_t> shape = node.shape(0);
    int64_t rank = shape.size();
    int64_t start = node.getInt("start", 0), end = node.getInt("end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    folded = true;
    node.setConstantOutput(0, makeIntVector(shape.slice(
                                  start, std::max<int64_t>(end - start, 0))));
    return success();
  }
  if (op == "Size") {
    folded = true;
    node.setConstantOutput(
        0, makeScalar(TensorProto::INT64, getNumElements(node.shape(0))));
    return success();
  }
  SmallVector<const HostTensor *> inputs;
  for (int i = 0; i < node.numInputs(); ++i) {
    if (!node.hasInput(i)) {
      inputs.push_back(nullptr);
      continue;
    }
    const HostTensor *c = node.constant(i);
    if (!c)
      return success();
    inputs.push_back(c);
  }
  if (inputs.empty() || !inputs[0])
    return success();
  const HostTensor &x = *inputs[0];
  folded = true;

  if (op == "Identity" || op == "Dropout") {
    node.setConstantOutput(0, x);
    return success();
  }
  if (op == "Cast") {
    DataType to = node.getInt("to", 0);
    if (!getElementType(node.builder.getContext(), to))
      return node.error("cannot cast to " + getTypeName(to));
    node.setConstantOutput(0, x.castTo(to));
    return success();
  }
  if (op == "Reshape") {
    SmallVector<int64_t> spec;
    if (node.opset < 5) {
      spec = node.getInts("shape");
    } else {
      if (node.numInputs() < 2 || !inputs[1])
        return node.error("has no shape input");
      std::vector<int64_t> s = inputs[1]->toInts();
      spec.assign(s.begin(), s.end());
    }
    FailureOr<SmallVector<int64_t>> shape =
        getReshapeShape(node, x.shape, spec, node.getInt("allowzero", 0));
    if (failed(shape))
      return failure();
    node.setConstantOutput(0, reshaped(x, *shape));
    return success();
  }
  if (op == "Flatten" || op == "Squeeze" || op == "Unsqueeze") {
    FailureOr<SmallVector<int64_t>> shape =
        op == "Flatten"   ? getFlattenShape(node, x.shape)
        : op == "Squeeze" ? getSqueezeShape(node, x.shape)
                          : getUnsqueezeShape(node, x.shape);
    if (failed(shape))
      return failure();
    node.setConstantOutput(0, reshaped(x, *shape));
    return success();
  }
  if (op == "Transpose") {
    FailureOr<SmallVector<int64_t>> perm = getPermutation(node, x.shape.size());
    if (failed(perm))
      return failure();
    node.setConstantOutput(0, transposeHost(x, *perm));
    return success();
  }
  if (op == "Concat") {
    int64_t rank = x.shape.size();
    std::optional<int64_t> axis =
        node.normalizeAxis(node.getInt("axis", 0), rank);
    if (!axis)
      return failure();
    SmallVector<int64_t> shape(x.shape);
    shape[*axis] = 0;
    for (const HostTensor *in : inputs) {
      if (!in)
        continue;
      if (static_cast<int64_t>(in->shape.size()) != rank)
        return node.error("inputs have different ranks");
      for (int64_t d = 0; d < rank; ++d)
        if (d != *axis && in->shape[d] != x.shape[d])
          return node.error("input shapes differ outside axis " + Twine(*axis));
      shape[*axis] += in->shape[*axis];
    }
    DataType dtype = x.dtype;
    HostTensor r(dtype, shape);
    int64_t outer = getNumElements(ArrayRef<int64_t>(shape).take_front(*axis));
    int64_t inner =
        getNumElements(ArrayRef<int64_t>(shape).drop_front(*axis + 1));
    int64_t offset = 0;
    for (const HostTensor *in : inputs) {
      if (!in)
        continue;
      HostTensor c = in->dtype == dtype ? *in : in->castTo(dtype);
      int64_t len = in->shape[*axis];
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t j = 0; j < len * inner; ++j)
          copyElement(c, o * len * inner + j, r,
                      (o * shape[*axis] + offset) * inner + j);
      offset += len;
    }
    node.setConstantOutput(0, std::move(r));
    return success();
  }
  if (op == "Gather") {
    int64_t rank = x.shape.size();
    std::optional<int64_t> axis =
        node.normalizeAxis(node.getInt("axis", 0), rank);
    if (!axis || !inputs[1])
      return failure();
    std::vector<int64_t> indices = inputs[1]->toInts();
    int64_t dim = x.shape[*axis];
    for (int64_t &i : indices) {
      if (i < -dim || i >= dim)
        return node.error("index " + Twine(i) + " is out of range for axis " +
                          Twine(*axis) + " of size " + Twine(dim));
      if (i < 0)
        i += dim;
    }
    SmallVector<int64_t> shape(x.shape.begin(), x.shape.begin() + *axis);
    shape.append(inputs[1]->shape.begin(), inputs[1]->shape.end());
    shape.append(x.shape.begin() + *axis + 1, x.shape.end());
    int64_t indexRank = inputs[1]->shape.size();
    SmallVector<int64_t> inStrides = getStrides(x.shape);
    SmallVector<int64_t> idxStrides = getStrides(inputs[1]->shape);
    node.setConstantOutput(0,
                           gatherHost(x, shape, [&](ArrayRef<int64_t> index) {
                             int64_t flat = 0, k = 0;
                             for (int64_t d = 0; d < *axis; ++d)
                               flat += index[d] * inStrides[d];
                             for (int64_t d = 0; d < indexRank; ++d)
                               k += index[*axis + d] * idxStrides[d];
                             flat += indices[k] * inStrides[*axis];
                             for (int64_t d = *axis + 1; d < rank; ++d)
                               flat += index[d - 1 + indexRank] * inStrides[d];
                             return flat;
                           }));
    return success();
  }
  if (op == "Slice") {
    FailureOr<SliceSpec> spec = getSliceSpec(node, x.shape);
    if (failed(spec))
      return failure();
    SmallVector<int64_t> inStrides = getStrides(x.shape);
    node.setConstantOutput(
        0, gatherHost(x, spec->size, [&](ArrayRef<int64_t> index) {
          int64_t flat = 0;
          for (size_t d = 0; d < index.size(); ++d)
            flat += (spec->start[d] + index[d] * spec->step[d]) * inStrides[d];
          return flat;
        }));
    return success();
  }
  if (op == "Range") {
    if (inputs.size() < 3 || !inputs[1] || !inputs[2])
      return node.error("needs start, limit and delta");
    double start = x.getReal(0), limit = inputs[1]->getReal(0),
           delta = inputs[2]->getReal(0);
    if (delta == 0)
      return node.error("delta is 0");
    double count = std::ceil((limit - start) / delta);
    if (!(count < static_cast<double>(NodeContext::kMaxHostElements)))
      count = static_cast<double>(NodeContext::kMaxHostElements) + 1;
    int64_t n = std::max<int64_t>(0, static_cast<int64_t>(count));
    if (failed(node.checkHostSize({n}, "the range")))
      return failure();
    HostTensor r(x.dtype, {n});
    for (int64_t i = 0; i < n; ++i)
      r.set(i, start + i * delta);
    node.setConstantOutput(0, std::move(r));
    return success();
  }
  if (op == "ConstantOfShape") {
    std::vector<int64_t> shape = x.toInts();
    HostTensor value = makeScalar(TensorProto::FLOAT, 0.0);
    if (const onnx::AttributeProto *a = node.attr("value")) {
      std::string message;
      if (!readTensorProto(a->t(), value, message))
        return node.error("value " + message);
    }
    if (failed(node.checkHostSize(shape, "the constant")))
      return failure();
    HostTensor r(value.dtype, SmallVector<int64_t>(shape.begin(), shape.end()));
    for (int64_t i = 0, n = r.size(); i < n; ++i)
      copyElement(value, 0, r, i);
    node.setConstantOutput(0, std::move(r));
    return success();
  }
  if (op == "Expand") {
    if (!inputs[1])
      return node.error("has no shape input");
    std::vector<int64_t> target = inputs[1]->toInts();
    std::optional<SmallVector<int64_t>> shape = broadcastShapes(
        x.shape, SmallVector<int64_t>(target.begin(), target.end()));
    if (!shape)
      return node.error("cannot expand the input to the given shape");
    if (failed(node.checkHostSize(*shape, "the expanded constant")))
      return failure();
    HostTensor r(x.dtype, *shape);
    forEachBroadcast(*shape, {&x}, [&](int64_t i, ArrayRef<int64_t> flat) {
      copyElement(x, flat[0], r, i);
    });
    node.setConstantOutput(0, std::move(r));
    return success();
  }

  // Elementwise arithmetic and comparisons.
  SmallVector<const HostTensor *> present;
  for (const HostTensor *in : inputs)
    if (in)
      present.push_back(in);
  bool comparison = op == "Equal" || op == "Less" || op == "Greater" ||
                    op == "Not" || op == "And" || op == "Or";
  const HostTensor &typeSource = op == "Where" ? *present.back() : x;
  DataType resultType = comparison ? TensorProto::BOOL : typeSource.dtype;
  bool inReals = llvm::any_of(present, [&](const HostTensor *in) {
    return in->isFloat() && !(op == "Where" && in == present.front());
  });
  FailureOr<HostTensor> result = foldElementwise(
      node, present, resultType,
      [&](ArrayRef<double> v) { return realOp(op, v); },
      [&](ArrayRef<int64_t> v) { return intOp(node, op, v); }, inReals);
  if (failed(result))
    return failure();
  node.setConstantOutput(0, std::move(*result));
  return success();
}

} // namespace onnx_import
} // namespace qnn
