#include "alignscope/npz.h"

#include <cstdlib>

#include "alignscope/file_io.h"
#include "alignscope/npy.h"

#include <memory>

#if ALIGNSCOPE_HAVE_LIBZIP
#include <zip.h>

namespace alignscope {

namespace {

// Deflate cannot compress better than about 1032:1; a larger declared ratio is a corrupt or hostile header.
constexpr std::uint64_t kMaxDeflateRatio = 1100;

// An archive member is inflated into memory whole: members over this size (4 GiB unless
// ALIGNSCOPE_MAX_ARRAY_BYTES says otherwise) are refused before inflating, so a small "zip bomb" cannot take
// the memory of the machine.
std::uint64_t maxDecompressedBytes()
{
    static const std::uint64_t limit = [] {
        const char* text = std::getenv("ALIGNSCOPE_MAX_ARRAY_BYTES");
        char* end = nullptr;
        const unsigned long long value = text ? std::strtoull(text, &end, 10) : 0;
        return text && end && *end == '\0' && value > 0 ? std::uint64_t(value) : std::uint64_t(4) << 30;
    }();
    return limit;
}

struct ZipCloser
{
    void operator()(zip_t* archive) const { zip_discard(archive); }
};
using ZipHandle = std::unique_ptr<zip_t, ZipCloser>;

std::string zipErrorText(zip_error_t* error)
{
    const std::string text = zip_error_strerror(error);
    zip_error_fini(error);
    return text;
}

Result<ZipHandle> openArchive(const std::string& path, const char* data, size_t size)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = data ? zip_source_buffer_create(data, size, 0, &error)
                                : zip_source_file_create(path.c_str(), 0, -1, &error);
    if (!source) return makeError(path, "", "cannot open archive: " + zipErrorText(&error));
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!archive) {
        zip_source_free(source);
        return makeError(path, "", "not a valid zip/npz archive: " + zipErrorText(&error));
    }
    zip_error_fini(&error);
    return ZipHandle(archive);
}

std::string keyOf(const std::string& memberName)
{
    const std::string suffix = ".npy";
    if (memberName.size() > suffix.size() &&
        memberName.compare(memberName.size() - suffix.size(), suffix.size(), suffix) == 0)
        return memberName.substr(0, memberName.size() - suffix.size());
    return memberName;
}

Result<NdArray> readMember(zip_t* archive, zip_uint64_t index, const std::string& path)
{
    zip_stat_t info;
    zip_stat_init(&info);
    if (zip_stat_index(archive, index, 0, &info) != 0)
        return makeError(path, "member " + std::to_string(index), zip_strerror(archive));
    const std::string label = path + ":" + (info.name ? info.name : "?");
    if (!(info.valid & ZIP_STAT_SIZE) || !(info.valid & ZIP_STAT_COMP_SIZE))
        return makeError(label, "", "member size unknown");
    if (info.comp_method != ZIP_CM_STORE && info.comp_method != ZIP_CM_DEFLATE)
        return makeError(label, "", "unsupported compression method " + std::to_string(info.comp_method));
    const std::uint64_t ratioLimit = info.comp_method == ZIP_CM_STORE ? 1 : kMaxDeflateRatio;
    if (info.size > info.comp_size * ratioLimit + 1024 || info.size > kMaxWholeFileBytes)
        return makeError(label, "",
                         "declared size " + std::to_string(info.size) + " is implausible for " +
                             std::to_string(info.comp_size) + " stored bytes");
    if (info.size > maxDecompressedBytes())
        return makeError(label, "",
                         "inflates to " + std::to_string(info.size) + " bytes, more than the limit of " +
                             std::to_string(maxDecompressedBytes()) +
                             " (set ALIGNSCOPE_MAX_ARRAY_BYTES to raise it)");
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive, index, 0), &zip_fclose);
    if (!file) return makeError(label, "", std::string("cannot open member: ") + zip_strerror(archive));
    std::vector<char> bytes;
    try {
        bytes.resize(static_cast<size_t>(info.size));
    } catch (const std::bad_alloc&) {
        return makeError(label, "", "not enough memory for " + std::to_string(info.size) + " bytes");
    }
    zip_int64_t filled = 0;
    while (static_cast<zip_uint64_t>(filled) < info.size) {
        const zip_int64_t got = zip_fread(file.get(), bytes.data() + filled, info.size - filled);
        if (got < 0)
            return makeError(label, "", std::string("read failed: ") + zip_file_strerror(file.get()));
        if (got == 0) break;
        filled += got;
    }
    if (static_cast<zip_uint64_t>(filled) != info.size) return makeError(label, "", "member is truncated");
    char probe;
    if (zip_fread(file.get(), &probe, 1) < 0) // reading past the end verifies the CRC
        return makeError(label, "", std::string("checksum error: ") + zip_file_strerror(file.get()));
    return parseNpy(bytes.data(), bytes.size(), label);
}

