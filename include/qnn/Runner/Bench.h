//===- Bench.h - Latency of compiled models ---------------------*- C++ -*-===//
//
// `qnn-run --bench`: warm-up runs, then timed runs of one or more compiled
// models on the same inputs. With several models the runs alternate (A, B,
// A, B, ...), so that a shared machine's slow phases hit them alike and
// their ratio means something; only the calls of the compiled function are
// timed, not the copies of inputs and results around them.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_BENCH_H
#define QNN_RUNNER_BENCH_H

#include "qnn/Runner/Array.h"
#include "qnn/Runner/CompiledModule.h"
#include "qnn/Runner/Latency.h"
#include "qnn/Runner/ModelSize.h"

#include "mlir/Support/LLVM.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace qnn::runner {

struct BenchOptions {
  /// Untimed runs before the timed ones (code and data into the caches).
  int64_t warmup = 10;
  /// Timed runs per model.
  int64_t repetitions = 50;
};

struct BenchResult {
  /// Seconds per run: one run calls the entry function on every batch of
  /// the inputs.
  LatencyStats latency;
  int64_t samples = 0;
  int64_t callsPerRun = 0;
};

/// What `qnn-run --bench` prints: every model's latency and size.
struct BenchReport {
  std::string entry;
  BenchOptions options;
  struct Model {
    std::string name;
    BenchResult result;
    ConstantBytes constants;
    double loweringSeconds = 0.0;
    double jitSeconds = 0.0;
  };
  std::vector<Model> models;
};

/// The report as a table; ratios are against the first model.
void printBenchReport(const BenchReport &report, llvm::raw_ostream &os);

llvm::json::Value toJSON(const BenchReport &report);

/// Times each of `modules` (same signature expected) on `inputs`.
mlir::FailureOr<std::vector<BenchResult>>
benchmark(llvm::ArrayRef<CompiledModule *> modules,
          llvm::ArrayRef<NamedArray> inputs, const BenchOptions &options,
          ProgressFn progress = nullptr);

} // namespace qnn::runner

#endif // QNN_RUNNER_BENCH_H
