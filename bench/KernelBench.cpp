//===- KernelBench.cpp - qnn-mlir's matmul kernels against the libraries --===//
//
// qnn-kernel-bench: times, in one process and one run, qnn-mlir's compiled
// int8 and f32 layers (QnnLayers.cpp) and the peer libraries (Peers.cpp)
// on the same shapes, and prints GOP/s (2 M N K over the median time) and
// the ratio of qnn to the best library of its kind.
//
// Correctness comes first: every contender is called once and checked
// against the layer's references before anything is timed, and the exit
// status is 1 when a qnn result is wrong. On one thread the timed runs of
// the contenders alternate (one run of each, repeated), so that the slow
// phases of a shared machine hit them alike. On several threads they
// cannot: each library keeps its worker threads spinning for a while after
// a call (LLVM's OpenMP runtime, which qnn's code and oneDNN share here,
// for 200 ms; OpenBLAS's own threads; XNNPACK's pthreadpool), and the next
// library's threads would run on cores still busy spinning. So each
// contender then does its warm-up and timed runs in one phase, after a
// pause that lets the previous one's threads go to sleep. For "cold" shapes
// a buffer larger than the caches is written and read before every timed
// run.
//
//===----------------------------------------------------------------------===//

#include "KernelBench.h"

#include "qnn/Runner/CompiledModule.h"
#include "qnn/Runner/Session.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

using namespace qnn;
using namespace qnn::bench;
namespace cl = llvm::cl;

static cl::OptionCategory category("qnn-kernel-bench options");

// LLVM already registers a global --threads (cl::opt<int>) that nothing in
// this tool reads, and a second option of that name cannot be registered:
// main rewrites --threads=N into --qnn-threads=N before parsing.
static cl::opt<int>
    threads("qnn-threads",
            cl::desc("Threads of qnn-mlir's kernels (qnn-lower-to-llvm "
                     "threads=) and of the peer libraries; also spelled "
                     "--threads=N"),
            cl::init(1), cl::cat(category));
static cl::opt<int> libraryThreads(
    "library-threads",
    cl::desc("Threads of the peer libraries alone (default: --threads)"),
    cl::init(0), cl::cat(category));
static cl::opt<cl::boolOrDefault> phasedOption(
    "phased",
    cl::desc("Time each contender in a phase of its own (default: with "
             "several threads) rather than alternating their runs"),
    cl::cat(category));
static cl::opt<int> pauseMs(
    "pause-ms",
    cl::desc("Phased: milliseconds of rest between one contender's timed "
             "runs and the next's"),
    cl::init(500), cl::cat(category));
static cl::opt<int> repetitions("repetitions",
                                cl::desc("Timed runs per contender"),
                                cl::init(21), cl::cat(category));
static cl::opt<int> warmup("warmup", cl::desc("Untimed runs first"),
                           cl::init(3), cl::cat(category));
static cl::opt<std::string>
    target("target", cl::desc("qnn-lower-to-llvm's target= option"),
           cl::init("auto"), cl::cat(category));
static cl::opt<bool>
    smoke("smoke", cl::desc("Small shapes, correctness only (no timing)"),
          cl::init(false), cl::cat(category));
static cl::list<std::string>
    only("only", cl::desc("Only the shapes whose name contains one of these"),
         cl::CommaSeparated, cl::cat(category));
static cl::opt<bool> qnnLargePages(
    "qnn-large-pages",
    cl::desc("Put qnn-mlir's packed weights into 2 MiB pages, as its runner "
             "does (=false: the JIT's ordinary 4 KiB pages)"),
    cl::init(true), cl::cat(category));
