//===- qnn-run.cpp - JIT-run, evaluate and benchmark models ---------------===//
//
// qnn-run model.mlir --entry=mlp --inputs=data.npz:images -o out.npz
// qnn-run model.mlir --bench --inputs=... [--compare=int8.mlir]
// qnn-run model.mlir --eval --compare=int8.mlir --inputs=... --labels=...
// qnn-run model.mlir --calibrate --inputs=calibration.npz -o stats.json
// qnn-run --merge-stats a.json b.json -o all.json
//
// A thin main over lib/Runner (docs/Runner.md): it parses options, loads
// arrays and models, and prints what the library computes.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/Bench.h"
#include "qnn/Runner/Calibrator.h"
#include "qnn/Runner/Compare.h"
#include "qnn/Runner/Inputs.h"
#include "qnn/Runner/LayerCompare.h"
#include "qnn/Runner/ModelSize.h"
#include "qnn/Runner/Npy.h"
#include "qnn/Runner/Progress.h"
#include "qnn/Runner/Session.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace qnn::runner;
namespace cl = llvm::cl;

static cl::OptionCategory category("qnn-run options");

static cl::list<std::string>
    positionals(cl::Positional, cl::OneOrMore,
                cl::desc("<model.mlir> (--merge-stats: <stats.json>...)"),
                cl::cat(category));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Function to call (default: the module's only "
                       "function with a body)"),
              cl::value_desc("name"), cl::cat(category));
static cl::list<std::string> inputSpecs(
    "inputs",
    cl::desc("Input arrays, in argument order: file.npy, file.npz (every "
             "member), file.npz:member[,member...]; repeatable, or "
             "comma-separated"),
    cl::value_desc("spec"), cl::cat(category));
static cl::opt<std::string>
    outputPath("o",
               cl::desc("Write the outputs to this .npz (or .npy when there "
                        "is one output; without it, print a summary); "
                        "--calibrate, --merge-stats: the statistics file"),
               cl::value_desc("file"), cl::cat(category));
static cl::list<std::string>
    outputNames("output-names",
                cl::desc("Names of the outputs in the .npz (default: "
                         "output0, output1, ...)"),
                cl::CommaSeparated, cl::value_desc("name,..."),
                cl::cat(category));
static cl::opt<bool> compress("compress",
                              cl::desc("Deflate the .npz members (as "
                                       "np.savez_compressed)"),
                              cl::cat(category));

static cl::opt<bool>
    benchMode("bench",
              cl::desc("Measure the latency of the entry function on the "
                       "inputs (and of --compare's, alternating)"),
              cl::cat(category));
static cl::opt<bool>
    evalMode("eval",
             cl::desc("Run the model and --compare's on the inputs and "
                      "compare their outputs (error, SQNR, top-1)"),
             cl::cat(category));
static cl::opt<bool> calibrateMode(
    "calibrate",
    cl::desc("Run the model instrumented by qnn-insert-observers over the "
             "inputs and write the statistics file qnn-quantize reads (-o)"),
    cl::cat(category));
static cl::opt<bool> mergeStatsMode(
    "merge-stats",
    cl::desc("Merge the statistics files given as positional arguments "
             "(calibration runs over separate data) into one (-o)"),
    cl::cat(category));
static cl::list<std::string>
    observeOps("ops",
               cl::desc("--calibrate: observe the activations of these ops "
                        "only (qnn-quantize's ops option)"),
               cl::CommaSeparated, cl::value_desc("name,..."),
               cl::cat(category));
static cl::list<std::string>
    observeExclude("exclude",
                   cl::desc("--calibrate: do not observe the activations of "
                            "these ops (qnn-quantize's exclude option)"),
                   cl::CommaSeparated, cl::value_desc("name,..."),
                   cl::cat(category));
static cl::opt<int64_t> histogramBins(
    "histogram-bins",
    cl::desc("--calibrate: bins of each value's histogram (0: none; the "
             "percentile, mse and entropy methods need one)"),
    cl::init(2048), cl::cat(category));
