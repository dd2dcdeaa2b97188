# A small fp32 model (conv 3x3 + bias + ReLU, flatten, matmul) through
# qnn-quantize (static, with statistics from a calibration batch, and
# dynamic) and qnn-lower-to-llvm, run with mlir-runner: the outputs must
# equal, bit for bit, a numpy reference computed in integers from the
# numeric contract (docs/Numerics.md, the qnn-quantize description and the
# arithmetic spelled out in lib/Dialect/QNN/Transforms/DynamicQuantize.cpp).
#
# RUN: %python %s %t

import json
import sys

import numpy as np

from qnntest import harness
from qnntest.harness import mlir_dense, mlir_type
from qnntest.reference import Spec, Storage, choose_params, quantize, quantize_weights

N, H, W, C, F, CLASSES = 2, 6, 6, 3, 4, 10
FLAT = H * W * F
ACTIVATIONS = Spec(scheme="asymmetric", storage=Storage(signed=False))
WEIGHTS = Spec()  # symmetric int8 [-127, 127] per output channel
FLT_MIN = np.float32(np.finfo(np.float32).tiny)


def make_model(rng):
    return {
        "conv1.weight": (rng.standard_normal((3, 3, C, F)) * 0.4).astype(np.float32),
        "conv1.bias": (rng.standard_normal(F) * 0.1).astype(np.float32),
        "fc.weight": (rng.standard_normal((FLAT, CLASSES)) * 0.1).astype(np.float32),
    }


def model_mlir(p):
    x, padded = mlir_type((N, H, W, C)), mlir_type((N, H + 2, W + 2, C))
    conv, flat, out = mlir_type((N, H, W, F)), mlir_type((N, FLAT)), mlir_type((N, CLASSES))
    return f"""
#nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#channel = affine_map<(n, h, w, c) -> (c)>
func.func @model(%x: {x}) -> {out} {{
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant {mlir_dense(p["conv1.weight"])} loc("conv1.weight")
  %b1 = arith.constant {mlir_dense(p["conv1.bias"])} loc("conv1.bias")
  %w2 = arith.constant {mlir_dense(p["fc.weight"])} loc("fc.weight")
  %pad = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  }} : {x} to {padded} loc("conv1.pad")
  %e1 = tensor.empty() : {conv}
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : {conv}) -> {conv}
  %c1 = linalg.conv_2d_nhwc_hwcf ins(%pad, %w1 : {padded}, {mlir_type(p["conv1.weight"].shape)})
      outs(%z1 : {conv}) -> {conv} loc("conv1")
  %r1 = linalg.generic {{indexing_maps = [#nhwc, #channel, #nhwc],
                        iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%c1, %b1 : {conv}, {mlir_type((F,))}) outs(%e1 : {conv}) {{
  ^bb0(%a: f32, %b: f32, %unused: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {conv} loc("conv1.relu")
  %flat = tensor.collapse_shape %r1 [[0], [1, 2, 3]] : {conv} into {flat} loc("flatten")
  %e2 = tensor.empty() : {out}
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : {out}) -> {out}
  %y = linalg.matmul ins(%flat, %w2 : {flat}, {mlir_type(p["fc.weight"].shape)})
      outs(%z2 : {out}) -> {out} loc("fc")
  return %y : {out}
}}
"""


def main_mlir(x):
    x_type, out = mlir_type(x.shape), mlir_type((N, CLASSES))
    bits = mlir_type((N, CLASSES), "i32")
    return f"""
func.func private @printMemrefI32(tensor<*xi32>)
func.func @main() {{
  %x = arith.constant {mlir_dense(x)}
  %y = func.call @model(%x) : ({x_type}) -> {out}
  %b = arith.bitcast %y : {out} to {bits}
  %u = tensor.cast %b : {bits} to tensor<*xi32>
  func.call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}}
"""


#===------------------------------------------------------------------------===#
# numpy: fp32 model (calibration) and the integer reference
#===------------------------------------------------------------------------===#


def pad(x):
    return np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))


def conv3x3(x_padded, w):
    """sum over kh, kw, c of x[n, oh + kh, ow + kw, c] * w[kh, kw, c, f], in
    the dtype of the operands (int64 for the integer reference)."""
    out = 0
    for kh in range(3):
        for kw in range(3):
            out = out + np.einsum("nhwc,cf->nhwf", x_padded[:, kh:kh + H, kw:kw + W, :], w[kh, kw])
    return out


def relu_bias(y, b):
    return np.maximum((y + b).astype(np.float32), np.float32(0))


def fp32_forward(p, x, record):
    padded = pad(x)
    record["conv1.pad"] = padded
    h = relu_bias(conv3x3(padded.astype(np.float64), p["conv1.weight"].astype(np.float64)).astype(np.float32),
                  p["conv1.bias"])
    flat = h.reshape(len(x), FLAT)
    record["flatten"] = flat
    return (flat.astype(np.float64) @ p["fc.weight"].astype(np.float64)).astype(np.float32)


