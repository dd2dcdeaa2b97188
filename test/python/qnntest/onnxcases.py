"""Small ONNX models for the importer's tests, built with onnx.helper at test
time (no binary model is committed), each with an independent reference.

    python -m qnntest.onnxcases NAME OUT.onnx     writes one model
    python -m qnntest.onnxcases --list            names them

A case is a model, the shapes of its inputs and a reference written with
torch.nn.functional / numpy that computes the expected outputs from the same
inputs. test/Import/ONNX/*.test FileCheck the IR of these models;
test/Import/ONNX/numerics.py runs them and compares with the reference.
"""

import sys
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT


@dataclass
class Case:
    model: onnx.ModelProto
    # Graph inputs in order, with the shapes to feed (static).
    inputs: Dict[str, tuple]
    # inputs (numpy, in order) -> expected outputs (numpy, in order).
    reference: Optional[Callable] = None
    # qnn-import-onnx flags the case needs.
    flags: List[str] = field(default_factory=list)
    # Tolerances of the comparison (fp32 ops in a different order).
    atol: float = 1e-4
    rtol: float = 1e-4
    # numpy dtypes of inputs that are not float32 (random integers of the
    # type's range are fed).
    dtypes: Dict[str, type] = field(default_factory=dict)


def rng(seed):
    return np.random.default_rng(seed)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def make(nodes, inputs, outputs, initializers=(), opset=13, types=None):
    """inputs/outputs: (name, shape) with shape None for unknown; `types`
    gives the element type of inputs and outputs that are not float."""
    types = types or {}
    graph = helper.make_graph(
        nodes,
        "test",
        [helper.make_tensor_value_info(n, types.get(n, F32), s) for n, s in inputs],
        [helper.make_tensor_value_info(n, types.get(n, F32), s) for n, s in outputs],
        list(initializers),
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="qnn-test"
    )
    model.ir_version = 7
    return typed(model)


def typed(model):
    """The model with its output shapes filled in by onnx's own shape
    inference (which cross-checks the cases), and checked."""
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    onnx.checker.check_model(model)
    return model


def torch_fn():
    import torch
    import torch.nn.functional as F

    return torch, F


def t(x):
    torch, _ = torch_fn()
    return torch.from_numpy(np.ascontiguousarray(x))


def n(x):
    return x.detach().numpy().astype(np.float32)


CASES: Dict[str, Callable[[], Case]] = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


# --- Contractions -----------------------------------------------------------


@case
def conv_pads_strides():
    r = rng(1)
    w = r.standard_normal((4, 3, 3, 2)).astype(np.float32)
    b = r.standard_normal(4).astype(np.float32)
    node = helper.make_node(
        "Conv", ["x", "w", "b"], ["y"], name="conv",
        pads=[1, 0, 2, 1], strides=[2, 1], dilations=[1, 2])
    model = make([node], [("x", [1, 3, 9, 10])], [("y", None)], [const("w", w), const("b", b)])

    def ref(x):
        torch, F = torch_fn()
        xp = F.pad(t(x), (0, 1, 1, 2))  # (left, right, top, bottom)
        return [n(F.conv2d(xp, t(w), t(b), stride=(2, 1), dilation=(1, 2)))]

    return Case(model, {"x": (1, 3, 9, 10)}, ref)


@case
def conv_groups():
    r = rng(2)
    w = r.standard_normal((6, 2, 3, 3)).astype(np.float32)
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv", group=2, pads=[1, 1, 1, 1])
    model = make([node], [("x", [2, 4, 6, 5])], [("y", None)], [const("w", w)])

    def ref(x):
        torch, F = torch_fn()
        return [n(F.conv2d(t(x), t(w), padding=1, groups=2))]

    return Case(model, {"x": (2, 4, 6, 5)}, ref)


@case
def conv_depthwise():
    r = rng(3)
    w = r.standard_normal((6, 1, 3, 3)).astype(np.float32)
    b = r.standard_normal(6).astype(np.float32)
    node = helper.make_node(
        "Conv", ["x", "w", "b"], ["y"], name="dw", group=3, strides=[2, 2], auto_pad="SAME_UPPER")
    model = make([node], [("x", [1, 3, 7, 8])], [("y", None)], [const("w", w), const("b", b)])

    def ref(x):
        torch, F = torch_fn()
        # SAME_UPPER, stride 2: out = ceil(in / 2); total pad = (out-1)*2+3-in.
        xp = F.pad(t(x), (0, 1, 1, 1))  # W 8: total 1 (0 left, 1 right); H 7: total 2
        return [n(F.conv2d(xp, t(w), t(b), stride=2, groups=3))]

    return Case(model, {"x": (1, 3, 7, 8)}, ref)


@case
def conv_bn():
    """Conv -> BatchNormalization -> Relu: the normalization is folded."""
    r = rng(4)
    w = r.standard_normal((5, 3, 3, 3)).astype(np.float32)
    b = r.standard_normal(5).astype(np.float32)
    gamma = r.uniform(0.5, 1.5, 5).astype(np.float32)
    beta = r.standard_normal(5).astype(np.float32)
    mean = r.standard_normal(5).astype(np.float32)
    var = r.uniform(0.5, 2.0, 5).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node(
            "BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["bn"],
            name="bn", epsilon=1e-3),
        helper.make_node("Relu", ["bn"], ["y"], name="relu"),
    ]
    inits = [const(k, v) for k, v in
             dict(w=w, b=b, gamma=gamma, beta=beta, mean=mean, var=var).items()]
    model = make(nodes, [("x", [1, 3, 6, 6])], [("y", None)], inits)

    def ref(x):
        torch, F = torch_fn()
        c = F.conv2d(t(x), t(w), t(b), padding=1)
        bn = F.batch_norm(c, t(mean), t(var), t(gamma), t(beta), False, 0.0, 1e-3)
        return [n(F.relu(bn))]

    return Case(model, {"x": (1, 3, 6, 6)}, ref)


