# The acceptance for full int8: the bundled digits MLP
# (matmul + bias + ReLU x3) and CNN (conv + bias + ReLU, max pool, conv +
# bias + ReLU, matmul), fp32 IR, through `qnn-opt --qnn-pipeline` to LLVM,
# run on the 360 test images, must equal bit for bit a numpy model of the
# integer program the pipeline promises (quantize -> integer contraction with
# the bias folded to int32 -> fixed-point or float requantize with the ReLU
# clamp -> ... -> dequantize), for per-tensor and per-channel weights,
# symmetric and asymmetric, uint8 and int8 activations, and static (the
# statistics of a numpy calibration) and dynamic ranges. The numpy model is
# written from the contract (docs/Numerics.md, the op and pass
# descriptions), with quantization parameters chosen by the reference in
# qnntest/reference.py, never read back from the compiled program. The int8
# results must also stay close to the fp32 model: same accuracy within a
# point, SQNR above 30 dB.
#
# RUN: %python %s %t

import json
import os
import sys

import numpy as np

from qnntest import digits, harness, intref
from qnntest.harness import mlir_dense, mlir_type
from qnntest.reference import Spec, Storage, choose_params, quantize, quantize_weights

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")
FLT_MIN = np.float32(np.finfo(np.float32).tiny)

# name -> (qnn-pipeline options, activation spec, weight spec, rescale mode, dynamic)
CONFIGS = {
    "u8-asymmetric": ("", Spec("asymmetric", Storage(signed=False)), Spec(), "fixed_point", False),
    "i8-asymmetric": ("activation-signed=true", Spec("asymmetric", Storage(signed=True, narrow=False)),
                      Spec(), "fixed_point", False),
    "i8-symmetric": ("activation-scheme=symmetric activation-signed=true",
                     Spec("symmetric", Storage(signed=True, narrow=False)), Spec(), "fixed_point", False),
    "u8-symmetric": ("activation-scheme=symmetric", Spec("symmetric", Storage(signed=False)), Spec(),
                     "fixed_point", False),
    "per-tensor-weights": ("weight-granularity=per-tensor", Spec("asymmetric", Storage(signed=False)),
                           Spec(granularity="per-tensor"), "fixed_point", False),
    "asymmetric-weights": ("weight-scheme=asymmetric", Spec("asymmetric", Storage(signed=False)),
                           Spec("asymmetric"), "fixed_point", False),
    "float-rescale": ("rescale=float", Spec("asymmetric", Storage(signed=False)), Spec(), "float", False),
    "dynamic": ("mode=dynamic", None, Spec(), None, True),
}
CNN_CONFIGS = ["u8-asymmetric", "i8-symmetric", "asymmetric-weights", "dynamic"]


class Activations:
    """Quantization parameters of the activations, from calibration ranges."""

    def __init__(self, spec, stats):
        self.spec, self.stats = spec, stats

    def params(self, name):
        entry = self.stats[name]
        return choose_params(entry["min"], entry["max"], self.spec)

    def quantize(self, x, name):
        scale, zp = self.params(name)
        return quantize(x, scale, zp, self.spec.storage, "half-to-even"), scale, zp


def weight_params(w, spec, axis):
    """Integers, per-channel scales (float32) and zero points along `axis`."""
    q, scales, zps, _ = quantize_weights(w, spec, channel_axis=axis, group_axis=None)
    index = [0] * w.ndim
    index[axis] = slice(None)
    return q, scales[tuple(index)], zps[tuple(index)]


def accumulator_scale(s_in, s_w):
    """The accumulator type's scales: products in double of float32 scales."""
    return np.float64(s_in) * s_w.astype(np.float64)


def bias_to_int32(bias, acc_scale):
    """The bias on the accumulator grid: round half to even in double."""
    return np.rint(bias.astype(np.float64) / acc_scale).astype(np.int64)


def dequantize_accumulator(acc, acc_scale):
    """quant.dcast of an int32 accumulator: float32(acc) * float32(scale)."""
    return (acc.astype(np.float32) * acc_scale.astype(np.float32)).astype(np.float32)


