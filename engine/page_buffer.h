// Memory for the big buffers of a national read — a file's bytes, the
// builder's logs — mapped for the buffer alone, in transparent huge pages
// where that pays and the kernel offers them, and handed back to the system as
// soon as the buffer goes (freed heap memory stays resident). Reading a
// national file, the kernel's page faults took about as long as the parsing.
#pragma once

#include <cstddef>

namespace tr {

class PageBuffer {
 public:
  PageBuffer() = default;
  // Zero-filled; throws std::bad_alloc. With huge_pages, a buffer of 2 MB or
  // more is asked for in huge pages: fewer faults, but each part-touched 2 MB
  // costs 2 MB, so it suits a buffer that will be filled.
  explicit PageBuffer(size_t bytes, bool huge_pages = true);
  PageBuffer(PageBuffer&& o) noexcept;
  PageBuffer& operator=(PageBuffer&& o) noexcept;
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;
  ~PageBuffer();

  char* data() const { return p_; }
  size_t size() const { return size_; }
  // Hands the whole pages inside [from, to) back to the system; they read as
  // zeros after. A parser calls it behind itself, so a file's bytes are not all
  // resident at once while the cells read from them pile up. Returns where the
  // pages released end (`to`, rounded down to a page): the next call's `from`.
  size_t release(size_t from, size_t to);

 private:
  char* p_ = nullptr;
  size_t size_ = 0, mapped_ = 0;
};

// Asks for huge pages over the whole 2 MB pages inside [p, p + bytes): for a
// big buffer that something else allocated and nothing has touched yet.
void advise_huge_pages(const void* p, size_t bytes);

}  // namespace tr
