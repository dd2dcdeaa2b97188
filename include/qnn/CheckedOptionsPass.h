//===- CheckedOptionsPass.h - Passes that reject bad options ----*- C++ -*-===//
//
// Every qnn pass with options that can be wrong (a non-positive size, an
// unknown op name, two options that contradict each other) checks them
// twice: when a textual pipeline is parsed (initializeOptions, before any IR
// is touched), and again when it runs, since passes built from C++ (the
// qnn-lower-to-llvm and qnn-pipeline pipelines) skip initializeOptions.
// This base does both, with one message format: "<pass argument>: <what
// is wrong>".
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CHECKEDOPTIONSPASS_H
#define QNN_CHECKEDOPTIONSPASS_H

#include "mlir/Pass/Pass.h"

#include <optional>
#include <string>

namespace qnn {

/// Sits between a pass and its ODS-generated base `BaseT`. `PassT` declares
/// a public `std::optional<std::string> findOptionProblem() const` that says
/// what is wrong with its options, if anything, and starts its
/// runOnOperation with `if (failed(checkOptions())) return
/// signalPassFailure();`.
template <typename PassT, typename BaseT>
class CheckedOptionsPass : public BaseT {
public:
  using BaseT::BaseT;

  mlir::LogicalResult
  initializeOptions(llvm::StringRef options,
                    llvm::function_ref<mlir::LogicalResult(const llvm::Twine &)>
                        errorHandler) override {
    if (mlir::failed(BaseT::initializeOptions(options, errorHandler)))
      return mlir::failure();
    if (std::optional<std::string> problem = findProblem())
      return errorHandler(this->getArgument() + ": " + *problem);
    return mlir::success();
  }

protected:
  /// An error at the pass's operation when the options are wrong.
  mlir::LogicalResult checkOptions() {
    std::optional<std::string> problem = findProblem();
    if (!problem)
      return mlir::success();
    return this->getOperation()->emitError()
           << this->getArgument() << ": " << *problem;
  }

private:
  std::optional<std::string> findProblem() const {
    return static_cast<const PassT *>(this)->findOptionProblem();
  }
};

} // namespace qnn

#endif // QNN_CHECKEDOPTIONSPASS_H
