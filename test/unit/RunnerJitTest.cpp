//===- RunnerJitTest.cpp - CompiledModule from C++ ------------------------===//
//
// The in-process JIT as a library user sees it: modules parsed from text,
// compiled, called on arrays; results of every kind (fresh buffers, an
// argument passed back, a constant, scalars); diagnostics for what cannot
// be called.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/CompiledModule.h"
#include "qnn/Runner/Session.h"

#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace qnn::runner;

#if defined(__SANITIZE_ADDRESS__)
#define QNN_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QNN_ADDRESS_SANITIZER 1
#endif
#endif
#ifdef QNN_ADDRESS_SANITIZER
// LeakSanitizer would report MLIR's process-lifetime singletons (the lit
// suite and ctest disable it the same way) and fail the test discovery.
extern "C" const char *__asan_default_options() { return "detect_leaks=0"; }
#endif

namespace {

class RunnerJit : public ::testing::Test {
protected:
  RunnerJit() : diagnosticStream(diagnostics), session(diagnosticStream) {}

  /// Parses and compiles `source`; null (with `diagnostics` set) on failure.
  std::unique_ptr<CompiledModule> compile(llvm::StringRef source,
                                          llvm::StringRef entry) {
    module = mlir::parseSourceString<mlir::ModuleOp>(
        source, &session.getContext(), "test.mlir");
    if (!module)
      return nullptr;
    CompileOptions options;
    options.entry = entry.str();
    auto compiled = session.compile(*module, options);
    return mlir::succeeded(compiled) ? std::move(*compiled) : nullptr;
  }

  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream;
  Session session;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

Array iota(DType dtype, llvm::ArrayRef<int64_t> shape) {
  Array array(dtype, shape);
  for (int64_t i = 0; i < array.numElements(); ++i)
    array.values<float>()[i] = static_cast<float>(i);
  return array;
}

constexpr llvm::StringLiteral kDouble = R"mlir(
func.func @double(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = arith.addf %x, %x : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
)mlir";

TEST_F(RunnerJit, CallsAndBatches) {
  auto compiled = compile(kDouble, "double");
  ASSERT_TRUE(compiled) << diagnostics;
  EXPECT_EQ(compiled->signature().inputs[0].typeText, "tensor<2x3xf32>");

  auto once = compiled->call({iota(DType::Float32, {2, 3})});
  ASSERT_TRUE(mlir::succeeded(once)) << diagnostics;
  ASSERT_EQ(once->size(), 1u);
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_EQ((*once)[0].values<float>()[i], 2.0f * i);

  // Five samples: batches of 2, 2 and 1 (+1 padding row).
  std::vector<int64_t> progress;
  auto run = compiled->run({{"x", iota(DType::Float32, {5, 3})}},
                           [&](int64_t done, int64_t total) {
                             progress.push_back(done);
                             EXPECT_EQ(total, 3);
                           });
  ASSERT_TRUE(mlir::succeeded(run)) << diagnostics;
  EXPECT_EQ((*run)[0].shape(), llvm::ArrayRef<int64_t>({5, 3}));
  for (int64_t i = 0; i < 15; ++i)
    EXPECT_EQ((*run)[0].values<float>()[i], 2.0f * i);
  EXPECT_EQ(progress, (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(RunnerJit, EveryKindOfResult) {
  constexpr llvm::StringLiteral source = R"mlir(
func.func @mixed(%x: tensor<4xf32>, %n: i32) -> (tensor<4xf32>, tensor<4xf32>, tensor<2xi32>, i32, tensor<4xi1>, tensor<f64>) {
  %k = arith.constant dense<[7, -7]> : tensor<2xi32>
  %m = arith.muli %n, %n : i32
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %pos = arith.cmpf ogt, %x, %zero : tensor<4xf32>
  %s = arith.constant dense<1.5> : tensor<f64>
  %y = arith.negf %x : tensor<4xf32>
  return %x, %y, %k, %m, %pos, %s : tensor<4xf32>, tensor<4xf32>, tensor<2xi32>, i32, tensor<4xi1>, tensor<f64>
}
)mlir";
  auto compiled = compile(source, "mixed");
  ASSERT_TRUE(compiled) << diagnostics;
  Array x(DType::Float32, {4});
  x.values<float>()[0] = -1;
  x.values<float>()[1] = 2;
  x.values<float>()[2] = 0;
  x.values<float>()[3] = 3;
  Array n(DType::Int32, {});
  n.values<int32_t>()[0] = 9;
  // Repeatedly, so that a double free or a leak of the argument passed back
  // or the constant would show (under the sanitizers at least).
  for (int repeat = 0; repeat < 3; ++repeat) {
    auto results = compiled->call({x, n});
    ASSERT_TRUE(mlir::succeeded(results)) << diagnostics;
    ASSERT_EQ(results->size(), 6u);
    EXPECT_TRUE((*results)[0] == x);
    EXPECT_EQ((*results)[1].values<float>()[1], -2.0f);
    EXPECT_EQ((*results)[2].values<int32_t>()[1], -7);
    EXPECT_EQ((*results)[3].rank(), 0);
    EXPECT_EQ((*results)[3].values<int32_t>()[0], 81);
    EXPECT_EQ((*results)[4].dtype(), DType::Bool);
    EXPECT_EQ((*results)[4].values<uint8_t>(),
              llvm::ArrayRef<uint8_t>({0, 1, 0, 1}));
    EXPECT_EQ((*results)[5].values<double>()[0], 1.5);
  }
}

TEST_F(RunnerJit, MemrefFunctionsAndDynamicShapes) {
  constexpr llvm::StringLiteral source = R"mlir(
func.func @scale(%x: memref<?x2xf32>) -> memref<?x2xf32> {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x2xf32>
  %y = memref.alloc(%n) : memref<?x2xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<?x2xf32>) outs(%y : memref<?x2xf32>) {
  ^bb0(%a: f32, %b: f32):
    %c = arith.mulf %a, %a : f32
    linalg.yield %c : f32
  }
  return %y : memref<?x2xf32>
}
)mlir";
  auto compiled = compile(source, "scale");
  ASSERT_TRUE(compiled) << diagnostics;
  auto results = compiled->run({{"x", iota(DType::Float32, {7, 2})}});
  ASSERT_TRUE(mlir::succeeded(results)) << diagnostics;
  EXPECT_EQ((*results)[0].shape(), llvm::ArrayRef<int64_t>({7, 2}));
  EXPECT_EQ((*results)[0].values<float>()[13], 169.0f);
}

TEST_F(RunnerJit, DiagnosticsForWhatCannotBeCalled) {
  EXPECT_FALSE(compile(kDouble, "nope"));
  EXPECT_NE(diagnostics.find("no function @nope in the module (functions: "
                             "@double)"),
            std::string::npos)
      << diagnostics;

  diagnostics.clear();
  EXPECT_FALSE(compile(R"mlir(
func.func @u(%x: tensor<*xf32>) -> tensor<*xf32> { return %x : tensor<*xf32> }
)mlir",
                       "u"));
  EXPECT_NE(diagnostics.find("argument 0 of @u has type 'tensor<*xf32>'; the "
                             "runner passes ranked tensors, memrefs and "
                             "scalars"),
            std::string::npos)
      << diagnostics;

  diagnostics.clear();
  EXPECT_FALSE(compile(R"mlir(
func.func @b(%x: tensor<2xbf16>) -> tensor<2xbf16> { return %x : tensor<2xbf16> }
)mlir",
                       "b"));
  EXPECT_NE(diagnostics.find("argument 0 of @b has type 'tensor<2xbf16>'"),
            std::string::npos)
      << diagnostics;

  diagnostics.clear();
  EXPECT_FALSE(compile(R"mlir(
llvm.func @l() { llvm.return }
)mlir",
                       "l"));
  EXPECT_NE(diagnostics.find("@l is already in the LLVM dialect"),
            std::string::npos)
      << diagnostics;

  diagnostics.clear();
  auto compiled = compile(kDouble, "double");
  ASSERT_TRUE(compiled);
  EXPECT_TRUE(mlir::failed(compiled->call({iota(DType::Float32, {3, 2})})));
  EXPECT_NE(diagnostics.find("input 0 is a 3x2 float32 array; @double takes "
                             "tensor<2x3xf32>"),
            std::string::npos)
      << diagnostics;
}

} // namespace
