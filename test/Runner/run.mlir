// qnn-run's default mode: call a function on arrays from .npy/.npz files and
// write its outputs (.npz, .npy) or print a summary of them; the outputs are
// checked against numpy (Inputs/arrays.py).
//
// RUN: rm -rf %t && %python %S/Inputs/arrays.py make %t
//
// Inputs by .npz member, in argument order; outputs to an .npz.
// RUN: qnn-run %s --entry=affine --inputs=%t/affine.npz:x,w,b -o %t/affine.npz.out.npz
// RUN: %python %S/Inputs/arrays.py check affine %t/affine.npz.out.npz
//
// The same from .npy files (comma-separated and repeated --inputs), into a
// .npy; and every member of an archive, in archive order, into a deflated
// .npz with named outputs.
// RUN: qnn-run %s --entry=affine --inputs=%t/x.npy,%t/w.npy --inputs=%t/b.npy -o %t/affine.npy
// RUN: %python %S/Inputs/arrays.py check affine %t/affine.npy
// RUN: qnn-run %s --entry=affine --inputs=%t/affine.npz -o %t/named.npz --output-names=logits --compress
// RUN: %python -c "import numpy, zipfile, sys; z = zipfile.ZipFile(sys.argv[1]); assert [i.filename for i in z.infolist()] == ['logits.npy'] and z.infolist()[0].compress_type == zipfile.ZIP_DEFLATED" %t/named.npz
//
// Every dtype the runner passes (int8 ... int64, bool, float64).
// RUN: qnn-run %s --entry=kinds --inputs=%t/kinds.npz -o %t/kinds.out.npz
// RUN: %python %S/Inputs/arrays.py check kinds %t/kinds.out.npz
//
// Without -o: a summary of each output on stdout.
// RUN: qnn-run %s --entry=kinds --inputs=%t/kinds.npz | FileCheck %s
// CHECK: output0: 5 int64 min -1.10166e+12 max 1.10166e+12 mean -0.6
// CHECK-NEXT: output1: 5 float64 min -5 max 2e+300 mean 4e+299
// CHECK-NEXT: output2: 5 bool min 0 max 1 mean 0.6

func.func @affine(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>, %b: tensor<2xf32>) -> tensor<4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x2xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x2xf32>) -> tensor<4x2xf32>
  %xw = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%acc : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%xw, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%empty : tensor<4x2xf32>) {
  ^bb0(%v: f32, %bias: f32, %out: f32):
    %s = arith.addf %v, %bias : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

func.func @kinds(%a: tensor<5xi8>, %b: tensor<5xi16>, %c: tensor<5xi32>, %d: tensor<5xi64>,
                 %e: tensor<5xi1>, %f: tensor<5xf64>) -> (tensor<5xi64>, tensor<5xf64>, tensor<5xi1>) {
  %a64 = arith.extsi %a : tensor<5xi8> to tensor<5xi64>
  %b64 = arith.extsi %b : tensor<5xi16> to tensor<5xi64>
  %c64 = arith.extsi %c : tensor<5xi32> to tensor<5xi64>
  %ab = arith.addi %a64, %b64 : tensor<5xi64>
  %abc = arith.addi %ab, %c64 : tensor<5xi64>
  %sum = arith.addi %abc, %d : tensor<5xi64>
  %twice = arith.addf %f, %f : tensor<5xf64>
  %true = arith.constant dense<true> : tensor<5xi1>
  %not = arith.xori %e, %true : tensor<5xi1>
  return %sum, %twice, %not : tensor<5xi64>, tensor<5xf64>, tensor<5xi1>
}
