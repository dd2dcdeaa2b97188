#!/usr/bin/python3
"""Trains the bundled example: a 64-64-32-10 MLP on scikit-learn's 8x8 digits.

Writes mlp.mlir (the fp32 model as func + linalg on tensors, weights as
constants, every layer named by location), test-set.npz (the 360 held-out
images and their labels) and calibration-set.npz (200 training images). All
are committed; rerun only to change the model:

    apt-get install python3-sklearn && /usr/bin/python3 train.py

Plain numpy (full-batch Adam, fixed seed), so the result is reproducible.
"""

import numpy as np
from sklearn.datasets import load_digits

SIZES = [64, 64, 32, 10]
TEST_COUNT = 360
CALIBRATION_COUNT = 200
STEPS = 600


def init(rng):
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        w = rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out))
        params += [w, np.zeros(fan_out)]
    return params


def forward(params, x):
    activations = [x]
    for i in range(0, len(params), 2):
        x = x @ params[i] + params[i + 1]
        if i + 2 < len(params):
            x = np.maximum(x, 0.0)
        activations.append(x)
    return activations


def gradients(params, x, labels):
    acts = forward(params, x)
    logits = acts[-1]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    delta = p
    delta[np.arange(len(labels)), labels] -= 1.0
    delta /= len(labels)
    grads = [None] * len(params)
    for layer in reversed(range(len(params) // 2)):
        grads[2 * layer] = acts[layer].T @ delta
        grads[2 * layer + 1] = delta.sum(axis=0)
        if layer > 0:
            delta = (delta @ params[2 * layer].T) * (acts[layer] > 0)
    return grads


def train(x, labels, rng):
    params = init(rng)
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for step in range(1, STEPS + 1):
        for i, g in enumerate(gradients(params, x, labels)):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            mhat = m[i] / (1 - 0.9**step)
            vhat = v[i] / (1 - 0.999**step)
            params[i] -= 0.01 * mhat / (np.sqrt(vhat) + 1e-8)
    return [p.astype(np.float32) for p in params]


def dense(array):
    """An MLIR dense literal that round-trips float32 exactly."""
    if array.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in array) + "]"
    return "[" + ", ".join(dense(row) for row in array) + "]"


def write_mlir(params, batch, path):
    layers = []
    value = "%x"
    width = SIZES[0]
    for i in range(len(params) // 2):
        w, b = params[2 * i], params[2 * i + 1]
        fan_in, fan_out = w.shape
        out = f"%h{i + 1}"
        relu = i + 1 < len(params) // 2
        layers.append(f"""
  // Layer {i + 1}: {fan_in} -> {fan_out}{' + ReLU' if relu else ''}.
  %w{i + 1} = arith.constant dense<{dense(w)}> : tensor<{fan_in}x{fan_out}xf32> loc("fc{i + 1}.weight")
  %b{i + 1} = arith.constant dense<{dense(b)}> : tensor<{fan_out}xf32> loc("fc{i + 1}.bias")
  %e{i + 1} = tensor.empty() : tensor<{batch}x{fan_out}xf32>
  %z{i + 1} = linalg.fill ins(%zero : f32) outs(%e{i + 1} : tensor<{batch}x{fan_out}xf32>) -> tensor<{batch}x{fan_out}xf32>
  %mm{i + 1} = linalg.matmul ins({value}, %w{i + 1} : tensor<{batch}x{fan_in}xf32>, tensor<{fan_in}x{fan_out}xf32>)
                      outs(%z{i + 1} : tensor<{batch}x{fan_out}xf32>) -> tensor<{batch}x{fan_out}xf32> loc("fc{i + 1}")
  %biased{i + 1} = linalg.generic {{indexing_maps = [#row, #bias, #row], iterator_types = ["parallel", "parallel"]}}
      ins(%mm{i + 1}, %b{i + 1} : tensor<{batch}x{fan_out}xf32>, tensor<{fan_out}xf32>) outs(%e{i + 1} : tensor<{batch}x{fan_out}xf32>) {{
  ^bb0(%a: f32, %c: f32, %unused: f32):
    %s = arith.addf %a, %c : f32
    {"%r = arith.maximumf %s, %zero : f32" if relu else ""}
    linalg.yield {"%r" if relu else "%s"} : f32
  }} -> tensor<{batch}x{fan_out}xf32> loc("fc{i + 1}.{'relu' if relu else 'bias_add'}")""")
        value = f"%biased{i + 1}"
        width = fan_out
    text = f"""// A 64-64-32-10 MLP trained on scikit-learn's 8x8 digits (examples/digits-mlp/train.py).
// fp32 weights as constants; the batch of {batch} images is the argument.
#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @mlp(%x: tensor<{batch}x{SIZES[0]}xf32>) -> tensor<{batch}x{width}xf32> {{
  %zero = arith.constant 0.0 : f32{''.join(layers)}
  return {value} : tensor<{batch}x{width}xf32>
}}
"""
    with open(path, "w") as f:
        f.write(text)


def main():
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    rng = np.random.default_rng(2026)
    order = rng.permutation(len(x))
    test, train_idx = order[:TEST_COUNT], order[TEST_COUNT:]
    params = train(x[train_idx].astype(np.float64), labels[train_idx], rng)
    logits = forward(params, x[test])[-1]
    accuracy = float(np.mean(np.argmax(logits, axis=1) == labels[test]))
    print(f"fp32 test accuracy (numpy): {accuracy:.4f}")
    write_mlir(params, TEST_COUNT, "mlp.mlir")
    np.savez("test-set.npz", images=x[test], labels=labels[test])
    calibration = train_idx[:CALIBRATION_COUNT]
    np.savez("calibration-set.npz", images=x[calibration], labels=labels[calibration])


if __name__ == "__main__":
    main()
