// Models panel: a dropped TorchScript model gets a card from a background inspection; the settings dialog
// builds requests from presets; queued extraction jobs report progress, can be cancelled, fail with the file
// named, and their features join the workspace as models with image-stem row IDs. "Add models…" lists the
// catalogue of models by name, and a chosen or dropped one is exported and extracted in the same queue, its
// file's metadata filling the Compare page's model table.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/npy.h"

#include "controllers/extraction_controller.h"
#include "controllers/population_controller.h"
#include "controllers/workbench.h"
#include "dialogs/extraction_dialog.h"
#include "dialogs/model_catalogue_dialog.h"
#include "pages/models_page.h"
#include "session/session.h"
#include "session/task_runner.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace alignscope;

namespace {

// tests/fixtures/lab_net.py, the `python:` exporter of a lab's own small net (preprocessing 40/36 bicubic;
// family, top-1 and training data), copied into `folder` as lab_net.py.
QString copyLabNetExporter(const QString& folder)
{
    const QString copy = QDir(folder).filePath(QStringLiteral("lab_net.py"));
    if (!QFile::copy(QStringLiteral(ALIGNSCOPE_LAB_NET_EXPORTER), copy)) return QString();
    return copy;
}

} // namespace

class TestModelsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void droppedModelGetsACard();
    void dialogBuildsRequestsFromPresets_data();
    void dialogBuildsRequestsFromPresets();
    void extractionJobsRunFailAndCancel();
    void misbehavingModelFailsOnlyItsJob_data();
    void misbehavingModelFailsOnlyItsJob();
    void cancelEndsTheModelProcess();
    void catalogueListsAndFilters_data();
    void catalogueListsAndFilters();
    void droppedFilesNameModels_data();
    void droppedFilesNameModels();
    void modelsByNameJoinTheSession_data();
    void modelsByNameJoinTheSession();
    void exportedModelJoinsThePopulationWithItsMetadata();
    void exportedFileKeepsItsOwnPreprocessing_data();
    void exportedFileKeepsItsOwnPreprocessing();
    void renamedInTheJobTable_data();
    void renamedInTheJobTable();

private:
    QString fixture(const QString& relative) const { return m_dir.filePath("fx/" + relative); }
    QTemporaryDir m_dir;
    QTemporaryDir m_cache;
};

void TestModelsPage::initTestCase()
{
    if (QProcess::execute("/usr/bin/python3", {"-c", "import torch, torchvision, PIL"}) != 0)
        QSKIP("python3-torch, python3-torchvision or python3-pil is not installed (packaging/install-deps.sh "
              "installs them)");
    QVERIFY(QProcess::execute("/usr/bin/python3",
                              {QStringLiteral(ALIGNSCOPE_FIXTURE_SCRIPT), m_dir.filePath("fx")}) == 0);
    qputenv("ALIGNSCOPE_CACHE_DIR", m_cache.path().toUtf8());
    qputenv("ALIGNSCOPE_PYTHON", "/usr/bin/python3"); // the models' exporter child
}

void TestModelsPage::droppedModelGetsACard()
{
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    workbench.open({fixture("tiny_cnn.pt")});
    QVERIFY(testsupport::waitSettled(workbench, 60000)); // loaded, then inspected on a worker
    QCOMPARE(int(workbench.session()->items().front().role), int(ItemRole::TorchScriptModel));
    auto* list = page.findChild<QListWidget*>("modelList");
    QCOMPARE(list->count(), 1);
    QCOMPARE(page.selectedModel(), fixture("tiny_cnn.pt"));
    const ModelInfo* info = workbench.extraction()->modelInfo(fixture("tiny_cnn.pt"));
    QVERIFY(info);
    const QString card = page.cardText();
    QVERIFY2(card.contains(QString::fromStdString(info->sha256)) && card.contains("encode_image") &&
                 card.contains("752"),
             qPrintable(card));
}

