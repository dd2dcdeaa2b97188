"""Build MLIR test programs, lower them with qnn-opt, run them with
mlir-runner and compare the printed results against numpy.

Results are printed as the bit patterns of their float32 values
(`arith.bitcast` to i32, `printMemrefI32`), so that nothing is lost to
decimal formatting and the tolerances below are the only slack.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from qnntest import reference

TIMEOUT_SECONDS = 120
# Address-space limit for qnn-opt and mlir-runner: some upstream pattern
# combinations explode, and a test must fail rather than take the machine.
# QNN_TEST_MEMORY_LIMIT_KB overrides it; 0 means none (lit sets that in the
# sanitizer build, where ASan reserves terabytes of shadow address space).
MEMORY_LIMIT_KB = int(os.environ.get("QNN_TEST_MEMORY_LIMIT_KB", 4 * 1024 * 1024))
if "ASAN_OPTIONS" in os.environ:
    MEMORY_LIMIT_KB = 0


def tool(name):
    path = os.environ.get(name)
    if not path:
        sys.exit(f"environment variable {name} is not set (run under lit)")
    return path


def mlir_type(shape, element="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def mlir_dense(array):
    """A dense attribute holding exactly the bits of a float32 array."""
    array = np.ascontiguousarray(array, dtype=np.float32)
    hex_data = array.astype("<f4").tobytes().hex().upper()
    return f'dense<"0x{hex_data}"> : {mlir_type(array.shape)}'


def _limit_memory():
    import resource

    limit = MEMORY_LIMIT_KB * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_PREEXEC = _limit_memory if MEMORY_LIMIT_KB > 0 else None


def run(command, stdin=None):
    result = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_PREEXEC,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise RuntimeError(f"command failed ({result.returncode}): {' '.join(command)}")
    return result.stdout


def lower(module_text, quantize_options=None, pipeline_options=""):
    """Runs qnn-opt [--qnn-quantize-weights=...] --qnn-lower-to-llvm."""
    command = [tool("QNN_OPT")]
    if quantize_options is not None:
        command.append(f"--qnn-quantize-weights={quantize_options}")
    pipeline = "--qnn-lower-to-llvm"
    if pipeline_options:
        pipeline += "=" + pipeline_options
    command.append(pipeline)
    return run(command, stdin=module_text)


def execute(llvm_module_text):
    """Runs the lowered module's @main with mlir-runner; returns stdout."""
    command = [
        tool("MLIR_RUNNER"),
        "-e",
        "main",
        "-entry-point-result=void",
        f"-shared-libs={tool('QNN_RUNNER_LIBS')}",
    ]
    return run(command, stdin=llvm_module_text)


_MEMREF_HEADER = re.compile(r"Unranked Memref base@ = \S+ rank = (\d+) offset = \d+ sizes = \[([^\]]*)\]")


def parse_memrefs(output):
    """The arrays printed by printMemrefI32, in order, as int32 arrays."""
    arrays = []
    parts = _MEMREF_HEADER.split(output)
    # parts: [prefix, rank, sizes, body, rank, sizes, body, ...]
    for i in range(1, len(parts), 3):
        sizes = [int(s) for s in parts[i + 1].split(",") if s.strip()]
        body = parts[i + 2].split("data =", 1)[1]
        values = [int(v) for v in re.findall(r"-?\d+", body)]
        arrays.append(np.array(values, dtype=np.int64).astype(np.int32).reshape(sizes))
    return arrays


def as_float32(bits):
    return np.asarray(bits, dtype=np.int32).view(np.float32)


