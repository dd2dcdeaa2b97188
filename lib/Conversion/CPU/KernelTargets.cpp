//===- KernelTargets.cpp - Instruction-set targets of the kernels ---------===//
//
// Which multiply-add instruction a kernel uses, chosen from the host's
// features unless a target is named, and the register tile of each target.
// The tiles keep the accumulators, the weight vectors of one step and a
// broadcast activation in the vector register file: 32 registers with
// AVX-512, 16 with AVX/AVX2.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "llvm/TargetParser/Host.h"

using namespace qnn;

KernelTarget qnn::selectKernelTarget(const llvm::StringMap<bool> &features) {
  auto has = [&](llvm::StringRef name) { return features.lookup(name); };
  // The 512-bit kernels also use AVX-512BW byte vectors and FMA.
  if (has("avx512vnni") && has("avx512bw") && has("avx512f") && has("fma"))
    return KernelTarget::Avx512Vnni;
  if (has("avxvnni") && has("avx2") && has("fma"))
    return KernelTarget::AvxVnni;
  if (has("avx2") && has("fma"))
    return KernelTarget::Avx2;
  return KernelTarget::Generic;
}

KernelTarget qnn::resolveKernelTarget(KernelTarget target) {
  if (target != KernelTarget::Auto)
    return target;
  return selectKernelTarget(llvm::sys::getHostCPUFeatures());
}

llvm::StringRef qnn::stringifyKernelTarget(KernelTarget target) {
  switch (target) {
  case KernelTarget::Auto:
    return "auto";
  case KernelTarget::Avx512Vnni:
    return "avx512-vnni";
  case KernelTarget::AvxVnni:
    return "avx-vnni";
  case KernelTarget::Avx2:
    return "avx2";
  case KernelTarget::Generic:
    return "generic";
  }
  llvm_unreachable("unknown kernel target");
}

std::optional<KernelShape> qnn::getKernelShape(KernelTarget target,
                                               KernelKind kind) {
  bool isInt8 = kind == KernelKind::Int8;
  switch (target) {
  case KernelTarget::Avx512Vnni:
    // 6 x 4 accumulators (6 rows, 64 columns), 4 weight vectors and a
    // broadcast: 29 of 32 registers. A matvec streams 8 panels at once.
    return KernelShape{/*lanes=*/16, /*kGroup=*/isInt8 ? 4 : 1, /*rows=*/6,
                       /*vectors=*/4, /*matvecVectors=*/8};
  case KernelTarget::AvxVnni:
    return KernelShape{/*lanes=*/8, /*kGroup=*/isInt8 ? 4 : 1, /*rows=*/4,
                       /*vectors=*/3, /*matvecVectors=*/8};
  case KernelTarget::Avx2:
    // vpmaddwd needs the weights widened to int16 in a register: one more
    // temporary than VNNI.
    return KernelShape{/*lanes=*/8, /*kGroup=*/isInt8 ? 2 : 1, /*rows=*/4,
                       /*vectors=*/2, /*matvecVectors=*/8};
  case KernelTarget::Auto:
  case KernelTarget::Generic:
    return std::nullopt;
  }
  llvm_unreachable("unknown kernel target");
}
