# Hand-written IR of the form qnn-quantize emits (quantize -> qnn integer op
# -> dcast -> fp32 bias, ReLU/ReLU6, padding, pooling, reshape -> quantize)
# through qnn-fuse and qnn-lower-to-llvm, run with mlir-runner. The fused
# program must contain no fp32 step between layers, and its 8-bit outputs
# must equal, bit for bit, the integer program docs/Fuse.md describes,
# computed in numpy: the qnn ops by the shared reference (qnntest.intref),
# the folds from their definitions here (int32 bias round(b / (s_in * s_w))
# in double with ties to even, clamp [Q(lo), Q(hi)], zero points and padding
# as the contract has them). Where docs/Fuse.md says a fold is exact
# (clamps, max pooling, odd-window average pooling of values on the grid)
# the integers must also equal the fp32 chain's; one layer's integers stay
# within one step of it.
# RUN: %python %s

import sys

import numpy as np

from qnntest import harness, intref
from qnntest.harness import Function, mlir_dense, mlir_type

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


# ----------------------------------------------------------------------------
# The integer program, in numpy
# ----------------------------------------------------------------------------


class QType:
    """A per-tensor (one scale) or per-axis !quant.uniform type."""

    def __init__(self, storage, scales, zero_point=0, axis=None):
        self.storage = storage  # "u8", "i8", "i8<-127:127>", "i32"
        self.scales = [float(s) for s in np.atleast_1d(scales)]
        self.zero_point = zero_point
        self.axis = axis

    @property
    def qmin(self):
        return {"u8": 0, "i8": -128, "i8<-127:127>": -127, "i32": INT32_MIN}[self.storage]

    @property
    def qmax(self):
        return {"u8": 255, "i8": 127, "i8<-127:127>": 127, "i32": INT32_MAX}[self.storage]

    def element(self):
        # repr() of a float64 is exact, so the IR carries these doubles.
        if self.axis is None:
            zp = f":{self.zero_point}" if self.zero_point else ""
            return f"!quant.uniform<{self.storage}:f32, {self.scales[0]!r}{zp}>"
        scales = ", ".join(repr(s) for s in self.scales)
        return f"!quant.uniform<{self.storage}:f32:{self.axis}, {{{scales}}}>"

    def tensor(self, shape):
        return mlir_type(shape, self.element())


def quantize(x, qtype):
    """qnn.quantize to a per-tensor type, ties to even."""
    return intref.quantize(x, np.float32(qtype.scales[0]), qtype.zero_point, qtype.qmin, qtype.qmax,
                           "half_to_even")


def dequantize(q, qtype):
    return intref.dequantize(q, np.float32(qtype.scales[0]), qtype.zero_point)


def quantize_bias(bias, acc_scales):
    """The folded bias: round(b / (s_in * s_w[c])) in double, ties to even;
    it must fit int32 for the fold to happen."""
    q = np.rint(np.asarray(bias, dtype=np.float32).astype(np.float64) / np.asarray(acc_scales))
    assert np.all((q >= INT32_MIN) & (q <= INT32_MAX))
    return q.astype(np.int64)


def requantize(acc, acc_type, out_type, channel_axis, clamp=(None, None)):
    """qnn.requantize (fixed point) of an int32 accumulator."""
    lo = out_type.qmin if clamp[0] is None else clamp[0]
    hi = out_type.qmax if clamp[1] is None else clamp[1]
    in_scale = intref.along(np.asarray(acc_type.scales), channel_axis, np.ndim(acc))
    return intref.requantize(acc, in_scale, 0, out_type.scales[0], out_type.zero_point, (lo, hi))


# ----------------------------------------------------------------------------
# Test programs
# ----------------------------------------------------------------------------


def narrow_weights(rng, shape):
    w = rng.integers(-127, 128, size=shape, dtype=np.int64)
    w.flat[0], w.flat[1] = 127, -127
    return w


def dense_int(values, storage="i8"):
    return f"dense<{np.asarray(values).tolist()}> : {mlir_type(np.shape(values), storage)}"


