"""fp32 numpy models of the bundled examples (examples/digits-mlp/mlp.mlir,
examples/digits-cnn/cnn.mlir), written independently of qnn-mlir from the
layers the examples' train.py scripts emit.

They give the fp32 reference outputs and the activation statistics (ranges of
the values that qnn-quantize quantizes, under the stable names the IR's
locations give them) that calibration produces.
"""

import ast
import json
import re

import numpy as np

_CONSTANT = re.compile(
    r"arith\.constant dense<(\[.*?\])> : tensor<([0-9x]+)xf32> loc\(\"([^\"]+)\"\)"
)


def load_constants(path):
    """The named fp32 constants of an example model: {loc name: array}."""
    with open(path) as f:
        text = f.read()
    constants = {}
    for literal, shape, name in _CONSTANT.findall(text):
        values = np.array(ast.literal_eval(literal), dtype=np.float32)
        constants[name] = values.reshape([int(d) for d in shape.split("x")])
    return constants


def _relu(x):
    return np.maximum(x, np.float32(0))


def mlp_forward(constants, x, record=None):
    """The 64-64-32-10 MLP; `record` receives the values qnn-quantize
    quantizes: the argument and the two hidden ReLU outputs."""
    record = {} if record is None else record
    record["mlp/arg0"] = x
    h = x
    for layer in (1, 2, 3):
        h = h @ constants[f"fc{layer}.weight"] + constants[f"fc{layer}.bias"]
        if layer < 3:
            h = _relu(h)
            record[f"fc{layer}.relu"] = h
    return h.astype(np.float32)


def _conv3x3_same(x, weight_hwcf):
    """NHWC conv, 3x3 HWCF filter, stride 1, zero padding 1."""
    n, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    out = np.zeros((n, h, w, weight_hwcf.shape[3]), dtype=np.float64)
    for i in range(3):
        for j in range(3):
            out += padded[:, i:i + h, j:j + w, :].astype(np.float64) @ weight_hwcf[i, j]
    return out.astype(np.float32), padded


def _max_pool2(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def cnn_forward(constants, x, record=None):
    """conv+bias+ReLU, 2x2 max pool, conv+bias+ReLU, flatten, matmul+bias;
    `record` receives the padded conv inputs and the flattened features."""
    record = {} if record is None else record
    h, padded = _conv3x3_same(x, constants["conv1.weight"])
    record["conv1.pad"] = padded
    h = _relu(h + constants["conv1.bias"])
    h = _max_pool2(h)
    h, padded = _conv3x3_same(h, constants["conv2.weight"])
    record["conv2.pad"] = padded
    h = _relu(h + constants["conv2.bias"])
    flat = h.reshape(h.shape[0], -1)
    record["flatten"] = flat
    return (flat @ constants["fc.weight"] + constants["fc.bias"]).astype(np.float32)


def statistics(record):
    """The qnn-stats JSON object of recorded activations (min and max)."""
    return {
        "format": "qnn-stats",
        "version": 1,
        "values": {
            name: {"min": float(np.min(v)), "max": float(np.max(v))}
            for name, v in sorted(record.items())
        },
    }


def write_statistics(record, path):
    with open(path, "w") as f:
        json.dump(statistics(record), f, indent=2)
        f.write("\n")
