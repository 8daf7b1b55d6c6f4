// Project files: the demo saved and reopened restores features without re-extraction and the probe without
// retraining; changed inputs are reported and recomputed; a save killed mid-way loses nothing saved before;
// autosave + crash recovery (every change the user makes is saved in the next autosave and marks the window
// modified); saving runs off the GUI thread, one write at a time, a newer state never lost; recent projects.
// A tampered project.json or sidecar is reported and recomputed, never shown; sidecar paths outside the
// project are refused; a save removes only what it wrote and refuses a folder that is neither empty nor a
// project.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/json_reader.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"
#include "alignscope/sha256.h"
#include "controllers/extraction_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/population_controller.h"
#include "controllers/probe_controller.h"
#include "controllers/project_session.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "demo_session.h"
#include "main_window.h"
#include "session/project_file.h"
#include "session/session.h"
#include "session/task_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <random>
#include <sys/stat.h>

using namespace alignscope;

namespace {

std::map<std::string, double> accuracies(const MainWindow& window)
{
    std::map<std::string, double> out;
    if (auto analysis = window.workbench()->oddOneOut()->analysis())
        for (const ModelAnalysis& model : analysis->models)
            out[model.name] = model.choices.accuracy();
    return out;
}

// The helper mode of this binary: saves a project over and over (each save writes a 24 MB sidecar) so that
// the test can kill it mid-save.
int saveLoop(const QString& folder)
{
    Workbench workbench;
    for (int revision = 1;; ++revision) {
        auto matrix = std::make_shared<LoadedMatrix>();
        matrix->array =
            makeFloat32Array({3000, 2000}, std::vector<float>(size_t(3000) * 2000, float(revision)));
        LoadedItem item;
        item.kind = LoadedItem::Kind::Matrix;
        item.path = QStringLiteral("in-memory features");
        item.summary = QStringLiteral("revision %1").arg(revision);
        item.matrix = std::move(matrix);
        workbench.session()->add(std::move(item));
        const QString error = saveProject(workbench.toProject(), folder);
        if (!error.isEmpty()) return 1;
        std::printf("saved %d\n", revision);
        std::fflush(stdout);
    }
}

// A small workspace: 60 objects, triplets judged by two hidden concepts, a model that names its rows
// (model.npy + model.rows.txt), one that does not (plain.npy: needs a row mapping), another named one that is
// not opened (extra.npy) and a model table.
struct SmallWorkspace
{
    QString objects, triplets, model, plain, extra, modelTable;
    QStringList opened() const { return {objects, triplets, model, plain}; }
};

SmallWorkspace writeSmallWorkspace(const QDir& root, int tripletCount = 1500)
{
    const int n = 60, p = 8;
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    std::vector<float> concepts(size_t(2 * n)), features;
    for (float& c : concepts)
        c = std::abs(normal(rng));
    QByteArray ids, triplets;
    for (int i = 0; i < n; ++i) {
        ids += "o" + QByteArray::number(i) + "\n";
        for (int c = 0; c < p; ++c)
            features.push_back(concepts[size_t(2 * i + c % 2)] * float(c + 1) + 0.3f * normal(rng));
    }
    auto similar = [&](int a, int b) {
        return concepts[size_t(2 * a)] * concepts[size_t(2 * b)] +
               concepts[size_t(2 * a + 1)] * concepts[size_t(2 * b + 1)];
    };
    std::uniform_int_distribution<int> pick(0, n - 1);
    for (int t = 0; t < tripletCount;) {
        int i = pick(rng), j = pick(rng), k = pick(rng);
        if (i == j || j == k || i == k) continue;
        if (similar(i, k) > similar(i, j) && similar(i, k) > similar(j, k))
            std::swap(j, k);
        else if (similar(j, k) > similar(i, j) && similar(j, k) > similar(i, k))
            std::swap(i, k);
        triplets += QByteArray::number(i) + " " + QByteArray::number(j) + " " + QByteArray::number(k) + "\n";
        ++t;
    }
    SmallWorkspace files;
    files.objects = QString::fromStdString(testsupport::writeBytes(root, "objects.txt", ids));
    files.triplets = QString::fromStdString(testsupport::writeBytes(root, "triplets.txt", triplets));
    for (const char* name : {"model", "plain", "extra"}) {
        const QString path = root.filePath(QString(name) + ".npy");
        if (!writeNpy(path.toStdString(), makeFloat32Array({n, p}, features)).ok()) return {};
    }
    testsupport::writeBytes(root, "model.rows.txt", ids);
    testsupport::writeBytes(root, "extra.rows.txt", ids);
    files.model = root.filePath("model.npy");
    files.plain = root.filePath("plain.npy");
    files.extra = root.filePath("extra.npy");
    files.modelTable = QString::fromStdString(
        testsupport::writeBytes(root, "models.csv", "model,params\nmodel,8\nplain,8\n"));
    return files;
}

// Trains a probe on `featuresPath` with the workspace's triplets and waits for it.
bool trainProbe(Workbench& workbench, const QString& featuresPath)
{
    Session* session = workbench.session();
    const SessionItem* features = session->itemAtPath(featuresPath);
    const auto triplets = session->itemsWithRole(ItemRole::Triplets);
    if (!features || triplets.empty()) return false;
    ProbeSettings settings;
    settings.featuresId = features->id;
    settings.tripletsId = triplets.front()->id;
    settings.lambdas = {0.01};
    settings.lbfgsIterations = 60;
    settings.epochs = 10;
    QSignalSpy trained(workbench.probe(), &ProbeController::trained);
    return workbench.probe()->train(settings) && trained.wait(120000);
}

// Leaves `state` as a crashed session leaves it: the lock names a process that no longer runs.
void markCrashed(const QString& state)
{
    QProcess finished;
    finished.start("true");
    finished.waitForFinished();
    const qint64 deadPid = finished.processId() > 0 ? finished.processId() : 999999;
    testsupport::writeBytes(QDir(state), "session.lock", QByteArray::number(deadPid));
}

} // namespace

