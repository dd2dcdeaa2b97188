//===- Pipelines.h - Registered qnn pass pipelines --------------*- C++ -*-===//
//
// The C++ embedding API: each pipeline is one populate function over an
// OpPassManager, with its options, registered once for textual pipelines
// (`qnn-opt --qnn-lower-to-llvm`).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_PIPELINES_PIPELINES_H
#define QNN_PIPELINES_PIPELINES_H

#include "qnn/Conversion/CPU/ContractionKernels.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Pass/PassOptions.h"

#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace qnn {

/// Options of `qnn-lower-to-llvm`.
struct LowerToLLVMOptions
    : public mlir::PassPipelineOptions<LowerToLLVMOptions> {
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize linalg ops (qnn-cpu-vectorize); "
                     "when false they become scalar loops"),
      llvm::cl::init(true)};
  Option<int64_t> vectorSize{
      *this, "vector-size",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of the innermost "
                     "parallel loop"),
      llvm::cl::init(16)};
  Option<int64_t> tileM{
      *this, "tile-m",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of matmul m and of "
                     "convolution output width"),
      llvm::cl::init(4)};
  Option<int64_t> tileK{
      *this, "tile-k",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of reduction loops"),
      llvm::cl::init(16)};
  Option<KernelTarget> target{
      *this, "target",
      llvm::cl::desc("qnn-cpu-contraction-kernels: instruction set of the "
                     "matmul kernels"),
      llvm::cl::init(KernelTarget::Auto), kernelTargetOptionValues()};
  Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("qnn-cpu-contraction-kernels: threads the large matmul "
                     "kernels are split across (OpenMP; the code then needs "
                     "libomp.so at run time)"),
      llvm::cl::init(1)};
  Option<bool> convertTosa{
      *this, "tosa",
      llvm::cl::desc("Lower TOSA ops to linalg/arith/tensor first"),
      llvm::cl::init(true)};
  Option<bool> reassociateFPReductions{
      *this, "reassociate-fp-reductions",
      llvm::cl::desc("Let LLVM reassociate floating-point vector "
                     "reductions (faster, results may differ in the last "
                     "bits)"),
      llvm::cl::init(false)};

  /// Describes what is wrong with the options (a non-positive tile size or
  /// thread count), if anything. The registered pipeline reports it when
  /// parsed.
  std::optional<std::string> findProblem() const;
};

