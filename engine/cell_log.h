// An append-only log of (school, cell) pairs for the dataset builder. A national
// read appends millions of cells; the log keeps them in blocks of pages mapped
// for it alone, so clear() hands the memory straight back to the system. Heap
// memory freed by a big vector would stay resident while the builder lays out
// the same cells again, and the read would peak at both copies.
#pragma once

#include "dataset.h"
#include "page_buffer.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace tr {

class CellLog {
 public:
  // 28 bytes, not the 32 a Cell member's alignment would make it: the logs of a
  // national read are its peak memory. The cell is copied in and out, never
  // referenced where it lies (it is not aligned for a double).
  struct Entry {
    uint32_t school;  // the builder's index
    unsigned char bytes[sizeof(Cell)];
    Cell cell() const {
      Cell c;
      std::memcpy(&c, bytes, sizeof c);
      return c;
    }
  };
  static_assert(sizeof(Entry) == sizeof(uint32_t) + sizeof(Cell));

  CellLog() = default;
  CellLog(CellLog&& o) noexcept;
  CellLog& operator=(CellLog&& o) noexcept;
  CellLog(const CellLog&) = delete;
  CellLog& operator=(const CellLog&) = delete;
  ~CellLog() = default;  // the blocks unmap themselves

  void push(uint32_t school, const Cell& cell) {
    if (blocks_.empty() || in_last_ == capacity(blocks_.size() - 1)) add_block();
    Entry& e = entries(blocks_.back())[in_last_++];
    e.school = school;
    std::memcpy(e.bytes, &cell, sizeof cell);
    ++size_;
  }
  size_t size() const { return size_; }
  // Calls f(entry) in the order pushed.
  template <typename F>
  void each(F&& f) const {
    for (size_t b = 0; b < blocks_.size(); ++b) {
      size_t n = b + 1 < blocks_.size() ? capacity(b) : in_last_;
      const Entry* e = entries(blocks_[b]);
      for (size_t i = 0; i < n; ++i) f(e[i]);
    }
  }
  void clear();  // unmaps every block

  // Blocks double from 112 KB up to 7 MB: a log of a few hundred cells stays
  // small, and a national one takes few mappings.
  static size_t capacity(size_t block) { return kFirst << (block < kDoublings ? block : kDoublings); }
  static constexpr size_t kFirst = 4096, kDoublings = 6;

 private:
  static Entry* entries(const PageBuffer& b) { return reinterpret_cast<Entry*>(b.data()); }
  void add_block();
  std::vector<PageBuffer> blocks_;
  size_t size_ = 0, in_last_ = 0;
};

}  // namespace tr
