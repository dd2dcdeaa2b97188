"""Models with one node whose attributes or operands are wrong, one error
each: test/Import/ONNX/diagnostics-ops.test.

    python -m qnntest.onnxbadops DIR     writes them all to DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

out_dir = sys.argv[1]
N = h.make_node


def C(name, array):
    return nh.from_array(np.asarray(array), name)


def save(name, nodes, inits=(), inputs=(("x", [1, 2, 4, 4]),), opset=13):
    """One model, its output `y` of unknown shape; not checked by onnx."""
    graph = h.make_graph(nodes, "g",
                         [h.make_tensor_value_info(n, T.FLOAT, s) for n, s in inputs],
                         [h.make_tensor_value_info("y", T.FLOAT, None)], list(inits))
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", opset)])
    model.ir_version = 7
    onnx.save(model, os.path.join(out_dir, name + ".onnx"))


save('pool_k0', [N('MaxPool', ['x'], ['y'], kernel_shape=[0, 0])])
save('pool_kneg', [N('AveragePool', ['x'], ['y'], kernel_shape=[-2, 3])])
save('pool_s0', [N('MaxPool', ['x'], ['y'], kernel_shape=[2, 2], strides=[0, 1])])
save('pool_nokernel', [N('MaxPool', ['x'], ['y'])])
save('pool_big', [N('MaxPool', ['x'], ['y'], kernel_shape=[9, 9])])
save('conv_k0', [N('Conv', ['x', 'w'], ['y'])], [C('w', np.zeros((2, 2, 0, 3), np.float32))])
save('conv_g0', [N('Conv', ['x', 'w'], ['y'], group=0)], [C('w', np.zeros((2, 2, 1, 1), np.float32))])
save('conv_rank2w', [N('Conv', ['x', 'w'], ['y'])], [C('w', np.zeros((2, 2), np.float32))])
save('conv_dil0', [N('Conv', ['x', 'w'], ['y'], dilations=[0, 1])], [C('w', np.zeros((2, 2, 1, 1), np.float32))])
save('reshape_2neg', [N('Reshape', ['x', 's'], ['y'])], [C('s', np.array([-1, -1], np.int64))])
save('reshape_0', [N('Reshape', ['x', 's'], ['y'])], [C('s', np.array([0, 0, 0, 0, 0, 0], np.int64))])
save('transpose_oob', [N('Transpose', ['x'], ['y'], perm=[0, 1, 2, 7])])
save('gather_oob', [N('Gather', ['x', 'i'], ['y'], axis=1)], [C('i', np.array([5], np.int64))])
save('gather_axis', [N('Gather', ['x', 'i'], ['y'], axis=9)], [C('i', np.array([0], np.int64))])
save('split_bad', [N('Split', ['x', 's'], ['y', 'z'], axis=1)], [C('s', np.array([3, 3], np.int64))])
save('concat_axis', [N('Concat', ['x', 'x'], ['y'], axis=7)])
save('concat_shape', [N('Concat', ['x', 'z'], ['y'], axis=1)], inputs=[("x", [1, 2, 4, 4]), ("z", [1, 2, 3, 4])])
save('slice_step0', [N('Slice', ['x', 'a', 'b', 'c', 'd'], ['y'])], [C('a', np.array([0], np.int64)), C('b', np.array([2], np.int64)), C('c', np.array([1], np.int64)), C('d', np.array([0], np.int64))])
save('slice_axis', [N('Slice', ['x', 'a', 'b', 'c'], ['y'])], [C('a', np.array([0], np.int64)), C('b', np.array([2], np.int64)), C('c', np.array([9], np.int64))])
save('d2s_0', [N('DepthToSpace', ['x'], ['y'], blocksize=0)])
save('d2s_3', [N('DepthToSpace', ['x'], ['y'], blocksize=3)])
save('s2d_0', [N('SpaceToDepth', ['x'], ['y'], blocksize=0)])
save('resize_0', [N('Resize', ['x', '', 's'], ['y'])], [C('s', np.array([1, 1, 0, 0], np.float32))])
save('resize_neg', [N('Resize', ['x', '', 's'], ['y'])], [C('s', np.array([1, 1, -2, 2], np.float32))])
save('resize_rank', [N('Resize', ['x', '', 's'], ['y'])], [C('s', np.array([2, 2], np.float32))])
save('squeeze_non1', [N('Squeeze', ['x', 'a'], ['y'])], [C('a', np.array([1], np.int64))])
save('flatten_axis', [N('Flatten', ['x'], ['y'], axis=9)])
save('softmax_axis', [N('Softmax', ['x'], ['y'], axis=9)])
save('reduce_axis', [N('ReduceMean', ['x'], ['y'], axes=[9])])
save('pad_len', [N('Pad', ['x', 'p'], ['y'])], [C('p', np.array([1, 2], np.int64))])
save('pad_reflect_big', [N('Pad', ['x', 'p'], ['y'], mode='reflect')], [C('p', np.array([0, 0, 9, 0, 0, 0, 0, 0], np.int64))])
save('ln_axis', [N('LayerNormalization', ['x', 'g'], ['y'], axis=9)], [C('g', np.ones(4, np.float32))], opset=17)
save('ln_gamma', [N('LayerNormalization', ['x', 'g'], ['y'], axis=-1)], [C('g', np.ones(3, np.float32))], opset=17)
save('bn_size', [N('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'])], [C(k, np.ones(5, np.float32)) for k in 'sbmv'])
save('gemm_rank', [N('Gemm', ['x', 'w'], ['y'])], [C('w', np.ones((4, 4), np.float32))])
save('gemm_c', [N('Gemm', ['a', 'w', 'c'], ['y'])], [C('w', np.ones((4, 4), np.float32)), C('c', np.ones(3, np.float32))], inputs=[("a", [2, 4])])
save('clip_vec', [N('Clip', ['x', 'lo'], ['y'])], [C('lo', np.ones(3, np.float32))])
save('expand_bad', [N('Expand', ['x', 's'], ['y'])], [C('s', np.array([3, 3], np.int64))])
save('tile_len', [N('Tile', ['x', 'r'], ['y'])], [C('r', np.array([2], np.int64))])
save('convT_g', [N('ConvTranspose', ['x', 'w'], ['y'], group=2)], [C('w', np.ones((2, 1, 3, 3), np.float32))])
save('convT_big_pad', [N('ConvTranspose', ['x', 'w'], ['y'], pads=[9, 9, 9, 9])], [C('w', np.ones((2, 1, 3, 3), np.float32))])
save('matmul_0d', [N('MatMul', ['x', 's'], ['y'])], [C('s', np.float32(2))])
save('where_shape', [N('Where', ['c', 'x', 'x'], ['y'])], [C('c', np.ones((3,), bool))])
save('cast_bad', [N('Cast', ['x'], ['y'], to=8)])
save('cast_none', [N('Cast', ['x'], ['y'])])
save('prelu_shape', [N('PRelu', ['x', 's'], ['y'])], [C('s', np.ones(3, np.float32))])
save('constant_noattr', [N('Constant', [], ['c']), N('Add', ['x', 'c'], ['y'])])
save('qlinear_noconst', [N('QLinearMatMul', ['a', 's', 'z', 'b', 's', 'z', 's', 'z'], ['y'])], [C('s', np.float32(0.1)), C('z', np.uint8(0))], inputs=[("a", [2, 2]), ("b", [2, 2])])
save('dq_float', [N('DequantizeLinear', ['x', 's'], ['y'])], [C('s', np.float32(0.1))])
save('empty_optype', [N('', ['x'], ['y'])])
# Integer shape arithmetic folded at import time: no int64 result.
I64_MAX = np.iinfo(np.int64).max
save('fold_overflow', [N('Add', ['a', 'b'], ['s']), N('Reshape', ['x', 's'], ['y'])],
     [C('a', np.array([I64_MAX], np.int64)), C('b', np.array([1], np.int64))])
save('fold_mul_overflow', [N('Mul', ['a', 'a'], ['s']), N('Reshape', ['x', 's'], ['y'])],
     [C('a', np.array([1 << 32], np.int64))])
save('fold_div0', [N('Div', ['a', 'b'], ['s']), N('Reshape', ['x', 's'], ['y'])],
     [C('a', np.array([32], np.int64)), C('b', np.array([0], np.int64))])
