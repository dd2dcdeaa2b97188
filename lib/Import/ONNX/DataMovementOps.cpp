//===- DataMovementOps.cpp - Reshapes, slices, padding and resizing -------===//
//
// Ops that move elements without computing on them: tensor.collapse_shape /
// expand_shape, linalg.transpose, tensor.concat, tensor.extract_slice and
// tensor.pad (qnn-fuse moves quantization across all of these), plus gathers
// along one axis with index tables computed at import time for what those
// cannot express (negative steps, Gather, reflect/edge padding, Tile,
// Resize).
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "GraphImporter.h"
#include "ShapeRules.h"

#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using onnx::TensorProto;

namespace qnn {
namespace onnx_import {

/// Sets output 0 to `value` with the input's type information.
static void forward(NodeContext &node, Value value) {
  if (Operation *def = value.getDefiningOp())
    def->setLoc(node.loc());
  TensorValue v;
  v.dtype = node.dtype(0);
  v.value = value;
  v.shape.assign(getShape(value).begin(), getShape(value).end());
  node.setOutput(0, std::move(v));
}

static LogicalResult importIdentity(NodeContext &node) {
  TensorValue v = node.input(0);
  node.setOutput(0, std::move(v));
  return success();
}

static LogicalResult importReshapeLike(NodeContext &node, StringRef op) {
  FailureOr<SmallVector<int64_t>> shape;
  if (op == "Reshape") {
    SmallVector<int64_t> spec;
    if (node.opset < 5) {
      spec = node.getInts("shape");
    } else {
      FailureOr<SmallVector<int64_t>> s = node.getConstantInts(1, "shape");
      if (failed(s))
        return failure();
      spec = *s;
    }
    shape =
        getReshapeShape(node, node.shape(0), spec, node.getInt("allowzero", 0));
  } else if (op == "Flatten") {
    shape = getFlattenShape(node, node.shape(0));
  } else if (op == "Squeeze") {
    shape = getSqueezeShape(node, node.shape(0));
  } else {
    shape = getUnsqueezeShape(node, node.shape(0));
  }
  if (failed(shape))
    return failure();
  forward(node,
          buildReshape(node.builder, node.loc(), node.rawValue(0), *shape));
  return success();
}

static LogicalResult importTranspose(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> perm = getPermutation(node, node.rank(0));
  if (failed(perm))
    return failure();
  forward(node,
          buildTranspose(node.builder, node.loc(), node.rawValue(0), *perm));
  return success();
}

static LogicalResult importConcat(NodeContext &node) {
  int64_t rank = node.rank(0);
  std::optional<int64_t> axis =
      node.normalizeAxis(node.getInt("axis", 0), rank);
  if (!axis)
    return failure();
  SmallVector<Value> values;
  for (int i = 0; i < node.numInputs(); ++i) {
    if (!node.hasInput(i))
      continue;
    if (node.rank(i) != rank || node.dtype(i) != node.dtype(0))
      return node.error("input " + Twine(i) +
                        " differs from input 0 in rank or type");
    for (int64_t d = 0; d < rank; ++d)
      if (d != *axis && node.shape(i)[d] != node.shape(0)[d])
        return node.error("input " + Twine(i) +
                          " differs from input 0 in dimension " + Twine(d));
    if (getNumElements(node.shape(i)) == 0)
      continue;
    values.push_back(node.value(i));
  }
  Value y = values.size() == 1 ? values.front()
                               : Value(tensor::ConcatOp::create(
                                     node.builder, node.loc(), *axis, values));
  forward(node, y);
  return success();
}

/// Indices 0..n-1 mapped through `fn`.
static SmallVector<int64_t>
indexTable(int64_t n, llvm::function_ref<int64_t(int64_t)> fn) {
  SmallVector<int64_t> t;
  for (int64_t i = 0; i < n; ++i)
    t.push_back(fn(i));
  return t;
}

static LogicalResult importSlice(NodeContext &node) {
  FailureOr<SliceSpec> spec = getSliceSpec(node, node.shape(0));
  if (failed(spec))
    return failure();
  OpBuilder &b = node.builder;
  Value x = node.rawValue(0);
  SmallVector<int64_t> offsets(spec->start), strides(spec->step);
  SmallVector<int> negative;
  for (size_t d = 0; d < strides.size(); ++d)
    if (strides[d] < 0) {
      // Positive steps first; reversed below.
      negative.push_back(d);
      int64_t last = spec->start[d] + (spec->size[d] - 1) * spec->step[d];
      offsets[d] = spec->size[d] ? last : 0;
      strides[d] = -strides[d];
    }
  Value y = x;
  if (offsets != SmallVector<int64_t>(offsets.size(), 0) ||
      ArrayRef<int64_t>(spec->size) != node.shape(0) ||
      strides != SmallVector<int64_t>(strides.size(), 1))
    y = buildExtractSlice(b, node.loc("slice"), x, offsets, spec->size,
                          strides);
  for (int d : negative) {
    int64_t n = spec->size[d];
    y = buildGather(b, node.loc("reverse"), y, d,
                    indexTable(n, [&](int64_t i) { return n - 1 - i; }), {n});
  }
  forward(node, y);
  return success();
}

static LogicalResult importGather(NodeContext &node) {
  std::optional<int64_t> axis =
      node.normalizeAxis(node.getInt("axis", 0), node.rank(0));
  if (!axis)
    return failure();
  FailureOr<SmallVector<int64_t>> indices = node.getConstantInts(1, "indices");
  if (failed(indices))
    return failure();
  int64_t dim = node.shape(0)[*axis];
  for (int64_t &i : *indices) {
    if (i < -dim || i >= dim)
      return node.error("index " + Twine(i) + " is out of range for axis " +
                        Twine(*axis) + " of size " + Twine(dim));
    if (i < 0)
      i += dim;
  }
  forward(node, buildGather(node.builder, node.loc(), node.value(0), *axis,
                            *indices, node.shape(1)));
  return success();
}

static LogicalResult importPad(NodeContext &node) {
  int64_t rank = node.rank(0);
  std::string mode = node.getString("mode", "constant");
  SmallVector<int64_t> pads;
  double value = 0.0;
  if (node.opset < 11) {
    pads = node.getInts("pads");
    value = node.getFloat("value", 0.0);
  } else {
    FailureOr<SmallVector<int64_t>> p = node.getConstantInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (node.hasInput(2)) {
      const HostTensor *c = node.constant(2);
      if (!c)
        return node.error("constant_value must be known at import time");
      if (c->size() > 0)
        value = c->getReal(0);
    }
  }
  SmallVector<int64_t> axes;
  if (node.hasInput(3)) {
    FailureOr<SmallVector<int64_t>> a = node.getConstantInts(3, "axes");
    if (failed(a))
      return failure();
    for (int64_t axis : *a) {
      std::optional<int64_t> n = node.normalizeAxis(axis, rank);
      if (!n)
        return failure();
      axes.push_back(*n);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (pads.size() != 2 * axes.size())
    return node.error("pads has " + Twine(pads.size()) + " values, " +
                      Twine(2 * axes.size()) + " expected");
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    low[axes[i]] = pads[i];
    high[axes[i]] = pads[i + axes.size()];
  }
  OpBuilder &b = node.builder;
  Value x = node.value(0);
  // Negative pads crop.
  SmallVector<int64_t> offsets(rank, 0), sizes(node.shape(0));
  bool crop = false;
  for (int64_t d = 0; d < rank; ++d) {
    if (low[d] < 0)
      offsets[d] = -low[d], sizes[d] += low[d], low[d] = 0, crop = true;
    if (high[d] < 0)
      sizes[d] += high[d], high[d] = 0, crop = true;
  }
  if (crop)
    x = buildExtractSlice(b, node.loc("crop"), x, offsets, sizes,
                          SmallVector<int64_t>(rank, 1));
  Value y;
  if (mode == "constant") {
    y = buildPad(b, node.loc(), x, low, high, value);
  } else if (mode == "reflect" || mode == "edge") {
    y = x;
    for (int64_t d = 0; d < rank; ++d) {
      if (!low[d] && !high[d])
        continue;
      int64_t n = getShape(y)[d];
      if (mode == "reflect" && (low[d] >= n || high[d] >= n))
        return node.error("reflect padding larger than the input");
      if (failed(
              node.checkHostSize({n + low[d] + high[d]}, "the padded input")))
        return failure();
      SmallVector<int64_t> table =
          indexTable(n + low[d] + high[d], [&](int64_t i) {
            int64_t j = i - low[d];
            if (mode == "edge")
              return std::clamp<int64_t>(j, 0, n - 1);
            if (j < 0)
              return -j;
            if (j >= n)
              return 2 * (n - 1) - j;
            return j;
          });
      y = buildGather(b, node.loc("pad"), y, d, table,
                      {static_cast<int64_t>(table.size())});
    }
  } else {
    return node.error("pad mode '" + mode + "' is not supported");
  }
  forward(node, y);
  return success();
}

static LogicalResult importSplit(NodeContext &node) {
  int64_t rank = node.rank(0);
  std::optional<int64_t> axis =
      node.normalizeAxis(node.getInt("axis", 0), rank);
  if (!axis)
    return failure();
  int64_t dim = node.shape(0)[*axis];
  SmallVector<int64_t> sizes;
  if (node.opset < 13) {
    sizes = node.getInts("split");
  } else if (node.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> s = node.getConstantInts(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  }
  int64_t parts = node.numOutputs();
  if (sizes.empty()) {
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - i * chunk)));
  }
  int64_t total = 0;
  for (int64_t s : sizes)
    total += s;
  if (static_cast<int64_t>(sizes.size()) != parts || total != dim)
    return node.error("split sizes do not add up to dimension " + Twine(*axis) +
                      " (" + Twine(dim) + ") over " + Twine(parts) +
                      " outputs");
  Value x = node.rawValue(0);
  int64_t offset = 0;
  for (int64_t i = 0; i < parts; ++i) {
    SmallVector<int64_t> offsets(rank, 0), shape(node.shape(0));
    offsets[*axis] = offset;
    shape[*axis] = sizes[i];
    offset += sizes[i];
    Value part = buildExtractSlice(node.builder, node.outputLoc(i), x, offsets,
                                   shape, SmallVector<int64_t>(rank, 1));
    TensorValue v;
    v.dtype = node.dtype(0);
    v.value = part;
    v.shape = shape;
    node.setOutput(i, std::move(v));
  }
  return success();
}

static LogicalResult importExpand(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> target = node.getConstantInts(1, "shape");
  if (failed(target))
    return failure();
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(node.shape(0), *target);
  if (!shape)
    return node.error("cannot expand the input to the given shape");
  Value x = node.value(0);
  forward(node, buildElementwise(
                    node.builder, node.loc(), {x}, *shape, getElementTypeOf(x),
                    [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
  return success();
}

static LogicalResult importTile(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> repeats = node.getConstantInts(1, "repeats");
  if (failed(repeats))
    return failure();
  if (static_cast<int64_t>(repeats->size()) != node.rank(0))
    return node.error("repeats has " + Twine(repeats->size()) +
                      " values for an input of rank " + Twine(node.rank(0)));
  SmallVector<int64_t> tiled;
  for (int64_t d = 0; d < node.rank(0); ++d)
    tiled.push_back(node.shape(0)[d] * (*repeats)[d]);
  if (failed(node.checkHostSize(tiled, "the tiled result")))
    return failure();
  Value y = node.value(0);
  for (int64_t d = 0; d < node.rank(0); ++d) {
    if ((*repeats)[d] == 1)
      continue;
    int64_t n = node.shape(0)[d], m = n * (*repeats)[d];
    y = buildGather(node.builder, node.loc("tile"), y, d,
                    indexTable(m, [&](int64_t i) { return i % n; }), {m});
  }
  forward(node, y);
  return success();
}

static LogicalResult importDepthToSpace(NodeContext &node, bool toSpace) {
  if (node.rank(0) != 4)
    return node.error("input must have rank 4");
  int64_t bs = node.getInt("blocksize", 0);
  ArrayRef<int64_t> s = node.shape(0);
  int64_t N = s[0], C = s[1], H = s[2], W = s[3];
  OpBuilder &b = node.builder;
  Value x = node.rawValue(0);
  if (bs <= 0)
    return node.error("blocksize must be positive");
  Value y;
  if (toSpace) {
    if (C % (bs * bs))
      return node.error("channels are not a multiple of blocksize^2");
    bool crd = node.getString("mode", "DCR") == "CRD";
    int64_t c = C / (bs * bs);
    if (crd) {
      y = buildReshape(b, node.loc("split"), x, {N, c, bs, bs, H, W});
      y = buildTranspose(b, node.loc("permute"), y, {0, 1, 4, 2, 5, 3});
    } else {
      y = buildReshape(b, node.loc("split"), x, {N, bs, bs, c, H, W});
      y = buildTranspose(b, node.loc("permute"), y, {0, 3, 4, 1, 5, 2});
    }
    y = buildReshape(b, node.loc(), y, {N, c, H * bs, W * bs});
  } else {
    if (H % bs || W % bs)
      return node.error("height and width are not multiples of blocksize");
    y = buildReshape(b, node.loc("split"), x, {N, C, H / bs, bs, W / bs, bs});
    y = buildTranspose(b, node.loc("permute"), y, {0, 3, 5, 1, 2, 4});
    y = buildReshape(b, node.loc(), y, {N, C * bs * bs, H / bs, W / bs});
  }
  forward(node, y);
  return success();
}

/// Resize (and the older Upsample) with nearest or linear interpolation, one
/// axis at a time: each output index reads one input index (nearest) or two
/// with weights (linear), all computed at import time.
static LogicalResult importResize(NodeContext &node) {
  bool upsample = node.node.op_type() == "Upsample";
  int64_t rank = node.rank(0);
  ArrayRef<int64_t> in = node.shape(0);
  std::string mode = node.getString("mode", "nearest");
  if (mode != "nearest" && mode != "linear" && mode != "bilinear")
    return node.error("mode '" + mode +
                      "' is not supported (nearest and linear are)");
  std::string transform =
      node.getString("coordinate_transformation_mode",
                     upsample || node.opset < 11 ? "asymmetric" : "half_pixel");
  std::string nearestMode = node.getString(
      "nearest_mode",
      upsample || node.opset < 11 ? "floor" : "round_prefer_floor");
  if (transform == "tf_crop_and_resize")
    return node.error("coordinate_transformation_mode 'tf_crop_and_resize' "
                      "is not supported");
  if (node.getInt("antialias", 0))
    return node.error("antialias is not supported");
  if (node.hasAttr("axes"))
    return node.error("the axes attribute is not supported");
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
  int scalesInput = upsample || node.opset < 11 ? 1 : 2;
  int sizesInput = upsample || node.opset < 11 ? -1 : 3;
  if (upsample && node.opset < 9) {
    scales = node.getFloats("scales");
  } else {
    if (node.hasInput(scalesInput) &&
        getNumElements(node.shape(scalesInput)) > 0) {
      const HostTensor *c = node.constant(scalesInput);
      if (!c)
        return node.error("scales must be known at import time");
      for (double v : c->toReals())
        scales.push_back(v);
    }
    if (sizesInput > 0 && node.hasInput(sizesInput)) {
      FailureOr<SmallVector<int64_t>> s =
          node.getConstantInts(sizesInput, "sizes");
      if (failed(s))
        return failure();
      sizes = *s;
    }
  }
  if (!sizes.empty()) {
    if (static_cast<int64_t>(sizes.size()) != rank)
      return node.error("sizes has " + Twine(sizes.size()) +
                        " values for an input of rank " + Twine(rank));
    scales.clear();
    for (int64_t d = 0; d < rank; ++d)
      scales.push_back(static_cast<double>(sizes[d]) / in[d]);
  } else {
    if (static_cast<int64_t>(scales.size()) != rank)
      return node.error("scales has " + Twine(scales.size()) +
                        " values for an input of rank " + Twine(rank));
    for (int64_t d = 0; d < rank; ++d) {
      if (scales[d] <= 0)
        return node.error("scales must be positive");
      sizes.push_back(static_cast<int64_t>(std::floor(in[d] * scales[d])));
    }
  }
  OpBuilder &b = node.builder;
  Value y = node.value(0);
  Type element = getElementTypeOf(y);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t n = in[d], m = sizes[d];
    double scale = scales[d];
    if (n == m && scale == 1.0)
      continue;
    auto original = [&](int64_t i) -> double {
      if (transform == "half_pixel")
        return (i + 0.5) / scale - 0.5;
      if (transform == "pytorch_half_pixel")
        return m > 1 ? (i + 0.5) / scale - 0.5 : 0.0;
      if (transform == "align_corners")
        return m == 1 ? 0.0 : static_cast<double>(i) * (n - 1) / (m - 1);
      if (transform == "tf_half_pixel_for_nearest")
        return (i + 0.5) / scale;
      if (transform == "half_pixel_symmetric") {
        double adjustment = static_cast<double>(m) / (n * scale);
        double center = n / 2.0;
        double offset = center * (1 - adjustment);
        return offset + (i + 0.5) / scale - 0.5;
      }
      return i / scale; // asymmetric
    };
    if (transform != "half_pixel" && transform != "pytorch_half_pixel" &&
        transform != "align_corners" && transform != "asymmetric" &&
        transform != "tf_half_pixel_for_nearest" &&
        transform != "half_pixel_symmetric")
      return node.error("coordinate_transformation_mode '" + transform +
                        "' is not supported");
    Location loc = node.loc("axis" + std::to_string(d));
    if (failed(node.checkHostSize({m}, "the resized dimension")))
      return failure();
    if (mode == "nearest") {
      SmallVector<int64_t> table = indexTable(m, [&](int64_t i) {
        double x = original(i);
        double r;
        if (nearestMode == "floor")
          r = std::floor(x);
        else if (nearestMode == "ceil")
          r = std::ceil(x);
        else if (nearestMode == "round_prefer_ceil")
          r = std::floor(x + 0.5);
        else // round_prefer_floor
          r = x - std::floor(x) == 0.5 ? std::floor(x) : std::round(x);
        return std::clamp<int64_t>(static_cast<int64_t>(r), 0, n - 1);
      });
      y = buildGather(b, loc, y, d, table, {m});
      continue;
    }
    SmallVector<int64_t> lo, hi;
    HostTensor weight(TensorProto::FLOAT, {m});
    for (int64_t i = 0; i < m; ++i) {
      double x = std::clamp(original(i), 0.0, static_cast<double>(n - 1));
      int64_t x0 = static_cast<int64_t>(std::floor(x));
      int64_t x1 = std::min<int64_t>(x0 + 1, n - 1);
      lo.push_back(x0);
      hi.push_back(x1);
      weight.set(i, x - x0);
    }
    Value a = buildGather(b, loc, y, d, lo, {m});
    Value c = buildGather(b, loc, y, d, hi, {m});
    SmallVector<int64_t> weightShape(rank - d, 1);
    weightShape[0] = m;
    weight.shape = weightShape;
    Value w = node.graph.constantValue(
        weight, node.node.output(0) + "/weights" + std::to_string(d));
    y = buildElementwise(
        b, loc, {a, c, w}, getShape(a), element,
        [](OpBuilder &nb, Location l, ValueRange v) {
          // a + (c - a) * w
          Value diff = arith::SubFOp::create(nb, l, v[1], v[0]);
          return arith::AddFOp::create(
              nb, l, v[0], arith::MulFOp::create(nb, l, diff, v[2]));
        });
  }
  forward(node, y);
  return success();
}

void registerDataMovementOps(OpRegistry &registry) {
  registry.add("Identity", importIdentity);
  registry.add("Dropout", importIdentity);
  for (StringRef op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze"})
    registry.add(
        op, [op](NodeContext &node) { return importReshapeLike(node, op); });
  registry.add("Transpose", importTranspose);
  registry.add("Concat", importConcat);
  registry.add("Slice", importSlice);
  registry.add("Gather", importGather);
  registry.add("Pad", importPad);
  registry.add("Split", importSplit);
  registry.add("Expand", importExpand);
  registry.add("Tile", importTile);
  registry.add("DepthToSpace", [](NodeContext &node) {
    return importDepthToSpace(node, true);
  });
  registry.add("SpaceToDepth", [](NodeContext &node) {
    return importDepthToSpace(node, false);
  });
  registry.add("Resize", importResize);
  registry.add("Upsample", importResize);
}

} // namespace onnx_import
} // namespace qnn
