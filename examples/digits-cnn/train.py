#!/usr/bin/python3
"""Trains the bundled CNN: conv+bias+ReLU, max pool, conv+bias+ReLU, matmul,
on scikit-learn's 8x8 digits, with Debian's PyTorch.

Writes cnn.mlir (the fp32 model: func + tensor/linalg on tensors, NHWC,
weights as constants, every layer named by location), test-set.npz (360
held-out images and labels) and calibration-set.npz (200 training images).
All three are committed; rerun only to change the model:

    apt-get install python3-sklearn python3-torch && /usr/bin/python3 train.py
"""

import numpy as np
import torch
from sklearn.datasets import load_digits

TEST_COUNT = 360
CALIBRATION_COUNT = 200
EPOCHS = 60


class DigitsCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, padding=1)
        self.fc = torch.nn.Linear(4 * 4 * 16, 10)

    def forward(self, x):  # x: [N, 1, 8, 8]
        x = torch.relu(self.conv1(x))
        x = torch.nn.functional.max_pool2d(x, 2)
        x = torch.relu(self.conv2(x))
        # Flatten in NHWC order, the layout of the MLIR model.
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
        return self.fc(x)


def dense(array):
    """An MLIR dense literal that round-trips float32 exactly."""
    if array.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in array) + "]"
    return "[" + ", ".join(dense(row) for row in array) + "]"


def conv_layer(name, value, batch, height, channels_in, weight, bias):
    """tensor.pad + linalg.conv_2d_nhwc_hwcf + bias and ReLU in one generic."""
    filters = weight.shape[0]
    hwcf = weight.transpose(2, 3, 1, 0)  # [F, C, KH, KW] -> [KH, KW, C, F]
    padded = height + 2
    t_in = f"tensor<{batch}x{height}x{height}x{channels_in}xf32>"
    t_pad = f"tensor<{batch}x{padded}x{padded}x{channels_in}xf32>"
    t_out = f"tensor<{batch}x{height}x{height}x{filters}xf32>"
    return f"""
  %{name}_w = arith.constant dense<{dense(hwcf)}> : tensor<3x3x{channels_in}x{filters}xf32> loc("{name}.weight")
  %{name}_b = arith.constant dense<{dense(bias)}> : tensor<{filters}xf32> loc("{name}.bias")
  %{name}_pad = tensor.pad {value} low[0, 1, 1, 0] high[0, 1, 1, 0] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  }} : {t_in} to {t_pad} loc("{name}.pad")
  %{name}_e = tensor.empty() : {t_out}
  %{name}_z = linalg.fill ins(%zero : f32) outs(%{name}_e : {t_out}) -> {t_out}
  %{name}_conv = linalg.conv_2d_nhwc_hwcf ins(%{name}_pad, %{name}_w : {t_pad}, tensor<3x3x{channels_in}x{filters}xf32>)
      outs(%{name}_z : {t_out}) -> {t_out} loc("{name}")
  %{name}_relu = linalg.generic {{indexing_maps = [#nhwc, #channel, #nhwc], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%{name}_conv, %{name}_b : {t_out}, tensor<{filters}xf32>) outs(%{name}_e : {t_out}) {{
  ^bb0(%a: f32, %c: f32, %unused: f32):
    %s = arith.addf %a, %c : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {t_out} loc("{name}.relu")"""


def write_mlir(model, batch, path):
    p = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    fc_w = p["fc.weight"].T  # [256, 10]
    text = f"""// A small CNN trained on scikit-learn's 8x8 digits (examples/digits-cnn/train.py):
// conv 3x3 1->8 + bias + ReLU, max pool 2x2, conv 3x3 8->16 + bias + ReLU,
// flatten, matmul 256->10 + bias. NHWC; fp32 weights as constants.
#nhwc = affine_map<(n, h, w, c) -> (n, h, w, c)>
#channel = affine_map<(n, h, w, c) -> (c)>
#row = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
func.func @cnn(%x: tensor<{batch}x8x8x1xf32>) -> tensor<{batch}x10xf32> {{
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.40282347E+38 : f32{conv_layer("conv1", "%x", batch, 8, 1, p["conv1.weight"], p["conv1.bias"])}
  %pool_e = tensor.empty() : tensor<{batch}x4x4x8xf32>
  %pool_init = linalg.fill ins(%lowest : f32) outs(%pool_e : tensor<{batch}x4x4x8xf32>) -> tensor<{batch}x4x4x8xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %pool = linalg.pooling_nhwc_max {{dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}}
      ins(%conv1_relu, %window : tensor<{batch}x8x8x8xf32>, tensor<2x2xf32>)
      outs(%pool_init : tensor<{batch}x4x4x8xf32>) -> tensor<{batch}x4x4x8xf32> loc("pool1"){conv_layer("conv2", "%pool", batch, 4, 8, p["conv2.weight"], p["conv2.bias"])}
  %flat = tensor.collapse_shape %conv2_relu [[0], [1, 2, 3]] : tensor<{batch}x4x4x16xf32> into tensor<{batch}x256xf32> loc("flatten")
  %fc_w = arith.constant dense<{dense(fc_w)}> : tensor<256x10xf32> loc("fc.weight")
  %fc_b = arith.constant dense<{dense(p["fc.bias"])}> : tensor<10xf32> loc("fc.bias")
  %fc_e = tensor.empty() : tensor<{batch}x10xf32>
  %fc_z = linalg.fill ins(%zero : f32) outs(%fc_e : tensor<{batch}x10xf32>) -> tensor<{batch}x10xf32>
  %fc = linalg.matmul ins(%flat, %fc_w : tensor<{batch}x256xf32>, tensor<256x10xf32>)
      outs(%fc_z : tensor<{batch}x10xf32>) -> tensor<{batch}x10xf32> loc("fc")
  %logits = linalg.generic {{indexing_maps = [#row, #col, #row], iterator_types = ["parallel", "parallel"]}}
      ins(%fc, %fc_b : tensor<{batch}x10xf32>, tensor<10xf32>) outs(%fc_e : tensor<{batch}x10xf32>) {{
  ^bb0(%a: f32, %c: f32, %unused: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }} -> tensor<{batch}x10xf32> loc("fc.bias_add")
  return %logits : tensor<{batch}x10xf32>
}}
"""
    with open(path, "w") as f:
        f.write(text)


def main():
    torch.manual_seed(2026)
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(2026).permutation(len(x))
    test, train = order[:TEST_COUNT], order[TEST_COUNT:]

    model = DigitsCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    xt, yt = torch.from_numpy(x[train]), torch.from_numpy(labels[train])
    for _ in range(EPOCHS):
        for batch in torch.randperm(len(train)).split(64):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(x[test])).numpy()
    print(f"fp32 test accuracy (torch): {np.mean(logits.argmax(1) == labels[test]):.4f}")

    nhwc = x.transpose(0, 2, 3, 1)
    write_mlir(model, TEST_COUNT, "cnn.mlir")
    np.savez("test-set.npz", images=nhwc[test], labels=labels[test])
    np.savez("calibration-set.npz", images=nhwc[train[:CALIBRATION_COUNT]],
             labels=labels[train[:CALIBRATION_COUNT]])


if __name__ == "__main__":
    main()
