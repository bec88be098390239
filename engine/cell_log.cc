#include "cell_log.h"

#include <sys/mman.h>

#include <new>
#include <utility>

namespace tr {

namespace {
constexpr size_t kBytes = CellLog::kBlock * sizeof(CellLog::Entry);
}

CellLog::CellLog(CellLog&& o) noexcept
    : blocks_(std::exchange(o.blocks_, {})), size_(std::exchange(o.size_, 0)) {}

CellLog& CellLog::operator=(CellLog&& o) noexcept {
  if (this != &o) {
    clear();
    blocks_ = std::exchange(o.blocks_, {});
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

void CellLog::add_block() {
  // Pages are only committed as entries are written, so a series' last,
  // part-filled block costs what it holds.
  void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  blocks_.push_back(static_cast<Entry*>(p));
}

void CellLog::clear() {
  for (Entry* b : blocks_) munmap(b, kBytes);
  std::vector<Entry*>().swap(blocks_);
  size_ = 0;
}

}  // namespace tr
