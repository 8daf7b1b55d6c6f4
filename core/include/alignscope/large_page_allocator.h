#pragma once
// Allocator for big buffers read at random (the n×n similarity matrix, the triplets): 2 MiB aligned and
// advised for transparent huge pages, so random lookups are not dominated by TLB misses, and recycled between
// analyses (see detail::allocateLargeBlock). Where the kernel declines huge pages, it behaves like an
// ordinary aligned allocation.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <sys/mman.h>
#include <type_traits>
#include <utility>
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

namespace detail {
// Blocks of at least kHugePage bytes, 2 MiB aligned and advised for huge pages. Released blocks are kept (up
// to kRecycledBytesLimit in all) and handed out again for the same rounded size: a fresh mapping is
// page-faulted and cleared by the kernel, which on a VM took 10-40 ms per 37 MB buffer, a fifth of an
// odd-one-out call repeated in one process (Python, the GUI). Thread-safe.
void* allocateLargeBlock(std::size_t bytes);
void releaseLargeBlock(void* block, std::size_t bytes) noexcept;
} // namespace detail

constexpr std::size_t kRecycledBytesLimit = std::size_t(256) << 20;

// Returns every kept block to the system (the Python module's release_memory()).
void releaseRecycledBlocks() noexcept;
// Bytes now kept for reuse.
std::size_t recycledBytes() noexcept;

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
        return static_cast<T*>(detail::allocateLargeBlock(bytes));
    }
    void deallocate(T* pointer, std::size_t count) noexcept
    {
        if (count * sizeof(T) < kHugePage)
            std::free(pointer);
        else
            detail::releaseLargeBlock(pointer, count * sizeof(T));
    }
    // resize() default-initialises instead of zeroing: every user overwrites the whole buffer (the Gram
    // matrix), and a zeroing pass over 14 MB was 3% of an odd-one-out call (perf).
    template <class U> void construct(U* pointer) noexcept(std::is_nothrow_default_constructible_v<U>)
    {
        ::new (static_cast<void*>(pointer)) U;
    }
    template <class U, class... Args> void construct(U* pointer, Args&&... args)
    {
        ::new (static_cast<void*>(pointer)) U(std::forward<Args>(args)...);
    }

    template <class U> bool operator==(const LargePageAllocator<U>&) const noexcept { return true; }
    template <class U> bool operator!=(const LargePageAllocator<U>&) const noexcept { return false; }
};

} // namespace alignscope
