//===- CompiledModule.cpp - JIT-compiled modules --------------------------===//
//
// The signature of the entry function is read before lowering, from its
// tensor (or memref) types: after qnn-lower-to-llvm the LLVM function only
// has pointers and integers left. The calling convention is then the one
// convert-func-to-llvm gives public functions without
// `llvm.emit_c_interface`: every memref argument expanded into (allocated
// pointer, aligned pointer, offset, sizes..., strides...), the results
// returned as one value or a struct; ExecutionEngine wraps that function in
// `_mlir_<entry>(void **args)`, which takes a pointer to each expanded
// argument and one to the result storage.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/CompiledModule.h"
#include "qnn/Runner/LargePageMemoryMapper.h"

#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstdlib>
#include <mutex>

using namespace mlir;

namespace qnn::runner {

static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// The runner's view of `type`, or a diagnostic saying why it has none.
static FailureOr<TensorSpec> specOf(Type type, Location loc,
                                    const Twine &what) {
  TensorSpec spec;
  llvm::raw_string_ostream(spec.typeText) << type;
  Type element = type;
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    if (!isa<RankedTensorType, MemRefType>(type) || !shaped.hasRank())
      return emitError(loc) << what << " has type " << type
                            << "; the runner passes ranked tensors, memrefs "
                               "and scalars";
    if (auto memref = dyn_cast<MemRefType>(type);
        memref && !memref.getLayout().isIdentity())
      return emitError(loc) << what << " has type " << type
                            << "; the runner passes memrefs with the "
                               "identity layout only";
    for (int64_t dim : shaped.getShape())
      spec.shape.push_back(ShapedType::isDynamic(dim) ? TensorSpec::kDynamic
                                                      : dim);
    element = shaped.getElementType();
  } else {
    spec.isScalar = true;
  }

  bool isUnsigned = false;
  if (auto quantized = dyn_cast<quant::QuantizedType>(element)) {
    isUnsigned = !quantized.isSigned();
    element = quantized.getStorageType();
  }
  if (auto integer = dyn_cast<IntegerType>(element)) {
    isUnsigned |= integer.isUnsigned();
    spec.signless = integer.isSignless();
    switch (integer.getWidth()) {
    case 1:
      spec.dtype = DType::Bool;
      spec.signless = false;
      return spec;
    case 8:
      spec.dtype = isUnsigned ? DType::UInt8 : DType::Int8;
      return spec;
    case 16:
    case 32:
    case 64:
      if (isUnsigned)
        break;
      spec.dtype = integer.getWidth() == 16   ? DType::Int16
                   : integer.getWidth() == 32 ? DType::Int32
                                              : DType::Int64;
      spec.signless = false;
      return spec;
    default:
      break;
    }
  } else if (element.isIndex()) {
    // index is 64-bit on the hosts the JIT targets.
    spec.dtype = DType::Int64;
    return spec;
  } else if (element.isF32()) {
    spec.dtype = DType::Float32;
    return spec;
  } else if (element.isF64()) {
    spec.dtype = DType::Float64;
    return spec;
  }
  return emitError(loc) << what << " has type " << type
                        << "; the runner supports elements f32, f64, i1, "
                           "i8, ui8, i16, i32, i64 and index";
}

/// The public function names of `module`, for "no such entry" messages.
static std::string listFunctions(ModuleOp module) {
  std::string names;
  for (Operation &op : module.getBody()->getOperations()) {
    auto function = dyn_cast<FunctionOpInterface>(op);
    if (!function || function.isExternal())
      continue;
    names += (names.empty() ? "@" : ", @") + function.getName().str();
  }
  return names.empty() ? "none" : names;
}

static FailureOr<Signature> signatureOf(ModuleOp module, StringRef entry) {
  Operation *symbol = SymbolTable::lookupSymbolIn(module, entry);
  if (!symbol)
    return emitError(module.getLoc())
           << "no function @" << entry
           << " in the module (functions: " << listFunctions(module) << ")";
  if (isa<LLVM::LLVMFuncOp>(symbol))
    return emitError(symbol->getLoc())
           << "@" << entry
           << " is already in the LLVM dialect, where its tensor types are "
              "gone; give the runner the module before qnn-lower-to-llvm";
  auto function = dyn_cast<func::FuncOp>(symbol);
  if (!function)
    return emitError(symbol->getLoc()) << "@" << entry << " is not a func.func";
  if (function.isExternal())
    return emitError(function.getLoc())
           << "@" << entry << " is a declaration without a body";

  Signature signature;
  signature.entry = entry.str();
  for (auto [index, type] : llvm::enumerate(function.getArgumentTypes())) {
    FailureOr<TensorSpec> spec = specOf(
        type, function.getLoc(), "argument " + Twine(index) + " of @" + entry);
    if (failed(spec))
      return failure();
    signature.inputs.push_back(std::move(*spec));
  }
  for (auto [index, type] : llvm::enumerate(function.getResultTypes())) {
    FailureOr<TensorSpec> spec = specOf(
        type, function.getLoc(), "result " + Twine(index) + " of @" + entry);
    if (failed(spec))
      return failure();
    signature.outputs.push_back(std::move(*spec));
  }
  return signature;
}

