#pragma once
// SHA-256 of byte strings and files: model identities in the feature cache, download checks.

#include "alignscope/result.h"

#include <array>
#include <cstdint>
#include <string>

namespace alignscope {

class Sha256
{
public:
    Sha256();
    void update(const void* data, size_t size);
    std::string hexDigest(); // finishes the hash; the object must not be updated afterwards

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer{};
    size_t m_buffered = 0;
    std::uint64_t m_totalBytes = 0;
};

std::string sha256Hex(const std::string& bytes);
// Streams the file; the error names the file.
Result<std::string> sha256OfFile(const std::string& path);

} // namespace alignscope
