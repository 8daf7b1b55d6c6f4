#include "alignscope/datasets.h"
#include "alignscope/human_similarity.h"
#include "alignscope/mat_file.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <unordered_map>

namespace alignscope {

namespace {

namespace fs = std::filesystem;

// Image files of a folder sorted by file name, as the original loaders order them.
std::vector<fs::path> sortedImages(const fs::path& dir, bool allowPng)
{
    std::vector<fs::path> images;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const std::string extension = entry.path().extension().string();
        if (entry.is_regular_file() && (extension == ".jpg" || (allowPng && extension == ".png")))
            images.push_back(entry.path());
    }
    std::sort(images.begin(), images.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    return images;
}

std::string lower(std::string text)
{
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Fills IDs and image paths from `images`, or numbers the stimuli when the layout has no images folder.
Status attachStimuli(HumanDataset& data, const std::vector<fs::path>& images, std::int64_t n,
                     const std::string& matrixFile, const fs::path& imageDir)
{
    if (!images.empty() && std::int64_t(images.size()) != n)
        return makeError(matrixFile, "",
                         "has " + std::to_string(n) + " stimuli but " + imageDir.string() + " holds " +
                             std::to_string(images.size()) + " images");
    for (std::int64_t s = 0; s < n; ++s) {
        data.stimulusIds.push_back(images.empty() ? std::to_string(s + 1)
                                                  : images[size_t(s)].stem().string());
        data.imagePaths.push_back(images.empty() ? std::string() : images[size_t(s)].string());
    }
    return okStatus();
}

// Mean over the first axis of a subjects × ... array, as float32.
std::vector<float> meanOverSubjects(const NdArray& array, std::int64_t subjects, std::int64_t perSubject)
{
    std::vector<double> sum(static_cast<size_t>(perSubject), 0.0);
    for (std::int64_t s = 0; s < subjects; ++s)
        for (std::int64_t k = 0; k < perSubject; ++k)
            sum[size_t(k)] += array.valueAt(s * perSubject + k);
    std::vector<float> mean(static_cast<size_t>(perSubject));
    for (std::int64_t k = 0; k < perSubject; ++k)
        mean[size_t(k)] = float(sum[size_t(k)] / double(subjects));
    return mean;
}

std::vector<float> squareFromCondensed(const std::vector<float>& condensed, std::int64_t n)
{
    std::vector<float> square(size_t(n * n), 0.0f);
    size_t k = 0;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j, ++k)
            square[size_t(i * n + j)] = square[size_t(j * n + i)] = condensed[k];
    return square;
}

Result<HumanDataset> fromSquareStack(const NdArray& array, SimilarityMatrix::Kind kind,
                                     const std::string& name)
{
    const bool stacked = array.shape.size() == 3;
    if (!(array.shape.size() == 2 || stacked) || array.shape.back() != array.shape[array.shape.size() - 2])
        return makeError(
            name, "", "expected an n×n matrix or a subjects×n×n stack, found shape " + array.shapeString());
    const std::int64_t n = array.shape.back(), subjects = stacked ? array.shape[0] : 1;
    HumanDataset data;
    data.matrix.kind = kind;
    data.matrix.n = n;
    data.matrix.values = meanOverSubjects(array, subjects, n * n);
    data.matrix.origin = name;
    if (stacked && subjects > 1) {
        data.matrix.subjectCount = subjects;
        for (std::int64_t s = 0; s < subjects; ++s) {
            std::vector<float> square(size_t(n * n));
            for (std::int64_t k = 0; k < n * n; ++k)
                square[size_t(k)] = float(array.valueAt(s * n * n + k));
            auto condensed = condense(square, n, kind, name + " (subject " + std::to_string(s + 1) + ")");
            if (!condensed) return condensed.error();
            data.subjects.push_back(std::move(condensed).value());
        }
    }
    return data;
}

} // namespace

Result<HumanDataset> loadMultiArrangement(const std::string& dir)
{
    const fs::path root(dir);
    const std::string matrixFile = (root / "sim_judgements" / "judgments_general.mat").string();
    auto judgments = readMatVariable(matrixFile, "judgments");
    if (!judgments) return judgments.error();
    auto data = fromSquareStack(*judgments, SimilarityMatrix::Kind::Dissimilarity, matrixFile);
    if (!data) return data;
    if (auto status = attachStimuli(*data, sortedImages(root / "images", false), data->matrix.n, matrixFile,
                                    root / "images");
        !status)
        return status.error();
    data->description = "multi-arrangement (Cichy et al. 2019)";
    return data;
}

Result<HumanDataset> loadFreeArrangement(const std::string& dir, const std::string& set)
{
    const fs::path root(dir);
    const std::string matrixFile = (root / "sim_judgements" / "BEHAVIOR.mat").string();
    auto distances = readMatVariable(matrixFile, "BEHAVIOR." + set + ".pairwisedistances");
    if (!distances) return distances.error();
    const std::int64_t subjects = distances->shape.size() == 2 ? distances->shape[0] : 1;
    const std::int64_t pairs = distances->shape.empty() ? 0 : distances->shape.back();
    const auto n = std::int64_t(std::llround((1 + std::sqrt(1 + 8.0 * double(pairs))) / 2));
    if (n < 3 || n * (n - 1) / 2 != pairs)
        return makeError(matrixFile, "BEHAVIOR." + set + ".pairwisedistances",
                         std::to_string(pairs) + " values per subject are not the condensed pairs of any n");
    HumanDataset data;
    data.matrix.kind = SimilarityMatrix::Kind::Dissimilarity;
    data.matrix.n = n;
    data.matrix.values = squareFromCondensed(meanOverSubjects(*distances, subjects, pairs), n);
    data.matrix.origin = matrixFile;
    if (subjects > 1) {
        data.matrix.subjectCount = subjects;
        for (std::int64_t s = 0; s < subjects; ++s) {
            CondensedMatrix subject{n, std::vector<float>(size_t(pairs))};
            for (std::int64_t k = 0; k < pairs; ++k)
                subject.values[size_t(k)] = float(distances->valueAt(s * pairs + k));
            data.subjects.push_back(std::move(subject));
        }
    }
    if (auto status = attachStimuli(data, sortedImages(root / "images" / set, false), n, matrixFile,
                                    root / "images" / set);
        !status)
        return status.error();
    data.description = "free arrangement " + set + " (King et al. 2019)";
    return data;
}

Result<HumanDataset> loadPairwiseRatings(const std::string& dir, const std::string& category)
{
    const fs::path root = fs::path(dir) / category;
    std::string matrixFile;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(root / "sim_judgements", error)) {
        const std::string name = lower(entry.path().filename().string());
        if (entry.is_regular_file() && name.find("sim") != std::string::npos &&
            entry.path().extension() == ".mat")
            matrixFile = entry.path().string();
    }
    if (matrixFile.empty()) return makeError((root / "sim_judgements").string(), "", "no *sim*.mat file");
    auto variables = listMatVariables(matrixFile);
    if (!variables) return variables.error();
    std::string variable;
    for (const auto& v : *variables)
        if (lower(v.name).find("sim") != std::string::npos) variable = v.name;
    if (variable.empty()) return makeError(matrixFile, "", "no variable whose name contains 'sim'");
    auto matrix = readMatVariable(matrixFile, variable);
    if (!matrix) return matrix.error();
    auto data = fromSquareStack(*matrix, SimilarityMatrix::Kind::Similarity, matrixFile + ":" + variable);
    if (!data) return data;
    if (auto status = attachStimuli(*data, sortedImages(root / "images", true), data->matrix.n, matrixFile,
                                    root / "images");
        !status)
        return status.error();
    data->description = "pairwise ratings " + category + " (Peterson et al. 2016/2018)";
    return data;
}