@case
def batchnorm():
    """BatchNormalization of a graph input: not foldable, a scale and shift."""
    r = rng(5)
    p = [r.uniform(0.5, 1.5, 3).astype(np.float32) for _ in range(4)]
    node = helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], name="bn")
    model = make([node], [("x", [2, 3, 4, 4])], [("y", None)],
                 [const(k, v) for k, v in zip("sbmv", p)])

    def ref(x):
        torch, F = torch_fn()
        return [n(F.batch_norm(t(x), t(p[2]), t(p[3]), t(p[0]), t(p[1]), False, 0.0, 1e-5))]

    return Case(model, {"x": (2, 3, 4, 4)}, ref)


@case
def conv1d():
    r = rng(6)
    w = r.standard_normal((4, 2, 3)).astype(np.float32)
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv1d", pads=[2, 1], strides=[2])
    model = make([node], [("x", [1, 2, 11])], [("y", None)], [const("w", w)])

    def ref(x):
        torch, F = torch_fn()
        return [n(F.conv1d(F.pad(t(x), (2, 1)), t(w), stride=2))]

    return Case(model, {"x": (1, 2, 11)}, ref)


@case
def gemm():
    r = rng(7)
    b = r.standard_normal((4, 5)).astype(np.float32)
    c = r.standard_normal(4).astype(np.float32)
    node = helper.make_node(
        "Gemm", ["a", "b", "c"], ["y"], name="fc", transB=1, alpha=0.5, beta=2.0)
    model = make([node], [("a", [3, 5])], [("y", None)], [const("b", b), const("c", c)])

    def ref(a):
        return [(0.5 * a @ b.T + 2.0 * c).astype(np.float32)]

    return Case(model, {"a": (3, 5)}, ref)


@case
def matmul():
    """Batched x matrix (constant), and batched x batched (both run time)."""
    r = rng(8)
    w = r.standard_normal((4, 5)).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["a", "w"], ["y0"], name="mm_const"),
        helper.make_node("MatMul", ["a", "b"], ["y1"], name="mm_batched"),
    ]
    model = make(nodes, [("a", [2, 3, 4]), ("b", [2, 4, 6])], [("y0", None), ("y1", None)],
                 [const("w", w)])

    def ref(a, b):
        return [a @ w, a @ b]

    return Case(model, {"a": (2, 3, 4), "b": (2, 4, 6)}, ref)


# --- Elementwise ------------------------------------------------------------


@case
def elementwise():
    r = rng(9)
    bias = r.standard_normal((3, 1)).astype(np.float32)
    nodes = [
        helper.make_node("Add", ["x", "bias"], ["add"], name="add"),
        helper.make_node("Sub", ["x", "z"], ["sub"], name="sub"),
        helper.make_node("Mul", ["add", "z"], ["mul"], name="mul"),
        helper.make_node("Div", ["x", "two"], ["div"], name="div"),
        helper.make_node("Relu", ["x"], ["relu"], name="relu"),
        helper.make_node("Sigmoid", ["x"], ["sigmoid"], name="sigmoid"),
        helper.make_node("Tanh", ["x"], ["tanh"], name="tanh"),
        helper.make_node("Clip", ["x", "lo", "hi"], ["clip"], name="clip"),
        helper.make_node("Clip", ["x", "", "hi"], ["clip_hi"], name="clip_hi"),
        helper.make_node("LeakyRelu", ["x"], ["leaky"], name="leaky", alpha=0.1),
        helper.make_node("HardSigmoid", ["x"], ["hsig"], name="hsig"),
        helper.make_node("HardSwish", ["x"], ["hswish"], name="hswish"),
        helper.make_node("Max", ["x", "z"], ["max"], name="max"),
        helper.make_node("Min", ["x", "z"], ["min"], name="min"),
    ]
    outs = [nd.output[0] for nd in nodes]
    inits = [const("bias", bias), const("two", np.float32(2.0)),
             const("lo", np.float32(-0.5)), const("hi", np.float32(0.75))]
    model = make(nodes, [("x", [2, 3, 4]), ("z", [4])], [(o, [2, 3, 4]) for o in outs], inits,
                 opset=14)

    def ref(x, z):
        torch, F = torch_fn()
        add = x + bias
        return [add, x - z, add * z, x / 2, np.maximum(x, 0), n(torch.sigmoid(t(x))),
                np.tanh(x), np.clip(x, -0.5, 0.75), np.minimum(x, 0.75),
                np.where(x > 0, x, 0.1 * x), np.clip(0.2 * x + 0.5, 0, 1),
                n(F.hardswish(t(x))), np.maximum(x, z), np.minimum(x, z)]

    return Case(model, {"x": (2, 3, 4), "z": (4,)}, ref)


@case
def clip_opset9():
    """Clip's attribute form (before opset 11)."""
    node = helper.make_node("Clip", ["x"], ["y"], name="clip", min=0.0, max=6.0)
    model = make([node], [("x", [2, 5])], [("y", None)], opset=9)
    return Case(model, {"x": (2, 5)}, lambda x: [np.clip(x * 1, 0, 6)])


