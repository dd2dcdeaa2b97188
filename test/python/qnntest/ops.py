"""numpy references of the ops the integration tests lower, and the MLIR
text of each, as harness.Case factories.

References compute in float64.
"""

import numpy as np

from qnntest.harness import Case, mlir_type


def _rng(seed):
    return np.random.default_rng(seed)


def random_input(rng, shape):
    return rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)


def random_weight(rng, shape):
    return (rng.standard_normal(size=shape) * 0.5).astype(np.float32)


def _zero_init(shape):
    return (
        "  %zero = arith.constant 0.0 : f32\n"
        f"  %empty = tensor.empty() : {mlir_type(shape)}\n"
        f"  %init = linalg.fill ins(%zero : f32) outs(%empty : {mlir_type(shape)}) -> {mlir_type(shape)}"
    )


def edge_weight(rng, k, n):
    """A [K, N] weight whose first columns hit the contract's special cases:
    all zeros (scale 1.0), exact ties x / scale = j + 0.5 under a per-column
    scale of 0.25 (absmax 31.75 = 127 * 0.25), and subnormal values (scale
    raised to FLT_MIN); the other columns are random."""
    w = random_weight(rng, (k, n))
    w[:, 0] = 0.0
    ties = (rng.integers(-126, 126, size=k) + 0.5) * 0.25
    ties[0] = 31.75
    w[:, 1] = ties.astype(np.float32)
    w[:, 2] = (rng.standard_normal(k) * 1e-40).astype(np.float32)
    return w


def matmul(name, m, k, n, seed, weight=None):
    """linalg.matmul, B stored [K, N]; `weight(rng, k, n)` makes B."""
    rng = _rng(seed)
    x = random_input(rng, (m, k))
    w = weight(rng, k, n) if weight else random_weight(rng, (k, n))
    body = (
        _zero_init((m, n)) + "\n"
        f"  %y = linalg.matmul ins(%x, %w : {mlir_type((m, k))}, {mlir_type((k, n))}) "
        f"outs(%init : {mlir_type((m, n))}) -> {mlir_type((m, n))}"
    )
    return Case(name, x, w, (m, n), body, lambda x, w: x @ w, k, channel_axis=1, group_axis=0)


def matmul_transposed_b(name, m, k, n, seed):
    """linalg.matmul with indexing maps reading B stored [N, K]."""
    rng = _rng(seed)
    x, w = random_input(rng, (m, k)), random_weight(rng, (n, k))
    body = (
        _zero_init((m, n)) + "\n"
        "  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
        "affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] "
        f"ins(%x, %w : {mlir_type((m, k))}, {mlir_type((n, k))}) "
        f"outs(%init : {mlir_type((m, n))}) -> {mlir_type((m, n))}"
    )
    return Case(name, x, w, (m, n), body, lambda x, w: x @ w.T, k, channel_axis=0, group_axis=1)


def batch_matmul(name, b, m, k, n, seed):
    """linalg.batch_matmul, B stored [batch, K, N]."""
    rng = _rng(seed)
    x, w = random_input(rng, (b, m, k)), random_weight(rng, (b, k, n))
    body = (
        _zero_init((b, m, n)) + "\n"
        f"  %y = linalg.batch_matmul ins(%x, %w : {mlir_type((b, m, k))}, {mlir_type((b, k, n))}) "
        f"outs(%init : {mlir_type((b, m, n))}) -> {mlir_type((b, m, n))}"
    )
    return Case(name, x, w, (b, m, n), body, lambda x, w: np.matmul(x, w), k, channel_axis=2, group_axis=1)


def _out_extent(size, kernel, stride, dilation):
    return (size - dilation * (kernel - 1) - 1) // stride + 1


