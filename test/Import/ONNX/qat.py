# A model trained with PyTorch's quantization-aware training (torch 1.13:
# fuse, prepare_qat, a few steps on random data, convert), exported to ONNX
# with its QuantizeLinear/DequantizeLinear nodes, imported with its own
# scales (qnn ops, no calibration) and run with qnn-run: the int8 outputs
# must match torch's quantized model within one step of the output scale,
# as imported and after qnn-fuse.
# Weights per tensor (qnnpack's qconfig) and per channel (fbgemm's, run on
# the qnnpack engine).
# RUN: rm -rf %t && mkdir -p %t && %python %s %t

import os
import re
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
    for form, path in [("imported", mlir), ("fused", fused)]:
        got = run_model(path, [x.numpy()])[0]
        err = np.abs(got - want)
        within = np.mean(err <= step * 1.001)
        checker.check(f"{name} {form} outputs",
                      got.shape == want.shape and err.max() <= step * 1.001,
                      f"max |qnn - torch| = {err.max():.5f}, output step {step:.5f}, "
                      f"{100 * within:.1f}% within one step, "
                      f"{100 * np.mean(err == 0):.1f}% identical")
checker.finish()
