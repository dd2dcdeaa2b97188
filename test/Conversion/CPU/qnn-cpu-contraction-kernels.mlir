// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels=target=avx512-vnni | FileCheck %s --check-prefix=VNNI512
// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels=target=avx-vnni | FileCheck %s --check-prefix=VNNI256
// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels=target=avx2 | FileCheck %s --check-prefix=AVX2
// RUN: qnn-opt %s --split-input-file --qnn-cpu-contraction-kernels=target=generic | FileCheck %s --check-prefix=GENERIC

// The contraction convert-qnn-to-linalg emits for qnn.matmul (u8 x i8 ->
// i32, bias broadcast as the initial value) and its requantize consumer,
// simplified to a shift and a clamp: one loop nest, weights packed at
// compile time, the consumer applied to the accumulator vectors.

#row = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
#a = affine_map<(m, n, k) -> (m, k)>
#w = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @u8_requantize(%a: tensor<8x64xi8>, %bias: tensor<32xi32>) -> tensor<8x32xi8> {
  %w = arith.constant dense<3> : tensor<64x32xi8>
  %shift = arith.constant dense<7> : tensor<32xi32>
  %lo = arith.constant 0 : i32
  %hi = arith.constant 255 : i32
  %e = tensor.empty() : tensor<8x32xi32>
  %init = linalg.generic {indexing_maps = [#col, #row], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<32xi32>) outs(%e : tensor<8x32xi32>) {
  ^bb0(%b: i32, %out: i32):
    linalg.yield %b : i32
  } -> tensor<8x32xi32>
  %acc = linalg.generic {indexing_maps = [#a, #w, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<8x64xi8>, tensor<64x32xi8>) outs(%init : tensor<8x32xi32>) {
  ^bb0(%x: i8, %y: i8, %out: i32):
    %xw = arith.extui %x : i8 to i32
    %yw = arith.extsi %y : i8 to i32
    %p = arith.muli %xw, %yw : i32
    %s = arith.addi %out, %p : i32
    linalg.yield %s : i32
  } -> tensor<8x32xi32>
  %e8 = tensor.empty() : tensor<8x32xi8>
  %q = linalg.generic {indexing_maps = [#row, #col, #row], iterator_types = ["parallel", "parallel"]}
      ins(%acc, %shift : tensor<8x32xi32>, tensor<32xi32>) outs(%e8 : tensor<8x32xi8>) {
  ^bb0(%v: i32, %sh: i32, %out: i8):
    %r = arith.shrsi %v, %sh : i32
    %c1 = arith.maxsi %r, %lo : i32
    %c2 = arith.minsi %c1, %hi : i32
    %t = arith.trunci %c2 : i32 to i8
    linalg.yield %t : i8
  } -> tensor<8x32xi8>
  return %q : tensor<8x32xi8>
}

// The intrinsics are private declarations, called like functions.
// VNNI512:       func.func private @llvm.x86.avx512.vpdpbusd.512(vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VNNI512-LABEL: func.func @u8_requantize
// VNNI512-DAG:     %[[PACKED:.*]] = arith.constant dense<{{.*}}> : tensor<2x16x64xi8>
// VNNI512-DAG:     %[[SHIFT:.*]] = arith.constant dense<7> : tensor<32xi32>
// VNNI512:         scf.for
// VNNI512:           vector.transfer_read %{{.*}} : tensor<32xi32>, vector<16xi32>
// VNNI512:           scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>
// VNNI512:             vector.transfer_read %[[PACKED]]{{.*}} : tensor<2x16x64xi8>, vector<64xi8>
// VNNI512:             vector.transfer_read %{{.*}} : tensor<8x64xi8>, vector<4xi8>
// VNNI512:             vector.broadcast %{{.*}} : i32 to vector<16xi32>
// VNNI512:             call @llvm.x86.avx512.vpdpbusd.512
// VNNI512:           vector.transfer_read %[[SHIFT]]{{.*}} : tensor<32xi32>, vector<16xi32>
// VNNI512:           arith.shrsi %{{.*}} : vector<16xi32>
// VNNI512:           arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// VNNI512:           vector.transfer_write %{{.*}} : vector<16xi8>, tensor<8x32xi8>
// VNNI512-NOT:   linalg.generic
// Eight rows reuse each weight vector: their loop is not marked for
// qnn-prefetch-constant-reads.
// VNNI512-NOT:   qnn.prefetch_constant_reads

// VNNI256:       func.func private @llvm.x86.avx512.vpdpbusd.256(vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
// VNNI256-LABEL: func.func @u8_requantize
// VNNI256:         arith.constant dense<{{.*}}> : tensor<4x16x32xi8>
// VNNI256:         call @llvm.x86.avx512.vpdpbusd.256
// VNNI256-NOT:   linalg.generic

// AVX2:       func.func private @llvm.x86.avx2.pmadd.wd(vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2-LABEL: func.func @u8_requantize
// AVX2:         arith.constant dense<{{.*}}> : tensor<4x32x16xi8>
// AVX2:         arith.extui %{{.*}} : vector<2xi8> to vector<2xi16>
// AVX2:         arith.extsi %{{.*}} : vector<16xi8> to vector<16xi16>
// AVX2:         call @llvm.x86.avx2.pmadd.wd
// AVX2-NOT:   linalg.generic

// GENERIC-LABEL: func.func @u8_requantize
// GENERIC-COUNT-3: linalg.generic
// GENERIC-NOT:     call @llvm.x86

// -----

// i8 activations: vpdpbusd takes unsigned bytes, so the kernel flips their
// sign bits (+128) and starts from -128 * the column sums; vpmaddwd takes
// them sign-extended.

#a = affine_map<(m, n, k) -> (m, k)>
#w = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @i8_activations(%a: tensor<1x8xi8>) -> tensor<1x16xi32> {
  %w = arith.constant dense<-2> : tensor<8x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x16xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<1x16xi32>) -> tensor<1x16xi32>
  %acc = linalg.generic {indexing_maps = [#a, #w, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<1x8xi8>, tensor<8x16xi8>) outs(%init : tensor<1x16xi32>) {
  ^bb0(%x: i8, %y: i8, %out: i32):
    %xw = arith.extsi %x : i8 to i32
    %yw = arith.extsi %y : i8 to i32
    %p = arith.muli %xw, %yw : i32
    %s = arith.addi %out, %p : i32
    linalg.yield %s : i32
  } -> tensor<1x16xi32>
  return %acc : tensor<1x16xi32>
}

// VNNI512-LABEL: func.func @i8_activations
// VNNI512-DAG:     arith.constant dense<2048> : tensor<16xi32>
// VNNI512-DAG:     arith.constant -2139062144 : i32
// VNNI512:         arith.xori
// VNNI512:         call @llvm.x86.avx512.vpdpbusd.512
// A matvec streams its weights: the reduction loop is marked.
// VNNI512:         } {qnn.prefetch_constant_reads}
// VNNI512:         vector.transfer_write %{{.*}} : vector<16xi32>, tensor<1x16xi32>

// AVX2-LABEL: func.func @i8_activations
// AVX2:         arith.extsi %{{.*}} : vector<2xi8> to vector<2xi16>
// AVX2:         call @llvm.x86.avx2.pmadd.wd

// -----

// f32 with constant weights: FMAs over packed panels, the bias and ReLU
// fused.

#row = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
func.func @f32_bias_relu(%a: tensor<4x16xf32>, %bias: tensor<24xf32>) -> tensor<4x24xf32> {
  %w = arith.constant dense<0.5> : tensor<16x24xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x24xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x24xf32>) -> tensor<4x24xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<4x16xf32>, tensor<16x24xf32>) outs(%init : tensor<4x24xf32>) -> tensor<4x24xf32>
  %y = linalg.generic {indexing_maps = [#row, #col, #row], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<4x24xf32>, tensor<24xf32>) outs(%e : tensor<4x24xf32>) {
  ^bb0(%v: f32, %b: f32, %out: f32):
    %s = arith.addf %v, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x24xf32>
  return %y : tensor<4x24xf32>
}

// VNNI512-LABEL: func.func @f32_bias_relu
// VNNI512:         arith.constant dense<{{.*}}> : tensor<2x16x16xf32>
// VNNI512:         vector.fma %{{.*}} : vector<16xf32>
// VNNI512:         arith.maximumf %{{.*}} : vector<16xf32>
// The last 8 columns: a shorter vector written in bounds, not a masked write.
// VNNI512:         vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [8], strides = [1]} : vector<16xf32> to vector<8xf32>
// VNNI512:         vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<8xf32>, tensor<4x24xf32>
// VNNI512-NOT:   linalg.matmul

// AVX2-LABEL: func.func @f32_bias_relu
// AVX2:         arith.constant dense<{{.*}}> : tensor<3x16x8xf32>
// AVX2:         vector.fma %{{.*}} : vector<8xf32>

// -----

// Weights that are not constants stay for qnn-cpu-vectorize.

func.func @runtime_weights(%a: tensor<4x16xf32>, %w: tensor<16x24xf32>, %init: tensor<4x24xf32>) -> tensor<4x24xf32> {
  %mm = linalg.matmul ins(%a, %w : tensor<4x16xf32>, tensor<16x24xf32>) outs(%init : tensor<4x24xf32>) -> tensor<4x24xf32>
  return %mm : tensor<4x24xf32>
}

// VNNI512-LABEL: func.func @runtime_weights
// VNNI512:         linalg.matmul
// VNNI512-NOT:     vector.fma
