// TorchScript models: inspection, torchvision-equivalent preprocessing, extraction through the CLI against a
// python3-torch/torchvision reference, the feature cache's hit/miss rules, broken images, cancel.
#include "test_support.h"

#include "alignscope/feature_cache.h"
#include "alignscope/npy.h"
#include "alignscope/sha256.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <filesystem>

using namespace alignscope;

namespace {

QJsonObject runJson(const QStringList& arguments, int expectedExit = 0)
{
    const auto result = testsupport::runCli(arguments);
    if (result.exitCode != expectedExit) qWarning("exit %d: %s", result.exitCode, qPrintable(result.err));
    return QJsonDocument::fromJson(result.out.toUtf8()).object();
}

double maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size()) return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
    return worst;
}

std::vector<float> loadFloats(const QString& path)
{
    auto array = readNpy(path.toStdString());
    if (!array) qFatal("%s", array.error().message().c_str());
    return array->toFloat32();
}

void setModificationTime(const QString& path, int secondsAhead)
{
    namespace fs = std::filesystem;
    const fs::path file(path.toStdString());
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(secondsAhead));
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void preprocessingMatchesTorchvision_data();
    void preprocessingMatchesTorchvision();
    void featuresMatchPythonReference_data();
    void featuresMatchPythonReference();
    void inspectDescribesMethodsAndOutputs();
    void selectsOutputsAndMethods_data();
    void selectsOutputsAndMethods();
    void cacheKeyChangesWithEveryInput_data();
    void cacheKeyChangesWithEveryInput();
    void cliReusesTheCache();
    void brokenImageFailsOrIsSkipped();
    void reportsBadInput_data();
    void reportsBadInput();
    void listFileSetsRowOrder();
    void cancelStopsExtraction();

private:
    QString fixture(const QString& relative) const { return m_dir.filePath("fx/" + relative); }
    ExtractionRequest baseRequest() const;

    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
};

void TestModels::initTestCase()
{
    if (QProcess::execute("/usr/bin/python3", {"-c", "import torch, torchvision, PIL"}) != 0)
        QSKIP("python3-torch, python3-torchvision or python3-pil is not installed (packaging/install-deps.sh "
              "installs them)");
    QProcess script;
    script.start("/usr/bin/python3", {QStringLiteral(ALIGNSCOPE_FIXTURE_SCRIPT), m_dir.filePath("fx")});
    QVERIFY(script.waitForFinished(300000));
    QVERIFY2(script.exitCode() == 0, script.readAllStandardError().constData());
    auto images = listImages(fixture("images").toStdString());
    QVERIFY(images);
    m_images = *images;
    QCOMPARE(m_images.size(), size_t(8));
}

ExtractionRequest TestModels::baseRequest() const
{
    ExtractionRequest request;
    request.modelPath = fixture("tiny_cnn.pt").toStdString();
    request.imagePaths = m_images;
    request.output.output = "0";
    request.device = ComputeDevice::Cpu;
    request.batchSize = 3; // several batches, the last one partial
    return request;
}

void TestModels::preprocessingMatchesTorchvision_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("preset");
    for (const char* image : {"apple.png", "banana.jpg", "cherry.bmp", "date.tiff", "elder.webp", "fig.png",
                              "grape.png", "hazel.jpeg"})
        for (const char* preset : {"imagenet", "clip"})
            QTest::addRow("%s/%s", image, preset) << image << preset;
}