// Tampering with a saved project (issue 26): what the pages show, copies of project folders, edits of
// project.json and its sidecars.
namespace {

struct ShownRsa
{
    double r = 0;
    double low = std::nan(""), high = std::nan("");
    bool operator==(const ShownRsa& other) const
    {
        auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
        return r == other.r && same(low, other.low) && same(high, other.high);
    }
};

// What the Results and RSA pages show: per model the accuracy and its interval, per RSA model r and its
// interval.
struct ShownNumbers
{
    std::map<std::string, double> accuracy;
    std::map<std::string, std::pair<double, double>> interval;
    std::map<std::string, ShownRsa> rsa;
};

ShownNumbers shownNumbers(const Workbench& workbench)
{
    ShownNumbers shown;
    if (auto analysis = workbench.oddOneOut()->analysis())
        for (const ModelAnalysis& model : analysis->models) {
            shown.accuracy[model.name] = model.choices.accuracy();
            shown.interval[model.name] = {model.ci95.low, model.ci95.high};
        }
    for (const auto& analysis : workbench.rsa()->analyses())
        for (const RsaModelResult& model : analysis->models) {
            ShownRsa rsa{model.r};
            if (model.ci95) rsa.low = model.ci95->low, rsa.high = model.ci95->high;
            shown.rsa[analysis->dataset + "/" + model.name] = rsa;
        }
    return shown;
}

void copyFolder(const QString& from, const QString& to)
{
    QDir().mkpath(to);
    for (const QFileInfo& entry : QDir(from).entryInfoList(QDir::NoDotAndDotDot | QDir::AllEntries)) {
        const QString target = QDir(to).filePath(entry.fileName());
        if (entry.isDir())
            copyFolder(entry.filePath(), target);
        else
            QFile::copy(entry.filePath(), target);
    }
}

QJsonObject readProjectJson(const QString& folder)
{
    QFile file(QDir(folder).filePath("project.json"));
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

void writeProjectJson(const QString& folder, const QJsonObject& json)
{
    testsupport::writeBytes(QDir(folder), "project.json", QJsonDocument(json).toJson());
}

// A sidecar written as a save writes it: data/<SHA-256 prefix>.npy. Returns its name in project.json.
QString writeHashNamedNpy(const QString& folder, const NdArray& array)
{
    const std::vector<char> bytes = encodeNpy(array);
    const QString name =
        "data/" + QString::fromStdString(sha256Hex(std::string(bytes.begin(), bytes.end())).substr(0, 32)) +
        ".npy";
    QDir(folder).mkpath("data");
    testsupport::writeBytes(QDir(folder), name, QByteArray(bytes.data(), qsizetype(bytes.size())));
    return name;
}

std::vector<std::int64_t> readChoices(const QString& folder, const QString& name)
{
    auto array = readNpy(QDir(folder).filePath(name).toStdString());
    if (!array) qFatal("%s", array.error().message().c_str());
    return array->i64;
}

// The ways a saved project was found edited or mixed up, each applied to a copy of the demo's project.
enum class Tamper
{
    EditedCorrect,
    ShorterChoices,
    LongerChoices,
    AnotherModelsChoices,
    AnotherModelsFileCopiedOver,
    ChoiceValue100,
    ChoiceValueMinus128,
    IntervalNanTo5,
    RsaIntervalNanTo5,
    RsaCorrelationEdited,
    PerConceptCountEdited,
    ExtractedFeaturesChanged,
    ProbeTransformChanged,
    ProbeAccuracyEdited,
    RsaIntervalEditedInRange,
    ProbeCvAccuracyEditedInRange,
    PerConceptTripletsHuge,
    PerConceptTripletsHugeNegative,
    RefinedHuge,
};

void tamper(Tamper how, const QString& folder)
{
    QJsonObject project = readProjectJson(folder);
    QJsonObject cache = project["odd_one_out_cache"].toObject();
    QJsonArray models = cache["models"].toArray();
    QJsonObject first = models[0].toObject();
    const QJsonObject second = models[1].toObject();
    std::vector<std::int64_t> choices = readChoices(folder, first["choices"].toString());
    // Choices replaced under a name that matches their content, with counts that match them.
    auto replaceChoices = [&](const std::vector<std::int64_t>& values) {
        first["choices"] = writeHashNamedNpy(folder, makeInt64Array({std::int64_t(values.size())}, values));
        first["correct"] = double(std::count(values.begin(), values.end(), 2));
        first["ties"] = double(std::count(values.begin(), values.end(), -1));
        first["triplets"] = double(values.size());
    };
    const QJsonArray nanTo5{QJsonValue(QJsonValue::Null), 5};
    switch (how) {
    case Tamper::EditedCorrect:
        first["correct"] = std::floor(0.909 * double(choices.size()));
        break;
    case Tamper::ShorterChoices:
        choices.resize(choices.size() * 9 / 10);
        replaceChoices(choices);
        break;
    case Tamper::LongerChoices:
        choices.insert(choices.end(), choices.size() / 10, 2);
        replaceChoices(choices);
        break;
    case Tamper::AnotherModelsChoices:
        for (const char* key : {"choices", "correct", "ties", "triplets"})
            first[key] = second[key];
        break;
    case Tamper::AnotherModelsFileCopiedOver: {
        const QString target = QDir(folder).filePath(first["choices"].toString());
        QFile::remove(target);
        QVERIFY(QFile::copy(QDir(folder).filePath(second["choices"].toString()), target));
        break;
    }
    case Tamper::ChoiceValue100:
        choices[0] = 100;
        replaceChoices(choices);
        break;
    case Tamper::ChoiceValueMinus128:
        choices[0] = -128;
        replaceChoices(choices);
        break;
    case Tamper::IntervalNanTo5:
        first["ci95"] = nanTo5;
        break;
    case Tamper::RsaIntervalNanTo5: {
        QJsonArray rsa = project["rsa_cache"].toArray();
        QJsonObject entry = rsa[0].toObject();
        entry["ci95"] = nanTo5;
        rsa[0] = entry;
        project["rsa_cache"] = rsa;
        break;
    }
    case Tamper::RsaCorrelationEdited: {
        QJsonArray rsa = project["rsa_cache"].toArray();
        QJsonObject entry = rsa[0].toObject();
        entry["r"] = entry["r"].toDouble() > 0.5 ? 0.1 : 0.9; // a correlation, not this model's
        rsa[0] = entry;
        project["rsa_cache"] = rsa;
        break;
    }
    case Tamper::PerConceptCountEdited: {
        QJsonArray concepts = first["per_concept"].toArray();
        QJsonObject concept = concepts[0].toObject();
        concept["n_correct"] = concept["n_triplets"].toDouble() + 5;
        concepts[0] = concept;
        first["per_concept"] = concepts;
        break;
    }
    case Tamper::ExtractedFeaturesChanged: {
        const QString file =
            QDir(folder).filePath(project["features"].toArray()[0].toObject()["file"].toString());
        auto features = readNpy(file.toStdString());
        QVERIFY(features);
        std::vector<float> values = features->toFloat32();
        std::reverse(values.begin(), values.end()); // other features, the same shape and file name
        QVERIFY(writeNpy(file.toStdString(), makeFloat32Array(features->shape, values)));
        break;
    }
    case Tamper::ProbeTransformChanged: {
        const QString file = QDir(folder).filePath(project["probe"].toObject()["transform"].toString());
        auto transform = loadTransform(file.toStdString());
        QVERIFY(transform);
        for (float& w : transform->weights)
            w = -w;
        QVERIFY(saveTransform(file.toStdString(), *transform));
        break;
    }
    case Tamper::ProbeAccuracyEdited: {
        QJsonObject probe = project["probe"].toObject();
        probe["cv_accuracy"] = 7;
        project["probe"] = probe;
        break;
    }
    case Tamper::RsaIntervalEditedInRange: {
        QJsonArray rsa = project["rsa_cache"].toArray();
        QJsonObject entry = rsa[0].toObject();
        entry["ci95"] = QJsonArray{0.90, 0.95}; // an interval, not the one its bootstrap gives
        rsa[0] = entry;
        project["rsa_cache"] = rsa;
        break;
    }
    case Tamper::ProbeCvAccuracyEditedInRange: {
        QJsonObject probe = project["probe"].toObject();
        probe["cv_accuracy"] = 0.95;
        project["probe"] = probe;
        break;
    }
    case Tamper::PerConceptTripletsHuge:
    case Tamper::PerConceptTripletsHugeNegative: {
        QJsonArray concepts = first["per_concept"].toArray();
        QJsonObject concept = concepts[0].toObject();
        concept["n_triplets"] = how == Tamper::PerConceptTripletsHuge ? 1e300 : -1e300;
        concepts[0] = concept;
        first["per_concept"] = concepts;
        break;
    }
    case Tamper::RefinedHuge:
        first["refined"] = 1e300;
        break;
    }
    models[0] = first;
    cache["models"] = models;
    project["odd_one_out_cache"] = cache;
    writeProjectJson(folder, project);
}

// A Workbench with one in-memory feature matrix filled with `value` (saved as a sidecar).
void addInMemoryFeatures(Workbench& workbench, float value)
{
    auto matrix = std::make_shared<LoadedMatrix>();
    matrix->array = makeFloat32Array({4, 3}, std::vector<float>(12, value));
    LoadedItem item;
    item.kind = LoadedItem::Kind::Matrix;
    item.path = QStringLiteral("in-memory features");
    item.summary = QStringLiteral("value %1").arg(value);
    item.matrix = std::move(matrix);
    workbench.session()->add(std::move(item));
}

QStringList filesUnder(const QString& folder)
{
    QStringList files;
    for (const QFileInfo& entry : QDir(folder).entryInfoList(QDir::NoDotAndDotDot | QDir::AllEntries))
        files << entry.fileName();
    files.sort();
    return files;
}

} // namespace

class TestProject : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void saveAndReopenRestoresWithoutRecomputing();
    void tamperedProjectIsReportedAndRecomputed_data();
    void tamperedProjectIsReportedAndRecomputed();
    void everySavedChoiceIsVerified();
    void sidecarPathsOutsideTheProjectAreRefused_data();
    void sidecarPathsOutsideTheProjectAreRefused();
    void inputPathsAreAbsoluteAndMissingOnesReported_data();
    void inputPathsAreAbsoluteAndMissingOnesReported();
    void saveRemovesOnlyWhatItWrote_data();
    void saveRemovesOnlyWhatItWrote();
    void revisionsAreWholeNumbersInRange_data();
    void revisionsAreWholeNumbersInRange();
    void changedInputsAreReportedAndRecomputed();
    void killedMidSaveLosesNothing_data();
    void killedMidSaveLosesNothing();
    void autosaveAndCrashRecovery();
    void everyChangeMarksTheWorkspaceModified_data();
    void everyChangeMarksTheWorkspaceModified();
    void everyChangeIsAutosavedAndRecovered();
    void savingRunsOffTheGuiThread();
    void sessionLockGoesThroughTheCheckedPaths();
    void projectSavedBeforeTheSharedLayoutOpens();

private:
    void loadDemo(MainWindow& window);
    QTemporaryDir m_dir;
    QTemporaryDir m_cache;
    std::map<std::string, double> m_savedAccuracies;
    std::map<std::string, double> m_savedLowerBounds;
    ShownNumbers m_saved; // what the demo showed when p1.alignscope was saved
};