@case
def softmax():
    nodes = [helper.make_node("Softmax", ["x"], ["y"], name="softmax")]
    model = make(nodes, [("x", [2, 3, 5])], [("y", None)])

    def ref(x):
        torch, F = torch_fn()
        return [n(F.softmax(t(x), dim=-1))]

    return Case(model, {"x": (2, 3, 5)}, ref)


@case
def softmax_opset11():
    """Before opset 13, Softmax normalizes over all dimensions from axis on."""
    nodes = [helper.make_node("Softmax", ["x"], ["y"], name="softmax", axis=1)]
    model = make(nodes, [("x", [2, 3, 5])], [("y", None)], opset=11)

    def ref(x):
        torch, F = torch_fn()
        return [n(F.softmax(t(x).reshape(2, 15), dim=1)).reshape(2, 3, 5)]

    return Case(model, {"x": (2, 3, 5)}, ref)


@case
def activations():
    """The other unary activations and math functions, PRelu, Pow."""
    slope = np.array([0.1, -0.2, 0.3], np.float32).reshape(3, 1)
    # (Erf imports as math.erf, which qnn-lower-to-llvm does not lower yet.)
    unary = ["Elu", "Selu", "Softplus", "Exp", "Floor", "Ceil", "Round", "Neg", "Abs",
             "Sin", "Cos"]
    nodes = [helper.make_node(op, ["x"], [op.lower()], name=op.lower()) for op in unary]
    nodes += [
        helper.make_node("Abs", ["x"], ["ax"], name="ax"),
        helper.make_node("Add", ["ax", "one"], ["pos"], name="pos"),
        helper.make_node("Log", ["pos"], ["log"], name="log"),
        helper.make_node("Sqrt", ["pos"], ["sqrt"], name="sqrt"),
        helper.make_node("Reciprocal", ["pos"], ["reciprocal"], name="reciprocal"),
        helper.make_node("PRelu", ["x", "slope"], ["prelu"], name="prelu"),
        helper.make_node("Pow", ["pos", "e"], ["pow"], name="pow"),
        helper.make_node("Pow", ["x", "two"], ["square"], name="square"),
        helper.make_node("Sum", ["x", "pos", "x"], ["sum"], name="sum"),
        helper.make_node("Mean", ["x", "pos"], ["mean"], name="mean"),
    ]
    outs = [nd.output[0] for nd in nodes if nd.name not in ("ax", "pos")]
    inits = [const("one", np.float32(1.0)), const("slope", slope), const("e", np.float32(1.5)),
             const("two", np.float32(2.0))]
    model = make(nodes, [("x", [2, 3, 4])], [(o, [2, 3, 4]) for o in outs], inits)

    def ref(x):
        torch, F = torch_fn()
        xt = t(x)
        pos = np.abs(x) + 1
        return [n(F.elu(xt)), n(F.selu(xt)), n(F.softplus(xt)), np.exp(x),
                np.floor(x), np.ceil(x), np.rint(x), -x, np.abs(x), np.sin(x), np.cos(x),
                np.log(pos), np.sqrt(pos), 1 / pos, np.where(x >= 0, x, slope * x),
                pos ** 1.5, x * x, 2 * x + pos, (x + pos) / 2]

    return Case(model, {"x": (2, 3, 4)}, ref, atol=2e-5, rtol=2e-5)


@case
def normalization():
    """LayerNormalization (opset 17), LogSoftmax, the other reductions."""
    r = rng(15)
    gamma = r.uniform(0.5, 1.5, 5).astype(np.float32)
    beta = r.standard_normal(5).astype(np.float32)
    nodes = [
        helper.make_node("LayerNormalization", ["x", "gamma", "beta"], ["ln"], name="ln",
                         axis=-1, epsilon=1e-3),
        helper.make_node("LogSoftmax", ["x"], ["logsoftmax"], name="logsoftmax", axis=1),
        helper.make_node("ReduceSum", ["x", "axes"], ["rsum"], name="rsum", keepdims=0),
        helper.make_node("ReduceMax", ["x"], ["rmax"], name="rmax", axes=[2]),
        helper.make_node("ReduceMin", ["x"], ["rmin"], name="rmin", axes=[0, 2], keepdims=0),
        helper.make_node("ReduceL2", ["x"], ["rl2"], name="rl2", axes=[1]),
        helper.make_node("GlobalMaxPool", ["x4"], ["gmp"], name="gmp"),
    ]
    outs = [nd.output[0] for nd in nodes]
    inits = [const("gamma", gamma), const("beta", beta), const("axes", np.array([1], np.int64))]
    model = make(nodes, [("x", [2, 3, 5]), ("x4", [1, 3, 4, 4])], [(o, None) for o in outs],
                 inits, opset=17)

    def ref(x, x4):
        torch, F = torch_fn()
        return [n(F.layer_norm(t(x), (5,), t(gamma), t(beta), 1e-3)),
                n(F.log_softmax(t(x), dim=1)), x.sum(axis=1), x.max(axis=2, keepdims=True),
                x.min(axis=(0, 2)), np.sqrt((x * x).sum(axis=1, keepdims=True)),
                x4.max(axis=(2, 3), keepdims=True)]

    return Case(model, {"x": (2, 3, 5), "x4": (1, 3, 4, 4)}, ref, atol=2e-5, rtol=2e-5)


