"""numpy references for the qnn-run tests on the bundled digits models.

    digits_check.py inputs SRC DIR           write DIR/mlp-560.npz: the 360 test and
                                             200 calibration images (batches of 360)
    digits_check.py run SRC DIR              check qnn-run's outputs in DIR against
                                             the numpy models of test/python/qnntest
    digits_check.py eval SRC REPORT.json     check an --eval report of the MLP against
                                             its weight-quantized version, in numpy
    digits_check.py bench REPORT.json        check the shape of a --bench report

The numpy models (qnntest.digits) are written independently of qnn-mlir; the
int8 weights are quantized here from the numeric contract (symmetric, one
scale per output channel, absmax / 127, round half to even).
"""

import json
import os
import sys

import numpy as np

from qnntest import digits

# float32 sums in another order than numpy's; logits are of the order of 10.
TOLERANCE = 1e-3


def example(src, name):
    directory = os.path.join(src, "examples", f"digits-{name}")
    constants = digits.load_constants(os.path.join(directory, f"{name}.mlir"))
    data = np.load(os.path.join(directory, "test-set.npz"))
    return constants, data["images"], data["labels"]


def write_inputs(src, out):
    directory = os.path.join(src, "examples", "digits-mlp")
    test = np.load(os.path.join(directory, "test-set.npz"))
    calibration = np.load(os.path.join(directory, "calibration-set.npz"))
    np.savez(
        os.path.join(out, "mlp-560.npz"),
        images=np.concatenate([test["images"], calibration["images"]]),
        labels=np.concatenate([test["labels"], calibration["labels"]]),
    )


def expect_close(what, got, want):
    error = float(np.abs(got.astype(np.float64) - want).max())
    if got.shape != want.shape or error > TOLERANCE:
        sys.exit(f"{what}: shape {got.shape} (want {want.shape}), max error {error}")
    agree = np.mean(got.argmax(axis=1) == want.argmax(axis=1))
    print(f"{what}: max |qnn-run - numpy| = {error:.3g}, top-1 agreement {agree:.2%}")
    if agree != 1.0:
        sys.exit(f"{what}: top-1 predictions differ from numpy's")


def check_run(src, out):
    constants, images, labels = example(src, "mlp")
    want = digits.mlp_forward(constants, images)
    got = np.load(os.path.join(out, "mlp.npz"))["output0"]
    expect_close("mlp", got, want)
    accuracy = np.mean(got.argmax(axis=1) == labels)
    print(f"mlp: top-1 accuracy {accuracy:.2%}")
    if accuracy < 0.95:
        sys.exit("mlp: the bundled model should be above 95%")

    with np.load(os.path.join(out, "mlp-560.npz")) as data:
        many = data["images"]
    want = digits.mlp_forward(constants, many)
    got = np.load(os.path.join(out, "mlp-560.out.npz"))["output0"]
    expect_close("mlp on 560 samples (2 batches, 160 rows of padding)", got, want)

    constants, images, labels = example(src, "cnn")
    want = digits.cnn_forward(constants, images)
    got = np.load(os.path.join(out, "cnn.npz"))["output0"]
    expect_close("cnn", got, want)
    accuracy = np.mean(got.argmax(axis=1) == labels)
    print(f"cnn: top-1 accuracy {accuracy:.2%}")
    if accuracy < 0.95:
        sys.exit("cnn: the bundled model should be above 95%")


def quantize_columns(w):
    """Symmetric int8 per output channel (axis 1 of x @ w), dequantized."""
    absmax = np.abs(w).max(axis=0)
    scale = np.where(absmax > 0, absmax / np.float32(127), np.float32(1)).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127)
    return (q * scale).astype(np.float32)


def check_eval(src, report_path):
    with open(report_path) as f:
        report = json.load(f)
    constants, images, labels = example(src, "mlp")
    reference = digits.mlp_forward(constants, images).astype(np.float64)
    quantized = dict(constants)
    for layer in (1, 2, 3):
        name = f"fc{layer}.weight"
        quantized[name] = quantize_columns(constants[name])
    candidate = digits.mlp_forward(quantized, images).astype(np.float64)
    error = candidate - reference
    want = {
        "max_abs_error": np.abs(error).max(),
        "sqnr_db": 10 * np.log10(np.sum(reference**2) / np.sum(error**2)),
        "top1_agreement": np.mean(candidate.argmax(1) == reference.argmax(1)),
        "reference_accuracy": np.mean(reference.argmax(1) == labels),
        "candidate_accuracy": np.mean(candidate.argmax(1) == labels),
    }
    (output,) = report["outputs"]
    if report["samples"] != len(labels) or output["shape"] != [len(labels), 10]:
        sys.exit(f"eval: report of {report['samples']} samples, shape {output['shape']}")
    # Error statistics within the float32 noise of both computations; the
    # top-1 figures exactly, unless a sample sits on a near tie.
    tolerances = {"max_abs_error": 2e-3, "sqnr_db": 0.05, "top1_agreement": 1 / 360,
                  "reference_accuracy": 0, "candidate_accuracy": 1 / 360}
    for key, value in want.items():
        got = output[key]
        print(f"eval {key}: qnn-run {got:.6g}, numpy {value:.6g}")
        if abs(got - value) > tolerances[key]:
            sys.exit(f"eval {key}: qnn-run says {got}, numpy {value}")


def check_bench(report_path):
    with open(report_path) as f:
        report = json.load(f)
    models = report["models"]
    if len(models) != 2 or report["repetitions"] != 3:
        sys.exit(f"bench: {len(models)} models, {report['repetitions']} repetitions")
    for model in models:
        latency = model["latency"]
        if latency["runs"] != 3 or not 0 < latency["min_s"] <= latency["p10_s"] <= latency["median_s"] <= latency["p90_s"] <= latency["max_s"]:
            sys.exit(f"bench: inconsistent latency {latency}")
        if model["samples"] != 360 or model["calls_per_run"] != 1:
            sys.exit(f"bench: {model['samples']} samples in {model['calls_per_run']} calls")
    fp32, int8 = (m["constants"] for m in models)
    # 6464 weights and 106 biases; int8 weights plus 106 f32 scales.
    if fp32["bytes_by_element"] != {"f32": 4 * (6464 + 106)}:
        sys.exit(f"bench: fp32 constants {fp32}")
    if int8["bytes_by_element"] != {"i8": 6464, "f32": 4 * 106} or int8["quant_param_bytes"] != 4 * 106:
        sys.exit(f"bench: int8 constants {int8}")
    print("bench: report consistent")


def main():
    command = sys.argv[1]
    if command == "inputs":
        write_inputs(sys.argv[2], sys.argv[3])
    elif command == "run":
        check_run(sys.argv[2], sys.argv[3])
    elif command == "eval":
        check_eval(sys.argv[2], sys.argv[3])
    elif command == "bench":
        check_bench(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