def store_i32(value, qtype, shape, name="%out"):
    """Lines that return the storage integers of `value` widened to i32."""
    extend = "arith.extui" if qtype.storage == "u8" else "arith.extsi"
    return (f"  %stored = quant.scast {value} : {qtype.tensor(shape)} to {mlir_type(shape, 'i8')}\n"
            f"  {name} = {extend} %stored : {mlir_type(shape, 'i8')} to {mlir_type(shape, 'i32')}\n"
            f"  return {name} : {mlir_type(shape, 'i32')}\n")


def dense_layer(rng):
    """x -> quantize (u8, z = 128) -> matmul (per-channel i8) -> dcast ->
    + bias [8] (broadcast map) -> ReLU6 -> quantize (u8, z = 20)."""
    m, k, n = 6, 32, 8
    x = rng.uniform(-1.0, 1.0, size=(m, k)).astype(np.float32)
    x_type = QType("u8", np.float32(2.0 / 255.0), 128)
    w = narrow_weights(rng, (k, n))
    w_scales = rng.uniform(0.005, 0.05, n).astype(np.float32)
    w_type = QType("i8<-127:127>", w_scales, axis=1)
    acc_type = QType("i32", np.float64(x_type.scales[0]) * w_scales.astype(np.float64), axis=1)
    bias = rng.normal(0.0, 0.5, n).astype(np.float32)
    out_type = QType("u8", np.float32(0.03), 20)

    identity = "affine_map<(d0, d1) -> (d0, d1)>"
    text = f"""func.func @dense_layer(%x: {mlir_type((m, k))}) -> {mlir_type((m, n), 'i32')} {{
  %xq = qnn.quantize %x : {mlir_type((m, k))} -> {x_type.tensor((m, k))}
  %w = qnn.constant {dense_int(w)} -> {w_type.tensor((k, n))}
  %acc = qnn.matmul %xq, %w : ({x_type.tensor((m, k))}, {w_type.tensor((k, n))}) -> {acc_type.tensor((m, n))}
  %y = quant.dcast %acc : {acc_type.tensor((m, n))} to {mlir_type((m, n))}
  %b = arith.constant {mlir_dense(bias)}
  %e = tensor.empty() : {mlir_type((m, n))}
  %yb = linalg.generic {{indexing_maps = [{identity}, affine_map<(d0, d1) -> (d1)>, {identity}],
                        iterator_types = ["parallel", "parallel"]}}
      ins(%y, %b : {mlir_type((m, n))}, {mlir_type((n,))}) outs(%e : {mlir_type((m, n))}) {{
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }} -> {mlir_type((m, n))}
  %yr = linalg.generic {{indexing_maps = [{identity}, {identity}], iterator_types = ["parallel", "parallel"]}}
      ins(%yb : {mlir_type((m, n))}) outs(%e : {mlir_type((m, n))}) {{
  ^bb0(%a: f32, %o: f32):
    %lo = arith.constant 0.0 : f32
    %hi = arith.constant 6.0 : f32
    %0 = arith.minimumf %a, %hi : f32
    %1 = arith.maximumf %0, %lo : f32
    linalg.yield %1 : f32
  }} -> {mlir_type((m, n))}
  %h = qnn.quantize %yr : {mlir_type((m, n))} -> {out_type.tensor((m, n))}
{store_i32('%h', out_type, (m, n))}}}
"""
    # The integer program.
    a = quantize(x, x_type)
    acc = intref.matmul(a, w, x_type.zero_point, 0, quantize_bias(bias, acc_type.scales))
    clamp = (int(quantize(0.0, out_type)), int(quantize(6.0, out_type)))
    assert clamp == (20, 220), clamp
    expected = requantize(acc, acc_type, out_type, 1, clamp)

    # The fp32 chain it replaces: within one step (the bias is rounded to
    # the accumulator grid, the rescale done in fixed point).
    y = dequantize_accumulator(acc - quantize_bias(bias, acc_type.scales), acc_type) + bias
    chain = quantize(np.minimum(np.maximum(y, np.float32(0.0)), np.float32(6.0)), out_type)
    return Function("dense_layer", x, (m, n), text), expected, chain, 1