/// Words the lowered function takes for `spec`: a memref descriptor is two
/// pointers, an offset, and a size and a stride per dimension.
static size_t flattenedArguments(const TensorSpec &spec) {
  return spec.isScalar ? 1 : 3 + 2 * spec.shape.size();
}

/// Size and alignment of a result in the returned struct (x86-64 natural
/// alignment; descriptors are made of 8-byte words).
static std::pair<size_t, size_t> resultLayout(const TensorSpec &spec) {
  if (spec.isScalar) {
    size_t size = dtypeSize(spec.dtype);
    return {size, size};
  }
  return {8 * flattenedArguments(spec), 8};
}

/// Checks that the lowered entry function has the calling convention the
/// runner builds arguments for: a mismatch would crash the call.
static LogicalResult
checkLoweredEntry(ModuleOp lowered, const Signature &signature, Location loc) {
  auto function = lowered.lookupSymbol<LLVM::LLVMFuncOp>(signature.entry);
  if (!function)
    return emitError(loc) << "qnn-lower-to-llvm left no llvm.func @"
                          << signature.entry;
  size_t expected = 0;
  for (const TensorSpec &spec : signature.inputs)
    expected += flattenedArguments(spec);
  LLVM::LLVMFunctionType type = function.getFunctionType();
  size_t results = 0;
  if (auto structType = dyn_cast<LLVM::LLVMStructType>(type.getReturnType());
      structType && signature.outputs.size() != 1)
    results = structType.getBody().size();
  else if (!isa<LLVM::LLVMVoidType>(type.getReturnType()))
    results = 1;
  if (type.getNumParams() != expected || results != signature.outputs.size() ||
      type.isVarArg())
    return emitError(loc) << "the lowered @" << signature.entry << " has type "
                          << type << "; the runner expected " << expected
                          << " flattened parameters and "
                          << signature.outputs.size() << " results";
  return success();
}

/// The OpenMP runtime the lowered module calls, if it calls one: a module
/// lowered with threads > 1 holds omp.parallel regions, which the
/// translation to LLVM IR turns into calls of __kmpc_fork_call and
/// friends. Its path is QNN_OPENMP_RUNTIME from the environment, else the
/// libomp.so found when qnn-mlir was built; a diagnostic when neither
/// exists (the JIT would otherwise fail with an unresolved __kmpc_* symbol).
static FailureOr<std::optional<std::string>>
findRuntimeLibrary(ModuleOp lowered, Location loc) {
  bool callsOpenMP = false;
  lowered->walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() ==
                                omp::OpenMPDialect::getDialectNamespace()) {
      callsOpenMP = true;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (!callsOpenMP)
    return std::optional<std::string>();
  std::string path;
  if (const char *fromEnvironment = std::getenv("QNN_OPENMP_RUNTIME"))
    path = fromEnvironment;
#ifdef QNN_OPENMP_RUNTIME
  else
    path = QNN_OPENMP_RUNTIME;
#endif
  if (path.empty() || !llvm::sys::fs::exists(path))
    return emitError(loc)
           << "the module runs on several threads (threads > 1) and needs "
              "LLVM's OpenMP runtime, but "
           << (path.empty() ? std::string("qnn-mlir was built without it")
                            : "'" + path + "' does not exist")
           << ": install libomp-22-dev (scripts/install-deps.sh) or set "
              "QNN_OPENMP_RUNTIME to the path of libomp.so";
  return std::optional<std::string>(path);
}

static void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

CompiledModule::CompiledModule(Signature signature, Location loc)
    : entrySignature(std::move(signature)), entryLoc(loc) {}

CompiledModule::~CompiledModule() = default;

