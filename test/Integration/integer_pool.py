# qnn.max_pool2d, qnn.avg_pool2d and qnn.pad lowered by qnn-lower-to-llvm
# and run, against the integer reference (qnntest.intref) bit for bit: NHWC
# and NCHW, u8 and i8, padding (which never wins a max, and counts as the
# zero point in an average only with count_include_pad), strides, global
# pooling, per-channel zero points, negative sums and ties of the rounded
# division; and upstream data movement on quantized tensors
# (linalg.transpose, linalg.broadcast, tensor.concat, reshapes, slices).
# RUN: %python %s

import numpy as np

from qnntest import intref
from qnntest.intharness import Arg, Checker, IntFunction, per_axis, per_tensor, random_scale


def out_extent(size, kernel, stride, before, after):
    return (size + before + after - kernel) // stride + 1


def pool_function(name, op, x, qtype, kernel, strides=(1, 1), padding=(0, 0, 0, 0), data_format="nhwc",
                  count_include_pad=False):
    nhwc = data_format == "nhwc"
    h_axis, w_axis = (1, 2) if nhwc else (2, 3)
    out_shape = list(x.shape)
    out_shape[h_axis] = out_extent(x.shape[h_axis], kernel[0], strides[0], padding[0], padding[1])
    out_shape[w_axis] = out_extent(x.shape[w_axis], kernel[1], strides[1], padding[2], padding[3])
    out_shape = tuple(out_shape)
    attrs = [f"kernel = array<i64: {kernel[0]}, {kernel[1]}>", f"strides = array<i64: {strides[0]}, {strides[1]}>",
             f"padding = array<i64: {', '.join(str(p) for p in padding)}>"]
    if not nhwc:
        attrs.append("data_format = #qnn.data_format<nchw>")
    if count_include_pad:
        attrs.append("count_include_pad = true")
    body = (f"  %y = qnn.{op} %x {{{', '.join(attrs)}}} : {qtype.tensor(x.shape)} -> {qtype.tensor(out_shape)}")
    if op == "max_pool2d":
        expected = intref.max_pool2d(x, kernel, strides, padding, data_format)
    else:
        zps = np.array(qtype.zero_points, dtype=np.int64)
        expected = intref.avg_pool2d(x, kernel, zps if zps.size > 1 else zps[0], qtype.qmin, qtype.qmax, strides,
                                     padding, count_include_pad, data_format)
    label = f"{op} {name}"
    return IntFunction(f"{op}_{name}", [Arg("x", x, qtype)], out_shape, qtype, body, expected, label)


def pad_function(name, x, qtype, low, high):
    out_shape = tuple(s + l + h for s, l, h in zip(x.shape, low, high))
    body = (f"  %y = qnn.pad %x low = [{', '.join(map(str, low))}] high = [{', '.join(map(str, high))}] "
            f": {qtype.tensor(x.shape)} -> {qtype.tensor(out_shape)}")
    zps = np.array(qtype.zero_points, dtype=np.int64)
    if zps.size > 1:
        shape = [1] * x.ndim
        shape[qtype.axis] = zps.size
        zps = zps.reshape(shape)
    else:
        zps = zps[0]
    expected = intref.pad(x, low, high, zps)
    return IntFunction(f"pad_{name}", [Arg("x", x, qtype)], out_shape, qtype, body, expected, f"pad {name}")


def data_movement_function(rng, qtype):
    """Transpose, broadcast, concatenate, reshape and slice u8 tensors."""
    x = qtype.random(rng, (3, 5))
    t = qtype.tensor
    body = "\n".join([
        f"  %e0 = tensor.empty() : {t((5, 3))}",
        f"  %t = linalg.transpose ins(%x : {t((3, 5))}) outs(%e0 : {t((5, 3))}) permutation = [1, 0]",
        f"  %row = tensor.extract_slice %x[1, 0] [1, 3] [1, 1] : {t((3, 5))} to {t((3,))}",
        f"  %e1 = tensor.empty() : {t((5, 3))}",
        f"  %b = linalg.broadcast ins(%row : {t((3,))}) outs(%e1 : {t((5, 3))}) dimensions = [0]",
        f"  %c = tensor.concat dim(1) %t, %b : ({t((5, 3))}, {t((5, 3))}) -> {t((5, 6))}",
        f"  %y = tensor.collapse_shape %c [[0, 1]] : {t((5, 6))} into {t((30,))}",
    ])
    expected = np.concatenate([x.T, np.broadcast_to(x[1, :3], (5, 3))], axis=1).reshape(30)
    return IntFunction("data_movement", [Arg("x", x, qtype)], (30,), qtype, body, expected, "data movement")