static cl::opt<bool> peerLargePagesOption(
    "peer-large-pages",
    cl::desc("Put the peer libraries' weights into 2 MiB pages too, as "
             "qnn-mlir's JIT does its own (default: what malloc gives)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> memoryCeiling(
    "memory-ceiling",
    cl::desc("Only time reading 16 MiB of cold weights in the matvec "
             "kernel's order, in 4 KiB and in 2 MiB pages"),
    cl::init(false), cl::cat(category));
static cl::opt<int64_t> flushMiB(
    "flush-mib",
    cl::desc("MiB written and read before each cold run (evicts the weights)"),
    cl::init(1024), cl::cat(category));

static std::vector<Shape> getShapes() {
  if (smoke)
    return {{"smoke 1x300x200", 1, 300, 200},
            {"smoke 13x64x80", 13, 64, 80},
            {"smoke 37x129x70", 37, 129, 70},
            // Enough work for qnn to split across two threads (--threads=2).
            {"smoke 1x2048x1030", 1, 2048, 1030}};
  return {{"1x4096x4096 cold", 1, 4096, 4096, /*cold=*/true},
          {"1x4096x4096 hot", 1, 4096, 4096},
          {"1x1024x1024 hot", 1, 1024, 1024},
          {"64x1024x1024", 64, 1024, 1024},
          {"256x512x512", 256, 512, 512},
          {"1024x1024x1024", 1024, 1024, 1024},
          // examples/digits-cnn's convolutions as the matmuls of their
          // im2col form, batch 256: conv1 3x3x1 -> 8 on 8x8 images, conv2
          // 3x3x8 -> 16 on 4x4.
          {"cnn conv1 16384x9x8", 256 * 64, 9, 8},
          {"cnn conv2 4096x72x16", 256 * 16, 72, 16}};
}

static std::vector<char> flushBuffer;

/// Writes and reads a buffer larger than the caches: the weights are gone
/// from them afterwards.
static void flushCaches() {
  if (flushBuffer.empty())
    flushBuffer.resize(static_cast<size_t>(flushMiB) << 20);
  for (size_t i = 0; i < flushBuffer.size(); i += 64)
    flushBuffer[i] = static_cast<char>(i);
  volatile char sink = 0;
  for (size_t i = 0; i < flushBuffer.size(); i += 64)
    sink = sink + flushBuffer[i];
  (void)sink;
}

static double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// One untimed-prepared, timed, untimed-finished call; returns its seconds.
static double callOnce(Contender &c, bool cold) {
  if (c.prepare)
    c.prepare();
  if (cold)
    flushCaches();
  double start = now();
  c.run();
  double seconds = now() - start;
  if (c.finish)
    c.finish();
  return seconds;
}

/// Whether each contender is timed in a phase of its own (see the top).
static bool phased() {
  if (phasedOption != cl::BOU_UNSET)
    return phasedOption == cl::BOU_TRUE;
  return threads > 1 || libraryThreads > 1;
}

/// Warm-up and timed runs of `contenders`, one run of each in turn.
static void timeAlternating(llvm::ArrayRef<Contender *> contenders, bool cold) {
  for (int i = 0; i < warmup; ++i)
    for (Contender *c : contenders)
      if (c->unavailable.empty())
        callOnce(*c, /*cold=*/false);
  for (int rep = 0; rep < repetitions; ++rep)
    for (Contender *c : contenders)
      if (c->unavailable.empty())
        c->seconds.push_back(callOnce(*c, cold));
}

/// The same after a pause in which the previous phase's threads stop
/// spinning.
static void timePhase(llvm::ArrayRef<Contender *> contenders, bool cold) {
  std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs));
  timeAlternating(contenders, cold);
}

