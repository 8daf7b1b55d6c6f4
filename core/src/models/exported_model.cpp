#include "alignscope/exported_model.h"

#include "alignscope/file_io.h"

#include <cmath>
#include <cstdio>
#include <memory>

#if ALIGNSCOPE_HAVE_LIBZIP
#include <zip.h>
#endif

namespace alignscope {

namespace {

#if ALIGNSCOPE_HAVE_LIBZIP
// Large enough for any manifest a model's layer list produces; a bigger member is not ours.
constexpr zip_uint64_t kMaxManifestBytes = 4 << 20;

struct ZipCloser
{
    void operator()(zip_t* archive) const { zip_discard(archive); }
};

// The extra file's text, "" when the archive has none. torch.jit.save stores extra files as
// "<archive name>/extra/<name>".
Result<std::string> readManifestText(const std::string& path)
{
    if (auto regular = checkRegularFile(path); !regular) return regular.error();
    int code = 0;
    std::unique_ptr<zip_t, ZipCloser> archive(zip_open(path.c_str(), ZIP_RDONLY, &code));
    if (!archive) return makeError(path, "", "not a loadable TorchScript model (it is no zip archive)");
    const std::string suffix = std::string("/extra/") + kExportedModelExtraFile;
    const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* name = zip_get_name(archive.get(), zip_uint64_t(i), 0);
        if (!name) continue;
        const std::string member = name;
        if (member.size() <= suffix.size() ||
            member.compare(member.size() - suffix.size(), suffix.size(), suffix) != 0 ||
            member.find('/') != member.size() - suffix.size())
            continue;
        zip_stat_t info;
        zip_stat_init(&info);
        if (zip_stat_index(archive.get(), zip_uint64_t(i), 0, &info) != 0 || info.size > kMaxManifestBytes)
            return makeError(path, member, "the model's manifest is unreadable or too large");
        std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
            zip_fopen_index(archive.get(), zip_uint64_t(i), 0), &zip_fclose);
        if (!file) return makeError(path, member, zip_strerror(archive.get()));
        std::string text(size_t(info.size), '\0');
        if (zip_fread(file.get(), text.data(), info.size) != zip_int64_t(info.size))
            return makeError(path, member, "the model's manifest is truncated");
        return text;
    }
    return std::string();
}
#else
Result<std::string> readManifestText(const std::string& path)
{
    return makeError(path, "", "reading a model's manifest needs libzip, which this build lacks");
}
#endif

Result<std::array<float, 3>> readTriple(const JsonValue& object, const char* key, const std::string& where)
{
    const JsonValue* array = object.find(key);
    if (!array || !array->isArray() || array->array.size() != 3)
        return makeError(where, "", std::string("preprocessing.") + key + " must hold three numbers");
    std::array<float, 3> values{};
    for (size_t i = 0; i < 3; ++i) {
        if (!array->array[i].isNumber() || !std::isfinite(array->array[i].number))
            return makeError(where, "", std::string("preprocessing.") + key + " must hold three numbers");
        values[i] = float(array->array[i].number);
    }
    return values;
}

Result<int> readSide(const JsonValue& object, const char* key, const std::string& where)
{
    const JsonValue* value = object.find(key);
    if (!value || !value->isNumber() || !value->integral || value->number < 0 || value->number > 16384)
        return makeError(where, "", std::string("preprocessing.") + key + " must be a whole number 0..16384");
    return int(value->number);
}

Result<ExportedModelManifest> parseManifest(const std::string& text, const std::string& path)
{
    const std::string where = path + ":" + kExportedModelExtraFile;
    auto document = parseJson(text, where);
    if (!document) return document.error();
    if (!document->isObject() || document->stringOr("format").rfind("alignscope-model/", 0) != 0)
        return makeError(where, "",
                         "not an AlignScope model manifest (no \"format\": \"alignscope-model/1\")");
    ExportedModelManifest manifest;
    manifest.present = true;
    manifest.source = document->stringOr("source");
    manifest.name = document->stringOr("name");
    manifest.spec = document->stringOr("spec");
    manifest.weights = document->stringOr("weights");
    manifest.weightsSha256 = document->stringOr("weights_sha256");
    if (const JsonValue* layers = document->find("layers"); layers && layers->isArray())
        for (const JsonValue& layer : layers->array)
            if (layer.isString()) manifest.layers.push_back(layer.string);
    const JsonValue* preprocessing = document->find("preprocessing");
    if (!preprocessing || !preprocessing->isObject())
        return makeError(where, "", "has no \"preprocessing\" object");
    auto resize = readSide(*preprocessing, "resize", where);
    if (!resize) return resize.error();
    auto crop = readSide(*preprocessing, "crop", where);
    if (!crop) return crop.error();
    auto filter = parseResizeFilter(preprocessing->stringOr("interpolation", "bilinear"));
    if (!filter) return makeError(where, "", filter.error().reason);
    auto mean = readTriple(*preprocessing, "mean", where);
    if (!mean) return mean.error();
    auto std = readTriple(*preprocessing, "std", where);
    if (!std) return std.error();
    for (float s : *std)
        if (!(s > 0)) return makeError(where, "", "preprocessing.std values must be positive");
    manifest.preprocessing = {*resize, *crop, *filter, *mean, *std};
    manifest.preprocessingFrom = preprocessing->stringOr("from");
    const JsonValue* outputs = document->find("outputs");
    if (!outputs || !outputs->isArray() || outputs->array.empty())
        return makeError(where, "", "has no \"outputs\" list");
    for (const JsonValue& entry : outputs->array) {
        ExportedOutput output;
        output.name = entry.stringOr("name");
        if (output.name.empty()) return makeError(where, "", "an output has no name");
        output.node = entry.stringOr("node");
        output.reduction = entry.stringOr("reduction", "none");
        if (const JsonValue* shape = entry.find("shape"); shape && shape->isArray())
            for (const JsonValue& side : shape->array)
                output.shape.push_back(std::int64_t(side.number));
        manifest.outputs.push_back(std::move(output));
    }
    if (const JsonValue* metadata = document->find("metadata"); metadata && metadata->isObject())
        manifest.metadata = *metadata;
    manifest.document = std::move(*document);
    return manifest;
}

} // namespace

Result<ExportedModelManifest> readExportedModelManifest(const std::string& path)
{
    auto text = readManifestText(path);
    if (!text) return text.error();
    if (text->empty()) return ExportedModelManifest{};
    return parseManifest(*text, path);
}

Result<ExportedModelManifest> installExportedModel(const std::string& temporary, const std::string& target)
{
    auto manifest = readExportedModelManifest(temporary);
    if (!manifest) return manifest.error();
    if (!manifest->present)
        return makeError(temporary, "", "the exporter wrote no AlignScope manifest into the model file");
    auto input = InputFile::open(temporary);
    if (!input) return input.error();
    AtomicFileWriter writer(target);
    if (auto opened = writer.open(); !opened) return opened.error();
    std::vector<char> block(size_t(1) << 20);
    for (std::uint64_t offset = 0; offset < input->size();) {
        auto got = input->readAt(offset, block.data(), block.size());
        if (!got) return got.error();
        if (*got == 0) return makeError(temporary, "", "the exported file shrank while it was copied");
        if (!writer.write(block.data(), *got)) break; // commit() reports why
        offset += *got;
    }
    if (auto committed = writer.commit(); !committed) return committed.error();
    std::remove(temporary.c_str());
    return manifest;
}

} // namespace alignscope
