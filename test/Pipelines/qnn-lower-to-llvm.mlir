// qnn-lower-to-llvm: quantized and fp32 tensors in, LLVM dialect out, which
// translates to LLVM IR and runs.
// RUN: qnn-opt %s --qnn-quantize-weights --qnn-lower-to-llvm | FileCheck %s
// RUN: qnn-opt %s --qnn-quantize-weights --qnn-lower-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// RUN: qnn-opt %s --qnn-quantize-weights --qnn-lower-to-llvm \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN:   | FileCheck %s --check-prefix=EXEC
// RUN: qnn-opt %s --qnn-lower-to-llvm="vectorize=false" \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN:   | FileCheck %s --check-prefix=EXEC
// RUN: qnn-opt %s --qnn-quantize-weights --qnn-lower-to-llvm="vectorize=false" | FileCheck %s --check-prefix=NOVEC

// Everything is in the LLVM dialect: the int8 weights are an i8 global,
// dequantized at run time; the matmul tiles are rows of 16-lane FMAs.
// CHECK: llvm.mlir.global private constant @{{.*}}(dense<{{.*}}> : tensor<{{.*}}xi8>)
// CHECK-LABEL: llvm.func @matmul
// CHECK: llvm.sext %{{.*}} : vector<16xi8> to vector<16xi32>
// CHECK: llvm.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK: llvm.intr.fmuladd(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// CHECK-LABEL: llvm.func @quantize
// CHECK: llvm.intr.roundeven(%{{.*}}) : (vector<8xf32>) -> vector<8xf32>
// CHECK: llvm.fptosi %{{.*}} : vector<8xf32> to vector<8xi8>
// CHECK-LABEL: llvm.func @main
// CHECK-NOT: {{ (arith|bufferization|linalg|math|memref|qnn|quant|scf|tensor|vector)\.}}

// LLVMIR: define { ptr, ptr, i64, [2 x i64], [2 x i64] } @matmul(
// LLVMIR: call <16 x float> @llvm.fmuladd.v16f32(
// LLVMIR: define void @main()

// Without vectorization only scalar code remains.
// NOVEC-LABEL: llvm.func @matmul
// NOVEC-NOT: vector<
// NOVEC: llvm.fmul %{{.*}} : f32

