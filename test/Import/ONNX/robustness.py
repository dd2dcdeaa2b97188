# Truncated and corrupted models: qnn-import-onnx must exit 0 (a corruption
# can leave a valid model) or 1 with an error message, and never crash, hang
# or leave a module that does not verify.
# RUN: rm -rf %t && mkdir -p %t && %python %s %t

import os
import subprocess
import sys

import numpy as np
import onnx

from qnntest import onnxcases
from qnntest.harness import tool

out_dir = sys.argv[1]
importer = tool("QNN_IMPORT_ONNX")
failures = []
runs = 0


def attempt(label, data):
    global runs
    path = os.path.join(out_dir, "model.onnx")
    with open(path, "wb") as f:
        f.write(data)
    result = subprocess.run([importer, path, "-o", os.devnull], capture_output=True, errors="replace",
                            text=True, timeout=60)
    runs += 1
    if result.returncode == 0:
        return
    if result.returncode != 1 or "error:" not in result.stderr or "does not verify" in result.stderr:
        failures.append(label)
        print(f"FAIL {label}: exit {result.returncode}\n{result.stderr[-2000:]}")


r = np.random.default_rng(7)
for name in ["conv_bn", "data_movement", "shape_subgraph"]:
    data = onnxcases.CASES[name]().model.SerializeToString()
    for cut in sorted(set(r.integers(1, len(data), 15).tolist())):
        attempt(f"{name} cut at {cut}", data[:cut])
    for k in range(15):
        corrupt = bytearray(data)
        for position in r.integers(0, len(data), 1 + k % 4):
            corrupt[position] = int(r.integers(0, 256))
        attempt(f"{name} corruption {k}", bytes(corrupt))

print(f"{runs} runs, {len(failures)} failures")
sys.exit(1 if failures else 0)
