//===- KernelBench.h - Layers and contenders of qnn-kernel-bench -*- C++
//-*-===//
//
// One benchmarked layer (its data and integer/double references, shared by
// every contender) and the contenders that compute it: qnn-mlir's compiled
// int8 and f32 code, and the peer libraries.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_BENCH_KERNELBENCH_H
#define QNN_BENCH_KERNELBENCH_H

#include "PeerMemory.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace qnn::runner {
class Session;
struct CompileOptions;
} // namespace qnn::runner

namespace qnn::bench {

/// A matmul `(M x K) * (K x N)`, the weights constant.
struct Shape {
  std::string name;
  int64_t m, k, n;
  /// Weights evicted from the caches before every timed run.
  bool cold = false;
};

/// One layer's data and references.
///
/// int8: u8 activations (zero point 0) times i8 weights in [-127, 127]
/// with one scale per output channel, plus an int32 bias, requantized into
/// u8 (zero point 128) with gemmlowp's fixed-point arithmetic. f32: the
/// same layer on the dequantized values.
struct Layer {
  Shape shape;
  std::vector<uint8_t> a;      // M x K
  PeerVector<int8_t> w;        // K x N
  std::vector<int32_t> bias;   // N
  std::vector<double> wScales; // N
  double aScale = 0.02, outScale = 1.0;
  int outZeroPoint = 128;
  std::vector<float> af, biasf;
  PeerVector<float> wf;
  /// M x N int32 accumulators, bias included (exact).
  std::vector<int32_t> acc;
  /// M x N requantized outputs (exact).
  std::vector<uint8_t> out;
  /// M x N f32 layer in double, bias included.
  std::vector<double> outf;
};

/// Builds the layer of `shape` from `rng` with its references.
Layer makeLayer(const Shape &shape, std::mt19937 &rng);

/// "bit-exact", "within <tolerance>" or how many of `got` differ from
/// `expected` by more than `tolerance`.
std::string countMismatches(llvm::ArrayRef<int64_t> got,
                            llvm::ArrayRef<int64_t> expected,
                            int64_t tolerance);

/// "close" when the f32 results `got` (bias included when `withBias`) are
/// within the rounding error of a K-term f32 dot product of `layer`'s
/// reference, otherwise how far off they are.
std::string checkFloat(llvm::ArrayRef<float> got, const Layer &layer,
                       bool withBias);

/// A contender computing one layer.
struct Contender {
  std::string name;
  /// Int8 (compared with the int8 libraries) or f32.
  bool isInt8 = true;
  /// Untimed work before each call (copying inputs in); may be empty.
  std::function<void()> prepare;
  /// The timed call.
  std::function<void()> run;
  /// Untimed work after each call (taking results out); may be empty.
  std::function<void()> finish;
  /// Validates the last call's results: "bit-exact", "close", "within 1"
  /// or what is wrong.
  std::function<std::string()> check;
  /// Why the contender cannot run (a library not built in); empty when it
  /// can.
  std::string unavailable;
  std::vector<double> seconds;
};

/// Whether `verdict` (from a Contender's `check`) says the results are
/// right.
bool isCorrect(const std::string &verdict);

/// Sets the peer libraries' thread counts, initializes them; false (with a
/// message on stderr) when one fails.
bool initializePeers(int threads);

/// Appends the peer libraries' contenders for `layer` (which must outlive
/// them): oneDNN u8s8s32 and XNNPACK qs8 (int8), OpenBLAS sgemm/sgemv and
/// oneDNN sgemm (f32). Those not built in are marked unavailable.
void addPeerContenders(const Layer &layer, int threads,
                       std::vector<Contender> &contenders);

/// Readers of 16 MiB of cold weights in qnn's matvec order, in 4 KiB and
/// in 2 MiB pages (MemoryCeiling.cpp), and the bytes each call reads.
std::vector<Contender> memoryCeilingContenders();
size_t memoryCeilingBytes();

/// qnn-mlir's int8 layer (qnn.matmul + qnn.requantize on constant
/// weights, as qnn-fuse leaves a dense layer) and f32 layer (linalg.matmul
/// + bias), compiled with `options` (the entry is "main") by the runner
/// library's JIT in `session`. A contender whose `unavailable` says why when
/// compiling fails.
Contender compileQnnInt8(runner::Session &session, const Layer &layer,
                         const runner::CompileOptions &options);
Contender compileQnnF32(runner::Session &session, const Layer &layer,
                        const runner::CompileOptions &options);

} // namespace qnn::bench

#endif // QNN_BENCH_KERNELBENCH_H
