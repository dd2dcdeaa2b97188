#!/usr/bin/python3
"""Trains the bundled Fashion-MNIST CNN (fashion.FashionCNN) in fp32 with
Debian's PyTorch on the CPU and exports it to ONNX.

Writes model.pt (the fp32 state dict, read by train_qat.py and
bench/peers/pytorch_ptq.py), model.onnx (opset 13; input "input"
[batch, 1, 28, 28] float32 normalised as in fashion.normalise, output "logits"
[batch, 10]; "batch" is the only dynamic dimension) and train.log. All three
are committed; rerun only to change the model (about 5 minutes on 2 cores):

    apt-get install dataset-fashion-mnist python3-torch python3-onnx
    /usr/bin/python3 train.py

torch.onnx folds each BatchNormalization into the preceding Conv when it
exports in eval mode, so model.onnx holds Conv, Relu, MaxPool, Flatten, Gemm.
"""

import os
import sys
import time

# Before torch starts OpenMP: idle threads sleep instead of spinning, which on
# a shared 2-core machine is up to 9x faster (spinning threads steal the core
# the other thread needs to reach the barrier).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402

import fashion  # noqa: E402

SEED = 2026
EPOCHS = 6
BATCH = 128
LEARNING_RATE = 4e-3


class Log:
    """Prints and appends to train.log (or the log named by the caller)."""

    def __init__(self, path):
        self.file = open(path, "w")

    def __call__(self, line):
        print(line, flush=True)
        self.file.write(line + "\n")
        self.file.flush()


def train_epochs(model, images, labels, epochs, optimizer, scheduler, generator):
    """Plain minibatch training with random horizontal flips."""
    xt, yt = torch.from_numpy(images), torch.from_numpy(labels)
    for epoch in range(epochs):
        model.train()
        start, total_loss, seen = time.time(), 0.0, 0
        for batch in torch.randperm(len(xt), generator=generator).split(BATCH):
            x = xt[batch]
            flip = torch.rand(len(batch), generator=generator) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), yt[batch])
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total_loss += float(loss) * len(batch)
            seen += len(batch)
        yield epoch, total_loss / seen, time.time() - start


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    generator = torch.Generator().manual_seed(SEED)
    log = Log(os.path.join(fashion.HERE, "train.log"))
    log(f"torch {torch.__version__}, onnx {onnx.__version__}, numpy {np.__version__}, "
        f"threads {torch.get_num_threads()} (OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}), seed {SEED}")

    train_x, train_y = fashion.load_split("train")
    train_x = fashion.normalise(train_x)
    test_x, test_y = fashion.test_set()

    model = fashion.FashionCNN()
    log(f"model: {sum(p.numel() for p in model.parameters())} parameters")
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=1e-4)
    steps = EPOCHS * ((len(train_x) + BATCH - 1) // BATCH)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, LEARNING_RATE, total_steps=steps)
    for epoch, loss, seconds in train_epochs(model, train_x, train_y, EPOCHS, optimizer,
                                             scheduler, generator):
        acc = fashion.accuracy(model.eval(), test_x, test_y)
        log(f"epoch {epoch + 1}/{EPOCHS}: train loss {loss:.4f}, "
            f"test accuracy {100 * acc:.2f}% ({seconds:.0f} s)")

    model.eval()
    torch.save(model.state_dict(), os.path.join(fashion.HERE, "model.pt"))
    path = os.path.join(fashion.HERE, "model.onnx")
    fashion.export_onnx(model, path)
    onnx.checker.check_model(onnx.load(path))
    ops = sorted({node.op_type for node in onnx.load(path).graph.node})
    log(f"fp32 test accuracy (torch, 10000 images): {100 * fashion.accuracy(model, test_x, test_y):.2f}%")
    log(f"wrote model.onnx ({os.path.getsize(path)} bytes, opset 13, ops {', '.join(ops)})")


if __name__ == "__main__":
    sys.exit(main())
