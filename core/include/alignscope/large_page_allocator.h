#pragma once
// Allocator for big buffers read at random (the n×n similarity matrix): 2 MiB aligned and advised for
// transparent huge pages, so random lookups are not dominated by TLB misses. Where the kernel declines,
// it behaves like an ordinary aligned allocation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <sys/mman.h>
#include <vector>

namespace alignscope {

constexpr std::size_t kHugePage = std::size_t(2) << 20; // x86-64 transparent huge page

// Advises transparent huge pages for the 2 MiB-aligned part of [pointer, pointer + bytes).
inline void adviseHugePages(const void* pointer, std::size_t bytes)
{
    const std::uintptr_t begin =
        (reinterpret_cast<std::uintptr_t>(pointer) + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(pointer) + bytes) & ~(kHugePage - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Reserves room for `count` elements and advises huge pages for it before anything touches it (a large
// vector's buffer is a fresh mapping). Per-triplet buffers at THINGS scale are tens of MB: faulted in 4 KiB
// pages, their page faults and zeroing took most of an analysis on a VM (perf). Programs that start with
// glibc.malloc.hugetlb=1 (the CLI and GUI, app/huge_pages.h) get this anyway; a Python process does not.
template <class T, class A> void reserveOnHugePages(std::vector<T, A>& vector, std::size_t count)
{
    if (vector.capacity() >= count) return;
    vector.reserve(count);
    adviseHugePages(vector.data(), count * sizeof(T));
}

template <class T> struct LargePageAllocator
{
    using value_type = T;

    LargePageAllocator() = default;
    template <class U> LargePageAllocator(const LargePageAllocator<U>&) noexcept {}

    T* allocate(std::size_t count)
    {
        const std::size_t bytes = count * sizeof(T);
        if (bytes < kHugePage) {
            if (void* small = std::malloc(bytes ? bytes : 1)) return static_cast<T*>(small);
            throw std::bad_alloc();
        }
        void* memory = nullptr;
        const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
        if (::posix_memalign(&memory, kHugePage, rounded) != 0) throw std::bad_alloc();
        adviseHugePages(memory, rounded);
        return static_cast<T*>(memory);
    }
    void deallocate(T* pointer, std::size_t) noexcept { std::free(pointer); }

    template <class U> bool operator==(const LargePageAllocator<U>&) const noexcept { return true; }
    template <class U> bool operator!=(const LargePageAllocator<U>&) const noexcept { return false; }
};

} // namespace alignscope
