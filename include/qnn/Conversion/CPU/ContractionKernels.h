//===- ContractionKernels.h - Packed-weight matmul kernels ------*- C++ -*-===//
//
// The pieces of qnn-cpu-contraction-kernels: the instruction-set targets,
// the register tiles chosen for them, the compile-time packing of constant
// weights, and the rewrite of a matmul with constant weights (plus its
// elementwise consumer) into one loop nest of vector code.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_CPU_CONTRACTIONKERNELS_H
#define QNN_CONVERSION_CPU_CONTRACTIONKERNELS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Operation.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <optional>

namespace qnn {

/// The unit attribute with which qnn-cpu-contraction-kernels marks the loops
/// that stream constant weights from memory (a matvec's reduction loop);
/// qnn-prefetch-constant-reads prefetches the reads of those loops.
inline constexpr llvm::StringLiteral kPrefetchConstantReadsAttrName =
    "qnn.prefetch_constant_reads";

/// The instruction set a kernel is written for.
enum class KernelTarget {
  /// Chosen from the host's features (`llvm::sys::getHostCPUFeatures`).
  Auto,
  /// 512-bit `vpdpbusd` (AVX-512 VNNI) for int8, 512-bit FMA for f32.
  Avx512Vnni,
  /// 256-bit `vpdpbusd` (AVX-VNNI, VEX encoded) for int8, 256-bit FMA.
  AvxVnni,
  /// 256-bit `vpmaddwd` on int16 pairs for int8 (exact: no `vpmaddubsw`
  /// saturation), 256-bit FMA for f32.
  Avx2,
  /// No kernel: contractions are left to qnn-cpu-vectorize.
  Generic,
};

/// The target `auto` stands for on a CPU with `features` (LLVM's names:
/// "avx512vnni", "avxvnni", "avx2", "fma", ...).
KernelTarget selectKernelTarget(const llvm::StringMap<bool> &features);

/// `target`, with `Auto` resolved against the host CPU.
KernelTarget resolveKernelTarget(KernelTarget target);

/// The option spelling of `target` ("avx512-vnni", ...).
llvm::StringRef stringifyKernelTarget(KernelTarget target);

/// The values of every `target=` option (the kernel pass, qnn-lower-to-llvm,
/// qnn-pipeline), spelled once.
inline llvm::cl::ValuesClass kernelTargetOptionValues() {
  return llvm::cl::values(
      clEnumValN(KernelTarget::Auto, "auto", "the host CPU's best"),
      clEnumValN(KernelTarget::Avx512Vnni, "avx512-vnni",
                 "AVX-512 VNNI (vpdpbusd zmm)"),
      clEnumValN(KernelTarget::AvxVnni, "avx-vnni", "AVX-VNNI (vpdpbusd ymm)"),
      clEnumValN(KernelTarget::Avx2, "avx2", "AVX2 + FMA (vpmaddwd)"),
      clEnumValN(KernelTarget::Generic, "generic",
                 "no kernels: leave matmuls to qnn-cpu-vectorize"));
}

/// The element kinds a kernel multiplies.
enum class KernelKind {
  /// u8 or i8 activations times i8 weights, summed in i32.
  Int8,
  /// f32 times f32, summed in f32 with fused multiply-adds.
  Float32,
};

/// How a target computes one kind of contraction: the vector it works on,
/// how many reduction values one lane takes per step, and the register tile.
struct KernelShape {
  /// Accumulator lanes per vector register (16 for 512-bit, 8 for 256-bit).
  int64_t lanes;
  /// Reduction (k) values folded into one lane per instruction: 4 for
  /// `vpdpbusd`, 2 for `vpmaddwd`, 1 for an FMA.
  int64_t kGroup;
  /// Rows of the register tile (matmul m).
  int64_t rows;
  /// Vector registers across the register tile (matmul n = vectors * lanes).
  int64_t vectors;
  /// Vector registers across for a single-row matmul (matvec): each is its
  /// own stream of packed weights.
  int64_t matvecVectors;
};

/// The kernel shape of `kind` on `target` (not `Auto`, not `Generic`), or
/// nothing when the target has no kernel for it.
std::optional<KernelShape> getKernelShape(KernelTarget target, KernelKind kind);

/// Packs the constant weights `weights` (K x N, or N x K when `transposed`)
/// into panels of `shape.lanes` columns, `[panels][ceil(K / kGroup)][lanes *
/// kGroup]`: lane `l` of panel `p` at group `g` holds W[g * kGroup + e, p *
/// lanes + l] at position `l * kGroup + e`. Missing rows and columns are
/// zeros. i8 weights stay i8 (the caller has checked their range); f32 stay
/// f32.
mlir::DenseElementsAttr packWeights(mlir::DenseElementsAttr weights,
                                    bool transposed, const KernelShape &shape);

/// Column sums of the constant weights (K x N, or N x K when `transposed`),
/// as integers: the correction for activations offset by 128.
llvm::SmallVector<int64_t> getWeightColumnSums(mlir::DenseElementsAttr weights,
                                               bool transposed);

/// Rewrites every matmul in `module` that has constant weights and a kernel
/// on `target` (resolved, not `Auto`) into a packed-weight loop nest, with
/// its elementwise consumer (the requantize of an int8 matmul, the bias and
/// activation of an f32 one) fused into the loop nest's epilogue. With
/// `threads` > 1 (positive, checked by the caller), the column blocks of a
/// matmul with enough work are the iterations of an `scf.forall`, to be
/// spread over that many threads. Returns the number of matmuls rewritten.
int64_t rewriteContractionsWithKernels(mlir::ModuleOp module,
                                       KernelTarget target,
                                       int64_t threads = 1);

/// Rewrites every 2-D convolution in `module` with a constant filter and a
/// kernel on `target` (resolved, not `Auto`; `conv_2d_nchw_fchw`,
/// `conv_2d_nhwc_fhwc`, `conv_2d_nhwc_hwcf`, static shapes) into the matmul
/// of its im2col matrix by the filter, which
/// `rewriteContractionsWithKernels` then takes; the convolution's
/// elementwise consumer moves with it. Returns the number of convolutions
/// rewritten.
int64_t rewriteConvolutionsAsMatmuls(mlir::ModuleOp module,
                                     KernelTarget target);

/// Moves the NHWC -> NCHW transposes that `rewriteConvolutionsAsMatmuls`
/// leaves after NCHW convolutions past elementwise ops, poolings and
/// paddings, where they cancel against the next convolution's NCHW -> NHWC
/// transpose: a CNN's activations stay channels-last between its
/// convolutions.
void sinkTransposes(mlir::ModuleOp module);

} // namespace qnn

#endif // QNN_CONVERSION_CPU_CONTRACTIONKERNELS_H
