// RUN: qnn-opt %s --split-input-file --qnn-prefetch-constant-reads | FileCheck %s
// RUN: qnn-opt %s --split-input-file --qnn-prefetch-constant-reads="distance=3 min-bytes=16" | FileCheck %s --check-prefix=OPTS

// A matvec's marked reduction loop over 1 MiB of packed weights (2 panels
// side by side): each panel's read gets a prefetch 8 iterations ahead,
// clamped to the last group; the mark is removed.

memref.global "private" constant @packed : memref<2x8192x64xi8> = dense<1> {alignment = 64 : i64}

func.func @matvec(%acc0: vector<16xi32>) -> vector<16xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8192 = arith.constant 8192 : index
  %pad = arith.constant 0 : i8
  %w = memref.get_global @packed : memref<2x8192x64xi8>
  %r = scf.for %g = %c0 to %c8192 step %c1 iter_args(%acc = %acc0) -> (vector<16xi32>) {
    %a = vector.transfer_read %w[%c0, %g, %c0], %pad {in_bounds = [true]} : memref<2x8192x64xi8>, vector<64xi8>
    %b = vector.load %w[%c1, %g, %c0] : memref<2x8192x64xi8>, vector<64xi8>
    %x = arith.addi %a, %b : vector<64xi8>
    %y = vector.bitcast %x : vector<64xi8> to vector<16xi32>
    %s = arith.addi %acc, %y : vector<16xi32>
    scf.yield %s : vector<16xi32>
  } {qnn.prefetch_constant_reads}
  return %r : vector<16xi32>
}

// CHECK-LABEL: func.func @matvec
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:     %[[LAST:.*]] = arith.constant 8191 : index
// CHECK-DAG:     %[[W:.*]] = memref.get_global @packed
// CHECK-DAG:     %[[DIST:.*]] = arith.muli %[[C1]], %[[C8]] : index
// CHECK:         scf.for %[[G:.*]] = %[[C0]]
// CHECK-NEXT:      %[[AHEAD:.*]] = arith.addi %[[G]], %[[DIST]] : index
// CHECK-NEXT:      %[[AT:.*]] = arith.minsi %[[AHEAD]], %[[LAST]] : index
// CHECK-NEXT:      memref.prefetch %[[W]][%[[C0]], %[[AT]], %[[C0]]], read, locality<3>, data
// CHECK-NEXT:      vector.transfer_read %[[W]][%[[C0]], %[[G]], %[[C0]]]
// CHECK-NEXT:      memref.prefetch %[[W]][%[[C1]], %[[AT]], %[[C0]]], read, locality<3>, data
// CHECK-NEXT:      vector.load %[[W]][%[[C1]], %[[G]], %[[C0]]]
// CHECK:         }
// CHECK-NOT:     qnn.prefetch_constant_reads

// OPTS-LABEL: func.func @matvec
// OPTS:         arith.constant 3 : index
// OPTS:         memref.prefetch

// -----

// What is left alone: an unmarked loop (a tile that reuses its weights),
// a constant below min-bytes (1 MiB by default), a global that is not
// constant, a read whose indices do not move with the loop.

memref.global "private" constant @big : memref<4096x256xf32> = dense<1.0> {alignment = 64 : i64}
memref.global "private" constant @small : memref<64x16xf32> = dense<1.0> {alignment = 64 : i64}
memref.global "private" @mutable : memref<4096x256xf32> = dense<1.0> {alignment = 64 : i64}

func.func @left_alone(%acc0: vector<16xf32>) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %big = memref.get_global @big : memref<4096x256xf32>
  %small = memref.get_global @small : memref<64x16xf32>
  %mutable = memref.get_global @mutable : memref<4096x256xf32>
  %r0 = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %acc0) -> (vector<16xf32>) {
    %v = vector.load %big[%k, %c0] : memref<4096x256xf32>, vector<16xf32>
    %s = arith.addf %acc, %v : vector<16xf32>
    scf.yield %s : vector<16xf32>
  }
  %r1 = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %r0) -> (vector<16xf32>) {
    %v = vector.load %small[%k, %c0] : memref<64x16xf32>, vector<16xf32>
    %u = vector.load %mutable[%k, %c0] : memref<4096x256xf32>, vector<16xf32>
    %i = vector.load %big[%c1, %c0] : memref<4096x256xf32>, vector<16xf32>
    %s0 = arith.addf %acc, %v : vector<16xf32>
    %s1 = arith.addf %s0, %u : vector<16xf32>
    %s2 = arith.addf %s1, %i : vector<16xf32>
    scf.yield %s2 : vector<16xf32>
  } {qnn.prefetch_constant_reads}
  return %r1 : vector<16xf32>
}

// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     memref.prefetch
// CHECK-NOT:     qnn.prefetch_constant_reads
// CHECK:         return

// With min-bytes=16 the small constant's read is prefetched, the rest not.
// OPTS-LABEL: func.func @left_alone
// OPTS:         memref.prefetch %{{.*}}, read, locality<3>, data : memref<64x16xf32>
// OPTS-NOT:     memref.prefetch
// OPTS:         return
