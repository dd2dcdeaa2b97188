//===- RunnerLargePagesTest.cpp - The JIT's data in 2 MiB pages -----------===//
//
// LargePageMemoryMapper: large data blocks are 2 MiB-aligned and advised
// into transparent huge pages (the kernel's own view, /proc/self/smaps'
// THPeligible, says whether the advice took); code and small blocks are
// ordinary mappings. Then a module whose constant is megabytes, compiled
// with and without the mapper, computes the same exact results.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/CompiledModule.h"
#include "qnn/Runner/LargePageMemoryMapper.h"
#include "qnn/Runner/Session.h"

#include "mlir/Parser/Parser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Memory.h"

#include "gtest/gtest.h"

#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

using namespace qnn::runner;
using llvm::SectionMemoryManager;
using llvm::sys::Memory;
using llvm::sys::MemoryBlock;

namespace {

/// Linux's transparent-huge-page policy ("always", "madvise" or "never"),
/// or nothing where the kernel has none.
std::optional<std::string> hugePagePolicy() {
  std::ifstream file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string text;
  if (!std::getline(file, text))
    return std::nullopt;
  size_t open = text.find('['), close = text.find(']');
  if (open == std::string::npos || close == std::string::npos)
    return std::nullopt;
  return text.substr(open + 1, close - open - 1);
}

/// The THPeligible field of the mapping that holds `address`
/// (/proc/self/smaps), or -1 when it is not found.
int hugePageEligible(const void *address) {
  auto target = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inMapping = false;
  while (std::getline(smaps, line)) {
    unsigned long start, end;
    char dash;
    std::istringstream header(line);
    if (header >> std::hex >> start >> dash >> end && dash == '-') {
      inMapping = start <= target && target < end;
      continue;
    }
    if (inMapping && line.rfind("THPeligible:", 0) == 0)
      return std::stoi(line.substr(line.find(':') + 1));
  }
  return -1;
}

constexpr unsigned kReadWrite = Memory::MF_READ | Memory::MF_WRITE;

TEST(LargePageMemoryMapper, LargeDataBlocksAreAlignedAndAdvised) {
  LargePageMemoryMapper mapper;
  std::error_code error;
  MemoryBlock block = mapper.allocateMappedMemory(
      SectionMemoryManager::AllocationPurpose::ROData, 3 << 20, nullptr,
      kReadWrite, error);
  ASSERT_FALSE(error) << error.message();
  ASSERT_NE(block.base(), nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(block.base()) % kLargePageBytes, 0u);
  EXPECT_EQ(block.allocatedSize(), 2 * kLargePageBytes);
  // The JIT copies the sections in, then makes them read-only.
  auto *bytes = static_cast<unsigned char *>(block.base());
  for (size_t i = 0; i < block.allocatedSize(); ++i)
    bytes[i] = static_cast<unsigned char>(i * 7);
  EXPECT_FALSE(mapper.protectMappedMemory(block, Memory::MF_READ));
  EXPECT_EQ(bytes[block.allocatedSize() - 1],
            static_cast<unsigned char>((block.allocatedSize() - 1) * 7));
  std::optional<std::string> policy = hugePagePolicy();
  if (policy && *policy != "never")
    EXPECT_EQ(hugePageEligible(block.base()), 1);
  EXPECT_FALSE(mapper.releaseMappedMemory(block));
}

TEST(LargePageMemoryMapper, CodeAndSmallBlocksAreOrdinary) {
  std::optional<std::string> policy = hugePagePolicy();
  LargePageMemoryMapper mapper;
  for (auto [purpose, size] :
       {std::pair(SectionMemoryManager::AllocationPurpose::Code, 4 << 20),
        std::pair(SectionMemoryManager::AllocationPurpose::RWData, 64 << 10)}) {
    std::error_code error;
    MemoryBlock block =
        mapper.allocateMappedMemory(purpose, size, nullptr, kReadWrite, error);
    ASSERT_FALSE(error) << error.message();
    ASSERT_NE(block.base(), nullptr);
    static_cast<char *>(block.base())[0] = 1;
    // Under "madvise" only advised mappings may get huge pages.
    if (policy == "madvise")
      EXPECT_EQ(hugePageEligible(block.base()), 0);
    EXPECT_FALSE(mapper.releaseMappedMemory(block));
  }
}

constexpr int64_t kElements = 1 << 20;

/// y = x + w with w a 4 MiB constant: w[i] = (i % 1000) / 4, stored as a
/// resource blob (hex, little-endian floats).
std::string largeConstantModule() {
  std::string hex = "0x04000000";
  hex.reserve(hex.size() + 8 * kElements);
  for (int64_t i = 0; i < kElements; ++i) {
    float value = static_cast<float>(i % 1000) / 4.0f;
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    for (int byte = 0; byte < 4; ++byte) {
      unsigned octet = (bits >> (8 * byte)) & 0xff;
      hex += llvm::hexdigit(octet >> 4);
      hex += llvm::hexdigit(octet & 0xf);
    }
  }
  return R"mlir(
func.func @add(%x: tensor<1048576xf32>) -> tensor<1048576xf32> {
  %w = arith.constant dense_resource<weights> : tensor<1048576xf32>
  %y = arith.addf %x, %w : tensor<1048576xf32>
  return %y : tensor<1048576xf32>
}
{-#
  dialect_resources: { builtin: { weights: ")mlir" +
         hex + R"mlir(" } }
#-}
)mlir";
}

TEST(LargePageMemoryMapper, JitCompiledConstantsAreRight) {
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  Session session(diagnosticStream);
  std::string source = largeConstantModule();
  Array x(DType::Float32, {kElements});
  for (int64_t i = 0; i < kElements; ++i)
    x.values<float>()[i] = static_cast<float>(i);
  for (bool largePages : {true, false}) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(
        source, &session.getContext(), "large.mlir");
    ASSERT_TRUE(module) << diagnostics;
    CompileOptions options;
    options.entry = "add";
    options.largePages = largePages;
    auto compiled = session.compile(*module, options);
    ASSERT_TRUE(mlir::succeeded(compiled)) << diagnostics;
    auto results = (*compiled)->call({x});
    ASSERT_TRUE(mlir::succeeded(results)) << diagnostics;
    llvm::ArrayRef<float> y = (*results)[0].values<float>();
    int64_t wrong = 0;
    for (int64_t i = 0; i < kElements; ++i)
      wrong += y[i] != static_cast<float>(i) + (i % 1000) / 4.0f;
    EXPECT_EQ(wrong, 0) << "largePages=" << largePages;
  }
}

} // namespace
