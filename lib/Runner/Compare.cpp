//===- Compare.cpp - One model's outputs against another's ----------------===//

#include "qnn/Runner/Compare.h"

#include "qnn/Quant/ErrorStats.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatAdapters.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace qnn::runner {

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 message.str().c_str());
}

std::vector<int64_t> top1(const Array &output) {
  int64_t rows = output.shape()[0];
  int64_t classes = rows ? output.numElements() / rows : 0;
  std::vector<int64_t> best(rows, 0);
  for (int64_t row = 0; row < rows; ++row) {
    double bestValue = 0.0;
    for (int64_t c = 0; c < classes; ++c) {
      double value = output.elementAsDouble(row * classes + c);
      if (std::isnan(value)) {
        best[row] = c;
        break;
      }
      if (c == 0 || value > bestValue) {
        best[row] = c;
        bestValue = value;
      }
    }
  }
  return best;
}

llvm::Expected<std::vector<int64_t>>
labelsOf(const Array &labels, int64_t samples, llvm::StringRef sourceName) {
  if (isFloatingPoint(labels.dtype()) || labels.dtype() == DType::Bool)
    return fail(llvm::formatv("{0}: labels must be integers, not {1}",
                              sourceName, dtypeName(labels.dtype())));
  bool column = labels.rank() == 2 && labels.shape()[1] == 1;
  if (labels.rank() != 1 && !column)
    return fail(llvm::formatv("{0}: labels must have shape [N] or [N, 1], "
                              "not {1}",
                              sourceName, formatShape(labels.shape())));
  if (labels.shape()[0] != samples)
    return fail(llvm::formatv("{0}: {1} labels for {2} samples", sourceName,
                              labels.shape()[0], samples));
  std::vector<int64_t> values(samples);
  for (int64_t i = 0; i < samples; ++i)
    values[i] = static_cast<int64_t>(labels.elementAsDouble(i));
  return values;
}

static double agreement(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  if (a.empty())
    return 0.0;
  int64_t same = 0;
  for (auto [x, y] : llvm::zip_equal(a, b))
    same += x == y;
  return static_cast<double>(same) / a.size();
}

llvm::Expected<OutputComparison>
compareOutput(llvm::StringRef name, const Array &reference,
              const Array &candidate, const std::vector<int64_t> *labels) {
  if (reference.dtype() != candidate.dtype() ||
      reference.shape() != candidate.shape())
    return fail(llvm::formatv(
        "{0}: cannot compare a {1} {2} output with a "
        "{3} {4} one",
        name, formatShape(candidate.shape()), dtypeName(candidate.dtype()),
        formatShape(reference.shape()), dtypeName(reference.dtype())));
  OutputComparison result;
  result.name = name.str();
  result.dtype = reference.dtype();
  result.shape.assign(reference.shape().begin(), reference.shape().end());

  std::vector<float> ref(reference.numElements()), got(ref.size());
  for (size_t i = 0; i < ref.size(); ++i) {
    ref[i] = static_cast<float>(reference.elementAsDouble(i));
    got[i] = static_cast<float>(candidate.elementAsDouble(i));
  }
  quantmath::ErrorStats stats = quantmath::computeErrorStats(ref, got);
  result.maxAbsError = stats.maxAbs;
  result.meanAbsError = stats.meanAbs;
  result.sqnrDb = stats.sqnrDb;

  if (reference.rank() >= 1)
    result.samples = reference.shape()[0];
  if (reference.rank() < 2)
    return result;
  std::vector<int64_t> refTop = top1(reference), gotTop = top1(candidate);
  result.top1Agreement = agreement(refTop, gotTop);
  if (labels) {
    if (static_cast<int64_t>(labels->size()) != result.samples)
      return fail(llvm::formatv("{0}: {1} labels for {2} samples", name,
                                labels->size(), result.samples));
    result.referenceAccuracy = agreement(refTop, *labels);
    result.candidateAccuracy = agreement(gotTop, *labels);
  }
  return result;
}

/// JSON has no infinities: write them (and NaN) as strings.
static llvm::json::Value number(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  return value;
}

static llvm::json::Value optionalNumber(const std::optional<double> &value) {
  return value ? number(*value) : llvm::json::Value(nullptr);
}

llvm::json::Value toJSON(const EvalReport &report) {
  llvm::json::Array outputs;
  for (const OutputComparison &output : report.outputs)
    outputs.push_back(llvm::json::Object{
        {"name", output.name},
        {"dtype", dtypeName(output.dtype)},
        {"shape", llvm::json::Array(output.shape)},
        {"max_abs_error", number(output.maxAbsError)},
        {"mean_abs_error", number(output.meanAbsError)},
        {"sqnr_db", number(output.sqnrDb)},
        {"top1_agreement", optionalNumber(output.top1Agreement)},
        {"reference_accuracy", optionalNumber(output.referenceAccuracy)},
        {"candidate_accuracy", optionalNumber(output.candidateAccuracy)},
    });
  return llvm::json::Object{{"reference", report.referenceName},
                            {"candidate", report.candidateName},
                            {"samples", report.samples},
                            {"outputs", std::move(outputs)}};
}

/// "97.50%", or "-" when there is nothing to show.
static std::string percent(const std::optional<double> &value) {
  return value ? llvm::formatv("{0:F2}%", *value * 100).str() : "";
}

/// Four significant digits ("0.3695", "1.234e-05").
static std::string significant(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.4g", value);
  return text;
}

void printEvalReport(const EvalReport &report, llvm::raw_ostream &os) {
  size_t width = std::max<size_t>(
      14,
      std::max(report.referenceName.size(), report.candidateName.size()) + 2);
  auto row = [&](llvm::StringRef label, llvm::StringRef reference,
                 llvm::StringRef candidate) {
    os << llvm::formatv(
        "  {0,-26}{1}{2}\n", label,
        llvm::fmt_align(reference, llvm::AlignStyle::Right, width),
        llvm::fmt_align(candidate, llvm::AlignStyle::Right, width));
  };
  os << llvm::formatv(
      "{0,-28}{1}{2}\n", llvm::formatv("{0} samples", report.samples),
      llvm::fmt_align(report.referenceName, llvm::AlignStyle::Right, width),
      llvm::fmt_align(report.candidateName, llvm::AlignStyle::Right, width));
  for (const OutputComparison &output : report.outputs) {
    os << llvm::formatv("{0} ({1} {2})\n", output.name,
                        formatShape(output.shape), dtypeName(output.dtype));
    if (output.referenceAccuracy)
      row("top-1 accuracy", percent(output.referenceAccuracy),
          percent(output.candidateAccuracy));
    if (output.top1Agreement)
      row("top-1 agreement", "", percent(output.top1Agreement));
    row("max abs error", "", significant(output.maxAbsError));
    row("mean abs error", "", significant(output.meanAbsError));
    std::string sqnr;
    llvm::raw_string_ostream(sqnr) << llvm::format("%.2f", output.sqnrDb);
    row("SQNR (dB)", "", sqnr);
  }
}

} // namespace qnn::runner