void TestProject::initTestCase()
{
    qputenv("ALIGNSCOPE_CACHE_DIR", m_cache.path().toUtf8());
    qputenv("ALIGNSCOPE_STATE_DIR", m_dir.filePath("state").toUtf8());
}

void TestProject::loadDemo(MainWindow& window)
{
    window.setInteractive(false);
    DemoSession* demo = window.openDemo(m_dir.filePath("demo"));
    QSignalSpy ready(demo, &DemoSession::ready);
    QVERIFY(ready.wait(180000) || demo->isReady());
    QVERIFY(testsupport::waitSettled(*window.workbench(), 180000));
}

void TestProject::saveAndReopenRestoresWithoutRecomputing()
{
    {
        MainWindow window;
        loadDemo(window);
        m_savedAccuracies = accuracies(window);
        QCOMPARE(m_savedAccuracies.size(), size_t(4));
        m_saved = shownNumbers(*window.workbench());
        QVERIFY(!m_saved.rsa.empty());
        QVERIFY(!std::isnan(window.workbench()->session()->probe()->result.cvAccuracy));
        for (const ModelAnalysis& model : window.workbench()->oddOneOut()->analysis()->models)
            m_savedLowerBounds[model.name] = model.ci95Objects.low;
        QVERIFY(!window.workbench()->oddOneOut()->analysis()->restoredFromCache);
        QCOMPARE(window.projects()->save(m_dir.filePath("p1.alignscope")), QString());
        QCOMPARE(window.projects()->recentProjects().value(0), m_dir.filePath("p1.alignscope"));
    }
    auto json = readJsonFile(m_dir.filePath("p1.alignscope/project.json").toStdString());
    QVERIFY(json);
    QCOMPARE(json->stringOr("format"), std::string("alignscope-project-1"));
    QVERIFY(!json->stringOr("app_version").empty() && !json->stringOr("libtorch_version").empty());
    const JsonValue* inputs = json->find("inputs");
    QVERIFY(inputs && inputs->array.size() >= 5);
    bool hashed = false;
    for (const JsonValue& input : inputs->array)
        hashed = hashed || input.stringOr("sha256").size() == 64;
    QVERIFY(hashed);
    const JsonValue* features = json->find("features");
    QVERIFY(features && features->array.size() == 2); // extracted CNN features and their probed copy
    QVERIFY(features->array[0].find("extraction"));
    QVERIFY(json->find("probe") && json->find("results") && json->find("results")->find("odd_one_out"));
    const JsonValue* population = json->find("population"); // the Compare page's demo population
    QVERIFY(population && population->find("results") && population->find("results")->array.size() == 1);
    QVERIFY(QString::fromStdString(population->stringOr("model_table")).endsWith("population/models.csv"));

    MainWindow reopened;
    reopened.setInteractive(false);
    QStringList notes;
    QCOMPARE(reopened.projects()->open(m_dir.filePath("p1.alignscope"), &notes), QString());
    QVERIFY(testsupport::waitSettled(*reopened.workbench(), 180000));
    QVERIFY2(notes.isEmpty(), qPrintable(notes.join('\n')));
    QCOMPARE(reopened.workbench()->extraction()->jobs().size(),
             size_t(0)); // features restored from the project, the model not run
    const auto& probe = reopened.workbench()->session()->probe();
    QVERIFY(probe);
    QVERIFY(std::isnan(probe->result.cvAccuracy)); // restored, not retrained: not verifiable, not shown
    // The probe is linked by id to its source and its transformed features, both restored.
    QVERIFY(reopened.workbench()->session()->item(probe->sourceId));
    QVERIFY(reopened.workbench()->session()->item(probe->transformedId));
    QCOMPARE(accuracies(reopened), m_savedAccuracies);
    // The Compare page's files and model table reopened: 18 simulated models and the 4 of the workspace.
    PopulationController* compared = reopened.workbench()->population();
    QCOMPARE(compared->resultFiles().size(), 1);
    QVERIFY(compared->metadataPath().endsWith("population/models.csv"));
    QCOMPARE(int(compared->population().models.size()), 22);
    QVERIFY(compared->match().unusedRows.empty());
    // Inputs unchanged: the odd-one-out and RSA results were restored, not recomputed.
    QVERIFY(reopened.workbench()->oddOneOut()->analysis()->restoredFromCache);
    for (const ModelAnalysis& model : reopened.workbench()->oddOneOut()->analysis()->models)
        QCOMPARE(model.ci95Objects.low, m_savedLowerBounds[model.name]);
    QCOMPARE(reopened.workbench()->rsa()->analyses().size(), size_t(2));
    for (const auto& analysis : reopened.workbench()->rsa()->analyses())
        QVERIFY(analysis->restoredFromCache);
    // Saving the reopened project keeps the restored features' provenance.
    QCOMPARE(reopened.projects()->save(m_dir.filePath("p1-again.alignscope")), QString());
    auto again = readJsonFile(m_dir.filePath("p1-again.alignscope/project.json").toStdString());
    QVERIFY(again);
    int withExtraction = 0;
    for (const JsonValue& entry : again->find("features")->array)
        if (const JsonValue* extraction = entry.find("extraction")) {
            ++withExtraction;
            QCOMPARE(extraction->stringOr("key"), features->array[0].find("extraction")->stringOr("key"));
        }
    QCOMPARE(withExtraction, 1);
}

