#pragma once
// Allocator for big buffers read at random (the n×n similarity matrix): 2 MiB aligned and advised for
// transparent huge pages, so random lookups are not dominated by TLB misses. Where the kernel declines,
// it behaves like an ordinary aligned allocation.

#include <cstddef>
#include <cstdlib>
#include <new>
#include <sys/mman.h>

namespace alignscope {

template <class T> struct LargePageAllocator
{
    using value_type = T;
    static constexpr std::size_t kHugePage = std::size_t(2) << 20;

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
        ::madvise(memory, rounded, MADV_HUGEPAGE);
        return static_cast<T*>(memory);
    }
    void deallocate(T* pointer, std::size_t) noexcept { std::free(pointer); }

    template <class U> bool operator==(const LargePageAllocator<U>&) const noexcept { return true; }
    template <class U> bool operator!=(const LargePageAllocator<U>&) const noexcept { return false; }
};

} // namespace alignscope
