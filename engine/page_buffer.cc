#include "page_buffer.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <utility>

namespace tr {

namespace {

constexpr size_t kHuge = size_t{2} << 20;
constexpr size_t kPage = 4096;

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

PageBuffer::PageBuffer(size_t bytes, bool huge_pages) : size_(bytes) {
  if (bytes == 0) return;
  // Below one huge page the mapping is plain pages; above, it starts on a
  // huge-page boundary so that every 2 MB of it can be one page.
  const bool huge = huge_pages && bytes >= kHuge;
  mapped_ = round_up(bytes, huge ? kHuge : kPage);
  const size_t slack = huge ? kHuge : 0;
  void* m = mmap(nullptr, mapped_ + slack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) throw std::bad_alloc();
  auto* base = static_cast<char*>(m);
  auto at = reinterpret_cast<uintptr_t>(base);
  char* aligned = huge ? base + (round_up(at, kHuge) - at) : base;
  if (aligned > base) munmap(base, static_cast<size_t>(aligned - base));
  const size_t tail = static_cast<size_t>((base + mapped_ + slack) - (aligned + mapped_));
  if (tail > 0) munmap(aligned + mapped_, tail);
  if (huge) madvise(aligned, mapped_, MADV_HUGEPAGE);  // a hint: plain pages if refused
  p_ = aligned;
}

PageBuffer::PageBuffer(PageBuffer&& o) noexcept
    : p_(std::exchange(o.p_, nullptr)), size_(std::exchange(o.size_, 0)), mapped_(std::exchange(o.mapped_, 0)) {}

PageBuffer& PageBuffer::operator=(PageBuffer&& o) noexcept {
  if (this != &o) {
    if (p_) munmap(p_, mapped_);
    p_ = std::exchange(o.p_, nullptr);
    size_ = std::exchange(o.size_, 0);
    mapped_ = std::exchange(o.mapped_, 0);
  }
  return *this;
}

PageBuffer::~PageBuffer() {
  if (p_) munmap(p_, mapped_);
}

size_t PageBuffer::release(size_t from, size_t to) {
  // In the buffer's own page size, so that no huge page is split.
  const size_t page = mapped_ % kHuge == 0 && mapped_ >= kHuge ? kHuge : kPage;
  const size_t begin = round_up(from, page), end = std::min(to, size_) / page * page;
  if (!p_ || end <= begin) return from;  // no whole page inside: nothing goes
  madvise(p_ + begin, end - begin, MADV_DONTNEED);
  return end;
}

void advise_huge_pages(const void* p, size_t bytes) {
  auto begin = round_up(reinterpret_cast<uintptr_t>(p), kHuge);
  auto end = (reinterpret_cast<uintptr_t>(p) + bytes) / kHuge * kHuge;
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace tr
