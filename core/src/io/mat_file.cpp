#include "alignscope/mat_file.h"

#include "alignscope/file_io.h"
#include "array_order.h"
#include "isolated_call.h"

#include <cstring>
#if ALIGNSCOPE_HAVE_MATIO
#include <matio.h>
#endif
#include <memory>
#include <sys/stat.h>
#include <zlib.h>

namespace alignscope {

#if ALIGNSCOPE_HAVE_MATIO
namespace {

// matio reports problems through a process-wide log callback; keep the last message for our errors.
// matio only ever runs in a single-threaded child process (see isolated_call.h), so no locking.
std::string g_lastMatioMessage;

void captureMatioLog(int, char* message)
{
    g_lastMatioMessage = message ? message : "";
}

struct MatCloser
{
    void operator()(mat_t* file) const { Mat_Close(file); }
};
struct VarFreer
{
    void operator()(matvar_t* var) const { Mat_VarFree(var); }
};
using MatHandle = std::unique_ptr<mat_t, MatCloser>;
using VarHandle = std::unique_ptr<matvar_t, VarFreer>;

const char* className(matio_classes type)
{
    switch (type) {
    case MAT_C_CELL:
        return "cell";
    case MAT_C_STRUCT:
        return "struct";
    case MAT_C_OBJECT:
        return "object";
    case MAT_C_CHAR:
        return "char";
    case MAT_C_SPARSE:
        return "sparse";
    case MAT_C_DOUBLE:
        return "double";
    case MAT_C_SINGLE:
        return "single";
    case MAT_C_INT8:
        return "int8";
    case MAT_C_UINT8:
        return "uint8";
    case MAT_C_INT16:
        return "int16";
    case MAT_C_UINT16:
        return "uint16";
    case MAT_C_INT32:
        return "int32";
    case MAT_C_UINT32:
        return "uint32";
    case MAT_C_INT64:
        return "int64";
    case MAT_C_UINT64:
        return "uint64";
    case MAT_C_FUNCTION:
        return "function";
    default:
        return "unknown";
    }
}

std::vector<std::int64_t> shapeOf(const matvar_t* var)
{
    std::vector<std::int64_t> shape;
    for (int d = 0; d < var->rank && var->dims; ++d)
        shape.push_back(static_cast<std::int64_t>(var->dims[d]));
    return shape;
}

size_t elementBytes(matio_types type)
{
    switch (type) {
    case MAT_T_INT8:
    case MAT_T_UINT8:
    case MAT_T_UTF8:
        return 1;
    case MAT_T_INT16:
    case MAT_T_UINT16:
    case MAT_T_UTF16:
        return 2;
    case MAT_T_INT32:
    case MAT_T_UINT32:
    case MAT_T_SINGLE:
    case MAT_T_UTF32:
        return 4;
    case MAT_T_INT64:
    case MAT_T_UINT64:
    case MAT_T_DOUBLE:
        return 8;
    default:
        return 0;
    }
}

template <class T> double loadAs(const void* data, size_t i)
{
    T value;
    std::memcpy(&value, static_cast<const char*>(data) + i * sizeof(T), sizeof(T));
    return static_cast<double>(value);
}

Result<std::string> charArrayText(const matvar_t* var, const std::string& label)
{
    if (var->class_type != MAT_C_CHAR) return makeError(label, "", "cell element is not text");
    const size_t count = var->nbytes / std::max<size_t>(1, elementBytes(var->data_type));
    if (!var->data || count == 0) return std::string();
    if (var->data_type == MAT_T_UINT8 || var->data_type == MAT_T_UTF8 || var->data_type == MAT_T_INT8)
        return std::string(static_cast<const char*>(var->data), count);
    if (var->data_type == MAT_T_UINT16 || var->data_type == MAT_T_UTF16) {
        std::string out;
        for (size_t i = 0; i < count; ++i) { // MATLAB chars are UTF-16 code units (BMP)
            const auto c = static_cast<std::uint32_t>(loadAs<std::uint16_t>(var->data, i));
            if (c < 0x80) {
                out += static_cast<char>(c);
            } else if (c < 0x800) {
                out += static_cast<char>(0xc0 | (c >> 6));
                out += static_cast<char>(0x80 | (c & 0x3f));
            } else {
                out += static_cast<char>(0xe0 | (c >> 12));
                out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
                out += static_cast<char>(0x80 | (c & 0x3f));
            }
        }
        return out;
    }
    return makeError(label, "", "unsupported character encoding");
}

Result<NdArray> convertVariable(const matvar_t* var, const std::string& label)
{
    NdArray array;
    array.shape = shapeOf(var);
    array.sourceDtype = className(var->class_type);
    const std::int64_t count = checkedElementCount(array.shape, std::int64_t(1) << 40);
    if (count < 0) return makeError(label, "", "absurd dimensions");
    if (var->class_type == MAT_C_CELL) {
        array.kind = ElementKind::String;
        auto* cells = static_cast<matvar_t**>(var->data);
        if (count > 0 && !cells) return makeError(label, "", "cell array has no data");
        std::vector<std::string> text(static_cast<size_t>(count));
        for (std::int64_t i = 0; i < count; ++i) {
            if (!cells[i]) return makeError(label, "cell " + std::to_string(i + 1), "missing cell");
            auto value = charArrayText(cells[i], label);
            if (!value)
                return makeError(label, "cell " + std::to_string(i + 1), "not a cell array of strings");
            text[size_t(i)] = std::move(value).value();
        }
        const auto order = fortranIndexForCOrder(array.shape, count);
        array.str.resize(text.size());
        for (size_t i = 0; i < text.size(); ++i)
            array.str[i] = text[size_t(order[i])];
        return array;
    }
    if (var->class_type == MAT_C_CHAR) {
        auto value = charArrayText(var, label);
        if (!value) return value.error();
        array.kind = ElementKind::String;
        array.shape = {1};
        array.str = {std::move(value).value()};
        return array;
    }
    if (var->class_type == MAT_C_STRUCT)
        return makeError(label, "", "is a struct; name a field as 'variable.field'");
    if (var->class_type == MAT_C_SPARSE) return makeError(label, "", "sparse matrices are not supported");
    if (var->isComplex) return makeError(label, "", "complex numbers are not supported");
    const size_t width = elementBytes(var->data_type);
    if (width == 0 || var->class_type < MAT_C_DOUBLE || var->class_type > MAT_C_UINT64)
        return makeError(label, "",
                         std::string("unsupported MATLAB class '") + className(var->class_type) + "'");
    if (count > 0 && (!var->data || var->nbytes < size_t(count) * width))
        return makeError(label, "", "data is shorter than its dimensions");
    const auto order = fortranIndexForCOrder(array.shape, count);
    const bool floating = var->data_type == MAT_T_DOUBLE || var->data_type == MAT_T_SINGLE;
    array.kind = var->data_type == MAT_T_SINGLE ? ElementKind::Float32
                 : floating                     ? ElementKind::Float64
                                                : ElementKind::Int64;
    for (std::int64_t c = 0; c < count; ++c) {
        const size_t i = size_t(order[size_t(c)]);
        double value = 0;
        switch (var->data_type) {
        case MAT_T_DOUBLE:
            value = loadAs<double>(var->data, i);
            break;
        case MAT_T_SINGLE:
            value = loadAs<float>(var->data, i);
            break;
        case MAT_T_INT8:
            value = loadAs<std::int8_t>(var->data, i);
            break;
        case MAT_T_UINT8:
            value = loadAs<std::uint8_t>(var->data, i);
            break;
        case MAT_T_INT16:
            value = loadAs<std::int16_t>(var->data, i);
            break;
        case MAT_T_UINT16:
            value = loadAs<std::uint16_t>(var->data, i);
            break;
        case MAT_T_INT32:
            value = loadAs<std::int32_t>(var->data, i);
            break;
        case MAT_T_UINT32:
            value = loadAs<std::uint32_t>(var->data, i);
            break;
        case MAT_T_INT64: {
            std::int64_t exact;
            std::memcpy(&exact, static_cast<const char*>(var->data) + i * 8, 8);
            array.i64.push_back(exact);
            continue;
        }
        case MAT_T_UINT64: {
            std::uint64_t exact;
            std::memcpy(&exact, static_cast<const char*>(var->data) + i * 8, 8);
            if (exact > std::uint64_t(INT64_MAX))
                return makeError(label, "", "uint64 value exceeds int64 range");
            array.i64.push_back(std::int64_t(exact));
            continue;
        }
        default:
            return makeError(label, "", "unsupported element type");
        }
        if (array.kind == ElementKind::Float32)
            array.f32.push_back(float(value));
        else if (array.kind == ElementKind::Float64)
            array.f64.push_back(value);
        else
            array.i64.push_back(std::int64_t(value));
    }
    return array;
}

// matio reads the missing part of a truncated v5 file as zeros: walk the top-level data elements and refuse a
// file whose last element (or compressed stream) ends before its declared size.
Status checkMatV5Complete(const std::string& path)
{
    auto bytes = readWholeFile(path);
    if (!bytes) return bytes.error();
    const std::vector<char>& data = *bytes;
    if (data.size() < 128) return makeError(path, "", "truncated: shorter than the 128-byte MAT-file header");
    const bool swap = data[126] == 'M';
    auto u32 = [&](size_t at) {
        std::uint32_t v;
        std::memcpy(&v, data.data() + at, 4);
        return swap ? __builtin_bswap32(v) : v;
    };
    size_t offset = 128;
    while (offset < data.size()) {
        if (data.size() - offset < 8)
            return makeError(path, "byte " + std::to_string(offset),
                             "truncated: incomplete data element tag");
        const std::uint32_t type = u32(offset);
        if ((type >> 16) != 0) { // small data element: 4 bytes of data inside the tag
            offset += 8;
            continue;
        }
        const std::uint64_t length = u32(offset + 4);
        const std::uint64_t end = offset + 8 + length;
        if (end > data.size())
            return makeError(path, "byte " + std::to_string(offset),
                             "truncated: a data element declares " + std::to_string(length) +
                                 " bytes but the file ends after " +
                                 std::to_string(data.size() - offset - 8));
        if (type == 15) { // miCOMPRESSED: the zlib stream must be complete
            z_stream stream{};
            if (inflateInit(&stream) != Z_OK) return makeError(path, "", "cannot initialise zlib");
            stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset + 8));
            stream.avail_in = uInt(length);
            std::vector<Bytef> sink(1 << 16);
            int status = Z_OK;
            while (status == Z_OK) {
                stream.next_out = sink.data();
                stream.avail_out = uInt(sink.size());
                status = inflate(&stream, Z_NO_FLUSH);
                if (status == Z_BUF_ERROR && stream.avail_in == 0) break;
                if (status == Z_BUF_ERROR) status = Z_OK;
            }
            inflateEnd(&stream);
            if (status != Z_STREAM_END)
                return makeError(path, "byte " + std::to_string(offset),
                                 status == Z_BUF_ERROR ? "truncated: the compressed variable ends early"
                                                       : "corrupt compressed variable");
        }
        offset = size_t(type == 15 ? end : (end + 7) / 8 * 8);
    }
    return okStatus();
}

