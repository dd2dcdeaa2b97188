//===- Progress.cpp - A progress bar on stderr ----------------------------===//

#include "qnn/Runner/Progress.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

namespace qnn::runner {

static constexpr int64_t kWidth = 30;

ProgressBar::ProgressBar(llvm::StringRef label)
    : ProgressBar(label, llvm::sys::Process::StandardErrIsDisplayed()) {}

ProgressBar::ProgressBar(llvm::StringRef label, bool enabled)
    : label(label.str()), enabled(enabled) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::update(int64_t done, int64_t total) {
  if (!enabled || total <= 0)
    return;
  int64_t filled = done * kWidth / total;
  llvm::errs() << '\r' << label << " [" << std::string(filled, '#')
               << std::string(kWidth - filled, ' ') << "] " << done << "/"
               << total;
  llvm::errs().flush();
  drawn = true;
}

void ProgressBar::clear() {
  if (!drawn)
    return;
  // Erase the line so that what follows starts clean.
  llvm::errs() << "\r\x1b[2K";
  llvm::errs().flush();
  drawn = false;
}

} // namespace qnn::runner
