//===- CompiledModule.h - JIT-compiled modules ------------------*- C++ -*-===//
//
// Takes a module on tensors (fp32 or quantized IR), lowers a copy of it with
// qnn-lower-to-llvm, JIT-compiles it with MLIR's ExecutionEngine for the
// host CPU, and calls its entry function on arrays: the memref descriptors
// are built from the function's signature for any rank and element type,
// inputs are checked against it, and the results are copied out and their
// buffers freed.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_COMPILEDMODULE_H
#define QNN_RUNNER_COMPILEDMODULE_H

#include "qnn/Runner/Array.h"
#include "qnn/Runner/Batching.h"
#include "qnn/Runner/Signature.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace qnn::runner {

/// How to compile a module.
struct CompileOptions {
  /// The function to call.
  std::string entry = "main";
  /// Options of qnn-lower-to-llvm, as a textual pipeline writes them
  /// ("vectorize=false tile-m=8").
  std::string loweringOptions;
  /// LLVM optimization level of the JIT: 0 to 3.
  unsigned optLevel = 3;
  /// Shared libraries the compiled code may call into, such as
  /// libmlir_c_runner_utils.so (memrefCopy).
  std::vector<std::string> sharedLibs;
  /// Whether the compiled module's large constants (packed weights) go into
  /// 2 MiB pages (LargePageMemoryMapper.h).
  bool largePages = true;
  /// Host functions the compiled code may call by name (a calibration
  /// observer's callback, say).
  std::vector<std::pair<std::string, void *>> hostSymbols;
};

/// Called after each step of a long run: `done` of `total`.
using ProgressFn = llvm::function_ref<void(int64_t done, int64_t total)>;

class CompiledModule;
class LargePageMemoryMapper;

/// One call of the entry function with its arguments in place: built by
/// CompiledModule::prepare, so that a benchmark times `invoke` alone. Owns
/// the input buffers and, after `invoke`, the buffers of the results, which
/// `takeResults` copies out and frees.
class PreparedCall {
public:
  PreparedCall(PreparedCall &&other) noexcept;
  PreparedCall &operator=(PreparedCall &&) = delete;
  PreparedCall(const PreparedCall &) = delete;
  ~PreparedCall();

  /// Runs the compiled function. Call once.
  void invoke();
  /// The results of `invoke`, copied into arrays; frees their buffers.
  std::vector<Array> takeResults();

private:
  friend class CompiledModule;
  explicit PreparedCall(const CompiledModule &module);
  void releaseResults();

  const CompiledModule *module;
  /// The buffers holding the inputs (64-byte aligned).
  std::vector<void *> inputBuffers;
  /// Every scalar the flattened arguments hold (descriptor fields, scalars):
  /// `packedArgs` points into it, so it is sized once and never grows.
  std::vector<uint64_t> argumentSlots;
  std::vector<void *> packedArgs;
  /// Where the compiled function stores its results.
  std::vector<uint64_t> resultStorage;
  bool invoked = false;
  bool resultsTaken = false;
};

/// A module compiled for the host CPU, with its entry function.
class CompiledModule {
public:
  /// Lowers a copy of `module` (which is left unchanged) and JIT-compiles it.
  /// Problems (no such entry, unsupported signature, lowering or JIT
  /// failures) are reported as diagnostics on `module`'s context.
  static mlir::FailureOr<std::unique_ptr<CompiledModule>>
  compile(mlir::ModuleOp module, const CompileOptions &options);

  ~CompiledModule();

  const Signature &signature() const { return entrySignature; }
  /// The entry function's location, where diagnostics about calls go.
  mlir::Location location() const { return entryLoc; }
  /// Seconds spent lowering and JIT-compiling.
  double loweringSeconds() const { return lowerTime; }
  double jitSeconds() const { return jitTime; }

  /// Checks `inputs` and decides how to batch them (Batching.h); reports a
  /// diagnostic at the entry function when they do not fit.
  mlir::FailureOr<BatchPlan> plan(llvm::ArrayRef<NamedArray> inputs) const;

  /// Calls the entry function once on arrays of exactly its argument types.
  mlir::FailureOr<std::vector<Array>> call(llvm::ArrayRef<Array> inputs);

  /// Runs any number of samples, in batches as `plan` says.
  mlir::FailureOr<std::vector<Array>> run(llvm::ArrayRef<NamedArray> inputs,
                                          ProgressFn progress = nullptr);

  /// Copies `inputs` (exactly the argument types; checked) into buffers and
  /// builds the argument list of one call.
  mlir::FailureOr<PreparedCall> prepare(llvm::ArrayRef<Array> inputs) const;

private:
  friend class PreparedCall;
  CompiledModule(Signature signature, mlir::Location loc);

  Signature entrySignature;
  mlir::Location entryLoc;
  /// Maps the JIT's large data sections (the weights) into huge pages; it
  /// outlives the engine, which releases its memory through it.
  std::unique_ptr<LargePageMemoryMapper> memoryMapper;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  void (*packedEntry)(void **) = nullptr;
  /// Bytes of the struct the entry function returns, and where each result
  /// sits in it.
  size_t resultBytes = 0;
  std::vector<size_t> resultOffsets;
  double lowerTime = 0.0;
  double jitTime = 0.0;
};

} // namespace qnn::runner

#endif // QNN_RUNNER_COMPILEDMODULE_H
