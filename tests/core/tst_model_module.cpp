// LibTorch only where models are: the analysis commands never map LibTorch, OpenCV or Qt 5 (checked with the
// dynamic loader's own log), a model command does (so the check can fail), `--version` stays small, and a
// missing module is a clear error that leaves the analysis working.
#include "test_support.h"

#include "alignscope/npy.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <fcntl.h>
#include <random>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace alignscope;

class TestModelModule : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_objects, m_features, m_otherFeatures, m_triplets, m_concepts, m_rdm, m_tensor;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    // Every library the dynamic loader mapped while running the CLI with `arguments` (its LD_DEBUG=files
    // log).
    QStringList mappedLibraries(const QStringList& arguments, const QProcessEnvironment& extra = {},
                                int* exitCode = nullptr)
    {
        const QString logPrefix = path(QStringLiteral("ld-%1").arg(++m_runs));
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("LD_DEBUG"), QStringLiteral("files"));
        environment.insert(QStringLiteral("LD_DEBUG_OUTPUT"), logPrefix);
        for (const QString& key : extra.keys())
            environment.insert(key, extra.value(key));
        process.setProcessEnvironment(environment);
        process.start(qEnvironmentVariable("ALIGNSCOPE_CLI"), arguments);
        process.waitForFinished(120000);
        if (exitCode) *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        m_lastError = QString::fromUtf8(process.readAllStandardError());
        QStringList libraries;
        const QDir dir(m_dir.path());
        for (const QString& name : dir.entryList({QFileInfo(logPrefix).fileName() + QStringLiteral(".*")})) {
            QFile log(dir.filePath(name));
            if (!log.open(QIODevice::ReadOnly)) continue;
            for (const QByteArray& line : log.readAll().split('\n')) {
                const int at = line.indexOf("file=");
                if (at >= 0) libraries << QString::fromUtf8(line.mid(at + 5, line.indexOf(' ', at) - at - 5));
            }
        }
        return libraries;
    }

    static QStringList modelLibraries(const QStringList& libraries)
    {
        QStringList found;
        for (const QString& library : libraries)
            for (const char* marker : {"libtorch", "libc10", "opencv", "libQt5", "alignscope_models"})
                if (library.contains(QLatin1String(marker))) found << library;
        found.removeDuplicates();
        return found;
    }

    int m_runs = 0;
    QString m_lastError;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const int n = 40, p = 16;
        std::mt19937 rng(3);
        std::normal_distribution<float> normal;
        QStringList ids;
        for (int i = 0; i < n; ++i)
            ids << QStringLiteral("object%1").arg(i);
        m_objects = path(QStringLiteral("objects.txt"));
        testsupport::writeBytes(QDir(m_dir.path()), QStringLiteral("objects.txt"),
                                ids.join(QLatin1Char('\n')).toUtf8() + "\n");
        auto matrix = [&](const QString& name, std::int64_t rows, std::int64_t cols, bool nonNegative) {
            std::vector<float> values(size_t(rows * cols));
            for (float& v : values)
                v = nonNegative ? std::abs(normal(rng)) : normal(rng);
            QVERIFY(writeNpy(path(name).toStdString(), makeFloat32Array({rows, cols}, values)).ok());
        };
        matrix(QStringLiteral("features.npy"), n, p, false);
        matrix(QStringLiteral("other.npy"), n, p, false);
        matrix(QStringLiteral("concepts.npy"), n, 5, true);
        m_features = path(QStringLiteral("features.npy"));
        m_otherFeatures = path(QStringLiteral("other.npy"));
        m_concepts = path(QStringLiteral("concepts.npy"));
        std::vector<std::int64_t> triplets;
        std::uniform_int_distribution<int> pick(0, n - 1);
        while (triplets.size() < 3 * 500) {
            const int i = pick(rng), j = pick(rng), k = pick(rng);
            if (i != j && i != k && j != k) triplets.insert(triplets.end(), {i, j, k});
        }
        m_triplets = path(QStringLiteral("triplets.npy"));
        QVERIFY(writeNpy(m_triplets.toStdString(), makeInt64Array({500, 3}, triplets)).ok());
        std::vector<float> rdm(size_t(n * n));
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                rdm[size_t(i * n + j)] = i == j ? 0.0f : float(std::abs(i - j)) / n;
        m_rdm = path(QStringLiteral("rdm.npy"));
        QVERIFY(writeNpy(m_rdm.toStdString(), makeFloat32Array({n, n}, rdm)).ok());
        // A PyTorch tensor file, which only the model module reads.
        m_tensor = path(QStringLiteral("tensor.pt"));
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sys, torch; torch.save(torch.ones(4, 3), sys.argv[1])"),
                      m_tensor});
        python.waitForFinished(120000);
        if (python.exitCode() != 0) m_tensor.clear();
    }

    void analysisCommandsDoNotMapLibTorch_data()
    {
        QTest::addColumn<QStringList>("arguments");
        const QString rows = QStringLiteral("canonical");
        QTest::newRow("version") << QStringList{QStringLiteral("--version")};
        QTest::newRow("info") << QStringList{QStringLiteral("info"), m_features, m_triplets, m_objects};
        QTest::newRow("ooo") << QStringList{QStringLiteral("ooo"),
                                            QStringLiteral("--objects"),
                                            m_objects,
                                            QStringLiteral("--triplets"),
                                            m_triplets,
                                            QStringLiteral("--features"),
                                            m_features,
                                            QStringLiteral("--feature-rows"),
                                            rows,
                                            QStringLiteral("--concepts"),
                                            m_concepts,
                                            QStringLiteral("--concept-rows"),
                                            rows,
                                            QStringLiteral("--bootstrap"),
                                            QStringLiteral("50")};
        QTest::newRow("rsa") << QStringList{QStringLiteral("rsa"),
                                            QStringLiteral("--objects"),
                                            m_objects,
                                            QStringLiteral("--features"),
                                            m_features,
                                            QStringLiteral("--feature-rows"),
                                            rows,
                                            QStringLiteral("--rdm"),
                                            m_rdm,
                                            QStringLiteral("--rdm-rows"),
                                            m_objects};
        QTest::newRow("cka") << QStringList{QStringLiteral("cka"),
                                            QStringLiteral("--objects"),
                                            m_objects,
                                            QStringLiteral("--features"),
                                            m_features,
                                            m_otherFeatures,
                                            QStringLiteral("--feature-rows"),
                                            rows};
        QTest::newRow("concept-similarity") << QStringList{QStringLiteral("concept-similarity"),
                                                           QStringLiteral("--objects"),
                                                           m_objects,
                                                           QStringLiteral("--concepts"),
                                                           m_concepts,
                                                           QStringLiteral("--concept-rows"),
                                                           rows,
                                                           QStringLiteral("--out"),
                                                           path(QStringLiteral("human.npy"))};
    }

    void analysisCommandsDoNotMapLibTorch()
    {
        QFETCH(QStringList, arguments);
        int exitCode = -1;
        const QStringList libraries = mappedLibraries(arguments, {}, &exitCode);
        QVERIFY2(exitCode == 0, qPrintable(m_lastError));
        QVERIFY2(!libraries.isEmpty(), "the loader wrote no log (LD_DEBUG unsupported?)");
        const QStringList unwanted = modelLibraries(libraries);
        QVERIFY2(unwanted.isEmpty(), qPrintable(unwanted.join(QLatin1Char('\n'))));
    }

    // The control: reading a PyTorch file does load the module and LibTorch, so the check above can fail.
    void modelWorkLoadsTheModule()
    {
        if (m_tensor.isEmpty()) QSKIP("python3-torch is not installed");
        int exitCode = -1;
        const QStringList unwanted =
            modelLibraries(mappedLibraries({QStringLiteral("info"), m_tensor}, {}, &exitCode));
        QVERIFY2(exitCode == 0, qPrintable(m_lastError));
        QVERIFY(unwanted.filter(QStringLiteral("alignscope_models")).size() == 1);
        QVERIFY(!unwanted.filter(QStringLiteral("libtorch")).isEmpty());
    }

    void missingModuleIsAClearErrorAndAnalysisStillWorks()
    {
        if (m_tensor.isEmpty()) QSKIP("python3-torch is not installed");
        QProcessEnvironment missing;
        missing.insert(QStringLiteral("ALIGNSCOPE_MODEL_MODULE"), path(QStringLiteral("no-such-module.so")));
        int exitCode = -1;
        mappedLibraries({QStringLiteral("info"), m_tensor}, missing, &exitCode);
        QVERIFY(exitCode != 0);
        QVERIFY2(m_lastError.contains(m_tensor) && m_lastError.contains(QStringLiteral("needs LibTorch")),
                 qPrintable(m_lastError));
        mappedLibraries({QStringLiteral("cka"), QStringLiteral("--objects"), m_objects,
                         QStringLiteral("--features"), m_features, m_otherFeatures,
                         QStringLiteral("--feature-rows"), QStringLiteral("canonical")},
                        missing, &exitCode);
        QCOMPARE(exitCode, 0);
    }

    // `--version` within 40 MB: wait4 reports the child's peak, which also counts this test's own pages
    // copied by fork before exec, so the true figure is lower still.
    void versionIsSmall()
    {
#ifdef __SANITIZE_ADDRESS__
        QSKIP("AddressSanitizer's shadow memory doubles the footprint; the dev build checks the bound");
#endif
        const QByteArray cli = qEnvironmentVariable("ALIGNSCOPE_CLI").toLocal8Bit();
        const pid_t child = ::fork();
        if (child == 0) {
            const int devNull = ::open("/dev/null", O_WRONLY);
            ::dup2(devNull, 1);
            ::execl(cli.constData(), cli.constData(), "--version", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        rusage usage{};
        QCOMPARE(::wait4(child, &status, 0, &usage), child);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        const double megabytes = double(usage.ru_maxrss) / 1024.0;
        qInfo("alignscope-cli --version: peak RSS at most %.1f MB", megabytes);
        QVERIFY2(megabytes <= 40.0, qPrintable(QString::number(megabytes)));
    }
};

QTEST_GUILESS_MAIN(TestModelModule)
#include "tst_model_module.moc"
