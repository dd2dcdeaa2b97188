# qnn-pipeline end to end: the bundled digits MLP and CNN (fp32 linalg)
# quantized with calibration statistics under several option sets, and a
# small TOSA model quantized dynamically, lowered and run. The int8 models
# must keep the fp32 accuracy and stay within quantization error of the fp32
# outputs, with int8 weights in the compiled code. (The integer ops
# themselves are checked bit for bit in the other integer_*.py tests.)
# RUN: %python %s

import math
import os
import re
import sys
import tempfile

import numpy as np

from qnntest import digits, harness
from qnntest.harness import mlir_dense, mlir_type

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")


def main_function(name, x, out_shape):
    x_type, y_type = mlir_type(x.shape), mlir_type(out_shape)
    bits_type = mlir_type(out_shape, "i32")
    return f"""
func.func private @printMemrefI32(tensor<*xi32>)
func.func @main() {{
  %x = arith.constant {mlir_dense(x)}
  %y = func.call @{name}(%x) : ({x_type}) -> {y_type}
  %b = arith.bitcast %y : {y_type} to {bits_type}
  %u = tensor.cast %b : {bits_type} to tensor<*xi32>
  func.call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}}
"""


def run_pipeline(module, options):
    lowered = harness.run([harness.tool("QNN_OPT"), f"--qnn-pipeline={options}"], stdin=module)
    (bits,) = harness.parse_memrefs(harness.execute(lowered))
    return harness.as_float32(bits), lowered


failures = []


def check(label, condition, detail):
    if condition:
        print(f"ok: {label} ({detail})")
    else:
        failures.append(label)
        print(f"FAIL: {label} ({detail})")