void TestModelsPage::dialogBuildsRequestsFromPresets_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("resize");
    QTest::addColumn<int>("crop");
    QTest::addColumn<float>("firstStd");
    QTest::newRow("imagenet") << "imagenet" << 256 << 224 << 0.229f;
    QTest::newRow("clip") << "clip" << 224 << 224 << 0.26862954f;
    QTest::newRow("none") << "none" << 0 << 0 << 1.0f;
}

void TestModelsPage::dialogBuildsRequestsFromPresets()
{
    QFETCH(QString, preset);
    QFETCH(int, resize);
    QFETCH(int, crop);
    QFETCH(float, firstStd);
    auto info = inspectModel(fixture("tiny_cnn.pt").toStdString());
    QVERIFY(info);
    ExtractionDialog dialog(*info);
    QVERIFY(!dialog.request()); // no images chosen yet: an error, not a crash
    dialog.setImages(fixture("images"));
    dialog.findChild<QComboBox*>("preset")->setCurrentText(preset);
    auto request = dialog.request();
    QVERIFY2(request, request ? "" : request.error().message().c_str());
    QCOMPARE(request->preprocessing.resize, resize);
    QCOMPARE(request->preprocessing.crop, crop);
    QCOMPARE(request->preprocessing.std[0], firstStd);
    QCOMPARE(request->imagePaths.size(), size_t(8));
    QCOMPARE(request->output.output, std::string("0")); // the first probed output of the tuple
}

void TestModelsPage::extractionJobsRunFailAndCancel()
{
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    ExtractionController* extraction = workbench.extraction();
    auto status = [extraction](int job) { return extraction->jobs()[size_t(job)].status; };
    ExtractionRequest request;
    request.modelPath = fixture("tiny_cnn.pt").toStdString();
    request.imagePaths = *listImages(fixture("images").toStdString());
    request.output.output = "all";
    request.batchSize = 2;
    QSignalSpy extracted(extraction, &ExtractionController::featuresExtracted);
    const int done = extraction->queueExtraction(request, true);
    ExtractionRequest broken = request;
    QTemporaryDir bad;
    broken.imagePaths.push_back(testsupport::writeBytes(QDir(bad.path()), "broken.png", "not a png"));
    const int failed = extraction->queueExtraction(broken, false);
    const int cancelled = extraction->queueExtraction(request, false);
    QCOMPARE(page.jobTable()->rowCount(), 3);
    extraction->cancelJob(cancelled); // still queued behind the others (one model process at a time)
    QCOMPARE(status(cancelled), QString("cancelled"));
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    QVERIFY2(status(done).startsWith("8 rows"), qPrintable(status(done)));
    QVERIFY2(status(failed).contains("broken.png") && status(failed).contains("not a readable image"),
             qPrintable(status(failed)));
    QCOMPARE(status(cancelled), QString("cancelled"));
    QCOMPARE(page.jobTable()->item(done, 3)->text(), status(done)); // the page shows the controller's jobs
    QCOMPARE(extracted.size(), 1);
    int features = 0;
    for (const SessionItem& item : workbench.session()->items()) {
        if (item.data.kind != LoadedItem::Kind::Matrix) continue;
        ++features;
        QCOMPARE(int(item.role), int(ItemRole::ModelFeatures));
        QCOMPARE(item.data.matrix->rowIds.size(), size_t(8));
        QCOMPARE(item.data.matrix->rowIds.front(), std::string("apple"));
        QVERIFY(workbench.session()->extractionOf(item.id)); // provenance for projects
    }
    QCOMPARE(features, 2); // the layer sweep's two outputs; nothing from the failed or cancelled job
    // The same request again comes from the cache.
    const int again = extraction->queueExtraction(request, true);
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    QVERIFY2(status(again).contains("from the cache"), qPrintable(status(again)));
}

