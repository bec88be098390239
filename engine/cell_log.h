// An append-only log of (school, cell) pairs for the dataset builder. A national
// read appends millions of cells; the log keeps them in blocks of pages mapped
// for it alone, so clear() hands the memory straight back to the system. Heap
// memory freed by a big vector would stay resident while the builder lays out
// the same cells again, and the read would peak at both copies.
#pragma once

#include "dataset.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tr {

class CellLog {
 public:
  struct Entry {
    uint32_t school;  // the builder's index
    Cell cell;
  };

  CellLog() = default;
  CellLog(CellLog&& o) noexcept;
  CellLog& operator=(CellLog&& o) noexcept;
  CellLog(const CellLog&) = delete;
  CellLog& operator=(const CellLog&) = delete;
  ~CellLog() { clear(); }

  void push(uint32_t school, const Cell& cell) {
    if (size_ % kBlock == 0) add_block();
    blocks_.back()[size_ % kBlock] = {school, cell};
    ++size_;
  }
  size_t size() const { return size_; }
  const Entry& operator[](size_t i) const { return blocks_[i / kBlock][i % kBlock]; }
  // Calls f(entry) in the order pushed.
  template <typename F>
  void each(F&& f) const {
    for (size_t b = 0; b < blocks_.size(); ++b) {
      size_t n = b + 1 < blocks_.size() ? kBlock : size_ - b * kBlock;
      for (size_t i = 0; i < n; ++i) f(blocks_[b][i]);
    }
  }
  void clear();  // unmaps every block

  static constexpr size_t kBlock = size_t{1} << 16;  // entries a block: 2.5 MB

 private:
  void add_block();
  std::vector<Entry*> blocks_;
  size_t size_ = 0;
};

}  // namespace tr
