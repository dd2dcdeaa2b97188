//===- ShapeRules.cpp - Result shapes of the ONNX shape operators ---------===//

#include "ShapeRules.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>

using namespace mlir;

namespace qnn {
namespace onnx_import {

static std::string format(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

FailureOr<SmallVector<int64_t>> getReshapeShape(NodeContext &node,
                                                ArrayRef<int64_t> input,
                                                ArrayRef<int64_t> spec,
                                                bool allowZero) {
  SmallVector<int64_t> shape;
  int inferred = -1;
  int64_t known = 1;
  for (size_t i = 0; i < spec.size(); ++i) {
    int64_t d = spec[i];
    if (d == 0 && !allowZero) {
      if (i >= input.size()) {
        (void)node.error("shape " + format(spec) + " copies dimension " +
                         Twine(i) + ", which the input " + format(input) +
                         " does not have");
        return failure();
      }
      d = input[i];
    }
    if (d == -1) {
      if (inferred >= 0) {
        (void)node.error("shape " + format(spec) + " has more than one -1");
        return failure();
      }
      inferred = i;
      shape.push_back(1);
      continue;
    }
    if (d < 0) {
      (void)node.error("shape " + format(spec) + " has a negative dimension");
      return failure();
    }
    if (llvm::MulOverflow(known, d, known)) {
      (void)node.error("shape " + format(spec) + " has too many elements");
      return failure();
    }
    shape.push_back(d);
  }
  int64_t total = getNumElements(input);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      (void)node.error("cannot reshape " + format(input) + " (" + Twine(total) +
                       " elements) to " + format(spec));
      return failure();
    }
    shape[inferred] = total / known;
  } else if (known != total) {
    (void)node.error("cannot reshape " + format(input) + " (" + Twine(total) +
                     " elements) to " + format(shape) + " (" + Twine(known) +
                     " elements)");
    return failure();
  }
  return shape;
}

FailureOr<SmallVector<int64_t>> getAxes(NodeContext &node, int64_t inputSince,
                                        int inputIndex, bool &present) {
  present = false;
  if (node.opset < inputSince) {
    if (!node.hasAttr("axes"))
      return SmallVector<int64_t>();
    present = true;
    return node.getInts("axes");
  }
  if (!node.hasInput(inputIndex))
    return SmallVector<int64_t>();
  present = true;
  return node.getConstantInts(inputIndex, "axes");
}

/// Sorted, normalized and unique axes for `rank`.
static FailureOr<SmallVector<int64_t>>
normalizeAxes(NodeContext &node, ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t axis : axes) {
    std::optional<int64_t> a = node.normalizeAxis(axis, rank);
    if (!a)
      return failure();
    if (llvm::is_contained(result, *a)) {
      (void)node.error("axis " + Twine(axis) + " is given twice");
      return failure();
    }
    result.push_back(*a);
  }
  llvm::sort(result);
  return result;
}

FailureOr<SmallVector<int64_t>> getSqueezeShape(NodeContext &node,
                                                ArrayRef<int64_t> input) {
  bool present;
  FailureOr<SmallVector<int64_t>> axes = getAxes(node, 13, 1, present);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  if (!present) {
    for (int64_t d : input)
      if (d != 1)
        shape.push_back(d);
    return shape;
  }
  FailureOr<SmallVector<int64_t>> sorted =
      normalizeAxes(node, *axes, input.size());
  if (failed(sorted))
    return failure();
  for (int64_t d = 0; d < static_cast<int64_t>(input.size()); ++d) {
    if (!llvm::is_contained(*sorted, d)) {
      shape.push_back(input[d]);
    } else if (input[d] != 1) {
      (void)node.error("cannot squeeze dimension " + Twine(d) + " of size " +
                       Twine(input[d]) + " (input " + format(input) + ")");
      return failure();
    }
  }
  return shape;
}