Result<HumanDataset> loadSquareMatrix(const std::string& spec, SimilarityMatrix::Kind kind,
                                      const std::vector<std::string>& ids)
{
    auto input = load({spec, InputRole::SimilarityMatrix, std::nullopt, {}});
    if (!input) return input.error();
    const LoadedMatrix* loaded = &input->matrix; // its row IDs name the n stimuli, counted below
    const NdArray& array = loaded->array;
    const bool square = array.shape.size() >= 2 && array.shape.back() == array.shape[array.shape.size() - 2];
    Result<HumanDataset> data = makeError(spec, "", "");
    if (!square && (array.shape.size() == 1 || array.shape.size() == 2)) {
        // Condensed pairs (pdist order), one row per subject: the free-arrangement layout.
        const std::int64_t pairs = array.shape.back(),
                           subjects = array.shape.size() == 2 ? array.shape[0] : 1;
        const auto n = std::int64_t(std::llround((1 + std::sqrt(1 + 8.0 * double(pairs))) / 2));
        if (n < 3 || n * (n - 1) / 2 != pairs)
            return makeError(
                spec, "", "shape " + array.shapeString() + " is neither n×n nor subjects × n(n−1)/2 pairs");
        HumanDataset condensed;
        condensed.matrix.kind = kind;
        condensed.matrix.n = n;
        condensed.matrix.values = squareFromCondensed(meanOverSubjects(array, subjects, pairs), n);
        condensed.matrix.origin = spec;
        for (std::int64_t s = 0; subjects > 1 && s < subjects; ++s) {
            CondensedMatrix subject{n, std::vector<float>(size_t(pairs))};
            for (std::int64_t k = 0; k < pairs; ++k) {
                const float v = float(array.valueAt(s * pairs + k));
                subject.values[size_t(k)] = kind == SimilarityMatrix::Kind::Similarity ? 1.0f - v : v;
            }
            condensed.subjects.push_back(std::move(subject));
        }
        condensed.matrix.subjectCount = subjects > 1 ? subjects : 0;
        data = std::move(condensed);
    } else {
        data = fromSquareStack(array, kind, spec);
    }
    if (!data) return data;
    if (!ids.empty() && std::int64_t(ids.size()) != data->matrix.n)
        return makeError(spec, "",
                         "is " + std::to_string(data->matrix.n) + "×" + std::to_string(data->matrix.n) +
                             " but " + std::to_string(ids.size()) + " stimulus IDs were given");
    if (ids.empty() && !loaded->rowIds.empty() && std::int64_t(loaded->rowIds.size()) != data->matrix.n)
        return makeError(spec, "",
                         "is " + std::to_string(data->matrix.n) + "×" + std::to_string(data->matrix.n) +
                             " but " + loaded->rowIdOrigin + " names " +
                             std::to_string(loaded->rowIds.size()) + " rows");
    data->stimulusIds = ids.empty() ? loaded->rowIds : ids;
    data->description = spec;
    return data;
}