// Models run in a child process: one that crashes, aborts, hangs past its time limit or exhausts its memory
// cap fails its inspection and its job with a message naming the model and what happened, while the app, the
// workspace's items and the next job carry on.
void TestModelsPage::misbehavingModelFailsOnlyItsJob_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expected");     // in the job's message
    QTest::addColumn<bool>("inspectionFails"); // the probe forward of inspection already misbehaves
    QTest::addColumn<QByteArray>("timeoutSeconds");
    QTest::newRow("segmentation fault") << "segfault.pt"
                                        << "SIGSEGV" << true << QByteArray("60");
    // glibc aborts when it frees the chunk whose header the model overwrote; once (CI, 2026-12-01) the
    // corrupted heap made the process segfault first. Either way the job fails, named, and nothing else.
    QTest::newRow("abort") << "abort.pt"
                           << "SIGABRT|SIGSEGV" << true << QByteArray("60");
    QTest::newRow("hang") << "hang.pt"
                          << "did not finish within 3 s" << true << QByteArray("3");
    // Under a 768 MB cap (a user's is 3/4 of the machine's memory) the allocation fails inside the model:
    // its card carries the probe forward's error, its extraction fails, naming the cap.
    QTest::newRow("memory") << "memory_hog.pt"
                            << "can't allocate memory" << false << QByteArray("60");
}

void TestModelsPage::misbehavingModelFailsOnlyItsJob()
{
    QFETCH(QString, model);
    QFETCH(QString, expected);
    const QRegularExpression expectedText(expected); // a signal's name, or the alternatives the row allows
    QFETCH(bool, inspectionFails);
    QFETCH(QByteArray, timeoutSeconds);
    qputenv("ALIGNSCOPE_MODEL_TIMEOUT_S", timeoutSeconds);
    qputenv("ALIGNSCOPE_MODEL_MEMORY_MB", "768");
    const auto restore = qScopeGuard([] {
        qunsetenv("ALIGNSCOPE_MODEL_TIMEOUT_S");
        qunsetenv("ALIGNSCOPE_MODEL_MEMORY_MB");
    });
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    const QString path = fixture("faulty/" + model);
    workbench.open({fixture("tiny_cnn.pt"), path});
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    const int items = int(workbench.session()->items().size());
    QCOMPARE(items, 2);
    ExtractionController* extraction = workbench.extraction();
    QVERIFY2((extraction->modelInfo(path) == nullptr) == inspectionFails,
             qPrintable(extraction->inspectError(path)));
    if (inspectionFails)
        QVERIFY2(extraction->inspectError(path).contains(model) &&
                     extraction->inspectError(path).contains(expectedText),
                 qPrintable(extraction->inspectError(path)));

    ExtractionRequest request;
    request.modelPath = path.toStdString();
    request.imagePaths = *listImages(fixture("images").toStdString());
    request.batchSize = 2;
    const int faulty = extraction->queueExtraction(request, false);
    request.modelPath = fixture("tiny_cnn.pt").toStdString();
    request.output.output = "0";
    const int healthy = extraction->queueExtraction(request, false); // queued behind the faulty one
    QVERIFY(testsupport::waitSettled(workbench, 180000));
    const auto& jobs = extraction->jobs();
    QCOMPARE(int(jobs[size_t(faulty)].state), int(ExtractionController::JobState::Failed));
    QVERIFY2(jobs[size_t(faulty)].status.contains(model) &&
                 jobs[size_t(faulty)].status.contains(expectedText),
             qPrintable(jobs[size_t(faulty)].status));
    if (model == "memory_hog.pt") {
        QVERIFY(extraction->modelInfo(path)->probeError.find("allocate memory") != std::string::npos);
        QVERIFY2(jobs[size_t(faulty)].status.contains("768 MB"), qPrintable(jobs[size_t(faulty)].status));
    }
    QCOMPARE(int(jobs[size_t(healthy)].state), int(ExtractionController::JobState::Done));
    QCOMPARE(int(workbench.session()->items().size()), items + 1); // the healthy job's features joined
}

