//===- Statistics.cpp - Calibration statistics files ----------------------===//

#include "qnn/Dialect/QNN/Transforms/Statistics.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

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

ValueStatistics
ValueStatistics::fromActivation(const quantmath::ActivationStatistics &stats) {
  ValueStatistics result;
  result.min = stats.min;
  result.max = stats.max;
  result.activation = stats;
  result.hasCounts = true;
  return result;
}

std::optional<std::string> ValueStatistics::findRangeProblem() const {
  if (hasCounts && activation.count == 0)
    return activation.nonFinite == 0
               ? std::string("no observed element (calibration never "
                             "reached the value, or it is empty)")
               : formatv("no finite element (calibration saw {0} NaN or "
                         "infinite elements and nothing else)",
                         activation.nonFinite)
                     .str();
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

static Expected<quantmath::Histogram> parseHistogram(const json::Value &value,
                                                     const Twine &path) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return makeError(path + " must be an object");
  Expected<double> min = parseNumber(object->get("min"), path + ".min");
  if (!min)
    return min.takeError();
  Expected<double> max = parseNumber(object->get("max"), path + ".max");
  if (!max)
    return max.takeError();
  quantmath::Histogram histogram;
  histogram.min = static_cast<float>(*min);
  histogram.max = static_cast<float>(*max);
  if (!std::isfinite(histogram.min) || !std::isfinite(histogram.max) ||
      histogram.min > histogram.max)
    return makeError(formatv("{0} has the range [{1}, {2}]: its bounds must "
                             "be finite f32 values with min <= max",
                             path.str(), formatBound(*min), formatBound(*max)));
  const json::Array *counts = object->getArray("counts");
  if (!counts || counts->empty())
    return makeError(path + ".counts must be a non-empty array of counts");
  // Counts are real numbers: a histogram re-binned onto a wider range
  // spreads a bin's count over the bins it overlaps.
  for (const json::Value &count : *counts) {
    std::optional<double> number = count.getAsNumber();
    if (!number || !std::isfinite(*number) || *number < 0)
      return makeError(path + ".counts must hold non-negative numbers, got " +
                       formatv("{0}", count));
    histogram.counts.push_back(*number);
  }
  return histogram;
}

