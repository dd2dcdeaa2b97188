// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels="target=avx2 threads=2" --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels="target=avx2" --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s --check-prefix=ONE
// RUN: qnn-opt %s --split-input-file --qnn-lower-to-llvm="target=avx2 threads=2" | FileCheck %s --check-prefix=LLVM

// threads=2: the blocks of panels become the iterations of an scf.forall,
// each writing the columns of its block into a slice of the result; the
// partial block left over (here 3 panels, the last with 5 columns) follows
// on one thread. With the default threads=1 nothing changes.

// AVX2 int8 matvec: blocks of 8 panels of 8 columns. 1 x 2304 x 1021: 15
// blocks (960 columns) in parallel, 1.1 M multiply-adds per thread.
func.func @matvec(%a: tensor<1x2304xi8>) -> tensor<1x1021xi32> {
  %w = arith.constant dense<3> : tensor<2304x1021xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x1021xi32>
  %z = linalg.fill ins(%zero : i32) outs(%e : tensor<1x1021xi32>) -> tensor<1x1021xi32>
  %r = linalg.matmul ins(%a, %w : tensor<1x2304xi8>, tensor<2304x1021xi8>) outs(%z : tensor<1x1021xi32>) -> tensor<1x1021xi32>
  return %r : tensor<1x1021xi32>
}

// CHECK-LABEL: func.func @matvec
// CHECK:         %[[PACKED:.*]] = arith.constant {{.*}} : tensor<128x1152x16xi8>
// CHECK:         %[[EMPTY:.*]] = tensor.empty() : tensor<1x1021xi32>
// CHECK:         %[[FORALL:.*]] = scf.forall (%[[BLOCK:.*]]) in (15) shared_outs(%[[OUT:.*]] = %[[EMPTY]]) -> (tensor<1x1021xi32>) {
// CHECK:           %[[PANEL:.*]] = arith.muli %[[BLOCK]], %{{.*}} : index
// CHECK:           %[[COL:.*]] = arith.muli %[[PANEL]], %{{.*}} : index
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][0, %[[COL]]] [1, 64] [1, 1] : tensor<1x1021xi32> to tensor<1x64xi32>
// CHECK:           scf.for
// CHECK:             vector.transfer_read %[[PACKED]]
// CHECK:             call @llvm.x86.avx2.pmadd.wd
// CHECK:           %[[W0:.*]] = vector.transfer_write %{{.*}}, %[[SLICE]][%{{.*}}, %{{.*}}] {{.*}} : vector<8xi32>, tensor<1x64xi32>
// CHECK:           scf.forall.in_parallel {
// CHECK:             tensor.parallel_insert_slice %{{.*}} into %[[OUT]][0, %[[COL]]] [1, 64] [1, 1] : tensor<1x64xi32> into tensor<1x1021xi32>
// CHECK:           }
// CHECK:         }
// The last 3 panels (61 columns) after the parallel loop, into its result.
// CHECK:         scf.for
// CHECK:         vector.transfer_write %{{.*}}, %[[FORALL]]
// CHECK:         %[[LAST:.*]] = vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [5], strides = [1]} : vector<8xi32> to vector<5xi32>
// CHECK:         vector.transfer_write %[[LAST]]
// CHECK-NOT:     linalg.matmul

// ONE-LABEL: func.func @matvec
// ONE-NOT:     scf.forall
// ONE:         return

// The OpenMP form after lowering: a parallel region of two threads around
// a work-sharing loop over the 15 blocks.
// LLVM-LABEL: llvm.func @matvec
// LLVM:         %[[TWO:.*]] = llvm.mlir.constant(2 : i32) : i32
// LLVM:         omp.parallel num_threads(%[[TWO]] : i32) {
// LLVM:           omp.wsloop {
// LLVM:             omp.loop_nest (%{{.*}}) : i64 = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// LLVM:               llvm.call @llvm.x86.avx2.pmadd.wd
// LLVM:           omp.terminator

// -----

// f32 matmul, 37 x 320 x 204: blocks of 2 panels (16 columns), 12 of them
// in parallel (1.1 M multiply-adds per thread); the register tile's 4 rows
// leave one row, handled inside each block.
func.func @rows(%a: tensor<37x320xf32>) -> tensor<37x204xf32> {
  %w = arith.constant dense<0.5> : tensor<320x204xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x204xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<37x204xf32>) -> tensor<37x204xf32>
  %r = linalg.matmul ins(%a, %w : tensor<37x320xf32>, tensor<320x204xf32>) outs(%z : tensor<37x204xf32>) -> tensor<37x204xf32>
  return %r : tensor<37x204xf32>
}

// CHECK-LABEL: func.func @rows
// CHECK:         scf.forall (%{{.*}}) in (12) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<37x204xf32>) {
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][0, %{{.*}}] [37, 16] [1, 1] : tensor<37x204xf32> to tensor<37x16xf32>
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[SLICE]]) -> (tensor<37x16xf32>)
// CHECK:             vector.fma
// CHECK:           vector.fma
// CHECK:           tensor.parallel_insert_slice %{{.*}} into %[[OUT]][0, %{{.*}}] [37, 16] [1, 1] : tensor<37x16xf32> into tensor<37x204xf32>

// ONE-LABEL: func.func @rows
// ONE-NOT:     scf.forall
// ONE:         return

// -----

// Too little work: 16 x 256 x 256 is 2^19 multiply-adds per thread, below
// the 2^20 a split needs to pay for waking the second thread.
func.func @small(%a: tensor<16x256xf32>) -> tensor<16x256xf32> {
  %w = arith.constant dense<0.5> : tensor<256x256xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x256xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x256xf32>) -> tensor<16x256xf32>
  %r = linalg.matmul ins(%a, %w : tensor<16x256xf32>, tensor<256x256xf32>) outs(%z : tensor<16x256xf32>) -> tensor<16x256xf32>
  return %r : tensor<16x256xf32>
}

// CHECK-LABEL: func.func @small
// CHECK-NOT:     scf.forall
// CHECK:         vector.fma
// CHECK:         return

// LLVM-LABEL: llvm.func @small
// LLVM-NOT:     omp.parallel
// LLVM:         llvm.return

// -----

// Tall and narrow, 4096 x 256 x 16: a single block of panels, nothing to
// split (rows are never split).
func.func @narrow(%a: tensor<4096x256xf32>) -> tensor<4096x16xf32> {
  %w = arith.constant dense<0.5> : tensor<256x16xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4096x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4096x16xf32>) -> tensor<4096x16xf32>
  %r = linalg.matmul ins(%a, %w : tensor<4096x256xf32>, tensor<256x16xf32>) outs(%z : tensor<4096x16xf32>) -> tensor<4096x16xf32>
  return %r : tensor<4096x16xf32>
}

// CHECK-LABEL: func.func @narrow
// CHECK-NOT:     scf.forall
// CHECK:         return
