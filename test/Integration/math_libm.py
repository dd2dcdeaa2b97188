# Elementwise math without an LLVM intrinsic (erf, as in ONNX Erf and Gelu;
# tanh) becomes libm calls, one per vector lane, in qnn-lower-to-llvm: the
# compiled program's results must be those of Python's math module.
#
# RUN: %python %s %t

import math
import os
import subprocess
import sys

import numpy as np

MODEL = """
func.func @main(%x: tensor<37xf32>) -> (tensor<37xf32>, tensor<37xf32>) {
  %erf = math.erf %x : tensor<37xf32>
  %tanh = math.tanh %x : tensor<37xf32>
  return %erf, %tanh : tensor<37xf32>, tensor<37xf32>
}
"""


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    model = os.path.join(workdir, "math.mlir")
    with open(model, "w") as f:
        f.write(MODEL)
    x = np.linspace(-4, 4, 37, dtype=np.float32)
    np.save(os.path.join(workdir, "x.npy"), x)
    out = os.path.join(workdir, "out.npz")
    subprocess.run([os.environ["QNN_RUN"], model, f"--inputs={os.path.join(workdir, 'x.npy')}",
                    "--output-names=erf,tanh", "-o", out], check=True)
    results = np.load(out)
    for name, reference in (("erf", math.erf), ("tanh", math.tanh)):
        expected = np.array([reference(float(v)) for v in x], dtype=np.float32)
        error = np.max(np.abs(results[name] - expected))
        print(f"{name}: max |error| {error:.3g}")
        assert error <= 2e-7, (name, error)
    print("ok")


if __name__ == "__main__":
    main()