@dataclass
class Case:
    """One function `@name(%x) -> %y` with one constant weight `%w` (or
    none: `w` is None, and only the fp32 check applies).

    `body` computes `%y` from `%x` and `%w` (and may define other constants);
    `reference(x, w)` computes the same in float64 numpy. `magnitude(|x|,
    |w|)` is the sum of the magnitudes of the terms each output adds up
    (by default `reference(|x|, |w|)`, right for ops linear in x and w).
    `reduction` is the number of terms summed per output element.
    `channel_axis` and `group_axis` are the weight's axes as the
    qnn-quantize-weights description lists them for the op.
    """

    name: str
    x: np.ndarray
    w: Optional[np.ndarray]
    result_shape: tuple
    body: str
    reference: Callable
    reduction: int
    channel_axis: Optional[int]
    group_axis: Optional[int]
    weight_op: str = "arith"  # or "tosa"
    extra_terms: int = 0  # terms added besides the reduction (a bias)
    magnitude: Optional[Callable] = None

    def function_text(self):
        if self.w is None:
            weight = "// no weight"
        elif self.weight_op == "tosa":
            weight = f'%w = "tosa.const"() <{{values = {mlir_dense(self.w)}}}> : () -> {mlir_type(self.w.shape)}'
        else:
            weight = f"%w = arith.constant {mlir_dense(self.w)}"
        return (
            f"func.func @{self.name}(%x: {mlir_type(self.x.shape)}) -> {mlir_type(self.result_shape)} {{\n"
            f"  {weight}\n"
            f"{self.body}\n"
            f"  return %y : {mlir_type(self.result_shape)}\n"
            f"}}\n"
        )


def build_module(cases):
    """Every case's function plus a @main printing each result's bits."""
    lines = [case.function_text() for case in cases]
    lines.append("func.func private @printMemrefI32(tensor<*xi32>)")
    lines.append("func.func @main() {")
    for i, case in enumerate(cases):
        x_type = mlir_type(case.x.shape)
        y_type = mlir_type(case.result_shape)
        bits_type = mlir_type(case.result_shape, "i32")
        lines += [
            f"  %x{i} = arith.constant {mlir_dense(case.x)}",
            f"  %y{i} = func.call @{case.name}(%x{i}) : ({x_type}) -> {y_type}",
            f"  %b{i} = arith.bitcast %y{i} : {y_type} to {bits_type}",
            f"  %u{i} = tensor.cast %b{i} : {bits_type} to tensor<*xi32>",
            f"  func.call @printMemrefI32(%u{i}) : (tensor<*xi32>) -> ()",
        ]
    lines += ["  return", "}"]
    return "\n".join(lines) + "\n"


@dataclass
class Function:
    """A hand-written `func.func @name(%x: <input type>) -> tensor<...xi32>`;
    `text` is the whole function."""

    name: str
    x: np.ndarray
    result_shape: tuple
    text: str


def run_i32_functions(functions, pipeline_options=""):
    """Lowers and runs functions returning i32 tensors; returns their
    results as int32 arrays, in order."""
    lines = [function.text for function in functions]
    lines.append("func.func private @printMemrefI32(tensor<*xi32>)")
    lines.append("func.func @main() {")
    for i, function in enumerate(functions):
        x_type = mlir_type(function.x.shape)
        bits_type = mlir_type(function.result_shape, "i32")
        lines += [
            f"  %x{i} = arith.constant {mlir_dense(function.x)}",
            f"  %b{i} = func.call @{function.name}(%x{i}) : ({x_type}) -> {bits_type}",
            f"  %u{i} = tensor.cast %b{i} : {bits_type} to tensor<*xi32>",
            f"  func.call @printMemrefI32(%u{i}) : (tensor<*xi32>) -> ()",
        ]
    lines += ["  return", "}"]
    module = "\n".join(lines) + "\n"
    printed = parse_memrefs(execute(lower(module, None, pipeline_options)))
    if len(printed) != len(functions):
        raise RuntimeError(f"expected {len(functions)} results, parsed {len(printed)}")
    return printed


