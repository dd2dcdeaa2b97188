//===- QnnLayers.cpp - The layers compiled by qnn-mlir --------------------===//
//
// The benchmarked layers as qnn-mlir compiles them in real use: the int8
// layer in the form qnn-fuse leaves a dense layer (qnn.matmul on constant
// weights with the int32 bias, then qnn.requantize into u8), the f32 layer
// as linalg on tensors (matmul on constant weights, then the bias add),
// both lowered by qnn-lower-to-llvm and JIT-compiled by the runner library,
// then called through PreparedCall so that the compiled function alone is
// timed.
//
//===----------------------------------------------------------------------===//

#include "KernelBench.h"

#include "qnn/Runner/CompiledModule.h"
#include "qnn/Runner/Session.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <memory>
#include <optional>

using namespace mlir;
using namespace qnn;
using namespace qnn::bench;

/// A scale in full (17 significant digits: the double round-trips).
static std::string formatScale(double scale) {
  return llvm::formatv("{0:e16}", scale).str();
}

static std::string int8ModuleText(const Layer &layer) {
  int64_t m = layer.shape.m, k = layer.shape.k, n = layer.shape.n;
  std::string wScales, accScales;
  for (int64_t c = 0; c < n; ++c) {
    wScales += (c ? ", " : "") + formatScale(layer.wScales[c]);
    accScales += (c ? ", " : "") + formatScale(layer.aScale * layer.wScales[c]);
  }
  std::string aType =
      llvm::formatv("tensor<{0}x{1}x!quant.uniform<u8:f32, {2}>>", m, k,
                    formatScale(layer.aScale));
  std::string wType = llvm::formatv(
      "tensor<{0}x{1}x!quant.uniform<i8<-127:127>:f32:1, {{{2}}>>", k, n,
      wScales);
  std::string biasType = llvm::formatv(
      "tensor<{0}x!quant.uniform<i32:f32:0, {{{1}}>>", n, accScales);
  std::string accType = llvm::formatv(
      "tensor<{0}x{1}x!quant.uniform<i32:f32:1, {{{2}}>>", m, n, accScales);
  std::string outType =
      llvm::formatv("tensor<{0}x{1}x!quant.uniform<u8:f32, {2}:{3}>>", m, n,
                    formatScale(layer.outScale), layer.outZeroPoint);
  std::string text;
  llvm::raw_string_ostream os(text);
  // The constants are splat placeholders, replaced by setConstants.
  os << "func.func @main(%a: " << aType << ") -> " << outType << " {\n"
     << "  %w = qnn.constant dense<0> : tensor<" << k << "x" << n << "xi8> -> "
     << wType << "\n"
     << "  %b = qnn.constant dense<0> : tensor<" << n << "xi32> -> " << biasType
     << "\n"
     << "  %acc = qnn.matmul %a, %w, %b : (" << aType << ", " << wType << ", "
     << biasType << ") -> " << accType << "\n"
     << "  %y = qnn.requantize %acc : " << accType << " -> " << outType << "\n"
     << "  return %y : " << outType << "\n}\n";
  return text;
}

static std::string f32ModuleText(const Layer &layer) {
  int64_t m = layer.shape.m, k = layer.shape.k, n = layer.shape.n;
  std::string mk = llvm::formatv("tensor<{0}x{1}xf32>", m, k);
  std::string kn = llvm::formatv("tensor<{0}x{1}xf32>", k, n);
  std::string mn = llvm::formatv("tensor<{0}x{1}xf32>", m, n);
  std::string vn = llvm::formatv("tensor<{0}xf32>", n);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "func.func @main(%a: " << mk << ") -> " << mn << " {\n"
     << "  %w = arith.constant dense<0.0> : " << kn << "\n"
     << "  %b = arith.constant dense<0.0> : " << vn << "\n"
     << "  %zero = arith.constant 0.0 : f32\n"
     << "  %e = tensor.empty() : " << mn << "\n"
     << "  %z = linalg.fill ins(%zero : f32) outs(%e : " << mn << ") -> " << mn
     << "\n"
     << "  %mm = linalg.matmul ins(%a, %w : " << mk << ", " << kn
     << ") outs(%z : " << mn << ") -> " << mn << "\n"
     << "  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, "
        "j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], "
        "iterator_types = [\"parallel\", \"parallel\"]} ins(%mm, %b : "
     << mn << ", " << vn << ") outs(%e : " << mn << ") {\n"
     << "  ^bb0(%x: f32, %c: f32, %o: f32):\n"
     << "    %s = arith.addf %x, %c : f32\n"
     << "    linalg.yield %s : f32\n"
     << "  } -> " << mn << "\n"
     << "  return %y : " << mn << "\n}\n";
  return text;
}

