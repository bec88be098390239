#include "cell_log.h"

#include <utility>

namespace tr {

CellLog::CellLog(CellLog&& o) noexcept
    : blocks_(std::exchange(o.blocks_, {})), size_(std::exchange(o.size_, 0)), in_last_(std::exchange(o.in_last_, 0)) {}

CellLog& CellLog::operator=(CellLog&& o) noexcept {
  if (this != &o) {
    blocks_ = std::exchange(o.blocks_, {});
    size_ = std::exchange(o.size_, 0);
    in_last_ = std::exchange(o.in_last_, 0);
  }
  return *this;
}

void CellLog::add_block() {
  // Plain pages, committed as entries are written: a part-filled block costs
  // what it holds. (Huge pages saved no measurable time here, and a file's
  // part has a log per series: each last huge page would be mostly empty.)
  blocks_.emplace_back(capacity(blocks_.size()) * sizeof(Cell), false);
  in_last_ = 0;
}

void CellLog::clear() {
  std::vector<PageBuffer>().swap(blocks_);
  size_ = in_last_ = 0;
}

}  // namespace tr
