#pragma once
// HDF5 files as thingsvision writes them: a dataset named "features" (n × p), optionally an ID dataset.

#include "alignscope/ndarray.h"
#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

struct Hdf5DatasetInfo
{
    std::string name; // full path, e.g. "features" or "group/ids"
    std::string type; // "float32", "int64", "string", ...
    std::vector<std::int64_t> shape;
};

Result<std::vector<Hdf5DatasetInfo>> listHdf5Datasets(const std::string& path);
// Numeric datasets come back as float32/float64/int64; string datasets as ElementKind::String.
Result<NdArray> readHdf5Dataset(const std::string& path, const std::string& dataset = "features");

} // namespace alignscope