/// Options of `qnn-pipeline`: those of qnn-quantize, qnn-fuse and
/// qnn-lower-to-llvm, with the same names and defaults.
struct QNNPipelineOptions
    : public mlir::PassPipelineOptions<QNNPipelineOptions> {
  Option<bool> convertTosa{
      *this, "tosa",
      llvm::cl::desc("Lower TOSA to linalg first (named ops before "
                     "qnn-quantize, the rest before convert-qnn-to-linalg)"),
      llvm::cl::init(true)};

  // qnn-quantize.
  Option<ActivationRangeMode> mode{
      *this, "mode",
      llvm::cl::desc("qnn-quantize: where activation ranges come from"),
      llvm::cl::init(ActivationRangeMode::Static),
      llvm::cl::values(
          clEnumValN(ActivationRangeMode::Static, "static",
                     "the statistics file (post-training calibration)"),
          clEnumValN(ActivationRangeMode::Dynamic, "dynamic",
                     "a min/max reduction at run time, per call"))};
  Option<std::string> statsFile{
      *this, "stats",
      llvm::cl::desc("qnn-quantize: JSON statistics file with the range of "
                     "every activation (mode=static)"),
      llvm::cl::init("")};
  Option<quantmath::Scheme> activationScheme{
      *this, "activation-scheme",
      llvm::cl::desc("qnn-quantize: how activations map to integers"),
      llvm::cl::init(quantmath::Scheme::Asymmetric),
      llvm::cl::values(
          clEnumValN(quantmath::Scheme::Symmetric, "symmetric", "zero point 0"),
          clEnumValN(quantmath::Scheme::Asymmetric, "asymmetric",
                     "min and max onto the integer range"))};
  Option<bool> activationSigned{
      *this, "activation-signed",
      llvm::cl::desc("qnn-quantize: store activations as int8 (default: "
                     "uint8)"),
      llvm::cl::init(false)};
  Option<quantmath::Scheme> weightScheme{
      *this, "weight-scheme",
      llvm::cl::desc("qnn-quantize: how weights map to integers"),
      llvm::cl::init(quantmath::Scheme::Symmetric),
      llvm::cl::values(clEnumValN(quantmath::Scheme::Symmetric, "symmetric",
                                  "zero point 0, scale = absmax / qmax"),
                       clEnumValN(quantmath::Scheme::Asymmetric, "asymmetric",
                                  "min and max onto the integer range"))};
  Option<WeightGranularity> weightGranularity{
      *this, "weight-granularity",
      llvm::cl::desc("qnn-quantize: which weights share one scale"),
      llvm::cl::init(WeightGranularity::PerChannel),
      llvm::cl::values(
          clEnumValN(WeightGranularity::PerTensor, "per-tensor",
                     "one scale for the whole tensor"),
          clEnumValN(WeightGranularity::PerChannel, "per-channel",
                     "one scale per output channel"),
          clEnumValN(WeightGranularity::PerGroup, "per-group",
                     "rejected by qnn-quantize: an int32 sum over input "
                     "channels takes one scale per output channel"))};
  Option<IntegerRangeKind> weightRange{
      *this, "weight-range",
      llvm::cl::desc("qnn-quantize: integer range of the signed weights"),
      llvm::cl::init(IntegerRangeKind::Auto),
      llvm::cl::values(
          clEnumValN(IntegerRangeKind::Auto, "auto",
                     "the compat mode's (narrow for compat=none)"),
          clEnumValN(IntegerRangeKind::Narrow, "narrow", "[-127, 127]"),
          clEnumValN(IntegerRangeKind::Full, "full", "[-128, 127]"))};
  Option<quantmath::RoundingMode> rounding{
      *this, "rounding",
      llvm::cl::desc("qnn-quantize: rounding of x / scale, for weights and "
                     "activations"),
      llvm::cl::init(quantmath::RoundingMode::HalfToEven),
      llvm::cl::values(clEnumValN(quantmath::RoundingMode::HalfToEven,
                                  "half-to-even", "ties to even (numpy, ONNX)"),
                       clEnumValN(quantmath::RoundingMode::HalfAwayFromZero,
                                  "half-away-from-zero",
                                  "ties away from zero (TFLite, gemmlowp)"))};
  ListOption<std::string> onlyOps{
      *this, "ops",
      llvm::cl::desc("qnn-quantize: quantize only these ops (op names or "
                     "value names)")};
  ListOption<std::string> excludeOps{
      *this, "exclude",
      llvm::cl::desc("qnn-quantize: keep these ops in fp32 (op names or "
                     "value names)")};
  // qnn-quantize: whose rules, and which calibration method.
  Option<quantmath::CompatMode> compat{
      *this, "compat",
      llvm::cl::desc("qnn-quantize: whose rules choose scales and zero "
                     "points"),
      llvm::cl::init(quantmath::CompatMode::None),
      llvm::cl::values(
          clEnumValN(quantmath::CompatMode::None, "none", "qnn-mlir's own"),
          clEnumValN(quantmath::CompatMode::PyTorch, "pytorch",
                     "torch.ao.quantization observers"),
          clEnumValN(quantmath::CompatMode::OnnxRuntime, "onnxruntime",
                     "onnxruntime.quantization compute_scale_zp"),
          clEnumValN(quantmath::CompatMode::TFLite, "tflite",
                     "TFLite's converter and FakeQuant nudging"))};
  Option<bool> activationReduceRange{
      *this, "activation-reduce-range",
      llvm::cl::desc("qnn-quantize: activations on one bit less"),
      llvm::cl::init(false)};
  Option<bool> weightReduceRange{
      *this, "weight-reduce-range",
      llvm::cl::desc("qnn-quantize: weights on one bit less"),
      llvm::cl::init(false)};
  Option<quantmath::CalibrationMethod> calibration{
      *this, "calibration",
      llvm::cl::desc("qnn-quantize: how an activation's range is chosen "
                     "from its statistics"),
      llvm::cl::init(quantmath::CalibrationMethod::MinMax),
      llvm::cl::values(
          clEnumValN(quantmath::CalibrationMethod::MinMax, "minmax",
                     "min and max"),
          clEnumValN(quantmath::CalibrationMethod::MovingAverage,
                     "moving-average", "moving averages of batch min/max"),
          clEnumValN(quantmath::CalibrationMethod::Percentile, "percentile",
                     "the `percentile` of the histogram"),
          clEnumValN(quantmath::CalibrationMethod::MSE, "mse",
                     "L2-optimal (PyTorch HistogramObserver)"),
          clEnumValN(quantmath::CalibrationMethod::Entropy, "entropy",
                     "KL divergence (TensorRT, ONNX Runtime)"))};
  Option<double> percentile{
      *this, "percentile",
      llvm::cl::desc("qnn-quantize: with calibration=percentile, the "
                     "percentile kept, in (0, 100]"),
      llvm::cl::init(99.99)};

  // qnn-fuse.
  Option<RescaleMode> rescale{
      *this, "rescale",
      llvm::cl::desc("qnn-fuse: arithmetic of the requantize ops it "
                     "creates"),
      llvm::cl::init(RescaleMode::FixedPoint),
      llvm::cl::values(clEnumValN(RescaleMode::FixedPoint, "fixed-point",
                                  "int32 multiplier and shift "
                                  "(gemmlowp/TFLite)"),
                       clEnumValN(RescaleMode::Float, "float",
                                  "dequantize and quantize in f32"))};
  Option<bool> foldZeroPoints{
      *this, "fold-zero-points",
      llvm::cl::desc("qnn-fuse: precompute the input zero point's "
                     "contribution with constant weights"),
      llvm::cl::init(true)};

  // qnn-lower-to-llvm.
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize linalg ops (qnn-cpu-vectorize); "
                     "when false they become scalar loops"),
      llvm::cl::init(true)};
  Option<int64_t> vectorSize{
      *this, "vector-size",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of the innermost "
                     "parallel loop"),
      llvm::cl::init(16)};
  Option<int64_t> tileM{
      *this, "tile-m",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of matmul m and of "
                     "convolution output width"),
      llvm::cl::init(4)};
  Option<int64_t> tileK{
      *this, "tile-k",
      llvm::cl::desc("qnn-cpu-vectorize: largest tile of reduction loops"),
      llvm::cl::init(16)};
  Option<KernelTarget> target{
      *this, "target",
      llvm::cl::desc("qnn-cpu-contraction-kernels: instruction set of the "
                     "matmul kernels"),
      llvm::cl::init(KernelTarget::Auto), kernelTargetOptionValues()};
  Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("qnn-cpu-contraction-kernels: threads the large matmul "
                     "kernels are split across (OpenMP; the code then needs "
                     "libomp.so at run time)"),
      llvm::cl::init(1)};
  Option<bool> reassociateFPReductions{
      *this, "reassociate-fp-reductions",
      llvm::cl::desc("Let LLVM reassociate floating-point vector "
                     "reductions (faster, results may differ in the last "
                     "bits)"),
      llvm::cl::init(false)};

  /// The options of each stage (pipeline options cannot be copied, so the
  /// lowering's are written into `lowerOptions`).
  QNNQuantizeOptions getQuantizeOptions() const;
  QNNFuseOptions getFuseOptions() const;
  void getLowerToLLVMOptions(LowerToLLVMOptions &lowerOptions) const;
};