static cl::opt<std::string> comparePath(
    "compare",
    cl::desc("A second model with the same entry function (an int8 version, "
             "say): benchmarked beside the first, or evaluated against it"),
    cl::value_desc("other.mlir"), cl::cat(category));
static cl::opt<std::string>
    labelsSpec("labels",
               cl::desc("--eval: integer labels, one per sample, for top-1 "
                        "accuracy (file.npy or file.npz:member)"),
               cl::value_desc("spec"), cl::cat(category));
static cl::opt<bool>
    perLayer("per-layer",
             cl::desc("--eval: also compare the values both models observe "
                      "(qnn-insert-observers: the activations qnn-quantize "
                      "quantizes), layer by layer"),
             cl::cat(category));
static cl::opt<bool> largePages(
    "large-pages",
    cl::desc("Map the compiled model's large constants (the weights) into "
             "2 MiB pages (default; =false: ordinary 4 KiB pages)"),
    cl::init(true), cl::cat(category));
static cl::opt<int64_t> repetitions("repetitions",
                                    cl::desc("--bench: timed runs per model"),
                                    cl::init(50), cl::cat(category));
static cl::opt<int64_t> warmup("warmup",
                               cl::desc("--bench: untimed runs first"),
                               cl::init(10), cl::cat(category));
static cl::opt<std::string>
    jsonPath("json",
             cl::desc("--bench, --eval: also write the report as JSON to "
                      "this file ('-' for stdout)"),
             cl::value_desc("file"), cl::cat(category));

static cl::opt<std::string> loweringOptions(
    "lowering-options",
    cl::desc("Options of qnn-lower-to-llvm, as in a pass pipeline "
             "(\"vectorize=false tile-m=8\")"),
    cl::value_desc("options"), cl::cat(category));
static cl::opt<unsigned> optLevel("opt-level",
                                  cl::desc("LLVM optimization level of the "
                                           "JIT (0-3)"),
                                  cl::init(3), cl::cat(category));
static cl::list<std::string>
    sharedLibs("shared-libs",
               cl::desc("More shared libraries the compiled code may call "
                        "(libmlir_c_runner_utils is always loaded)"),
               cl::CommaSeparated, cl::value_desc("lib.so,..."),
               cl::cat(category));
enum class ProgressMode { Auto, Always, Never };
static cl::opt<ProgressMode> progressMode(
    "progress", cl::desc("Progress bar on stderr"),
    cl::values(clEnumValN(ProgressMode::Auto, "auto",
                          "when stderr is a terminal (default)"),
               clEnumValN(ProgressMode::Always, "always", "always"),
               clEnumValN(ProgressMode::Never, "never", "never")),
    cl::init(ProgressMode::Auto), cl::cat(category));

/// Prints `qnn-run: error: message` and returns the failing exit code.
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qnn-run") << message << "\n";
  return 1;
}

static int fail(llvm::Error error) { return fail(toString(std::move(error))); }

static ProgressBar makeBar(llvm::StringRef label) {
  if (progressMode == ProgressMode::Auto)
    return ProgressBar(label);
  return ProgressBar(label, progressMode == ProgressMode::Always);
}

/// The function to call: --entry, or the module's only defined function.
static mlir::FailureOr<std::string> chooseEntry(mlir::ModuleOp module) {
  if (!entryName.empty())
    return entryName.getValue();
  std::vector<std::string> names;
  for (auto function : module.getOps<mlir::FunctionOpInterface>())
    if (!function.isExternal())
      names.push_back(function.getName().str());
  if (names.size() == 1)
    return names.front();
  return mlir::emitError(module.getLoc())
         << (names.empty() ? "the module defines no function"
                           : "the module defines several functions (@" +
                                 llvm::join(names, ", @") + ")")
         << "; name one with --entry";
}