static double median(std::vector<double> values) {
  if (values.empty())
    return 0.0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// --memory-ceiling: the read rate of cold weights in either page size.
static int measureMemoryCeiling() {
  std::vector<Contender> readers = memoryCeilingContenders();
  std::vector<Contender *> timed;
  for (Contender &reader : readers) {
    if (!reader.unavailable.empty()) {
      llvm::errs() << "qnn-kernel-bench: " << reader.name << ": "
                   << reader.unavailable << "\n";
      return 1;
    }
    timed.push_back(&reader);
  }
  timeAlternating(timed, /*cold=*/true);
  double bytes = static_cast<double>(memoryCeilingBytes());
  for (Contender &reader : readers) {
    std::string verdict = reader.check();
    if (!isCorrect(verdict)) {
      llvm::errs() << "qnn-kernel-bench: " << reader.name << ": " << verdict
                   << "\n";
      return 1;
    }
    double rate = bytes / median(reader.seconds) / 1e9;
    llvm::outs() << llvm::formatv(
        "cold 16 MiB read in the matvec kernel's order, {0}: {1:f1} GB/s "
        "(an int8 matvec at that rate: {2:f1} GOP/s)\n",
        reader.name, rate, 2 * rate);
  }
  return 0;
}

static std::string formatGops(double gops) {
  return gops > 0 ? llvm::formatv("{0:f1}", gops).str() : "-";
}
static std::string formatRatio(double numerator, double denominator) {
  return numerator > 0 && denominator > 0
             ? llvm::formatv("{0:f2}x", numerator / denominator).str()
             : "-";
}

/// `arguments` with --threads=N / -threads=N / --threads N spelled
/// --qnn-threads=N.
static std::vector<std::string> renameThreadsOption(int argc, char **argv) {
  std::vector<std::string> arguments(argv, argv + argc);
  for (std::string &argument : arguments) {
    llvm::StringRef text = argument;
    if (!text.consume_front("--"))
      text.consume_front("-");
    if (text == "threads" || text.starts_with("threads="))
      argument = "--qnn-" + text.str();
  }
  return arguments;
}

int main(int argc, char **argv) {
  std::vector<std::string> arguments = renameThreadsOption(argc, argv);
  std::vector<const char *> pointers;
  for (const std::string &argument : arguments)
    pointers.push_back(argument.c_str());
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, pointers.data(),
      "qnn-mlir's int8 and fp32 matmul layers against OpenBLAS, oneDNN and "
      "XNNPACK, in one process\n");
  if (threads < 1 || libraryThreads < 0) {
    llvm::errs() << "qnn-kernel-bench: --threads must be positive and "
                    "--library-threads non-negative\n";
    return 1;
  }
  if (memoryCeiling)
    return measureMemoryCeiling();
  int peerThreads = libraryThreads ? libraryThreads : threads;
  setPeerLargePages(peerLargePagesOption);
  if (!initializePeers(peerThreads))
    return 1;
  std::vector<Shape> shapes = getShapes();
  if (!only.empty())
    llvm::erase_if(shapes, [](const Shape &shape) {
      return llvm::none_of(only, [&](const std::string &part) {
        return shape.name.find(part) != std::string::npos;
      });
    });

  runner::Session session;
  std::string loweringOptions =
      llvm::formatv("target={0} threads={1}", target.getValue(),
                    threads.getValue())
          .str();
  runner::CompileOptions qnnOptions;
  qnnOptions.loweringOptions = loweringOptions;
  qnnOptions.largePages = qnnLargePages;
  runner::CompileOptions singleThreadOptions = qnnOptions;
  singleThreadOptions.loweringOptions =
      llvm::formatv("target={0} threads=1", target.getValue()).str();
  std::mt19937 rng(20260611);
  bool qnnCorrect = true;
  std::map<std::string, bool> reported;
  llvm::outs() << llvm::formatv(
      "qnn-kernel-bench: peers on {0} thread(s), qnn on {1}; {2} timed "
      "runs each (median, {3}); qnn-lower-to-llvm {4}; weights in 2 MiB "
      "pages: qnn {5}, peers {6}\n",
      peerThreads, threads.getValue(), repetitions.getValue(),
      phased() ? "one contender after the other" : "contenders alternating",
      loweringOptions, qnnLargePages ? "yes" : "no",
      peerLargePagesOption ? "yes" : "no");
  std::string table;
  llvm::raw_string_ostream os(table);
  os << "| shape (M x K x N) | qnn int8 | oneDNN u8s8s32 | XNNPACK qs8 | "
        "int8: qnn / best | qnn f32 | OpenBLAS sgemm | oneDNN sgemm | "
        "f32: qnn / best | qnn int8 / qnn f32 |";
  if (threads > 1)
    os << " qnn int8: " << threads << " threads / 1 | qnn f32: " << threads
       << " threads / 1 |";
  os << "\n|---|---|---|---|---|---|---|---|---|---|"
     << (threads > 1 ? "---|---|" : "") << "\n";

  for (const Shape &shape : shapes) {
    Layer layer = makeLayer(shape, rng);
    std::vector<Contender> contenders;
    // With threads, the same layers on one thread too, each timed right
    // after its threaded version: the speed-up threads give.
    contenders.push_back(compileQnnInt8(session, layer, qnnOptions));
    if (threads > 1) {
      contenders.push_back(compileQnnInt8(session, layer, singleThreadOptions));
      contenders.back().name = "qnn int8 1 thread";
    }
    contenders.push_back(compileQnnF32(session, layer, qnnOptions));
    if (threads > 1) {
      contenders.push_back(compileQnnF32(session, layer, singleThreadOptions));
      contenders.back().name = "qnn f32 1 thread";
    }
    addPeerContenders(layer, peerThreads, contenders);

    // Correctness first: one call each, checked.
    llvm::outs() << shape.name << ":";
    for (Contender &c : contenders) {
      bool isQnn = c.name.rfind("qnn", 0) == 0;
      if (!c.unavailable.empty()) {
        if (isQnn)
          qnnCorrect = false;
        if (!reported[c.name + c.unavailable])
          llvm::outs() << "\n  " << c.name << " skipped: " << c.unavailable;
        reported[c.name + c.unavailable] = true;
        continue;
      }
      callOnce(c, /*cold=*/false);
      std::string verdict = c.check();
      llvm::outs() << " " << c.name << " " << verdict << ";";
      if (isQnn && !isCorrect(verdict))
        qnnCorrect = false;
    }
    llvm::outs() << "\n";
    llvm::outs().flush();
    if (smoke)
      continue;

    if (phased()) {
      // One phase per contender, qnn's included: each has the caches to
      // itself, as the libraries do.
      for (Contender &c : contenders)
        timePhase({&c}, shape.cold);
    } else {
      std::vector<Contender *> all;
      for (Contender &c : contenders)
        all.push_back(&c);
      timeAlternating(all, shape.cold);
    }

    double ops = 2.0 * shape.m * shape.n * shape.k;
    std::map<std::string, double> gops;
    double bestInt8 = 0, bestF32 = 0;
    for (Contender &c : contenders) {
      double value = c.seconds.empty() ? 0.0 : ops / median(c.seconds) * 1e-9;
      gops[c.name] = value;
      if (c.name.rfind("qnn", 0) != 0)
        (c.isInt8 ? bestInt8 : bestF32) =
            std::max(c.isInt8 ? bestInt8 : bestF32, value);
    }
    double qnnInt8 = gops["qnn int8"], qnnF32 = gops["qnn f32"];
    os << "| " << shape.name << " | " << formatGops(qnnInt8) << " | "
       << formatGops(gops["oneDNN u8s8s32"]) << " | "
       << formatGops(gops["XNNPACK qs8"]) << " | "
       << formatRatio(qnnInt8, bestInt8) << " | " << formatGops(qnnF32) << " | "
       << formatGops(gops["OpenBLAS sgemm"]) << " | "
       << formatGops(gops["oneDNN sgemm"]) << " | "
       << formatRatio(qnnF32, bestF32) << " | " << formatRatio(qnnInt8, qnnF32)
       << " |";
    if (threads > 1)
      os << " " << formatRatio(qnnInt8, gops["qnn int8 1 thread"]) << " | "
         << formatRatio(qnnF32, gops["qnn f32 1 thread"]) << " |";
    os << "\n";
    llvm::outs() << llvm::formatv(
        "  GOP/s: qnn int8 {0}, best int8 library {1}; qnn f32 {2}, best f32 "
        "library {3}\n",
        formatGops(qnnInt8), formatGops(bestInt8), formatGops(qnnF32),
        formatGops(bestF32));
    if (threads > 1)
      llvm::outs() << llvm::formatv(
          "  qnn on 1 thread (timed after the above): int8 {0}, f32 {1}\n",
          formatGops(gops["qnn int8 1 thread"]),
          formatGops(gops["qnn f32 1 thread"]));
    llvm::outs().flush();
  }

  if (!smoke)
    llvm::outs() << "\nGOP/s = 2 M N K / median time; ratios: qnn over the "
                    "best library of its kind (OpenBLAS runs sgemv for one "
                    "row)\n\n"
                 << table;
  if (!qnnCorrect) {
    llvm::errs() << "qnn-kernel-bench: a qnn result is wrong or missing\n";
    return 1;
  }
  return 0;
}
