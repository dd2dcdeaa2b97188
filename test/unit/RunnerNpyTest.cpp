//===- RunnerNpyTest.cpp - .npy/.npz I/O against numpy's files ------------===//
//
// The fixtures are written by numpy at build time (npy_fixtures.py write);
// the values follow `expectedValue`, the same formula as npy_fixtures.py's
// `expected`. Files the runner writes are read back by numpy
// (npy_fixtures.py check).
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/Npy.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace qnn::runner;

namespace {

const DType kAllDTypes[] = {DType::Float32, DType::Float64, DType::Int8,
                            DType::UInt8,   DType::Int16,   DType::Int32,
                            DType::Int64,   DType::Bool};

std::string fixture(llvm::StringRef name) {
  llvm::SmallString<256> path(QNN_NPY_FIXTURE_DIR);
  llvm::sys::path::append(path, name);
  return path.str().str();
}

/// Element `i` of every fixture of `dtype` (npy_fixtures.py: expected).
double expectedValue(DType dtype, int64_t i) {
  switch (dtype) {
  case DType::Float32:
  case DType::Float64:
    return (i % 13) * 0.25 - 1.5;
  case DType::Int8:
    return (i * 37) % 256 - 128;
  case DType::UInt8:
    return (i * 37) % 256;
  case DType::Int16:
    return (i * 1237) % 65536 - 32768;
  case DType::Int32:
    return static_cast<double>(i * 1000003 - 123456789);
  case DType::Int64:
    return static_cast<double>(i * 1000000000000LL - (int64_t(1) << 62));
  case DType::Bool:
    return i % 3 == 0 ? 1.0 : 0.0;
  }
  return 0.0;
}

/// An array filled with the fixture formula.
Array makeArray(DType dtype, llvm::ArrayRef<int64_t> shape) {
  Array array(dtype, shape);
  int64_t size = dtypeSize(dtype);
  for (int64_t i = 0; i < array.numElements(); ++i) {
    double value = expectedValue(dtype, i);
    uint8_t *p = array.data() + i * size;
    switch (dtype) {
    case DType::Float32: {
      float v = static_cast<float>(value);
      std::memcpy(p, &v, size);
      break;
    }
    case DType::Float64:
      std::memcpy(p, &value, size);
      break;
    case DType::Int8:
    case DType::UInt8:
    case DType::Int16:
    case DType::Int32:
    case DType::Int64:
    case DType::Bool: {
      int64_t v = static_cast<int64_t>(value);
      std::memcpy(p, &v, size); // little endian: the low bytes
      break;
    }
    }
  }
  return array;
}

void expectFormula(const Array &array, DType dtype,
                   llvm::ArrayRef<int64_t> shape) {
  ASSERT_EQ(array.dtype(), dtype) << dtypeName(array.dtype()).str();
  ASSERT_EQ(array.shape(), shape) << formatShape(array.shape());
  for (int64_t i = 0; i < array.numElements(); ++i)
    ASSERT_EQ(array.elementAsDouble(i), expectedValue(dtype, i))
        << dtypeName(dtype).str() << " element " << i;
}

/// The message of an error `expected` must hold, or "" (a failure) if it
/// holds a value.
template <typename T> std::string errorOf(llvm::Expected<T> expected) {
  if (expected) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(expected.takeError());
}

std::string errorOf(llvm::Error error) {
  if (!error) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(std::move(error));
}

const int64_t kShape[] = {2, 3, 4};

TEST(RunnerNpy, ReadsEveryDTypeNumpyWrites) {
  for (DType dtype : kAllDTypes) {
    auto array = readNpy(fixture(dtypeName(dtype).str() + ".npy"));
    ASSERT_TRUE(!!array) << llvm::toString(array.takeError());
    expectFormula(*array, dtype, kShape);
  }
}

TEST(RunnerNpy, ReadsScalarsEmptyArraysBigEndianAndVersion2) {
  auto scalar = readNpy(fixture("scalar.npy"));
  ASSERT_TRUE(!!scalar) << llvm::toString(scalar.takeError());
  EXPECT_EQ(scalar->rank(), 0);
  EXPECT_EQ(scalar->elementAsDouble(0), 2.5);

  auto empty = readNpy(fixture("empty.npy"));
  ASSERT_TRUE(!!empty) << llvm::toString(empty.takeError());
  EXPECT_EQ(empty->shape(), llvm::ArrayRef<int64_t>({0, 5}));
  EXPECT_EQ(empty->byteSize(), 0);

  auto bigInt = readNpy(fixture("big_endian_int32.npy"));
  ASSERT_TRUE(!!bigInt) << llvm::toString(bigInt.takeError());
  expectFormula(*bigInt, DType::Int32, kShape);
  auto bigFloat = readNpy(fixture("big_endian_float64.npy"));
  ASSERT_TRUE(!!bigFloat) << llvm::toString(bigFloat.takeError());
  expectFormula(*bigFloat, DType::Float64, kShape);

  auto version2 = readNpy(fixture("version2.npy"));
  ASSERT_TRUE(!!version2) << llvm::toString(version2.takeError());
  expectFormula(*version2, DType::Float32, kShape);
}

TEST(RunnerNpy, ReadsStoredAndDeflatedArchives) {
  for (const char *name : {"stored.npz", "deflated.npz"}) {
    SCOPED_TRACE(name);
    auto members = readNpz(fixture(name));
    ASSERT_TRUE(!!members) << llvm::toString(members.takeError());
    ASSERT_EQ(members->size(), 3u);
    EXPECT_EQ((*members)[0].name, "a");
    EXPECT_EQ((*members)[1].name, "b");
    EXPECT_EQ((*members)[2].name, "c");
    expectFormula((*members)[0].array, DType::Float32, kShape);
    expectFormula((*members)[1].array, DType::Int64, {5});
    expectFormula((*members)[2].array, DType::Bool, {2, 2});

    auto b = readNpzMember(fixture(name), "b");
    ASSERT_TRUE(!!b) << llvm::toString(b.takeError());
    expectFormula(*b, DType::Int64, {5});
    auto bWithSuffix = readNpzMember(fixture(name), "b.npy");
    ASSERT_TRUE(!!bWithSuffix) << llvm::toString(bWithSuffix.takeError());
    EXPECT_TRUE(*bWithSuffix == *b);
  }
  auto empty = readNpz(fixture("empty.npz"));
  ASSERT_TRUE(!!empty) << llvm::toString(empty.takeError());
  EXPECT_TRUE(empty->empty());
}

TEST(RunnerNpy, RoundTripsInMemoryAndThroughFiles) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("qnn-npy", dir));
  for (DType dtype : kAllDTypes) {
    SCOPED_TRACE(dtypeName(dtype).str());
    const std::vector<std::vector<int64_t>> shapes = {
        {2, 3, 4}, {}, {7}, {0, 3}};
    for (const std::vector<int64_t> &shape : shapes) {
      Array array = makeArray(dtype, shape);
      std::vector<uint8_t> bytes = serializeNpy(array);
      EXPECT_EQ((bytes.size() - array.byteSize()) % 64, 0u)
          << "numpy aligns the data to 64 bytes";
      auto parsed = parseNpy(bytes, "memory");
      ASSERT_TRUE(!!parsed) << llvm::toString(parsed.takeError());
      EXPECT_TRUE(*parsed == array);
    }
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, "a.npy");
    Array array = makeArray(dtype, kShape);
    ASSERT_FALSE(!!writeNpy(path, array));
    auto read = readNpy(path);
    ASSERT_TRUE(!!read) << llvm::toString(read.takeError());
    EXPECT_TRUE(*read == array);
  }
  for (bool compress : {false, true}) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, compress ? "d.npz" : "s.npz");
    std::vector<NamedArray> arrays;
    for (DType dtype : kAllDTypes)
      arrays.push_back({dtypeName(dtype).str(), makeArray(dtype, kShape)});
    ASSERT_FALSE(!!writeNpz(path, arrays, compress));
    auto read = readNpz(path);
    ASSERT_TRUE(!!read) << llvm::toString(read.takeError());
    ASSERT_EQ(read->size(), arrays.size());
    for (auto [got, want] : llvm::zip_equal(*read, arrays)) {
      EXPECT_EQ(got.name, want.name);
      EXPECT_TRUE(got.array == want.array) << got.name;
    }
  }
  llvm::sys::fs::remove_directories(dir);
}

