# qnn.quantize (both roundings), quant.qcast and quant.dcast lowered by
# qnn-lower-to-llvm and run: the stored integers and the dequantized floats
# must equal numpy's contract bit for bit, on ties, saturation, +-inf, NaN
# and -0.0, for per-tensor, per-axis and sub-channel types of i8 (narrow
# and full), u8, i4 and i16 storage.
# RUN: %python %s

import sys

import numpy as np

from qnntest import harness
from qnntest.harness import Function, mlir_type
from qnntest.reference import Storage, dequantize, quantize

ROUNDINGS = {"half-to-even": "half_to_even", "half-away-from-zero": "half_away_from_zero"}
SPECIALS = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-30, -1e-30, 3e38, -3e38, -np.nan]


class QType:
    """A quantized element type and the parameters it gives each element of
    a tensor of `shape`."""

    def __init__(self, name, element, storage, shape, scales, zero_points):
        self.name = name
        self.element = element
        self.storage = storage
        self.shape = shape
        self.scales = np.broadcast_to(np.asarray(scales, dtype=np.float32), shape)
        self.zero_points = np.broadcast_to(np.asarray(zero_points, dtype=np.int64), shape)

    @property
    def tensor(self):
        return mlir_type(self.shape, f"!quant.uniform<{self.element}>")

    @property
    def storage_tensor(self):
        return mlir_type(self.shape, f"i{self.storage.bits}")

    def inputs(self, rng):
        """Ties x / scale = k + 0.5 for scales that are powers of two (exact
        elsewhere too for the others' random values), saturating values,
        random values and the special values, element by element."""
        flat_scales = self.scales.reshape(-1).astype(np.float64)
        n = flat_scales.size
        k = rng.integers(-300, 300, size=n)
        ties = ((k + 0.5) * flat_scales).astype(np.float32)
        randoms = (rng.standard_normal(n) * flat_scales * 60).astype(np.float32)
        choice = rng.integers(0, 3, size=n)
        x = np.where(choice == 0, ties, randoms)
        specials = np.array(SPECIALS, dtype=np.float32)
        x[: min(n, specials.size)] = specials[: min(n, specials.size)]
        # Ties around zero and at the storage ends, where rounding and
        # saturation meet.
        for i, edge in enumerate([0.5, -0.5, 1.5, -1.5, 2.5, -2.5]):
            j = specials.size + i
            if j < n:
                x[j] = np.float32(edge * flat_scales[j])
        return x.reshape(self.shape)

    def expected(self, x, rounding):
        q = quantize(x, self.scales, self.zero_points, self.storage, rounding)
        return q, dequantize(q, self.scales, self.zero_points)


def per_axis_element(storage_spelling, axis, scales, zero_points):
    params = ", ".join(f"{s!r}:{z}" for s, z in zip(scales, zero_points))
    return f"{storage_spelling}:f32:{axis}, {{{params}}}"


def sub_channel_element(storage_spelling, blocks, scales, zero_points):
    """scales and zero points given on the grid (2-D)."""
    block_text = ", ".join(f"{d}:{b}" for d, b in blocks)
    rows = ", ".join(
        "{" + ", ".join(f"{s!r}:{z}" for s, z in zip(srow, zrow)) + "}"
        for srow, zrow in zip(scales, zero_points)
    )
    return f"{storage_spelling}:f32:{{{block_text}}}, {{{rows}}}"


def expand_grid(grid_values, block):
    return np.kron(np.asarray(grid_values), np.ones(block, dtype=np.asarray(grid_values).dtype))


