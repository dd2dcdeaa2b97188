"""Exports a torch.ao-converted (int8) FashionCNN to a canonical QDQ ONNX model.

torch 1.13 exports a converted quantized model as QuantizeLinear /
DequantizeLinear (QDQ) around float Conv, Gemm, Relu and MaxPool, with the
model's own scales and zero points: int8 weights (per output channel when the
qconfig is per channel, opset 13 DequantizeLinear with axis=0), int32 biases
at scale input_scale * weight_scale, uint8 activations. The raw export also
carries noise that only makes importers work harder: every constant is a
Constant node, each QuantizeLinear is followed by a Cast to its own type
(uint8 -> uint8), and each bias zero point is computed at run time by
ConstantOfShape + Cast. tidy() folds those away; the numbers are untouched.
"""

import os
import tempfile

import numpy as np
import onnx
import onnx.mapping
import onnx.numpy_helper
import onnx.shape_inference

import fashion


def _constant_value(node):
    (attr,) = node.attribute
    if attr.name != "value":
        raise ValueError(f"Constant {node.output[0]}: unsupported attribute {attr.name}")
    return onnx.numpy_helper.to_array(attr.t)


def _fold(node, inputs):
    """The value of a Cast or ConstantOfShape node with constant inputs."""
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    if node.op_type == "Cast":
        return inputs[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[attrs["to"]])
    if node.op_type == "ConstantOfShape":
        fill = onnx.numpy_helper.to_array(attrs["value"]) if "value" in attrs else np.zeros(1, np.float32)
        return np.full(tuple(inputs[0]), fill.ravel()[0], dtype=fill.dtype)
    return None


def tidy(model):
    """Constants to initializers, constant Cast/ConstantOfShape folded,
    identity Casts removed. Returns a new, checked ModelProto."""
    model = onnx.shape_inference.infer_shapes(model)
    graph = model.graph
    types = {v.name: v.type.tensor_type.elem_type
             for v in list(graph.value_info) + list(graph.input) + list(graph.output)}
    constants = {t.name: onnx.numpy_helper.to_array(t) for t in graph.initializer}
    rename = {}  # output of a removed identity Cast -> its input
    kept = []
    for node in graph.node:
        inputs = [rename.get(name, name) for name in node.input]
        if node.op_type == "Constant":
            constants[node.output[0]] = _constant_value(node)
            continue
        if all(name in constants for name in inputs):
            value = _fold(node, [constants[name] for name in inputs])
            if value is not None:
                constants[node.output[0]] = value
                continue
        if node.op_type == "Cast":
            to = onnx.helper.get_attribute_value(node.attribute[0])
            if types.get(inputs[0]) == to:
                rename[node.output[0]] = inputs[0]
                continue
        del node.input[:]
        node.input.extend(inputs)
        kept.append(node)
    for output in graph.output:
        if output.name in rename:
            raise ValueError(f"graph output {output.name} is an identity Cast")
    used = {name for node in kept for name in node.input}
    del graph.node[:]
    graph.node.extend(kept)
    del graph.initializer[:]
    graph.initializer.extend(onnx.numpy_helper.from_array(np.asarray(value), name)
                             for name, value in constants.items() if name in used)
    del graph.value_info[:]
    onnx.checker.check_model(model)
    return model


def export_quantized(quantized_model, path, doc):
    """Exports a converted torch.ao model to path as tidy QDQ ONNX (opset 13,
    dynamic "batch" dimension) and returns the sorted set of op types."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "raw.onnx")
        fashion.export_onnx(quantized_model, raw)
        model = tidy(onnx.load(raw))
    model.doc_string = doc
    onnx.save(model, path)
    return sorted({node.op_type for node in model.graph.node})