Result<MatHandle> openMat(const std::string& path)
{
    Mat_LogInitFunc("alignscope", &captureMatioLog);
    g_lastMatioMessage.clear();
    auto prefix = readFilePrefix(path, 128);
    if (!prefix) return prefix.error();
    const std::string version = matVersionOf(*prefix);
    if (version.empty()) return makeError(path, "byte 0", "not a MATLAB v5/v7.3 file (no MAT-file header)");
    if (version == "MAT v5")
        if (auto complete = checkMatV5Complete(path); !complete) return complete.error();
    mat_t* file = Mat_Open(path.c_str(), MAT_ACC_RDONLY);
    if (!file)
        return makeError(
            path, "", "cannot read MAT file" + (g_lastMatioMessage.empty() ? "" : ": " + g_lastMatioMessage));
    return MatHandle(file);
}

std::uint64_t fileSizeOf(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0 ? std::uint64_t(info.st_size) : 0;
}

} // namespace

#endif

std::string matVersionOf(const std::vector<char>& prefix)
{
    if (prefix.size() < 128 || std::memcmp(prefix.data(), "MATLAB ", 7) != 0) return {};
    const auto version =
        static_cast<unsigned char>(prefix[124]) | (static_cast<unsigned char>(prefix[125]) << 8);
    const bool littleEndian = prefix[126] == 'I' && prefix[127] == 'M';
    const bool bigEndian = prefix[126] == 'M' && prefix[127] == 'I';
    if (!littleEndian && !bigEndian) return {};
    const int v = littleEndian ? version : ((version >> 8) | ((version & 0xff) << 8));
    if (v == 0x0100) return "MAT v5";
    if (v == 0x0200) return "MAT v7.3";
    return {};
}

