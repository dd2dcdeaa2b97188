"""Run hand-built qnn IR on stored integers and compare it bit for bit.

Each test function takes storage tensors (`tensor<...xi8>` for u8 as well:
the bits of the unsigned values), reinterprets them as quantized tensors
with `quant.scast`, applies qnn ops, and returns the result's stored
integers widened to `tensor<...xi32>`. `@main` passes the inputs as dense
constants and prints every result with printMemrefI32; the module goes
through `qnn-opt --qnn-lower-to-llvm` and `mlir-runner`.
"""

import sys
from dataclasses import dataclass, field

import numpy as np

from qnntest import harness
from qnntest.harness import mlir_type


# ----------------------------------------------------------------------------
# Quantized types
# ----------------------------------------------------------------------------


def fmt_scale(scale):
    """A float64 written so that MLIR parses the same double (always with a
    decimal point, 17 significant digits)."""
    return f"{float(scale):.17e}"


@dataclass(frozen=True)
class QType:
    """A per-tensor or per-axis `!quant.uniform` type on integer storage."""

    bits: int
    signed: bool
    scales: tuple
    zero_points: tuple
    axis: int = None
    narrow: bool = False  # signed only: [-(2^(b-1) - 1), 2^(b-1) - 1]

    @property
    def qmin(self):
        if not self.signed:
            return 0
        return -(1 << (self.bits - 1)) + (1 if self.narrow else 0)

    @property
    def qmax(self):
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    @property
    def storage_spelling(self):
        base = f"{'i' if self.signed else 'u'}{self.bits}"
        return f"{base}<{self.qmin}:{self.qmax}>" if self.narrow else base

    @property
    def text(self):
        if self.axis is None:
            return f"!quant.uniform<{self.storage_spelling}:f32, {fmt_scale(self.scales[0])}:{self.zero_points[0]}>"
        params = ", ".join(f"{fmt_scale(s)}:{z}" for s, z in zip(self.scales, self.zero_points))
        return f"!quant.uniform<{self.storage_spelling}:f32:{self.axis}, {{{params}}}>"

    def tensor(self, shape):
        return mlir_type(shape, self.text)

    def storage_tensor(self, shape):
        return mlir_type(shape, f"i{self.bits}")

    def scale_array(self, rank):
        """Scales broadcastable to a tensor of this type."""
        return along(np.array(self.scales, dtype=np.float64), self.axis, rank)

    def zp_array(self, rank):
        return along(np.array(self.zero_points, dtype=np.int64), self.axis, rank)

    def random(self, rng, shape, extremes=True):
        """Random stored integers over the whole range, with the ends and the
        zero point at the first positions."""
        q = rng.integers(self.qmin, self.qmax + 1, size=shape, dtype=np.int64)
        if extremes and q.size >= 3:
            flat = q.reshape(-1)
            flat[0], flat[1] = self.qmin, self.qmax
            flat[2] = self.zero_points[0]
        return q


def along(values, axis, rank):
    values = np.asarray(values)
    if axis is None or values.size == 1:
        return values.reshape(-1)[0]
    shape = [1] * rank
    shape[axis] = values.size
    return values.reshape(shape)


def per_tensor(bits, signed, scale, zp, narrow=False):
    return QType(bits, signed, (float(scale),), (int(zp),), None, narrow)


def per_axis(bits, signed, scales, zps, axis, narrow=False):
    return QType(bits, signed, tuple(float(s) for s in scales), tuple(int(z) for z in zps), axis, narrow)


def accumulator(lhs, rhs, axis):
    """The int32 accumulator type of lhs (per-tensor) times rhs."""
    scales = tuple(lhs.scales[0] * s for s in rhs.scales)
    if rhs.axis is None:
        return QType(32, True, scales, (0,), None)
    return QType(32, True, scales, (0,) * len(scales), axis)


def with_axis(qtype, axis):
    if qtype.axis is None:
        return qtype
    return QType(qtype.bits, qtype.signed, qtype.scales, qtype.zero_points, axis, qtype.narrow)


def random_scale(rng, lo=1e-3, hi=1e-1):
    """A float32 scale, log-uniform in [lo, hi], as a float64."""
    return float(np.float32(np.exp(rng.uniform(np.log(lo), np.log(hi)))))


# ----------------------------------------------------------------------------
# Functions
# ----------------------------------------------------------------------------


def dense_storage(array, bits):
    """A dense attribute of the storage bits of `array` (int64 values in the
    storage range, unsigned ones included)."""
    array = np.asarray(array, dtype=np.int64)
    unsigned = {8: "<u1", 16: "<u2", 32: "<u4"}[bits]
    raw = (array & ((1 << bits) - 1)).astype(unsigned).tobytes().hex().upper()
    return f'dense<"0x{raw}"> : {mlir_type(array.shape, f"i{bits}")}'


@dataclass
class Arg:
    name: str
    values: np.ndarray
    qtype: QType


