#include "session/project_checks.h"

#include "alignscope/file_io.h"
#include "alignscope/npy.h"
#include "alignscope/result_json.h"
#include "alignscope/sha256.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

using namespace alignscope;

namespace projectchecks {

namespace {

constexpr int kHashDigits = 32;

QString number(double value)
{
    return std::isnan(value) ? QStringLiteral("nan") : QString::number(value, 'g', 17);
}

// A saved number as it reads: absent or null is NaN.
double numberAt(const JsonValue& json, const char* key)
{
    const JsonValue* value = json.find(key);
    return value && value->isNumber() ? value->number : std::nan("");
}

bool isCount(double value)
{
    return value >= 0 && value <= double(kLargestRevision) && value == std::floor(value);
}

// [low, high] with both bounds within [lowest, highest]; `allowNan`: a bound may be missing (not computed).
QString intervalProblem(const JsonValue* json, const char* key, double lowest, double highest, bool allowNan)
{
    if (!json) return {};
    if (!json->isArray() || json->array.size() != 2)
        return QObject::tr("'%1' is not an interval [low, high]").arg(QString::fromLatin1(key));
    const double low = json->array[0].isNumber() ? json->array[0].number : std::nan("");
    const double high = json->array[1].isNumber() ? json->array[1].number : std::nan("");
    const auto bad = [&](double v) {
        return std::isnan(v) ? !allowNan : !(std::isfinite(v) && v >= lowest && v <= highest);
    };
    if (bad(low) || bad(high) || (!std::isnan(low) && !std::isnan(high) && low > high))
        return QObject::tr("'%1' [%2, %3] is not an interval within %4 to %5")
            .arg(QString::fromLatin1(key), number(low), number(high), number(lowest), number(highest));
    return {};
}

QString hashPrefix(const char* data, size_t size)
{
    Sha256 hash;
    hash.update(data, size);
    return QString::fromStdString(hash.hexDigest().substr(0, kHashDigits));
}

} // namespace

QString projectJsonOf(const QString& folder)
{
    return QDir(folder).filePath(QStringLiteral("project.json"));
}

std::string sidecarNameFor(const std::vector<char>& bytes, const std::string& suffix)
{
    return "data/" + hashPrefix(bytes.data(), bytes.size()).toStdString() + suffix;
}

bool isSidecarName(const QString& relative)
{
    // Anchored as a whole: "$" would also match before a trailing newline.
    static const QRegularExpression name(
        QRegularExpression::anchoredPattern(QStringLiteral("data/[0-9a-f]{32}\\.(npy|npz)")));
    return name.match(relative).hasMatch();
}

Result<std::vector<char>> readSidecar(const QString& folder, const std::string& name)
{
    const std::string project = projectJsonOf(folder).toStdString();
    const QString relative = QString::fromStdString(name);
    if (!isSidecarName(relative))
        return Error{project, "",
                     "sidecar '" + name +
                         "' is not a file in the project's data folder (data/<hash>.npy or .npz); not read"};
    const QString data = QDir(folder).filePath(QStringLiteral("data"));
    if (QFileInfo(data).isSymLink())
        return Error{project, "",
                     data.toStdString() +
                         ": a symbolic link; sidecars are read only from the project's own data folder"};
    const QString path = QDir(folder).filePath(relative);
    if (QFileInfo(path).isSymLink())
        return Error{path.toStdString(), "", "a symbolic link, not a sidecar a save wrote; not read"};
    auto bytes = readWholeFile(path.toStdString());
    if (!bytes) return bytes.error();
    const QString hash = hashPrefix(bytes->data(), bytes->size());
    if (hash != QFileInfo(relative).completeBaseName())
        return Error{path.toStdString(), "",
                     "its contents do not match its name (their SHA-256 begins " + hash.toStdString() +
                         "): changed or replaced since the save; not used"};
    return bytes;
}

Result<std::vector<std::int8_t>> parseChoices(const std::vector<char>& bytes, const std::string& path)
{
    auto array = parseNpy(bytes.data(), bytes.size(), path);
    if (!array) return array.error();
    if (array->shape.size() != 1 || array->kind != ElementKind::Int64)
        return Error{path, "",
                     std::string("choices are a 1-D integer array; this is ") + elementKindName(array->kind) +
                         " " + array->shapeString() + "; not used"};
    std::vector<std::int8_t> choices(array->i64.size());
    for (size_t t = 0; t < choices.size(); ++t) {
        const std::int64_t value = array->i64[t];
        if (value < -1 || value > 2)
            return Error{path, "index " + std::to_string(t),
                         "choice value " + std::to_string(value) + " (choices are -1 to 2); not used"};
        choices[t] = std::int8_t(value);
    }
    return choices;
}

QString savedModelProblem(const JsonValue& model, const std::vector<std::int8_t>& choices)
{
    const double correct = double(std::count(choices.begin(), choices.end(), std::int8_t(2)));
    const double ties = double(std::count(choices.begin(), choices.end(), std::int8_t(-1)));
    const std::pair<const char*, double> counts[] = {
        {"correct", correct}, {"ties", ties}, {"triplets", double(choices.size())}};
    for (const auto& [key, counted] : counts) {
        const double saved = numberAt(model, key);
        if (std::string(key) == "triplets" && !model.find(key)) continue; // older projects did not save it
        if (saved != counted)
            return QObject::tr("'%1' %2 does not match its choices (%3)")
                .arg(QString::fromLatin1(key), number(saved), number(counted));
    }
    if (const double refined = numberAt(model, "refined"); model.find("refined") && !isCount(refined))
        return QObject::tr("'refined' %1 is not a count").arg(number(refined));
    for (QString problem : {intervalProblem(model.find("ci95"), "ci95", 0, 1, false),
                            intervalProblem(model.find("ci95_objects"), "ci95_objects", 0, 1, true)})
        if (!problem.isEmpty()) return problem;
    if (const JsonValue* concepts = model.find("per_concept"); concepts && concepts->isArray())
        for (size_t d = 0; d < concepts->array.size(); ++d) {
            const ConceptAccuracy concept = readConceptAccuracy(concepts->array[d]);
            const double triplets = double(concept.triplets), right = double(concept.correct);
            const double accuracy = concept.accuracy;
            QString problem;
            if (!isCount(triplets) || !isCount(right) || right > triplets)
                problem = QObject::tr("%1 correct of %2 triplets").arg(number(right), number(triplets));
            else if (triplets > 0 ? !(std::abs(accuracy - right / triplets) <= 1e-3) : !std::isnan(accuracy))
                problem = QObject::tr("accuracy %1 for %2 of %3")
                              .arg(number(accuracy), number(right), number(triplets));
            else
                problem = intervalProblem(concepts->array[d].find("ci95"), "ci95", 0, 1, true);
            if (!problem.isEmpty()) return QObject::tr("'per_concept' entry %1: %2").arg(d).arg(problem);
        }
    return {};
}

QString savedRsaProblem(const JsonValue& entry)
{
    const double r = numberAt(entry, "r");
    if (!(std::abs(r) <= 1 + 1e-12)) return QObject::tr("r %1 is not a correlation").arg(number(r));
    return intervalProblem(entry.find("ci95"), "ci95", -1 - 1e-12, 1 + 1e-12, false);
}

QString savedProbeProblem(const JsonValue& probe)
{
    // Accuracies are null when a restored probe (whose accuracies are not shown) was saved again.
    for (const char* key : {"zero_shot_accuracy", "cv_accuracy"}) {
        const double value = numberAt(probe, key);
        if (!(std::isnan(value) || (value >= 0 && value <= 1)))
            return QObject::tr("'%1' %2 is not within 0 to 1").arg(QString::fromLatin1(key), number(value));
    }
    for (const char* key : {"cv_accuracy_sd", "lambda"}) {
        const double value = numberAt(probe, key);
        if (!((std::isnan(value) && std::string(key) != "lambda") || (std::isfinite(value) && value >= 0)))
            return QObject::tr("'%1' %2 is not a finite value of 0 or more")
                .arg(QString::fromLatin1(key), number(value));
    }
    return {};
}

Result<std::int64_t> readRevision(const JsonValue& project, const QString& file)
{
    const JsonValue* revision = project.find("revision");
    if (!revision) return std::int64_t(0);
    if (!revision->isNumber() || !isCount(revision->number))
        return Error{file.toStdString(), "",
                     "revision " +
                         (revision->isNumber() ? number(revision->number).toStdString()
                                               : "'" + revision->string + "'") +
                         " is not a whole number from 0 to 2^53"};
    return std::int64_t(revision->number);
}

QString folderRefusal(const QString& folder)
{
    const QFileInfo info(folder);
    if (info.exists() && !info.isDir()) return QObject::tr("%1: not a folder").arg(folder);
    const QString data = QDir(folder).filePath(QStringLiteral("data"));
    if (QFileInfo(data).isSymLink())
        return QObject::tr(
                   "%1: a symbolic link; a project keeps its sidecars in a data folder of its own, and a "
                   "save writes or removes nothing through a link")
            .arg(data);
    if (QFileInfo::exists(data) && !QFileInfo(data).isDir()) return QObject::tr("%1: not a folder").arg(data);
    if (!info.exists()) return {};
    const QString file = projectJsonOf(folder);
    if (QFileInfo(file).exists() || QFileInfo(file).isSymLink()) {
        auto json = readJsonFile(file.toStdString());
        if (!json)
            return QObject::tr("%1; not saved over").arg(QString::fromStdString(json.error().message()));
        if (json->stringOr("format") != "alignscope-project-1")
            return QObject::tr("%1: not an AlignScope project; not saved over").arg(file);
        auto revision = readRevision(*json, file);
        if (!revision)
            return QString::fromStdString(revision.error().message()) + QObject::tr("; not saved over");
        return {};
    }
    // Not a project: only an empty folder is one, or what a first save that was interrupted leaves (sidecars
    // and temporaries in data/).
    static const QRegularExpression leftByASave(QStringLiteral("^[0-9a-f]{32}\\.(npy|npz)(\\.tmp-.*)?$"));
    const auto hidden = QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden | QDir::System;
    QStringList foreign;
    for (const QString& name : QDir(folder).entryList(hidden))
        if (name != QStringLiteral("data")) foreign << name;
    for (const QString& name : QDir(data).entryList(hidden))
        if (!leftByASave.match(name).hasMatch()) foreign << QStringLiteral("data/") + name;
    if (foreign.isEmpty()) return {};
    return QObject::tr(
               "%1: the folder is neither empty nor an AlignScope project (it holds %2); choose an empty "
               "folder or a project folder")
        .arg(folder, foreign.mid(0, 3).join(QStringLiteral(", ")));
}

} // namespace projectchecks