def conv_nhwc_reference(x, w, stride, dilation):
    """out[n,oh,ow,f] = sum x[n, oh*s+kh*d, ow*s+kw*d, c] * w[kh,kw,c,f]."""
    (sh, sw), (dh, dw) = stride, dilation
    kh_, kw_ = w.shape[0], w.shape[1]
    oh = _out_extent(x.shape[1], kh_, sh, dh)
    ow = _out_extent(x.shape[2], kw_, sw, dw)
    out = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for kh in range(kh_):
        for kw in range(kw_):
            patch = x[:, kh * dh : kh * dh + sh * (oh - 1) + 1 : sh, kw * dw : kw * dw + sw * (ow - 1) + 1 : sw, :]
            out += np.einsum("nhwc,cf->nhwf", patch, w[kh, kw])
    return out


def depthwise_nhwc_reference(x, w, stride, dilation):
    """out[n,oh,ow,c] = sum x[n, oh*s+kh*d, ow*s+kw*d, c] * w[kh,kw,c]."""
    (sh, sw), (dh, dw) = stride, dilation
    kh_, kw_ = w.shape[0], w.shape[1]
    oh = _out_extent(x.shape[1], kh_, sh, dh)
    ow = _out_extent(x.shape[2], kw_, sw, dw)
    out = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for kh in range(kh_):
        for kw in range(kw_):
            patch = x[:, kh * dh : kh * dh + sh * (oh - 1) + 1 : sh, kw * dw : kw * dw + sw * (ow - 1) + 1 : sw, :]
            out += patch * w[kh, kw]
    return out


def _attrs(stride, dilation):
    return (
        f"{{dilations = dense<[{dilation[0]}, {dilation[1]}]> : tensor<2xi64>, "
        f"strides = dense<[{stride[0]}, {stride[1]}]> : tensor<2xi64>}}"
    )


def conv_nhwc_hwcf(name, n, h, w_, c, f, kernel, stride, dilation, seed):
    rng = _rng(seed)
    x = random_input(rng, (n, h, w_, c))
    w = random_weight(rng, (kernel[0], kernel[1], c, f))
    oh = _out_extent(h, kernel[0], stride[0], dilation[0])
    ow = _out_extent(w_, kernel[1], stride[1], dilation[1])
    out = (n, oh, ow, f)
    body = (
        _zero_init(out) + "\n"
        f"  %y = linalg.conv_2d_nhwc_hwcf {_attrs(stride, dilation)} "
        f"ins(%x, %w : {mlir_type(x.shape)}, {mlir_type(w.shape)}) "
        f"outs(%init : {mlir_type(out)}) -> {mlir_type(out)}"
    )
    reference = lambda x, w: conv_nhwc_reference(x, w, stride, dilation)
    return Case(name, x, w, out, body, reference, kernel[0] * kernel[1] * c, channel_axis=3, group_axis=2)


def conv_nchw_fchw(name, n, c, h, w_, f, kernel, stride, dilation, seed):
    rng = _rng(seed)
    x = random_input(rng, (n, c, h, w_))
    w = random_weight(rng, (f, c, kernel[0], kernel[1]))
    oh = _out_extent(h, kernel[0], stride[0], dilation[0])
    ow = _out_extent(w_, kernel[1], stride[1], dilation[1])
    out = (n, f, oh, ow)
    body = (
        _zero_init(out) + "\n"
        f"  %y = linalg.conv_2d_nchw_fchw {_attrs(stride, dilation)} "
        f"ins(%x, %w : {mlir_type(x.shape)}, {mlir_type(w.shape)}) "
        f"outs(%init : {mlir_type(out)}) -> {mlir_type(out)}"
    )

    def reference(x, w):
        nhwc = conv_nhwc_reference(x.transpose(0, 2, 3, 1), w.transpose(2, 3, 1, 0), stride, dilation)
        return nhwc.transpose(0, 3, 1, 2)

    return Case(name, x, w, out, body, reference, kernel[0] * kernel[1] * c, channel_axis=0, group_axis=1)


