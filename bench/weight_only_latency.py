#!/usr/bin/python3
"""Latency of the bundled digits MLP, fp32 against int8 weights (W8A32).

    /usr/bin/python3 bench/weight_only_latency.py [--build build] [--runs 200] [--json out.json]

Quantizes the weights with qnn-opt --qnn-quantize-weights, then times both
models with `qnn-run --bench --compare`: each is JIT-compiled in process
(qnn-lower-to-llvm, LLVM -O3 for the host CPU) and called on the 360 test
images, `--runs` times each after 20 warm-up runs, the two models'
runs alternating; qnn-run prints the median and the spread (10th-90th
percentile) of each, their ratio, and the bytes of their constants. Nothing
is pinned: the machine is shared, so compare the ratio within one run.
"""

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "digits-mlp")
WARMUP = 20


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"bench: command failed: {' '.join(command)}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", help="also write qnn-run's report as JSON here")
    args = parser.parse_args()
    qnn_opt = os.path.join(args.build, "bin", "qnn-opt")
    qnn_run = os.path.join(args.build, "bin", "qnn-run")

    model = os.path.join(EXAMPLE, "mlp.mlir")
    with tempfile.TemporaryDirectory(prefix="qnn-bench-") as workdir:
        quantized = os.path.join(workdir, "mlp-w8.mlir")
        run([qnn_opt, model, "--qnn-quantize-weights", "-o", quantized])
        command = [qnn_run, model, "--bench", f"--compare={quantized}",
                   f"--inputs={os.path.join(EXAMPLE, 'test-set.npz')}:images",
                   f"--repetitions={args.runs}", f"--warmup={WARMUP}"]
        if args.json:
            command.append(f"--json={args.json}")
        print("digits MLP 64-64-32-10, fp32 (mlp.mlir) against int8 weights (mlp-w8.mlir)")
        # The command as it would be typed from the repository root.
        shown = (c.replace(ROOT + os.sep, "").replace(workdir + os.sep, "") for c in command)
        print("$ " + " ".join(shown))
        print(run(command), end="")


if __name__ == "__main__":
    main()
