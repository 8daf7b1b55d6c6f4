#include "alignscope/feature_extraction.h"

#include "alignscope/text_matrix.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace alignscope {

namespace fs = std::filesystem;

namespace {

bool hasImageExtension(const fs::path& path)
{
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* known : {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})
        if (extension == known) return true;
    return false;
}

} // namespace

Result<std::vector<std::string>> listImages(const std::string& folderOrList)
{
    std::error_code error;
    const fs::path root(folderOrList);
    if (fs::is_directory(root, error)) {
        std::vector<std::string> images;
        fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
        if (error) return makeError(folderOrList, "", error.message());
        for (const fs::directory_entry& entry : it)
            if (entry.is_regular_file(error) && hasImageExtension(entry.path()))
                images.push_back(entry.path().string());
        // Sorted by path relative to the folder, so the order does not depend on the file system.
        std::sort(images.begin(), images.end());
        if (images.empty())
            return makeError(folderOrList, "",
                             "folder holds no images (jpg, jpeg, png, bmp, tif, tiff, webp)");
        return images;
    }
    if (!fs::exists(root, error)) return makeError(folderOrList, "", "no such file or folder");
    auto lines = readIdList(folderOrList);
    if (!lines) return lines.error();
    std::vector<std::string> images;
    const fs::path base = root.parent_path();
    for (const std::string& line : *lines) {
        if (line.empty() || line[0] == '#') continue;
        const fs::path path(line);
        images.push_back((path.is_absolute() ? path : base / path).string());
    }
    if (images.empty()) return makeError(folderOrList, "", "image list is empty");
    return images;
}

Result<std::vector<std::string>> imageIds(const std::vector<std::string>& paths)
{
    std::vector<std::string> ids;
    std::map<std::string, size_t> firstWithId;
    for (size_t i = 0; i < paths.size(); ++i) {
        ids.push_back(fs::path(paths[i]).stem().string());
        const auto [it, inserted] = firstWithId.emplace(ids.back(), i);
        if (!inserted)
            return makeError(paths[i], "",
                             "has the same row ID '" + ids.back() + "' (file stem) as " + paths[it->second] +
                                 "; rename one so every row maps to one stimulus");
    }
    return ids;
}

} // namespace alignscope
