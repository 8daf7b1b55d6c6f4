#include "session/file_loader.h"

#include "alignscope/datasets.h"
#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/load.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <cmath>
#include <optional>

using namespace alignscope;

namespace {

LoadedItem failed(const QString& path, const Error& error)
{
    LoadedItem item;
    item.path = path;
    item.error = QString::fromStdString(error.message());
    return item;
}

QString count(size_t n)
{
    return QLocale().toString(qulonglong(n));
}

bool looksLikeTriplets(const NdArray& array)
{
    if (array.shape.size() != 2 || (array.cols() != 3 && array.cols() != 4) || array.rows() == 0)
        return false;
    for (std::int64_t i = 0; i < std::min<std::int64_t>(array.elementCount(), 3000); ++i) {
        const double v = array.valueAt(i);
        if (v < 0 || v != std::floor(v)) return false;
    }
    return true;
}

LoadedItem tripletItem(const QString& path, TripletSet triplets, const QString& label)
{
    LoadedItem item;
    item.kind = LoadedItem::Kind::Triplets;
    item.path = path;
    item.summary = QStringLiteral("%1: %2 triplets").arg(label, count(triplets.size()));
    item.triplets = std::make_shared<const TripletSet>(std::move(triplets));
    return item;
}

LoadedItem humanItem(const QString& path, Result<HumanDataset> data)
{
    if (!data) return failed(path, data.error());
    LoadedItem item;
    item.kind = LoadedItem::Kind::HumanDataset;
    item.path = path;
    item.summary =
        QStringLiteral("%1: %2 stimuli%3")
            .arg(QString::fromStdString(data->description))
            .arg(data->matrix.n)
            .arg(data->subjects.empty() ? QString()
                                        : QStringLiteral(", %1 subjects").arg(data->subjects.size()));
    item.human = std::make_shared<const HumanDataset>(std::move(data).value());
    return item;
}

// Human similarity datasets in their published layouts; empty when the folder is none of them.
std::vector<LoadedItem> loadHumanFolder(const QString& path)
{
    const QDir dir(path);
    std::vector<LoadedItem> items;
    if (dir.exists(QStringLiteral("sim_judgements/judgments_general.mat")))
        items.push_back(humanItem(path, loadMultiArrangement(path.toStdString())));
    if (dir.exists(QStringLiteral("sim_judgements/BEHAVIOR.mat")))
        for (const char* set : {"set1", "set2"})
            if (dir.exists(QStringLiteral("images/") + set))
                items.push_back(humanItem(path + "/" + set, loadFreeArrangement(path.toStdString(), set)));
    for (const QString& category : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (!QDir(dir.filePath(category + "/sim_judgements"))
                 .entryList({QStringLiteral("*sim*.mat"), QStringLiteral("*Sim*.mat")})
                 .isEmpty())
            items.push_back(humanItem(dir.filePath(category),
                                      loadPairwiseRatings(path.toStdString(), category.toStdString())));
    return items;
}

LoadedItem loadFolder(const QString& path, const TaskContext& context)
{
    std::vector<LoadedItem> human = loadHumanFolder(path);
    if (!human.empty()) {
        LoadedItem first = std::move(human.front());
        for (size_t k = 1; k < human.size(); ++k)
            first.extra.push_back(std::move(human[k]));
        return first;
    }
    auto folder = loadThingsFolder(path.toStdString(), context);
    if (!folder) return failed(path, folder.error());
    LoadedItem item;
    item.kind = LoadedItem::Kind::Objects;
    item.path = path;
    item.summary =
        QStringLiteral("THINGS %1: %2 objects, %3 images")
            .arg(QFileInfo(path).fileName(), count(folder->objects.size()), count(folder->imagesFound));
    if (folder->train)
        item.extra.push_back(tripletItem(path + "/triplets", std::move(*folder->train), "train split"));
    if (folder->test)
        item.extra.push_back(tripletItem(path + "/triplets", std::move(*folder->test), "test split"));
    item.objects = std::make_shared<const StimulusSet>(std::move(folder->objects));
    return item;
}

} // namespace

namespace {

// A symmetric n×n matrix whose rows are named (sidecar or ids key) and n < objectCount or unknown... is human
// similarity data over those stimuli (e.g. ratings of a subset); images are looked up in a sibling images/.
std::optional<LoadedItem> squareHumanMatrix(const QString& path, const LoadedMatrix& matrix)
{
    const NdArray& array = matrix.array;
    if (array.shape.size() != 2 || array.rows() != array.cols() || array.rows() < 3 ||
        matrix.rowIds.size() != size_t(array.rows()))
        return std::nullopt;
    const std::int64_t n = array.rows();
    double diagonal = 0, offDiagonal = 0;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j)
            if (std::abs(array.valueAt(i * n + j) - array.valueAt(j * n + i)) > 1e-6) return std::nullopt;
    for (std::int64_t i = 0; i < n; ++i)
        diagonal += array.valueAt(i * n + i) / double(n);
    for (std::int64_t i = 0; i < n; ++i)
        offDiagonal += array.valueAt(i * n + (i + 1) % n) / double(n);
    const auto kind =
        diagonal > offDiagonal ? SimilarityMatrix::Kind::Similarity : SimilarityMatrix::Kind::Dissimilarity;
    auto human = loadSquareMatrix(path.toStdString(), kind, matrix.rowIds);
    if (!human) return failed(path, human.error());
    const QDir images(QFileInfo(path).dir().filePath(QStringLiteral("../images")));
    for (const std::string& id : matrix.rowIds) {
        QString image;
        for (const char* extension : {".png", ".jpg", ".jpeg"})
            if (images.exists(QString::fromStdString(id) + extension))
                image = images.filePath(QString::fromStdString(id) + extension);
        human->imagePaths.push_back(image.toStdString());
    }
    human->description = QFileInfo(path).completeBaseName().toStdString();
    return humanItem(path, std::move(human));
}

// merged.json / merged.csv written by `alignscope-cli merge`; nullopt for any other file.
std::optional<LoadedItem> loadBatchResults(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("json") && suffix != QLatin1String("csv")) return std::nullopt;
    auto table = std::make_shared<DelimitedTable>();
    if (suffix == QLatin1String("json")) {
        auto json = readJsonFile(path.toStdString());
        if (!json || json->stringOr("format") != "alignscope-batch-results-1") return std::nullopt;
        const JsonValue* rows = json->find("rows");
        if (!rows || !rows->isArray())
            return failed(path, makeError(path.toStdString(), "", "batch results without rows"));
        for (const JsonValue& row : rows->array) {
            if (table->columns.empty())
                for (const auto& [key, value] : row.object)
                    table->columns.push_back(key);
            std::vector<std::string> cells;
            for (const std::string& column : table->columns)
                cells.push_back(row.stringOr(column));
            table->rows.push_back(std::move(cells));
        }
    } else {
        auto prefix = readFilePrefix(path.toStdString(), 64);
        if (!prefix || std::string(prefix->begin(), prefix->end())
                               .rfind("job,analysis,model,dataset,variant,state,metric", 0) != 0)
            return std::nullopt;
        auto parsed = readDelimitedTable(path.toStdString(), ',');
        if (!parsed) return failed(path, parsed.error());
        *table = std::move(parsed).value();
    }
    LoadedItem item;
    item.kind = LoadedItem::Kind::BatchResults;
    item.path = path;
    item.summary =
        QStringLiteral("%1: batch results, %2 rows").arg(QFileInfo(path).fileName()).arg(table->rows.size());
    item.table = std::move(table);
    return item;
}

