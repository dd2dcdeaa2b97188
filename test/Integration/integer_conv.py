# qnn.conv2d lowered by qnn-lower-to-llvm and run: the int32 accumulators
# must equal the integer reference (qnntest.intref) bit for bit. NHWC and
# NCHW; plain, depthwise, grouped and channel-multiplier convolutions;
# strides, dilations and asymmetric padding (which holds the input zero
# point); u8 and i8 inputs with and without zero points; i8 and u8 filters
# per tensor and per channel, with per-channel zero points; biases; and the
# extremes of the storage ranges over a long reduction.
# RUN: %python %s

import numpy as np

from qnntest.intconv import conv_function
from qnntest.intharness import Checker, per_axis, per_tensor, random_scale


def main():
    rng = np.random.default_rng(99)
    s = lambda: random_scale(rng)
    zp_u8 = lambda: int(rng.integers(0, 256))
    zp_i8 = lambda: int(rng.integers(-128, 128))
    weights = lambda f, narrow=True, zps=None: per_axis(8, True, [s() for _ in range(f)],
                                                        zps if zps is not None else [0] * f, 3, narrow)
    functions = []
    for fmt in ("nhwc", "nchw"):
        functions += [
            # The default quantization: u8 input with a zero point, which
            # the padding holds, per-channel symmetric weights.
            conv_function(f"{fmt}_u8_padded", rng, 1, 8, 7, 9, 16, (3, 3), per_tensor(8, False, s(), zp_u8()),
                          weights(16), padding=(1, 1, 1, 1), data_format=fmt),
            # Strides, dilations, asymmetric padding, batch 2.
            conv_function(f"{fmt}_strided_dilated", rng, 2, 4, 11, 10, 8, (3, 2),
                          per_tensor(8, False, s(), zp_u8()), weights(8), strides=(2, 3), dilations=(2, 1),
                          padding=(0, 2, 1, 0), data_format=fmt),
            # i8 input with a zero point; full-range weights with a zero
            # point per channel.
            conv_function(f"{fmt}_i8_asymmetric", rng, 1, 6, 6, 6, 10, (3, 3), per_tensor(8, True, s(), zp_i8()),
                          weights(10, narrow=False, zps=[zp_i8() for _ in range(10)]), padding=(2, 1, 0, 1),
                          data_format=fmt),
            # No zero points, signed storage: the storage integers feed the
            # convolution directly.
            conv_function(f"{fmt}_i8_pure", rng, 1, 16, 6, 6, 16, (3, 3), per_tensor(8, True, s(), 0),
                          per_tensor(8, True, s(), 0, narrow=True), bias=False, data_format=fmt),
            # u8 filter with zero points.
            conv_function(f"{fmt}_u8_filter", rng, 1, 3, 8, 8, 5, (2, 2), per_tensor(8, False, s(), zp_u8()),
                          per_axis(8, False, [s() for _ in range(5)], [zp_u8() for _ in range(5)], 3),
                          padding=(1, 0, 1, 0), data_format=fmt),
            # Depthwise (groups == C == F), strided and padded.
            conv_function(f"{fmt}_depthwise", rng, 1, 16, 9, 9, 16, (3, 3), per_tensor(8, False, s(), zp_u8()),
                          weights(16), groups=16, strides=(2, 2), padding=(1, 1, 1, 1), data_format=fmt),
            conv_function(f"{fmt}_depthwise_dilated", rng, 2, 8, 8, 8, 8, (3, 3), per_tensor(8, True, s(), zp_i8()),
                          weights(8, narrow=False, zps=[zp_i8() for _ in range(8)]), groups=8, dilations=(2, 2),
                          padding=(2, 2, 2, 2), data_format=fmt),
            # Grouped: 2 groups of 3 input and 4 output channels.
            conv_function(f"{fmt}_grouped", rng, 1, 6, 7, 7, 8, (3, 3), per_tensor(8, False, s(), zp_u8()),
                          weights(8), groups=2, padding=(1, 1, 1, 1), data_format=fmt),
            # Channel multiplier 2 (groups == C, F == 2C).
            conv_function(f"{fmt}_multiplier", rng, 1, 4, 6, 6, 8, (3, 3), per_tensor(8, False, s(), zp_u8()),
                          weights(8), groups=4, strides=(1, 2), data_format=fmt),
        ]
        # Extremes over a long reduction: 64 channels x 3 x 3 of 255 against
        # +-127 (+-18 million), and the same with the zero point 255.
        c, f = 64, 16
        x_shape = (1, 6, 6, c) if fmt == "nhwc" else (1, c, 6, 6)
        w_shape = (3, 3, c, f) if fmt == "nhwc" else (f, c, 3, 3)
        x = np.full(x_shape, 255, dtype=np.int64)
        w = np.where(rng.integers(0, 2, size=w_shape) == 0, -127, 127).astype(np.int64)
        if fmt == "nhwc":
            w[..., 0], w[..., 1] = 127, -127
        else:
            w[0], w[1] = 127, -127
        for zp in (0, 255):
            functions.append(conv_function(f"{fmt}_extremes_zp{zp}", rng, 1, c, 6, 6, f, (3, 3),
                                           per_tensor(8, False, s(), zp), weights(f), padding=(1, 1, 1, 1),
                                           data_format=fmt, bias=False, x_values=x, w_values=w))

    assert max(int(np.abs(fn.expected).max()) for fn in functions) > 18_000_000
    checker = Checker()
    checker.run_and_compare(functions, pipeline_option_sets=("", "vectorize=false"))
    checker.finish()


main()