void TestModelsPage::cancelEndsTheModelProcess()
{
    qputenv("ALIGNSCOPE_MODEL_TIMEOUT_S", "600");
    const auto restore = qScopeGuard([] { qunsetenv("ALIGNSCOPE_MODEL_TIMEOUT_S"); });
    Workbench workbench;
    ExtractionController* extraction = workbench.extraction();
    ExtractionRequest request;
    request.modelPath = fixture("faulty/hang.pt").toStdString();
    request.imagePaths = *listImages(fixture("images").toStdString());
    const int job = extraction->queueExtraction(request, false);
    QSignalSpy changed(extraction, &ExtractionController::jobChanged);
    while (extraction->jobs()[size_t(job)].status != QLatin1String("loading the model"))
        QVERIFY2(changed.wait(60000), qPrintable(extraction->jobs()[size_t(job)].status));
    extraction->cancelJob(job);
    QCOMPARE(int(extraction->jobs()[size_t(job)].state), int(ExtractionController::JobState::Cancelled));
    QVERIFY(testsupport::waitSettled(workbench, 20000)); // the process has ended: nothing is busy
    QVERIFY(!extraction->isBusy());
    QCOMPARE(extraction->jobs()[size_t(job)].status, QString("cancelled"));
}

// "Add models…": the catalogue comes from alignscope-cli models list --json in a child process (the real
// CLI, or a stub standing in for one printing a catalogue or failing without torchvision); the search keeps
// the rows whose name, family or training data contain its text.
void TestModelsPage::catalogueListsAndFilters_data()
{
    QTest::addColumn<QByteArray>("stub"); // a shell script standing in for the CLI; empty: the real one
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("shown");  // every one of them is listed
    QTest::addColumn<QStringList>("hidden"); // none of them is
    QTest::addColumn<QString>("problem");    // in the problem shown instead of a catalogue; empty: none
    const QByteArray catalogue =
        "#!/bin/sh\ncat <<'JSON'\n"
        R"({"torchvision_version": "0.14", "models": [)"
        R"({"source": "torchvision", "name": "resnet18", "family": "ResNet", "default_weights": "R.V1",)"
        R"( "weights": [{"name": "R.V1", "parameters": 11689512, "imagenet1k_top1": 69.758,)"
        R"( "training_data": "ImageNet-1K"}]},)"
        R"({"source": "torchvision", "name": "vit_b_16", "family": "ViT", "default_weights": "V.V1",)"
        R"( "weights": [{"name": "V.V1", "parameters": 86567656, "imagenet1k_top1": 81.072,)"
        R"( "training_data": "ImageNet-1K"}, {"name": "V.SWAG", "training_data": "Instagram 3.6B"}]}]})"
        "\nJSON\n";
    QTest::newRow("stub, no search") << catalogue << ""
                                     << QStringList{"torchvision:resnet18", "torchvision:vit_b_16"}
                                     << QStringList{} << "";
    QTest::newRow("stub, by name") << catalogue << "resn" << QStringList{"torchvision:resnet18"}
                                   << QStringList{"torchvision:vit_b_16"} << "";
    QTest::newRow("stub, by family") << catalogue << "vit" << QStringList{"torchvision:vit_b_16"}
                                     << QStringList{"torchvision:resnet18"} << "";
    QTest::newRow("stub, no torchvision")
        << QByteArray("#!/bin/sh\necho \"cannot list models: No module named 'torchvision'\" >&2\nexit 1\n")
        << "" << QStringList{} << QStringList{} << "python3-torchvision";
    QTest::newRow("real CLI, resnet")
        << QByteArray() << "resnet" << QStringList{"torchvision:resnet18", "torchvision:resnet50"}
        << QStringList{"torchvision:vit_b_16", "torchvision:alexnet"} << "";
}

