# qnn.conv2d with a constant filter, as qnn-quantize and qnn-fuse leave it,
# through qnn-cpu-contraction-kernels' im2col form (the convolution as the
# packed-weight matmul of its windows, the requantize fused into it, an NCHW
# result transposed back) on every target this CPU runs: the results must
# equal the integer reference (qnntest.intref) bit for bit. NCHW and NHWC;
# u8 activations with the zero point in the padding and i8 activations
# (vpdpbusd's offset by 128); strides, dilations, asymmetric padding, batch
# 2; a one-channel input (K = 9, not a multiple of the group); more output
# channels than one vector (several panels and a partial one); filter zero
# points (the initial value is the full corrected tensor); requantized into
# u8 with a ReLU clamp and into i8, and the plain int32 accumulator.
# RUN: %python %s

import numpy as np

from qnntest.intconv import conv_function
from qnntest.intharness import Checker, host_kernel_targets, per_axis, per_tensor, random_scale


def main():
    rng = np.random.default_rng(20261127)
    s = lambda: random_scale(rng)
    out_scale = lambda: random_scale(rng, 1e-2, 1.0)
    zp_u8 = lambda: int(rng.integers(0, 256))
    weights = lambda f, narrow=True, zps=None: per_axis(8, True, [s() for _ in range(f)],
                                                        zps if zps is not None else [0] * f, 3, narrow)
    functions = []
    for fmt in ("nchw", "nhwc"):
        zp = int(rng.integers(0, 40))
        functions += [
            # qnn-fuse's form: u8 input with its zero point in the padding,
            # symmetric per-channel weights, a ReLU clamp at the output's
            # zero point.
            conv_function(f"{fmt}_u8_relu", rng, 1, 8, 9, 7, 24, (3, 3), per_tensor(8, False, s(), zp_u8()),
                          weights(24), padding=(1, 1, 1, 1), data_format=fmt, constant_filter=True,
                          out_type=per_tensor(8, False, out_scale(), zp), clamp_min=zp),
            # The first layer of an image model: one input channel.
            conv_function(f"{fmt}_one_channel", rng, 1, 1, 10, 10, 16, (3, 3), per_tensor(8, False, s(), zp_u8()),
                          weights(16), padding=(1, 1, 1, 1), data_format=fmt, constant_filter=True,
                          out_type=per_tensor(8, False, out_scale(), 0), clamp_min=0),
            # Strides, dilations, asymmetric padding, batch 2, 40 output
            # channels (two panels and a partial third), into i8.
            conv_function(f"{fmt}_strided_dilated", rng, 2, 5, 11, 10, 40, (3, 2),
                          per_tensor(8, False, s(), zp_u8()), weights(40), strides=(2, 3), dilations=(2, 1),
                          padding=(0, 2, 1, 0), data_format=fmt, constant_filter=True,
                          out_type=per_tensor(8, True, out_scale(), -4)),
            # i8 activations, full-range weights, the int32 result.
            conv_function(f"{fmt}_i8_i32", rng, 1, 12, 6, 6, 20, (3, 3), per_tensor(8, True, s(), 0),
                          weights(20, narrow=False), data_format=fmt, constant_filter=True),
            # Weights with zero points: the initial value is the full
            # corrected tensor, not a broadcast bias.
            conv_function(f"{fmt}_weight_zero_points", rng, 1, 3, 7, 7, 6, (2, 2),
                          per_tensor(8, False, s(), zp_u8()),
                          weights(6, narrow=False, zps=[int(z) for z in rng.integers(-20, 20, size=6)]),
                          padding=(1, 0, 0, 1), data_format=fmt, constant_filter=True,
                          out_type=per_tensor(8, False, out_scale(), 128)),
        ]
        # A long reduction at the extremes: 64 channels x 3 x 3 of 255
        # against +-127, no bias.
        c, f = 64, 16
        x = np.full((1, 5, 5, c) if fmt == "nhwc" else (1, c, 5, 5), 255, dtype=np.int64)
        w_shape = (3, 3, c, f) if fmt == "nhwc" else (f, c, 3, 3)
        w = np.where(rng.integers(0, 2, size=w_shape) == 0, -127, 127).astype(np.int64)
        functions.append(conv_function(f"{fmt}_extremes", rng, 1, c, 5, 5, f, (3, 3),
                                       per_tensor(8, False, s(), 0), weights(f), data_format=fmt,
                                       bias=False, x_values=x, w_values=w, constant_filter=True))

    checker = Checker()
    checker.run_and_compare(functions, tuple(f"target={t}" for t in host_kernel_targets()))
    checker.finish()


if __name__ == "__main__":
    main()
