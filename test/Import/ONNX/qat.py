# A model trained with PyTorch's quantization-aware training (torch 1.13:
# fuse, prepare_qat, a few steps on random data, convert), exported to ONNX
# with its QuantizeLinear/DequantizeLinear nodes, imported with its own
# scales (qnn ops, no calibration) and run with qnn-run: the int8 outputs
# must match torch's quantized model within one step of the output scale,
# as imported and after qnn-fuse; and, when QNN_ONNXRUNTIME_NODE names an
# npm install of onnxruntime-node, ONNX Runtime's outputs on the same model.
# Weights per tensor (qnnpack's qconfig) and per channel (fbgemm's, run on
# the qnnpack engine).
# RUN: rm -rf %t && mkdir -p %t && %python %s %t

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn

from qnntest.harness import run, tool
from qnntest.onnxrun import Checker, import_model, run_model

out_dir = sys.argv[1]
torch.backends.quantized.engine = "qnnpack"
checker = Checker()


class Net(nn.Module):
    """conv-relu, strided conv-relu, max pool, flatten, linear."""

    def __init__(self):
        super().__init__()
        self.quant = torch.quantization.QuantStub()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(6, 8, 3, stride=2, padding=1)
        self.relu2 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8 * 3 * 3, 10)
        self.dequant = torch.quantization.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv1(x))
        x = self.pool(self.relu2(self.conv2(x)))
        x = self.fc(torch.flatten(x, 1))
        return self.dequant(x)


def train_qat(qconfig_name, seed):
    torch.manual_seed(seed)
    model = Net()
    model.train()
    model.qconfig = torch.quantization.get_default_qat_qconfig(qconfig_name)
    torch.quantization.fuse_modules(model, [["conv1", "relu1"], ["conv2", "relu2"]], inplace=True)
    torch.quantization.prepare_qat(model, inplace=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    # A learnable toy task: the class is the quadrant of the brightest pixel.
    for _ in range(30):
        x = torch.randn(32, 1, 12, 12)
        flat = x.flatten(1).argmax(1)
        y = (flat // 12 >= 6).long() * 2 + (flat % 12 >= 6).long()
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    return torch.quantization.convert(model)


def run_onnxruntime(onnx_path, x):
    """Output 0 of ONNX Runtime on `x`, or None without onnxruntime-node."""
    modules = os.environ.get("QNN_ONNXRUNTIME_NODE")
    if not modules:
        return None
    base = os.path.splitext(onnx_path)[0]
    x.astype("<f4").tofile(base + "-ort-in.bin")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs", "ort-run.js")
    env = dict(os.environ, NODE_PATH=os.path.join(modules, "node_modules"))
    subprocess.run(["node", script, onnx_path, base + "-ort-in.bin",
                    "x".join(map(str, x.shape)), base + "-ort-out.bin"],
                   check=True, env=env, capture_output=True, timeout=120)
    return np.fromfile(base + "-ort-out.bin", "<f4").reshape(len(x), -1)


if not os.environ.get("QNN_ONNXRUNTIME_NODE"):
    print("(QNN_ONNXRUNTIME_NODE is not set: no comparison with ONNX Runtime)")
for name, qconfig in [("per_tensor", "qnnpack"), ("per_channel", "fbgemm")]:
    quantized = train_qat(qconfig, seed=len(name))
    x = torch.randn(8, 1, 12, 12)
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(quantized, x, path, opset_version=13)
    mlir = import_model(path)
    text = open(mlir).read()
    # The contractions run on the model's own quantized types.
    checker.check(f"{name} qnn.conv2d", text.count("qnn.conv2d") == 2, "two integer convolutions")
    checker.check(f"{name} qnn.matmul", text.count("qnn.matmul") == 1, "one integer matmul")
    checker.check(f"{name} no fp32 contraction", "linalg.conv" not in text and "linalg.matmul" not in text,
                  "no fp32 convolution or matmul left")
    if name == "per_channel":
        checker.check(f"{name} per-axis weights", re.search(r"!quant\.uniform<i8:f32:0, \{", text) is not None,
                      "per-output-channel weight scales")
    # As imported (integer contractions, bias and ReLU in fp32 between the
    # model's quantize/dequantize pairs), and after qnn-fuse (integer code
    # from the first quantize to the last dequantize).
    fused = os.path.join(out_dir, name + "-fused.mlir")
    run([tool("QNN_OPT"), mlir, "--qnn-fuse", "-o", fused])
    fused_text = open(fused).read()
    checker.check(f"{name} fused", fused_text.count("qnn.quantize") == 1 and
                  fused_text.count("quant.dcast") == 1 and "arith.addf" not in fused_text,
                  "one quantize, one dequantize, no fp32 arithmetic between")
    with torch.no_grad():
        want = quantized(x).numpy()
    step = float(quantized.fc.scale)
    ort = run_onnxruntime(path, x.numpy())
    if ort is not None:
        err = np.abs(ort - want)
        checker.check(f"{name} onnxruntime", err.max() <= step * 1.001,
                      f"max |ORT - torch| = {err.max():.5f}")
    for form, path in [("imported", mlir), ("fused", fused)]:
        got = run_model(path, [x.numpy()])[0]
        if ort is not None:
            err = np.abs(got - ort)
            checker.check(f"{name} {form} vs onnxruntime", err.max() <= step * 1.001,
                          f"max |qnn - ORT| = {err.max():.5f}, "
                          f"{100 * np.mean(err == 0):.1f}% identical")
        err = np.abs(got - want)
        within = np.mean(err <= step * 1.001)
        checker.check(f"{name} {form} outputs",
                      got.shape == want.shape and err.max() <= step * 1.001,
                      f"max |qnn - torch| = {err.max():.5f}, output step {step:.5f}, "
                      f"{100 * within:.1f}% within one step, "
                      f"{100 * np.mean(err == 0):.1f}% identical")
checker.finish()
