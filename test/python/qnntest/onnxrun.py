"""Import ONNX models with qnn-import-onnx, run them with qnn-run, and
compare the outputs with a reference computed elsewhere (torch, numpy, ONNX
Runtime): never with the project's own output."""

import os
import sys

import numpy as np

from qnntest.harness import run, tool


def import_model(onnx_path, flags=(), mlir_path=None):
    """qnn-import-onnx ONNX_PATH FLAGS -o MLIR_PATH; returns MLIR_PATH."""
    mlir_path = mlir_path or os.path.splitext(onnx_path)[0] + ".mlir"
    run([tool("QNN_IMPORT_ONNX"), onnx_path, *flags, "-o", mlir_path])
    return mlir_path


def run_model(mlir_path, inputs, extra=()):
    """qnn-run on `inputs` (numpy arrays, in argument order); the outputs."""
    base = os.path.splitext(mlir_path)[0]
    in_path, out_path = base + "-inputs.npz", base + "-outputs.npz"
    np.savez(in_path, **{f"a{i:02d}": x for i, x in enumerate(inputs)})
    run([tool("QNN_RUN"), mlir_path, f"--inputs={in_path}", "-o", out_path, *extra])
    with np.load(out_path) as data:
        return [data[f"output{i}"] for i in range(len(data.files))]


class Checker:
    """Collects comparisons, prints one line each, fails at the end."""

    def __init__(self):
        self.failures = []

    def close(self, name, got, want, atol, rtol):
        want = np.asarray(want)
        if got.shape != want.shape:
            self.failures.append(name)
            print(f"FAIL {name}: shape {got.shape}, expected {want.shape}")
            return
        err = np.abs(got.astype(np.float64) - want.astype(np.float64))
        bad = err > atol + rtol * np.abs(want)
        status = "FAIL" if bad.any() else "ok"
        print(f"{status} {name}: {want.shape} max abs error {err.max():.3g}")
        if bad.any():
            self.failures.append(name)

    def check(self, name, ok, message):
        print(f"{'ok' if ok else 'FAIL'} {name}: {message}")
        if not ok:
            self.failures.append(name)

    def finish(self):
        if self.failures:
            print("failed: " + ", ".join(self.failures))
            sys.exit(1)