/// An optional non-negative integer field.
static Expected<std::optional<int64_t>>
parseCount(const json::Object &object, StringRef key, const Twine &path) {
  const json::Value *value = object.get(key);
  if (!value)
    return std::nullopt;
  std::optional<int64_t> integer = value->getAsInteger();
  if (!integer || *integer < 0)
    return makeError(path + "." + key +
                     " must be a non-negative integer, got " +
                     formatv("{0}", *value));
  return integer;
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
  quantmath::ActivationStatistics &activation = stats.activation;
  activation.min = static_cast<float>(*min);
  activation.max = static_cast<float>(*max);

  Expected<std::optional<int64_t>> count = parseCount(*object, "count", path);
  if (!count)
    return count.takeError();
  Expected<std::optional<int64_t>> nonFinite =
      parseCount(*object, "non_finite", path);
  if (!nonFinite)
    return nonFinite.takeError();
  Expected<std::optional<int64_t>> batches =
      parseCount(*object, "batches", path);
  if (!batches)
    return batches.takeError();
  if ((*nonFinite || *batches) && !*count)
    return makeError(path + " has \"non_finite\" or \"batches\" without "
                            "\"count\"");
  stats.hasCounts = count->has_value();
  activation.count = count->value_or(0);
  activation.nonFinite = nonFinite->value_or(0);
  activation.batches = batches->value_or(0);

  const json::Value *movingMin = object->get("moving_min");
  const json::Value *movingMax = object->get("moving_max");
  if (movingMin || movingMax) {
    if (activation.batches == 0)
      return makeError(path +
                       " has moving averages but no batches (\"batches\" "
                       "must be at least 1)");
    Expected<double> lo = parseNumber(movingMin, path + ".moving_min");
    if (!lo)
      return lo.takeError();
    Expected<double> hi = parseNumber(movingMax, path + ".moving_max");
    if (!hi)
      return hi.takeError();
    activation.movingMin = static_cast<float>(*lo);
    activation.movingMax = static_cast<float>(*hi);
  } else if (activation.batches != 0) {
    return makeError(path + " has \"batches\" but no \"moving_min\" and "
                            "\"moving_max\"");
  }

  if (const json::Value *histogram = object->get("histogram")) {
    Expected<quantmath::Histogram> parsed =
        parseHistogram(*histogram, path + ".histogram");
    if (!parsed)
      return parsed.takeError();
    activation.histogram = std::move(*parsed);
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

void Statistics::set(StringRef name, ValueStatistics statistics) {
  values[name] = std::move(statistics);
}

/// The union of two ranges, for entries without counts.
static ValueStatistics mergeRanges(const ValueStatistics &a,
                                   const ValueStatistics &b) {
  ValueStatistics result;
  result.min = std::min(a.min, b.min);
  result.max = std::max(a.max, b.max);
  result.activation.min = static_cast<float>(result.min);
  result.activation.max = static_cast<float>(result.max);
  return result;
}

Error Statistics::merge(const Statistics &other) {
  // Check every value first: a failed merge leaves this file unchanged.
  std::vector<std::string> names;
  for (const auto &entry : values)
    names.push_back(entry.getKey().str());
  for (const auto &entry : other.values)
    if (!values.count(entry.getKey()))
      names.push_back(entry.getKey().str());
  llvm::sort(names);
  for (const std::string &name : names) {
    const ValueStatistics *mine = lookup(name);
    const ValueStatistics *theirs = other.lookup(name);
    if (!mine || !theirs)
      return makeError(formatv("value '{0}' is only in the {1} statistics: "
                               "the runs observed different values (another "
                               "model, or other --ops/--exclude)",
                               name, mine ? "first" : "second"));
    const std::optional<quantmath::Histogram> &a = mine->activation.histogram;
    const std::optional<quantmath::Histogram> &b = theirs->activation.histogram;
    if (a.has_value() != b.has_value())
      return makeError(formatv("value '{0}' has a histogram only in the {1} "
                               "statistics: calibrate every shard with the "
                               "same --histogram-bins",
                               name, a ? "first" : "second"));
    if (a && a->counts.size() != b->counts.size())
      return makeError(formatv("the histograms of value '{0}' have {1} and "
                               "{2} bins: calibrate every shard with the same "
                               "--histogram-bins",
                               name, a->counts.size(), b->counts.size()));
  }
  for (const std::string &name : names) {
    ValueStatistics &mine = values[name];
    const ValueStatistics &theirs = *other.lookup(name);
    if (mine.hasCounts && theirs.hasCounts)
      mine = ValueStatistics::fromActivation(
          quantmath::merge(mine.activation, theirs.activation));
    else
      mine = mergeRanges(mine, theirs);
  }
  return Error::success();
}

/// A float field: a number with 9 significant digits, or a string for a
/// non-finite value.
static void writeBound(json::OStream &json, StringRef key, double value) {
  json.attributeBegin(key);
  if (std::isfinite(value))
    json.rawValue(formatBound(value));
  else
    json.value(formatBound(value));
  json.attributeEnd();
}

void Statistics::print(raw_ostream &os) const {
  std::vector<StringRef> names;
  for (const auto &entry : values)
    names.push_back(entry.getKey());
  llvm::sort(names);
  json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("format", kFormat);
    json.attribute("version", kVersion);
    json.attributeObject("values", [&] {
      for (StringRef name : names) {
        const ValueStatistics &stats = *lookup(name);
        const quantmath::ActivationStatistics &activation = stats.activation;
        json.attributeObject(name, [&] {
          writeBound(json, "min", stats.min);
          writeBound(json, "max", stats.max);
          if (stats.hasCounts) {
            json.attribute("count", activation.count);
            json.attribute("non_finite", activation.nonFinite);
            json.attribute("batches", activation.batches);
            if (activation.batches > 0) {
              writeBound(json, "moving_min", activation.movingMin);
              writeBound(json, "moving_max", activation.movingMax);
            }
          }
          if (!activation.histogram)
            return;
          const quantmath::Histogram &histogram = *activation.histogram;
          json.attributeObject("histogram", [&] {
            writeBound(json, "min", histogram.min);
            writeBound(json, "max", histogram.max);
            // One line for the counts: 2048 lines per value would bury the
            // ranges.
            json.attributeBegin("counts");
            json.rawValue([&](raw_ostream &out) {
              out << "[";
              for (auto [i, count] : llvm::enumerate(histogram.counts))
                out << (i ? ", " : "") << formatv("{0}", json::Value(count));
              out << "]";
            });
            json.attributeEnd();
          });
        });
      }
    });
  });
  os << "\n";
}

Error Statistics::writeFile(StringRef path) const {
  return llvm::writeToOutput(path, [&](raw_ostream &os) {
    print(os);
    return Error::success();
  });
}

} // namespace qnn
