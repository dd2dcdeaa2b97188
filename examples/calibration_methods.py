#!/usr/bin/python3
"""Accuracy of every calibration method on the bundled digits MLP and CNN.

    /usr/bin/python3 examples/calibration_methods.py [--build build]

For each model: `qnn-run --calibrate` on its 200 calibration images (one
statistics file), then for each method `qnn-opt --qnn-quantize="stats=...
calibration=<method>" --qnn-fuse` (uint8 asymmetric activations, int8
symmetric per-channel weights) and `qnn-run --eval` of the fp32 model against
the int8 one on the 360 test images. Prints the markdown table of
docs/ACCURACY.md. Deterministic: same data, same figures.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
METHODS = [("minmax", ""), ("moving-average", ""), ("percentile", "percentile=99.99"),
           ("percentile", "percentile=99.9"), ("mse", ""), ("entropy", ""),
           ("minmax", "compat=pytorch"), ("mse", "compat=pytorch activation-reduce-range=true")]


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"calibration_methods: command failed: {' '.join(command)}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = parser.parse_args()
    qnn_opt = os.path.join(args.build, "bin", "qnn-opt")
    qnn_run = os.path.join(args.build, "bin", "qnn-run")
    print("| model | calibration | options | top-1 fp32 | top-1 int8 | agreement | "
          "SQNR of logits (dB) | max abs error |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="qnn-methods-") as workdir:
        for model in ("mlp", "cnn"):
            directory = os.path.join(ROOT, "examples", f"digits-{model}")
            fp32 = os.path.join(directory, f"{model}.mlir")
            stats = os.path.join(workdir, f"{model}-stats.json")
            run([qnn_run, fp32, "--calibrate",
                 f"--inputs={os.path.join(directory, 'calibration-set.npz')}:images", "-o", stats])
            test_set = os.path.join(directory, "test-set.npz")
            for method, extra in METHODS:
                int8 = os.path.join(workdir, f"{model}-int8.mlir")
                report = os.path.join(workdir, "eval.json")
                run([qnn_opt, fp32, f"--qnn-quantize=stats={stats} calibration={method} {extra}",
                     "--qnn-fuse", "-o", int8])
                run([qnn_run, fp32, "--eval", f"--compare={int8}", f"--inputs={test_set}:images",
                     f"--labels={test_set}:labels", f"--json={report}"])
                with open(report) as f:
                    output = json.load(f)["outputs"][0]
                print(f"| {model.upper()} | {method} | {extra or '-'} | "
                      f"{output['reference_accuracy']:.2%} | {output['candidate_accuracy']:.2%} | "
                      f"{output['top1_agreement']:.2%} | {output['sqnr_db']:.2f} | "
                      f"{output['max_abs_error']:.4f} |")


if __name__ == "__main__":
    main()
