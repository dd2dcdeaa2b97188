//===- MemoryCeiling.cpp - How fast one core reads weights from memory ----===//
//
// A cold matvec can go no faster than one core reads its weights from
// memory. These contenders read 16 MiB (the int8 weights of 1x4096x4096)
// evicted from the caches in the pattern of qnn's matvec kernel (blocks of
// 8 panels of 64 KiB, the 8 read side by side, a 64-byte line at a time),
// once in 4 KiB pages (malloc's) and once in 2 MiB pages (as qnn's JIT maps
// weights): the ceiling of a cold int8 matvec is that rate at one
// multiply-add per byte, and the gap between the two is what the page size
// alone is worth.
//
//===----------------------------------------------------------------------===//

#include "KernelBench.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

using namespace qnn::bench;

namespace {
constexpr size_t kWeightBytes = size_t(16) << 20;
constexpr size_t kPanelBytes = size_t(64) << 10;
constexpr size_t kPanelsPerBlock = 8;
constexpr size_t kLineBytes = 64;

struct FreeDeleter {
  void operator()(char *memory) const { std::free(memory); }
};
using Buffer = std::unique_ptr<char, FreeDeleter>;

/// Reads one word of every line of `weights` in the kernel's order; the sum
/// keeps the loads alive.
uint64_t readLikeTheKernel(const char *weights) {
  uint64_t sums[kPanelsPerBlock] = {};
  for (size_t block = 0; block < kWeightBytes;
       block += kPanelsPerBlock * kPanelBytes)
    for (size_t offset = 0; offset < kPanelBytes; offset += kLineBytes)
      for (size_t panel = 0; panel < kPanelsPerBlock; ++panel)
        sums[panel] += *reinterpret_cast<const volatile uint64_t *>(
            weights + block + panel * kPanelBytes + offset);
  uint64_t total = 0;
  for (uint64_t sum : sums)
    total += sum;
  return total;
}

Contender reader(std::string name, Buffer buffer) {
  Contender contender;
  contender.name = std::move(name);
  if (!buffer) {
    contender.unavailable = "out of memory";
    return contender;
  }
  // Written once, so the pages exist (and are huge where advised).
  for (size_t i = 0; i < kWeightBytes; ++i)
    buffer.get()[i] = static_cast<char>(i * 31);
  uint64_t expected = readLikeTheKernel(buffer.get());
  auto state = std::make_shared<std::pair<Buffer, uint64_t>>(std::move(buffer),
                                                             expected);
  auto got = std::make_shared<uint64_t>(0);
  contender.run = [state, got] {
    *got = readLikeTheKernel(state->first.get());
  };
  contender.check = [state, got] {
    return *got == state->second ? std::string("bit-exact")
                                 : std::string("wrong sum");
  };
  return contender;
}
} // namespace

size_t qnn::bench::memoryCeilingBytes() { return kWeightBytes; }

std::vector<Contender> qnn::bench::memoryCeilingContenders() {
  std::vector<Contender> contenders;
  contenders.push_back(
      reader("4 KiB pages", Buffer(static_cast<char *>(std::aligned_alloc(
                                kLineBytes, kWeightBytes)))));
  contenders.push_back(
      reader("2 MiB pages",
             Buffer(static_cast<char *>(allocateInLargePages(kWeightBytes)))));
  return contenders;
}
