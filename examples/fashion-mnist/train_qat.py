#!/usr/bin/python3
"""Quantization-aware fine-tuning of the trained fp32 model (model.pt, from
train.py) with torch.ao eager-mode QAT, then export to model_qat.onnx in
QuantizeLinear/DequantizeLinear (QDQ) form with the model's own scales.

    apt-get install dataset-fashion-mnist python3-torch python3-onnx
    /usr/bin/python3 train_qat.py        # after train.py; writes train_qat.log

Steps: fuse conv-BN-ReLU (fuse_modules_qat), prepare_qat with the "onednn"
QAT qconfig, fine-tune with fake quantization (observers frozen and BN
statistics frozen for the last epoch), convert to a torch int8 model and export
it (qdq.export_quantized).

The qconfig: Debian's torch 1.13 is built without FBGEMM (supported engines:
qnnpack, onednn), and the "x86"/"fbgemm" qconfig differs from "onednn" only in
reduce_range=True, a 7-bit activation range that works around an overflow in
FBGEMM's int8 kernels on CPUs without VNNI. ONNX QuantizeLinear and qnn-mlir
have no such overflow, so the exported model uses the full 8 bits: uint8
activations (per tensor, asymmetric, moving-average min/max) and int8 weights
(per output channel, symmetric, range [-128, 127]).

Why convert-then-export: exporting the fake-quant model instead would keep the
QAT conv-BN modules' training-time arithmetic (conv of the BN-scaled weight,
divided back, then BatchNormalization), which is not the model that runs in
int8. The converted model has BN folded and exports as the canonical
DequantizeLinear -> Conv/Gemm -> QuantizeLinear groups.
"""

import copy
import os
import sys

# Before torch starts OpenMP: idle threads sleep instead of spinning, which on
# a shared 2-core machine is up to 9x faster (spinning threads steal the core
# the other thread needs to reach the barrier).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402

import fashion  # noqa: E402
import qdq  # noqa: E402
from train import BATCH, Log, train_epochs

SEED = 2027
EPOCHS = 2
LEARNING_RATE = 2e-4
ENGINE = "onednn"


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    torch.backends.quantized.engine = ENGINE
    generator = torch.Generator().manual_seed(SEED)
    log = Log(os.path.join(fashion.HERE, "train_qat.log"))
    log(f"torch {torch.__version__}, onnx {onnx.__version__}, numpy {np.__version__}, "
        f"threads {torch.get_num_threads()}, seed {SEED}, engine {ENGINE}")

    train_x, train_y = fashion.load_split("train")
    train_x = fashion.normalise(train_x)
    test_x, test_y = fashion.test_set()

    fp32 = fashion.load_fp32_model()
    log(f"fp32 test accuracy (torch): {100 * fashion.accuracy(fp32, test_x, test_y):.2f}%")

    model = copy.deepcopy(fp32).train()
    model = torch.ao.quantization.fuse_modules_qat(model, fashion.FashionCNN.FUSE)
    model.qconfig = torch.ao.quantization.get_default_qat_qconfig(ENGINE)
    log(f"qconfig: {model.qconfig}")
    torch.ao.quantization.prepare_qat(model, inplace=True)

    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=1e-4)
    steps = EPOCHS * ((len(train_x) + BATCH - 1) // BATCH)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    epochs = train_epochs(model, train_x, train_y, EPOCHS, optimizer, scheduler, generator)
    for epoch, loss, seconds in epochs:
        acc = fashion.accuracy(model.eval(), test_x, test_y)
        log(f"QAT epoch {epoch + 1}/{EPOCHS}: train loss {loss:.4f}, "
            f"fake-quant test accuracy {100 * acc:.2f}% ({seconds:.0f} s)")
        if epoch + 2 == EPOCHS:
            # Last epoch: fixed scales and BN statistics, so the weights adapt
            # to exactly the quantization grid that will be exported.
            model.apply(torch.ao.quantization.disable_observer)
            model.apply(torch.nn.intrinsic.qat.freeze_bn_stats)
            log("observers and BN statistics frozen")

    model.eval()
    fake_quant_acc = fashion.accuracy(model, test_x, test_y)
    quantized = torch.ao.quantization.convert(copy.deepcopy(model), inplace=False)
    int8_acc = fashion.accuracy(quantized, test_x, test_y)
    log(f"QAT fake-quant test accuracy (torch): {100 * fake_quant_acc:.2f}%")
    log(f"QAT int8 test accuracy (torch {ENGINE} engine): {100 * int8_acc:.2f}%")

    path = os.path.join(fashion.HERE, "model_qat.onnx")
    ops = qdq.export_quantized(quantized, path,
                               "Fashion-MNIST CNN, torch.ao QAT (onednn qconfig), QDQ")
    log(f"wrote model_qat.onnx ({os.path.getsize(path)} bytes, opset 13, ops {', '.join(ops)})")


if __name__ == "__main__":
    sys.exit(main())