def check_model(label, y, ref, labels, lowered, int8_weights, tolerance):
    error = np.abs(y.astype(np.float64) - ref)
    bound = tolerance * np.abs(ref).max()
    check(f"{label}: error", error.max() <= bound, f"max error {error.max():.4g}, bound {bound:.4g}")
    if labels is not None:
        fp32_accuracy = (ref.argmax(1) == labels).mean()
        accuracy = (y.argmax(1) == labels).mean()
        check(f"{label}: accuracy", accuracy >= fp32_accuracy - 0.01,
              f"int8 {accuracy:.4f}, fp32 {fp32_accuracy:.4f}")
    # The weights stay int8: as a K x N global (a convolution's filter in its
    # own shape), or packed by qnn-cpu-contraction-kernels into panels
    # (zero-padded to at most 4 rows of k and 16 columns; a filter
    # KH x KW x C x F as the K x F matrix of its im2col form).
    i8_globals = [math.prod(int(d) for d in dims.split("x"))
                  for dims in re.findall(r"global private constant @\S+\(dense<.*?> : tensor<([0-9x]+)xi8>\)",
                                         lowered)]
    for shape in int8_weights:
        dims = [int(d) for d in shape.split("x")]
        if len(dims) != 2 and f"tensor<{shape}xi8>" in lowered:
            check(f"{label}: int8 weights {shape}", True, "global present")
            continue
        k, n = math.prod(dims[:-1]), dims[-1]
        padded = -(-k // 4) * 4 * (-(-n // 16) * 16)
        check(f"{label}: int8 weights {shape}", any(k * n <= size <= padded for size in i8_globals),
              "an i8 global of K x N (or packed) elements")


def digits_models():
    # The option sets are spread over the two models to keep the test short.
    mlp_options = ["", "rescale=float", "weight-granularity=per-tensor fold-zero-points=false", "vectorize=false"]
    cnn_options = ["", "rescale=float activation-signed=true weight-range=full"]
    for example, name, forward, weights, option_sets in [
        ("digits-mlp", "mlp", digits.mlp_forward, ["64x64", "64x32", "32x10"], mlp_options),
        ("digits-cnn", "cnn", digits.cnn_forward, ["3x3x1x8", "3x3x8x16", "256x10"], cnn_options),
    ]:
        path = os.path.join(EXAMPLES, example, f"{name}.mlir")
        constants = digits.load_constants(path)
        calibration = np.load(os.path.join(EXAMPLES, example, "calibration-set.npz"))["images"]
        test = np.load(os.path.join(EXAMPLES, example, "test-set.npz"))
        record = {}
        forward(constants, calibration, record)
        with open(path) as f:
            module = f.read() + main_function(name, test["images"], (test["images"].shape[0], 10))
        ref = forward(constants, test["images"]).astype(np.float64)
        with tempfile.TemporaryDirectory() as tmp:
            stats = os.path.join(tmp, "stats.json")
            digits.write_statistics(record, stats)
            for options in option_sets:
                y, lowered = run_pipeline(module, f"stats={stats} {options}".strip())
                check_model(f"{name} [{options or 'default'}]", y, ref, test["labels"], lowered, weights, 0.05)
        y, lowered = run_pipeline(module, "mode=dynamic")
        check_model(f"{name} [mode=dynamic]", y, ref, test["labels"], lowered, weights, 0.05)


def tosa_model():
    """tosa.conv2d (padded, with bias) + ReLU, reshape, tosa.matmul: through
    tosa-to-linalg-named into qnn-quantize, with run-time ranges."""
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, size=(2, 6, 6, 3)).astype(np.float32)
    w = (rng.standard_normal((4, 3, 3, 3)) * 0.5).astype(np.float32)
    bias = rng.uniform(-0.5, 0.5, size=(4,)).astype(np.float32)
    w2 = (rng.standard_normal((1, 144, 5)) * 0.2).astype(np.float32)
    zp = '%zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>'
    body = f"""
func.func @net(%x: tensor<2x6x6x3xf32>) -> tensor<2x5xf32> {{
  {zp}
  %w = "tosa.const"() <{{values = {mlir_dense(w)}}}> : () -> tensor<4x3x3x3xf32>
  %b = "tosa.const"() <{{values = {mlir_dense(bias)}}}> : () -> tensor<4xf32>
  %w2 = "tosa.const"() <{{values = {mlir_dense(w2)}}}> : () -> tensor<1x144x5xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {{acc_type = f32, dilation = array<i64: 1, 1>,
      pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}}
      : (tensor<2x6x6x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x6x6x4xf32>
  %r = tosa.clamp %c {{min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32}} : (tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  %shape = tosa.const_shape {{values = dense<[1, 2, 144]> : tensor<3xindex>}} : () -> !tosa.shape<3>
  %f = tosa.reshape %r, %shape : (tensor<2x6x6x4xf32>, !tosa.shape<3>) -> tensor<1x2x144xf32>
  %m = tosa.matmul %f, %w2, %zp, %zp : (tensor<1x2x144xf32>, tensor<1x144x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x5xf32>
  %oshape = tosa.const_shape {{values = dense<[2, 5]> : tensor<2xindex>}} : () -> !tosa.shape<2>
  %y = tosa.reshape %m, %oshape : (tensor<1x2x5xf32>, !tosa.shape<2>) -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}}
"""
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0))).astype(np.float64)
    conv = np.zeros((2, 6, 6, 4))
    for i in range(3):
        for j in range(3):
            conv += padded[:, i:i + 6, j:j + 6, :] @ w[:, i, j, :].T.astype(np.float64)
    ref = np.maximum(conv + bias, 0).reshape(2, 144) @ w2[0].astype(np.float64)
    y, lowered = run_pipeline(body + main_function("net", x, (2, 5)), "mode=dynamic")
    check_model("tosa conv2d + matmul [mode=dynamic]", y.reshape(2, 5), ref, None, lowered, ["3x3x3x4", "1x144x5"], 0.05)


digits_models()
tosa_model()
if failures:
    sys.exit(f"{len(failures)} check(s) failed")
