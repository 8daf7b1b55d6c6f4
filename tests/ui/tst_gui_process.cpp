// The GUI as a process: --export-figures writes every figure headlessly and exits 0 (1 and a message naming
// the folder when it cannot), bad options exit 2 naming the option and what it accepts (as strict as the
// CLI), and SIGTERM or SIGINT quit as cleanly as File > Quit (the session lock is removed, so the next start
// offers no recovery).
#include "test_support.h"

#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <csignal>

class TestGuiProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportsEveryFigureHeadless_data();
    void exportsEveryFigureHeadless();
    void exportIntoAnUnwritableFolderFails();
    void badFigureOptionsAreRejected_data();
    void badFigureOptionsAreRejected();
    void optionsAreAsStrictAsTheCli_data();
    void optionsAreAsStrictAsTheCli();
    void terminationSignalsQuitCleanly_data();
    void terminationSignalsQuitCleanly();

private:
    QProcess* start(const QStringList& arguments, const QString& stateDir);
    QTemporaryDir m_dir;
};

QProcess* TestGuiProcess::start(const QStringList& arguments, const QString& stateDir)
{
    auto* process = new QProcess(this);
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
    QTest::newRow("180 × 120 mm at 150 dpi, 9 pt")
        << QStringList({"--figure-size", "180x120", "--dpi", "150", "--font-size", "9"}) << QSize(1063, 709);
}

void TestGuiProcess::exportsEveryFigureHeadless()
{
    QFETCH(QStringList, options);
    QFETCH(QSize, pngSize);
    const QString out = m_dir.filePath(QString("figures-%1").arg(pngSize.width()));
    QProcess* process =
        start(QStringList({"--export-figures", out, "--demo-folder", m_dir.filePath("demo")}) + options,
              m_dir.filePath("state-export"));
    QVERIFY(process->waitForFinished(300000));
    const QString err = QString::fromUtf8(process->readAllStandardError());
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QVERIFY2(process->exitCode() == 0, qPrintable(err));
    const QStringList printed =
        QString::fromUtf8(process->readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    const QStringList figures = {
        "results-table",     "concept-bars",     "triplets",        "rsa-table",    "rdm-human",
        "rdm-model",         "rdm-difference",   "scatter",         "probe-curves", "compare-scatter",
        "compare-by-factor", "compare-concepts", "compare-transfer"};
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

QTEST_GUILESS_MAIN(TestGuiProcess)
#include "tst_gui_process.moc"