void TestProject::tamperedProjectIsReportedAndRecomputed_data()
{
    QTest::addColumn<int>("how");
    QTest::addColumn<QString>("reported");
    QTest::addColumn<bool>("probeRestored");
    QTest::newRow("an edited 'correct' (accuracy 0.909)")
        << int(Tamper::EditedCorrect) << "does not match its choices" << true;
    QTest::newRow("choices shorter than the triplets, named by their hash")
        << int(Tamper::ShorterChoices) << "saved choices for" << true;
    QTest::newRow("choices longer than the triplets, named by their hash")
        << int(Tamper::LongerChoices) << "saved choices for" << true;
    QTest::newRow("another model's choices named in the entry")
        << int(Tamper::AnotherModelsChoices) << "choices of other features" << true;
    QTest::newRow("another model's choices copied over the file")
        << int(Tamper::AnotherModelsFileCopiedOver) << "do not match its name" << true;
    QTest::newRow("a choice value of 100, named by its hash")
        << int(Tamper::ChoiceValue100) << "choice value 100" << true;
    QTest::newRow("a choice value of -128, named by its hash")
        << int(Tamper::ChoiceValueMinus128) << "choice value -128" << true;
    QTest::newRow("an interval of [nan, 5]") << int(Tamper::IntervalNanTo5) << "'ci95'" << true;
    QTest::newRow("an RSA interval of [nan, 5]") << int(Tamper::RsaIntervalNanTo5) << "rsa_cache" << true;
    QTest::newRow("an RSA r edited to another correlation")
        << int(Tamper::RsaCorrelationEdited) << "differs from the r of its RDMs" << true;
    QTest::newRow("a per-concept count above its triplets")
        << int(Tamper::PerConceptCountEdited) << "per_concept" << true;
    QTest::newRow("extracted features changed under the same name")
        << int(Tamper::ExtractedFeaturesChanged) << "do not match its name" << true;
    QTest::newRow("the probe's transform changed under the same name")
        << int(Tamper::ProbeTransformChanged) << "do not match its name" << false;
    QTest::newRow("the probe's accuracy edited to 7")
        << int(Tamper::ProbeAccuracyEdited) << "cv_accuracy" << false;
    QTest::newRow("an RSA interval edited to [0.90, 0.95]")
        << int(Tamper::RsaIntervalEditedInRange) << "interval" << true;
    QTest::newRow("the probe's cv_accuracy edited to 0.95")
        << int(Tamper::ProbeCvAccuracyEditedInRange) << "not verified" << true;
    QTest::newRow("a per-concept n_triplets of 1e300")
        << int(Tamper::PerConceptTripletsHuge) << "per_concept" << true;
    QTest::newRow("a per-concept n_triplets of -1e300")
        << int(Tamper::PerConceptTripletsHugeNegative) << "per_concept" << true;
    QTest::newRow("a 'refined' of 1e300") << int(Tamper::RefinedHuge) << "'refined'" << true;
}

// What a reopened project shows is what was computed from its inputs, whatever was edited in project.json or
// its sidecars; every edit is reported, naming the file.
void TestProject::tamperedProjectIsReportedAndRecomputed()
{
    QFETCH(int, how);
    QFETCH(QString, reported);
    QFETCH(bool, probeRestored);
    QVERIFY2(!m_saved.accuracy.empty(), "saveAndReopenRestoresWithoutRecomputing saves the project");
    QTemporaryDir copy;
    copyFolder(m_dir.filePath("p1.alignscope"), copy.path());
    tamper(Tamper(how), copy.path());
    if (QTest::currentTestFailed()) return;

    MainWindow reopened;
    reopened.setInteractive(false);
    testsupport::SessionLog log(reopened.workbench()->session());
    QStringList notes;
    QCOMPARE(reopened.projects()->open(copy.path(), &notes), QString());
    QVERIFY(testsupport::waitSettled(*reopened.workbench(), 180000));
    QVERIFY(testsupport::waitSettled(*reopened.workbench(), 180000));
    const QString all = (notes + log.lines).join('\n');
    QVERIFY2(all.contains(reported), qPrintable(all));
    // The report names the file that did not verify (project.json or a sidecar of the copy).
    QVERIFY2(all.contains(copy.path() + "/"), qPrintable(all));
    const ShownNumbers shown = shownNumbers(*reopened.workbench());
    QCOMPARE(shown.accuracy, m_saved.accuracy);
    QCOMPARE(shown.interval, m_saved.interval);
    QVERIFY(shown.rsa == m_saved.rsa);
    QCOMPARE(bool(reopened.workbench()->session()->probe()), probeRestored);
    // A restored probe shows no accuracy that was not computed here: the cross-validated numbers would need
    // the probe trained again.
    if (const auto& probe = reopened.workbench()->session()->probe()) {
        QVERIFY2(std::isnan(probe->result.cvAccuracy) && std::isnan(probe->result.cvAccuracySd),
                 qPrintable(QString::number(probe->result.cvAccuracy)));
    }
}

