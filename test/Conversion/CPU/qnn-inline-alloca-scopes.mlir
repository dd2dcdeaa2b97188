// RUN: qnn-opt %s --qnn-inline-alloca-scopes | FileCheck %s

// The scope convert-scf-to-openmp puts around a parallel iteration: a loop
// and a call (an intrinsic of the kernels), no stack allocation. Inlined,
// with the value it returned.
func.func private @llvm.x86.avx512.vpdpbusd.512(vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>

// CHECK-LABEL: func.func @no_alloca
// CHECK-NOT:     memref.alloca_scope
// CHECK:         scf.for
// CHECK:           call @llvm.x86.avx512.vpdpbusd.512
// CHECK:         %[[SUM:.*]] = arith.addi
// CHECK:         return %[[SUM]]
func.func @no_alloca(%acc: vector<16xi32>, %a: vector<64xi8>, %w: vector<64xi8>, %n: index, %x: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = memref.alloca_scope -> (i32) {
    %v = scf.for %i = %c0 to %n step %c1 iter_args(%cur = %acc) -> (vector<16xi32>) {
      %next = func.call @llvm.x86.avx512.vpdpbusd.512(%cur, %a, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
      scf.yield %next : vector<16xi32>
    }
    %e = vector.extract %v[0] : i32 from vector<16xi32>
    %s = arith.addi %e, %x : i32
    memref.alloca_scope.return %s : i32
  }
  return %r : i32
}

// A scope that allocates on the stack frees that memory when it ends: kept.
// CHECK-LABEL: func.func @with_alloca
// CHECK:         memref.alloca_scope
// CHECK:           memref.alloca
func.func @with_alloca(%x: f32) {
  memref.alloca_scope {
    %buffer = memref.alloca() : memref<4xf32>
    %c0 = arith.constant 0 : index
    memref.store %x, %buffer[%c0] : memref<4xf32>
  }
  return
}
