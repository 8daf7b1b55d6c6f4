// The GUI as a process: --export-figures writes every figure headlessly and exits 0 (1 and a message naming
// the folder when it cannot; onto a full disk, naming each file and keeping the figures there before), bad
// options exit 2 naming the option and what it accepts (as strict as the CLI), and SIGTERM or SIGINT quit as
// cleanly as File > Quit (the session lock is removed, so the next start offers no recovery).
#include "test_support.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <csignal>
#include <cstring>
#include <sys/resource.h>

class TestGuiProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportsEveryFigureHeadless_data();
    void exportsEveryFigureHeadless();
    void exportIntoAnUnwritableFolderFails();
    void exportEndsWhenTheDemoFails();
    void exportOntoAFullDiskFails();
    void badFigureOptionsAreRejected_data();
    void badFigureOptionsAreRejected();
    void optionsAreAsStrictAsTheCli_data();
    void optionsAreAsStrictAsTheCli();
    void terminationSignalsQuitCleanly_data();
    void terminationSignalsQuitCleanly();
    void savesAndExportsAProjectHeadless();
    void tamperedProjectIsRecomputedBeforeExport();
    void badProjectOptionsAreRejected_data();
    void badProjectOptionsAreRejected();

private:
    QString m_project; // saved by savesAndExportsAProjectHeadless
    QProcess* start(const QStringList& arguments, const QString& stateDir,
                    rlim_t fileSizeLimit = RLIM_INFINITY, const QString& workingDirectory = {});
    QTemporaryDir m_dir;
};

// `fileSizeLimit` (RLIMIT_FSIZE, with SIGXFSZ ignored) makes writes beyond it fail as on a full disk.
QProcess* TestGuiProcess::start(const QStringList& arguments, const QString& stateDir, rlim_t fileSizeLimit,
                                const QString& workingDirectory)
{
    auto* process = new QProcess(this);
    if (!workingDirectory.isEmpty()) process->setWorkingDirectory(workingDirectory);
    if (fileSizeLimit != RLIM_INFINITY)
        process->setChildProcessModifier([fileSizeLimit] {
            std::signal(SIGXFSZ, SIG_IGN); // kept across exec, as the limit is
            rlimit limit{};
            ::getrlimit(RLIMIT_FSIZE, &limit);
            limit.rlim_cur = fileSizeLimit;
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("QT_QPA_PLATFORM", "offscreen");
    environment.insert("ALIGNSCOPE_STATE_DIR", stateDir);
    environment.insert("ALIGNSCOPE_CACHE_DIR", m_dir.filePath("cache"));
    process->setProcessEnvironment(environment);
    process->start(qEnvironmentVariable("ALIGNSCOPE_GUI"), arguments);
    return process;
}

void TestGuiProcess::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("ALIGNSCOPE_GUI")), "run through ctest (ALIGNSCOPE_GUI)");
}

void TestGuiProcess::exportsEveryFigureHeadless_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QSize>("pngSize");
    QTest::newRow("the dialog's defaults: 88 × 66 mm at 300 dpi") << QStringList() << QSize(1039, 780);
    QTest::newRow("180 × 120 mm at 150 dpi, 9 pt, demo folder relative")
        << QStringList({"--figure-size", "180x120", "--dpi", "150", "--font-size", "9"}) << QSize(1063, 709);
}