void TestModelsPage::catalogueListsAndFilters()
{
    QFETCH(QByteArray, stub);
    QFETCH(QString, search);
    QFETCH(QStringList, shown);
    QFETCH(QStringList, hidden);
    QFETCH(QString, problem);
    QTemporaryDir stubs;
    const QByteArray realCli = qgetenv("ALIGNSCOPE_CLI");
    const auto restore = qScopeGuard([realCli] { qputenv("ALIGNSCOPE_CLI", realCli); });
    if (!stub.isEmpty()) {
        const QString path = QString::fromStdString(testsupport::writeBytes(QDir(stubs.path()), "cli", stub));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("ALIGNSCOPE_CLI", path.toUtf8());
    }
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    ModelCatalogueDialog* dialog = page.showCatalogue();
    QSignalSpy filled(dialog, &ModelCatalogueDialog::catalogueChanged);
    QVERIFY(filled.wait(120000));
    if (!problem.isEmpty()) {
        QVERIFY2(!dialog->problem().isEmpty(), "no problem shown");
        QVERIFY2(dialog->findChild<QLabel*>("catalogueStatus")->text().contains(problem),
                 qPrintable(dialog->findChild<QLabel*>("catalogueStatus")->text()));
        QCOMPARE(dialog->visibleModels(), 0);
        return;
    }
    QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
    const int all = dialog->visibleModels();
    dialog->setSearch(search);
    const QStringList visible = dialog->visibleNames();
    for (const QString& name : shown)
        QVERIFY2(visible.contains(name), qPrintable(name + " missing from " + visible.join(' ')));
    for (const QString& name : hidden)
        QVERIFY2(!visible.contains(name), qPrintable(name + " shown in " + visible.join(' ')));
    QVERIFY(search.isEmpty() ? visible.size() == all : visible.size() < all);
}

// What a dropped file is: an exporter (.py) and a torchvision weights file (ARCHITECTURE-HASH.pth) are models
// by name for the catalogue dialog; anything else opens as before.
void TestModelsPage::droppedFilesNameModels_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("spec"); // empty: not a model by name
    QTest::addColumn<bool>("weightsAreTheFile");
    QTest::newRow("exporter") << "/data/lab_net.py"
                              << "python:/data/lab_net.py" << false;
    QTest::newRow("torchvision weights") << "/data/resnet50-0676ba61.pth"
                                         << "torchvision:resnet50" << true;
    QTest::newRow("weights of a name with digits and _") << "/data/regnet_x_400mf-adf1edd5.pth"
                                                         << "torchvision:regnet_x_400mf" << true;
    QTest::newRow("TorchScript model") << "/data/tiny_cnn.pt"
                                       << "" << false;
    QTest::newRow(".pth without a hash") << "/data/my_model.pth"
                                         << "" << false;
}

void TestModelsPage::droppedFilesNameModels()
{
    QFETCH(QString, file);
    QFETCH(QString, spec);
    QFETCH(bool, weightsAreTheFile);
    const auto model = ModelsPage::modelByNameOf(file);
    QCOMPARE(model.has_value(), !spec.isEmpty());
    if (!model) return;
    QCOMPARE(model->spec, spec);
    QCOMPARE(model->weights, weightsAreTheFile ? file : QStringLiteral("none"));
}

// A model chosen in the catalogue, or a dropped exporter, is exported and extracted in the job queue's child
// process; its features join the Session under the model's name, and what its file says about it (family,
// parameters, top-1, training data) fills the Compare page's model table without typing.
void TestModelsPage::modelsByNameJoinTheSession_data()
{
    QTest::addColumn<QString>("chosen");      // a catalogue model's spec, or "drop:" and the file dropped
    QTest::addColumn<QStringList>("outputs"); // asked for
    QTest::addColumn<QString>("name");        // of the features in the Session
    QTest::addColumn<int>("columns");
    QTest::addColumn<QStringList>("cells"); // column=value in the model table's row
    QTest::newRow("resnet18, untrained, penultimate")
        << "torchvision:resnet18" << QStringList{"penultimate"} << "resnet18" << 512
        << QStringList{"family=ResNet", "parameters=11689512"};
    QTest::newRow("dropped weights file, logits and penultimate")
        << "drop:resnet18-5c106cde.pth" << QStringList{"penultimate", "logits"} << "resnet18 logits" << 1000
        << QStringList{"family=ResNet", "training_data=unknown (a weights file)"};
    QTest::newRow("dropped exporter, logits")
        << "drop:lab_net.py" << QStringList{"logits"} << "lab_net" << 5
        << QStringList{"family=lab", "imagenet1k_top1=71.5", "training_data=lab images", "parameters=269"};
}