void TestModels::preprocessingMatchesTorchvision()
{
    QFETCH(QString, image);
    QFETCH(QString, preset);
    auto decoded = decodeImage(fixture("images/" + image).toStdString());
    QVERIFY2(decoded, decoded ? "" : decoded.error().message().c_str());
    const Preprocessing p = *preprocessingPreset(preset.toStdString());
    const auto size = preprocessedSize(p, decoded->height, decoded->width);
    QCOMPARE(size[0], 224);
    QCOMPARE(size[1], 224);
    std::vector<float> ours(size_t(3) * 224 * 224);
    preprocessImage(*decoded, p, ours.data());
    // PIL rounds to 8 bits after each resampling pass: we agree within one quantization step (1/255 before
    // normalization) for bilinear; bicubic's negative lobes amplify the first pass's rounding, so 1.5 steps.
    const double minStd = *std::min_element(p.std.begin(), p.std.end());
    const double steps = p.filter == ResizeFilter::Bilinear ? 1.0 : 1.5;
    const double pilError =
        maxAbsDifference(ours, loadFloats(fixture("reference/" + image + "." + preset + ".npy")));
    QVERIFY2(pilError <= (steps / 255.0 + 1e-5) / minStd, qPrintable(QString::number(pilError)));
    // torchvision's float tensor path (antialias=True) resamples as we do; it clamps bicubic overshoot only
    // once.
    if (preset == "imagenet") {
        const double tensorError =
            maxAbsDifference(ours, loadFloats(fixture("reference/" + image + "." + preset + ".tensor.npy")));
        QVERIFY2(tensorError <= 1e-4, qPrintable(QString::number(tensorError)));
    }
}

void TestModels::featuresMatchPythonReference_data()
{
    QTest::addColumn<QString>("preset");
    QTest::newRow("imagenet") << "imagenet";
    QTest::newRow("clip") << "clip";
}

void TestModels::featuresMatchPythonReference()
{
    QFETCH(QString, preset);
    const QString out = m_dir.filePath("features-" + preset + ".npy");
    const QJsonObject json = runJson({"extract", "--model", fixture("tiny_cnn.pt"), "--images",
                                      fixture("images"), "--out", out, "--output", "0", "--preset", preset,
                                      "--batch-size", "3", "--device", "cpu", "--no-cache", "--json"});
    QCOMPARE(json["rows"].toInt(), 8);
    const std::vector<float> ours = loadFloats(out);
    const std::vector<float> reference = loadFloats(fixture("reference/tiny_cnn." + preset + ".npy"));
    QCOMPARE(ours.size(), size_t(8 * 16));
    const double error = maxAbsDifference(ours, reference);
    QVERIFY2(error <= 1e-3, qPrintable(QString::number(error)));
    QFile rows(m_dir.filePath("features-" + preset + ".rows.txt"));
    QVERIFY(rows.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(rows.readAll()).split('\n', Qt::SkipEmptyParts),
             QStringList({"apple", "banana", "cherry", "date", "elder", "fig", "grape", "hazel"}));
}

void TestModels::inspectDescribesMethodsAndOutputs()
{
    const QJsonObject json = runJson({"inspect", "--model", fixture("tiny_cnn.pt"), "--json"});
    QCOMPARE(json["parameters"].toInt(), 3 * 8 * 25 + 8 + 8 * 16 + 16);
    QStringList methods;
    for (const QJsonValue& method : json["methods"].toArray())
        methods << method.toObject()["name"].toString();
    QVERIFY(methods.contains("forward"));
    QVERIFY(methods.contains("encode_image"));
    const QJsonArray outputs = json["outputs"].toArray();
    QCOMPARE(outputs.size(), 2);
    QCOMPARE(outputs[0].toObject()["shape"].toArray(), QJsonArray({1, 16}));
    QCOMPARE(outputs[1].toObject()["shape"].toArray(), QJsonArray({1, 8, 110, 110}));
    QCOMPARE(json["sha256"].toString(),
             QString::fromStdString(*sha256OfFile(fixture("tiny_cnn.pt").toStdString())));
}