def static_params(stats, name):
    entry = stats["values"][name]
    return choose_params(np.float32(entry["min"]), np.float32(entry["max"]), ACTIVATIONS)


def dynamic_params(x):
    """DynamicQuantize.cpp's arithmetic, step by step in float32."""
    lo = np.minimum(np.float32(0), x.min()).astype(np.float32)
    hi = np.maximum(np.float32(0), x.max()).astype(np.float32)
    value_range = np.float32(hi - lo)
    if value_range == 0:
        scale = np.float32(1.0)
    else:
        scale = np.maximum(np.float32(value_range / np.float32(255)), FLT_MIN)
    shift = np.float32(np.float32(0) - np.float32(lo / scale))
    zero_point = int(np.clip(np.rint(shift), 0, 255))
    return scale, zero_point


def dequantize_accumulator(acc, activation_scale, weight_scales, mode):
    """The int32 sum times s_x * s_w[n]. Static: the accumulator type's scale
    is the double product, rounded to float32 by the dequantize lowering.
    Dynamic: the float32 product."""
    if mode == "static":
        scale = (np.float64(activation_scale) * weight_scales.astype(np.float64)).astype(np.float32)
    else:
        scale = (np.float32(activation_scale) * weight_scales).astype(np.float32)
    assert np.abs(acc).max() < 2**24, "f32(acc) would round"
    return (acc.astype(np.float32) * scale).astype(np.float32)


def integer_reference(p, x, mode, params_of):
    """params_of(name, fp32 tensor) -> (scale, zero point) of an activation."""
    q1, s1, _, _ = quantize_weights(p["conv1.weight"], WEIGHTS, 3, None)
    q2, s2, _, _ = quantize_weights(p["fc.weight"], WEIGHTS, 1, None)
    padded = pad(x)
    sx, zx = params_of("conv1.pad", padded)
    qx = quantize(padded, sx, zx, ACTIVATIONS.storage, ACTIVATIONS.rounding)
    acc1 = conv3x3(qx - zx, q1)
    h = relu_bias(dequantize_accumulator(acc1, sx, s1[0, 0, 0, :], mode), p["conv1.bias"])
    flat = h.reshape(len(x), FLAT)
    sh, zh = params_of("flatten", flat)
    qh = quantize(flat, sh, zh, ACTIVATIONS.storage, ACTIVATIONS.rounding)
    acc2 = (qh - zh) @ q2
    return dequantize_accumulator(acc2, sh, s2[0, :], mode)


def run(options, module):
    lowered = harness.run([harness.tool("QNN_OPT"), f"--qnn-quantize={options}", "--qnn-lower-to-llvm"],
                          stdin=module)
    (bits,) = harness.parse_memrefs(harness.execute(lowered))
    return harness.as_float32(bits)


def main():
    stats_path = sys.argv[1] + ".stats.json"
    rng = np.random.default_rng(2024)
    p = make_model(rng)
    calibration = rng.uniform(-1, 1, (8, H, W, C)).astype(np.float32)
    # Evaluation data a little outside the calibrated range, so that the
    # static quantize also saturates.
    x = (rng.uniform(-1, 1, (N, H, W, C)) * 1.1).astype(np.float32)

    record = {}
    fp32_forward(p, calibration, record)
    stats = {"format": "qnn-stats", "version": 1,
             "values": {name: {"min": float(v.min()), "max": float(v.max())} for name, v in record.items()}}
    with open(stats_path, "w") as f:
        json.dump(stats, f)
    exact = fp32_forward(p, x, {})

    module = model_mlir(p) + main_mlir(x)
    failures = 0
    for mode, options, params_of in [
        ("static", f"stats={stats_path}", lambda name, t: static_params(stats, name)),
        ("dynamic", "mode=dynamic", lambda name, t: dynamic_params(t)),
    ]:
        expected = integer_reference(p, x, mode, params_of)
        got = run(options, module)
        mismatch = got.view(np.int32) != expected.view(np.int32)
        if mismatch.any():
            index = tuple(np.argwhere(mismatch)[0])
            print(f"FAIL: {mode}: {int(mismatch.sum())} of {mismatch.size} outputs differ; first at {index}: "
                  f"got {got[index]!r}, expected {expected[index]!r}")
            failures += 1
            continue
        # The integers really were 8-bit: close to fp32, but not equal.
        error = np.abs(got - exact).max() / np.abs(exact).max()
        if not 0 < error < 0.05:
            print(f"FAIL: {mode}: relative error against fp32 {error:.3g}, expected in (0, 0.05)")
            failures += 1
            continue
        print(f"ok: {mode}: bit-exact against the integer reference; max error against fp32 {error:.3g} "
              f"of the largest output")
    if failures:
        sys.exit(f"{failures} check(s) failed")


main()