@case
def conv_transpose():
    r = rng(16)
    w = r.standard_normal((3, 2, 3, 3)).astype(np.float32)
    b = r.standard_normal(2).astype(np.float32)
    node = helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], name="deconv",
                            strides=[2, 2], pads=[1, 0, 1, 1], output_padding=[1, 0])
    model = make([node], [("x", [1, 3, 4, 5])], [("y", None)], [const("w", w), const("b", b)])

    def ref(x):
        torch, F = torch_fn()
        # torch pads symmetrically: compute with pads 0, then crop ONNX's.
        full = F.conv_transpose2d(t(x), t(w), t(b), stride=2, output_padding=(1, 0))
        return [n(full[:, :, 1:full.shape[2] - 1, 0:full.shape[3] - 1])]

    return Case(model, {"x": (1, 3, 4, 5)}, ref)


def space_to_depth(x, bs):
    """ONNX's definition (depth index = (row * bs + column) * C + channel;
    torch's pixel_unshuffle orders the channels differently)."""
    b, c, h, w = x.shape
    tmp = x.reshape(b, c, h // bs, bs, w // bs, bs).transpose(0, 3, 5, 1, 2, 4)
    return tmp.reshape(b, c * bs * bs, h // bs, w // bs)


@case
def data_movement2():
    """Gather, Split, Expand, Tile, DepthToSpace, SpaceToDepth, Where, Cast,
    comparisons, Resize (nearest, linear)."""
    nodes = [
        helper.make_node("Gather", ["x", "idx"], ["gather"], name="gather", axis=1),
        helper.make_node("Split", ["x", "split"], ["s0", "s1"], name="split", axis=3),
        helper.make_node("Expand", ["col", "shape"], ["expand"], name="expand"),
        helper.make_node("Tile", ["x", "reps"], ["tile"], name="tile"),
        helper.make_node("DepthToSpace", ["x"], ["d2s"], name="d2s", blocksize=2, mode="CRD"),
        helper.make_node("SpaceToDepth", ["x"], ["s2d"], name="s2d", blocksize=2),
        helper.make_node("Greater", ["x", "zero"], ["gt"], name="gt"),
        helper.make_node("Where", ["gt", "x", "zero"], ["where"], name="where"),
        helper.make_node("Cast", ["gt"], ["cast"], name="cast", to=TensorProto.FLOAT),
        helper.make_node("Resize", ["x", "", "scales"], ["nearest"], name="nearest",
                         mode="nearest"),
        helper.make_node("Resize", ["x", "", "scales"], ["linear"], name="linear",
                         mode="linear", coordinate_transformation_mode="half_pixel"),
    ]
    outs = ["gather", "s0", "s1", "expand", "tile", "d2s", "s2d", "where", "cast", "nearest",
            "linear"]
    inits = [const("idx", np.array([[3, 0], [1, 1]], np.int64)),
             const("split", np.array([1, 3], np.int64)),
             const("shape", np.array([2, 4, 3], np.int64)),
             const("reps", np.array([1, 2, 1, 2], np.int64)),
             const("zero", np.float32(0.0)),
             const("scales", np.array([1, 1, 2, 2], np.float32))]
    model = make(nodes, [("x", [1, 4, 2, 4]), ("col", [4, 1])], [(o, None) for o in outs], inits)

    def ref(x, col):
        torch, F = torch_fn()
        xt = t(x)
        return [x[:, [[3, 0], [1, 1]]], x[..., :1], x[..., 1:], np.broadcast_to(col, (2, 4, 3)),
                np.tile(x, (1, 2, 1, 2)), n(F.pixel_shuffle(xt, 2)), space_to_depth(x, 2),
                np.where(x > 0, x, 0), (x > 0).astype(np.float32),
                n(F.interpolate(xt, scale_factor=2, mode="nearest")),
                n(F.interpolate(xt, scale_factor=2, mode="bilinear", align_corners=False))]

    return Case(model, {"x": (1, 4, 2, 4), "col": (4, 1)}, ref)


# --- Pooling ----------------------------------------------------------------


@case
def pooling():
    nodes = [
        helper.make_node("MaxPool", ["x"], ["max"], name="maxpool",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("MaxPool", ["x"], ["max_ceil"], name="maxpool_ceil",
                         kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["x"], ["avg"], name="avgpool",
                         kernel_shape=[3, 2], strides=[1, 2], pads=[1, 0, 1, 1]),
        helper.make_node("AveragePool", ["x"], ["avg_incl"], name="avgpool_incl",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1),
        helper.make_node("GlobalAveragePool", ["x"], ["gap"], name="gap"),
    ]
    outs = [nd.output[0] for nd in nodes]
    model = make(nodes, [("x", [1, 2, 7, 9])], [(o, None) for o in outs])

    def ref(x):
        torch, F = torch_fn()
        xt = t(x)
        return [
            n(F.max_pool2d(xt, 3, 2, 1)),
            n(F.max_pool2d(xt, 2, 2, ceil_mode=True)),
            # pads [top=1, left=0, bottom=1, right=1], excluded from the count.
            n(F.avg_pool2d(F.pad(xt, (0, 1, 1, 1)), (3, 2), (1, 2))
              / F.avg_pool2d(F.pad(torch.ones_like(xt), (0, 1, 1, 1)), (3, 2), (1, 2))),
            n(F.avg_pool2d(xt, 3, 1, 1, count_include_pad=True)),
            x.mean(axis=(2, 3), keepdims=True),
        ]

    return Case(model, {"x": (1, 2, 7, 9)}, ref)


# --- Shapes and data movement -----------------------------------------------


@case
def shape_subgraph():
    """Reshape whose target comes from Shape -> Gather -> Unsqueeze -> Concat:
    folded to a constant, the IR has only the reshape."""
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="gather", axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"], name="unsqueeze"),
        helper.make_node("Concat", ["batch1", "minus1"], ["target"], name="concat", axis=0),
        helper.make_node("Reshape", ["x", "target"], ["y"], name="reshape"),
    ]
    inits = [const("zero", np.int64(0)), const("axes0", np.array([0], np.int64)),
             const("minus1", np.array([-1], np.int64))]
    model = make(nodes, [("x", [2, 3, 4])], [("y", [2, 12])], inits)
    return Case(model, {"x": (2, 3, 4)}, lambda x: [x.reshape(2, -1)])


@case
def data_movement():
    nodes = [
        helper.make_node("Flatten", ["x"], ["flat"], name="flatten", axis=2),
        helper.make_node("Transpose", ["x"], ["tr"], name="transpose", perm=[0, 3, 1, 2]),
        helper.make_node("Concat", ["x", "x"], ["cat"], name="concat", axis=-2),
        helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"], ["sl"], name="slice"),
        helper.make_node("Squeeze", ["x", "axes0"], ["sq"], name="squeeze"),
        helper.make_node("Unsqueeze", ["x", "axes_u"], ["unsq"], name="unsqueeze"),
        helper.make_node("Pad", ["x", "pads", "pv"], ["pad"], name="pad"),
        helper.make_node("Pad", ["x", "pads"], ["pad_reflect"], name="pad_reflect", mode="reflect"),
        helper.make_node("ReduceMean", ["x"], ["mean"], name="mean", axes=[1, 3], keepdims=0),
        helper.make_node("ReduceMean", ["x"], ["mean_keep"], name="mean_keep", axes=[-1]),
        helper.make_node("Identity", ["x"], ["ident"], name="identity"),
    ]
    outs = [nd.output[0] for nd in nodes]
    inits = [
        const("starts", np.array([0, 5, -1], np.int64)),
        const("ends", np.array([1, 1, -100], np.int64)),
        const("axes", np.array([0, 3, 2], np.int64)),
        const("steps", np.array([1, -2, -1], np.int64)),
        const("axes0", np.array([0], np.int64)),
        const("axes_u", np.array([1, -1], np.int64)),
        const("pads", np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64)),
        const("pv", np.float32(0.5)),
    ]
    model = make(nodes, [("x", [1, 3, 4, 6])], [(o, None) for o in outs], inits)

    def ref(x):
        padw = ((0, 0), (0, 0), (1, 2), (2, 1))
        return [
            x.reshape(3, 24), x.transpose(0, 3, 1, 2), np.concatenate([x, x], axis=2),
            x[0:1, :, ::-1, 5:1:-2], x.reshape(3, 4, 6), x.reshape(1, 1, 3, 4, 6, 1),
            np.pad(x, padw, constant_values=0.5), np.pad(x, padw, mode="reflect"),
            x.mean(axis=(1, 3)), x.mean(axis=-1, keepdims=True), x,
        ]

    return Case(model, {"x": (1, 3, 4, 6)}, ref)


@case
def squeeze_opset11():
    """Squeeze / Unsqueeze with the axes as attributes (before opset 13)."""
    nodes = [
        helper.make_node("Unsqueeze", ["x"], ["u"], name="unsqueeze", axes=[0, 3]),
        helper.make_node("Squeeze", ["u"], ["y"], name="squeeze", axes=[0]),
    ]
    model = make(nodes, [("x", [2, 3])], [("y", None)], opset=11)
    return Case(model, {"x": (2, 3)}, lambda x: [x.reshape(2, 3, 1)])


@case
def opset9_forms():
    """Attributes that later opsets turned into inputs: Slice, Pad, Upsample."""
    nodes = [
        helper.make_node("Slice", ["x"], ["slice"], name="slice", starts=[1, -3], ends=[3, 100],
                         axes=[1, 3]),
        helper.make_node("Pad", ["x"], ["pad"], name="pad", pads=[0, 1, 0, 2, 0, 0, 1, 0],
                         value=-1.0),
        helper.make_node("Upsample", ["x", "scales"], ["up"], name="up", mode="nearest"),
    ]
    model = make(nodes, [("x", [1, 3, 2, 4])], [(o, None) for o in ["slice", "pad", "up"]],
                 [const("scales", np.array([1, 1, 2, 3], np.float32))], opset=9)

    def ref(x):
        return [x[:, 1:3, :, -3:], np.pad(x, ((0, 0), (1, 0), (0, 1), (2, 0)), constant_values=-1),
                x.repeat(2, axis=2).repeat(3, axis=3)]

    return Case(model, {"x": (1, 3, 2, 4)}, ref)


@case
def dynamic_input():
    """Dynamic dimensions, fixed with --input-shape."""
    r = rng(10)
    w = r.standard_normal((2, 3, 3, 3)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
         helper.make_node("GlobalAveragePool", ["c"], ["y"], name="gap")],
        "test",
        [helper.make_tensor_value_info("x", F32, ["N", 3, "H", "W"])],
        [helper.make_tensor_value_info("y", F32, ["N", 2, 1, 1])],
        [const("w", w)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    model = typed(model)

    def ref(x):
        torch, F = torch_fn()
        return [n(F.conv2d(t(x), t(w), padding=1).mean(dim=(2, 3), keepdim=True))]

    return Case(model, {"x": (1, 3, 6, 10)}, ref, flags=["--input-shape", "x=1x3x6x10"])


# --- Models the importer must refuse (test/Import/ONNX/diagnostics.test) -----

BAD: Dict[str, Callable[[], onnx.ModelProto]] = {}


def bad(fn):
    BAD[fn.__name__] = fn
    return fn


def make_raw(nodes, inputs, outputs, initializers=(), opset=13):
    """A model as given: no shape inference, no checker."""
    graph = helper.make_graph(
        nodes, "bad",
        [helper.make_tensor_value_info(n, F32, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, F32, s) for n, s in outputs],
        list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7
    return model


@bad
def unknown_ops():
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name="relu"),
        helper.make_node("FancyOp", ["a"], ["b"], name="fancy1"),
        helper.make_node("FancyOp", ["b"], ["c"], name="fancy2"),
        helper.make_node("NonMaxSuppression", ["c"], ["d"], name="nms"),
        helper.make_node("Custom", ["d"], ["y"], name="custom", domain="com.example"),
    ]
    return make_raw(nodes, [("x", [1, 4])], [("y", [1, 4])])


@bad
def missing_input():
    nodes = [
        helper.make_node("Add", ["x", "nothere"], ["a"], name="add"),
        helper.make_node("Relu", ["a"], ["y"], name="relu"),
    ]
    return make_raw(nodes, [("x", [1, 4])], [("y", [1, 4]), ("z", [1, 4])])


@bad
def add_shapes():
    nodes = [helper.make_node("Add", ["x", "z"], ["y"], name="add")]
    return make_raw(nodes, [("x", [2, 3]), ("z", [4])], [("y", None)])


@bad
def matmul_shapes():
    w = np.zeros((4, 5), np.float32)
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)], [const("w", w)])


