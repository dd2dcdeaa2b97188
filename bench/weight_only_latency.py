#!/usr/bin/python3
"""Latency of the bundled digits MLP, fp32 against int8 weights (W8A32).

    /usr/bin/python3 bench/weight_only_latency.py [--build build] [--runs 200]

Compiles both models with qnn-lower-to-llvm, runs each `--runs` times on the
360 test images inside one mlir-runner process (after 20 warm-up runs), timing
every run with the runner's rtclock, and prints the median and the spread
(10th-90th percentile) of each, and their ratio. Both run in the same
invocation of this script, one after the other, on one core.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples", "digits-mlp"))
import demo  # noqa: E402  (the example's harness helpers)

WARMUP = 20


def timing_harness(model_text, images, runs):
    batch, features = images.shape
    total = runs + WARMUP
    return f"""{model_text}
func.func private @rtclock() -> f64
func.func private @printMemrefF64(tensor<*xf64>)
func.func @main() {{
  %x = arith.constant dense<{demo.dense(images)}> : tensor<{batch}x{features}xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {total} : index
  %last = arith.constant {batch - 1} : index
  %nine = arith.constant 9 : index
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<{total}xf64>
  // The checksum of every run's last logit is printed, so that the compiler
  // cannot drop the runs.
  %times, %checksum = scf.for %i = %c0 to %n step %c1
      iter_args(%t = %empty, %sum = %zero) -> (tensor<{total}xf64>, f32) {{
    // A different input every run, so that no run can be hoisted or reused.
    %i32 = arith.index_cast %i : index to i32
    %shift = arith.sitofp %i32 : i32 to f32
    %xi = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                          iterator_types = ["parallel", "parallel"]}}
        ins(%x : tensor<{batch}x{features}xf32>) outs(%x : tensor<{batch}x{features}xf32>) {{
    ^bb0(%in: f32, %unused: f32):
      %moved = arith.addf %in, %shift : f32
      linalg.yield %moved : f32
    }} -> tensor<{batch}x{features}xf32>
    %start = func.call @rtclock() : () -> f64
    %y = func.call @mlp(%xi) : (tensor<{batch}x{features}xf32>) -> tensor<{batch}x10xf32>
    %stop = func.call @rtclock() : () -> f64
    %elapsed = arith.subf %stop, %start : f64
    %next = tensor.insert %elapsed into %t[%i] : tensor<{total}xf64>
    %logit = tensor.extract %y[%last, %nine] : tensor<{batch}x10xf32>
    %nextSum = arith.addf %sum, %logit : f32
    scf.yield %next, %nextSum : tensor<{total}xf64>, f32
  }}
  %printable = tensor.cast %times : tensor<{total}xf64> to tensor<*xf64>
  func.call @printMemrefF64(%printable) : (tensor<*xf64>) -> ()
  vector.print %checksum : f32
  return
}}
"""


def measure(qnn_opt, source, pipeline, workdir, name):
    lowered = os.path.join(workdir, f"{name}.llvm.mlir")
    demo.run([qnn_opt, source, f"--pass-pipeline=builtin.module({pipeline})", "-o", lowered])
    libs = ",".join(
        os.path.join(demo.LLVM_LIB, lib)
        for lib in ("libmlir_c_runner_utils.so", "libmlir_runner_utils.so")
    )
    out = demo.run(
        ["taskset", "-c", "0", os.path.join(demo.LLVM_BIN, "mlir-runner"), lowered,
         "-e", "main", "-entry-point-result=void", f"-shared-libs={libs}", "-O3"]
    ).stdout
    data = out.split("data =", 1)[1].replace("[", " ").replace("]", " ").replace(",", " ")
    times = np.array([float(v) for v in data.split()[:-1]])[WARMUP:]
    return times * 1e6  # microseconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    qnn_opt = os.path.join(args.build, "bin", "qnn-opt")

    test_set = np.load(os.path.join(ROOT, "examples", "digits-mlp", "test-set.npz"))
    with open(os.path.join(ROOT, "examples", "digits-mlp", "mlp.mlir")) as f:
        model_text = f.read()
    with tempfile.TemporaryDirectory(prefix="qnn-bench-") as workdir:
        source = os.path.join(workdir, "bench.mlir")
        with open(source, "w") as f:
            f.write(timing_harness(model_text, test_set["images"], args.runs))
        results = {
            "fp32": measure(qnn_opt, source, "qnn-lower-to-llvm", workdir, "fp32"),
            "int8 weights (W8A32)": measure(
                qnn_opt, source, "qnn-quantize-weights,qnn-lower-to-llvm", workdir, "w8"),
        }

    print(f"digits MLP 64-64-32-10, batch 360, {args.runs} runs after {WARMUP} warm-up, one core")
    print(f"{'model':24}{'median (us)':>14}{'p10 (us)':>12}{'p90 (us)':>12}{'vs fp32':>10}")
    base = np.median(results["fp32"])
    for name, times in results.items():
        median = np.median(times)
        print(f"{name:24}{median:>14.1f}{np.percentile(times, 10):>12.1f}"
              f"{np.percentile(times, 90):>12.1f}{median / base:>9.2f}x")


if __name__ == "__main__":
    main()