def qtypes():
    types = [
        QType("i8_narrow", "i8<-127:127>:f32, 0.25", Storage(8, True, True), (64,), 0.25, 0),
        QType("i8_full_zp", "i8:f32, 0.5:-3", Storage(8, True, False), (64,), 0.5, -3),
        QType("u8_zp", "u8:f32, 0.1:3", Storage(8, False), (64,), np.float32(0.1), 3),
        QType("u8_mid", "u8:f32, 2.0:128", Storage(8, False), (37,), 2.0, 128),
        QType("i4_full_zp", "i4:f32, 0.5:-2", Storage(4, True, False), (48,), 0.5, -2),
        QType("i4_narrow", "i4<-7:7>:f32, 0.25", Storage(4, True, True), (32,), 0.25, 0),
        QType("i16", "i16:f32, 0.001:5", Storage(16, True, False), (32,), np.float32(0.001), 5),
    ]
    axis_scales, axis_zps = [0.25, 0.5, 0.1, 2.0], [0, -3, 7, 1]
    types.append(QType(
        "i8_per_axis", per_axis_element("i8", 0, axis_scales, axis_zps), Storage(8, True, False), (4, 16),
        np.array(axis_scales, dtype=np.float32)[:, None], np.array(axis_zps)[:, None]))
    u8_scales, u8_zps = [0.5, 0.25, 1.0, 0.125], [10, 20, 0, 255]
    types.append(QType(
        "u8_per_axis", per_axis_element("u8", 1, u8_scales, u8_zps), Storage(8, False), (3, 4),
        np.array(u8_scales, dtype=np.float32)[None, :], np.array(u8_zps)[None, :]))
    # Sub-channel: 4x8 with blocks 1x4 (grid 4x2) and 2x4 (grid 2x2).
    grid_scales = [[0.25, 0.5], [0.125, 1.0], [2.0, 0.5], [0.25, 0.25]]
    grid_zps = [[1, -2], [0, 0], [5, -128], [127, 3]]
    types.append(QType(
        "i8_sub_channel", sub_channel_element("i8", [(0, 1), (1, 4)], grid_scales, grid_zps),
        Storage(8, True, False), (4, 8),
        expand_grid(np.array(grid_scales, dtype=np.float32), (1, 4)), expand_grid(np.array(grid_zps), (1, 4))))
    i4_scales, i4_zps = [[0.5, 0.25], [1.0, 0.125]], [[0, -1], [3, 0]]
    types.append(QType(
        "i4_sub_channel", sub_channel_element("i4", [(0, 2), (1, 4)], i4_scales, i4_zps),
        Storage(4, True, False), (4, 8),
        expand_grid(np.array(i4_scales, dtype=np.float32), (2, 4)), expand_grid(np.array(i4_zps), (2, 4))))
    return types


def quantize_function(name, qtype, op):
    extend = "arith.extsi" if qtype.storage.signed else "arith.extui"
    x_type, bits_type = mlir_type(qtype.shape), mlir_type(qtype.shape, "i32")
    return (
        f"func.func @{name}(%x: {x_type}) -> {bits_type} {{\n"
        f"  {op}\n"
        f"  %s = quant.scast %q : {qtype.tensor} to {qtype.storage_tensor}\n"
        f"  %r = {extend} %s : {qtype.storage_tensor} to {bits_type}\n"
        f"  return %r : {bits_type}\n"
        f"}}\n"
    )


def round_trip_function(name, qtype, op):
    x_type, bits_type = mlir_type(qtype.shape), mlir_type(qtype.shape, "i32")
    return (
        f"func.func @{name}(%x: {x_type}) -> {bits_type} {{\n"
        f"  {op}\n"
        f"  %d = quant.dcast %q : {qtype.tensor} to {x_type}\n"
        f"  %r = arith.bitcast %d : {x_type} to {bits_type}\n"
        f"  return %r : {bits_type}\n"
        f"}}\n"
    )


def main():
    rng = np.random.default_rng(31)
    functions, checks = [], []
    for qtype in qtypes():
        x = qtype.inputs(rng)
        ops = {
            rounding: f"%q = qnn.quantize %x {{rounding = #qnn.rounding<{spelling}>}} : "
            f"{mlir_type(qtype.shape)} -> {qtype.tensor}"
            for rounding, spelling in ROUNDINGS.items()
        }
        for rounding, op in ops.items():
            q, real = qtype.expected(x, rounding)
            name = f"{qtype.name}_{rounding.replace('-', '_')}"
            functions.append(Function(f"q_{name}", x, qtype.shape, quantize_function(f"q_{name}", qtype, op)))
            checks.append((f"quantize {name}", q.astype(np.int32)))
            functions.append(Function(f"rt_{name}", x, qtype.shape, round_trip_function(f"rt_{name}", qtype, op)))
            checks.append((f"dequantize {name}", real.view(np.int32)))
        # quant.qcast: rounding left to the lowering, which rounds half to even.
        qcast = f"%q = quant.qcast %x : {mlir_type(qtype.shape)} to {qtype.tensor}"
        q, _ = qtype.expected(x, "half-to-even")
        functions.append(Function(f"qcast_{qtype.name}", x, qtype.shape,
                                  quantize_function(f"qcast_{qtype.name}", qtype, qcast)))
        checks.append((f"qcast {qtype.name}", q.astype(np.int32)))

    failed = 0
    for pipeline_options in ("", "vectorize=false"):
        results = harness.run_i32_functions(functions, pipeline_options)
        for (label, expected), got in zip(checks, results):
            label = f"{label} [{pipeline_options or 'default'}]"
            mismatch = got != expected
            if mismatch.any():
                index = tuple(np.argwhere(mismatch)[0])
                print(f"FAIL: {label}: {int(mismatch.sum())} elements differ; first at {index}: "
                      f"got {got[index]}, expected {expected[index]}")
                failed += 1
            else:
                print(f"ok: {label}")
    if failed:
        sys.exit(f"{failed} check(s) failed")


main()