static CompileOptions compileOptions(llvm::StringRef entry) {
  CompileOptions options;
  options.entry = entry.str();
  options.loweringOptions = loweringOptions;
  options.optLevel = optLevel;
  options.largePages = largePages;
  // The lowering may leave calls to memrefCopy (strided copies).
  options.sharedLibs.push_back(QNN_MLIR_C_RUNNER_UTILS);
  for (const std::string &library : sharedLibs)
    options.sharedLibs.push_back(library);
  return options;
}

static int writeJSON(llvm::json::Value value) {
  if (jsonPath.empty())
    return 0;
  if (llvm::Error error =
          llvm::writeToOutput(jsonPath, [&](llvm::raw_ostream &os) {
            os << llvm::formatv("{0:2}", value) << "\n";
            return llvm::Error::success();
          }))
    return fail(std::move(error));
  return 0;
}

/// Default mode: the outputs to a file, or a summary of them.
static int writeOutputs(const Signature &signature,
                        std::vector<Array> outputs) {
  if (!outputNames.empty() && outputNames.size() != outputs.size())
    return fail(llvm::formatv("--output-names gives {0} names for the {1} "
                              "outputs of @{2}",
                              outputNames.size(), outputs.size(),
                              signature.entry));
  std::vector<NamedArray> named;
  for (auto [index, output] : llvm::enumerate(outputs))
    named.push_back({outputNames.empty() ? "output" + std::to_string(index)
                                         : outputNames[index],
                     std::move(output)});
  if (outputPath.empty()) {
    for (const NamedArray &output : named) {
      const Array &array = output.array;
      double lo = INFINITY, hi = -INFINITY, sum = 0;
      for (int64_t i = 0; i < array.numElements(); ++i) {
        double v = array.elementAsDouble(i);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += v;
      }
      llvm::outs() << llvm::formatv("{0}: {1} {2}", output.name,
                                    formatShape(array.shape()),
                                    dtypeName(array.dtype()));
      if (array.numElements())
        llvm::outs() << llvm::format(" min %g max %g mean %g", lo, hi,
                                     sum / array.numElements());
      llvm::outs() << "\n";
    }
    return 0;
  }
  llvm::Error error = llvm::Error::success();
  if (llvm::StringRef(outputPath).ends_with(".npy")) {
    if (named.size() != 1)
      return fail(llvm::formatv("{0}: a .npy file holds one array; @{1} has "
                                "{2} outputs (write an .npz)",
                                outputPath, signature.entry, named.size()));
    error = writeNpy(outputPath, named.front().array);
  } else {
    error = writeNpz(outputPath, named, compress);
  }
  if (error)
    return fail(std::move(error));
  return 0;
}

namespace {
/// A model loaded and compiled, with its name for reports.
struct Model {
  std::string name;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<CompiledModule> compiled;
  /// With --per-layer: the names its observers report.
  std::vector<std::string> observed;
};
} // namespace

/// Loads and compiles a model; with `instrument`, with observers
/// (qnn-insert-observers) reporting to the runner.
static mlir::LogicalResult loadAndCompile(Session &session,
                                          llvm::StringRef path,
                                          std::string &entry, Model &model,
                                          bool instrument = false) {
  model.name = llvm::sys::path::filename(path).str();
  model.module = session.loadModule(path);
  if (!model.module)
    return mlir::failure();
  if (entry.empty()) {
    mlir::FailureOr<std::string> chosen = chooseEntry(*model.module);
    if (failed(chosen))
      return mlir::failure();
    entry = *chosen;
  }
  CompileOptions options = compileOptions(entry);
  if (instrument) {
    mlir::FailureOr<std::vector<std::string>> names =
        instrumentModule(*model.module, CalibrateOptions());
    if (failed(names))
      return mlir::failure();
    model.observed = std::move(*names);
    options.hostSymbols.push_back(observerHostSymbol());
  }
  auto compiled = session.compile(*model.module, options);
  if (failed(compiled))
    return mlir::failure();
  model.compiled = std::move(*compiled);
  return mlir::success();
}