def run_cases(cases, quantize_options=None, pipeline_options=""):
    """Lowers and runs the cases; returns their float32 results."""
    module = build_module(cases)
    printed = parse_memrefs(execute(lower(module, quantize_options, pipeline_options)))
    if len(printed) != len(cases):
        raise RuntimeError(f"expected {len(cases)} results, parsed {len(printed)}")
    results = []
    for case, bits in zip(cases, printed):
        if tuple(bits.shape) != tuple(case.result_shape):
            raise RuntimeError(f"{case.name}: result shape {bits.shape}, expected {case.result_shape}")
        results.append(as_float32(bits))
    return results


# Tolerance: float32 summation of n terms errs by at most about n * 2^-24
# times the sum of the terms' magnitudes (recursive summation, FMA or not,
# any order); twice that bound plus a 1e-5 relative term never flakes and
# is still orders of magnitude below one quantization step of a weight.
RELATIVE_TOLERANCE = 1e-5


def tolerance(case, x, w):
    bound = case.magnitude or case.reference
    w_abs = None if w is None else np.abs(w).astype(np.float64)
    magnitude = np.abs(bound(np.abs(x).astype(np.float64), w_abs))
    terms = case.reduction + case.extra_terms
    return 2.0 * terms * 2.0**-24 * magnitude + 1e-30


@dataclass
class Failure:
    messages: list = field(default_factory=list)

    def add(self, message):
        self.messages.append(message)
        print("FAIL: " + message)


def compare(failures, label, got, expected, tol):
    error = np.abs(got.astype(np.float64) - expected)
    allowed = RELATIVE_TOLERANCE * np.abs(expected) + tol
    bad = ~(error <= allowed)
    if bad.any():
        index = tuple(np.argwhere(bad)[0])
        failures.add(
            f"{label}: {int(bad.sum())} of {bad.size} elements differ; first at "
            f"{index}: got {got[index]!r}, expected {expected[index]!r}, "
            f"allowed error {allowed[index]:.3g}"
        )
        return False
    print(f"ok: {label} (max error {error.max():.3g}, max allowed {allowed.max():.3g})")
    return True


def check_fp32(failures, cases, pipeline_options=""):
    """(b): the fp32 path matches numpy's fp32 result."""
    results = run_cases(cases, None, pipeline_options)
    for case, got in zip(cases, results):
        w = None if case.w is None else case.w.astype(np.float64)
        expected = case.reference(case.x.astype(np.float64), w)
        compare(failures, f"{case.name} fp32 [{pipeline_options or 'default'}]", got, expected, tolerance(case, case.x, case.w))


def check_quantized(failures, cases, spec_name, spec, pipeline_options=""):
    """(a): with weights quantized by qnn-quantize-weights, the result equals
    numpy's result from weights quantized and dequantized in numpy."""
    cases = [case for case in cases if case.w is not None]
    results = run_cases(cases, reference.pass_options(spec), pipeline_options)
    for case, got in zip(cases, results):
        _, _, _, w_hat = reference.quantize_weights(case.w, spec, case.channel_axis, case.group_axis)
        expected = case.reference(case.x.astype(np.float64), w_hat.astype(np.float64))
        label = f"{case.name} {spec_name}"
        if not compare(failures, label, got, expected, tolerance(case, case.x, w_hat)):
            continue
        # The weights must really have been quantized: the fp32 result is
        # farther away than float rounding.
        exact = case.reference(case.x.astype(np.float64), case.w.astype(np.float64))
        if np.allclose(got, exact, rtol=RELATIVE_TOLERANCE, atol=0):
            failures.add(f"{label}: result equals the fp32 result; were the weights quantized?")


def run_suite(cases, specs=None, pipeline_option_sets=("",)):
    """The fp32 check and every quantization spec, for each pipeline option
    set; exits non-zero on any failure."""
    failures = Failure()
    specs = reference.STANDARD_SPECS if specs is None else specs
    for pipeline_options in pipeline_option_sets:
        check_fp32(failures, cases, pipeline_options)
    for name, spec in specs.items():
        check_quantized(failures, cases, name, spec, pipeline_option_sets[0])
    if failures.messages:
        sys.exit(f"{len(failures.messages)} check(s) failed")
