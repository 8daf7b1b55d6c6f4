#include "alignscope/npy.h"

#include "alignscope/file_io.h"
#include "alignscope/large_page_allocator.h"
#include "array_order.h"
#include "npy_header.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

namespace alignscope {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
// Elements per array: far beyond any real feature file, small enough that size arithmetic cannot overflow.
constexpr std::int64_t kMaxElements = std::int64_t(1) << 40;

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = (h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1f;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { // subnormal: normalise
            int shift = 0;
            while (!(mantissa & 0x400u)) {
                mantissa <<= 1;
                ++shift;
            }
            mantissa &= 0x3ffu;
            bits = sign | (static_cast<std::uint32_t>(127 - 15 - shift + 1) << 23) | (mantissa << 13);
        }
    } else if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

// Reads one element of `size` bytes, swapping to host (little-endian) order when needed.
template <class T> T loadElement(const unsigned char* p, bool swap)
{
    unsigned char buffer[sizeof(T)];
    for (size_t b = 0; b < sizeof(T); ++b)
        buffer[b] = swap ? p[sizeof(T) - 1 - b] : p[b];
    T out;
    std::memcpy(&out, buffer, sizeof(T));
    return out;
}

// Fixed-width NumPy text: trailing NULs are padding.
std::optional<std::string> bytesToString(const unsigned char* p, size_t width)
{
    while (width > 0 && p[width - 1] == 0)
        --width;
    return std::string(reinterpret_cast<const char*>(p), width);
}

std::optional<std::string> utf32ToUtf8(const unsigned char* p, size_t units, bool swap)
{
    while (units > 0 && loadElement<std::uint32_t>(p + 4 * (units - 1), swap) == 0)
        --units;
    std::string out;
    for (size_t u = 0; u < units; ++u) {
        const std::uint32_t c = loadElement<std::uint32_t>(p + 4 * u, swap);
        if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return std::nullopt;
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xc0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xe0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (c & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (c & 0x3f));
        }
    }
    return out;
}

} // namespace

