#!/usr/bin/python3
"""The bundled example: weight-only int8 quantization of a digits MLP, run
side by side with the fp32 model.

    /usr/bin/python3 examples/digits-mlp/demo.py [--build build]

Quantizes the weights of mlp.mlir (qnn-quantize-weights, GNMT scheme: symmetric
int8 per output channel), prints the error per weight tensor and the size saved
(qnn-report), lowers both the fp32 and the int8-weight model to LLVM
(qnn-lower-to-llvm), runs both on the 360 held-out test images with
mlir-runner, and compares them: top-1 accuracy of each, agreement, and the
error of the int8 logits against the fp32 ones.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LLVM_BIN = "/usr/lib/llvm-22/bin"
LLVM_LIB = "/usr/lib/llvm-22/lib"


def dense(array):
    if array.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in array) + "]"
    return "[" + ", ".join(dense(row) for row in array) + "]"


def harness(model_text, images):
    """The model plus a `main` that runs it on `images` and prints the logits."""
    batch, features = images.shape
    return f"""{model_text}
func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {{
  %x = arith.constant dense<{dense(images)}> : tensor<{batch}x{features}xf32>
  %logits = func.call @mlp(%x) : (tensor<{batch}x{features}xf32>) -> tensor<{batch}x10xf32>
  %printable = tensor.cast %logits : tensor<{batch}x10xf32> to tensor<*xf32>
  func.call @printMemrefF32(%printable) : (tensor<*xf32>) -> ()
  return
}}
"""


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"demo: command failed: {' '.join(command)}")
    return result


def compile_and_run(qnn_opt, source, pipeline, workdir, name):
    """Lowers `source` with `pipeline` and runs it; returns (stdout of
    qnn-opt, logits)."""
    lowered = os.path.join(workdir, f"{name}.llvm.mlir")
    opt = run([qnn_opt, source, f"--pass-pipeline=builtin.module({pipeline})", "-o", lowered])
    libs = ",".join(
        os.path.join(LLVM_LIB, lib)
        for lib in ("libmlir_c_runner_utils.so", "libmlir_runner_utils.so")
    )
    runner = run(
        [os.path.join(LLVM_BIN, "mlir-runner"), lowered, "-e", "main",
         "-entry-point-result=void", f"-shared-libs={libs}", "-O3"]
    )
    data = runner.stdout.split("data =", 1)[1]
    values = np.array([float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", data)],
                      dtype=np.float32)
    return opt.stdout, values.reshape(-1, 10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="the CMake build directory holding bin/qnn-opt")
    args = parser.parse_args()
    qnn_opt = os.path.join(args.build, "bin", "qnn-opt")
    if not os.path.exists(qnn_opt):
        sys.exit(f"demo: {qnn_opt} does not exist; build the project first")

    test_set = np.load(os.path.join(HERE, "test-set.npz"))
    images, labels = test_set["images"], test_set["labels"]
    with open(os.path.join(HERE, "mlp.mlir")) as f:
        model_text = f.read()

    with tempfile.TemporaryDirectory(prefix="qnn-demo-") as workdir:
        source = os.path.join(workdir, "mlp-harness.mlir")
        with open(source, "w") as f:
            f.write(harness(model_text, images))
        report_json = os.path.join(workdir, "report.json")

        print("== qnn-quantize-weights: int8 weights, one scale per output channel")
        report, int8_logits = compile_and_run(
            qnn_opt, source,
            f"qnn-quantize-weights,qnn-report{{output={report_json}}},qnn-lower-to-llvm",
            workdir, "int8")
        print(report, end="")
        _, fp32_logits = compile_and_run(qnn_opt, source, "qnn-lower-to-llvm", workdir, "fp32")

    fp32_pred = np.argmax(fp32_logits, axis=1)
    int8_pred = np.argmax(int8_logits, axis=1)
    error = int8_logits.astype(np.float64) - fp32_logits.astype(np.float64)
    sqnr = 10 * np.log10(np.sum(fp32_logits.astype(np.float64) ** 2) / np.sum(error**2))
    print()
    print(f"== {len(labels)} test images, fp32 model and int8-weight model side by side")
    print(f"{'':28}{'fp32':>10}{'int8 weights':>15}")
    print(f"{'top-1 accuracy':28}{np.mean(fp32_pred == labels):>10.2%}"
          f"{np.mean(int8_pred == labels):>15.2%}")
    print(f"{'predictions that agree':28}{'':>10}{np.mean(fp32_pred == int8_pred):>15.2%}")
    print(f"{'logits max |int8 - fp32|':28}{'':>10}{np.abs(error).max():>15.4g}")
    print(f"{'logits SQNR (dB)':28}{'':>10}{sqnr:>15.2f}")


if __name__ == "__main__":
    main()