void TestGuiProcess::exportsEveryFigureHeadless()
{
    QFETCH(QStringList, options);
    QFETCH(QSize, pngSize);
    const QString out = m_dir.filePath(QString("figures-%1").arg(pngSize.width()));
    // The second row names its demo folder relative to the working directory (the demo's image list is
    // written elsewhere: a relative folder once sent its extraction to the wrong place).
    const bool relative = pngSize.width() == 1063;
    QProcess* process =
        start(QStringList({"--export-figures", out, "--demo-folder",
                           relative ? QStringLiteral("demo-relative") : m_dir.filePath("demo")}) +
                  options,
              m_dir.filePath("state-export"), RLIM_INFINITY, relative ? m_dir.path() : QString());
    QVERIFY(process->waitForFinished(300000));
    const QString err = QString::fromUtf8(process->readAllStandardError());
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QVERIFY2(process->exitCode() == 0, qPrintable(err));
    const QStringList printed =
        QString::fromUtf8(process->readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    const QStringList figures = {
        "results-table",     "concept-bars",     "triplets",         "rsa-table",        "rdm-human",
        "rdm-model",         "rdm-difference",   "scatter",          "probe-curves",     "compare-scatter",
        "compare-by-factor", "compare-concepts", "compare-transfer", "object-inspector", "object-map"};
    QCOMPARE(printed.size(), figures.size() * 3);
    for (const QString& figure : figures)
        for (const char* format : {"png", "svg", "pdf"}) {
            const QString path = QDir(out).filePath(figure + "." + format);
            QVERIFY2(QFileInfo(path).size() > 500, qPrintable(path));
            QVERIFY(printed.contains(path));
        }
    QCOMPARE(QImage(QDir(out).filePath("concept-bars.png")).size(), pngSize);
}

void TestGuiProcess::exportIntoAnUnwritableFolderFails()
{
    const QString file = QString::fromStdString(testsupport::writeBytes(QDir(m_dir.path()), "a-file", "x"));
    QProcess* process =
        start({"--export-figures", file + "/figures", "--demo-folder", m_dir.filePath("demo")},
              m_dir.filePath("state-unwritable"));
    QVERIFY(process->waitForFinished(300000));
    QCOMPARE(process->exitCode(), 1);
    const QString err = QString::fromUtf8(process->readAllStandardError());
    QVERIFY2(err.contains(file + "/figures: cannot create the folder"), qPrintable(err));
}

// A demo that cannot be built ends the export at once with the reason (it waited out its ten minutes).
void TestGuiProcess::exportEndsWhenTheDemoFails()
{
    const QString file =
        QString::fromStdString(testsupport::writeBytes(QDir(m_dir.path()), "not-a-folder", "x"));
    QProcess* process =
        start({"--export-figures", m_dir.filePath("figures-no-demo"), "--demo-folder", file + "/demo"},
              m_dir.filePath("state-no-demo"));
    QVERIFY2(process->waitForFinished(60000), "still waiting a minute after the demo failed");
    const QString err = QString::fromUtf8(process->readAllStandardError());
    QCOMPARE(process->exitCode(), 1);
    QVERIFY2(err.contains("the demo failed") && err.contains(file + "/demo"), qPrintable(err));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("figures-no-demo/results-table.png")));
}

// Onto a full disk: the figures exported before stay as they were, none is listed as written, each failure
// names the file and the reason, and the exit status is 1. The figures come from a saved project, so that the
// full disk meets the figure export and nothing before it (the demo's extraction writes features).
void TestGuiProcess::exportOntoAFullDiskFails()
{
    const QString project = m_dir.filePath("full-disk.alignscope");
    const QString state = m_dir.filePath("state-full-disk");
    QProcess* save = start({"--save-project", project, "--demo-folder", m_dir.filePath("demo")}, state);
    QVERIFY(save->waitForFinished(90000));
    QVERIFY2(save->exitCode() == 0, save->readAllStandardError().constData());
    const QString out = m_dir.filePath("figures-full-disk");
    const QStringList arguments = {"--export-figures", out, project};
    QProcess* good = start(arguments, state);
    QVERIFY(good->waitForFinished(90000));
    QVERIFY2(good->exitCode() == 0, good->readAllStandardError().constData());
    QFile goodFile(QDir(out).filePath("triplets.svg"));
    QVERIFY(goodFile.open(QIODevice::ReadOnly));
    const QByteArray before = goodFile.readAll();
    goodFile.close();
    QVERIFY2(before.size() > 2000, qPrintable(QString::number(before.size())));
    const rlim_t limit =
        rlim_t(before.size() / 2); // what opening the project writes fits, the figure does not

    QProcess* full = start(arguments + QStringList({"--figure-size", "180x120"}), state, limit);
    QVERIFY(full->waitForFinished(90000));
    const QString err = QString::fromUtf8(full->readAllStandardError());
    const QStringList printed =
        QString::fromUtf8(full->readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(full->exitStatus(), QProcess::NormalExit);
    QCOMPARE(full->exitCode(), 1);
    const QString path = QDir(out).filePath("triplets.svg");
    QVERIFY2(!printed.contains(path), qPrintable(printed.join('\n')));
    QVERIFY2(err.contains(path + ": ") && err.contains(QString::fromLocal8Bit(std::strerror(EFBIG))),
             qPrintable(err));
    QVERIFY(goodFile.open(QIODevice::ReadOnly));
    QVERIFY2(goodFile.readAll() == before, "triplets.svg changed");
    QCOMPARE(QDir(out).entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden), QStringList());
}

