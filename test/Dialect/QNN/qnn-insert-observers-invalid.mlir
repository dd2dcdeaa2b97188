// Option errors of qnn-insert-observers: a diagnostic when the pipeline is
// parsed, and a non-zero exit.
// RUN: not qnn-opt %s --qnn-insert-observers="ops=tosa.sigmoid" 2>&1 | FileCheck %s --check-prefix=SIGMOID
// RUN: not qnn-opt %s --qnn-insert-observers="exclude=fc1,,fc2" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not qnn-opt %s --qnn-insert-observers="all-values=true ops=fc1" 2>&1 | FileCheck %s --check-prefix=ALL

// SIGMOID: error: qnn-insert-observers: op 'tosa.sigmoid' in the ops list cannot be quantized
// EMPTY: error: qnn-insert-observers: '' in the exclude list is neither an op name nor a location name
// ALL: error: qnn-insert-observers: all-values=true observes every value; ops and exclude choose among the activations qnn-quantize quantizes and do not apply to it

func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