LoadedItem loadDetected(const QString& path, const Result<FileFormat>& format, size_t objectCount,
                        const TaskContext& context)
{
    if (auto batch = loadBatchResults(path)) return std::move(*batch);
    const std::string file = path.toStdString();
    if (!format) return failed(path, format.error());
    const QString name = QFileInfo(path).fileName();
    switch (*format) {
    case FileFormat::Directory:
        return loadFolder(path, context);
    case FileFormat::ConceptTable:
    case FileFormat::IdList: {
        auto objects = loadObjects(file);
        if (!objects) return failed(path, objects.error());
        LoadedItem item;
        item.kind =
            *format == FileFormat::ConceptTable ? LoadedItem::Kind::Objects : LoadedItem::Kind::IdList;
        item.path = path;
        item.summary =
            QStringLiteral("%1: %2 %3")
                .arg(name, count(objects->size()), *format == FileFormat::ConceptTable ? "objects" : "IDs");
        item.objects = std::make_shared<const StimulusSet>(std::move(objects).value());
        return item;
    }
    case FileFormat::TorchScript: {
        LoadedItem item;
        item.kind = LoadedItem::Kind::Model;
        item.path = path;
        item.summary = QStringLiteral("%1: TorchScript model").arg(name);
        return item;
    }
    default:
        break;
    }
    auto input = load({file, InputRole::Any, std::nullopt, {}}, context); // the one load path (load.h)
    if (!input) return failed(path, input.error());
    LoadedMatrix& matrix = input->matrix;
    if (looksLikeTriplets(matrix.array)) {
        if (objectCount == 0)
            return failed(
                path,
                makeError(file, "", "looks like triplets; open an object table (things_concepts.tsv) first"));
        auto triplets = loadTriplets(file, objectCount, context);
        if (!triplets) return failed(path, triplets.error());
        return tripletItem(path, std::move(triplets).value(), name);
    }
    if (auto human = squareHumanMatrix(path, matrix)) return std::move(*human);
    LoadedItem item;
    item.kind = LoadedItem::Kind::Matrix;
    item.path = path;
    item.summary = QStringLiteral("%1: %2 %3")
                       .arg(name, QString::fromStdString(matrix.array.shapeString()),
                            QString::fromStdString(matrix.array.sourceDtype));
    item.matrix = std::make_shared<const LoadedMatrix>(std::move(matrix));
    return item;
}

} // namespace

