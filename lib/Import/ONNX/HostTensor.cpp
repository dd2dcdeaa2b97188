//===- HostTensor.cpp - ONNX tensors held on the host ---------------------===//

#include "HostTensor.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace qnn {
namespace onnx_import {

using onnx::TensorProto;

bool isFloatType(DataType dtype) {
  return dtype == TensorProto::FLOAT || dtype == TensorProto::DOUBLE ||
         dtype == TensorProto::FLOAT16 || dtype == TensorProto::BFLOAT16;
}

bool isUnsignedType(DataType dtype) {
  return dtype == TensorProto::UINT8 || dtype == TensorProto::UINT16 ||
         dtype == TensorProto::UINT32 || dtype == TensorProto::UINT64 ||
         dtype == TensorProto::BOOL;
}

std::string getTypeName(DataType dtype) {
  if (TensorProto::DataType_IsValid(dtype)) {
    std::string name =
        TensorProto::DataType_Name(static_cast<TensorProto::DataType>(dtype));
    for (char &c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  }
  return "type " + std::to_string(dtype);
}

Type getElementType(MLIRContext *context, DataType dtype) {
  Builder b(context);
  switch (dtype) {
  case TensorProto::FLOAT:
    return b.getF32Type();
  case TensorProto::DOUBLE:
    return b.getF64Type();
  case TensorProto::FLOAT16:
    return b.getF16Type();
  case TensorProto::BFLOAT16:
    return b.getBF16Type();
  case TensorProto::BOOL:
    return b.getI1Type();
  case TensorProto::INT8:
  case TensorProto::UINT8:
    return b.getIntegerType(8);
  case TensorProto::INT16:
  case TensorProto::UINT16:
    return b.getIntegerType(16);
  case TensorProto::INT32:
  case TensorProto::UINT32:
    return b.getIntegerType(32);
  case TensorProto::INT64:
  case TensorProto::UINT64:
    return b.getIntegerType(64);
  default:
    return nullptr;
  }
}

int64_t getNumElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Bytes per element of the fixed-size types, 0 for the others.
static size_t getElementSize(DataType dtype) {
  switch (dtype) {
  case TensorProto::FLOAT:
  case TensorProto::INT32:
  case TensorProto::UINT32:
    return 4;
  case TensorProto::DOUBLE:
  case TensorProto::INT64:
  case TensorProto::UINT64:
    return 8;
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
  case TensorProto::INT16:
  case TensorProto::UINT16:
    return 2;
  case TensorProto::INT8:
  case TensorProto::UINT8:
  case TensorProto::BOOL:
    return 1;
  default:
    return 0;
  }
}

/// Wraps `value` to the range of an integer `dtype` (two's complement).
static int64_t wrapInt(DataType dtype, int64_t value) {
  switch (dtype) {
  case TensorProto::BOOL:
    return value != 0;
  case TensorProto::INT8:
    return static_cast<int8_t>(value);
  case TensorProto::UINT8:
    return static_cast<uint8_t>(value);
  case TensorProto::INT16:
    return static_cast<int16_t>(value);
  case TensorProto::UINT16:
    return static_cast<uint16_t>(value);
  case TensorProto::INT32:
    return static_cast<int32_t>(value);
  case TensorProto::UINT32:
    return static_cast<uint32_t>(value);
  default:
    return value;
  }
}

static double roundReal(DataType dtype, double value) {
  if (dtype == TensorProto::DOUBLE)
    return value;
  if (dtype == TensorProto::FLOAT16 || dtype == TensorProto::BFLOAT16) {
    bool lost;
    llvm::APFloat f(value);
    f.convert(dtype == TensorProto::FLOAT16 ? llvm::APFloat::IEEEhalf()
                                            : llvm::APFloat::BFloat(),
              llvm::APFloat::rmNearestTiesToEven, &lost);
    return f.convertToDouble();
  }
  return static_cast<double>(static_cast<float>(value));
}

HostTensor::HostTensor(DataType dtype, llvm::ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape) {
  if (isFloat())
    real.assign(size(), 0.0);
  else
    ints.assign(size(), 0);
}

double HostTensor::getReal(int64_t i) const {
  return isFloat() ? real[i] : static_cast<double>(ints[i]);
}

int64_t HostTensor::getInt(int64_t i) const {
  if (!isFloat())
    return ints[i];
  double v = real[i];
  if (!std::isfinite(v))
    return 0;
  return static_cast<int64_t>(std::trunc(v));
}

void HostTensor::set(int64_t i, double value) {
  if (isFloat())
    real[i] = roundReal(dtype, value);
  else
    ints[i] = wrapInt(dtype, std::isfinite(value)
                                 ? static_cast<int64_t>(std::trunc(value))
                                 : 0);
}

void HostTensor::setInt(int64_t i, int64_t value) {
  if (isFloat())
    real[i] = roundReal(dtype, static_cast<double>(value));
  else
    ints[i] = wrapInt(dtype, value);
}

HostTensor HostTensor::castTo(DataType to) const {
  HostTensor result(to, shape);
  for (int64_t i = 0, e = size(); i < e; ++i) {
    if (to == TensorProto::BOOL)
      result.ints[i] = getReal(i) != 0.0;
    else if (isFloat())
      result.set(i, real[i]);
    else
      result.setInt(i, ints[i]);
  }
  return result;
}

std::vector<int64_t> HostTensor::toInts() const {
  std::vector<int64_t> values(size());
  for (int64_t i = 0, e = size(); i < e; ++i)
    values[i] = getInt(i);
  return values;
}

std::vector<double> HostTensor::toReals() const {
  if (isFloat())
    return real;
  return std::vector<double>(ints.begin(), ints.end());
}

DenseElementsAttr HostTensor::toAttr(MLIRContext *context) const {
  Type element = getElementType(context, dtype);
  auto type = RankedTensorType::get(shape, element);
  switch (dtype) {
  case TensorProto::FLOAT: {
    std::vector<float> values(real.begin(), real.end());
    return DenseElementsAttr::get(type, llvm::ArrayRef<float>(values));
  }
  case TensorProto::DOUBLE:
    return DenseElementsAttr::get(type, llvm::ArrayRef<double>(real));
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16: {
    std::vector<llvm::APFloat> values;
    const llvm::fltSemantics &semantics =
        cast<FloatType>(element).getFloatSemantics();
    for (double v : real) {
      bool lost;
      llvm::APFloat f(v);
      f.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &lost);
      values.push_back(f);
    }
    return DenseElementsAttr::get(type, values);
  }
  case TensorProto::BOOL: {
    llvm::SmallVector<bool> values(ints.begin(), ints.end());
    return DenseElementsAttr::get(type, llvm::ArrayRef<bool>(values));
  }
  default: {
    unsigned width = element.getIntOrFloatBitWidth();
    std::vector<llvm::APInt> values;
    values.reserve(ints.size());
    for (int64_t v : ints)
      values.emplace_back(width, static_cast<uint64_t>(v),
                          /*isSigned=*/!isUnsignedType(dtype),
                          /*implicitTrunc=*/true);
    return DenseElementsAttr::get(type, values);
  }
  }
}

/// Decodes one little-endian element of `dtype` at `data`.
static void decodeRaw(HostTensor &tensor, int64_t i, const char *data) {
  auto load = [&](auto sample) {
    decltype(sample) v;
    std::memcpy(&v, data, sizeof(v));
    return v;
  };
  switch (tensor.dtype) {
  case TensorProto::FLOAT:
    tensor.real[i] = load(float());
    return;
  case TensorProto::DOUBLE:
    tensor.real[i] = load(double());
    return;
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16: {
    uint16_t bits = load(uint16_t());
    llvm::APFloat f(tensor.dtype == TensorProto::FLOAT16
                        ? llvm::APFloat::IEEEhalf()
                        : llvm::APFloat::BFloat(),
                    llvm::APInt(16, bits));
    tensor.real[i] = f.convertToDouble();
    return;
  }
  case TensorProto::INT8:
    tensor.ints[i] = load(int8_t());
    return;
  case TensorProto::UINT8:
    tensor.ints[i] = load(uint8_t());
    return;
  case TensorProto::BOOL:
    tensor.ints[i] = load(uint8_t()) != 0;
    return;
  case TensorProto::INT16:
    tensor.ints[i] = load(int16_t());
    return;
  case TensorProto::UINT16:
    tensor.ints[i] = load(uint16_t());
    return;
  case TensorProto::INT32:
    tensor.ints[i] = load(int32_t());
    return;
  case TensorProto::UINT32:
    tensor.ints[i] = load(uint32_t());
    return;
  default:
    tensor.ints[i] = load(int64_t());
    return;
  }
}

bool readTensorProto(const TensorProto &proto, HostTensor &tensor,
                     std::string &error) {
  DataType dtype = proto.data_type();
  size_t elementSize = getElementSize(dtype);
  if (elementSize == 0) {
    error = "has unsupported element type " + getTypeName(dtype);
    return false;
  }
  llvm::SmallVector<int64_t> shape;
  for (int64_t d : proto.dims()) {
    if (d < 0) {
      error = "has a negative dimension (" + std::to_string(d) + ")";
      return false;
    }
    shape.push_back(d);
  }
  // A bound on what can be held: protects against corrupted dimensions.
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d != 0 && n > (int64_t(1) << 40) / d) {
      error = "has an impossible number of elements";
      return false;
    }
    n *= d;
  }
  if (proto.data_location() == TensorProto::EXTERNAL) {
    error = "stores its data in an external file, which is not supported";
    return false;
  }
  tensor = HostTensor(dtype, shape);
  auto mismatch = [&](int64_t have) {
    error = "holds " + std::to_string(have) + " elements, but its shape [" +
            [&] {
              std::string s;
              for (size_t i = 0; i < shape.size(); ++i)
                s += (i ? "x" : "") + std::to_string(shape[i]);
              return s;
            }() +
            "] needs " + std::to_string(n);
    return false;
  };
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != static_cast<size_t>(n) * elementSize) {
      error = "holds " + std::to_string(raw.size()) + " bytes of data, " +
              std::to_string(static_cast<size_t>(n) * elementSize) +
              " expected";
      return false;
    }
    for (int64_t i = 0; i < n; ++i)
      decodeRaw(tensor, i, raw.data() + i * elementSize);
    return true;
  }
  switch (dtype) {
  case TensorProto::FLOAT:
    if (proto.float_data_size() != n)
      return mismatch(proto.float_data_size());
    for (int64_t i = 0; i < n; ++i)
      tensor.real[i] = proto.float_data(i);
    return true;
  case TensorProto::DOUBLE:
    if (proto.double_data_size() != n)
      return mismatch(proto.double_data_size());
    for (int64_t i = 0; i < n; ++i)
      tensor.real[i] = proto.double_data(i);
    return true;
  case TensorProto::INT64:
    if (proto.int64_data_size() != n)
      return mismatch(proto.int64_data_size());
    for (int64_t i = 0; i < n; ++i)
      tensor.ints[i] = proto.int64_data(i);
    return true;
  case TensorProto::UINT32:
  case TensorProto::UINT64:
    if (proto.uint64_data_size() != n)
      return mismatch(proto.uint64_data_size());
    for (int64_t i = 0; i < n; ++i)
      tensor.ints[i] = static_cast<int64_t>(proto.uint64_data(i));
    return true;
  default:
    // int32_data holds every narrower type, float16 as its bits.
    if (proto.int32_data_size() != n)
      return mismatch(proto.int32_data_size());
    for (int64_t i = 0; i < n; ++i) {
      int32_t v = proto.int32_data(i);
      if (dtype == TensorProto::FLOAT16 || dtype == TensorProto::BFLOAT16) {
        uint16_t bits = static_cast<uint16_t>(v);
        decodeRaw(tensor, i, reinterpret_cast<const char *>(&bits));
      } else {
        tensor.setInt(i, v);
      }
    }
    return true;
  }
}

HostTensor makeIntVector(llvm::ArrayRef<int64_t> values) {
  HostTensor t(TensorProto::INT64, {static_cast<int64_t>(values.size())});
  t.ints.assign(values.begin(), values.end());
  return t;
}

HostTensor makeScalar(DataType dtype, double value) {
  HostTensor t(dtype, {});
  t.set(0, value);
  return t;
}

} // namespace onnx_import
} // namespace qnn