// Rows of x are all ones; row 0 of the weights is 127 and every other
// weight an integer of smaller magnitude, so the per-channel scales are 1.0,
// quantization is exact and y holds the column sums.
// EXEC: sizes = [4, 16]
// EXEC-COUNT-4: [-298, 257, 53, 102, 404, -53, 502, -208, 347, -110, 192, 241, 37, 339, -118, 437]
func.func @matmul(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %w = arith.constant dense<[[127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0, 127.0],
      [-40.0, -3.0, 34.0, 71.0, 108.0, -108.0, -71.0, -34.0, 3.0, 40.0, 77.0, 114.0, -102.0, -65.0, -28.0, 9.0],
      [46.0, 83.0, 120.0, -96.0, -59.0, -22.0, 15.0, 52.0, 89.0, 126.0, -90.0, -53.0, -16.0, 21.0, 58.0, 95.0],
      [-121.0, -84.0, -47.0, -10.0, 27.0, 64.0, 101.0, -115.0, -78.0, -41.0, -4.0, 33.0, 70.0, 107.0, -109.0, -72.0],
      [-35.0, 2.0, 39.0, 76.0, 113.0, -103.0, -66.0, -29.0, 8.0, 45.0, 82.0, 119.0, -97.0, -60.0, -23.0, 14.0],
      [51.0, 88.0, 125.0, -91.0, -54.0, -17.0, 20.0, 57.0, 94.0, -122.0, -85.0, -48.0, -11.0, 26.0, 63.0, 100.0],
      [-116.0, -79.0, -42.0, -5.0, 32.0, 69.0, 106.0, -110.0, -73.0, -36.0, 1.0, 38.0, 75.0, 112.0, -104.0, -67.0],
      [-30.0, 7.0, 44.0, 81.0, 118.0, -98.0, -61.0, -24.0, 13.0, 50.0, 87.0, 124.0, -92.0, -55.0, -18.0, 19.0],
      [56.0, 93.0, -123.0, -86.0, -49.0, -12.0, 25.0, 62.0, 99.0, -117.0, -80.0, -43.0, -6.0, 31.0, 68.0, 105.0],
      [-111.0, -74.0, -37.0, 0.0, 37.0, 74.0, 111.0, -105.0, -68.0, -31.0, 6.0, 43.0, 80.0, 117.0, -99.0, -62.0],
      [-25.0, 12.0, 49.0, 86.0, 123.0, -93.0, -56.0, -19.0, 18.0, 55.0, 92.0, -124.0, -87.0, -50.0, -13.0, 24.0],
      [61.0, 98.0, -118.0, -81.0, -44.0, -7.0, 30.0, 67.0, 104.0, -112.0, -75.0, -38.0, -1.0, 36.0, 73.0, 110.0],
      [-106.0, -69.0, -32.0, 5.0, 42.0, 79.0, 116.0, -100.0, -63.0, -26.0, 11.0, 48.0, 85.0, 122.0, -94.0, -57.0],
      [-20.0, 17.0, 54.0, 91.0, -125.0, -88.0, -51.0, -14.0, 23.0, 60.0, 97.0, -119.0, -82.0, -45.0, -8.0, 29.0],
      [66.0, 103.0, -113.0, -76.0, -39.0, -2.0, 35.0, 72.0, 109.0, -107.0, -70.0, -33.0, 4.0, 41.0, 78.0, 115.0],
      [-101.0, -64.0, -27.0, 10.0, 47.0, 84.0, 121.0, -95.0, -58.0, -21.0, 16.0, 53.0, 90.0, -126.0, -89.0, -52.0]]> : tensor<16x16xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x16xf32>) outs(%init : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// quantize to i8 with scale 0.5 and zero point 1, half to even: ties go to
// even before the zero point is added, saturation at both ends, NaN to the
// zero point, -0.0 to the zero point.
// EXEC: sizes = [8]
// EXEC-NEXT: [1,  3,  3,  -1,  127,  -128,  1,  1]
func.func @quantize(%x: tensor<8xf32>) -> tensor<8xi32> {
  %q = qnn.quantize %x : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 0.5:1>>
  %s = quant.scast %q : tensor<8x!quant.uniform<i8:f32, 0.5:1>> to tensor<8xi8>
  %r = arith.extsi %s : tensor<8xi8> to tensor<8xi32>
  return %r : tensor<8xi32>
}

// A loop carrying a tensor that every iteration computes afresh (a call
// result) bufferizes, and its buffers are freed: 1.5 doubled three times.
// EXEC: sizes = [4]
// EXEC-NEXT: [12, 12, 12, 12]
func.func @double(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

func.func @repeat(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %x) -> tensor<4xf32> {
    %d = func.call @double(%acc) : (tensor<4xf32>) -> tensor<4xf32>
    scf.yield %d : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  %x = arith.constant dense<1.0> : tensor<4x16xf32>
  %y = call @matmul(%x) : (tensor<4x16xf32>) -> tensor<4x16xf32>
  %yu = tensor.cast %y : tensor<4x16xf32> to tensor<*xf32>
  call @printMemrefF32(%yu) : (tensor<*xf32>) -> ()

  // x / 0.5 = 0.5, 2.5, 1.5, -1 (exact ties and an integer), huge, -inf,
  // NaN, -0.0.
  %v = arith.constant dense<[0.25, 1.25, 0.75, -1.0, 1.0e6, 0xFF800000, 0x7FC00000, -0.0]> : tensor<8xf32>
  %q = call @quantize(%v) : (tensor<8xf32>) -> tensor<8xi32>
  %qu = tensor.cast %q : tensor<8xi32> to tensor<*xi32>
  call @printMemrefI32(%qu) : (tensor<*xi32>) -> ()

  %w = arith.constant dense<1.5> : tensor<4xf32>
  %r = call @repeat(%w) : (tensor<4xf32>) -> tensor<4xf32>
  %ru = tensor.cast %r : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%ru) : (tensor<*xf32>) -> ()
  return
}