def depthwise_nhwc_hwc(name, n, h, w_, c, kernel, stride, dilation, seed):
    rng = _rng(seed)
    x = random_input(rng, (n, h, w_, c))
    w = random_weight(rng, (kernel[0], kernel[1], c))
    oh = _out_extent(h, kernel[0], stride[0], dilation[0])
    ow = _out_extent(w_, kernel[1], stride[1], dilation[1])
    out = (n, oh, ow, c)
    body = (
        _zero_init(out) + "\n"
        f"  %y = linalg.depthwise_conv_2d_nhwc_hwc {_attrs(stride, dilation)} "
        f"ins(%x, %w : {mlir_type(x.shape)}, {mlir_type(w.shape)}) "
        f"outs(%init : {mlir_type(out)}) -> {mlir_type(out)}"
    )
    reference = lambda x, w: depthwise_nhwc_reference(x, w, stride, dilation)
    return Case(name, x, w, out, body, reference, kernel[0] * kernel[1], channel_axis=2, group_axis=None)


#===------------------------------------------------------------------------===#
# TOSA
#===------------------------------------------------------------------------===#

_TOSA_ZERO_POINT = '  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>'


def _tosa_bias(bias):
    from qnntest.harness import mlir_dense

    return f'  %bias = "tosa.const"() <{{values = {mlir_dense(bias)}}}> : () -> {mlir_type(bias.shape)}'


def tosa_matmul(name, batch, h, c, w_, seed):
    """tosa.matmul: A [N, H, C] x B [N, C, W]."""
    rng = _rng(seed)
    x, w = random_input(rng, (batch, h, c)), random_weight(rng, (batch, c, w_))
    out = (batch, h, w_)
    body = (
        _TOSA_ZERO_POINT + "\n"
        f"  %y = tosa.matmul %x, %w, %zp, %zp : ({mlir_type(x.shape)}, {mlir_type(w.shape)}, "
        f"tensor<1xf32>, tensor<1xf32>) -> {mlir_type(out)}"
    )
    return Case(name, x, w, out, body, lambda x, w: np.matmul(x, w), c, channel_axis=2, group_axis=1, weight_op="tosa")


def _pad_nhwc(x, pad):
    top, bottom, left, right = pad
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))


def tosa_conv2d(name, n, h, w_, c, f, kernel, stride, dilation, pad, seed):
    """tosa.conv2d: input NHWC, weight [OC, KH, KW, IC], bias [OC]."""
    rng = _rng(seed)
    x = random_input(rng, (n, h, w_, c))
    w = random_weight(rng, (f, kernel[0], kernel[1], c))
    bias = random_input(rng, (f,))
    ph, pw = h + pad[0] + pad[1], w_ + pad[2] + pad[3]
    out = (n, _out_extent(ph, kernel[0], stride[0], dilation[0]), _out_extent(pw, kernel[1], stride[1], dilation[1]), f)
    body = (
        _TOSA_ZERO_POINT + "\n" + _tosa_bias(bias) + "\n"
        f"  %y = tosa.conv2d %x, %w, %bias, %zp, %zp {{acc_type = f32, "
        f"dilation = array<i64: {dilation[0]}, {dilation[1]}>, "
        f"pad = array<i64: {pad[0]}, {pad[1]}, {pad[2]}, {pad[3]}>, "
        f"stride = array<i64: {stride[0]}, {stride[1]}>}} : "
        f"({mlir_type(x.shape)}, {mlir_type(w.shape)}, {mlir_type(bias.shape)}, tensor<1xf32>, tensor<1xf32>) "
        f"-> {mlir_type(out)}"
    )

    def conv(x, w):
        return conv_nhwc_reference(_pad_nhwc(x, pad), w.transpose(1, 2, 3, 0), stride, dilation)

    return Case(name, x, w, out, body, lambda x, w: conv(x, w) + bias, kernel[0] * kernel[1] * c,
                channel_axis=0, group_axis=3, weight_op="tosa", extra_terms=1,
                magnitude=lambda x, w: conv(x, w) + np.abs(bias))


