"""qnn.conv2d test functions for intharness, with their integer reference.

The filter is a function argument (the generic convolution lowering) or a
`qnn.constant` (what qnn-quantize leaves, and what qnn-cpu-contraction-kernels
turns into the packed-weight matmul of the im2col form); the result is the
int32 accumulator, or requantized into 8 bits as qnn-fuse leaves it.
"""

import numpy as np

from qnntest import intref
from qnntest.intharness import Arg, IntFunction, accumulator, dense_storage, with_axis


def out_extent(size, kernel, stride, dilation, before, after):
    return (size + before + after - dilation * (kernel - 1) - 1) // stride + 1


def conv_function(name, rng, n, c, h, w, f, kernel, input_type, filter_type, groups=1,
                  strides=(1, 1), dilations=(1, 1), padding=(0, 0, 0, 0), data_format="nhwc",
                  bias=True, x_values=None, w_values=None, constant_filter=False, out_type=None,
                  clamp_min=None):
    nhwc = data_format == "nhwc"
    cg = c // groups
    x_shape = (n, h, w, c) if nhwc else (n, c, h, w)
    w_shape = (kernel[0], kernel[1], cg, f) if nhwc else (f, cg, kernel[0], kernel[1])
    oh = out_extent(h, kernel[0], strides[0], dilations[0], padding[0], padding[1])
    ow = out_extent(w, kernel[1], strides[1], dilations[1], padding[2], padding[3])
    out_shape = (n, oh, ow, f) if nhwc else (n, f, oh, ow)
    filter_type = with_axis(filter_type, 3 if nhwc else 0)
    acc = accumulator(input_type, filter_type, 3 if nhwc else 1)
    x = x_values if x_values is not None else input_type.random(rng, x_shape)
    wt = w_values if w_values is not None else filter_type.random(rng, w_shape)
    args = [Arg("x", x, input_type)]
    lines = []
    if constant_filter:
        lines.append(f"  %w = qnn.constant {dense_storage(wt, 8)} -> {filter_type.tensor(w_shape)}")
    else:
        args.append(Arg("w", wt, filter_type))
    operands, types = "%x, %w", f"{input_type.tensor(x_shape)}, {filter_type.tensor(w_shape)}"
    bias_values = None
    if bias:
        bias_type = with_axis(acc, 0)
        bias_values = rng.integers(-(1 << 16), 1 << 16, size=(f,), dtype=np.int64)
        args.append(Arg("b", bias_values, bias_type))
        operands += ", %b"
        types += f", {bias_type.tensor((f,))}"
    attrs = [f"strides = array<i64: {strides[0]}, {strides[1]}>",
             f"dilations = array<i64: {dilations[0]}, {dilations[1]}>",
             f"padding = array<i64: {', '.join(str(p) for p in padding)}>",
             f"groups = {groups} : i64"]
    if not nhwc:
        attrs.append("data_format = #qnn.data_format<nchw>")
    lines.append(f"  %acc = qnn.conv2d {operands} {{{', '.join(attrs)}}} : ({types}) -> "
                 f"{acc.tensor(out_shape)}")
    w_zp = np.array(filter_type.zero_points, dtype=np.int64)
    expected = intref.conv2d(x, wt, input_type.zero_points[0], w_zp if w_zp.size > 1 else w_zp[0], bias_values,
                             strides, dilations, padding, groups, data_format)
    if out_type is None:
        body = "\n".join(lines).replace("%acc =", "%y =")
        return IntFunction(name, args, out_shape, acc, body, expected, name)
    clamp_attr = f"{{clamp_min = {clamp_min} : i64}} " if clamp_min is not None else ""
    lines.append(f"  %y = qnn.requantize %acc {clamp_attr}: {acc.tensor(out_shape)} -> "
                 f"{out_type.tensor(out_shape)}")
    clamp = (out_type.qmin if clamp_min is None else clamp_min, out_type.qmax)
    expected = intref.requantize(expected, acc.scale_array(4), 0, out_type.scale_array(4),
                                 out_type.zp_array(4), clamp, "fixed_point", "half_to_even", in_bits=32,
                                 out_bits=out_type.bits)
    return IntFunction(name, args, out_shape, out_type, "\n".join(lines), expected, name)
