#!/usr/bin/python3
"""The bundled example: full int8 (W8A8) quantization of a digits MLP, run
side by side with the fp32 model.

    /usr/bin/python3 examples/digits-mlp/demo.py [--build build]

1. calibrate: `qnn-run --calibrate` JIT-compiles the fp32 model with an
   observer on every activation qnn-quantize will quantize
   (qnn-insert-observers) and runs it on 200 training images: min, max,
   moving averages and a histogram of each, in a statistics JSON
   (docs/Calibration.md);
2. quantize: `qnn-opt --qnn-quantize --qnn-fuse --qnn-report` turns the fp32
   model into integer code (uint8 activations, int8 weights per output
   channel, int32 biases and accumulators, fixed-point requantization with
   the ReLU folded into the clamp) and prints the error per weight tensor and
   the size saved;
3. evaluate: `qnn-run --eval` JIT-compiles both models and runs them on the
   360 held-out test images: top-1 accuracy of each, agreement, error of the
   int8 logits against the fp32 ones;
4. benchmark: `qnn-run --bench`, latency of both, side by side.
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
    parser.add_argument("--calibration", default="minmax",
                        choices=["minmax", "moving-average", "percentile", "mse", "entropy"],
                        help="how qnn-quantize chooses each activation's range from the statistics")
    args = parser.parse_args()
    tools = {name: os.path.join(args.build, "bin", name) for name in ("qnn-opt", "qnn-run")}
    for path in tools.values():
        if not os.path.exists(path):
            sys.exit(f"demo: {path} does not exist; build the project first")

    model = os.path.join(HERE, "mlp.mlir")
    test_set = os.path.join(HERE, "test-set.npz")
    with tempfile.TemporaryDirectory(prefix="qnn-demo-") as workdir:
        stats = os.path.join(workdir, "mlp-stats.json")
        print("== qnn-run --calibrate: activation statistics on 200 training images")
        print(run([tools["qnn-run"], model, "--calibrate",
                   f"--inputs={os.path.join(HERE, 'calibration-set.npz')}:images",
                   "-o", stats]).replace(workdir + os.sep, ""), end="")

        quantized = os.path.join(workdir, "mlp-int8.mlir")
        print()
        print(f"== qnn-quantize (calibration={args.calibration}) + qnn-fuse: uint8 activations, "
              "int8 weights per output channel, int32 accumulators")
        print(run([tools["qnn-opt"], model,
                   f"--qnn-quantize=stats={stats} calibration={args.calibration}", "--qnn-fuse",
                   "--qnn-report", "-o", quantized]), end="")

        inputs = [f"--inputs={test_set}:images"]
        print()
        print("== qnn-run --eval: fp32 (mlp.mlir) and int8 (mlp-int8.mlir) on the 360 test images")
        print(run([tools["qnn-run"], model, "--eval", f"--compare={quantized}", *inputs,
                   f"--labels={test_set}:labels", "--output-names=logits"]), end="")

        print()
        print("== qnn-run --bench: latency of one batch of 360 images")
        print(run([tools["qnn-run"], model, "--bench", f"--compare={quantized}", *inputs,
                   "--repetitions=100"]), end="")


if __name__ == "__main__":
    main()