void TestModels::selectsOutputsAndMethods_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("expectedFiles");
    QTest::addColumn<QList<int>>("expectedCols");
    QTest::newRow("tuple index") << "tiny_cnn.pt" << QStringList{"--output", "1"} << QStringList{"sel.npy"}
                                 << QList<int>{8};
    QTest::newRow("flatten feature map") << "tiny_cnn.pt" << QStringList{"--output", "1", "--pool", "flatten"}
                                         << QStringList{"sel.npy"} << QList<int>{8 * 110 * 110};
    QTest::newRow("other method") << "tiny_cnn.pt" << QStringList{"--method", "encode_image"}
                                  << QStringList{"sel.npy"} << QList<int>{16};
    QTest::newRow("layer sweep") << "tiny_cnn.pt" << QStringList{"--output", "all"}
                                 << QStringList{"sel.0.npy", "sel.1.npy"} << QList<int>{16, 8};
    QTest::newRow("dict key") << "dict_net.pt" << QStringList{"--output", "logits"} << QStringList{"sel.npy"}
                              << QList<int>{3};
    QTest::newRow("dict sweep") << "dict_net.pt" << QStringList{"--output", "all"}
                                << QStringList{"sel.pooled.npy", "sel.logits.npy"} << QList<int>{8, 3};
}

void TestModels::selectsOutputsAndMethods()
{
    QFETCH(QString, model);
    QFETCH(QStringList, options);
    QFETCH(QStringList, expectedFiles);
    QFETCH(QList<int>, expectedCols);
    QTemporaryDir out;
    const auto result =
        testsupport::runCli(QStringList{"extract", "--model", fixture(model), "--images", fixture("images"),
                                        "--out", out.filePath("sel.npy"), "--no-cache", "--device", "cpu"} +
                            options);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    for (int i = 0; i < expectedFiles.size(); ++i) {
        auto array = readNpy(out.filePath(expectedFiles[i]).toStdString());
        QVERIFY2(array, qPrintable(expectedFiles[i]));
        QCOMPARE(array->shape, (std::vector<std::int64_t>{8, expectedCols[i]}));
        QVERIFY(QFile::exists(out.filePath(expectedFiles[i]).replace(".npy", ".rows.txt")));
    }
    if (options.contains("encode_image")) { // the exported method is forward()[0]
        auto forward =
            runJson({"extract", "--model", fixture(model), "--images", fixture("images"), "--out",
                     out.filePath("fwd.npy"), "--output", "0", "--no-cache", "--device", "cpu", "--json"});
        QCOMPARE(maxAbsDifference(loadFloats(out.filePath("sel.npy")), loadFloats(out.filePath("fwd.npy"))),
                 0.0);
    }
}

void TestModels::cacheKeyChangesWithEveryInput_data()
{
    QTest::addColumn<QString>("change");
    for (const char* change :
         {"resize", "crop", "mean", "std", "interpolation", "output", "method", "pooling", "half",
          "broken policy", "image list", "image touched", "image rewritten", "model rewritten"})
        QTest::newRow(change) << change;
}

void TestModels::cacheKeyChangesWithEveryInput()
{
    QFETCH(QString, change);
    QTemporaryDir scratch;
    ExtractionRequest request = baseRequest();
    // Private copies of the model and one image, so they can be modified.
    const QString model = scratch.filePath("model.pt"), image = scratch.filePath("apple.png");
    QVERIFY(QFile::copy(fixture("tiny_cnn.pt"), model));
    QVERIFY(QFile::copy(fixture("images/apple.png"), image));
    request.modelPath = model.toStdString();
    request.imagePaths[0] = image.toStdString();
    const std::string before = *featureCacheKey(request);
    QCOMPARE(*featureCacheKey(request), before); // deterministic
    if (change == "resize") request.preprocessing.resize = 255;
    if (change == "crop") request.preprocessing.crop = 223;
    if (change == "mean") request.preprocessing.mean[1] += 1e-6f;
    if (change == "std") request.preprocessing.std[2] = 0.5f;
    if (change == "interpolation") request.preprocessing.filter = ResizeFilter::Bicubic;
    if (change == "output") request.output.output = "1";
    if (change == "method") request.output.method = "encode_image";
    if (change == "pooling") request.output.pooling = SpatialPooling::Flatten;
    if (change == "half") request.half = true;
    if (change == "broken policy") request.onBrokenImage = BrokenImagePolicy::Skip;
    if (change == "image list") request.imagePaths.pop_back();
    if (change == "image touched") setModificationTime(image, 5);
    if (change == "image rewritten") {
        QFile file(image);
        QVERIFY(file.open(QIODevice::Append));
        file.write("x");
    }
    if (change == "model rewritten") {
        QFile::remove(model);
        QVERIFY(QFile::copy(fixture("dict_net.pt"), model));
    }
    QVERIFY(*featureCacheKey(request) != before);
}