/// Replaces the splat placeholders of the constants (in textual order: the
/// weights, then the bias) by `values`: a 4096 x 4096 matrix is better
/// built as an attribute than printed and parsed.
static bool setConstants(ModuleOp module, ArrayRef<DenseElementsAttr> values) {
  size_t next = 0;
  module.walk([&](Operation *op) {
    StringRef name = op->getName().getStringRef();
    if (name != "qnn.constant" && name != "arith.constant")
      return;
    auto current = dyn_cast_or_null<DenseElementsAttr>(op->getAttr("value"));
    if (!current || !current.isSplat() || next >= values.size() ||
        current.getType() != values[next].getType())
      return;
    op->setAttr("value", values[next++]);
  });
  return next == values.size();
}

namespace {
/// A compiled layer and the call being timed.
struct QnnLayer {
  std::unique_ptr<runner::CompiledModule> module;
  runner::Array input;
  std::optional<runner::PreparedCall> call;
  std::vector<runner::Array> results;
};
} // namespace

static Contender
compile(runner::Session &session, std::string name, bool isInt8,
        const std::string &text, ArrayRef<DenseElementsAttr> constants,
        runner::Array input, const runner::CompileOptions &options,
        std::function<std::string(const runner::Array &)> checkResult) {
  Contender contender;
  contender.name = std::move(name);
  contender.isInt8 = isInt8;
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, &session.getContext());
  if (!module || !setConstants(*module, constants)) {
    contender.unavailable = "the generated module is malformed";
    return contender;
  }
  auto compiled = session.compile(*module, options);
  if (failed(compiled)) {
    contender.unavailable = "qnn-mlir failed to compile the layer";
    return contender;
  }
  auto state = std::make_shared<QnnLayer>();
  state->module = std::move(*compiled);
  state->input = std::move(input);
  contender.prepare = [state] {
    state->call.emplace(std::move(*state->module->prepare({state->input})));
  };
  contender.run = [state] { state->call->invoke(); };
  contender.finish = [state] {
    state->results = state->call->takeResults();
    state->call.reset();
  };
  contender.check = [state, checkResult] {
    if (state->results.size() != 1)
      return std::string("no result");
    return checkResult(state->results[0]);
  };
  return contender;
}

Contender qnn::bench::compileQnnInt8(runner::Session &session,
                                     const Layer &layer,
                                     const runner::CompileOptions &options) {
  int64_t m = layer.shape.m, k = layer.shape.k, n = layer.shape.n;
  MLIRContext &context = session.getContext();
  runner::Array input(runner::DType::UInt8, {m, k});
  std::memcpy(input.data(), layer.a.data(), layer.a.size());
  auto weightsType =
      RankedTensorType::get({k, n}, IntegerType::get(&context, 8));
  auto biasType = RankedTensorType::get({n}, IntegerType::get(&context, 32));
  DenseElementsAttr weights = DenseElementsAttr::getFromRawBuffer(
      weightsType,
      ArrayRef<char>(reinterpret_cast<const char *>(layer.w.data()),
                     layer.w.size()));
  DenseElementsAttr bias =
      DenseElementsAttr::get(biasType, ArrayRef<int32_t>(layer.bias));
  return compile(session, "qnn int8", /*isInt8=*/true, int8ModuleText(layer),
                 {weights, bias}, std::move(input), options,
                 [&layer](const runner::Array &result) {
                   std::vector<int64_t> got,
                       expected(layer.out.begin(), layer.out.end());
                   for (uint8_t v : result.values<uint8_t>())
                     got.push_back(v);
                   return countMismatches(got, expected, 0);
                 });
}

Contender qnn::bench::compileQnnF32(runner::Session &session,
                                    const Layer &layer,
                                    const runner::CompileOptions &options) {
  int64_t m = layer.shape.m, k = layer.shape.k, n = layer.shape.n;
  MLIRContext &context = session.getContext();
  runner::Array input(runner::DType::Float32, {m, k});
  std::memcpy(input.data(), layer.af.data(), layer.af.size() * sizeof(float));
  auto f32 = Float32Type::get(&context);
  auto weightsType = RankedTensorType::get({k, n}, f32);
  auto biasType = RankedTensorType::get({n}, f32);
  DenseElementsAttr weights = DenseElementsAttr::getFromRawBuffer(
      weightsType,
      ArrayRef<char>(reinterpret_cast<const char *>(layer.wf.data()),
                     layer.wf.size() * sizeof(float)));
  DenseElementsAttr bias =
      DenseElementsAttr::get(biasType, ArrayRef<float>(layer.biasf));
  return compile(session, "qnn f32", /*isInt8=*/false, f32ModuleText(layer),
                 {weights, bias}, std::move(input), options,
                 [&layer](const runner::Array &result) {
                   return checkFloat(result.values<float>(), layer,
                                     /*withBias=*/true);
                 });
}
