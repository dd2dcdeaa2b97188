//===- Peers.cpp - The libraries qnn-mlir is measured against -------------===//
//
// OpenBLAS (sgemm, sgemv for one row), oneDNN (dnnl_sgemm,
// dnnl_gemm_u8s8s32) and XNNPACK (qs8 fully connected), each compiled in
// when CMake found it (QNN_BENCH_<LIBRARY>). Each contender checks its own
// results against the layer's references:
//
// - oneDNN u8s8s32 stops at the int32 accumulators (the bias passed as its
//   column offset): compared exactly;
// - XNNPACK qs8 takes int8 activations (u8 - 128 with zero point -128),
//   one weight scale for the whole matrix (this XNNPACK has no per-channel
//   qs8 fully connected; the mean scale) and requantizes in its own way:
//   compared within 1 with the same layer requantized in double;
// - the f32 libraries leave out the bias: compared within f32 rounding.
//
//===----------------------------------------------------------------------===//

#include "KernelBench.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

#ifdef QNN_BENCH_OPENBLAS
#include <cblas.h>
#endif
#ifdef QNN_BENCH_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif
#ifdef QNN_BENCH_OPENMP
#include <omp.h>
#endif
#ifdef QNN_BENCH_XNNPACK
#include <pthreadpool.h>
#include <xnnpack.h>
#endif

using namespace qnn::bench;

static std::vector<int64_t> widen(llvm::ArrayRef<int32_t> values) {
  return std::vector<int64_t>(values.begin(), values.end());
}

/// A contender that cannot run: `library` was not found at configure time.
[[maybe_unused]] static Contender missing(std::string name, bool isInt8,
                                          const std::string &library) {
  Contender contender;
  contender.name = std::move(name);
  contender.isInt8 = isInt8;
  contender.unavailable = library + " not found when qnn-kernel-bench was "
                                    "configured (scripts/install-deps.sh)";
  return contender;
}

#ifdef QNN_BENCH_XNNPACK
static pthreadpool_t xnnPool = nullptr;

/// XNNPACK's memory hooks: its packed weights (the aligned allocations) come
/// from allocatePeerMemory.
static const xnn_allocator xnnPeerAllocator = {
    /*context=*/nullptr,
    /*allocate=*/[](void *, size_t size) { return std::malloc(size); },
    /*reallocate=*/
    [](void *, void *pointer, size_t size) {
      return std::realloc(pointer, size);
    },
    /*deallocate=*/[](void *, void *pointer) { std::free(pointer); },
    /*aligned_allocate=*/
    [](void *, size_t alignment, size_t size) {
      return allocatePeerMemory(alignment, size);
    },
    /*aligned_deallocate=*/[](void *, void *pointer) { std::free(pointer); },
};
#endif

bool qnn::bench::initializePeers(int threads) {
#ifdef QNN_BENCH_OPENBLAS
  openblas_set_num_threads(threads);
#endif
#ifdef QNN_BENCH_OPENMP
  omp_set_num_threads(threads);
#endif
#ifdef QNN_BENCH_XNNPACK
  if (threads > 1)
    xnnPool = pthreadpool_create(threads);
  if (xnn_initialize(&xnnPeerAllocator) != xnn_status_success) {
    llvm::errs() << "qnn-kernel-bench: xnn_initialize failed\n";
    return false;
  }
#endif
  (void)threads;
  return true;
}

#ifdef QNN_BENCH_XNNPACK
namespace {
/// An XNNPACK operator with its buffers.
struct XnnLayer {
  xnn_operator_t op = nullptr;
  std::vector<int8_t> input, output;
  std::vector<int64_t> expected;
  ~XnnLayer() {
    if (op)
      xnn_delete_operator(op);
  }
};
} // namespace