// Every saved choice is checked against the model's own pick, not a sample: one choice flipped at triplet 1
// (between the positions a sample of 4,096 at a stride would check in 9,000 triplets) under a name that
// matches its content and counts that match it is reported and recomputed.
void TestProject::everySavedChoiceIsVerified()
{
    QTemporaryDir dir;
    const SmallWorkspace files = writeSmallWorkspace(QDir(dir.path()), 9000);
    QVERIFY(!files.objects.isEmpty());
    const QString folder = dir.filePath("p.alignscope");
    std::map<std::string, double> saved;
    {
        MainWindow window;
        window.setInteractive(false);
        testsupport::SessionLog opened(window.workbench()->session());
        QSignalSpy analysed(window.workbench()->oddOneOut(), &OddOneOutController::analysisChanged);
        QSignalSpy unavailable(window.workbench()->oddOneOut(), &OddOneOutController::unavailable);
        window.workbench()->open({files.objects, files.triplets, files.model});
        QVERIFY2(analysed.wait(30000),
                 qPrintable(unavailable.isEmpty() ? QString() : unavailable.last().front().toString()));
        QVERIFY(testsupport::waitSettled(*window.workbench(), 120000));
        saved = shownNumbers(*window.workbench()).accuracy;
        QVERIFY2(!saved.empty(), qPrintable(opened.lines.join('\n')));
        QCOMPARE(window.projects()->save(folder), QString());
    }
    QVERIFY(!saved.empty());
    QJsonObject project = readProjectJson(folder);
    QJsonObject cache = project["odd_one_out_cache"].toObject();
    QJsonArray models = cache["models"].toArray();
    QJsonObject first = models[0].toObject();
    std::vector<std::int64_t> choices = readChoices(folder, first["choices"].toString());
    QCOMPARE(choices.size(), size_t(9000));
    choices[1] = choices[1] == 2 ? 0 : 2;
    first["choices"] = writeHashNamedNpy(folder, makeInt64Array({std::int64_t(choices.size())}, choices));
    first["correct"] = double(std::count(choices.begin(), choices.end(), 2));
    first["ties"] = double(std::count(choices.begin(), choices.end(), -1));
    models[0] = first;
    cache["models"] = models;
    project["odd_one_out_cache"] = cache;
    writeProjectJson(folder, project);

    MainWindow reopened;
    reopened.setInteractive(false);
    testsupport::SessionLog log(reopened.workbench()->session());
    QStringList notes;
    QSignalSpy reanalysed(reopened.workbench()->oddOneOut(), &OddOneOutController::analysisChanged);
    QCOMPARE(reopened.projects()->open(folder, &notes), QString());
    QVERIFY(reanalysed.wait(120000));
    QVERIFY(testsupport::waitSettled(*reopened.workbench(), 120000));
    const QString all = (notes + log.lines).join('\n');
    QVERIFY2(all.contains("saved choice at triplet 1 "), qPrintable(all));
    QCOMPARE(shownNumbers(*reopened.workbench()).accuracy, saved);
}

void TestProject::sidecarPathsOutsideTheProjectAreRefused_data()
{
    QTest::addColumn<QString>("path"); // {outside}: a folder beside the project; {hash}: the file's name
    QTest::addColumn<QString>("reported");
    QTest::newRow("../") << "../outside/{hash}.npy"
                         << "'../outside/{hash}.npy' is not a file in the project's data folder";
    QTest::newRow("data/../../")
        << "data/../../outside/{hash}.npy"
        << "'data/../../outside/{hash}.npy' is not a file in the project's data folder";
    QTest::newRow("absolute") << "{outside}/{hash}.npy"
                              << "'{outside}/{hash}.npy' is not a file in the project's data folder";
    QTest::newRow("data is a symbolic link out of the project") << "data/{hash}.npy"
                                                                << "data: a symbolic link";
    QTest::newRow("a newline after the name")
        << "data/{hash}.npy\n"
        << "'data/{hash}.npy\n' is not a file in the project's data folder";
}

void TestProject::sidecarPathsOutsideTheProjectAreRefused()
{
    QFETCH(QString, path);
    QFETCH(QString, reported);
    QTemporaryDir root;
    const QString folder = root.filePath("project"), outside = root.filePath("outside");
    QDir().mkpath(folder);
    // A valid choices file outside the project, named by its content as a save would name it.
    const QString name = writeHashNamedNpy(outside, makeInt64Array({3}, {2, 0, 2}));
    QVERIFY(QFile::rename(QDir(outside).filePath(name), QDir(outside).filePath(QFileInfo(name).fileName())));
    const QString hash = QFileInfo(name).completeBaseName();
    if (path == "data/{hash}.npy") QVERIFY(QFile::link(outside, QDir(folder).filePath("data")));
    path.replace("{outside}", outside).replace("{hash}", hash);
    reported.replace("{outside}", outside).replace("{hash}", hash);
    testsupport::writeBytes(QDir(folder), "project.json",
                            QString(R"({"format": "alignscope-project-1", "revision": 1,
        "settings": {}, "inputs": [], "features": [],
        "odd_one_out_cache": {"models": [{"fingerprint": "abc", "name": "m", "choices": "%1",
            "correct": 2, "ties": 0, "refined": 0, "device": "cpu", "ci95": [0.5, 0.9], "ci95_objects": [0.4, 0.9],
            "per_concept": []}]}})")
                                .arg(QString(path).replace("\n", "\\n"))
                                .toUtf8());
    ProjectData project;
    QStringList notes;
    QCOMPARE(openProject(folder, &project, &notes), QString());
    const QString all = notes.join('\n');
    QVERIFY2(all.contains(QDir(folder).filePath("project.json")), qPrintable(all)); // names the project
    QVERIFY2(all.contains(reported), qPrintable(all));                              // and the path
    QVERIFY(!project.oddOneOutCache || project.oddOneOutCache->models.empty()); // nothing read from outside
}

void TestProject::inputPathsAreAbsoluteAndMissingOnesReported_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reported");
    QTest::newRow("relative") << "concepts/things_concepts.tsv"
                              << "'concepts/things_concepts.tsv' is not an absolute path";
    QTest::newRow("absolute, missing") << "/nonexistent/alignscope/objects.tsv"
                                       << "/nonexistent/alignscope/objects.tsv: missing";
}

void TestProject::inputPathsAreAbsoluteAndMissingOnesReported()
{
    QFETCH(QString, path);
    QFETCH(QString, reported);
    QTemporaryDir folder;
    testsupport::writeBytes(QDir(folder.path()), "project.json",
                            QString(R"({"format": "alignscope-project-1", "revision": 1, "settings": {},
        "inputs": [{"path": "%1", "exists": true, "size": 10}], "features": []})")
                                .arg(path)
                                .toUtf8());
    ProjectData project;
    QStringList notes;
    QCOMPARE(openProject(folder.path(), &project, &notes), QString());
    Workbench workbench;
    workbench.applyProject(project, &notes);
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    const QString all = notes.join('\n');
    QVERIFY2(all.contains(reported), qPrintable(all));
    QVERIFY(workbench.session()->openedPaths().isEmpty()); // nothing opened relative to the working folder
}

void TestProject::saveRemovesOnlyWhatItWrote_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("refusal"); // empty: the save succeeds
    QTest::newRow("a folder of the user's (not a project)") << "user files"
                                                            << "neither empty nor an AlignScope project";
    QTest::newRow("a project the user added files to") << "project + user files"
                                                       << "";
    QTest::newRow("an empty folder whose data is a symbolic link") << "data link"
                                                                   << "data: a symbolic link";
    QTest::newRow("a project whose data became a symbolic link") << "project + data link"
                                                                 << "data: a symbolic link";
}

