"""What the Fashion-MNIST scripts share: the data (read from Debian's
dataset-fashion-mnist), its normalisation, the calibration subset and the
model. Every script imports this module so the fp32 model, the QAT model, the
prepared .npz files and the peer benchmarks all agree on them.
"""

import gzip
import os

import numpy as np
import torch

DATA_DIR = "/usr/share/datasets/fashion-mnist"  # apt-get install dataset-fashion-mnist
HERE = os.path.dirname(os.path.abspath(__file__))

# Mean and standard deviation of the 60k training pixels scaled to [0, 1];
# the model's input is (pixel / 255 - MEAN) / STD, float32, NCHW [N, 1, 28, 28].
MEAN = 0.2860
STD = 0.3530

CALIBRATION_COUNT = 500
CALIBRATION_SEED = 5  # numpy default_rng seed that picks the calibration images

# The ONNX interface of model.onnx and model_qat.onnx.
INPUT_NAME = "input"
OUTPUT_NAME = "logits"
BATCH_DIM = "batch"


def _read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load_split(split):
    """Raw uint8 images [N, 28, 28] and int64 labels [N] of 'train' or 't10k'."""
    images = os.path.join(DATA_DIR, f"{split}-images-idx3-ubyte.gz")
    labels = os.path.join(DATA_DIR, f"{split}-labels-idx1-ubyte.gz")
    if not os.path.exists(images):
        raise SystemExit(f"{images} is missing: apt-get install dataset-fashion-mnist")
    x = _read_idx(images, 16).reshape(-1, 28, 28)
    y = _read_idx(labels, 8).astype(np.int64)
    assert len(x) == len(y)
    return x, y


def normalise(images):
    """uint8 [N, 28, 28] -> float32 NCHW [N, 1, 28, 28], as the model expects."""
    x = images.astype(np.float32) / np.float32(255.0)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return x[:, None, :, :]


def calibration_indices():
    """The fixed calibration subset: indices into the 60k training images."""
    rng = np.random.default_rng(CALIBRATION_SEED)
    return np.sort(rng.choice(60000, CALIBRATION_COUNT, replace=False))


def test_set():
    x, y = load_split("t10k")
    return normalise(x), y


def conv_block(channels_in, channels_out):
    return torch.nn.Sequential(
        torch.nn.Conv2d(channels_in, channels_out, 3, padding=1, bias=False),
        torch.nn.BatchNorm2d(channels_out),
        torch.nn.ReLU(),
    )


class FashionCNN(torch.nn.Module):
    """Three conv-BN-ReLU blocks, each followed by a 2x2 max pool
    (28 -> 14 -> 7 -> 3), then flatten and one linear layer: 29.3k parameters.

    The quant/dequant stubs are identities in fp32 (they export to nothing)
    and mark where torch.ao quantization enters and leaves int8.
    """

    FUSE = [["block1.0", "block1.1", "block1.2"],
            ["block2.0", "block2.1", "block2.2"],
            ["block3.0", "block3.1", "block3.2"]]

    def __init__(self):
        super().__init__()
        self.quant = torch.ao.quantization.QuantStub()
        self.block1 = conv_block(1, 16)
        self.pool1 = torch.nn.MaxPool2d(2)
        self.block2 = conv_block(16, 32)
        self.pool2 = torch.nn.MaxPool2d(2)
        self.block3 = conv_block(32, 64)
        self.pool3 = torch.nn.MaxPool2d(2)
        self.flatten = torch.nn.Flatten()
        self.fc = torch.nn.Linear(64 * 3 * 3, 10)
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, x):  # x: [N, 1, 28, 28]
        x = self.quant(x)
        x = self.pool1(self.block1(x))
        x = self.pool2(self.block2(x))
        x = self.pool3(self.block3(x))
        x = self.fc(self.flatten(x))
        return self.dequant(x)


def load_fp32_model():
    """The trained fp32 model (model.pt, written by train.py), in eval mode."""
    model = FashionCNN()
    model.load_state_dict(torch.load(os.path.join(HERE, "model.pt")))
    return model.eval()


def accuracy(model, images, labels, batch=500):
    """Top-1 accuracy of a torch model over float32 NCHW images."""
    correct = 0
    with torch.no_grad():
        for start in range(0, len(images), batch):
            logits = model(torch.from_numpy(images[start:start + batch]))
            correct += int((logits.argmax(1).numpy() == labels[start:start + batch]).sum())
    return correct / len(images)


def export_onnx(model, path):
    """torch.onnx export at opset 13 with a dynamic batch dimension."""
    example = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(model, example, path, opset_version=13,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      dynamic_axes={INPUT_NAME: {0: BATCH_DIM}, OUTPUT_NAME: {0: BATCH_DIM}})