FailureOr<SmallVector<int64_t>> getUnsqueezeShape(NodeContext &node,
                                                  ArrayRef<int64_t> input) {
  bool present;
  FailureOr<SmallVector<int64_t>> axes = getAxes(node, 13, 1, present);
  if (failed(axes))
    return failure();
  if (!present) {
    (void)node.error("has no axes");
    return failure();
  }
  int64_t rank = input.size() + axes->size();
  FailureOr<SmallVector<int64_t>> sorted = normalizeAxes(node, *axes, rank);
  if (failed(sorted))
    return failure();
  SmallVector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(*sorted, d))
      shape.push_back(1);
    else
      shape.push_back(input[next++]);
  }
  return shape;
}

FailureOr<SmallVector<int64_t>> getFlattenShape(NodeContext &node,
                                                ArrayRef<int64_t> input) {
  int64_t rank = input.size();
  int64_t axis = node.getInt("axis", 1);
  if (axis < -rank || axis > rank) {
    (void)node.error("axis " + Twine(axis) + " is out of range for rank " +
                     Twine(rank));
    return failure();
  }
  if (axis < 0)
    axis += rank;
  int64_t outer = getNumElements(input.take_front(axis));
  int64_t inner = getNumElements(input.drop_front(axis));
  return SmallVector<int64_t>{outer, inner};
}

FailureOr<SliceSpec> getSliceSpec(NodeContext &node, ArrayRef<int64_t> input) {
  int64_t rank = input.size();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (node.opset < 10) {
    starts = node.getInts("starts");
    ends = node.getInts("ends");
    axes = node.getInts("axes");
  } else {
    FailureOr<SmallVector<int64_t>> s = node.getConstantInts(1, "starts");
    FailureOr<SmallVector<int64_t>> e = node.getConstantInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (node.hasInput(3)) {
      FailureOr<SmallVector<int64_t>> a = node.getConstantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (node.hasInput(4)) {
      FailureOr<SmallVector<int64_t>> st = node.getConstantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (starts.size() != ends.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    (void)node.error("starts, ends, axes and steps have different lengths");
    return failure();
  }
  SliceSpec spec;
  spec.start.assign(rank, 0);
  spec.size.assign(input.begin(), input.end());
  spec.step.assign(rank, 1);
  for (size_t i = 0; i < axes.size(); ++i) {
    std::optional<int64_t> axis = node.normalizeAxis(axes[i], rank);
    if (!axis)
      return failure();
    int64_t dim = input[*axis], step = steps[i];
    if (step == 0) {
      (void)node.error("step 0 along axis " + Twine(*axis));
      return failure();
    }
    auto clampIndex = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v = v <= std::numeric_limits<int64_t>::min() / 2 ? lo : v + dim;
      return std::clamp(v, lo, hi);
    };
    int64_t start, end;
    if (step > 0) {
      start = clampIndex(starts[i], 0, dim);
      end = clampIndex(ends[i], 0, dim);
    } else {
      start = clampIndex(starts[i], 0, dim - 1);
      end = clampIndex(ends[i], -1, dim - 1);
      // INT_MIN-style ends mean "before the first element".
      if (ends[i] < -dim)
        end = -1;
    }
    int64_t size = step > 0 ? (end - start + step - 1) / step
                            : (start - end + (-step) - 1) / (-step);
    spec.start[*axis] = start;
    spec.size[*axis] = std::max<int64_t>(size, 0);
    spec.step[*axis] = step;
  }
  return spec;
}

FailureOr<SmallVector<int64_t>> getPermutation(NodeContext &node,
                                               int64_t rank) {
  SmallVector<int64_t> perm = node.getInts("perm");
  if (!node.hasAttr("perm"))
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t d = 0; valid && d < rank; ++d)
    valid = sorted[d] == d;
  if (!valid) {
    (void)node.error("perm " + format(perm) +
                     " is not a permutation of the input's " + Twine(rank) +
                     " dimensions");
    return failure();
  }
  return perm;
}

} // namespace onnx_import
} // namespace qnn