def dequantize_accumulator(acc, acc_type):
    """quant.dcast of a per-axis (last axis) accumulator, in float32."""
    scales = np.asarray(acc_type.scales, dtype=np.float32)
    return np.asarray(acc).astype(np.float32) * scales


def conv_network(rng):
    """zero pad -> quantize (u8, z = 100) -> conv 3x3 (per-channel i8) ->
    dcast -> + bias -> ReLU -> 2x2 max pool -> collapse -> quantize (u8,
    z = 9) -> matmul -> dcast -> + bias -> quantize (i8, z = -4)."""
    n, h, w_, c, f, classes = 2, 8, 8, 3, 4, 5
    x = rng.uniform(-1.0, 1.5, size=(n, h, w_, c)).astype(np.float32)
    x_type = QType("u8", np.float32(2.5 / 255.0), 100)
    filt = narrow_weights(rng, (3, 3, c, f))
    f_scales = rng.uniform(0.002, 0.01, f).astype(np.float32)
    f_type = QType("i8<-127:127>", f_scales, axis=3)
    acc1_type = QType("i32", np.float64(x_type.scales[0]) * f_scales.astype(np.float64), axis=3)
    bias1 = rng.normal(0.0, 0.3, f).astype(np.float32)
    h_type = QType("u8", np.float32(0.02), 9)
    flat = (h // 2) * (w_ // 2) * f
    w2 = narrow_weights(rng, (flat, classes))
    w2_scales = rng.uniform(0.002, 0.01, classes).astype(np.float32)
    w2_type = QType("i8<-127:127>", w2_scales, axis=1)
    acc2_type = QType("i32", np.float64(h_type.scales[0]) * w2_scales.astype(np.float64), axis=1)
    bias2 = rng.normal(0.0, 0.3, classes).astype(np.float32)
    out_type = QType("i8", np.float32(0.25), -4)

    t = lambda shape: mlir_type(shape)
    nhwc = "affine_map<(n, h, w, c) -> (n, h, w, c)>"
    parallel4 = '["parallel", "parallel", "parallel", "parallel"]'
    ph, pw = h // 2, w_ // 2
    text = f"""func.func @conv_network(%x: {t((n, h, w_, c))}) -> {mlir_type((n, classes), 'i32')} {{
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  }} : {t((n, h, w_, c))} to {t((n, h + 2, w_ + 2, c))}
  %xq = qnn.quantize %padded : {t((n, h + 2, w_ + 2, c))} -> {x_type.tensor((n, h + 2, w_ + 2, c))}
  %f = qnn.constant {dense_int(filt)} -> {f_type.tensor((3, 3, c, f))}
  %acc1 = qnn.conv2d %xq, %f : ({x_type.tensor((n, h + 2, w_ + 2, c))}, {f_type.tensor((3, 3, c, f))}) -> {acc1_type.tensor((n, h, w_, f))}
  %y1 = quant.dcast %acc1 : {acc1_type.tensor((n, h, w_, f))} to {t((n, h, w_, f))}
  %b1 = arith.constant {mlir_dense(bias1)}
  %e1 = tensor.empty() : {t((n, h, w_, f))}
  %yb1 = linalg.generic {{indexing_maps = [{nhwc}, affine_map<(n, h, w, c) -> (c)>, {nhwc}], iterator_types = {parallel4}}}
      ins(%y1, %b1 : {t((n, h, w_, f))}, {t((f,))}) outs(%e1 : {t((n, h, w_, f))}) {{
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }} -> {t((n, h, w_, f))}
  %yr1 = linalg.generic {{indexing_maps = [{nhwc}, {nhwc}], iterator_types = {parallel4}}}
      ins(%yb1 : {t((n, h, w_, f))}) outs(%e1 : {t((n, h, w_, f))}) {{
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }} -> {t((n, h, w_, f))}
  %ninf = arith.constant 0xFF800000 : f32
  %pe = tensor.empty() : {t((n, ph, pw, f))}
  %init = linalg.fill ins(%ninf : f32) outs(%pe : {t((n, ph, pw, f))}) -> {t((n, ph, pw, f))}
  %window = tensor.empty() : {t((2, 2))}
  %pool = linalg.pooling_nhwc_max {{dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}}
      ins(%yr1, %window : {t((n, h, w_, f))}, {t((2, 2))}) outs(%init : {t((n, ph, pw, f))}) -> {t((n, ph, pw, f))}
  %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : {t((n, ph, pw, f))} into {t((n, flat))}
  %hq = qnn.quantize %flat : {t((n, flat))} -> {h_type.tensor((n, flat))}
  %w2 = qnn.constant {dense_int(w2)} -> {w2_type.tensor((flat, classes))}
  %acc2 = qnn.matmul %hq, %w2 : ({h_type.tensor((n, flat))}, {w2_type.tensor((flat, classes))}) -> {acc2_type.tensor((n, classes))}
  %y2 = quant.dcast %acc2 : {acc2_type.tensor((n, classes))} to {t((n, classes))}
  %b2 = arith.constant {mlir_dense(bias2)}
  %e2 = tensor.empty() : {t((n, classes))}
  %bb2 = linalg.broadcast ins(%b2 : {t((classes,))}) outs(%e2 : {t((n, classes))}) dimensions = [0]
  %yb2 = arith.addf %y2, %bb2 : {t((n, classes))}
  %out8 = qnn.quantize %yb2 : {t((n, classes))} -> {out_type.tensor((n, classes))}
{store_i32('%out8', out_type, (n, classes))}}}
"""
    # The integer program.
    a = quantize(x, x_type)
    acc1 = intref.conv2d(a, filt, x_type.zero_point, 0, quantize_bias(bias1, acc1_type.scales),
                         padding=(1, 1, 1, 1))
    h1 = requantize(acc1, acc1_type, h_type, 3, (int(quantize(0.0, h_type)), None))
    hq = intref.max_pool2d(h1, (2, 2), (2, 2)).reshape(n, flat)
    acc2 = intref.matmul(hq, w2, h_type.zero_point, 0, quantize_bias(bias2, acc2_type.scales))
    expected = requantize(acc2, acc2_type, out_type, 1)
    return Function("conv_network", x, (n, classes), text), expected, None, None


def average_pool(rng):
    """quantize -> dcast -> 3x3 sum pool (stride 3) / 9 -> quantize to the
    same type: qnn.avg_pool2d, exactly the fp32 chain."""
    n, h, w_, c = 2, 9, 9, 3
    q_type = QType("u8", np.float32(0.1), 7)
    x = rng.uniform(-0.7, 24.8, size=(n, h, w_, c)).astype(np.float32)
    t = lambda shape: mlir_type(shape)
    oh, ow = h // 3, w_ // 3
    nhwc = "affine_map<(n, h, w, c) -> (n, h, w, c)>"
    text = f"""func.func @average_pool(%x: {t((n, h, w_, c))}) -> {mlir_type((n, oh, ow, c), 'i32')} {{
  %q = qnn.quantize %x : {t((n, h, w_, c))} -> {q_type.tensor((n, h, w_, c))}
  %y = quant.dcast %q : {q_type.tensor((n, h, w_, c))} to {t((n, h, w_, c))}
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : {t((n, oh, ow, c))}
  %init = linalg.fill ins(%zero : f32) outs(%e : {t((n, oh, ow, c))}) -> {t((n, oh, ow, c))}
  %window = tensor.empty() : {t((3, 3))}
  %sum = linalg.pooling_nhwc_sum {{dilations = dense<1> : vector<2xi64>, strides = dense<3> : vector<2xi64>}}
      ins(%y, %window : {t((n, h, w_, c))}, {t((3, 3))}) outs(%init : {t((n, oh, ow, c))}) -> {t((n, oh, ow, c))}
  %avg = linalg.generic {{indexing_maps = [{nhwc}, {nhwc}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%sum : {t((n, oh, ow, c))}) outs(%e : {t((n, oh, ow, c))}) {{
  ^bb0(%in: f32, %out: f32):
    %nine = arith.constant 9.0 : f32
    %d = arith.divf %in, %nine : f32
    linalg.yield %d : f32
  }} -> {t((n, oh, ow, c))}
  %r = qnn.quantize %avg : {t((n, oh, ow, c))} -> {q_type.tensor((n, oh, ow, c))}
{store_i32('%r', q_type, (n, oh, ow, c))}}}
"""
    q = quantize(x, q_type)
    expected = intref.avg_pool2d(q, (3, 3), q_type.zero_point, q_type.qmin, q_type.qmax, (3, 3))
    # The fp32 chain, summed in float32: the same integers (docs/Fuse.md).
    real = dequantize(q, q_type)
    sums = np.zeros((n, oh, ow, c), dtype=np.float32)
    for i in range(3):
        for j in range(3):
            sums += real[:, i::3, j::3, :]
    chain = quantize(sums / np.float32(9.0), q_type)
    return Function("average_pool", x, (n, oh, ow, c), text), expected, chain, 0


def main():
    rng = np.random.default_rng(20260115)
    programs = [dense_layer(rng), conv_network(rng), average_pool(rng)]
    functions = [program[0] for program in programs]
    module = "\n".join(function.text for function in functions)

    failures = 0
    fused = harness.run([harness.tool("QNN_OPT"), "--qnn-fuse"], stdin=module)
    # Nothing fp32 is left between the layers: no dequantize, no elementwise
    # generic, no fp32 pooling or padding.
    for leftover in ("quant.dcast", "linalg.generic", "linalg.pooling", "tensor.pad", "arith.addf"):
        if leftover in fused:
            print(f"FAIL: qnn-fuse left {leftover} in the program:\n{fused}")
            failures += 1
    for op in ("qnn.requantize", "qnn.max_pool2d", "qnn.avg_pool2d", "quant.scast"):
        if op not in fused:
            print(f"FAIL: qnn-fuse produced no {op}")
            failures += 1

    for pipeline_options in ("", "vectorize=false"):
        results = run_fused(fused, functions, pipeline_options)
        for (function, expected, chain, steps), got in zip(programs, results):
            label = f"{function.name} [{pipeline_options or 'default'}]"
            mismatch = got != expected
            if mismatch.any():
                index = tuple(np.argwhere(mismatch)[0])
                print(f"FAIL: {label}: {int(mismatch.sum())} of {got.size} differ from the integer "
                      f"reference; first at {index}: got {got[index]}, expected {expected[index]}")
                failures += 1
                continue
            print(f"ok: {label} equals the integer reference")
            if chain is not None:
                worst = int(np.abs(got - chain).max())
                if worst > steps:
                    print(f"FAIL: {label}: {worst} steps from the fp32 chain (allowed {steps})")
                    failures += 1
                else:
                    print(f"ok: {label} within {worst} step(s) of the fp32 chain (allowed {steps})")
    if failures:
        sys.exit(f"{failures} check(s) failed")


def run_fused(fused, functions, pipeline_options):
    """Appends a @main that calls each function on its input and prints the
    result, lowers, runs, and returns the printed int32 arrays."""
    lines = [fused.rstrip().rstrip("}").rstrip()]
    lines.append("  func.func private @printMemrefI32(tensor<*xi32>)")
    lines.append("  func.func @main() {")
    for i, function in enumerate(functions):
        x_type = mlir_type(function.x.shape)
        bits_type = mlir_type(function.result_shape, "i32")
        lines += [
            f"    %x{i} = arith.constant {mlir_dense(function.x)}",
            f"    %b{i} = func.call @{function.name}(%x{i}) : ({x_type}) -> {bits_type}",
            f"    %u{i} = tensor.cast %b{i} : {bits_type} to tensor<*xi32>",
            f"    func.call @printMemrefI32(%u{i}) : (tensor<*xi32>) -> ()",
        ]
    lines += ["    return", "  }", "}"]
    printed = harness.parse_memrefs(harness.execute(harness.lower("\n".join(lines) + "\n", None, pipeline_options)))
    if len(printed) != len(functions):
        raise RuntimeError(f"expected {len(functions)} results, parsed {len(printed)}")
    return printed


main()