static int runBench(std::vector<Model> &models,
                    llvm::ArrayRef<NamedArray> inputs) {
  if (repetitions < 1 || warmup < 0)
    return fail("--repetitions must be positive and --warmup non-negative");
  BenchReport report;
  report.entry = models.front().compiled->signature().entry;
  report.options.warmup = warmup;
  report.options.repetitions = repetitions;
  std::vector<CompiledModule *> compiled;
  for (Model &model : models)
    compiled.push_back(model.compiled.get());
  mlir::FailureOr<std::vector<BenchResult>> results;
  {
    ProgressBar bar = makeBar("bench");
    results = benchmark(
        compiled, inputs, report.options,
        [&](int64_t done, int64_t total) { bar.update(done, total); });
  }
  if (failed(results))
    return 1;
  for (auto [model, result] : llvm::zip_equal(models, *results))
    report.models.push_back(
        {model.name, result, measureConstants(*model.module),
         model.compiled->loweringSeconds(), model.compiled->jitSeconds()});
  printBenchReport(report, llvm::outs());
  return writeJSON(toJSON(report));
}

static mlir::FailureOr<std::vector<Array>>
runWithProgress(CompiledModule &module, llvm::ArrayRef<NamedArray> inputs,
                llvm::StringRef label) {
  ProgressBar bar = makeBar(label);
  return module.run(
      inputs, [&](int64_t done, int64_t total) { bar.update(done, total); });
}

static int runCalibrate(Session &session, std::string &entry,
                        llvm::ArrayRef<NamedArray> inputs) {
  if (histogramBins < 0)
    return fail("--histogram-bins must be 0 (no histogram) or positive");
  Model model;
  model.name = llvm::sys::path::filename(positionals.front()).str();
  model.module = session.loadModule(positionals.front());
  if (!model.module)
    return 1;
  if (entry.empty()) {
    mlir::FailureOr<std::string> chosen = chooseEntry(*model.module);
    if (failed(chosen))
      return 1;
    entry = *chosen;
  }
  CalibrateOptions options;
  options.onlyOps.assign(observeOps.begin(), observeOps.end());
  options.excludeOps.assign(observeExclude.begin(), observeExclude.end());
  options.calibration.histogramBins = histogramBins;
  mlir::FailureOr<std::vector<std::string>> names =
      instrumentModule(*model.module, options);
  if (failed(names))
    return 1;
  if (names->empty())
    llvm::WithColor::warning(llvm::errs(), "qnn-run")
        << model.name << " has no activation that qnn-quantize would "
        << "quantize (no matmul or convolution with an activation operand "
        << "among the chosen ops); the statistics file is empty\n";
  CompileOptions compile = compileOptions(entry);
  compile.hostSymbols.push_back(observerHostSymbol());
  auto compiled = session.compile(*model.module, compile);
  if (failed(compiled))
    return 1;
  Calibrator calibrator(*names, options);
  {
    ProgressBar bar = makeBar("calibrate");
    if (failed(calibrator.run(
            **compiled, inputs,
            [&](int64_t done, int64_t total) { bar.update(done, total); })))
      return 1;
  }
  std::vector<std::string> unobserved = calibrator.getUnobserved();
  if (!unobserved.empty())
    llvm::WithColor::warning(llvm::errs(), "qnn-run")
        << "no run reached value" << (unobserved.size() == 1 ? " '" : "s '")
        << llvm::join(unobserved, "', '")
        << "'; qnn-quantize will reject its statistics\n";
  if (llvm::Error error = calibrator.getStatistics().writeFile(outputPath))
    return fail(std::move(error));
  llvm::outs() << llvm::formatv(
      "calibrated {0} value{1} of @{2} on {3} "
      "sample{4} -> {5}\n",
      names->size(), names->size() == 1 ? "" : "s", entry, calibrator.samples(),
      calibrator.samples() == 1 ? "" : "s", outputPath);
  return 0;
}