@bad
def conv_channels():
    w = np.zeros((4, 2, 3, 3), np.float32)
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")]
    return make_raw(nodes, [("x", [1, 3, 8, 8])], [("y", None)], [const("w", w)])


@bad
def reshape_count():
    nodes = [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)],
                    [const("s", np.array([4, 2], np.int64))])


@bad
def reshape_overflow():
    nodes = [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)],
                    [const("s", np.array([2 ** 62, 4], np.int64))])


@bad
def reshape_runtime():
    nodes = [
        helper.make_node("Cast", ["s"], ["si"], name="cast", to=TensorProto.INT64),
        helper.make_node("Reshape", ["x", "si"], ["y"], name="reshape"),
    ]
    return make_raw(nodes, [("x", [2, 3]), ("s", [2])], [("y", None)])


@bad
def output_shape():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    return make_raw(nodes, [("x", [2, 3])], [("y", [3, 2])])


@bad
def dynamic():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    return make_raw(nodes, [("x", ["N", 3])], [("y", None)])


@bad
def bad_initializer():
    w = helper.make_tensor("w", F32, [2, 3], [1.0] * 6)
    del w.float_data[2:]  # 2 of 6 values
    nodes = [helper.make_node("Add", ["x", "w"], ["y"], name="add")]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)], [w])


