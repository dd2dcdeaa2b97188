#!/usr/bin/python3
"""The bundled example: weight-only int8 quantization of a digits MLP, run
side by side with the fp32 model.

    /usr/bin/python3 examples/digits-mlp/demo.py [--build build]

Quantizes the weights of mlp.mlir (qnn-opt --qnn-quantize-weights, GNMT
scheme: symmetric int8 per output channel), prints the error per weight
tensor and the size saved (qnn-report), then runs the fp32 and the
int8-weight model on the 360 held-out test images with
`qnn-run --eval` (each model JIT-compiled in process) and prints the
comparison: top-1 accuracy of each, agreement, and the error of the int8
logits against the fp32 ones.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"demo: command failed: {' '.join(command)}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="the CMake build directory holding bin/qnn-opt and bin/qnn-run")
    args = parser.parse_args()
    tools = {name: os.path.join(args.build, "bin", name) for name in ("qnn-opt", "qnn-run")}
    for path in tools.values():
        if not os.path.exists(path):
            sys.exit(f"demo: {path} does not exist; build the project first")

    model = os.path.join(HERE, "mlp.mlir")
    test_set = os.path.join(HERE, "test-set.npz")
    with tempfile.TemporaryDirectory(prefix="qnn-demo-") as workdir:
        quantized = os.path.join(workdir, "mlp-w8.mlir")
        print("== qnn-quantize-weights: int8 weights, one scale per output channel")
        print(run([tools["qnn-opt"], model, "--qnn-quantize-weights", "--qnn-report",
                   "-o", quantized]), end="")

        print()
        print("== qnn-run --eval: the fp32 model (mlp.mlir) and the int8-weight model "
              "(mlp-w8.mlir) on the 360 test images")
        print(run([tools["qnn-run"], model, "--eval", f"--compare={quantized}",
                   f"--inputs={test_set}:images", f"--labels={test_set}:labels",
                   "--output-names=logits"]), end="")


if __name__ == "__main__":
    main()
