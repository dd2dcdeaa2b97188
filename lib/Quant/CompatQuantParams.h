//===- CompatQuantParams.h - Other tools' rules for qparams -----*- C++ -*-===//
//
// The parameter choices of `CompatMode` (QuantParams.h), each a transcription
// of its peer's formula with the peer's float arithmetic. Private to the
// library: callers use `chooseQuantParams`, which dispatches here.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_QUANT_COMPATQUANTPARAMS_H
#define QNN_LIB_QUANT_COMPATQUANTPARAMS_H

#include "qnn/Quant/QuantParams.h"

namespace qnn::quantmath {

/// qnn-mlir's own rules (`CompatMode::None`), also the fallback of the
/// other modes where their peer's result is not a usable scale.
QuantParams chooseContractParams(float min, float max, const QuantSpec &spec);

/// torch.ao.quantization.observer.UniformQuantizationObserverBase.
/// _calculate_qparams.
QuantParams choosePyTorchParams(float min, float max, const QuantSpec &spec);

/// onnxruntime/python/tools/quantization/quant_utils.py compute_scale_zp.
QuantParams chooseOnnxRuntimeParams(float min, float max,
                                    const QuantSpec &spec);

/// TFLite: the converter's symmetric weights, and TensorFlow's FakeQuant
/// `Nudge` (tensorflow/core/kernels/fake_quant_ops_functor.h) for the rest.
QuantParams chooseTFLiteParams(float min, float max, const QuantSpec &spec);

} // namespace qnn::quantmath

#endif // QNN_LIB_QUANT_COMPATQUANTPARAMS_H