TEST(RunnerNpy, NumpyReadsWhatTheRunnerWrites) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("qnn-npy", dir));
  auto at = [&](llvm::StringRef name) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    return path.str().str();
  };
  std::vector<NamedArray> arrays;
  for (DType dtype : kAllDTypes) {
    Array array = makeArray(dtype, kShape);
    ASSERT_FALSE(!!writeNpy(at(dtypeName(dtype).str() + ".npy"), array));
    arrays.push_back({dtypeName(dtype).str(), std::move(array)});
  }
  ASSERT_FALSE(!!writeNpz(at("stored.npz"), arrays, /*compress=*/false));
  ASSERT_FALSE(!!writeNpz(at("deflated.npz"), arrays, /*compress=*/true));
  ASSERT_FALSE(!!writeNpy(at("scalar.npy"), makeArray(DType::Float64, {})));
  ASSERT_FALSE(!!writeNpy(at("empty.npy"), makeArray(DType::Float32, {0, 5})));

  std::string message;
  int status = llvm::sys::ExecuteAndWait(
      QNN_PYTHON3, {QNN_PYTHON3, QNN_NPY_FIXTURE_SCRIPT, "check", dir},
      std::nullopt, {}, /*SecondsToWait=*/120, 0, &message);
  EXPECT_EQ(status, 0) << "numpy disagrees with the files in "
                       << dir.str().str() << " (see stderr) " << message;
  if (status == 0)
    llvm::sys::fs::remove_directories(dir);
}

