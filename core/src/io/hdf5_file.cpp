#include "alignscope/hdf5_file.h"

#if ALIGNSCOPE_HAVE_HDF5
#include <hdf5.h>
#endif
#include "isolated_call.h"

#include <sys/stat.h>

namespace alignscope {

#if ALIGNSCOPE_HAVE_HDF5
namespace {

// libhdf5 only ever runs in a single-threaded child process (see isolated_call.h), so no locking.

// Closes an HDF5 identifier with the matching close function.
class Hid
{
public:
    Hid(hid_t id, herr_t (*closer)(hid_t)) : m_id(id), m_closer(closer) {}
    ~Hid()
    {
        if (m_id >= 0) m_closer(m_id);
    }
    Hid(const Hid&) = delete;
    Hid& operator=(const Hid&) = delete;
    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }

private:
    hid_t m_id;
    herr_t (*m_closer)(hid_t);
};

std::string typeName(hid_t type)
{
    const H5T_class_t typeClass = H5Tget_class(type);
    const size_t size = H5Tget_size(type);
    if (typeClass == H5T_FLOAT) return size == 2 ? "float16" : size == 4 ? "float32" : "float64";
    if (typeClass == H5T_INTEGER)
        return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(8 * size);
    if (typeClass == H5T_STRING) return "string";
    return "unsupported";
}

struct Visit
{
    std::vector<Hdf5DatasetInfo>* out;
};

herr_t visitObject(hid_t root, const char* name, const H5O_info_t* info, void* data)
{
    auto* visit = static_cast<Visit*>(data);
    if (info->type != H5O_TYPE_DATASET || visit->out->size() > 10000) return 0;
    Hid dataset(H5Dopen2(root, name, H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) return 0;
    Hid type(H5Dget_type(dataset.get()), H5Tclose);
    Hid space(H5Dget_space(dataset.get()), H5Sclose);
    hsize_t dims[32] = {};
    const int rank = H5Sget_simple_extent_ndims(space.get());
    Hdf5DatasetInfo entry{name, typeName(type.get()), {}};
    if (rank >= 0 && rank <= 32 && H5Sget_simple_extent_dims(space.get(), dims, nullptr) >= 0)
        for (int d = 0; d < rank; ++d)
            entry.shape.push_back(static_cast<std::int64_t>(dims[d]));
    visit->out->push_back(std::move(entry));
    return 0;
}

Result<NdArray> readStrings(hid_t dataset, hid_t type, std::int64_t count, const std::string& label)
{
    NdArray array;
    array.kind = ElementKind::String;
    array.sourceDtype = "string";
    if (H5Tis_variable_str(type) > 0) {
        Hid memType(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memType.get(), H5T_VARIABLE);
        std::vector<char*> pointers(size_t(count), nullptr);
        if (H5Dread(dataset, memType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
            return makeError(label, "", "cannot read string data");
        for (char* p : pointers)
            array.str.emplace_back(p ? p : "");
        Hid space(H5Dget_space(dataset), H5Sclose);
        H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, pointers.data());
        return array;
    }
    const size_t width = H5Tget_size(type);
    if (width == 0 || width > 65536) return makeError(label, "", "implausible string width");
    std::vector<char> buffer(size_t(count) * width);
    if (H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
        return makeError(label, "", "cannot read string data");
    for (std::int64_t i = 0; i < count; ++i) {
        const char* p = buffer.data() + i * std::int64_t(width);
        size_t length = 0;
        while (length < width && p[length] != '\0')
            ++length;
        array.str.emplace_back(p, length);
    }
    return array;
}

Result<std::vector<Hdf5DatasetInfo>> listHdf5DatasetsDirect(const std::string& path)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    if (H5Fis_hdf5(path.c_str()) <= 0) return makeError(path, "byte 0", "not an HDF5 file");
    Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) return makeError(path, "", "cannot open HDF5 file (corrupt or unreadable)");
    std::vector<Hdf5DatasetInfo> datasets;
    Visit visit{&datasets};
    if (H5Ovisit(file.get(), H5_INDEX_NAME, H5_ITER_NATIVE, &visitObject, &visit) < 0)
        return makeError(path, "", "cannot list the file's datasets");
    return datasets;
}

Result<NdArray> readHdf5DatasetDirect(const std::string& path, const std::string& datasetName)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const std::string label = path + ":" + datasetName;
    if (H5Fis_hdf5(path.c_str()) <= 0) return makeError(path, "byte 0", "not an HDF5 file");
    Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) return makeError(path, "", "cannot open HDF5 file (corrupt or unreadable)");
    if (H5Lexists(file.get(), datasetName.c_str(), H5P_DEFAULT) <= 0)
        return makeError(path, "", "no dataset named '" + datasetName + "'");
    Hid dataset(H5Dopen2(file.get(), datasetName.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) return makeError(label, "", "cannot open dataset");
    Hid type(H5Dget_type(dataset.get()), H5Tclose);
    Hid space(H5Dget_space(dataset.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 32) return makeError(label, "", "invalid rank");
    hsize_t dims[32] = {};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    std::vector<std::int64_t> shape;
    for (int d = 0; d < rank; ++d)
        shape.push_back(static_cast<std::int64_t>(dims[d]));
    const std::int64_t count = checkedElementCount(shape, std::int64_t(1) << 40);
    struct stat info
    {
    };
    const std::uint64_t fileSize = ::stat(path.c_str(), &info) == 0 ? std::uint64_t(info.st_size) : 0;
    if (count < 0 || std::uint64_t(count) > (fileSize + 4096) * 1100)
        return makeError(label, "", "declared shape is implausible for the file size");
    const std::string kind = typeName(type.get());
    if (kind == "string") {
        auto strings = readStrings(dataset.get(), type.get(), count, label);
        if (strings) strings->shape = shape;
        return strings;
    }
    NdArray array;
    array.shape = shape;
    array.sourceDtype = kind;
    herr_t status;
    if (kind == "float16" || kind == "float32") {
        array.kind = ElementKind::Float32;
        array.f32.resize(size_t(count));
        status = H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.f32.data());
    } else if (kind == "float64") {
        array.kind = ElementKind::Float64;
        array.f64.resize(size_t(count));
        status = H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.f64.data());
    } else if (kind.find("int") != std::string::npos && kind != "uint64") {
        array.kind = ElementKind::Int64;
        array.i64.resize(size_t(count));
        status = H5Dread(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.i64.data());
    } else {
        return makeError(label, "", "unsupported element type '" + kind + "'");
    }
    if (status < 0) return makeError(label, "", "cannot read data (corrupt or truncated)");
    return array;
}

} // namespace

Result<std::vector<Hdf5DatasetInfo>> listHdf5Datasets(const std::string& path)
{
    auto named = listIsolated(path, [&]() -> Result<std::vector<NamedShape>> {
        auto found = listHdf5DatasetsDirect(path);
        if (!found) return found.error();
        std::vector<NamedShape> out;
        for (const auto& f : *found)
            out.push_back({f.name, f.type, f.shape});
        return out;
    });
    if (!named) return named.error();
    std::vector<Hdf5DatasetInfo> out;
    for (auto& n : *named)
        out.push_back({std::move(n.name), std::move(n.type), std::move(n.shape)});
    return out;
}

Result<NdArray> readHdf5Dataset(const std::string& path, const std::string& datasetName)
{
    return readArrayIsolated(path, [&] { return readHdf5DatasetDirect(path, datasetName); });
}

#else

Result<std::vector<Hdf5DatasetInfo>> listHdf5Datasets(const std::string& path)
{
    return makeError(path, "", "this build has no HDF5 support (libhdf5 missing)");
}

Result<NdArray> readHdf5Dataset(const std::string& path, const std::string&)
{
    return makeError(path, "", "this build has no HDF5 support (libhdf5 missing)");
}
#endif

} // namespace alignscope