void TestGuiProcess::badFigureOptionsAreRejected_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::newRow("size without height")
        << QStringList({"--figure-size", "88"}) << "--figure-size expects WxH";
    QTest::newRow("size too small") << QStringList({"--figure-size", "5x5"}) << "--figure-size expects WxH";
    QTest::newRow("dpi too low") << QStringList({"--dpi", "5"}) << "--dpi expects 30 to 2400";
    QTest::newRow("font not a number")
        << QStringList({"--font-size", "big"}) << "--font-size expects 4 to 24 pt";
}

void TestGuiProcess::badFigureOptionsAreRejected()
{
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    QProcess* process = start(QStringList({"--export-figures", m_dir.filePath("never")}) + options,
                              m_dir.filePath("state-bad"));
    QVERIFY(process->waitForFinished(60000));
    QCOMPARE(process->exitCode(), 2);
    const QString err = QString::fromUtf8(process->readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("never")));
}

void TestGuiProcess::optionsAreAsStrictAsTheCli_data()
{
    // What the message must say: the option and what it accepts.
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("message");
    const QStringList similarity = {"--similarity", "'Dot'", "cosine, dot, euclidean, correlation"};
    QTest::newRow("similarity spelt with a capital") << QStringList({"--similarity", "Dot"}) << similarity;
    QTest::newRow("similarity unknown")
        << QStringList({"--similarity", "manhattan"}) << QStringList({"--similarity", "'manhattan'"});
    const QStringList rows = {"--rows", "X=sortd", "canonical", "sorted", "a row-ID file"};
    QTest::newRow("row policy misspelt") << QStringList({"--rows", "X=sortd"}) << rows;
    QTest::newRow("row policy empty")
        << QStringList({"--rows", "X="}) << QStringList({"--rows", "canonical"});
    const QStringList size = {"--figure-size expects WxH"};
    for (const char* value : {"nanxnan", "nanx60", "0x0", "-5x3", "1e9x1", "infxinf", "88x66x1", "88x"})
        QTest::addRow("figure size %s", value) << QStringList({"--figure-size", value}) << size;
    for (const char* value : {"nan", "inf", "1e9", "0", "-300", "300.5", "3e2"})
        QTest::addRow("dpi %s", value)
            << QStringList({"--dpi", value}) << QStringList({"--dpi expects 30 to 2400"});
    for (const char* value : {"nan", "inf", "-8", "1e9"})
        QTest::addRow("font size %s", value)
            << QStringList({"--font-size", value}) << QStringList({"--font-size expects 4 to 24 pt"});
    QTest::newRow("concept space missing") << QStringList({"--concepts", "/nonexistent/vice.npy"})
                                           << QStringList({"--concepts", "/nonexistent/vice.npy"});
    QTest::newRow("file missing") << QStringList({"/nonexistent/features.npy"})
                                  << QStringList({"/nonexistent/features.npy", "no such file or folder"});
    // Without --export-figures a figure option would change nothing (the screenshots are of the window).
    QTest::newRow("dpi without export") << QStringList({"--screenshots", "SHOTS", "--dpi", "300"})
                                        << QStringList({"--dpi", "--export-figures"});
    QTest::newRow("demo and no demo")
        << QStringList({"--demo", "--no-demo"}) << QStringList({"--demo", "--no-demo"});
}

// The GUI refuses what the CLI refuses (exit 2 and a message), instead of ignoring it and computing with the
// defaults.
void TestGuiProcess::optionsAreAsStrictAsTheCli()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, message);
    static int row = 0; // a folder of its own: a row that exports must not hide a later one that does not
    const QString out = m_dir.filePath(QString("strict-never-%1").arg(++row));
    options.replaceInStrings("SHOTS", out);
    const QStringList headless =
        options.contains("--screenshots") ? QStringList() : QStringList({"--export-figures", out});
    QProcess* process = start(headless + QStringList({"--demo-folder", m_dir.filePath("demo")}) + options,
                              m_dir.filePath("state-strict"));
    QVERIFY(process->waitForFinished(300000));
    const QString err = QString::fromUtf8(process->readAllStandardError());
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QVERIFY2(process->exitCode() == 2, qPrintable(QString("exit %1: %2").arg(process->exitCode()).arg(err)));
    for (const QString& part : message)
        QVERIFY2(err.contains(part), qPrintable(err));
    QVERIFY(!QFileInfo::exists(out));
}