FailureOr<std::unique_ptr<CompiledModule>>
CompiledModule::compile(ModuleOp module, const CompileOptions &options) {
  MLIRContext *context = module.getContext();
  FailureOr<Signature> signature = signatureOf(module, options.entry);
  if (failed(signature))
    return failure();
  Location loc = SymbolTable::lookupSymbolIn(module, options.entry)->getLoc();
  std::unique_ptr<CompiledModule> compiled(
      new CompiledModule(std::move(*signature), loc));
  const Signature &entry = compiled->entrySignature;

  // Lower a copy: the caller keeps the IR it gave (to count its constants,
  // to quantize it, ...).
  auto start = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> lowered(module.clone());
  LowerToLLVMOptions lowering;
  if (failed(lowering.parseFromString(options.loweringOptions)))
    return emitError(loc) << "invalid qnn-lower-to-llvm options '"
                          << options.loweringOptions << "'";
  if (std::optional<std::string> problem = lowering.findProblem())
    return emitError(loc) << "qnn-lower-to-llvm: " << *problem;
  PassManager pm(context);
  populateLowerToLLVMPipeline(pm, lowering);
  if (failed(pm.run(*lowered)))
    return emitError(loc) << "qnn-lower-to-llvm failed on the module of @"
                          << entry.entry;
  if (failed(checkLoweredEntry(*lowered, entry, loc)))
    return failure();
  // Declarations keep the `bufferization.access` argument attributes
  // bufferization read (the observer callback's); the translation to LLVM IR
  // would warn about them.
  lowered->walk([](LLVM::LLVMFuncOp function) {
    for (unsigned index = 0; index < function.getNumArguments(); ++index)
      function.removeArgAttr(index, "bufferization.access");
  });
  compiled->lowerTime = secondsSince(start);

  // JIT-compile for the host CPU, as mlir-runner does.
  start = std::chrono::steady_clock::now();
  initializeNativeTarget();
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  registerOpenMPDialectTranslation(*context);
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return emitError(loc) << "cannot target the host CPU: "
                          << llvm::toString(builder.takeError());
  llvm::CodeGenOptLevel codeGenLevel =
      llvm::CodeGenOpt::getLevel(std::min(options.optLevel, 3u))
          .value_or(llvm::CodeGenOptLevel::Aggressive);
  builder->setCodeGenOptLevel(codeGenLevel);
  auto targetMachine = builder->createTargetMachine();
  if (!targetMachine)
    return emitError(loc) << "cannot target the host CPU: "
                          << llvm::toString(targetMachine.takeError());
  auto transformer = makeOptimizingTransformer(
      std::min(options.optLevel, 3u), /*sizeLevel=*/0, targetMachine->get());
  llvm::SmallVector<StringRef> libraries;
  for (const std::string &library : options.sharedLibs) {
    if (!llvm::sys::fs::exists(library))
      return emitError(loc)
             << "shared library '" << library << "' does not exist";
    libraries.push_back(library);
  }
  FailureOr<std::optional<std::string>> runtime =
      findRuntimeLibrary(*lowered, loc);
  if (failed(runtime))
    return failure();
  if (*runtime)
    libraries.push_back(**runtime);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = codeGenLevel;
  engineOptions.sharedLibPaths = libraries;
  engineOptions.enableGDBNotificationListener = false;
  engineOptions.enablePerfNotificationListener = false;
  if (options.largePages) {
    compiled->memoryMapper = std::make_unique<LargePageMemoryMapper>();
    engineOptions.sectionMemoryMapper = compiled->memoryMapper.get();
  }
  auto engine = ExecutionEngine::create(*lowered, engineOptions,
                                        std::move(*targetMachine));
  if (!engine)
    return emitError(loc) << "JIT compilation of @" << entry.entry
                          << " failed: " << llvm::toString(engine.takeError());
  compiled->engine = std::move(*engine);
  if (!options.hostSymbols.empty())
    compiled->engine->registerSymbols(
        [&](llvm::orc::MangleAndInterner interner) {
          llvm::orc::SymbolMap symbols;
          for (const auto &[name, address] : options.hostSymbols)
            symbols[interner(name)] = {
                llvm::orc::ExecutorAddr::fromPtr(address),
                llvm::JITSymbolFlags::Exported};
          return symbols;
        });
  // The lookup links the compiled code: unresolved symbols show up here.
  auto packed = compiled->engine->lookupPacked(entry.entry);
  if (!packed)
    return emitError(loc) << "JIT compilation of @" << entry.entry
                          << " failed: " << llvm::toString(packed.takeError());
  compiled->engine->initialize();
  compiled->packedEntry = *packed;
  compiled->jitTime = secondsSince(start);

  size_t offset = 0, alignment = 1;
  for (const TensorSpec &spec : entry.outputs) {
    auto [size, align] = resultLayout(spec);
    offset = llvm::alignTo(offset, align);
    compiled->resultOffsets.push_back(offset);
    offset += size;
    alignment = std::max(alignment, align);
  }
  compiled->resultBytes = llvm::alignTo(offset, alignment);
  return compiled;
}

FailureOr<BatchPlan>
CompiledModule::plan(llvm::ArrayRef<NamedArray> inputs) const {
  llvm::Expected<BatchPlan> plan = planBatches(entrySignature, inputs);
  if (!plan)
    return emitError(entryLoc) << llvm::toString(plan.takeError());
  return *plan;
}

FailureOr<std::vector<Array>>
CompiledModule::call(llvm::ArrayRef<Array> inputs) {
  FailureOr<PreparedCall> prepared = prepare(inputs);
  if (failed(prepared))
    return failure();
  prepared->invoke();
  return prepared->takeResults();
}

FailureOr<std::vector<Array>>
CompiledModule::run(llvm::ArrayRef<NamedArray> inputs, ProgressFn progress) {
  FailureOr<BatchPlan> batches = plan(inputs);
  if (failed(batches))
    return failure();
  std::vector<std::vector<Array>> perBatch;
  for (int64_t index = 0; index < batches->numBatches; ++index) {
    FailureOr<std::vector<Array>> results =
        call(inputsOfBatch(*batches, inputs, index));
    if (failed(results))
      return failure();
    perBatch.push_back(std::move(*results));
    if (progress)
      progress(index + 1, batches->numBatches);
  }
  auto outputs = gatherOutputs(*batches, entrySignature, std::move(perBatch));
  if (!outputs)
    return emitError(entryLoc) << llvm::toString(outputs.takeError());
  return std::move(*outputs);
}

} // namespace qnn::runner
