//===- Passes.td - Conversions out of the qnn dialect ------*- tablegen -*-===//

#ifndef QNN_CONVERSION_PASSES_TD
#define QNN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// QNNToLinalg
//===----------------------------------------------------------------------===//

def ConvertQNNToLinalg : Pass<"convert-qnn-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower quantized types and ops to integer tensors and linalg";
  let description = [{
    Replaces every tensor of `!quant.uniform` elements (per-tensor, per-axis
    and sub-channel) by a tensor of its signless storage type (`i8`, `i4`,
    `i16`; `u8` is stored as `i8`) and lowers the ops that give those
    integers their meaning to `linalg.generic` on tensors. Function
    signatures, calls, returns, branches and `scf` ops are converted with
    the types; so are pure data-movement `tensor` ops (slices, reshapes,
    `tensor.empty`, `tensor.cast`, `tensor.concat`, ...).

    | op | lowered to |
    |---|---|
    | `qnn.constant` | `arith.constant` of the stored integers |
    | `quant.dcast` | `float(q - zero_point) * scale` in a `linalg.generic` |
    | `qnn.quantize` | `clamp(round(x / scale) + zero_point, qmin, qmax)`, rounding named by the op, NaN to the zero point |
    | `quant.qcast` | as `qnn.quantize` with `half_to_even` |
    | `quant.scast` | nothing: both sides have the storage type after conversion |
    | `qnn.matmul`, `qnn.batch_matmul` | a `linalg.generic` contraction on the stored integers (`extsi`/`extui` to i32) into an accumulator initialised with the bias and the zero-point corrections |
    | `qnn.conv2d` | `tensor.pad` with the input zero point, operands with unsigned storage or zero points centred to i16, then `linalg.conv_2d_nhwc_hwcf` / `conv_2d_nchw_fchw`, `depthwise_conv_2d_nhwc_hwc` / `nchw_chw`, or `conv_2d_nhwgc_gfhwc` / `ngchw_gfchw` (groups) |
    | `qnn.requantize`, `qnn.add`, `qnn.mul` | one elementwise `linalg.generic`: gemmlowp fixed point (compile-time multipliers and shifts per channel) or float, then the output zero point and clamp |
    | `qnn.max_pool2d` | `tensor.pad` with the storage minimum, `linalg.pooling_nhwc_max` (`_unsigned`) or `pooling_nchw_max` |
    | `qnn.avg_pool2d` | `linalg.pooling_nhwc_sum` / `nchw_sum` of the widened integers, then a division rounding half away from zero |
    | `qnn.pad` | `tensor.pad` with the zero point |
    | `linalg.transpose`, `linalg.broadcast`, `linalg.copy` | the same op on the storage tensors |

    The integer ops compute exactly in i32 (i64 where a product needs it)
    and agree bit for bit with their descriptions in the qnn dialect; the
    lowering of each is explained in docs/Lowering.md.

    The arithmetic is the numeric contract of the qnn dialect and agrees
    bit for bit with the math library (`quantizeValue`, `dequantizeValue`):

    - dequantize widens the stored integer to i32 (`extsi` for signed,
      `extui` for unsigned storage; i64 for storage wider than 16 bits),
      subtracts the zero point in that width (skipped when it is 0),
      converts with `sitofp` and multiplies by the scale;
    - quantize divides by the scale (`divf`, not a multiplication by the
      reciprocal, which rounds differently), rounds with `math.roundeven`
      (half to even) or `math.round` (half away from zero), adds the zero
      point as a float, clamps to the storage range and converts with
      `fptosi` / `fptoui`. A NaN input gives the zero point (`cmpf uno` +
      `select`); +-infinity saturates. Upstream's `--lower-quant-ops`, which
      truncates, is not used.

    Per-axis scales (and zero points when not all zero) become constant
    1-D tensors read through the axis loop. Sub-channel (per-group) types
    expand each grouped dimension into `[groups, group size]` with
    `tensor.expand_shape`, so that every indexing map stays a projected
    permutation (and the generic vectorizable), and collapse the result back.

    Parameters shared by every element become scalars in the body, even for
    per-axis types.

    The pass fails with an error naming the op for: any other op that still
    has quantized operand or result types (it has no integer semantics to
    lower to); quantized types that are not `!quant.uniform`
    (`!quant.any`, `!quant.calibrated`); quantize/dequantize of unranked
    tensors; sub-channel types whose grouped dimension is dynamic;
    convolutions with a dynamic dimension other than the batch; pooling
    with a dynamic height or width; average pooling that counts padding
    as zero points varying along an image dimension; `qnn.pad` of a
    sub-channel type whose zero points differ; and `qnn.requantize` on
    unsigned 32-bit storage.

    Example:

    ```mlir
    %q = qnn.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi8>
        -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:1, {0.5, 0.25}>>
    %w = quant.dcast %q : tensor<2x2x!quant.uniform<i8<-127:127>:f32:1,
                          {0.5, 0.25}>> to tensor<2x2xf32>
    ```

    becomes

    ```mlir
    %q = arith.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi8>
    %scales = arith.constant dense<[5.0e-01, 2.5e-01]> : tensor<2xf32>
    %init = tensor.empty() : tensor<2x2xf32>
    %w = linalg.generic {
        indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                         affine_map<(d0, d1) -> (d1)>,
                         affine_map<(d0, d1) -> (d0, d1)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%q, %scales : tensor<2x2xi8>, tensor<2xf32>)
        outs(%init : tensor<2x2xf32>) {
    ^bb0(%in: i8, %scale: f32, %out: f32):
      %wide = arith.extsi %in : i8 to i32
      %real = arith.sitofp %wide : i32 to f32
      %r = arith.mulf %real, %scale : f32
      linalg.yield %r : f32
    } -> tensor<2x2xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::tensor::TensorDialect",
  ];
}

//===----------------------------------------------------------------------===//
// CPU code generation
//===----------------------------------------------------------------------===//

def QNNCPUVectorize : Pass<"qnn-cpu-vectorize"> {
  let summary = "Tile linalg ops on tensors and vectorize the tiles for the CPU";
  let description = [{
    Tiles every statically shaped linalg op on tensors with
    `scf::tileUsingSCF` (`scf.for` loops) and vectorizes the tiles with
    `linalg::vectorize`. Tile sizes keep every shape static, so no masking
    is needed: each loop gets the largest divisor of its extent that does
    not exceed a target.

    | op | loops and tile targets |
    |---|---|
    | contraction (`linalg.matmul` with any indexing maps, `batch_matmul`, generic contractions) | batch 1, m <= `tile-m`, n <= `vector-size`, k <= `tile-k` |
    | `linalg.conv_2d_nhwc_hwcf`, `conv_2d_nchw_fchw` | n, oh, kh 1; ow <= `tile-m`; f <= `vector-size`; c <= `tile-k`; kw whole |
    | `linalg.depthwise_conv_2d_nhwc_hwc`, `linalg.pooling_nhwc_*` | n, oh, kh 1; ow <= `tile-m`; c <= `vector-size`; kw whole |
    | `linalg.pooling_nchw_sum`, `linalg.pooling_nchw_max` | n, oh, kh 1; c <= `vector-size`; ow <= `tile-m`; kw whole |
    | anything else (elementwise, fills, reductions, dequantize) | innermost parallel loop <= `vector-size`, other parallel loops 1, reductions <= `tile-k` |

    Contractions are vectorized straight to `vector.contract`
    (`i8 x i8 -> i32` as a mixed-type contraction). Convolution tiles have
    unit output height and kernel height, and
    `linalg::populateDecomposeConvolutionPatterns` turns them into 1-D
    convolutions, which the vectorizer supports.
    `linalg.depthwise_conv_2d_nhwc_hwcm` with a channel multiplier of 1 (what
    `tosa-to-linalg-named` produces) is first rewritten to the `hwc` form;
    `linalg.depthwise_conv_2d_nchw_chw` becomes the `nhwc_hwc` form and
    `linalg.conv_2d_nhwc_fhwc` the `nhwc_hwcf` form, with `linalg.transpose`
    ops around them; grouped convolutions (`conv_2d_nhwgc_gfhwc`,
    `conv_2d_ngchw_gfchw`) are tiled one group at a time and each group
    becomes a plain convolution.
    Convolutions become one `vector.contract` (`vector.fma` for depthwise)
    per kernel column. A `tensor.pad` with static shapes and a padding value
    that does not depend on the position becomes a `linalg.fill` of the
    padded tensor and a `linalg.copy` of the source into a slice of it,
    inserted back in place: both are tiled and vectorized, and the copy
    bufferizes in place instead of becoming a `memref.copy` into a strided
    view (a call of the runtime's element-by-element `memrefCopy`).

    Ops that cannot be vectorized (dynamic shapes, non-projected indexing
    maps, iteration spaces tiling could not bring below 16384 points,
    sub-byte element types such as `i4`, whose in-memory layout differs
    between scalar and vector accesses) are left as they are and become
    loops later. The vector cleanup patterns the vectorizer relies on
    (transfer permutation lowering, folding tensor slices into transfers,
    reduction-to-contract, dropping unit dimensions) run at the end.

    Example: a 4x32 by 32x48 f32 `linalg.matmul` becomes an `scf.for` nest over n
    (3 tiles of 16) and k (2 tiles of 16) whose body is

    ```mlir
    %a = vector.transfer_read %lhs[%c0, %k], %pad : tensor<4x32xf32>, vector<4x16xf32>
    %b = vector.transfer_read %rhs[%k, %n], %pad : tensor<32x48xf32>, vector<16x16xf32>
    %c = vector.transfer_read %acc[%c0, %n], %pad : tensor<4x48xf32>, vector<4x16xf32>
    %d = vector.contract {...} %a, %b, %c : vector<4x16xf32>, vector<16x16xf32> into vector<4x16xf32>
    %r = vector.transfer_write %d, %acc[%c0, %n] : vector<4x16xf32>, tensor<4x48xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"vectorSize", "vector-size", "int64_t", /*default=*/"16",
           "Largest tile of the innermost parallel loop (and of matmul n, "
           "convolution f)">,
    Option<"tileM", "tile-m", "int64_t", /*default=*/"4",
           "Largest tile of matmul m and of convolution output width">,
    Option<"tileK", "tile-k", "int64_t", /*default=*/"16",
           "Largest tile of reduction loops (matmul k, convolution input "
           "channels)">,
  ];
}