void TestModels::cliReusesTheCache()
{
    QTemporaryDir cache, out;
    const QString images = out.filePath("images");
    QVERIFY(QDir().mkpath(images));
    for (const char* name : {"apple.png", "banana.jpg", "cherry.bmp"})
        QVERIFY(QFile::copy(fixture("images/") + name, images + "/" + name));
    const QStringList base{"extract", "--model", fixture("tiny_cnn.pt"), "--images", images, "--output",
                           "0",       "--cache", cache.path(),           "--json"};
    const QJsonObject first = runJson(base + QStringList{"--out", out.filePath("a.npy")});
    QCOMPARE(first["from_cache"].toBool(), false);
    const QJsonObject second = runJson(base + QStringList{"--out", out.filePath("b.npy")});
    QCOMPARE(second["from_cache"].toBool(), true);
    QCOMPARE(loadFloats(out.filePath("a.npy")), loadFloats(out.filePath("b.npy")));
    QFile rows(out.filePath("b.rows.txt"));
    QVERIFY(rows.open(QIODevice::ReadOnly));
    QCOMPARE(rows.readAll(), QByteArray("apple\nbanana\ncherry\n"));
    setModificationTime(images + "/banana.jpg", 10);
    QCOMPARE(runJson(base + QStringList{"--out", out.filePath("c.npy")})["from_cache"].toBool(), false);
    QCOMPARE(
        runJson(base + QStringList{"--out", out.filePath("d.npy"), "--crop", "200"})["from_cache"].toBool(),
        false);
    QCOMPARE(
        runJson(base + QStringList{"--out", out.filePath("e.npy"), "--crop", "200"})["from_cache"].toBool(),
        true);
    // An entry without entry.json (a killed write) is a miss, not a crash or a half-read result.
    for (const QFileInfo& entry : QDir(cache.path()).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot))
        QFile::remove(entry.filePath() + "/entry.json");
    QCOMPARE(runJson(base + QStringList{"--out", out.filePath("f.npy")})["from_cache"].toBool(), false);
}

void TestModels::brokenImageFailsOrIsSkipped()
{
    QTemporaryDir out;
    const QString images = out.filePath("images");
    QVERIFY(QDir().mkpath(images));
    for (const char* name : {"apple.png", "banana.jpg"})
        QVERIFY(QFile::copy(fixture("images/") + name, images + "/" + name));
    testsupport::writeBytes(QDir(images), "broken.jpg",
                            QByteArray::fromHex("ffd8ffe0") + QByteArray(" not really a jpeg"));
    const QStringList base{"extract",  "--model", fixture("tiny_cnn.pt"), "--images", images,
                           "--output", "0",       "--no-cache",           "--device", "cpu"};
    const auto failed = testsupport::runCli(base + QStringList{"--out", out.filePath("a.npy")});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.err.contains("broken.jpg") && failed.err.contains("not a readable image"),
             qPrintable(failed.err));
    QVERIFY(!QFile::exists(out.filePath("a.npy")));
    const QJsonObject skipped =
        runJson(base + QStringList{"--out", out.filePath("b.npy"), "--skip-broken", "--json"});
    QCOMPARE(skipped["rows"].toInt(), 2);
    QCOMPARE(skipped["skipped"].toArray().size(), 1);
    QVERIFY(skipped["skipped"].toArray()[0].toObject()["path"].toString().endsWith("broken.jpg"));
    QFile rows(out.filePath("b.rows.txt"));
    QVERIFY(rows.open(QIODevice::ReadOnly));
    QCOMPARE(rows.readAll(), QByteArray("apple\nbanana\n"));
}