@bad
def opset_too_new():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)], opset=99)


@bad
def bad_attributes():
    w = np.zeros((4, 3, 3, 3), np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv", strides=[1, 1, 1]),
    ]
    return make_raw(nodes, [("x", [1, 3, 8, 8])], [("c", None)], [const("w", w)])


@bad
def pool_kernel():
    nodes = [helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[0, 2])]
    return make_raw(nodes, [("x", [1, 2, 4, 4])], [("y", None)])


@bad
def conv_empty_filter():
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")]
    return make_raw(nodes, [("x", [1, 2, 4, 4])], [("y", None)],
                    [const("w", np.zeros((2, 2, 0, 3), np.float32))])


@bad
def transpose_perm():
    nodes = [helper.make_node("Transpose", ["x"], ["y"], name="transpose", perm=[0, 0])]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)])


# --- Quantized models (QDQ and QOperator) ------------------------------------


def quantize(x, scale, zero, lo, hi, axis=None):
    """ONNX QuantizeLinear: round half to even, saturate."""
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale, zero = np.reshape(scale, shape), np.reshape(zero, shape)
    return np.clip(np.rint(x / scale) + zero, lo, hi)


def conv_ref(x, w, pads, strides=(1, 1), groups=1):
    """Exact convolution of integer-valued arrays (float64)."""
    torch, F = torch_fn()
    xp = F.pad(torch.from_numpy(np.asarray(x, np.float64)), (pads[1], pads[3], pads[0], pads[2]))
    return F.conv2d(xp, torch.from_numpy(np.asarray(w, np.float64)), stride=strides,
                    groups=groups).numpy()