@dataclass
class IntFunction:
    """`func.func @name(storage args) -> tensor<result_shape x i32>`:
    `body` uses the quantized values `%<arg name>` and defines `%y` of
    quantized type `result_type` (or, with `result_type` None, an i32 tensor
    `%result` directly)."""

    name: str
    args: list
    result_shape: tuple
    result_type: QType
    body: str
    expected: np.ndarray = None
    label: str = ""

    def text(self):
        params = ", ".join(f"%{a.name}_s: {a.qtype.storage_tensor(a.values.shape)}" for a in self.args)
        lines = [f"func.func @{self.name}({params}) -> {mlir_type(self.result_shape, 'i32')} {{"]
        for a in self.args:
            lines.append(
                f"  %{a.name} = quant.scast %{a.name}_s : {a.qtype.storage_tensor(a.values.shape)} "
                f"to {a.qtype.tensor(a.values.shape)}"
            )
        lines.append(self.body)
        if self.result_type is not None:
            rt = self.result_type
            storage = rt.storage_tensor(self.result_shape)
            if rt.bits == 32:
                lines.append(f"  %result = quant.scast %y : {rt.tensor(self.result_shape)} to {storage}")
            else:
                extend = "arith.extsi" if rt.signed else "arith.extui"
                lines.append(f"  %result_storage = quant.scast %y : {rt.tensor(self.result_shape)} to {storage}")
                lines.append(f"  %result = {extend} %result_storage : {storage} to {mlir_type(self.result_shape, 'i32')}")
        lines.append(f"  return %result : {mlir_type(self.result_shape, 'i32')}")
        lines.append("}")
        return "\n".join(lines) + "\n"


def build_module(functions):
    lines = [f.text() for f in functions]
    lines.append("func.func private @printMemrefI32(tensor<*xi32>)")
    lines.append("func.func @main() {")
    for i, f in enumerate(functions):
        names = []
        for j, a in enumerate(f.args):
            lines.append(f"  %a{i}_{j} = arith.constant {dense_storage(a.values, a.qtype.bits)}")
            names.append(f"%a{i}_{j}")
        types = ", ".join(a.qtype.storage_tensor(a.values.shape) for a in f.args)
        out = mlir_type(f.result_shape, "i32")
        lines += [
            f"  %r{i} = func.call @{f.name}({', '.join(names)}) : ({types}) -> {out}",
            f"  %u{i} = tensor.cast %r{i} : {out} to tensor<*xi32>",
            f"  func.call @printMemrefI32(%u{i}) : (tensor<*xi32>) -> ()",
        ]
    lines += ["  return", "}"]
    return "\n".join(lines) + "\n"


def run(functions, pipeline_options=""):
    """Lowers with qnn-lower-to-llvm, runs, returns the printed results."""
    module = build_module(functions)
    printed = harness.parse_memrefs(harness.execute(harness.lower(module, None, pipeline_options)))
    if len(printed) != len(functions):
        raise RuntimeError(f"expected {len(functions)} results, parsed {len(printed)}")
    return printed


@dataclass
class Checker:
    failures: list = field(default_factory=list)

    def compare(self, label, got, expected):
        got = np.asarray(got, dtype=np.int64)
        expected = np.asarray(expected, dtype=np.int64)
        if got.shape != expected.shape:
            self.fail(f"{label}: shape {got.shape}, expected {expected.shape}")
            return
        bad = got != expected
        if bad.any():
            index = tuple(np.argwhere(bad)[0])
            self.fail(f"{label}: {int(bad.sum())} of {bad.size} elements differ; first at {index}: "
                      f"got {got[index]}, expected {expected[index]}")
            return
        print(f"ok: {label} ({got.size} elements, range [{got.min() if got.size else 0}, "
              f"{got.max() if got.size else 0}])")

    def fail(self, message):
        self.failures.append(message)
        print("FAIL: " + message)

    def run_and_compare(self, functions, pipeline_option_sets=("",)):
        for options in pipeline_option_sets:
            results = run(functions, options)
            for f, got in zip(functions, results):
                self.compare(f"{f.label or f.name} [{options or 'default'}]", got, f.expected)

    def finish(self):
        if self.failures:
            sys.exit(f"{len(self.failures)} check(s) failed")


def host_kernel_targets():
    """The `target=` values of qnn-cpu-contraction-kernels this CPU runs,
    generic (no kernels) last."""
    flags = set()
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("flags"):
                flags.update(line.split(":", 1)[1].split())
                break
    targets = []
    if {"avx512_vnni", "avx512bw", "avx512f", "fma"} <= flags:
        targets.append("avx512-vnni")
    if {"avx_vnni", "avx2", "fma"} <= flags:
        targets.append("avx-vnni")
    if {"avx2", "fma"} <= flags:
        targets.append("avx2")
    targets.append("generic")
    return targets