TEST(RunnerNpy, ErrorsNameTheFileAndTheProblem) {
  struct Case {
    const char *file;
    const char *message;
  } cases[] = {
      {"missing.npy", "missing.npy: No such file or directory"},
      {"truncated_header.npy", "truncated_header.npy: truncated .npy header"},
      {"truncated_prefix.npy", "truncated_prefix.npy: truncated .npy header"},
      {"bad_magic.npy", "bad_magic.npy: not a .npy file (bad magic)"},
      {"bad_header.npy", "bad_header.npy: malformed .npy header"},
      {"fortran.npy", "fortran.npy: Fortran-ordered arrays are not supported"},
      {"complex64.npy", "complex64.npy: unsupported dtype '<c8' (complex64)"},
      {"float16.npy", "float16.npy: unsupported dtype '<f2' (float16)"},
      {"object.npy", "object.npy: unsupported dtype '|O' (Python object)"},
      {"unicode.npy", "unicode.npy: unsupported dtype '<U2' (unicode string)"},
      {"structured.npy",
       "structured.npy: structured dtypes (records) are not supported"},
      {"truncated_data.npy",
       "truncated_data.npy: data size mismatch: a 2x3x4 float32 array needs "
       "96 bytes, the file has 92"},
      {"shape_mismatch.npy",
       "shape_mismatch.npy: data size mismatch: a 2x3x5 float32 array needs "
       "120 bytes, the file has 96"},
  };
  for (const Case &c : cases) {
    std::string message = errorOf(readNpy(fixture(c.file)));
    EXPECT_NE(message.find(c.message), std::string::npos)
        << "got: " << message << "\nwant: " << c.message;
  }
  // Every unsupported dtype message lists what is supported.
  EXPECT_NE(errorOf(readNpy(fixture("complex64.npy")))
                .find("float32, float64, int8, uint8, int16, int32, int64 "
                      "and bool"),
            std::string::npos);
}

TEST(RunnerNpy, ArchiveErrorsNameTheArchiveAndTheMember) {
  struct Case {
    const char *file;
    const char *member; // null: readNpz
    const char *message;
  } cases[] = {
      {"missing.npz", nullptr, "missing.npz: No such file or directory"},
      {"not_a_zip.npz", nullptr,
       "not_a_zip.npz: not a valid .npz (zip) archive"},
      {"truncated.npz", nullptr,
       "truncated.npz: not a valid .npz (zip) archive"},
      {"corrupt_data.npz", nullptr, "corrupt_data.npz:a: corrupt archive"},
      {"corrupt_data.npz", "a", "corrupt_data.npz:a: corrupt archive"},
      {"bad_member.npz", nullptr, "bad_member.npz:x: not a .npy file"},
      {"stored.npz", "zzz", "stored.npz: no member 'zzz' (it has: a, b, c)"},
      {"empty.npz", "a", "empty.npz: no member 'a' (the archive is empty)"},
  };
  for (const Case &c : cases) {
    std::string message =
        c.member ? errorOf(readNpzMember(fixture(c.file), c.member))
                 : errorOf(readNpz(fixture(c.file)));
    EXPECT_NE(message.find(c.message), std::string::npos)
        << "got: " << message << "\nwant: " << c.message;
  }
}

TEST(RunnerNpy, WriteErrors) {
  Array array = makeArray(DType::Float32, {2});
  EXPECT_NE(errorOf(writeNpz("/nonexistent-dir/out.npz", {{"a", array}}))
                .find("/nonexistent-dir/out.npz"),
            std::string::npos);
  EXPECT_NE(errorOf(writeNpy("/nonexistent-dir/out.npy", array))
                .find("/nonexistent-dir/out.npy"),
            std::string::npos);
  EXPECT_NE(errorOf(writeNpz("x.npz", {{"a", array}, {"a", array}}))
                .find("two members named 'a'"),
            std::string::npos);
  EXPECT_NE(errorOf(writeNpz("x.npz", {{"", array}})).find("needs a name"),
            std::string::npos);
}

} // namespace
