//===- ReferenceData.cpp - numpy references of the unit tests -------------===//

#include "ReferenceData.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <limits>
#include <sstream>

using namespace qnn::quantmath;

namespace qnn::unittest {

std::optional<llvm::json::Value> loadReference(llvm::StringRef fileName) {
  llvm::SmallString<256> path(QNN_UNIT_REFERENCE_DIR);
  llvm::sys::path::append(path, fileName);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << path.str().str() << ": "
                  << buffer.getError().message()
                  << " (the build generates it with quant_reference.py)";
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> root =
      llvm::json::parse((*buffer)->getBuffer());
  if (!root) {
    ADD_FAILURE() << path.str().str() << ": "
                  << llvm::toString(root.takeError());
    return std::nullopt;
  }
  return std::move(*root);
}

static const llvm::json::Array &emptyArray() {
  static const llvm::json::Array empty;
  return empty;
}

const llvm::json::Array &getArray(const llvm::json::Object &object,
                                  llvm::StringRef key) {
  if (const llvm::json::Array *array = object.getArray(key))
    return *array;
  ADD_FAILURE() << "reference has no array '" << key.str() << "'";
  return emptyArray();
}

const llvm::json::Array &getArray(const llvm::json::Value &root,
                                  llvm::StringRef key) {
  if (const llvm::json::Object *object = root.getAsObject())
    return getArray(*object, key);
  ADD_FAILURE() << "reference root is not an object";
  return emptyArray();
}

double toDouble(const llvm::json::Value &value) {
  if (std::optional<double> number = value.getAsNumber())
    return *number;
  std::optional<llvm::StringRef> text = value.getAsString();
  std::optional<double> special =
      llvm::StringSwitch<std::optional<double>>(text.value_or(""))
          .Case("inf", std::numeric_limits<double>::infinity())
          .Case("-inf", -std::numeric_limits<double>::infinity())
          .Case("nan", std::numeric_limits<double>::quiet_NaN())
          .Default(std::nullopt);
  if (!special)
    ADD_FAILURE() << "reference value is not a number";
  return special.value_or(0.0);
}

std::vector<double> toDoubles(const llvm::json::Array &array) {
  std::vector<double> values;
  values.reserve(array.size());
  for (const llvm::json::Value &value : array)
    values.push_back(toDouble(value));
  return values;
}

std::vector<float> toFloats(const llvm::json::Array &array) {
  std::vector<float> values;
  values.reserve(array.size());
  // Every reference float is a float32 value written exactly; the
  // conversion does not round.
  for (const llvm::json::Value &value : array)
    values.push_back(static_cast<float>(toDouble(value)));
  return values;
}

std::vector<int64_t> toInts(const llvm::json::Array &array) {
  std::vector<int64_t> values;
  values.reserve(array.size());
  for (const llvm::json::Value &value : array) {
    std::optional<int64_t> integer = value.getAsInteger();
    if (!integer)
      ADD_FAILURE() << "reference value is not an integer";
    values.push_back(integer.value_or(0));
  }
  return values;
}

double getDouble(const llvm::json::Object &object, llvm::StringRef key) {
  if (const llvm::json::Value *value = object.get(key))
    return toDouble(*value);
  ADD_FAILURE() << "reference has no number '" << key.str() << "'";
  return 0.0;
}

int64_t getInt(const llvm::json::Object &object, llvm::StringRef key) {
  if (std::optional<int64_t> value = object.getInteger(key))
    return *value;
  ADD_FAILURE() << "reference has no integer '" << key.str() << "'";
  return 0;
}

std::string getString(const llvm::json::Object &object, llvm::StringRef key) {
  if (std::optional<llvm::StringRef> value = object.getString(key))
    return value->str();
  ADD_FAILURE() << "reference has no string '" << key.str() << "'";
  return "";
}

QuantSpec getSpec(const llvm::json::Object &testCase) {
  QuantSpec spec;
  const llvm::json::Object *storage = testCase.getObject("spec");
  if (!storage) {
    ADD_FAILURE() << "reference case has no spec";
    return spec;
  }
  std::optional<Scheme> scheme = symbolizeScheme(getString(*storage, "scheme"));
  std::optional<RoundingMode> rounding =
      symbolizeRoundingMode(getString(testCase, "rounding"));
  if (!scheme || !rounding)
    ADD_FAILURE() << "reference case has an unknown scheme or rounding";
  spec.scheme = scheme.value_or(Scheme::Symmetric);
  spec.rounding = rounding.value_or(RoundingMode::HalfToEven);
  spec.storage.bits = static_cast<unsigned>(getInt(*storage, "bits"));
  spec.storage.isSigned = storage->getBoolean("signed").value_or(true);
  spec.storage.narrowRange = storage->getBoolean("narrow").value_or(false);
  std::optional<CompatMode> compat =
      symbolizeCompatMode(storage->getString("compat").value_or("none"));
  if (!compat)
    ADD_FAILURE() << "reference case has an unknown compat mode";
  spec.compat = compat.value_or(CompatMode::None);
  spec.reduceRange = storage->getBoolean("reduce_range").value_or(false);
  return spec;
}

Granularity getGranularity(const llvm::json::Object &testCase) {
  const llvm::json::Object *object = testCase.getObject("granularity");
  if (!object) {
    ADD_FAILURE() << "reference case has no granularity";
    return Granularity::perTensor();
  }
  std::string kind = getString(*object, "kind");
  int64_t axis = getInt(*object, "axis");
  if (kind == "per_axis")
    return Granularity::perAxis(axis);
  if (kind == "per_group")
    return Granularity::perGroup(axis, getInt(*object, "group_axis"),
                                 getInt(*object, "group_size"));
  EXPECT_EQ(kind, "per_tensor");
  return Granularity::perTensor();
}

bool sameValue(double expected, double actual) {
  return expected == actual || (std::isnan(expected) && std::isnan(actual));
}

bool closeValue(double expected, double actual, double relTolerance) {
  if (sameValue(expected, actual))
    return true;
  if (!std::isfinite(expected) || !std::isfinite(actual))
    return false;
  double magnitude = std::max(std::fabs(expected), std::fabs(actual));
  return std::fabs(expected - actual) <= relTolerance * magnitude;
}

template <typename T, typename Equal>
static testing::AssertionResult sameElements(llvm::ArrayRef<T> expected,
                                             llvm::ArrayRef<T> actual,
                                             Equal equal) {
  if (expected.size() != actual.size())
    return testing::AssertionFailure() << "expected " << expected.size()
                                       << " elements, got " << actual.size();
  std::ostringstream firsts;
  firsts.precision(9);
  size_t mismatches = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (equal(expected[i], actual[i]))
      continue;
    if (++mismatches <= 5)
      firsts << "\n  [" << i << "] expected " << expected[i] << ", got "
             << actual[i];
  }
  if (mismatches == 0)
    return testing::AssertionSuccess();
  return testing::AssertionFailure() << mismatches << " of " << expected.size()
                                     << " elements differ:" << firsts.str();
}

testing::AssertionResult sameInts(llvm::ArrayRef<int64_t> expected,
                                  llvm::ArrayRef<int64_t> actual) {
  return sameElements(expected, actual,
                      [](int64_t a, int64_t b) { return a == b; });
}

testing::AssertionResult sameFloats(llvm::ArrayRef<float> expected,
                                    llvm::ArrayRef<float> actual) {
  return sameElements(expected, actual,
                      [](float a, float b) { return sameValue(a, b); });
}

} // namespace qnn::unittest
