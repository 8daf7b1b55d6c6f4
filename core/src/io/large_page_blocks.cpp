#include "alignscope/large_page_allocator.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace alignscope {

namespace {

// Sanitizer builds (the fuzz targets) free at once, so that a use after release is still caught.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRecycle = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
constexpr bool kRecycle = false;
#else
constexpr bool kRecycle = true;
#endif
#else
constexpr bool kRecycle = true;
#endif

struct Block
{
    void* memory;
    std::size_t bytes; // rounded to kHugePage
};

struct RecycledBlocks
{
    std::mutex mutex;
    std::vector<Block> blocks; // oldest first
    std::size_t bytes = 0;
};

RecycledBlocks& recycled()
{
    static RecycledBlocks* store = new RecycledBlocks; // never destroyed: blocks may be freed during exit
    return *store;
}

std::size_t rounded(std::size_t bytes)
{
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

} // namespace

namespace detail {

void* allocateLargeBlock(std::size_t bytes)
{
    const std::size_t size = rounded(bytes);
    if (kRecycle) {
        RecycledBlocks& store = recycled();
        const std::lock_guard<std::mutex> lock(store.mutex);
        // The newest block of exactly this size: repeated analyses ask for the same shapes.
        for (auto it = store.blocks.rbegin(); it != store.blocks.rend(); ++it)
            if (it->bytes == size) {
                void* memory = it->memory;
                store.bytes -= size;
                store.blocks.erase(std::next(it).base());
                return memory;
            }
    }
    void* memory = nullptr;
    if (::posix_memalign(&memory, kHugePage, size) != 0) throw std::bad_alloc();
    adviseHugePages(memory, size);
    return memory;
}

void releaseLargeBlock(void* block, std::size_t bytes) noexcept
{
    const std::size_t size = rounded(bytes);
    if (!kRecycle || size > kRecycledBytesLimit) {
        std::free(block);
        return;
    }
    std::vector<void*> evicted;
    {
        RecycledBlocks& store = recycled();
        const std::lock_guard<std::mutex> lock(store.mutex);
        try {
            store.blocks.push_back({block, size});
        } catch (...) {
            std::free(block);
            return;
        }
        store.bytes += size;
        size_t oldest = 0;
        while (store.bytes > kRecycledBytesLimit) {
            evicted.push_back(store.blocks[oldest].memory);
            store.bytes -= store.blocks[oldest].bytes;
            ++oldest;
        }
        store.blocks.erase(store.blocks.begin(), store.blocks.begin() + std::ptrdiff_t(oldest));
    }
    for (void* memory : evicted)
        std::free(memory);
}

} // namespace detail

void releaseRecycledBlocks() noexcept
{
    std::vector<Block> blocks;
    {
        RecycledBlocks& store = recycled();
        const std::lock_guard<std::mutex> lock(store.mutex);
        blocks.swap(store.blocks);
        store.bytes = 0;
    }
    for (const Block& block : blocks)
        std::free(block.memory);
}

std::size_t recycledBytes() noexcept
{
    RecycledBlocks& store = recycled();
    const std::lock_guard<std::mutex> lock(store.mutex);
    return store.bytes;
}

} // namespace alignscope