LoadedItem loadPath(const QString& path, size_t objectCount, const TaskContext& context)
{
    return loadDetected(path, detectFormat(path.toStdString()), objectCount, context);
}

std::vector<LoadedItem> loadPaths(const QStringList& paths, size_t objectCount, const TaskContext& context)
{
    // Each file's format is detected once: it decides the loading order and then the loader.
    std::vector<std::pair<QString, Result<FileFormat>>> objectFiles, others;
    bool idListTaken = objectCount > 0;
    for (const QString& path : paths) {
        auto format = detectFormat(path.toStdString());
        const bool objects =
            format && (*format == FileFormat::Directory || *format == FileFormat::ConceptTable ||
                       (*format == FileFormat::IdList && !idListTaken));
        if (format && *format == FileFormat::IdList && objects) idListTaken = true;
        (objects ? objectFiles : others).emplace_back(path, std::move(format));
    }
    std::vector<LoadedItem> items;
    for (const auto* group : {&objectFiles, &others})
        for (const auto& [path, format] : *group) {
            if (context.cancelled()) return items;
            items.push_back(loadDetected(path, format, objectCount, context));
            const LoadedItem& item = items.back();
            if (item.objects && (item.kind == LoadedItem::Kind::Objects || objectCount == 0))
                objectCount = item.objects->size();
        }
    return items;
}

Result<FeatureMatrix> featuresOf(const LoadedItem& item, const StimulusSet& stimuli,
                                 const RowIdentity& identity, bool allowExtraRows)
{
    const std::string path = item.path.toStdString();
    if (!item.matrix || item.matrix->array.shape.size() != 2)
        return makeError(path, "", "is not a 2-D matrix");
    const NdArray& array = item.matrix->array;
    auto rowFor = mapRowsToStimuli(stimuli, array.rows(), identity, path, allowExtraRows);
    if (!rowFor) return rowFor.error();
    FeatureMatrix features;
    features.rows = std::int64_t(stimuli.size());
    features.cols = array.cols();
    features.exact = exactFeatureRows(array, *rowFor);
    features.values = gatherRows(array.toFeatureFloat32(), features.cols, *rowFor);
    features.rowIds = stimuli.ids();
    features.origin = path;
    return features;
}