static int runMergeStats() {
  if (positionals.size() < 2)
    return fail("--merge-stats needs at least two statistics files");
  llvm::Expected<qnn::Statistics> merged =
      qnn::Statistics::readFile(positionals.front());
  if (!merged)
    return fail(merged.takeError());
  for (const std::string &path : llvm::drop_begin(positionals)) {
    llvm::Expected<qnn::Statistics> other = qnn::Statistics::readFile(path);
    if (!other)
      return fail(other.takeError());
    if (llvm::Error error = merged->merge(*other))
      return fail(llvm::formatv(
          "cannot merge '{0}' into the statistics of "
          "'{1}': {2}",
          path,
          llvm::join(llvm::make_range(positionals.begin(),
                                      llvm::find(positionals, path)),
                     "', '"),
          llvm::toString(std::move(error))));
  }
  if (llvm::Error error = merged->writeFile(outputPath))
    return fail(std::move(error));
  llvm::outs() << llvm::formatv("merged {0} statistics files ({1} values) -> "
                                "{2}\n",
                                positionals.size(), merged->getValues().size(),
                                outputPath);
  return 0;
}

static int runEval(std::vector<Model> &models,
                   llvm::ArrayRef<NamedArray> inputs) {
  Model &reference = models[0], &candidate = models[1];
  std::vector<Array> expected, got;
  std::optional<LayerComparison> layers;
  if (perLayer) {
    layers.emplace(reference.observed, candidate.observed);
    ProgressBar bar = makeBar("eval");
    auto outputs = layers->run(
        *reference.compiled, *candidate.compiled, inputs,
        [&](int64_t done, int64_t total) { bar.update(done, total); });
    if (failed(outputs))
      return 1;
    expected = std::move(outputs->first);
    got = std::move(outputs->second);
  } else {
    auto referenceOutputs =
        runWithProgress(*reference.compiled, inputs, "reference");
    if (failed(referenceOutputs))
      return 1;
    auto candidateOutputs =
        runWithProgress(*candidate.compiled, inputs, "candidate");
    if (failed(candidateOutputs))
      return 1;
    expected = std::move(*referenceOutputs);
    got = std::move(*candidateOutputs);
  }
  if (expected.size() != got.size())
    return fail(llvm::formatv("{0} returns {1} outputs, {2} returns {3}",
                              reference.name, expected.size(), candidate.name,
                              got.size()));
  mlir::FailureOr<BatchPlan> plan = reference.compiled->plan(inputs);
  if (failed(plan))
    return 1;
  std::optional<std::vector<int64_t>> labels;
  if (!labelsSpec.empty()) {
    auto array = loadArray(labelsSpec);
    if (!array)
      return fail(array.takeError());
    auto values = labelsOf(array->array, plan->samples, array->name);
    if (!values)
      return fail(values.takeError());
    labels = std::move(*values);
  }

  EvalReport report;
  report.referenceName = reference.name;
  report.candidateName = candidate.name;
  report.samples = plan->samples;
  for (size_t index = 0; index < expected.size(); ++index) {
    std::string name = outputNames.size() == expected.size()
                           ? outputNames[index]
                           : "output" + std::to_string(index);
    auto comparison = compareOutput(name, expected[index], got[index],
                                    labels ? &*labels : nullptr);
    if (!comparison)
      return fail(comparison.takeError());
    report.outputs.push_back(std::move(*comparison));
  }
  printEvalReport(report, llvm::outs());
  llvm::json::Value json = toJSON(report);
  if (layers) {
    std::vector<LayerError> errors = layers->getErrors();
    printLayerErrors(errors, layers->getUnmatched(), llvm::outs());
    if (llvm::json::Object *object = json.getAsObject())
      (*object)["layers"] = toJSON(errors);
  }
  return writeJSON(std::move(json));
}

