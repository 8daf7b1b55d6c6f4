#pragma once
// Value types for datasets. Every matrix is row-major float32; its rows follow the order of the
// StimulusSet it belongs to (row r = stimulus r) once mapped by ID (see row_mapping.h).

#include "alignscope/large_page_allocator.h"
#include "alignscope/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace alignscope {

// The objects or images being compared. IDs are unique; the other vectors are empty or have size().
class StimulusSet
{
public:
    StimulusSet() = default;
    // Fails (naming `origin`) when an ID is empty or repeated.
    static Result<StimulusSet> create(std::vector<std::string> ids, const std::string& origin);

    size_t size() const { return m_ids.size(); }
    const std::vector<std::string>& ids() const { return m_ids; }
    const std::string& id(size_t index) const { return m_ids[index]; }
    std::optional<size_t> indexOf(const std::string& id) const;

    std::vector<std::string> displayNames; // e.g. THINGS "Word"; may be empty
    std::vector<std::string> categories;   // e.g. THINGS WordNet category; may be empty
    std::vector<std::string> imagePaths;   // absolute paths or empty strings; may be empty
    std::string origin;                    // file or folder it came from

    const std::string& displayName(size_t index) const
    {
        return index < displayNames.size() && !displayNames[index].empty() ? displayNames[index]
                                                                           : m_ids[index];
    }

private:
    std::vector<std::string> m_ids;
    std::unordered_map<std::string, size_t> m_index;
};

// Odd-one-out judgments: N×3 indices into a StimulusSet, row-major. Columns 0 and 1 are the pair the
// participant kept together, column 2 the object chosen as the odd one out.
struct TripletSet
{
    enum Split : std::uint8_t
    {
        Train = 0,
        Test = 1
    };

    // On huge pages and not zeroed by resize(): at THINGS scale 56 MB that every reader writes in full.
    std::vector<std::int32_t, LargePageAllocator<std::int32_t>> indices; // size 3·N
    std::vector<std::int32_t> subjects;                                  // empty or N
    std::vector<std::uint8_t> splits;                                    // empty or N (Split values)
    std::string origin;

    size_t size() const { return indices.size() / 3; }
    std::int32_t at(size_t row, int column) const { return indices[3 * row + size_t(column)]; }
};

// n×n over a StimulusSet, with an explicit meaning of larger values.
struct SimilarityMatrix
{
    enum class Kind
    {
        Similarity,
        Dissimilarity
    };

    Kind kind = Kind::Dissimilarity;
    std::int64_t n = 0;
    std::vector<float> values;     // n×n
    std::int64_t subjectCount = 0; // per-subject stack, when the dataset has one
    std::vector<float> perSubject; // subjectCount×n×n, or empty
    std::string origin;
};

// n×d non-negative concept embedding (e.g. VICE, 1854×42), rows in stimulus order.
// Concept dimensions are stored per triplet in 16 bits (ConceptAssignment).
constexpr std::int64_t kMaxConceptDimensions = 65535;

struct ConceptSpace
{
    std::int64_t n = 0;
    std::int64_t d = 0;
    std::vector<float> values;       // n×d
    std::vector<std::string> labels; // empty or d
    std::string origin;
    std::string warning; // what loading changed (tiny negative values clamped to 0), or empty

    float at(std::int64_t row, std::int64_t dim) const { return values[size_t(row * d + dim)]; }
};

// n×p model features, float32, with the ID of each row (same order as the rows).
struct FeatureMatrix
{
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::vector<float> values; // rows×cols, unless `view` is set
    std::vector<std::string> rowIds;
    std::string origin;
    // rows×cols floats owned elsewhere (a NumPy array the Python module keeps alive for the call), read in
    // place of `values`: analyses read features through data() so that callers need not copy them.
    const float* view = nullptr;
    // The float64 values of features read from a float64 file (rows×cols, the same rows and the same
    // power-of-two scale as `values`), else null: model RDMs take their products from these, so a large
    // shared offset is not first rounded to float32's steps. Whoever changes `values` resets it.
    std::shared_ptr<const std::vector<double>> exact;

    const float* data() const { return view ? view : values.data(); }
    size_t size() const { return size_t(rows * cols); }
    const float* row(std::int64_t r) const { return data() + r * cols; }
};

} // namespace alignscope