/// Lowers a module of func + linalg/tosa/arith on tensors, possibly holding
/// qnn ops and `quant.dcast`, to the LLVM dialect: TOSA to linalg,
/// convert-qnn-to-linalg, elementwise arith to linalg, tiling and
/// vectorization (qnn-cpu-vectorize), one-shot bufferization across function
/// boundaries (identity layouts), buffer deallocation, and the conversions
/// to LLVM. The result runs under `mlir-runner` and translates with
/// `mlir-translate --mlir-to-llvmir`. `pm` must be anchored on
/// `builtin.module`.
void populateLowerToLLVMPipeline(mlir::OpPassManager &pm,
                                 const LowerToLLVMOptions &options);

/// Quantizes an fp32 module (func + linalg/tosa/arith on tensors) to int8
/// and lowers it to the LLVM dialect: tosa-to-linalg-named (so that TOSA
/// convolutions and matmuls reach qnn-quantize as linalg), qnn-quantize,
/// qnn-fuse, canonicalize and cse, then the qnn-lower-to-llvm stages. `pm`
/// must be anchored on `builtin.module`.
void populateQNNPipeline(mlir::OpPassManager &pm,
                         const QNNPipelineOptions &options);

/// Registers every qnn pipeline for textual pass pipelines.
void registerPipelines();

} // namespace qnn

#endif // QNN_PIPELINES_PIPELINES_H