def requantize_relu(acc, acc_scale, out_scale, out_zp, spec, mode):
    """The fused ReLU: clamp from Q(0.0) = the zero point to qmax."""
    return intref.requantize(acc, acc_scale, 0, np.float64(out_scale), out_zp,
                             (out_zp, spec.storage.qmax), mode=mode, rounding="half_to_even")


def dynamic_quantize(x):
    """ONNX DynamicQuantizeLinear as qnn-quantize mode=dynamic emits it, all
    in float32 (lib/Dialect/QNN/Transforms/DynamicQuantize.cpp)."""
    x = x.astype(np.float32)
    lo = np.float32(min(np.float32(np.nanmin(x)), np.float32(0)))
    hi = np.float32(max(np.float32(np.nanmax(x)), np.float32(0)))
    span = np.float32(hi - lo)
    scale = np.float32(1.0) if span == 0 else max(np.float32(span / np.float32(255)), FLT_MIN)
    zp = int(np.clip(np.rint(np.float32(np.float32(0) - np.float32(lo / scale))), 0, 255))
    q = quantize(x, scale, zp, Storage(signed=False), "half-to-even")
    return q, scale, zp


def dynamic_output(acc, x_scale, w_scales):
    """The int32 result times scale_x * scale_w[n], in float32."""
    factor = (np.float32(x_scale) * w_scales.astype(np.float32)).astype(np.float32)
    return (acc.astype(np.float32) * factor).astype(np.float32)


def mlp_integer(c, x, act, wspec, mode, dynamic):
    if dynamic:
        h = x
        for layer in (1, 2, 3):
            q, s, z = dynamic_quantize(h)
            wq, ws, wz = weight_params(c[f"fc{layer}.weight"], wspec, 1)
            h = dynamic_output(intref.matmul(q, wq, z, wz), s, ws) + c[f"fc{layer}.bias"]
            h = (np.maximum(h, np.float32(0)) if layer < 3 else h).astype(np.float32)
        return h
    q, s, z = act.quantize(x, "mlp/arg0")
    for layer in (1, 2, 3):
        wq, ws, wz = weight_params(c[f"fc{layer}.weight"], wspec, 1)
        acc_scale = accumulator_scale(s, ws)
        acc = intref.matmul(q, wq, z, wz, bias_to_int32(c[f"fc{layer}.bias"], acc_scale))
        if layer == 3:
            return dequantize_accumulator(acc, acc_scale)
        s, z = act.params(f"fc{layer}.relu")
        q = requantize_relu(acc, acc_scale, s, z, act.spec, mode)


