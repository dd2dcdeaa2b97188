//===- QNNCalibrationOps.td - Calibration markers ----------*- tablegen -*-===//
//
// Ops that exist for calibration: they mark fp32 values whose statistics a
// calibration run records, and otherwise leave the computation unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNCALIBRATIONOPS_TD
#define QNN_DIALECT_QNN_IR_QNNCALIBRATIONOPS_TD

def QNN_ObserveOp : QNN_Op<"observe", [
    AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Record the statistics of a value during calibration";
  let description = [{
    Returns its input unchanged. When the module runs for calibration
    (`qnn-run --calibrate`), every execution hands the value to the runner,
    which accumulates its statistics (min, max, moving averages, a
    histogram) under `name`, the value's stable name
    (include/qnn/Dialect/QNN/Transforms/ValueNames.h), the key `qnn-quantize`
    looks up in the statistics file. `qnn-insert-observers` places these ops;
    the op has a side effect so that no cleanup removes it.

    ```mlir
    %h = qnn.observe %relu {name = "fc1.relu"} : tensor<360x64xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input, StrAttr:$name);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNCALIBRATIONOPS_TD
