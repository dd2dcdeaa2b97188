//===- Progress.h - A progress bar on stderr --------------------*- C++ -*-===//
//
// Shown only when stderr is a terminal, so that logs and lit tests see
// nothing of it.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_PROGRESS_H
#define QNN_RUNNER_PROGRESS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace qnn::runner {

class ProgressBar {
public:
  /// Enabled by default when stderr is displayed (a terminal).
  explicit ProgressBar(llvm::StringRef label);
  ProgressBar(llvm::StringRef label, bool enabled);
  /// Clears the bar.
  ~ProgressBar();

  /// Redraws the bar at `done` of `total`.
  void update(int64_t done, int64_t total);
  /// Clears the bar; later updates draw it again.
  void clear();

private:
  std::string label;
  bool enabled;
  bool drawn = false;
};

} // namespace qnn::runner

#endif // QNN_RUNNER_PROGRESS_H