/// The compiled code allocates its intermediate tensors afresh on every
/// call and frees them before it returns. glibc serves blocks above 128 KiB
/// with mmap and hands freed memory at the top of the heap back to the
/// system, so a batch of 100 images paid for page faults and zeroed pages on
/// every call (fp32 Fashion-MNIST at batch 100: 20 ms a call, 5.4 ms with
/// the memory kept). Keep it: the runner calls the same function over and
/// over.
static void keepFreedMemory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  keepFreedMemory();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qnn-run: JIT-compile a model (MLIR on tensors, fp32 or quantized) for "
      "this CPU and run it on .npy/.npz arrays.\n\n"
      "  qnn-run model.mlir --inputs=data.npz:images -o out.npz\n"
      "  qnn-run model.mlir --bench --inputs=... [--compare=int8.mlir]\n"
      "  qnn-run model.mlir --eval --compare=int8.mlir --inputs=... "
      "[--labels=data.npz:labels]\n"
      "  qnn-run model.mlir --calibrate --inputs=calibration.npz -o "
      "stats.json\n"
      "  qnn-run --merge-stats a.json b.json -o all.json\n\n"
      "Inputs are split into batches of the function's static leading "
      "dimension (the last one padded); see docs/Runner.md.\n");

  int modes = (benchMode ? 1 : 0) + (evalMode ? 1 : 0) +
              (calibrateMode ? 1 : 0) + (mergeStatsMode ? 1 : 0);
  if (modes > 1)
    return fail("--bench, --eval, --calibrate and --merge-stats are separate "
                "modes; choose one");
  if ((calibrateMode || mergeStatsMode) && outputPath.empty())
    return fail(llvm::formatv("--{0} writes a statistics file: name it with "
                              "-o stats.json",
                              calibrateMode ? "calibrate" : "merge-stats"));
  if (mergeStatsMode) {
    if (!inputSpecs.empty() || !comparePath.empty())
      return fail("--merge-stats reads only statistics files");
    return runMergeStats();
  }
  if (positionals.size() != 1)
    return fail(llvm::formatv("expected one model file, got {0} positional "
                              "arguments",
                              positionals.size()));
  if (!calibrateMode && (!observeOps.empty() || !observeExclude.empty() ||
                         histogramBins.getNumOccurrences()))
    return fail("--ops, --exclude and --histogram-bins are for --calibrate");
  if (calibrateMode && !comparePath.empty())
    return fail("--calibrate runs one model; --compare is for --bench and "
                "--eval");
  if (evalMode && comparePath.empty())
    return fail("--eval needs a second model to compare with: "
                "--compare=other.mlir");
  if (!comparePath.empty() && !benchMode && !evalMode)
    return fail("--compare is for --bench and --eval");
  if (perLayer && !evalMode)
    return fail("--per-layer is for --eval");
  if (!labelsSpec.empty() && !evalMode)
    return fail("--labels is for --eval");
  if (!jsonPath.empty() && !benchMode && !evalMode)
    return fail("--json is for --bench and --eval");
  if ((benchMode || evalMode) && !outputPath.empty())
    return fail("-o is for the default mode (outputs of one model), "
                "--calibrate and --merge-stats");

  // Read the arrays first: a typo in a path should not wait for the JIT.
  auto inputs = loadArrays(inputSpecs);
  if (!inputs)
    return fail(inputs.takeError());

  Session session;
  std::string entry = entryName;
  if (calibrateMode)
    return runCalibrate(session, entry, *inputs);
  std::vector<Model> models(comparePath.empty() ? 1 : 2);
  if (failed(loadAndCompile(session, positionals.front(), entry, models[0],
                            perLayer)))
    return 1;
  if (!comparePath.empty() &&
      failed(loadAndCompile(session, comparePath, entry, models[1], perLayer)))
    return 1;

  if (benchMode)
    return runBench(models, *inputs);
  if (evalMode)
    return runEval(models, *inputs);
  auto outputs = runWithProgress(*models[0].compiled, *inputs, "run");
  if (failed(outputs))
    return 1;
  return writeOutputs(models[0].compiled->signature(), std::move(*outputs));
}