def cnn_integer(c, x, act, wspec, mode, dynamic):
    if dynamic:
        h = x
        for name in ("conv1", "conv2"):
            padded = np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0)))
            q, s, z = dynamic_quantize(padded)
            wq, ws, wz = weight_params(c[f"{name}.weight"], wspec, 3)
            h = dynamic_output(intref.conv2d(q, wq, z, wz), s, ws) + c[f"{name}.bias"]
            h = np.maximum(h, np.float32(0)).astype(np.float32)
            if name == "conv1":
                n, hh, ww, ch = h.shape
                h = h.reshape(n, hh // 2, 2, ww // 2, 2, ch).max(axis=(2, 4))
        flat = h.reshape(h.shape[0], -1)
        q, s, z = dynamic_quantize(flat)
        wq, ws, wz = weight_params(c["fc.weight"], wspec, 1)
        return (dynamic_output(intref.matmul(q, wq, z, wz), s, ws) + c["fc.bias"]).astype(np.float32)

    # Static: the quantize of each padded conv input moves above the pad and
    # the pool; conv1 requantizes straight to conv2's input parameters.
    q, s, z = act.quantize(x, "conv1.pad")
    for name, out in (("conv1", "conv2.pad"), ("conv2", "flatten")):
        wq, ws, wz = weight_params(c[f"{name}.weight"], wspec, 3)
        acc_scale = accumulator_scale(s, ws)
        acc = intref.conv2d(q, wq, z, wz, bias_to_int32(c[f"{name}.bias"], acc_scale),
                            padding=(1, 1, 1, 1))
        s, z = act.params(out)
        q = requantize_relu(acc, acc_scale, s, z, act.spec, mode)
        if name == "conv1":
            q = intref.max_pool2d(q, (2, 2), strides=(2, 2))
    flat = q.reshape(q.shape[0], -1)
    wq, ws, wz = weight_params(c["fc.weight"], wspec, 1)
    acc_scale = accumulator_scale(s, ws)
    acc = intref.matmul(flat, wq, z, wz, bias_to_int32(c["fc.bias"], acc_scale))
    return dequantize_accumulator(acc, acc_scale)


def harness_module(model_text, entry, x, classes=10):
    """The model plus a main that prints the bits of its float32 output."""
    y_type = mlir_type((x.shape[0], classes))
    bits_type = mlir_type((x.shape[0], classes), "i32")
    return model_text + f"""
func.func private @printMemrefI32(tensor<*xi32>)
func.func @main() {{
  %x = arith.constant {mlir_dense(x)}
  %y = func.call @{entry}(%x) : ({mlir_type(x.shape)}) -> {y_type}
  %b = arith.bitcast %y : {y_type} to {bits_type}
  %u = tensor.cast %b : {bits_type} to tensor<*xi32>
  func.call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}}
"""


def run_model(module, options):
    lowered = harness.run([harness.tool("QNN_OPT"), f"--qnn-pipeline={options}"], stdin=module)
    (bits,) = harness.parse_memrefs(harness.execute(lowered))
    return harness.as_float32(bits)


def sqnr_db(reference, got):
    reference = reference.astype(np.float64)
    noise = np.sum((got.astype(np.float64) - reference) ** 2)
    return np.inf if noise == 0 else 10 * np.log10(np.sum(reference**2) / noise)


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    failures = []
    models = {
        "mlp": (digits.mlp_forward, mlp_integer, list(CONFIGS)),
        "cnn": (digits.cnn_forward, cnn_integer, CNN_CONFIGS),
    }
    for model, (forward, integer_model, configs) in models.items():
        directory = os.path.join(EXAMPLES, f"digits-{model}")
        with open(os.path.join(directory, f"{model}.mlir")) as f:
            text = f.read()
        constants = digits.load_constants(os.path.join(directory, f"{model}.mlir"))
        test = np.load(os.path.join(directory, "test-set.npz"))
        calibration = np.load(os.path.join(directory, "calibration-set.npz"))
        record = {}
        forward(constants, calibration["images"], record)
        stats_path = os.path.join(workdir, f"{model}-stats.json")
        digits.write_statistics(record, stats_path)
        with open(stats_path) as f:
            stats = json.load(f)["values"]

        x, labels = test["images"], test["labels"]
        fp32 = forward(constants, x)
        fp32_accuracy = np.mean(fp32.argmax(1) == labels)
        module = harness_module(text, model, x)
        for name in configs:
            options, act_spec, wspec, mode, dynamic = CONFIGS[name]
            pipeline = options if dynamic else f"stats={stats_path} {options}".strip()
            got = run_model(module, pipeline)
            act = None if dynamic else Activations(act_spec, stats)
            expected = integer_model(constants, x, act, wspec, mode, dynamic)
            label = f"{model} {name}"
            mismatches = int(np.sum(got.view(np.int32) != expected.view(np.int32)))
            accuracy = np.mean(got.argmax(1) == labels)
            quality = sqnr_db(fp32, got)
            print(f"{label}: {mismatches} of {got.size} outputs differ from the integer reference; "
                  f"accuracy {accuracy:.4f} (fp32 {fp32_accuracy:.4f}), SQNR {quality:.1f} dB")
            if mismatches:
                failures.append(f"{label}: not bit-exact")
            if accuracy < fp32_accuracy - 0.01 or quality < 30:
                failures.append(f"{label}: too far from fp32")
    if failures:
        sys.exit("FAILED:\n  " + "\n  ".join(failures))
    print("all bit-exact")


if __name__ == "__main__":
    main()