def tosa_depthwise_conv2d(name, n, h, w_, c, kernel, stride, dilation, pad, seed):
    """tosa.depthwise_conv2d: weight [KH, KW, C, M] with M = 1, bias [C]."""
    rng = _rng(seed)
    x = random_input(rng, (n, h, w_, c))
    w = random_weight(rng, (kernel[0], kernel[1], c, 1))
    bias = random_input(rng, (c,))
    ph, pw = h + pad[0] + pad[1], w_ + pad[2] + pad[3]
    out = (n, _out_extent(ph, kernel[0], stride[0], dilation[0]), _out_extent(pw, kernel[1], stride[1], dilation[1]), c)
    body = (
        _TOSA_ZERO_POINT + "\n" + _tosa_bias(bias) + "\n"
        f"  %y = tosa.depthwise_conv2d %x, %w, %bias, %zp, %zp {{acc_type = f32, "
        f"dilation = array<i64: {dilation[0]}, {dilation[1]}>, "
        f"pad = array<i64: {pad[0]}, {pad[1]}, {pad[2]}, {pad[3]}>, "
        f"stride = array<i64: {stride[0]}, {stride[1]}>}} : "
        f"({mlir_type(x.shape)}, {mlir_type(w.shape)}, {mlir_type(bias.shape)}, tensor<1xf32>, tensor<1xf32>) "
        f"-> {mlir_type(out)}"
    )

    def conv(x, w):
        return depthwise_nhwc_reference(_pad_nhwc(x, pad), w[..., 0], stride, dilation)

    return Case(name, x, w, out, body, lambda x, w: conv(x, w) + bias, kernel[0] * kernel[1],
                channel_axis=2, group_axis=None, weight_op="tosa", extra_terms=1,
                magnitude=lambda x, w: conv(x, w) + np.abs(bias))


def _pool_windows(x, kernel, stride):
    """The [N, OH, OW, C, KH*KW] windows of an NHWC input, unpadded."""
    (kh_, kw_), (sh, sw) = kernel, stride
    oh = _out_extent(x.shape[1], kh_, sh, 1)
    ow = _out_extent(x.shape[2], kw_, sw, 1)
    windows = [
        x[:, kh : kh + sh * (oh - 1) + 1 : sh, kw : kw + sw * (ow - 1) + 1 : sw, :]
        for kh in range(kh_)
        for kw in range(kw_)
    ]
    return np.stack(windows, axis=-1)


def _pool_case(name, op, n, h, w_, c, kernel, stride, seed, reduce, extra):
    rng = _rng(seed)
    x = random_input(rng, (n, h, w_, c))
    out = (n, _out_extent(h, kernel[0], stride[0], 1), _out_extent(w_, kernel[1], stride[1], 1), c)
    attrs = (f"kernel = array<i64: {kernel[0]}, {kernel[1]}>, pad = array<i64: 0, 0, 0, 0>, "
             f"stride = array<i64: {stride[0]}, {stride[1]}>")
    if op == "max_pool2d":
        body = (f"  %y = tosa.max_pool2d %x {{{attrs}}} : ({mlir_type(x.shape)}) -> {mlir_type(out)}")
    else:
        body = (_TOSA_ZERO_POINT + "\n"
                f"  %y = tosa.avg_pool2d %x, %zp, %zp {{acc_type = f32, {attrs}}} : "
                f"({mlir_type(x.shape)}, tensor<1xf32>, tensor<1xf32>) -> {mlir_type(out)}")
    reference = lambda x, w: reduce(_pool_windows(x, kernel, stride), axis=-1)
    return Case(name, x, None, out, body, reference, kernel[0] * kernel[1], channel_axis=None,
                group_axis=None, weight_op="tosa", extra_terms=extra)


def tosa_max_pool2d(name, n, h, w_, c, kernel, stride, seed):
    """tosa.max_pool2d without padding; exact."""
    return _pool_case(name, "max_pool2d", n, h, w_, c, kernel, stride, seed, np.max, 0)


def tosa_avg_pool2d(name, n, h, w_, c, kernel, stride, seed):
    """tosa.avg_pool2d without padding: a sum and one division."""
    return _pool_case(name, "avg_pool2d", n, h, w_, c, kernel, stride, seed, np.mean, 1)