void TestModelsPage::modelsByNameJoinTheSession()
{
    QFETCH(QString, chosen);
    QFETCH(QStringList, outputs);
    QFETCH(QString, name);
    QFETCH(int, columns);
    QFETCH(QStringList, cells);
    QTemporaryDir folder;
    const QString exporter = copyLabNetExporter(folder.path());
    QVERIFY(ModelsPage::modelByNameOf(exporter));
    // torchvision's weights files are state dicts named ARCHITECTURE-HASH.pth (seeded here: no network).
    const QString weights = folder.filePath("resnet18-5c106cde.pth");
    if (chosen == "drop:resnet18-5c106cde.pth")
        QCOMPARE(QProcess::execute("/usr/bin/python3",
                                   {"-c",
                                    "import sys, torch, torchvision; torch.manual_seed(1); "
                                    "torch.save(torchvision.models.resnet18().state_dict(), sys.argv[1])",
                                    weights}),
                 0);
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    const bool dropped = chosen.startsWith("drop:");
    ModelCatalogueDialog* dialog =
        page.showCatalogue(dropped ? QStringList{folder.filePath(chosen.mid(5))} : QStringList{});
    if (!dropped) {
        QSignalSpy filled(dialog, &ModelCatalogueDialog::catalogueChanged);
        QVERIFY(filled.wait(120000));
        QVERIFY2(dialog->problem().isEmpty(), qPrintable(dialog->problem()));
        dialog->choose(chosen);
        dialog->setWeights("none"); // no network here: untrained, seeded
    }
    dialog->setOutputs(outputs);
    dialog->setImages(fixture("images"));
    QSignalSpy extracted(workbench.extraction(), &ExtractionController::featuresExtracted);
    dialog->accept();
    QCOMPARE(int(workbench.extraction()->jobs().size()), 1);
    QVERIFY(testsupport::waitSettled(workbench, 240000));
    const ExtractionController::Job& job = workbench.extraction()->jobs().front();
    QVERIFY2(job.state == ExtractionController::JobState::Done, qPrintable(job.status));
    QCOMPARE(extracted.size(), 1);
    const QList<int> ids = extracted.front().front().value<QList<int>>();
    QCOMPARE(ids.size(), outputs.size()); // one item per output asked for, none for the others
    const SessionItem* item = workbench.session()->item(ids.back());
    QCOMPARE(item->modelName(), name);
    QCOMPARE(int(item->data.matrix->array.shape[1]), columns);
    QCOMPARE(item->data.matrix->rowIds.size(), size_t(8));
    const ModelMetadata& table = workbench.population()->metadata();
    const auto row = std::find(table.models.begin(), table.models.end(), name.toStdString());
    QVERIFY2(row != table.models.end(), "the model has no row in the model table");
    for (const QString& cell : cells) {
        const MetadataColumn* column = table.column(cell.section('=', 0, 0).toStdString());
        QVERIFY2(column, qPrintable(cell));
        QCOMPARE(QString::fromStdString(column->text[size_t(row - table.models.begin())]),
                 cell.section('=', 1));
    }
}

// With objects and triplets open, an exported model's odd-one-out accuracy joins the Compare page's
// population, and its row there matches the model table row its file gave: top-1 and training data are
// there to plot and colour by without typing.
void TestModelsPage::exportedModelJoinsThePopulationWithItsMetadata()
{
    QTemporaryDir folder;
    const QString demo = folder.filePath("demo");
    const auto made = testsupport::runCli({"demo", "--out", demo});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    const QString exporter = copyLabNetExporter(folder.path());
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    workbench.open({demo + "/concepts/things_concepts.tsv", demo + "/triplets/test_10.txt"});
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    ModelCatalogueDialog* dialog = page.showCatalogue({exporter});
    dialog->setImages(demo + "/images");
    dialog->accept();
    QVERIFY(testsupport::waitSettled(workbench, 240000));
    const auto& job = workbench.extraction()->jobs().front();
    QVERIFY2(job.state == ExtractionController::JobState::Done, qPrintable(job.status));
    PopulationController* population = workbench.population();
    const auto& models = population->population().models;
    const auto model = std::find(models.begin(), models.end(), std::string("lab_net"));
    QVERIFY2(model != models.end(), "lab_net is not in the population");
    const int row = population->match().rowForModel[size_t(model - models.begin())];
    QVERIFY2(row >= 0, "lab_net's population row has no model table row");
    const ModelMetadata& table = population->metadata();
    QCOMPARE(table.column("imagenet1k_top1")->text[size_t(row)], std::string("71.5"));
    QCOMPARE(table.column("training_data")->text[size_t(row)], std::string("lab images"));
}

