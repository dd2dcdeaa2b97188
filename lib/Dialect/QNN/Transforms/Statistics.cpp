//===- Statistics.cpp - Calibration statistics files ----------------------===//

#include "qnn/Dialect/QNN/Transforms/Statistics.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <cstdio>
#include <limits>

using namespace llvm;

namespace qnn {

std::string formatBound(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "Infinity" : "-Infinity";
  // Shortest form that reads back as the same float: %g with 9 digits.
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

std::optional<std::string> ValueStatistics::findRangeProblem() const {
  if (!std::isfinite(min) || !std::isfinite(max))
    return formatv("a non-finite bound (min {0}, max {1})", formatBound(min),
                   formatBound(max))
        .str();
  double largest = std::numeric_limits<float>::max();
  if (std::fabs(min) > largest || std::fabs(max) > largest)
    return formatv("a bound outside the f32 range (min {0}, max {1})",
                   formatBound(min), formatBound(max))
        .str();
  if (min > max)
    return formatv("a negative range (min {0} > max {1})", formatBound(min),
                   formatBound(max))
        .str();
  return std::nullopt;
}

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// Python's json module writes NaN, Infinity and -Infinity for non-finite
/// floats, which are not JSON. Quoting them (outside strings) lets the
/// parser accept what a Python calibration script wrote, and the range check
/// then says which bound is not finite.
static std::string quoteNonFiniteTokens(StringRef text) {
  std::string result;
  result.reserve(text.size());
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      result += c;
      if (c == '\\' && i + 1 < text.size())
        result += text[++i];
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    StringRef rest = text.drop_front(i);
    StringRef token;
    for (StringRef candidate : {"-Infinity", "Infinity", "NaN"})
      if (rest.starts_with(candidate))
        token = candidate;
    if (token.empty()) {
      result += c;
      continue;
    }
    result += "\"" + token.str() + "\"";
    i += token.size() - 1;
  }
  return result;
}

/// A bound: a JSON number, or a string naming a non-finite value.
static Expected<double> parseNumber(const json::Value *value,
                                    const Twine &path) {
  if (!value)
    return makeError(path + " is missing");
  if (std::optional<double> number = value->getAsNumber())
    return *number;
  if (std::optional<StringRef> text = value->getAsString()) {
    std::string lower = text->lower();
    if (lower == "nan")
      return std::numeric_limits<double>::quiet_NaN();
    if (lower == "infinity" || lower == "inf" || lower == "+inf")
      return std::numeric_limits<double>::infinity();
    if (lower == "-infinity" || lower == "-inf")
      return -std::numeric_limits<double>::infinity();
  }
  return makeError(path + " must be a number");
}

static Expected<Histogram> parseHistogram(const json::Value &value,
                                          const Twine &path) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return makeError(path + " must be an object");
  Histogram histogram;
  Expected<double> min = parseNumber(object->get("min"), path + ".min");
  if (!min)
    return min.takeError();
  Expected<double> max = parseNumber(object->get("max"), path + ".max");
  if (!max)
    return max.takeError();
  histogram.min = *min;
  histogram.max = *max;
  const json::Array *counts = object->getArray("counts");
  if (!counts)
    return makeError(path + ".counts must be an array of counts");
  for (const json::Value &count : *counts) {
    std::optional<int64_t> integer = count.getAsInteger();
    if (!integer || *integer < 0)
      return makeError(path + ".counts must hold non-negative integers, got " +
                       formatv("{0}", count));
    histogram.counts.push_back(*integer);
  }
  return histogram;
}

static Expected<ValueStatistics> parseEntry(const json::Value &value,
                                            const Twine &path) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return makeError(path + " must be an object with \"min\" and \"max\"");
  ValueStatistics stats;
  Expected<double> min = parseNumber(object->get("min"), path + ".min");
  if (!min)
    return min.takeError();
  Expected<double> max = parseNumber(object->get("max"), path + ".max");
  if (!max)
    return max.takeError();
  stats.min = *min;
  stats.max = *max;
  if (const json::Value *histogram = object->get("histogram")) {
    Expected<Histogram> parsed =
        parseHistogram(*histogram, path + ".histogram");
    if (!parsed)
      return parsed.takeError();
    stats.histogram = std::move(*parsed);
  }
  return stats;
}

Expected<Statistics> Statistics::parse(StringRef text) {
  Expected<json::Value> json = json::parse(text);
  if (!json) {
    // Retry with Python's non-finite tokens quoted; report the original
    // error if that does not help.
    Expected<json::Value> quoted = json::parse(quoteNonFiniteTokens(text));
    if (!quoted) {
      consumeError(quoted.takeError());
      return makeError("not valid JSON: " + toString(json.takeError()));
    }
    consumeError(json.takeError());
    json = std::move(quoted);
  }
  const json::Object *root = json->getAsObject();
  if (!root)
    return makeError("not a qnn-stats file: the top level is not an object");
  std::optional<StringRef> format = root->getString("format");
  if (!format)
    return makeError("not a qnn-stats file: \"format\" is missing");
  if (*format != kFormat)
    return makeError(formatv("not a qnn-stats file: format \"{0}\", expected "
                             "\"{1}\"",
                             *format, kFormat));
  std::optional<int64_t> version = root->getInteger("version");
  if (!version)
    return makeError("\"version\" is missing or not an integer");
  if (*version != kVersion)
    return makeError(formatv("version {0} is not supported (this build reads "
                             "version {1})",
                             *version, kVersion));
  const json::Object *values = root->getObject("values");
  if (!values)
    return makeError("\"values\" is missing or not an object");

  Statistics statistics;
  for (const auto &[name, value] : *values) {
    Expected<ValueStatistics> entry =
        parseEntry(value, formatv("values.\"{0}\"", name.str()));
    if (!entry)
      return entry.takeError();
    statistics.values[name.str()] = std::move(*entry);
  }
  return statistics;
}

Expected<Statistics> Statistics::readFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return makeError(formatv("cannot read statistics file '{0}': {1}", path,
                             buffer.getError().message()));
  Expected<Statistics> statistics = parse((*buffer)->getBuffer());
  if (!statistics)
    return makeError(formatv("statistics file '{0}': {1}", path,
                             toString(statistics.takeError())));
  return statistics;
}

const ValueStatistics *Statistics::lookup(StringRef name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

} // namespace qnn
