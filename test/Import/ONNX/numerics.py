# Every model of qnntest/onnxcases.py imported with qnn-import-onnx, run with
# qnn-run on random inputs and compared with its torch / numpy reference.
# RUN: rm -rf %t && mkdir -p %t && %python %s %t

import os
import sys

import numpy as np
import onnx

from qnntest import onnxcases
from qnntest.onnxrun import Checker, import_model, run_model

out_dir = sys.argv[1]
names = sys.argv[2:] or list(onnxcases.CASES)
checker = Checker()
for index, name in enumerate(names):
    case = onnxcases.CASES[name]()
    path = os.path.join(out_dir, name + ".onnx")
    onnx.save(case.model, path)
    mlir = import_model(path, case.flags)
    r = np.random.default_rng(100 + index)
    inputs = []
    for input_name, shape in case.inputs.items():
        dtype = case.dtypes.get(input_name)
        if dtype is None:
            inputs.append(r.standard_normal(shape).astype(np.float32))
        else:
            info = np.iinfo(dtype)
            inputs.append(r.integers(info.min, info.max + 1, shape).astype(dtype))
    got = run_model(mlir, inputs)
    want = case.reference(*inputs)
    outputs = case.model.graph.output
    checker.check(name + " outputs", len(got) == len(want), f"{len(got)} of {len(want)}")
    for output, g, w in zip(outputs, got, want):
        # Integers are signless in the IR: a uint8 result comes back as the
        # same bits in an int8 array.
        if output.type.tensor_type.elem_type == onnx.TensorProto.UINT8:
            g = g.view(np.uint8)
        checker.close(f"{name}.{output.name}", g, w, case.atol, case.rtol)
checker.finish()