namespace {

struct NpyPreamble
{
    NpyHeader header;
    size_t dataOffset = 0;
    std::int64_t count = 0;
};

// Magic, version and header of a .npy file whose first `size` bytes are `data`.
Result<NpyPreamble> parsePreamble(const char* data, size_t size, const std::string& name)
{
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    if (size < 10 || std::memcmp(data, kMagic, 6) != 0)
        return makeError(name, "byte 0", "not a NumPy .npy file (missing \\x93NUMPY magic)");
    const int major = bytes[6];
    size_t headerLength = 0;
    size_t headerStart = 0;
    if (major == 1) {
        headerLength = bytes[8] | (bytes[9] << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (size < 12) return makeError(name, "byte 8", "truncated header length");
        headerLength = size_t(bytes[8]) | (size_t(bytes[9]) << 8) | (size_t(bytes[10]) << 16) |
                       (size_t(bytes[11]) << 24);
        headerStart = 12;
    } else {
        return makeError(name, "byte 6", "unsupported .npy format version " + std::to_string(major));
    }
    if (headerLength > size - headerStart)
        return makeError(name, "byte " + std::to_string(headerStart),
                         "truncated: header claims " + std::to_string(headerLength) + " bytes");
    const std::string headerText(data + headerStart, headerLength);
    auto header = parseNpyHeader(headerText, name, headerStart);
    if (!header) return header.error();
    const std::int64_t count = checkedElementCount(header->shape, kMaxElements);
    if (count < 0) return makeError(name, "header", "absurd shape " + header->shapeText);
    return NpyPreamble{std::move(header).value(), headerStart + headerLength, count};
}

// Storage for the array in its native layout (little-endian, C order, float32/float64/int64), which the
// file's bytes can be copied into as they are; nullptr for any other layout.
void* nativeStorage(NdArray& array, const NpyHeader& header, size_t count)
{
    const bool cOrder = !header.fortranOrder || header.shape.size() <= 1;
    if (header.bigEndian || !cOrder) return nullptr;
    if (header.kind == 'i' && header.itemSize == 8) {
        array.kind = ElementKind::Int64;
        reserveOnHugePages(array.i64, count);
        array.i64.resize(count);
        return array.i64.data();
    }
    if (header.kind == 'f' && header.itemSize == 8) {
        array.kind = ElementKind::Float64;
        reserveOnHugePages(array.f64, count);
        array.f64.resize(count);
        return array.f64.data();
    }
    if (header.kind == 'f' && header.itemSize == 4) {
        array.kind = ElementKind::Float32;
        reserveOnHugePages(array.f32, count);
        array.f32.resize(count);
        return array.f32.data();
    }
    return nullptr;
}

// The preamble of an opened .npy file, from its first bytes (headers are far shorter than 16 KiB).
Result<NpyPreamble> readPreamble(const InputFile& file, const std::string& path)
{
    std::vector<char> prefix(size_t(std::min<std::uint64_t>(file.size(), 16384)));
    auto got = file.readAt(0, prefix.data(), prefix.size());
    if (!got) return got.error();
    return parsePreamble(prefix.data(), *got, path);
}

} // namespace

Result<NdArray> parseNpy(const char* data, size_t size, const std::string& name)
{
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    auto preamble = parsePreamble(data, size, name);
    if (!preamble) return preamble.error();
    const NpyHeader* header = &preamble->header;
    const std::int64_t count = preamble->count;
    const size_t dataOffset = preamble->dataOffset;
    const std::uint64_t expected = static_cast<std::uint64_t>(count) * header->itemSize;
    const std::uint64_t available = size - dataOffset;
    if (available < expected)
        return makeError(name, "byte " + std::to_string(dataOffset),
                         "truncated: shape " + header->shapeText + " needs " + std::to_string(expected) +
                             " bytes of data, file has " + std::to_string(available));
    if (available > expected)
        return makeError(name, "byte " + std::to_string(dataOffset + expected),
                         std::to_string(available - expected) + " unexpected bytes after the array data");

    NdArray array;
    array.shape = header->shape;
    array.sourceDtype = header->descr;
    const unsigned char* payload = bytes + dataOffset;
    const bool swap = header->bigEndian;
    const size_t n = static_cast<size_t>(count);
    std::vector<std::int64_t> order;
    if (header->fortranOrder && header->shape.size() > 1) order = fortranIndexForCOrder(header->shape, count);
    auto source = [&](size_t i) {
        return payload + (order.empty() ? i : size_t(order[i])) * header->itemSize;
    };

    const char kindCode = header->kind;
    const int width = header->itemSize;
    if (kindCode == 'U' || kindCode == 'S') {
        array.kind = ElementKind::String;
        array.str.resize(n);
        for (size_t i = 0; i < n; ++i) {
            auto text = kindCode == 'S' ? bytesToString(source(i), size_t(width))
                                        : utf32ToUtf8(source(i), size_t(width) / 4, swap);
            if (!text)
                return makeError(name, "element " + std::to_string(i), "invalid character in a text element");
            array.str[i] = std::move(*text);
        }
        return array;
    }
    // The common case, little-endian C order in the type kept: one copy.
    if (void* target = nativeStorage(array, *header, n)) {
        if (n > 0) std::memcpy(target, payload, n * size_t(width));
        return array;
    }
    if (kindCode == 'f') {
        if (width == 8) {
            array.kind = ElementKind::Float64;
            array.f64.resize(n);
            for (size_t i = 0; i < n; ++i)
                array.f64[i] = loadElement<double>(source(i), swap);
        } else {
            array.kind = ElementKind::Float32;
            array.f32.resize(n);
            for (size_t i = 0; i < n; ++i)
                array.f32[i] = width == 4 ? loadElement<float>(source(i), swap)
                                          : halfToFloat(loadElement<std::uint16_t>(source(i), swap));
        }
        return array;
    }
    array.kind = ElementKind::Int64;
    array.i64.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const unsigned char* p = source(i);
        std::int64_t value = 0;
        if (kindCode == 'b') {
            if (*p > 1) return makeError(name, "element " + std::to_string(i), "boolean byte is not 0 or 1");
            value = *p;
        } else if (kindCode == 'i') {
            switch (width) {
            case 1:
                value = static_cast<std::int8_t>(*p);
                break;
            case 2:
                value = loadElement<std::int16_t>(p, swap);
                break;
            case 4:
                value = loadElement<std::int32_t>(p, swap);
                break;
            default:
                value = loadElement<std::int64_t>(p, swap);
                break;
            }
        } else {
            switch (width) {
            case 1:
                value = *p;
                break;
            case 2:
                value = loadElement<std::uint16_t>(p, swap);
                break;
            case 4:
                value = loadElement<std::uint32_t>(p, swap);
                break;
            default: {
                const auto wide = loadElement<std::uint64_t>(p, swap);
                if (wide > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return makeError(name, "element " + std::to_string(i),
                                     "uint64 value exceeds int64 range");
                value = static_cast<std::int64_t>(wide);
            }
            }
        }
        array.i64[i] = value;
    }
    return array;
}

std::optional<Status> streamNpyIntegerRows(const std::string& path, const NpyRowConsumer& consume)
{
    auto file = InputFile::open(path);
    if (!file) return std::nullopt;
    auto preamble = readPreamble(*file, path);
    if (!preamble) return std::nullopt;
    const NpyHeader& header = preamble->header;
    const int width = header.itemSize;
    if (header.kind != 'i' || (width != 4 && width != 8) || header.bigEndian || header.shape.size() != 2 ||
        header.fortranOrder)
        return std::nullopt;
    const NpyMatrixShape shape{header.shape[0], header.shape[1]};
    if (file->size() != preamble->dataOffset + std::uint64_t(preamble->count) * std::uint64_t(width))
        return std::nullopt;
    const std::int64_t blockRows =
        shape.cols > 0 ? std::max<std::int64_t>(1, (std::int64_t(1) << 20) / shape.cols) : 1;
    std::vector<char> raw;
    std::vector<std::int64_t> values;
    for (std::int64_t first = 0; first < shape.rows; first += blockRows) {
        const std::int64_t count = std::min(blockRows, shape.rows - first);
        const size_t bytes = size_t(count * shape.cols * width);
        raw.resize(bytes);
        const std::uint64_t offset = preamble->dataOffset + std::uint64_t(first * shape.cols * width);
        auto got = file->readAt(offset, raw.data(), bytes);
        if (!got) return Status(got.error());
        if (*got < bytes)
            return Status(
                makeError(path, "byte " + std::to_string(offset + *got), "the file shrank while reading"));
        values.resize(size_t(count * shape.cols));
        if (width == 8) {
            std::memcpy(values.data(), raw.data(), bytes);
        } else {
            for (size_t v = 0; v < values.size(); ++v) {
                std::int32_t narrow;
                std::memcpy(&narrow, raw.data() + 4 * v, 4);
                values[v] = narrow;
            }
        }
        auto consumed = consume(shape, first, values.data(), count);
        if (!consumed) return consumed;
    }
    if (shape.rows == 0) {
        auto consumed = consume(shape, 0, nullptr, 0);
        if (!consumed) return consumed;
    }
    return okStatus();
}

Result<NdArray> readNpy(const std::string& path)
{
    // Arrays in the common layout (little-endian, C order, float32/float64/int64) are read straight into
    // their storage, without a second copy of the file; anything else, and every error, goes through
    // parseNpy.
    if (auto file = InputFile::open(path)) {
        auto preamble = readPreamble(*file, path);
        const std::uint64_t bytes =
            preamble ? std::uint64_t(preamble->count) * std::uint64_t(preamble->header.itemSize) : 0;
        if (preamble && file->size() == preamble->dataOffset + bytes) {
            NdArray array;
            array.shape = preamble->header.shape;
            array.sourceDtype = preamble->header.descr;
            void* target = nullptr;
            try {
                target = nativeStorage(array, preamble->header, size_t(preamble->count));
            } catch (const std::bad_alloc&) {
                return makeError(path, "", "not enough memory for shape " + preamble->header.shapeText);
            }
            if (target) {
                auto got = file->readAt(preamble->dataOffset, target, size_t(bytes));
                if (got && *got == bytes) return array;
            }
        }
    }
    auto bytes = readWholeFile(path);
    if (!bytes) return bytes.error();
    return parseNpy(bytes->data(), bytes->size(), path);
}

std::vector<char> encodeNpy(const NdArray& array)
{
    const char* descr = array.kind == ElementKind::Float32   ? "<f4"
                        : array.kind == ElementKind::Float64 ? "<f8"
                                                             : "<i8";
    std::string header = std::string("{'descr': '") + descr +
                         "', 'fortran_order': False, 'shape': " + array.shapeString() + ", }";
    // Pad with spaces so that the data starts on a 64-byte boundary, newline last (as numpy does).
    size_t prefix = 10;
    size_t total = prefix + header.size() + 1;
    int major = 1;
    if (total + 63 > 65535 + 10) {
        major = 2;
        prefix = 12;
        total = prefix + header.size() + 1;
    }
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::vector<char> out(kMagic, kMagic + 6);
    out.push_back(static_cast<char>(major));
    out.push_back(0);
    const size_t length = header.size();
    for (size_t b = 0; b < prefix - 8; ++b)
        out.push_back(static_cast<char>((length >> (8 * b)) & 0xff));
    out.insert(out.end(), header.begin(), header.end());
    const char* payload = nullptr;
    size_t payloadBytes = 0;
    switch (array.kind) {
    case ElementKind::Float32:
        payload = reinterpret_cast<const char*>(array.f32.data());
        payloadBytes = array.f32.size() * 4;
        break;
    case ElementKind::Float64:
        payload = reinterpret_cast<const char*>(array.f64.data());
        payloadBytes = array.f64.size() * 8;
        break;
    case ElementKind::Int64:
        payload = reinterpret_cast<const char*>(array.i64.data());
        payloadBytes = array.i64.size() * 8;
        break;
    case ElementKind::String:
        break; // writeNpy refuses text arrays
    }
    out.insert(out.end(), payload, payload + payloadBytes); // host is little-endian (x86-64, arm64)
    return out;
}

Status writeNpy(const std::string& path, const NdArray& array)
{
    if (!array.isNumeric()) return makeError(path, "", "writing text arrays is not supported");
    const std::vector<char> bytes = encodeNpy(array);
    return writeFileAtomically(path, bytes.data(), bytes.size());
}

NdArray makeFloat32Array(std::vector<std::int64_t> shape, std::vector<float> values)
{
    NdArray array;
    array.shape = std::move(shape);
    array.kind = ElementKind::Float32;
    array.sourceDtype = "<f4";
    array.f32 = std::move(values);
    return array;
}

NdArray makeInt64Array(std::vector<std::int64_t> shape, std::vector<std::int64_t> values)
{
    NdArray array;
    array.shape = std::move(shape);
    array.kind = ElementKind::Int64;
    array.sourceDtype = "<i8";
    array.i64 = std::move(values);
    return array;
}

} // namespace alignscope