@case
def qdq_conv():
    """QuantizeLinear -> DequantizeLinear around a Conv whose weights are
    int8 per output channel and bias int32: a QDQ model as exporters write
    it; the Conv runs as qnn.conv2d on the model's own scales."""
    r = rng(11)
    xs, xz = np.float32(0.02), np.uint8(120)
    wq = r.integers(-127, 128, (4, 3, 3, 3)).astype(np.int8)
    ws = r.uniform(0.002, 0.01, 4).astype(np.float32)
    bq = r.integers(-2000, 2000, 4).astype(np.int32)
    ys, yz = np.float32(0.05), np.uint8(100)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="quant_x"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="dequant_x"),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], name="dequant_w", axis=0),
        helper.make_node("DequantizeLinear", ["bq", "bs"], ["bd"], name="dequant_b", axis=0),
        helper.make_node("Conv", ["xd", "wd", "bd"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("QuantizeLinear", ["r", "ys", "yz"], ["yq"], name="quant_y"),
        helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"], name="dequant_y"),
    ]
    inits = [const("xs", xs), const("xz", xz), const("wq", wq), const("ws", ws),
             const("wz", np.zeros(4, np.int8)), const("bq", bq), const("bs", (xs * ws).astype(np.float32)),
             const("ys", ys), const("yz", yz)]
    model = make(nodes, [("x", [1, 3, 6, 6])], [("y", None)], inits)

    def ref(x):
        xq = quantize(x, xs, xz, 0, 255)
        acc = conv_ref(xq - float(xz), wq, [1, 1, 1, 1])
        real = (acc + bq.reshape(1, 4, 1, 1)) * (float(xs) * ws.astype(np.float64).reshape(1, 4, 1, 1))
        yq = quantize(np.maximum(real, 0), float(ys), float(yz), 0, 255)
        return [((yq - float(yz)) * float(ys)).astype(np.float32)]

    # One output step: the integer accumulator is exact, the fp32 rescale
    # may round a value on the other side of a half.
    return Case(model, {"x": (1, 3, 6, 6)}, ref, atol=float(ys) * 1.001, rtol=0)


@case
def qdq_gemm():
    """A QDQ Gemm as torch exports a quantized Linear: weights [N, K] int8
    per output channel read transposed, an int32 bias; qnn.matmul on the
    weights transposed at import time (per-axis 1)."""
    r = rng(17)
    xs, xz = np.float32(0.05), np.uint8(30)
    wq = r.integers(-127, 128, (4, 8)).astype(np.int8)
    ws = r.uniform(0.001, 0.01, 4).astype(np.float32)
    bq = r.integers(-500, 500, 4).astype(np.int32)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="quant_x"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="dequant_x"),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], name="dequant_w", axis=0),
        helper.make_node("DequantizeLinear", ["bq", "bs"], ["bd"], name="dequant_b", axis=0),
        helper.make_node("Gemm", ["xd", "wd", "bd"], ["y"], name="fc", transB=1),
    ]
    inits = [const("xs", xs), const("xz", xz), const("wq", wq), const("ws", ws),
             const("wz", np.zeros(4, np.int8)), const("bq", bq),
             const("bs", (xs * ws).astype(np.float32))]
    model = make(nodes, [("x", [3, 8])], [("y", None)], inits)

    def ref(x):
        xq = quantize(x, xs, xz, 0, 255) - float(xz)
        acc = xq @ wq.T.astype(np.float64) + bq
        return [(acc * (float(xs) * ws.astype(np.float64))).astype(np.float32)]

    return Case(model, {"x": (3, 8)}, ref, atol=1e-5, rtol=1e-5)


@case
def qlinear_conv():
    """QLinearConv (uint8 activations, int8 weights per channel, int32 bias)."""
    r = rng(12)
    xs, xz, ys, yz = np.float32(0.03), np.uint8(128), np.float32(0.2), np.uint8(90)
    wq = r.integers(-127, 128, (4, 2, 3, 3)).astype(np.int8)
    ws = r.uniform(0.005, 0.02, 4).astype(np.float32)
    bq = r.integers(-3000, 3000, 4).astype(np.int32)
    node = helper.make_node(
        "QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"], ["y"], name="qconv",
        pads=[0, 1, 0, 1], strides=[2, 1])
    inits = [const("xs", xs), const("xz", xz), const("w", wq), const("ws", ws),
             const("wz", np.zeros(4, np.int8)), const("ys", ys), const("yz", yz), const("b", bq)]
    model = make([node], [("x", [1, 2, 7, 6])], [("y", None)], inits,
                 types={"x": TensorProto.UINT8, "y": TensorProto.UINT8})

    def ref(x):
        acc = conv_ref(x.astype(np.float64) - float(xz), wq, [0, 1, 0, 1], (2, 1))
        acc += bq.reshape(1, 4, 1, 1)
        scale = float(xs) * ws.astype(np.float64).reshape(1, 4, 1, 1) / float(ys)
        return [quantize(acc * scale, 1.0, float(yz), 0, 255).astype(np.float32)]

    return Case(model, {"x": (1, 2, 7, 6)}, ref, atol=1.0, rtol=0, dtypes={"x": np.uint8})


@case
def qlinear_matmul():
    r = rng(13)
    a_s, az, bs, bz, ys, yz = (np.float32(0.04), np.uint8(10), np.float32(0.01), np.int8(0),
                               np.float32(0.3), np.uint8(128))
    b = r.integers(-128, 128, (6, 5)).astype(np.int8)
    node = helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"],
                            name="qmatmul")
    inits = [const("as", a_s), const("az", az), const("b", b), const("bs", bs), const("bz", bz),
             const("ys", ys), const("yz", yz)]
    model = make([node], [("a", [3, 6])], [("y", None)], inits,
                 types={"a": TensorProto.UINT8, "y": TensorProto.UINT8})

    def ref(a):
        acc = (a.astype(np.float64) - float(az)) @ b.astype(np.float64)
        return [quantize(acc * (float(a_s) * float(bs) / float(ys)), 1.0, float(yz), 0, 255)
                .astype(np.float32)]

    return Case(model, {"a": (3, 6)}, ref, atol=1.0, rtol=0, dtypes={"a": np.uint8})