def QNNCPUContractionKernels
    : Pass<"qnn-cpu-contraction-kernels", "mlir::ModuleOp"> {
  let summary = "Matmuls with constant weights as packed-weight vector kernels";
  let description = [{
    Rewrites every statically shaped matmul on tensors whose weights are a
    constant (`linalg.matmul`, or the contraction `linalg.generic` that
    `convert-qnn-to-linalg` emits for `qnn.matmul`: u8 or i8 activations
    times i8 weights, widened to i32) into one loop nest of vector code:

    - the weights are packed at compile time into panels of one vector of
      output columns, each lane holding the `kGroup` reduction values the
      multiply-add instruction takes (`[N / lanes][K / kGroup][lanes *
      kGroup]`, zero-padded);
    - a register tile of `rows x vectors` accumulators runs over k with one
      multiply-add per accumulator and step: `vpdpbusd` (u8 x s8 summed in
      i32, no saturation; i8 activations are offset by 128 and corrected by
      a compile-time constant) on AVX-512 VNNI and AVX-VNNI, `vpmaddwd` on
      int16 pairs on AVX2 (exact), `vector.fma` for f32; the x86
      instructions are calls of private declarations named after the LLVM
      intrinsics (`llvm.x86.avx512.vpdpbusd.512`, ...), which LLVM takes
      for the intrinsics themselves;
    - the accumulators start from the bias (or the matmul's initial value);
    - an elementwise consumer (the fixed-point requantize of an int8
      matmul, the bias and activation of an f32 one) is applied to the
      accumulator vectors in the same loop nest, so the int32 accumulators
      never go to memory;
    - a matvec (M = 1) reads 8 panels of weights at once (8 streams).

    | `target` | int8 | f32 | register tile (rows x vectors x lanes) |
    |---|---|---|---|
    | `auto` | chosen from the host CPU's features | | |
    | `avx512-vnni` | `vpdpbusd` zmm | FMA zmm | 6 x 4 x 16 |
    | `avx-vnni` | `vpdpbusd` ymm (VEX) | FMA ymm | 4 x 3 x 8 |
    | `avx2` | `vpmaddwd` ymm | FMA ymm | 4 x 2 x 8 |
    | `generic` | nothing rewritten | | |

    2-D convolutions with a constant filter (`linalg.conv_2d_nchw_fchw`,
    `conv_2d_nhwc_fhwc`, `conv_2d_nhwc_hwcf`; f32, or u8/i8 activations
    times an i8 filter into i32) become the matmul of their im2col matrix
    first: rows `n * oh * ow` by columns `kh * kw * c`, copied with vector
    transfers from the NHWC activations (an NCHW input is transposed once),
    one run of `kw * c` values per window row; an 8-bit input that the
    convolution reads widened is read unwidened, and a zero point
    subtracted in the widening goes into the initial value as `-zp *
    sum(filter[f])`. The filter is the constant weights (an FCHW filter
    permuted at compile time), the convolution's elementwise consumer (with
    per-channel or scalar operands) moves into rows x channels space to be
    fused. The transpose of an NCHW result back to NCHW then moves past
    elementwise ops, max and sum poolings (which take their NHWC form) and
    constant paddings until it cancels against the next convolution's
    transpose to NHWC: between its convolutions a CNN stays channels-last.

    With `threads=N` (N > 1), the outer loop over blocks of panels becomes
    an `scf.forall` whose iterations write disjoint column slices of the
    result (`tensor.parallel_insert_slice`); `qnn-lower-to-llvm{threads=N}`
    turns it into an OpenMP work-sharing loop on N threads (LLVM's OpenMP
    runtime, `libomp.so`, must be loaded to run the code). Only the column
    blocks are split: each thread reads its own packed weights, and a
    matvec has no other loop to split. A matmul with fewer column blocks
    than threads, or with less than 2^20 multiply-adds per thread (where
    starting and joining the threads costs more than it saves), stays on
    one thread. Columns that do not fill a whole block are computed after
    the parallel loop.

    ```mlir
    %r = scf.forall (%block) in (64) shared_outs(%out = %empty) -> (tensor<1x4096xi8>) {
      %slice = tensor.extract_slice %out[0, %col] [1, 64] [1, 1]
      ... the single-thread loop nest on %slice ...
      scf.forall.in_parallel {
        tensor.parallel_insert_slice %block_result into %out[0, %col] [1, 64] [1, 1]
      }
    }
    ```

    Everything else (non-constant weights, batch matmuls, depthwise and
    grouped convolutions, 16-bit operands, dynamic shapes) is left to
    `qnn-cpu-vectorize`. The code uses the instructions of the target it
    names: compiled for a CPU without them it does not run.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"target", "target", "qnn::KernelTarget",
           /*default=*/"qnn::KernelTarget::Auto",
           "Instruction set of the kernels", "qnn::kernelTargetOptionValues()">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Threads the column blocks of a large matmul are split across "
           "(positive; 1: no threads)">,
  ];
}

def QNNInlineAllocaScopes
    : Pass<"qnn-inline-alloca-scopes", "mlir::ModuleOp"> {
  let summary = "Inline the memref.alloca_scope ops that allocate nothing";
  let description = [{
    `convert-scf-to-openmp` wraps the body of every parallel iteration in a
    `memref.alloca_scope`, whose region must stay a single block; lowering
    the loops inside it to control flow (`convert-scf-to-cf`) would split
    it and the IR would no longer verify. The canonicalizer inlines only a
    scope whose body provably allocates nothing on the stack, and it counts
    every call as a possible allocation, so the kernels of
    `qnn-cpu-contraction-kernels{threads=N}` (intrinsics called as
    functions) keep their scopes. A scope without a `memref.alloca`
    anywhere in its body has nothing to free when it ends: this pass
    inlines it. `qnn-lower-to-llvm{threads=N}` runs it right after
    `convert-scf-to-openmp`. Scopes that contain a `memref.alloca` are left
    alone.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def QNNPrefetchConstantReads
    : Pass<"qnn-prefetch-constant-reads", "mlir::ModuleOp"> {
  let summary = "Prefetch the loop reads of large constant buffers ahead";
  let description = [{
    A matvec kernel streams its packed weights from memory, several panels
    side by side, and the hardware prefetchers restart at every 4 KiB
    boundary of each stream. `qnn-cpu-contraction-kernels` marks such a
    loop (a matvec's reduction) with the unit attribute
    `qnn.prefetch_constant_reads`; this pass gives each stream of a marked
    loop a software prefetch: for every `vector.transfer_read` or
    `vector.load` directly in the body of a marked `scf.for` whose buffer
    is a constant `memref.global` of
    at least `min-bytes` bytes and one of whose indices is the loop's
    induction variable, it inserts a `memref.prefetch` (read, locality 3,
    data) of the same indices with that one moved `distance` iterations
    ahead, clamped to the last index of that dimension so the address stays
    inside the buffer. Unmarked loops (where a kernel reuses each weight
    for several rows and reads it from cache), reads of small constants
    and of non-constant buffers are left alone; the marks are removed.
    `qnn-lower-to-llvm` runs it after bufferization.

    ```mlir
    scf.for %g = %c0 to %c1024 step %c1 ... {
      %w = vector.transfer_read %packed[%p, %g, %c0], %pad {in_bounds = [true]}
          : memref<256x1024x64xi8>, vector<64xi8>
      ...
    } {qnn.prefetch_constant_reads}
    ```
    gains, before the read,
    ```mlir
      %ahead = arith.addi %g, %c8 : index
      %clamped = arith.minsi %ahead, %c1023 : index
      memref.prefetch %packed[%p, %clamped, %c0], read, locality<3>, data
          : memref<256x1024x64xi8>
    ```
  }];
  let options = [
    Option<"distance", "distance", "int64_t", /*default=*/"8",
           "Iterations ahead of the read that the prefetch reaches "
           "(positive)">,
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"1048576",
           "Smallest constant buffer whose reads are prefetched">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect"];
}

#endif // QNN_CONVERSION_PASSES_TD
