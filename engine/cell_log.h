// An append-only log of cells for the dataset builder (whose school each is, the
// builder knows from the rows they were read in: dataset_builder.h). A national
// read appends millions of cells; the log keeps them in blocks of pages mapped
// for it alone, so clear() hands the memory straight back to the system. Heap
// memory freed by a big vector would stay resident while the builder lays out
// the same cells again, and the read would peak at both copies.
#pragma once

#include "dataset.h"
#include "page_buffer.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tr {

class CellLog {
 public:
  CellLog() = default;
  CellLog(CellLog&& o) noexcept;
  CellLog& operator=(CellLog&& o) noexcept;
  CellLog(const CellLog&) = delete;
  CellLog& operator=(const CellLog&) = delete;
  ~CellLog() = default;  // the blocks unmap themselves

  void push(const Cell& cell) {
    if (blocks_.empty() || in_last_ == capacity(blocks_.size() - 1)) add_block();
    cells(blocks_.back())[in_last_++] = cell;
    ++size_;
  }
  size_t size() const { return size_; }
  // Calls f(cell) in the order pushed.
  template <typename F>
  void each(F&& f) const {
    for (size_t b = 0; b < blocks_.size(); ++b) {
      size_t n = b + 1 < blocks_.size() ? capacity(b) : in_last_;
      const Cell* c = cells(blocks_[b]);
      for (size_t i = 0; i < n; ++i) f(c[i]);
    }
  }
  void clear();  // unmaps every block

  // Blocks double from 96 KB up to 6 MB: a log of a few hundred cells stays
  // small, and a national one takes few mappings.
  static size_t capacity(size_t block) { return kFirst << (block < kDoublings ? block : kDoublings); }
  static constexpr size_t kFirst = 4096, kDoublings = 6;

 private:
  static Cell* cells(const PageBuffer& b) { return reinterpret_cast<Cell*>(b.data()); }
  void add_block();
  std::vector<PageBuffer> blocks_;
  size_t size_ = 0, in_last_ = 0;
};

}  // namespace tr