// A TorchScript file exported by AlignScope, opened and extracted through the ordinary settings dialog, is
// extracted with its own preprocessing and first output (penultimate), said to come from the model file, not
// the imagenet preset the dialog starts with for other files; a preset chosen on purpose still wins.
void TestModelsPage::exportedFileKeepsItsOwnPreprocessing_data()
{
    QTest::addColumn<QString>("preset"); // chosen by the user; empty: as the dialog opens
    QTest::addColumn<int>("resize");
    QTest::addColumn<int>("crop");
    QTest::addColumn<QString>("interpolation");
    QTest::addColumn<float>("firstMean");
    QTest::addColumn<float>("firstStd");
    QTest::addColumn<bool>("saysFromTheFile");
    QTest::newRow("as opened: the file's own") << "" << 40 << 36 << "bicubic" << 0.5f << 0.25f << true;
    QTest::newRow("imagenet chosen on purpose")
        << "imagenet" << 256 << 224 << "bilinear" << 0.485f << 0.229f << false;
}

void TestModelsPage::exportedFileKeepsItsOwnPreprocessing()
{
    QFETCH(QString, preset);
    QFETCH(int, resize);
    QFETCH(int, crop);
    QFETCH(QString, interpolation);
    QFETCH(float, firstMean);
    QFETCH(float, firstStd);
    QFETCH(bool, saysFromTheFile);
    QTemporaryDir folder;
    const QString exporter = copyLabNetExporter(folder.path());
    const QString model = folder.filePath("lab_net.pt");
    const auto exported = testsupport::runCli({"models", "export", "python:" + exporter, "--out", model});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    workbench.open({model});
    QVERIFY(testsupport::waitSettled(workbench, 120000)); // inspected in the child, its manifest on a worker
    const ModelInfo* info = workbench.extraction()->modelInfo(model);
    QVERIFY2(info, qPrintable(workbench.extraction()->inspectError(model)));
    const ExportedModelManifest* manifest = workbench.extraction()->exportedManifest(model);
    QVERIFY2(manifest, "the exported file's manifest was not read");
    ExtractionDialog dialog(*info, manifest);
    dialog.setImages(fixture("images"));
    if (!preset.isEmpty()) dialog.findChild<QComboBox*>("preset")->setCurrentText(preset);
    auto request = dialog.request();
    QVERIFY2(request, request ? "" : request.error().message().c_str());
    QCOMPARE(request->preprocessing.resize, resize);
    QCOMPARE(request->preprocessing.crop, crop);
    QCOMPARE(QString::fromLatin1(resizeFilterName(request->preprocessing.filter)), interpolation);
    QCOMPARE(request->preprocessing.mean[0], firstMean);
    QCOMPARE(request->preprocessing.std[0], firstStd);
    QCOMPARE(request->output.output, manifest->outputs.front().name);
    QCOMPARE(request->output.output, std::string("penultimate"));
    auto* from = dialog.findChild<QLabel*>("preprocessingFrom");
    QVERIFY(from);
    QCOMPARE(!from->isHidden(), saysFromTheFile);
    // The job extracts with what the dialog built; settings that differ from the file's are noted in the
    // features' summary (saved with projects) and the log.
    testsupport::SessionLog log(workbench.session());
    QSignalSpy extracted(workbench.extraction(), &ExtractionController::featuresExtracted);
    workbench.extraction()->queueExtraction(*request, false);
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    const ExtractionController::Job& job = workbench.extraction()->jobs().front();
    QVERIFY2(job.state == ExtractionController::JobState::Done, qPrintable(job.status));
    QCOMPARE(extracted.size(), 1);
    const int id = extracted.front().front().value<QList<int>>().front();
    const ExtractionRecord* record = workbench.session()->extractionOf(id);
    QVERIFY(record);
    QCOMPARE(record->request.preprocessing.describe(), request->preprocessing.describe());
    const QString summary = workbench.session()->item(id)->data.summary;
    const bool noted = summary.contains("differs from the model file's");
    QVERIFY2(noted != saysFromTheFile, qPrintable(summary));
    QCOMPARE(log.lines.join('\n').contains("differs from the model file's"), noted);
}

