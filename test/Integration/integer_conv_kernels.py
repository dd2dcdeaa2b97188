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
# u8 with a ReLU clamp and into i8, and the plain int32 accumulator. And a
# CNN's chain, conv -> requantize -> max pool -> conv -> requantize -> average
# pool, in NCHW: the transposes between the convolutions are moved past the
# poolings and paddings until they cancel (the activations stay NHWC).
# RUN: %python %s

import numpy as np

from qnntest import intref
from qnntest.intconv import conv_function, out_extent
from qnntest.intharness import (Arg, Checker, IntFunction, dense_storage, host_kernel_targets, per_axis,
                                per_tensor, random_scale)


def chain_function(name, rng, fmt):
    """conv 3x3 (pad 1) -> requantize (ReLU) -> max pool 2x2 -> conv 3x3 (pad
    1) -> requantize (ReLU) -> average pool 2x2, u8 activations with zero
    points, symmetric per-channel filters."""
    nhwc = fmt == "nhwc"
    s = lambda: random_scale(rng)
    n, c, h, w = 2, 3, 10, 10
    channels = (c, 8, 16)
    x_type = per_tensor(8, False, s(), int(rng.integers(0, 256)))
    x_shape = (n, h, w, c) if nhwc else (n, c, h, w)
    x = x_type.random(rng, x_shape)
    axis = 3 if nhwc else 1
    lines, value, value_type, shape = [], "%x", x_type, x_shape
    expected = x
    for layer, (cin, cout) in enumerate(zip(channels, channels[1:])):
        w_type = per_axis(8, True, [s() for _ in range(cout)], [0] * cout, 3 if nhwc else 0, narrow=True)
        w_shape = (3, 3, cin, cout) if nhwc else (cout, cin, 3, 3)
        wt = w_type.random(rng, w_shape)
        acc_scales = [value_type.scales[0] * ws for ws in w_type.scales]
        acc_type = per_axis(32, True, acc_scales, [0] * cout, axis)
        out_shape = (n, h, w, cout) if nhwc else (n, cout, h, w)
        out_zp = int(rng.integers(0, 30))
        out_type = per_tensor(8, False, random_scale(rng, 0.05, 0.5), out_zp)
        attrs = "padding = array<i64: 1, 1, 1, 1>" + ("" if nhwc else ", data_format = #qnn.data_format<nchw>")
        lines += [
            f"  %w{layer} = qnn.constant {dense_storage(wt, 8)} -> {w_type.tensor(w_shape)}",
            f"  %acc{layer} = qnn.conv2d {value}, %w{layer} {{{attrs}}} : ({value_type.tensor(shape)}, "
            f"{w_type.tensor(w_shape)}) -> {acc_type.tensor(out_shape)}",
            f"  %q{layer} = qnn.requantize %acc{layer} {{clamp_min = {out_zp} : i64}} : "
            f"{acc_type.tensor(out_shape)} -> {out_type.tensor(out_shape)}",
        ]
        expected = intref.conv2d(expected, wt, value_type.zero_points[0], 0, None, padding=(1, 1, 1, 1),
                                 data_format=fmt)
        expected = intref.requantize(expected, acc_type.scale_array(4), 0, out_type.scale_array(4),
                                     out_type.zp_array(4), (out_zp, 255), "fixed_point", "half_to_even",
                                     in_bits=32, out_bits=8)
        pool = "max_pool2d" if layer == 0 else "avg_pool2d"
        h, w = out_extent(h, 2, 2, 1, 0, 0), out_extent(w, 2, 2, 1, 0, 0)
        pooled_shape = (n, h, w, cout) if nhwc else (n, cout, h, w)
        pool_attrs = "kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>" + (
            "" if nhwc else ", data_format = #qnn.data_format<nchw>")
        result = "%y" if layer == 1 else f"%p{layer}"
        lines.append(f"  {result} = qnn.{pool} %q{layer} {{{pool_attrs}}} : {out_type.tensor(out_shape)} -> "
                     f"{out_type.tensor(pooled_shape)}")
        if pool == "max_pool2d":
            expected = intref.max_pool2d(expected, (2, 2), (2, 2), data_format=fmt)
        else:
            expected = intref.avg_pool2d(expected, (2, 2), out_zp, 0, 255, (2, 2), data_format=fmt)
        value, value_type, shape = f"%p{layer}", out_type, pooled_shape
    return IntFunction(name, [Arg("x", x, x_type)], shape, value_type, "\n".join(lines), expected, name)


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

    functions += [chain_function(f"{fmt}_chain", rng, fmt) for fmt in ("nchw", "nhwc")]

    checker = Checker()
    checker.run_and_compare(functions, tuple(f"target={t}" for t in host_kernel_targets()))
    checker.finish()


if __name__ == "__main__":
    main()
