//===- Bench.cpp - Latency of compiled models -----------------------------===//

#include "qnn/Runner/Bench.h"

#include "qnn/Runner/Batching.h"

#include "llvm/Support/FormatAdapters.h"
#include "llvm/Support/FormatVariadic.h"

#include <chrono>

using namespace mlir;

namespace qnn::runner {

namespace {
/// One model's inputs, already cut into batches.
struct Workload {
  CompiledModule *module;
  BatchPlan plan;
  std::vector<std::vector<Array>> batches;
  std::vector<double> seconds;
};
} // namespace

/// One run over every batch; returns the seconds spent in the compiled code.
static FailureOr<double> runOnce(Workload &work) {
  double total = 0.0;
  for (const std::vector<Array> &batch : work.batches) {
    FailureOr<PreparedCall> call = work.module->prepare(batch);
    if (failed(call))
      return failure();
    auto start = std::chrono::steady_clock::now();
    call->invoke();
    total +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    // The results are freed here, outside the timed region.
  }
  return total;
}

FailureOr<std::vector<BenchResult>>
benchmark(llvm::ArrayRef<CompiledModule *> modules,
          llvm::ArrayRef<NamedArray> inputs, const BenchOptions &options,
          ProgressFn progress) {
  std::vector<Workload> work;
  for (CompiledModule *module : modules) {
    FailureOr<BatchPlan> plan = module->plan(inputs);
    if (failed(plan))
      return failure();
    Workload workload{module, *plan, {}, {}};
    for (int64_t index = 0; index < plan->numBatches; ++index)
      workload.batches.push_back(inputsOfBatch(*plan, inputs, index));
    work.push_back(std::move(workload));
  }

  int64_t steps = (options.warmup + options.repetitions) *
                  static_cast<int64_t>(work.size());
  int64_t done = 0;
  for (int64_t rep = 0; rep < options.warmup + options.repetitions; ++rep) {
    for (Workload &workload : work) {
      FailureOr<double> seconds = runOnce(workload);
      if (failed(seconds))
        return failure();
      if (rep >= options.warmup)
        workload.seconds.push_back(*seconds);
      if (progress)
        progress(++done, steps);
    }
  }

  std::vector<BenchResult> results;
  for (const Workload &workload : work) {
    BenchResult result;
    result.latency = summarizeLatencies(workload.seconds);
    result.samples = workload.plan.samples;
    result.callsPerRun = workload.plan.numBatches;
    results.push_back(result);
  }
  return results;
}

} // namespace qnn::runner

namespace qnn::runner {

/// "26280 B (f32 26280)".
static std::string describeSize(const ConstantBytes &bytes) {
  std::string text = llvm::formatv("{0} B (", bytes.total()).str();
  bool first = true;
  for (const auto &[element, count] : bytes.bytesByElement) {
    text += llvm::formatv("{0}{1} {2}", first ? "" : ", ", element, count);
    first = false;
  }
  if (bytes.quantParamBytes)
    text += llvm::formatv("{0}qparams {1}", first ? "" : ", ",
                          bytes.quantParamBytes);
  return text + ")";
}

void printBenchReport(const BenchReport &report, llvm::raw_ostream &os) {
  if (report.models.empty())
    return;
  const BenchResult &first = report.models.front().result;
  os << llvm::formatv("@{0}: {1} samples, {2} call{3} per run; {4} warm-up "
                      "and {5} timed runs per model{6}\n",
                      report.entry, first.samples, first.callsPerRun,
                      first.callsPerRun == 1 ? "" : "s", report.options.warmup,
                      report.options.repetitions,
                      report.models.size() > 1 ? ", alternating" : "");
  size_t nameWidth = 8;
  for (const BenchReport::Model &model : report.models)
    nameWidth = std::max(nameWidth, model.name.size() + 2);
  os << llvm::formatv(
      "{0}{1,12}{2,12}{3,12}{4,10}   {5}\n",
      llvm::fmt_align("model", llvm::AlignStyle::Left, nameWidth),
      "median (us)", "p10 (us)", "p90 (us)", "ratio", "constants");
  double base = first.latency.median;
  double baseBytes = report.models.front().constants.total();
  for (const BenchReport::Model &model : report.models) {
    const LatencyStats &latency = model.result.latency;
    std::string size = describeSize(model.constants);
    if (&model != &report.models.front() && model.constants.total() > 0)
      size += llvm::formatv(", {0:F2}x smaller",
                            baseBytes / model.constants.total());
    os << llvm::formatv(
        "{0}{1,12:F1}{2,12:F1}{3,12:F1}{4,9:F2}x   {5}\n",
        llvm::fmt_align(model.name, llvm::AlignStyle::Left, nameWidth),
        latency.median * 1e6, latency.p10 * 1e6, latency.p90 * 1e6,
        base > 0 ? latency.median / base : 0.0, size);
  }
  os << "ratio: median against the first model. The machine may be shared "
        "and noisy: compare ratios from one run, not absolute times across "
        "runs.\n";
}

llvm::json::Value toJSON(const BenchReport &report) {
  llvm::json::Array models;
  for (const BenchReport::Model &model : report.models)
    models.push_back(
        llvm::json::Object{{"name", model.name},
                           {"latency", toJSON(model.result.latency)},
                           {"samples", model.result.samples},
                           {"calls_per_run", model.result.callsPerRun},
                           {"constants", toJSON(model.constants)},
                           {"lowering_s", model.loweringSeconds},
                           {"jit_s", model.jitSeconds}});
  return llvm::json::Object{{"entry", report.entry},
                            {"warmup", report.options.warmup},
                            {"repetitions", report.options.repetitions},
                            {"models", std::move(models)}};
}

} // namespace qnn::runner