Result<std::map<std::string, NdArray>> readAll(zip_t* archive, const std::string& path)
{
    std::map<std::string, NdArray> arrays;
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
        if (!name) return makeError(path, "member " + std::to_string(i), zip_strerror(archive));
        auto array = readMember(archive, static_cast<zip_uint64_t>(i), path);
        if (!array) return array.error();
        arrays.emplace(keyOf(name), std::move(array).value());
    }
    if (arrays.empty()) return makeError(path, "", "archive holds no arrays");
    return arrays;
}

} // namespace

Result<std::vector<std::string>> listNpzKeys(const std::string& path)
{
    auto archive = openArchive(path, nullptr, 0);
    if (!archive) return archive.error();
    std::vector<std::string> keys;
    const zip_int64_t count = zip_get_num_entries(archive->get(), 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* name = zip_get_name(archive->get(), static_cast<zip_uint64_t>(i), 0);
        if (name) keys.push_back(keyOf(name));
    }
    return keys;
}

Result<NdArray> readNpzArray(const std::string& path, const std::string& key)
{
    auto archive = openArchive(path, nullptr, 0);
    if (!archive) return archive.error();
    for (const std::string& candidate : {key + ".npy", key}) {
        const zip_int64_t index = zip_name_locate(archive->get(), candidate.c_str(), 0);
        if (index >= 0) return readMember(archive->get(), static_cast<zip_uint64_t>(index), path);
    }
    return makeError(path, "", "no array named '" + key + "' in the archive");
}

Result<std::map<std::string, NdArray>> readNpz(const std::string& path)
{
    auto archive = openArchive(path, nullptr, 0);
    if (!archive) return archive.error();
    return readAll(archive->get(), path);
}

Result<std::map<std::string, NdArray>> parseNpz(const char* data, size_t size, const std::string& name)
{
    auto archive = openArchive(name, data, size);
    if (!archive) return archive.error();
    return readAll(archive->get(), name);
}

Status writeNpz(const std::string& path, const std::map<std::string, NdArray>& arrays)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* sink = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!sink) return makeError(path, "", "cannot create archive: " + zipErrorText(&error));
    zip_source_keep(sink);
    std::unique_ptr<zip_source_t, decltype(&zip_source_free)> sinkOwner(sink, &zip_source_free);
    zip_t* archive = zip_open_from_source(sink, ZIP_TRUNCATE, &error);
    if (!archive) return makeError(path, "", "cannot create archive: " + zipErrorText(&error));
    std::vector<std::vector<char>> encoded; // must outlive zip_close
    encoded.reserve(arrays.size());
    for (const auto& [key, array] : arrays) {
        encoded.push_back(encodeNpy(array));
        zip_source_t* member = zip_source_buffer(archive, encoded.back().data(), encoded.back().size(), 0);
        if (!member || zip_file_add(archive, (key + ".npy").c_str(), member, ZIP_FL_OVERWRITE) < 0) {
            if (member) zip_source_free(member);
            const std::string reason = zip_strerror(archive);
            zip_discard(archive);
            return makeError(path, "", "cannot add '" + key + "': " + reason);
        }
        zip_set_file_compression(archive, zip_get_num_entries(archive, 0) - 1, ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) != 0) {
        const std::string reason = zip_strerror(archive);
        zip_discard(archive);
        return makeError(path, "", "cannot finish archive: " + reason);
    }
    zip_stat_t info;
    if (zip_source_stat(sink, &info) != 0 || zip_source_open(sink) != 0)
        return makeError(path, "", "cannot read back the archive");
    std::vector<char> bytes(static_cast<size_t>(info.size));
    const zip_int64_t got = zip_source_read(sink, bytes.data(), bytes.size());
    zip_source_close(sink);
    if (got != static_cast<zip_int64_t>(bytes.size()))
        return makeError(path, "", "cannot read back the archive");
    return writeFileAtomically(path, bytes.data(), bytes.size());
}

} // namespace alignscope

#else // built without libzip

namespace alignscope {

static Error noZip(const std::string& path)
{
    return makeError(path, "", "this build has no .npz support (libzip missing)");
}
Result<std::vector<std::string>> listNpzKeys(const std::string& path)
{
    return noZip(path);
}
Result<NdArray> readNpzArray(const std::string& path, const std::string&)
{
    return noZip(path);
}
Result<std::map<std::string, NdArray>> readNpz(const std::string& path)
{
    return noZip(path);
}
Result<std::map<std::string, NdArray>> parseNpz(const char*, size_t, const std::string& name)
{
    return noZip(name);
}
Status writeNpz(const std::string& path, const std::map<std::string, NdArray>&)
{
    return noZip(path);
}

} // namespace alignscope
#endif