#if ALIGNSCOPE_HAVE_MATIO
namespace {

Result<std::vector<MatVariableInfo>> listMatVariablesDirect(const std::string& path)
{
    auto file = openMat(path);
    if (!file) return file.error();
    std::vector<MatVariableInfo> variables;
    while (VarHandle var{Mat_VarReadNextInfo(file->get())}) {
        variables.push_back({var->name ? var->name : "", className(var->class_type), shapeOf(var.get())});
        if (variables.size() > 100000) break;
    }
    if (variables.empty()) return makeError(path, "", "no readable variables");
    return variables;
}

Result<NdArray> readMatVariableDirect(const std::string& path, const std::string& name)
{
    auto file = openMat(path);
    if (!file) return file.error();
    const std::string top = name.substr(0, name.find('.'));
    const std::string label = path + ":" + name;
    VarHandle info{Mat_VarReadInfo(file->get(), top.c_str())};
    if (!info) return makeError(path, "", "no variable named '" + top + "'");
    // Refuse sizes that no file of this size can hold before matio allocates them (compression bounded).
    const std::int64_t count = checkedElementCount(shapeOf(info.get()), std::int64_t(1) << 40);
    if (info->class_type != MAT_C_STRUCT && info->class_type != MAT_C_CELL &&
        (count < 0 || std::uint64_t(count) > (fileSizeOf(path) + 4096) * 1100))
        return makeError(label, "", "declared dimensions are implausible for the file size");
    VarHandle var{Mat_VarRead(file->get(), top.c_str())};
    if (!var)
        return makeError(label, "",
                         "cannot read variable" +
                             (g_lastMatioMessage.empty() ? "" : ": " + g_lastMatioMessage));
    const matvar_t* current = var.get();
    size_t start = top.size();
    while (start < name.size()) { // descend "a.b.c"
        const size_t end = name.find('.', start + 1);
        const std::string field =
            name.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
        if (current->class_type != MAT_C_STRUCT)
            return makeError(label, "", "'" + name.substr(0, start) + "' is not a struct");
        current = Mat_VarGetStructFieldByName(const_cast<matvar_t*>(current), field.c_str(), 0);
        if (!current) return makeError(label, "", "no field '" + field + "'");
        start = end == std::string::npos ? name.size() : end;
    }
    return convertVariable(current, label);
}

} // namespace

Result<std::vector<MatVariableInfo>> listMatVariables(const std::string& path)
{
    auto named = listIsolated(path, [&]() -> Result<std::vector<NamedShape>> {
        auto found = listMatVariablesDirect(path);
        if (!found) return found.error();
        std::vector<NamedShape> out;
        for (const auto& f : *found)
            out.push_back({f.name, f.className, f.shape});
        return out;
    });
    if (!named) return named.error();
    std::vector<MatVariableInfo> out;
    for (auto& n : *named)
        out.push_back({std::move(n.name), std::move(n.type), std::move(n.shape)});
    return out;
}

Result<NdArray> readMatVariable(const std::string& path, const std::string& name)
{
    return readArrayIsolated(path, [&] { return readMatVariableDirect(path, name); });
}

#else

Result<std::vector<MatVariableInfo>> listMatVariables(const std::string& path)
{
    return makeError(path, "", "this build has no MAT-file support (libmatio missing)");
}

Result<NdArray> readMatVariable(const std::string& path, const std::string&)
{
    return makeError(path, "", "this build has no MAT-file support (libmatio missing)");
}
#endif

} // namespace alignscope
