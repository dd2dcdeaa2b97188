//===- ReferenceData.h - numpy references of the unit tests -----*- C++ -*-===//
//
// quant_reference.py computes what the quantization math must return with
// numpy and exact rationals, independently of the library; the build writes
// its JSON files into QNN_UNIT_REFERENCE_DIR before the test binary runs.
// These helpers read them and compare results without flooding the log.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TEST_UNIT_REFERENCEDATA_H
#define QNN_TEST_UNIT_REFERENCEDATA_H

#include "qnn/Quant/QuantParams.h"
#include "qnn/Quant/TensorQuantizer.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qnn::unittest {

/// Parses `fileName` from the reference directory; on failure records a test
/// failure that says why (missing file, bad JSON) and returns nullopt.
std::optional<llvm::json::Value> loadReference(llvm::StringRef fileName);

/// The array `key` of the top-level object of `root` (empty if absent, with a
/// test failure).
const llvm::json::Array &getArray(const llvm::json::Value &root,
                                  llvm::StringRef key);
const llvm::json::Array &getArray(const llvm::json::Object &object,
                                  llvm::StringRef key);

/// A JSON number, or one of the strings "inf", "-inf" and "nan".
double toDouble(const llvm::json::Value &value);
std::vector<double> toDoubles(const llvm::json::Array &array);
std::vector<float> toFloats(const llvm::json::Array &array);
std::vector<int64_t> toInts(const llvm::json::Array &array);

double getDouble(const llvm::json::Object &object, llvm::StringRef key);
int64_t getInt(const llvm::json::Object &object, llvm::StringRef key);
std::string getString(const llvm::json::Object &object, llvm::StringRef key);

/// The quantization spec of a reference case (its "spec", with the optional
/// "compat" and "reduce_range", and "rounding").
quantmath::QuantSpec getSpec(const llvm::json::Object &testCase);
/// The granularity of a reference tensor case.
quantmath::Granularity getGranularity(const llvm::json::Object &testCase);

/// The same value: equal, or both NaN (so +0 and -0 are the same).
bool sameValue(double expected, double actual);

/// Equal, both NaN, the same infinity, or within `relTolerance` of each other
/// relative to the larger magnitude.
bool closeValue(double expected, double actual, double relTolerance);

/// Compares two sequences element by element; a failure reports how many
/// elements differ and the first few, with their indices.
testing::AssertionResult sameInts(llvm::ArrayRef<int64_t> expected,
                                  llvm::ArrayRef<int64_t> actual);
testing::AssertionResult sameFloats(llvm::ArrayRef<float> expected,
                                    llvm::ArrayRef<float> actual);

} // namespace qnn::unittest

#endif // QNN_TEST_UNIT_REFERENCEDATA_H