void TestProject::saveRemovesOnlyWhatItWrote()
{
    QFETCH(QString, setup);
    QFETCH(QString, refusal);
    QTemporaryDir root;
    const QString folder = root.filePath("analysis.alignscope"), user = root.filePath("user");
    QDir().mkpath(folder);
    QDir().mkpath(user);
    Workbench workbench;
    addInMemoryFeatures(workbench, 1);
    QStringList firstSidecars;
    if (setup.startsWith("project")) {
        QCOMPARE(saveProject(workbench.toProject(), folder), QString());
        firstSidecars = filesUnder(QDir(folder).filePath("data"));
        QCOMPARE(firstSidecars.size(), 1);
    }
    // The user's files: in data/ and beside project.json, or in the folder a `data` link points to.
    if (setup.endsWith("data link")) {
        testsupport::writeBytes(QDir(user), "ratings.csv", "subject,rating\n1,5\n");
        if (setup.startsWith("project")) QVERIFY(QDir(folder).rename("data", "data-moved"));
        QVERIFY(QFile::link(user, QDir(folder).filePath("data")));
    } else {
        QDir(folder).mkpath("data");
        testsupport::writeBytes(QDir(folder), "data/ratings.csv", "subject,rating\n1,5\n");
        testsupport::writeBytes(QDir(folder), "notes.txt", "my notes\n");
    }
    workbench.startNewWorkspace();
    addInMemoryFeatures(workbench, 2); // the first sidecar is no longer referenced
    const QString error = saveProject(workbench.toProject(), folder);
    if (refusal.isEmpty()) {
        QCOMPARE(error, QString());
    } else {
        QVERIFY2(error.contains(refusal), qPrintable(error));
        QVERIFY2(error.contains(folder), qPrintable(error));
    }
    // Nothing of the user's was removed; a sidecar of our own that is no longer referenced was.
    if (setup.endsWith("data link")) {
        QCOMPARE(filesUnder(user), QStringList({"ratings.csv"}));
    } else {
        QVERIFY(QFile::exists(QDir(folder).filePath("data/ratings.csv")));
        QVERIFY(QFile::exists(QDir(folder).filePath("notes.txt")));
    }
    if (setup == "project + user files") {
        QVERIFY(!QFile::exists(QDir(folder).filePath("data/" + firstSidecars.front())));
        QCOMPARE(filesUnder(QDir(folder).filePath("data")).size(), 2); // ratings.csv and the new sidecar
        ProjectData reopened;
        QStringList notes;
        QCOMPARE(openProject(folder, &reopened, &notes), QString());
        QVERIFY2(notes.isEmpty(), qPrintable(notes.join('\n')));
        QCOMPARE(reopened.features.size(), size_t(1));
        QCOMPARE(reopened.features.front().array->f32.front(), 2.0f);
    }
}

void TestProject::revisionsAreWholeNumbersInRange_data()
{
    QTest::addColumn<QString>("revision"); // as written in project.json
    QTest::addColumn<qint64>("afterSave"); // -1: opening and saving refuse the project
    QTest::newRow("the largest int") << "2147483647" << qint64(2147483648);
    QTest::newRow("2^53, the largest exact") << "9007199254740992" << qint64(9007199254740992);
    QTest::newRow("negative") << "-5" << qint64(-1);
    QTest::newRow("fraction") << "1.5" << qint64(-1);
    QTest::newRow("beyond 2^53") << "1e300" << qint64(-1);
    QTest::newRow("text") << "\"7\"" << qint64(-1);
}

void TestProject::revisionsAreWholeNumbersInRange()
{
    QFETCH(QString, revision);
    QFETCH(qint64, afterSave);
    QTemporaryDir folder;
    testsupport::writeBytes(QDir(folder.path()), "project.json",
                            QString(R"({"format": "alignscope-project-1", "revision": %1, "settings": {},
        "inputs": [], "features": []})")
                                .arg(revision)
                                .toUtf8());
    ProjectData project;
    QStringList notes;
    const QString opened = openProject(folder.path(), &project, &notes);
    Workbench workbench;
    addInMemoryFeatures(workbench, 1);
    const QString saved = saveProject(workbench.toProject(), folder.path());
    if (afterSave < 0) {
        QVERIFY2(opened.contains("revision") && opened.contains(folder.path()), qPrintable(opened));
        QVERIFY2(saved.contains("revision") && saved.contains(folder.path()), qPrintable(saved));
        return;
    }
    QCOMPARE(opened, QString());
    QCOMPARE(saved, QString());
    QCOMPARE(qint64(projectRevision(folder.path())), afterSave);
}

void TestProject::changedInputsAreReportedAndRecomputed()
{
    // A private copy of the demo folder, saved as a project, then a model file and a feature file changed.
    const QString demo = m_dir.filePath("demo2");
    {
        MainWindow window;
        window.setInteractive(false);
        DemoSession* session = window.openDemo(demo);
        QSignalSpy ready(session, &DemoSession::ready);
        QVERIFY(ready.wait(180000) || session->isReady());
        QVERIFY(testsupport::waitSettled(*window.workbench(), 180000));
        QCOMPARE(window.projects()->save(m_dir.filePath("p2.alignscope")), QString());
    }
    auto shape = readNpy((demo + "/models/shape_moments.npy").toStdString());
    QVERIFY(shape);
    std::vector<float> values = shape->toFloat32();
    for (float& v : values)
        v = -v * 0.5f + 0.1f;
    QVERIFY(
        writeNpy((demo + "/models/shape_moments.npy").toStdString(), makeFloat32Array(shape->shape, values)));
    QFile model(demo + "/models/demo_cnn.pt");
    QVERIFY(model.open(QIODevice::Append));
    model.write(QByteArray(16, '\0')); // still a loadable zip archive; a different file
    model.close();

    MainWindow reopened;
    reopened.setInteractive(false);
    QStringList notes;
    QCOMPARE(reopened.projects()->open(m_dir.filePath("p2.alignscope"), &notes), QString());
    QVERIFY(testsupport::waitSettled(*reopened.workbench(), 180000));
    QVERIFY(testsupport::waitSettled(*reopened.workbench(), 180000));
    const QString all = notes.join('\n');
    QVERIFY2(all.contains("shape_moments.npy: changed since the project was saved"), qPrintable(all));
    QVERIFY2(all.contains("extracting again"), qPrintable(all));
    QCOMPARE(reopened.workbench()->extraction()->jobs().size(),
             size_t(1)); // the stale features: extracted again
    QVERIFY(!reopened.workbench()->oddOneOut()->analysis()->restoredFromCache); // a changed input: recomputed
    const QString job = reopened.workbench()->extraction()->jobs().front().status;
    QVERIFY2(job.startsWith("300 rows"), qPrintable(job));
}

void TestProject::killedMidSaveLosesNothing_data()
{
    QTest::addColumn<int>("delayMs");
    for (int delay : {0, 7, 23, 41, 90})
        QTest::addRow("kill %d ms after a save", delay) << delay;
}

void TestProject::killedMidSaveLosesNothing()
{
    QFETCH(int, delayMs);
    QTemporaryDir folder;
    QProcess helper;
    helper.start(QCoreApplication::applicationFilePath(), {"--save-loop", folder.path()});
    QVERIFY(helper.waitForStarted());
    QByteArray out;
    while (!out.contains("saved 2\n") && helper.waitForReadyRead(60000))
        out += helper.readAllStandardOutput();
    QVERIFY2(out.contains("saved 2"), out.constData());
    QTest::qWait(delayMs);
    ::kill(pid_t(helper.processId()), SIGKILL);
    helper.waitForFinished();
    out += helper.readAllStandardOutput();
    const int lastReported = out.trimmed().split('\n').last().split(' ').last().toInt();
    // The project on disk is a complete revision at least as new as the last one reported saved.
    const int revision = projectRevision(folder.path());
    QVERIFY2(revision >= lastReported, qPrintable(QString("%1 < %2").arg(revision).arg(lastReported)));
    MainWindow window;
    window.setInteractive(false);
    QStringList notes;
    QCOMPARE(window.projects()->open(folder.path(), &notes), QString());
    QVERIFY2(notes.isEmpty(), qPrintable(notes.join('\n')));
    const LoadedItem* newest =
        nullptr; // the helper's session gains one item per revision; the last is the newest
    for (const SessionItem& item : window.workbench()->session()->items())
        if (item.data.path == "in-memory features") newest = &item.data;
    QVERIFY(newest);
    QCOMPARE(newest->matrix->array.rows(), std::int64_t(3000));
    QCOMPARE(newest->matrix->array.f32.front(), float(revision)); // the sidecar of that same revision
}

