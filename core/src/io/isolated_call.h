#pragma once
// Runs third-party readers (libmatio, libhdf5) in a forked child process with a memory cap, because
// fuzzing showed both can attempt multi-gigabyte allocations or crash on corrupt headers. The child
// sends its serialized result through a pipe; a crash, kill or timeout becomes an Error in the parent.

#include "alignscope/ndarray.h"
#include "alignscope/result.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace alignscope {

// `work` runs in the child and returns bytes for the parent; `memoryAllowance` is added to the
// process's current address-space size as the child's limit.
Result<std::string> runIsolated(const std::string& label, const std::function<std::string()>& work,
                                std::uint64_t memoryAllowance, int timeoutSeconds = 600);

struct NamedShape;

// runIsolated for the two shapes of reader: one array, or a listing of named arrays.
Result<NdArray> readArrayIsolated(const std::string& path, const std::function<Result<NdArray>()>& read);
Result<std::vector<NamedShape>> listIsolated(const std::string& path,
                                             const std::function<Result<std::vector<NamedShape>>()>& list);

// Byte serialization of the values isolated readers return.
class ByteWriter
{
public:
    void u64(std::uint64_t v) { m_out.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void str(const std::string& s)
    {
        u64(s.size());
        m_out += s;
    }
    void raw(const void* data, size_t bytes)
    {
        u64(bytes);
        m_out.append(static_cast<const char*>(data), bytes);
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

class ByteReader
{
public:
    explicit ByteReader(const std::string& in) : m_in(in) {}
    bool u64(std::uint64_t& v)
    {
        if (m_in.size() - m_pos < sizeof v) return false;
        std::memcpy(&v, m_in.data() + m_pos, sizeof v);
        m_pos += sizeof v;
        return true;
    }
    bool str(std::string& s)
    {
        std::uint64_t n;
        if (!u64(n) || m_in.size() - m_pos < n) return false;
        s.assign(m_in, m_pos, n);
        m_pos += n;
        return true;
    }

private:
    const std::string& m_in;
    size_t m_pos = 0;
};

struct NamedShape
{
    std::string name;
    std::string type;
    std::vector<std::int64_t> shape;
};

// Memory a child reader may use beyond the parent's size: generous for real files, far below a machine.
std::uint64_t isolatedReaderAllowance(const std::string& path);

std::string encodeError(const Error& error);
std::string encodeNamedShapes(const std::vector<NamedShape>& items);
Result<std::vector<NamedShape>> decodeNamedShapes(const std::string& bytes, const std::string& label);
std::string encodeArray(const NdArray& array);
// Decodes a value written by encodeArray, or an Error written by encodeError.
Result<NdArray> decodeArray(const std::string& bytes, const std::string& label);
bool decodeErrorIfAny(const std::string& bytes, Error& error);

} // namespace alignscope
