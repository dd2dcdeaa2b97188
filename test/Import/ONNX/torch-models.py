# Small models of the kinds qnn-mlir targets (a CNN, an MLP, a 1-D speech
# front end), built in torch, exported with torch.onnx.export at several
# opsets, imported with qnn-import-onnx, run with qnn-run and compared with
# torch's own fp32 outputs; then quantized with qnn-quantize (dynamic mode)
# and compared again.
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
torch.manual_seed(0)
checker = Checker()


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.BatchNorm2d(8), nn.ReLU6(),
            nn.Conv2d(8, 16, 1), nn.Hardswish(),
            nn.Conv2d(16, 16, 3, stride=2, padding=2, dilation=2, groups=4),
            nn.AvgPool2d(2, ceil_mode=True),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(16 * 2 * 2, 10), nn.Softmax(dim=1))

    def forward(self, x):
        return self.head(self.features(x))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 16), nn.Sigmoid(),
                                 nn.Linear(16, 4), nn.LeakyReLU(0.2))

    def forward(self, x):
        return self.net(x) * 2.0 - x[:, :4]


class Speech(nn.Module):
    """Conv1d front end over [N, features, time], mean over time, classifier;
    the reshape of the features takes its size from the input (a shape
    subgraph in the export)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(10, 16, 5, stride=2), nn.BatchNorm1d(16), nn.ReLU(),
                                  nn.Conv1d(16, 16, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        x = x.reshape(x.shape[0], 10, -1)
        y = self.conv(x).mean(dim=2)
        return self.fc(y).unsqueeze(1).transpose(1, 2).squeeze(2)


cases = [
    ("cnn", Cnn(), (2, 3, 12, 12), 13, {}),
    ("cnn_opset9", Cnn(), (2, 3, 12, 12), 9, {}),
    ("mlp", Mlp(), (5, 20), 13, {}),
    ("speech", Speech(), (2, 10, 1, 40), 13, {}),
    ("speech_opset11", Speech(), (2, 10, 1, 40), 11, {}),
    # Exported with dynamic batch and time; imported with --input-shape.
    ("speech_dynamic", Speech(), (3, 10, 1, 50), 13,
     {"x": {0: "batch", 3: "time"}}),
]

for name, model, shape, opset, dynamic in cases:
    model.eval()
    # Non-trivial BatchNorm statistics.
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    x = torch.randn(*shape)
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["x"],
                      dynamic_axes=dynamic or None)
    flags = []
    if dynamic:
        flags = ["--input-shape", "x=" + "x".join(map(str, shape))]
    # (torch's eval-mode export folds BatchNorm into the convolutions itself;
    # the importer's folding is tested on onnx.helper models, conv_bn.)
    mlir = import_model(path, flags)
    with torch.no_grad():
        want = model(x).numpy()
    got = run_model(mlir, [x.numpy()])[0]
    checker.close(name, got, want, atol=2e-5, rtol=1e-4)
    if name in ("cnn", "mlp", "speech"):
        # The imported contractions are in the form qnn-quantize reads: all of
        # them become int8 (dynamic mode, no calibration needed), and the
        # int8 model stays close to torch's fp32 output.
        dynamic = os.path.join(out_dir, name + "-int8.mlir")
        run([tool("QNN_OPT"), mlir, "--qnn-quantize=mode=dynamic", "-o", dynamic])
        text = open(dynamic).read()
        checker.check(f"{name} int8", not re.search(r"linalg\.(conv|depthwise|matmul|batch_matmul)", text),
                      "no fp32 contraction left after qnn-quantize")
        q = run_model(dynamic, [x.numpy()])[0]
        sqnr = 10 * np.log10(np.sum(want.astype(np.float64) ** 2) / np.sum((q - want) ** 2.0))
        checker.check(f"{name} int8 SQNR", sqnr > 25, f"{sqnr:.1f} dB against torch fp32")
checker.finish()