void TestProject::autosaveAndCrashRecovery()
{
    const QString state = m_dir.filePath("crash-state");
    const QString concepts = m_dir.filePath("demo/concept_space.npy");
    QVERIFY(QFile::exists(concepts));
    {
        MainWindow first;
        first.setInteractive(false);
        ProjectSession session(first.workbench(), state);
        first.openPaths({m_dir.filePath("demo/concepts/things_concepts.tsv"), concepts});
        QVERIFY(testsupport::waitSettled(*first.workbench(), 60000));
        QSignalSpy autosaved(&session, &ProjectSession::autosaved);
        QVERIFY(session.autosaveNow());
        QVERIFY(!session.autosaveNow()); // nothing changed since
        QVERIFY(autosaved.wait(60000));
        QCOMPARE(autosaved.front().front().toString(), QString());
    }
    // The window was destroyed without a clean exit.
    markCrashed(state);
    {
        MainWindow second;
        second.setInteractive(false);
        ProjectSession session(second.workbench(), state);
        QVERIFY(session.recoveryAvailable());
        QStringList notes;
        QCOMPARE(session.recover(&notes), QString());
        QVERIFY(testsupport::waitSettled(*second.workbench(), 60000));
        QVERIFY(second.workbench()->session()->objects());
        QCOMPARE(second.workbench()->session()->objects()->size(), size_t(300));
        session.endSession(); // a clean exit
    }
    MainWindow third;
    ProjectSession session(third.workbench(), state);
    QVERIFY(!session.recoveryAvailable());
}

void TestProject::everyChangeMarksTheWorkspaceModified_data()
{
    QTest::addColumn<QString>("change");
    for (const char* change : {"similarity", "RSA method", "row mapping", "concept space", "probe trained",
                               "probe applied", "file opened", "model table"})
        QTest::newRow(change) << QString(change);
}

// Each change a project saves marks the workspace modified (the window's title shows it) until it is saved.
void TestProject::everyChangeMarksTheWorkspaceModified()
{
    QFETCH(QString, change);
    QTemporaryDir dir;
    const SmallWorkspace files = writeSmallWorkspace(QDir(dir.path()));
    QVERIFY(!files.objects.isEmpty());
    MainWindow window;
    window.setInteractive(false);
    Workbench* workbench = window.workbench();
    Session* session = workbench->session();
    ProjectSession* projects = window.projects();
    QVERIFY(window.windowTitle().contains("[*]"));
    workbench->open(files.opened());
    QVERIFY(testsupport::waitSettled(*workbench, 60000));
    QVERIFY(projects->isModified()); // opened files are work to save
    QVERIFY(window.isWindowModified());
    if (change == "probe applied") QVERIFY(trainProbe(*workbench, files.model));
    const QString folder = dir.filePath("p.alignscope");
    QCOMPARE(projects->save(folder), QString());
    QVERIFY(!projects->isModified());
    QVERIFY(!window.isWindowModified());

    QSignalSpy modified(projects, &ProjectSession::modifiedChanged);
    if (change == "similarity")
        session->setSimilarity(SimilarityKind::Dot);
    else if (change == "RSA method")
        session->setRsaMethods(RdmMethod::Euclidean, CompareMethod::Pearson);
    else if (change == "row mapping")
        session->setRowIdentity(files.plain, RowIdentity::sorted());
    else if (change == "concept space")
        session->setConceptPath(files.plain);
    else if (change == "probe trained")
        QVERIFY(trainProbe(*workbench, files.model));
    else if (change == "probe applied")
        QVERIFY(workbench->probe()->apply());
    else if (change == "file opened")
        workbench->open({files.extra});
    else if (change == "model table")
        workbench->population()->setMetadata(files.modelTable);
    QVERIFY(testsupport::waitSettled(*workbench, 120000));
    QVERIFY2(projects->isModified(), qPrintable(change));
    QCOMPARE(modified.size(), 1);
    QCOMPARE(modified.front().front().toBool(), true);
    QVERIFY(window.isWindowModified());

    QCOMPARE(projects->save(folder), QString());
    QVERIFY(!projects->isModified());
    QCOMPARE(modified.size(), 2);
    QVERIFY(!window.isWindowModified());
}

// Each change reaches the next autosave (the timer's interval injected); after a crash, recovery brings back
// every setting, the row mapping and the probe with its transformed features.
void TestProject::everyChangeIsAutosavedAndRecovered()
{
    QTemporaryDir dir;
    const SmallWorkspace files = writeSmallWorkspace(QDir(dir.path()));
    QVERIFY(!files.objects.isEmpty());
    const QString state = dir.filePath("state");
    ProbeResult trained;
    {
        Workbench workbench;
        Session* session = workbench.session();
        ProjectSession projects(&workbench, state);
        QSignalSpy autosaved(&projects, &ProjectSession::autosaved);
        projects.setAutosaveInterval(std::chrono::milliseconds(20));
        workbench.open(files.opened());
        QVERIFY(testsupport::waitSettled(workbench, 60000));
        QVERIFY(autosaved.wait(60000));
        const std::vector<std::pair<const char*, std::function<bool()>>> changes = {
            {"similarity", [&] { return session->setSimilarity(SimilarityKind::Euclidean), true; }},
            {"RSA method",
             [&] { return session->setRsaMethods(RdmMethod::Euclidean, CompareMethod::KendallB), true; }},
            {"row mapping",
             [&] { return session->setRowIdentity(files.plain, RowIdentity::sorted()), true; }},
            {"probe trained", [&] { return trainProbe(workbench, files.model); }},
            {"probe applied", [&] { return workbench.probe()->apply(); }}};
        for (const auto& [what, make] : changes) {
            QVERIFY(testsupport::waitSettled(workbench, 60000));
            autosaved.clear();
            QVERIFY2(make(), what);
            QVERIFY2(autosaved.wait(60000), what);
            QCOMPARE(autosaved.last().front().toString(), QString());
        }
        QVERIFY(testsupport::waitSettled(workbench, 60000));
        QVERIFY(projects.isModified()); // an autosave is not a save
        trained = session->probe()->result;
    } // destroyed without a clean exit
    markCrashed(state);

    Workbench workbench;
    ProjectSession projects(&workbench, state);
    QVERIFY(projects.recoveryAvailable());
    QStringList notes;
    QCOMPARE(projects.recover(&notes), QString());
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    const Session* session = workbench.session();
    QCOMPARE(int(session->settings().similarity), int(SimilarityKind::Euclidean));
    QCOMPARE(int(session->settings().rdm), int(RdmMethod::Euclidean));
    QCOMPARE(int(session->settings().compare), int(CompareMethod::KendallB));
    QVERIFY(session->settings().rowIdentities.count(files.plain));
    QCOMPARE(int(session->settings().rowIdentities.at(files.plain).policy), int(RowIdentity::Policy::Sorted));
    const auto& probe = session->probe();
    QVERIFY(probe);
    // Its transform comes back; its accuracies are not verifiable without training again (not shown).
    QVERIFY(std::isnan(probe->result.cvAccuracy) && !std::isnan(trained.cvAccuracy));
    QCOMPARE(probe->result.transform.weights, trained.transform.weights);
    QVERIFY(session->item(probe->sourceId));
    QCOMPARE(session->item(probe->sourceId)->data.path, files.model);
    QVERIFY(session->item(probe->transformedId));
    QVERIFY(projects.isModified()); // recovered work is not in any project yet
    projects.endSession();
}