static Contender xnnpackQs8(const Layer &layer) {
  int64_t m = layer.shape.m, k = layer.shape.k, n = layer.shape.n;
  auto state = std::make_shared<XnnLayer>();
  state->input.resize(m * k);
  state->output.resize(m * n);
  for (size_t i = 0; i < state->input.size(); ++i)
    state->input[i] = static_cast<int8_t>(layer.a[i] - 128);
  std::vector<int8_t> transposed(n * k);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      transposed[c * k + r] = layer.w[r * n + c];
  double meanScale = 0.0;
  for (double s : layer.wScales)
    meanScale += s / n;
  Contender contender;
  contender.name = "XNNPACK qs8";
  xnn_status status = xnn_create_fully_connected_nc_qs8(
      k, n, k, n, -128, layer.aScale, meanScale, transposed.data(),
      layer.bias.data(), static_cast<int8_t>(layer.outZeroPoint - 128),
      layer.outScale, -128, 127, 0, &state->op);
  if (status == xnn_status_success)
    status = xnn_setup_fully_connected_nc_qs8(state->op, m, state->input.data(),
                                              state->output.data(), xnnPool);
  if (status != xnn_status_success) {
    contender.unavailable = "XNNPACK refused the layer";
    return contender;
  }
  state->expected.resize(m * n);
  for (int64_t i = 0; i < m * n; ++i) {
    double real = layer.acc[i] * layer.aScale * meanScale / layer.outScale;
    state->expected[i] =
        std::clamp<double>(std::nearbyint(real) + layer.outZeroPoint, 0, 255);
  }
  contender.run = [state] { xnn_run_operator(state->op, xnnPool); };
  contender.check = [state] {
    std::vector<int64_t> got(state->output.size());
    for (size_t i = 0; i < got.size(); ++i)
      got[i] = state->output[i] + 128;
    return countMismatches(got, state->expected, 1);
  };
  return contender;
}
#endif

void qnn::bench::addPeerContenders(const Layer &layer, int threads,
                                   std::vector<Contender> &contenders) {
  int64_t m = layer.shape.m, k = layer.shape.k, n = layer.shape.n;
  (void)threads;
  (void)m;
  (void)k;
  (void)n;

#ifdef QNN_BENCH_DNNL
  {
    auto acc = std::make_shared<std::vector<int32_t>>(m * n);
    Contender contender;
    contender.name = "oneDNN u8s8s32";
    contender.run = [&layer, acc, m, n, k] {
      dnnl_gemm_u8s8s32('N', 'N', 'R', m, n, k, 1.0f, layer.a.data(), k, 0,
                        layer.w.data(), n, 0, 0.0f, acc->data(), n,
                        layer.bias.data());
    };
    contender.check = [&layer, acc] {
      return countMismatches(widen(*acc), widen(layer.acc), 0);
    };
    contenders.push_back(std::move(contender));
  }
#else
  contenders.push_back(missing("oneDNN u8s8s32", true, "oneDNN"));
#endif

#ifdef QNN_BENCH_XNNPACK
  contenders.push_back(xnnpackQs8(layer));
#else
  contenders.push_back(missing("XNNPACK qs8", true, "XNNPACK"));
#endif

#ifdef QNN_BENCH_OPENBLAS
  {
    auto out = std::make_shared<std::vector<float>>(m * n);
    Contender contender;
    contender.name = "OpenBLAS sgemm";
    contender.isInt8 = false;
    contender.run = [&layer, out, m, n, k] {
      if (m == 1)
        cblas_sgemv(CblasRowMajor, CblasTrans, k, n, 1.0f, layer.wf.data(), n,
                    layer.af.data(), 1, 0.0f, out->data(), 1);
      else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                    layer.af.data(), k, layer.wf.data(), n, 0.0f, out->data(),
                    n);
    };
    contender.check = [&layer, out] {
      return checkFloat(*out, layer, /*withBias=*/false);
    };
    contenders.push_back(std::move(contender));
  }
#else
  contenders.push_back(missing("OpenBLAS sgemm", false, "OpenBLAS"));
#endif

#ifdef QNN_BENCH_DNNL
  {
    auto out = std::make_shared<std::vector<float>>(m * n);
    Contender contender;
    contender.name = "oneDNN sgemm";
    contender.isInt8 = false;
    contender.run = [&layer, out, m, n, k] {
      dnnl_sgemm('N', 'N', m, n, k, 1.0f, layer.af.data(), k, layer.wf.data(),
                 n, 0.0f, out->data(), n);
    };
    contender.check = [&layer, out] {
      return checkFloat(*out, layer, /*withBias=*/false);
    };
    contenders.push_back(std::move(contender));
  }
#else
  contenders.push_back(missing("oneDNN sgemm", false, "oneDNN"));
#endif
}