// A finished job's model name is edited in the job table: its features take the name (each output after it
// in a layer sweep), a name another item has is refused and the cell goes back, and a rename made elsewhere
// shows in the table.
void TestModelsPage::renamedInTheJobTable_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("before"); // the features' names as extracted
    QTest::addColumn<QStringList>("after");  // once the job's model is named "Tiny CNN (lab)"
    QTest::newRow("one output") << "0" << QStringList{"tiny_cnn"} << QStringList{"Tiny CNN (lab)"};
    QTest::newRow("layer sweep: each keeps its output")
        << "all" << QStringList{"tiny_cnn 0", "tiny_cnn 1"}
        << QStringList{"Tiny CNN (lab) 0", "Tiny CNN (lab) 1"};
}

void TestModelsPage::renamedInTheJobTable()
{
    QFETCH(QString, output);
    QFETCH(QStringList, before);
    QFETCH(QStringList, after);
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    ExtractionRequest request;
    request.modelPath = fixture("tiny_cnn.pt").toStdString();
    request.imagePaths = *listImages(fixture("images").toStdString());
    request.output.output = output.toStdString();
    QTableWidget* table = page.jobTable();
    const int job = workbench.extraction()->queueExtraction(request, true);
    QVERIFY(!(table->item(job, 0)->flags() & Qt::ItemIsEditable)); // nothing to name yet
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    const auto names = [&] {
        QStringList shown;
        for (const auto& [id, selector] : workbench.extraction()->jobs()[size_t(job)].joined)
            shown << workbench.session()->item(id)->modelName();
        return shown;
    };
    QCOMPARE(names(), before);
    QTableWidgetItem* cell = table->item(job, 0);
    QVERIFY(cell->flags() & Qt::ItemIsEditable);
    QCOMPARE(cell->text(), QString("tiny_cnn"));
    cell->setText("Tiny CNN (lab)");
    QCOMPARE(names(), after);
    QCOMPARE(cell->text(), QString("Tiny CNN (lab)"));
    // Another item's name is refused: nothing changes, the cell shows the name the features have.
    LoadedItem other;
    other.kind = LoadedItem::Kind::Matrix;
    other.path = "/elsewhere/taken.npy";
    other.name = after.size() == 1 ? "taken" : "taken 1"; // a sweep's second output would clash
    auto matrix = std::make_shared<LoadedMatrix>();
    matrix->array = makeFloat32Array({2, 2}, {1, 0, 0, 1});
    other.matrix = matrix;
    QVERIFY(workbench.session()->add(other) > 0);
    testsupport::SessionLog log(workbench.session());
    cell->setText("taken");
    QCOMPARE(names(), after);
    QCOMPARE(cell->text(), QString("Tiny CNN (lab)"));
    QVERIFY2(log.lines.join('\n').contains("already the name"), qPrintable(log.lines.join('\n')));
    // Renamed elsewhere (the Results table): the job table follows.
    const int first = workbench.extraction()->jobs()[size_t(job)].joined.front().first;
    QVERIFY(workbench.session()->rename(first, after.size() == 1 ? "CNN" : "CNN 0"));
    QCOMPARE(cell->text(), QString("CNN"));
}

QTEST_MAIN(TestModelsPage)
#include "tst_models_page.moc"