void TestGuiProcess::terminationSignalsQuitCleanly_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM (logout, kill)") << int(SIGTERM);
    QTest::newRow("SIGINT (Ctrl-C)") << int(SIGINT);
}

void TestGuiProcess::terminationSignalsQuitCleanly()
{
    QFETCH(int, signal);
    const QString state = m_dir.filePath(QString("state-signal-%1").arg(signal));
    QProcess* process = start({"--no-demo"}, state);
    QVERIFY(process->waitForStarted());
    const QString lock = QDir(state).filePath("session.lock");
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(lock).size() > 0, 60000); // the window exists and owns the session
    ::kill(pid_t(process->processId()), signal);
    QVERIFY(process->waitForFinished(30000));
    QCOMPARE(process->exitStatus(), QProcess::NormalExit); // not killed by the signal
    QCOMPARE(process->exitCode(), 0);
    QVERIFY(!QFileInfo::exists(lock)); // a clean exit: no recovery offered next time
}

// --save-project computes the demo and saves it as a project folder; --export-figures OUT PROJECT reopens it
// headless and exports every figure.
void TestGuiProcess::savesAndExportsAProjectHeadless()
{
    const QString project = m_dir.filePath("saved.alignscope");
    QProcess* save = start({"--save-project", project, "--demo-folder", m_dir.filePath("demo")},
                           m_dir.filePath("state-project"));
    QVERIFY(save->waitForFinished(300000));
    const QString saveErr = QString::fromUtf8(save->readAllStandardError());
    QCOMPARE(save->exitStatus(), QProcess::NormalExit);
    QVERIFY2(save->exitCode() == 0, qPrintable(saveErr));
    QVERIFY2(QString::fromUtf8(save->readAllStandardOutput()).contains(project), qPrintable(saveErr));
    QFile json(QDir(project).filePath("project.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonObject saved = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(saved["odd_one_out_cache"].toObject()["models"].toArray().size(), 4);
    QVERIFY(saved["probe"].isObject());
    m_project = project;

    const QString out = m_dir.filePath("figures-from-project");
    QProcess* exported = start({"--export-figures", out, project}, m_dir.filePath("state-project"));
    QVERIFY(exported->waitForFinished(300000));
    const QString err = QString::fromUtf8(exported->readAllStandardError());
    QCOMPARE(exported->exitStatus(), QProcess::NormalExit);
    QVERIFY2(exported->exitCode() == 0, qPrintable(err));
    QVERIFY2(!err.contains("recomputed"), qPrintable(err)); // an untouched project verifies
    const QStringList printed =
        QString::fromUtf8(exported->readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    // The figures the demo itself exports, but the probe's training curves, which a project does not keep
    // (said in a note).
    const QString fromDemo = m_dir.filePath("figures-from-demo");
    QProcess* demo = start({"--export-figures", fromDemo, "--demo-folder", m_dir.filePath("demo")},
                           m_dir.filePath("state-project"));
    QVERIFY(demo->waitForFinished(300000));
    QVERIFY2(demo->exitCode() == 0, demo->readAllStandardError().constData());
    QStringList expected = QDir(fromDemo).entryList(QDir::Files);
    expected.removeIf([](const QString& name) { return name.startsWith("probe-curves."); });
    QVERIFY(expected.contains("results-table.png") && expected.contains("rsa-table.svg"));
    QStringList written;
    for (const QString& path : printed) {
        QVERIFY2(QFileInfo(path).size() > 500, qPrintable(path));
        written << QFileInfo(path).fileName();
    }
    written.sort();
    QCOMPARE(written, expected);
    QVERIFY2(err.contains("probe-curves: nothing to show"), qPrintable(err));
}

// A project whose 'correct' was edited is reported on stderr (naming project.json) and its figures show what
// its inputs give, the same as the untouched project's.
void TestGuiProcess::tamperedProjectIsRecomputedBeforeExport()
{
    QVERIFY2(!m_project.isEmpty(), "savesAndExportsAProjectHeadless saves the project");
    const QString tampered = m_dir.filePath("tampered.alignscope");
    QDir().mkpath(QDir(tampered).filePath("data"));
    for (const QString& name : QDir(QDir(m_project).filePath("data")).entryList(QDir::Files))
        QVERIFY(
            QFile::copy(QDir(m_project).filePath("data/" + name), QDir(tampered).filePath("data/" + name)));
    QFile original(QDir(m_project).filePath("project.json"));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QJsonObject project = QJsonDocument::fromJson(original.readAll()).object();
    QJsonObject cache = project["odd_one_out_cache"].toObject();
    QJsonArray models = cache["models"].toArray();
    QJsonObject first = models[0].toObject();
    first["correct"] = first["triplets"].toDouble() - 1; // accuracy nearly 1
    models[0] = first;
    cache["models"] = models;
    project["odd_one_out_cache"] = cache;
    testsupport::writeBytes(QDir(tampered), "project.json", QJsonDocument(project).toJson());

    const QString out = m_dir.filePath("figures-from-tampered");
    QProcess* exported = start({"--export-figures", out, tampered}, m_dir.filePath("state-project"));
    QVERIFY(exported->waitForFinished(300000));
    const QString err = QString::fromUtf8(exported->readAllStandardError());
    QVERIFY2(exported->exitCode() == 0, qPrintable(err));
    QVERIFY2(err.contains(QDir(tampered).filePath("project.json")) &&
                 err.contains("does not match its choices"),
             qPrintable(err));
    const QImage shown(QDir(out).filePath("results-table.png"));
    QVERIFY(!shown.isNull());
    QVERIFY2(shown == QImage(m_dir.filePath("figures-from-project/results-table.png")),
             "the results table differs from the untouched project's");
}

void TestGuiProcess::badProjectOptionsAreRejected_data()
{
    // {project}: a project folder; {file}: a file; {users}: a folder of the user's; {broken}: a project with
    // a negative revision; {out}: a figure folder never created.
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("message");
    QTest::newRow("--save-project without a folder")
        << QStringList({"--save-project"}) << 2 << QStringList({"--save-project"});
    QTest::newRow("--save-project and --export-figures")
        << QStringList({"--save-project", "{out}", "--export-figures", "{out}"}) << 2
        << QStringList({"--save-project", "--export-figures"});
    QTest::newRow("a project folder beside a file")
        << QStringList({"--export-figures", "{out}", "{project}", "{file}"}) << 2
        << QStringList({"{project}", "a project folder opens alone"});
    QTest::newRow("--save-project into a folder of the user's")
        << QStringList({"--save-project", "{users}"}) << 1
        << QStringList({"{users}", "neither empty nor an AlignScope project"});
    QTest::newRow("a project with a negative revision")
        << QStringList({"--export-figures", "{out}", "{broken}"}) << 1
        << QStringList({"{broken}/project.json", "revision"});
}

void TestGuiProcess::badProjectOptionsAreRejected()
{
    QFETCH(QStringList, options);
    QFETCH(int, exitCode);
    QFETCH(QStringList, message);
    QTemporaryDir dir;
    const QString project = dir.filePath("project"), users = dir.filePath("users"),
                  broken = dir.filePath("broken"), out = dir.filePath("never");
    for (const QString& folder : {project, users, broken})
        QDir().mkpath(folder);
    testsupport::writeBytes(
        QDir(project), "project.json",
        R"({"format": "alignscope-project-1", "revision": 1, "inputs": [], "features": []})");
    testsupport::writeBytes(
        QDir(broken), "project.json",
        R"({"format": "alignscope-project-1", "revision": -5, "inputs": [], "features": []})");
    testsupport::writeBytes(QDir(users), "notes.txt", "my notes\n");
    const QString file = QString::fromStdString(testsupport::writeBytes(QDir(dir.path()), "a-file", "x"));
    auto expand = [&](QString text) {
        return text.replace("{project}", project)
            .replace("{users}", users)
            .replace("{broken}", broken)
            .replace("{file}", file)
            .replace("{out}", out);
    };
    for (QString& option : options)
        option = expand(option);
    QProcess* process = start(options, m_dir.filePath("state-bad-project"));
    QVERIFY(process->waitForFinished(300000));
    const QString err = QString::fromUtf8(process->readAllStandardError());
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QVERIFY2(process->exitCode() == exitCode,
             qPrintable(QString("exit %1: %2").arg(process->exitCode()).arg(err)));
    for (const QString& part : message)
        QVERIFY2(err.contains(expand(part)), qPrintable(err));
    if (exitCode == 2) QVERIFY(!QFileInfo::exists(out)); // refused before anything was made
    QCOMPARE(QDir(users).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList({"notes.txt"}));
}

QTEST_GUILESS_MAIN(TestGuiProcess)
#include "tst_gui_process.moc"