// A save snapshots the workspace on the GUI thread and writes on a worker: save returns while the write is
// held back, the window's event loop runs, one write at a time, and a save that waits is replaced by a newer
// one for the same folder (the newest state is written, none lost).
// The session lock is read and written as every file is: a FIFO in its place is neither blocked on (opening
// it for reading waited for a writer forever) nor replaced.
void TestProject::sessionLockGoesThroughTheCheckedPaths()
{
    QTemporaryDir dir;
    const QString state = dir.filePath("state");
    QVERIFY(QDir().mkpath(state));
    const QByteArray lock = QFile::encodeName(QDir(state).filePath("session.lock"));
    QVERIFY(::mkfifo(lock.constData(), 0600) == 0);
    Workbench workbench;
    ProjectSession projects(&workbench, state);
    QVERIFY(!projects.recoveryAvailable());
    struct stat info
    {
    };
    QVERIFY(::lstat(lock.constData(), &info) == 0 && S_ISFIFO(info.st_mode));
}

void TestProject::savingRunsOffTheGuiThread()
{
    QTemporaryDir dir;
    const SmallWorkspace files = writeSmallWorkspace(QDir(dir.path()));
    QVERIFY(!files.objects.isEmpty());
    Workbench workbench;
    ProjectSession projects(&workbench, dir.filePath("state"));
    workbench.open(files.opened());
    QVERIFY(testsupport::waitSettled(workbench, 60000));

    QSemaphore release;
    QMutex mutex;
    QStringList written; // the similarity of each state written, in order
    bool offGuiThread = true;
    std::atomic<int> writing{0};
    int mostAtOnce = 0;
    Qt::HANDLE guiThread = QThread::currentThreadId();
    projects.setWriteFunction([&](const ProjectData& project, const QString& folder) {
        const int now = ++writing;
        {
            QMutexLocker lock(&mutex);
            mostAtOnce = std::max(mostAtOnce, now);
            written << QString::fromStdString(similarityName(project.settings.similarity));
            offGuiThread = offGuiThread && QThread::currentThreadId() != guiThread;
        }
        // A save that blocked the GUI thread never sees the release and fails here.
        const QString error = release.tryAcquire(1, 10000) ? saveProject(project, folder)
                                                           : QStringLiteral("the write was never released");
        --writing;
        return error;
    });
    QSignalSpy saved(&projects, &ProjectSession::saved);
    const QString folder = dir.filePath("p.alignscope");
    projects.startSave(folder); // cosine
    QVERIFY(projects.isSaving());
    QCOMPARE(saved.size(), 0);
    QCOMPARE(projectRevision(folder), -1); // returned before the write finished
    workbench.session()->setSimilarity(SimilarityKind::Dot);
    projects.startSave(folder); // waits behind the first
    workbench.session()->setSimilarity(SimilarityKind::Correlation);
    projects.startSave(folder); // newer: replaces the waiting one
    release.release(3);
    while (saved.size() < 2)
        QVERIFY(saved.wait(60000));
    QVERIFY(!projects.isSaving());
    for (const QList<QVariant>& arguments : saved) {
        QCOMPARE(arguments.at(0).toString(), folder);
        QCOMPARE(arguments.at(1).toString(), QString());
    }
    QCOMPARE(written, QStringList({"cosine", "correlation"}));
    QVERIFY(offGuiThread);
    QCOMPARE(mostAtOnce, 1);
    ProjectData onDisk;
    QStringList notes;
    QCOMPARE(openProject(folder, &onDisk, &notes), QString());
    QCOMPARE(int(onDisk.settings.similarity), int(SimilarityKind::Correlation));
    QCOMPARE(projects.currentProject(), folder);
    QVERIFY(!projects.isModified());
}

// A project.json as 0.1 saved it before the shared per-concept layout ("triplets", "correct") still reads.
void TestProject::projectSavedBeforeTheSharedLayoutOpens()
{
    QTemporaryDir folder;
    QDir root(folder.path());
    // Sidecars were always named by their content (a prefix of its SHA-256).
    const QString choices = writeHashNamedNpy(folder.path(), makeInt64Array({3}, {2, 0, 2}));
    testsupport::writeBytes(root, "project.json",
                            QString(R"({"format": "alignscope-project-1", "revision": 4,
        "settings": {"similarity": "dot", "rdm": "euclidean", "compare": "pearson", "concepts": "/data/vice.npy",
                     "row_identities": [{"path": "/data/vice.npy", "policy": "sorted"},
                                        {"path": "/data/f.npy", "policy": "ids", "ids": ["a", "b"]}]},
        "inputs": [], "features": [],
        "odd_one_out_cache": {"models": [{"fingerprint": "abc", "name": "m", "choices": "%1",
            "correct": 2, "ties": 0, "refined": 0, "device": "cpu", "ci95": [0.5, 0.9], "ci95_objects": [0.4, null],
            "per_concept": [{"dimension": 3, "label": "food", "triplets": 120, "correct": 80,
                             "accuracy": 0.6667, "ci95": [0.6, 0.72]}]}]}})")
                                .arg(choices)
                                .toUtf8());
    ProjectData project;
    QStringList notes;
    QCOMPARE(openProject(folder.path(), &project, &notes), QString());
    QCOMPARE(project.revision, 4);
    QCOMPARE(int(project.settings.similarity), int(SimilarityKind::Dot));
    QCOMPARE(int(project.settings.rdm), int(RdmMethod::Euclidean));
    QCOMPARE(int(project.settings.compare), int(CompareMethod::Pearson));
    QCOMPARE(project.settings.conceptPath, QStringLiteral("/data/vice.npy"));
    QCOMPARE(int(project.settings.rowIdentities.at("/data/vice.npy").policy),
             int(RowIdentity::Policy::Sorted));
    QCOMPARE(project.settings.rowIdentities.at("/data/f.npy").ids, std::vector<std::string>({"a", "b"}));
    QVERIFY(project.oddOneOutCache);
    const auto& model = project.oddOneOutCache->models.front();
    QCOMPARE(model.choices.choice.size(), size_t(3));
    QVERIFY(std::isnan(model.ci95Objects.high));
    QCOMPARE(model.perConcept.front().triplets, std::int64_t(120));
    QCOMPARE(model.perConcept.front().correct, std::int64_t(80));
    QCOMPARE(model.perConcept.front().label, std::string("food"));
}

int main(int argc, char** argv)
{
    if (argc == 3 && QByteArray(argv[1]) == "--save-loop") {
        QApplication app(argc, argv);
        return saveLoop(QString::fromLocal8Bit(argv[2]));
    }
    QApplication app(argc, argv);
    TestProject test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_project.moc"