def main():
    rng = np.random.default_rng(5)
    s = lambda: random_scale(rng)
    u8 = per_tensor(8, False, s(), int(rng.integers(0, 256)))
    i8 = per_tensor(8, True, s(), int(rng.integers(-128, 128)))
    functions = []
    for fmt in ("nhwc", "nchw"):
        nhwc = fmt == "nhwc"
        shape = (2, 9, 10, 16) if nhwc else (2, 16, 9, 10)
        channel_axis = 3 if nhwc else 1
        x_u8, x_i8 = u8.random(rng, shape), i8.random(rng, shape)
        # Only negative values: a padding of 0 would win every border max.
        negative = rng.integers(-128, 0, size=shape)
        functions += [
            pool_function(f"{fmt}_u8", "max_pool2d", x_u8, u8, (2, 2), (2, 2), data_format=fmt),
            pool_function(f"{fmt}_u8_padded", "max_pool2d", x_u8, u8, (3, 3), (2, 2), (1, 1, 1, 1), fmt),
            pool_function(f"{fmt}_i8_negative_padded", "max_pool2d", negative, i8, (3, 2), (1, 2), (2, 0, 1, 1), fmt),
            pool_function(f"{fmt}_u8", "avg_pool2d", x_u8, u8, (2, 2), (2, 2), data_format=fmt),
            pool_function(f"{fmt}_u8_padded", "avg_pool2d", x_u8, u8, (3, 3), (1, 1), (1, 1, 1, 1), fmt),
            pool_function(f"{fmt}_u8_padded_counted", "avg_pool2d", x_u8, u8, (3, 3), (2, 1), (1, 2, 2, 1), fmt,
                          count_include_pad=True),
            # Negative sums: rounding half away from zero downwards.
            pool_function(f"{fmt}_i8_padded", "avg_pool2d", x_i8, i8, (2, 3), (1, 2), (1, 0, 2, 1), fmt),
            pool_function(f"{fmt}_i8_negative_counted", "avg_pool2d", negative, i8, (3, 3), (2, 2),
                          (1, 1, 1, 1), fmt, count_include_pad=True),
            # Global average pooling.
            pool_function(f"{fmt}_global", "avg_pool2d", x_u8, u8, (9, 10), data_format=fmt),
        ]
        # Per-channel zero points counted into the padding.
        per_channel = per_axis(8, False, [s() for _ in range(16)], [int(z) for z in rng.integers(0, 256, 16)],
                               channel_axis)
        functions.append(pool_function(f"{fmt}_per_channel_counted", "avg_pool2d", per_channel.random(rng, shape),
                                       per_channel, (3, 3), (2, 2), (1, 1, 1, 1), fmt, count_include_pad=True))
        functions.append(pad_function(f"{fmt}_u8", x_u8, u8, [0, 1, 2, 0] if nhwc else [0, 0, 1, 2],
                                      [1, 2, 0, 0] if nhwc else [1, 0, 2, 0]))
        functions.append(pad_function(f"{fmt}_per_channel", per_channel.random(rng, shape), per_channel,
                                      [0, 1, 1, 0] if nhwc else [0, 0, 1, 1], [0, 2, 1, 0] if nhwc else [0, 0, 2, 1]))
    functions.append(pad_function("i8_rank2", i8.random(rng, (5, 7)), i8, [2, 0], [1, 3]))

    functions.append(data_movement_function(rng, u8))

    checker = Checker()
    checker.run_and_compare(functions, pipeline_option_sets=("", "vectorize=false"))
    checker.finish()


main()