Result<HumanDataset> alignToStimuli(HumanDataset data, const std::vector<std::string>& wantedIds,
                                    const std::string& name)
{
    const std::int64_t n = std::int64_t(wantedIds.size());
    if (data.stimulusIds.empty()) {
        if (data.matrix.n != n)
            return makeError(name, "",
                             "covers " + std::to_string(data.matrix.n) + " stimuli, the model " +
                                 std::to_string(n));
        return data;
    }
    std::unordered_map<std::string, std::int64_t> position;
    for (size_t i = 0; i < data.stimulusIds.size(); ++i)
        if (!position.emplace(data.stimulusIds[i], std::int64_t(i)).second)
            return makeError(name, "", "stimulus ID '" + data.stimulusIds[i] + "' names two rows");
    std::vector<std::int64_t> source(static_cast<size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto it = position.find(wantedIds[size_t(i)]);
        if (it == position.end())
            return makeError(name, "",
                             "has no row for stimulus '" + wantedIds[size_t(i)] +
                                 "' (its rows are named by ID; " + std::to_string(data.stimulusIds.size()) +
                                 " IDs)");
        source[size_t(i)] = it->second;
    }
    const std::int64_t m = data.matrix.n;
    std::vector<float> square(size_t(n * n));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j)
            square[size_t(i * n + j)] = data.matrix.values[size_t(source[size_t(i)] * m + source[size_t(j)])];
    data.matrix.values = std::move(square);
    data.matrix.n = n;
    auto condensedIndex = [m](std::int64_t a, std::int64_t b) {
        if (a > b) std::swap(a, b);
        return size_t(a * m - a * (a + 1) / 2 + (b - a - 1));
    };
    for (CondensedMatrix& subject : data.subjects) {
        CondensedMatrix reordered{n, std::vector<float>(size_t(n * (n - 1) / 2))};
        size_t k = 0;
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = i + 1; j < n; ++j, ++k)
                reordered.values[k] = subject.values[condensedIndex(source[size_t(i)], source[size_t(j)])];
        subject = std::move(reordered);
    }
    std::vector<std::string> paths;
    for (std::int64_t i = 0; i < n && !data.imagePaths.empty(); ++i)
        paths.push_back(data.imagePaths[size_t(source[size_t(i)])]);
    data.imagePaths = std::move(paths);
    data.stimulusIds = wantedIds;
    return data;
}

} // namespace alignscope