@case
def integer_ops():
    """MatMulInteger and ConvInteger: exact int32 results."""
    r = rng(14)
    b = r.integers(-128, 128, (6, 5)).astype(np.int8)
    w = r.integers(0, 256, (3, 2, 2, 2)).astype(np.uint8)
    nodes = [
        helper.make_node("MatMulInteger", ["a", "b", "az"], ["mm"], name="mmi"),
        helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["conv"], name="convi"),
    ]
    inits = [const("b", b), const("az", np.uint8(7)), const("w", w), const("xz", np.uint8(3)),
             const("wz", np.uint8(128))]
    model = make(nodes, [("a", [4, 6]), ("x", [1, 2, 5, 5])], [("mm", None), ("conv", None)], inits,
                 types={"a": TensorProto.UINT8, "x": TensorProto.UINT8,
                        "mm": TensorProto.INT32, "conv": TensorProto.INT32})

    def ref(a, x):
        mm = (a.astype(np.int64) - 7) @ b.astype(np.int64)
        conv = conv_ref(x.astype(np.float64) - 3, w.astype(np.float64) - 128, [0, 0, 0, 0])
        return [mm, conv]

    return Case(model, {"a": (4, 6), "x": (1, 2, 5, 5)}, ref, atol=0, rtol=0,
                dtypes={"a": np.uint8, "x": np.uint8})


@bad
def quant_scale_runtime():
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="quant"),
             helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dequant")]
    return make_raw(nodes, [("x", [2, 3]), ("s", [])], [("y", None)], [const("z", np.uint8(0))])


@bad
def quant_scale_zero():
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="quant"),
             helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dequant")]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)],
                    [const("s", np.float32(0.0)), const("z", np.uint8(0))])


@bad
def quant_axis_scales():
    nodes = [helper.make_node("DequantizeLinear", ["w", "s", "z"], ["wd"], name="dequant_w",
                              axis=0),
             helper.make_node("MatMul", ["x", "wd"], ["y"], name="mm")]
    return make_raw(nodes, [("x", [2, 4])], [("y", None)],
                    [const("w", np.zeros((4, 3), np.int8)), const("s", np.ones(3, np.float32)),
                     const("z", np.zeros(3, np.int8))])


@bad
def quant_type():
    nodes = [helper.make_node("DequantizeLinear", ["w", "s"], ["y"], name="dequant_w")]
    return make_raw(nodes, [("x", [1])], [("y", None)],
                    [const("w", np.zeros((4,), np.int64)), const("s", np.float32(1.0))])


@bad
def runtime_only():
    """Range is evaluated at import time only."""
    nodes = [helper.make_node("Range", ["start", "limit", "delta"], ["y"], name="range")]
    return make_raw(nodes, [("limit", [])], [("y", None)],
                    [const("start", np.float32(0)), const("delta", np.float32(1))])


@bad
def external_data():
    w = helper.make_tensor("w", F32, [2, 3], [0.0] * 6)
    del w.float_data[:]
    w.data_location = TensorProto.EXTERNAL
    entry = w.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    nodes = [helper.make_node("Add", ["x", "w"], ["y"], name="add")]
    return make_raw(nodes, [("x", [2, 3])], [("y", None)], [w])


@bad
def string_input():
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"], name="identity")], "bad",
        [helper.make_tensor_value_info("x", TensorProto.STRING, [2])],
        [helper.make_tensor_value_info("y", TensorProto.STRING, [2])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


@bad
def no_default_opset():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    model = make_raw(nodes, [("x", [2])], [("y", None)])
    del model.opset_import[:]
    model.opset_import.append(helper.make_opsetid("com.example", 1))
    return model


@bad
def no_nodes():
    return make_raw([], [("x", [2])], [("x", [2])])


@bad
def dropout_mask():
    nodes = [helper.make_node("Dropout", ["x"], ["y", "mask"], name="dropout"),
             helper.make_node("Cast", ["mask"], ["m"], name="cast", to=TensorProto.FLOAT)]
    return make_raw(nodes, [("x", [2, 3])], [("y", None), ("m", None)])


@bad
def huge_constant():
    """Sizes the importer would have to materialize on the host."""
    nodes = [helper.make_node("ConstantOfShape", ["s"], ["c"], name="fill"),
             helper.make_node("Add", ["x", "c"], ["y"], name="add")]
    return make_raw(nodes, [("x", [2])], [("y", None)],
                    [const("s", np.array([10 ** 6, 10 ** 6, 2], np.int64))])


@bad
def huge_tile():
    nodes = [helper.make_node("Tile", ["x", "r"], ["y"], name="tile")]
    return make_raw(nodes, [("x", [2])], [("y", None)],
                    [const("r", np.array([2 ** 40], np.int64))])


@bad
def huge_range():
    nodes = [helper.make_node("Range", ["a", "b", "d"], ["r"], name="range"),
             helper.make_node("Cast", ["r"], ["y"], name="cast", to=TensorProto.FLOAT)]
    return make_raw(nodes, [("x", [2])], [("y", None)],
                    [const("a", np.int64(0)), const("b", np.int64(2 ** 40)),
                     const("d", np.int64(1))])


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(CASES))
        return 0
    if len(argv) == 3 and argv[1] in CASES:
        onnx.save(CASES[argv[1]]().model, argv[2])
        return 0
    if len(argv) == 3 and argv[1] in BAD:
        onnx.save(BAD[argv[1]](), argv[2])
        return 0
    if len(argv) == 3 and argv[1] == "--all-bad":
        import os
        for name, fn in BAD.items():
            onnx.save(fn(), os.path.join(argv[2], name + ".onnx"))
        return 0
    sys.stderr.write(f"usage: {argv[0]} NAME OUT.onnx | --all-bad DIR | --list\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