void TestModels::reportsBadInput_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expectedText");
    QTest::newRow("missing model") << "missing model"
                                   << "nope.pt";
    QTest::newRow("not a model") << "not a model"
                                 << "not a loadable TorchScript model";
    QTest::newRow("unknown method") << "unknown method"
                                    << "no method 'embed'";
    QTest::newRow("output out of range") << "output out of range"
                                         << "output '7' is not a tensor";
    QTest::newRow("tuple without --output") << "tuple without --output"
                                            << "choose one with --output";
    QTest::newRow("duplicate stems") << "duplicate stems"
                                     << "same row ID 'apple'";
    QTest::newRow("bad mean") << "bad mean"
                              << "--mean needs three";
    QTest::newRow("half on cpu") << "half on cpu"
                                 << "half precision needs a CUDA device";
    QTest::newRow("empty folder") << "empty folder"
                                  << "holds no images";
}

void TestModels::reportsBadInput()
{
    QFETCH(QString, what);
    QFETCH(QString, expectedText);
    QTemporaryDir out;
    QString model = fixture("tiny_cnn.pt"), images = fixture("images");
    QStringList extra{"--output", "0"};
    if (what == "missing model") model = out.filePath("nope.pt");
    if (what == "not a model")
        model = QString::fromStdString(testsupport::writeBytes(QDir(out.path()), "text.pt", "hello"));
    if (what == "unknown method")
        extra << "--method"
              << "embed";
    if (what == "output out of range") extra = {"--output", "7"};
    if (what == "tuple without --output") extra = {};
    if (what == "bad mean")
        extra << "--mean"
              << "0.5,0.5";
    if (what == "half on cpu")
        extra << "--half"
              << "--device"
              << "cpu";
    if (what == "duplicate stems" || what == "empty folder") {
        images = out.filePath("images");
        QVERIFY(QDir().mkpath(images + "/sub"));
        if (what == "duplicate stems") {
            QVERIFY(QFile::copy(fixture("images/apple.png"), images + "/apple.png"));
            QVERIFY(QFile::copy(fixture("images/banana.jpg"), images + "/sub/apple.jpg"));
        }
    }
    const auto result = testsupport::runCli(QStringList{"extract", "--model", model, "--images", images,
                                                        "--out", out.filePath("x.npy"), "--no-cache"} +
                                            extra);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(expectedText), qPrintable(result.err));
    QCOMPARE(result.err.count('\n'), 1); // one line
    QVERIFY(!QFile::exists(out.filePath("x.npy")));
}

void TestModels::listFileSetsRowOrder()
{
    QTemporaryDir out;
    testsupport::writeBytes(QDir(out.path()), "list.txt",
                            QString("# reversed\n%1/images/hazel.jpeg\n%1/images/apple.png\n\n")
                                .arg(m_dir.filePath("fx"))
                                .toUtf8());
    auto images = listImages(out.filePath("list.txt").toStdString());
    QVERIFY(images);
    ExtractionRequest request = baseRequest();
    request.imagePaths = *images;
    auto result = extractFeatures(request);
    QVERIFY2(result, result ? "" : result.error().message().c_str());
    QCOMPARE(result->rowIds, (std::vector<std::string>{"hazel", "apple"}));
    const std::vector<float> reference = loadFloats(fixture("reference/tiny_cnn.imagenet.npy"));
    const std::vector<float>& ours = result->outputs[0].values;
    for (int c = 0; c < 16; ++c) {
        QVERIFY(std::abs(ours[size_t(c)] - reference[size_t(7 * 16 + c)]) < 1e-3);
        QVERIFY(std::abs(ours[size_t(16 + c)] - reference[size_t(c)]) < 1e-3);
    }
}

void TestModels::cancelStopsExtraction()
{
    ExtractionRequest request = baseRequest();
    CancelToken cancel;
    TaskContext context;
    context.cancel = &cancel;
    int reports = 0;
    context.progress = [&](double, const std::string&) {
        if (++reports == 1) cancel.cancel(); // after the first batch
    };
    auto result = extractFeatures(request, context);
    QVERIFY(!result);
    QCOMPARE(result.error().reason, std::string("cancelled"));
    QCOMPARE(reports, 1);
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
