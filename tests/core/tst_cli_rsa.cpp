// alignscope-cli rsa / concept-similarity / cka against the Python reference and independent numpy code.
#include "test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace {

double runR(const QStringList& arguments)
{
    const auto result = testsupport::runCli(arguments);
    if (result.exitCode != 0) qWarning("%s", qPrintable(result.err));
    return QJsonDocument::fromJson(result.out.toUtf8()).object().value("r").toDouble(std::nan(""));
}

// Runs python code that prints one number.
double python(const QString& code, const QStringList& arguments = {})
{
    QProcess process;
    process.start("/usr/bin/python3", QStringList{"-c", code} + arguments);
    process.waitForFinished(300000);
    if (process.exitCode() != 0) qWarning("%s", process.readAllStandardError().constData());
    return process.readAllStandardOutput().trimmed().toDouble();
}

double reference(const QStringList& arguments)
{
    QProcess process;
    process.start("/usr/bin/python3", QStringList{qEnvironmentVariable("ALIGNSCOPE_SHARED_DIR") +
                                                  "/reference/alignment_reference.py"} +
                                          arguments);
    process.waitForFinished(300000);
    return QJsonDocument::fromJson(process.readAllStandardOutput())
        .object()
        .value("r")
        .toDouble(std::nan(""));
}

// numpy/scipy definitions for what the reference script does not cover (gaussian RDM, τ-a, cosine).
const char* const kIndependent = R"(
import sys, numpy as np, scipy.stats
X = np.load(sys.argv[1]).astype(np.float64); R = np.load(sys.argv[2]).astype(np.float64)
method, compare = sys.argv[3], sys.argv[4]
iu = np.triu_indices(len(X), 1)
if method == 'gaussian':
    sq = (X * X).sum(1); D2 = np.maximum(sq[:, None] + sq[None] - 2 * X @ X.T, 0)
    M = 1 - np.exp(-D2 / D2[iu].mean())
elif method == 'euclidean':
    sq = (X * X).sum(1); M = np.sqrt(np.maximum(sq[:, None] + sq[None] - 2 * X @ X.T, 0))
else:
    Y = X - X.mean(1, keepdims=True) if method == 'correlation' else X
    Y = Y / np.linalg.norm(Y, axis=1, keepdims=True); M = 1 - Y @ Y.T
a, b = M[iu], R[iu]
if compare == 'spearman': r = scipy.stats.spearmanr(a, b)[0]
elif compare == 'pearson': r = scipy.stats.pearsonr(a, b)[0]
elif compare == 'kendall-b': r = scipy.stats.kendalltau(a, b)[0]
elif compare == 'kendall-a':
    n0 = len(a) * (len(a) - 1) / 2; sa = np.sign(a[:, None] - a[None]); sb = np.sign(b[:, None] - b[None])
    r = (sa * sb).sum() / 2 / n0
else: r = a @ b / np.linalg.norm(a) / np.linalg.norm(b)
print(repr(float(r)))
)";

} // namespace

class TestCliRsa : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void equalsReferences_data();
    void equalsReferences();
    void viceDerivedHumanSimilarity();
    void ckaAndErrors();
    void noiseCeilingFromSubjects();
    void nameOptionNamesTheModel_data();
    void nameOptionNamesTheModel();

private:
    QTemporaryDir m_dir;
};

void TestCliRsa::initTestCase()
{
    const QString code = QStringLiteral(
        "import sys, numpy as np\n"
        "rng = np.random.default_rng(1); n = 90\n"
        "X = rng.standard_normal((n, 24)).astype(np.float32); np.save(sys.argv[1] + '/X.npy', X)\n"
        "A = rng.standard_normal((n, 6)); R = np.round(np.sqrt(((A[:, None] - A[None]) ** 2).sum(-1)), 1)\n"
        "np.save(sys.argv[1] + '/R.npy', R.astype(np.float32))\n"
        "open(sys.argv[1] + '/ids.txt', 'w').write(''.join('s%d\\n' % i for i in range(n)))\n"
        "print(1)\n");
    QCOMPARE(python(code, {m_dir.path()}), 1.0);
}

void TestCliRsa::equalsReferences_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("compare");
    for (const char* method : {"cosine", "correlation", "euclidean", "gaussian"})
        for (const char* compare : {"spearman", "pearson", "kendall-a", "kendall-b", "cosine"})
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(method, compare))) << method << compare;
}

void TestCliRsa::equalsReferences()
{
    QFETCH(QString, method);
    QFETCH(QString, compare);
    const QString x = m_dir.filePath("X.npy"), rdm = m_dir.filePath("R.npy");
    const double ours =
        runR({"rsa", "--objects", m_dir.filePath("ids.txt"), "--features", x, "--feature-rows", "canonical",
              "--rdm-method", method, "--rdm", rdm, "--compare", compare, "--json"});
    const bool inReference =
        method != "gaussian" && (compare == "spearman" || compare == "pearson" || compare == "kendall-b");
    const bool haveReference =
        !qEnvironmentVariable("ALIGNSCOPE_SHARED_DIR").isEmpty() &&
        QFile::exists(qEnvironmentVariable("ALIGNSCOPE_SHARED_DIR") + "/reference/alignment_reference.py");
    const double expected =
        inReference && haveReference
            ? reference({"rsa", "--features", x, "--rdm", rdm, "--rdm-method", method, "--compare",
                         compare == "kendall-b" ? QStringLiteral("kendall") : compare})
            : python(kIndependent, {x, rdm, method, compare});
    QVERIFY2(
        std::fabs(ours - expected) < 1e-6,
        qPrintable(QStringLiteral("ours %1, expected %2").arg(ours, 0, 'g', 12).arg(expected, 0, 'g', 12)));
}

void TestCliRsa::viceDerivedHumanSimilarity()
{
    const QString concepts = testsupport::sharedData("things/things_concepts.tsv");
    const QString vice = testsupport::sharedData("vice/final_embedding.npy");
    SKIP_WITHOUT_SHARED(vice);
    // 300 stimuli: human similarity from VICE (sorted rows), model = VICE mixed into 64 dimensions plus
    // noise.
    const QString stimuli = m_dir.filePath("stimuli.txt"), model = m_dir.filePath("model.npy");
    const QString prepare = QStringLiteral(
        "import sys, csv, numpy as np\n"
        "ids = [r['uniqueID'] for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'), "
        "delimiter='\\t')]\n"
        "V = np.load(sys.argv[2]); pos = {u: i for i, u in enumerate(ids)}\n"
        "C = np.empty_like(V); C[[pos[u] for u in sorted(ids)]] = V\n"
        "rng = np.random.default_rng(2); pick = np.sort(rng.choice(len(ids), 300, replace=False))\n"
        "open(sys.argv[3], 'w').write(''.join(ids[i] + '\\n' for i in pick))\n"
        "F = C[pick] @ rng.standard_normal((42, 64)) + 0.3 * rng.standard_normal((300, 64))\n"
        "np.save(sys.argv[4], F.astype(np.float32)); open(sys.argv[4][:-4] + '.rows.txt', "
        "'w').write(''.join(ids[i] + '\\n' for i in pick))\n"
        "print(1)\n");
    QCOMPARE(python(prepare, {concepts, vice, stimuli, model}), 1.0);
    const QString similarity = m_dir.filePath("human.npy");
    const auto written =
        testsupport::runCli({"concept-similarity", "--objects", concepts, "--concepts", vice,
                             "--concept-rows", "sorted", "--stimuli", stimuli, "--out", similarity});
    QVERIFY2(written.exitCode == 0, qPrintable(written.err));
    // The reference compares with an RDM: give it 1 − S; ours reads S as a similarity.
    const QString rdm = m_dir.filePath("human_rdm.npy");
    QCOMPARE(python("import sys, numpy as np; S = np.load(sys.argv[1]); np.save(sys.argv[2], (1 - "
                    "S).astype(np.float32)); print(S.shape[0])",
                    {similarity, rdm}),
             300.0);
    for (const char* compare : {"spearman", "pearson", "kendall"}) {
        const double ours =
            runR({"rsa", "--objects", concepts, "--stimuli", stimuli, "--features", model, "--rdm-method",
                  "correlation", "--concept-similarity", vice, "--concept-rows", "sorted", "--compare",
                  QString(compare) == "kendall" ? QStringLiteral("kendall-b") : QString(compare), "--json"});
        const double expected = reference(
            {"rsa", "--features", model, "--rdm", rdm, "--rdm-method", "correlation", "--compare", compare});
        QVERIFY2(std::fabs(ours - expected) < 1e-6, qPrintable(QStringLiteral("%1: ours %2, reference %3")
                                                                   .arg(compare)
                                                                   .arg(ours, 0, 'g', 12)
                                                                   .arg(expected, 0, 'g', 12)));
        QVERIFY(ours > 0.3); // the model was built from the same concepts
    }
}

void TestCliRsa::ckaAndErrors()
{
    const auto same = testsupport::runCli({"cka", "--objects", m_dir.filePath("ids.txt"), "--features",
                                           m_dir.filePath("X.npy"), "--features", m_dir.filePath("X.npy"),
                                           "--feature-rows", "canonical", "--json"});
    QCOMPARE(same.exitCode, 0);
    QVERIFY(std::fabs(QJsonDocument::fromJson(same.out.toUtf8()).object().value("cka").toDouble() - 1.0) <
            1e-9);
    // A stimulus list naming an unknown object, and an RDM of the wrong size, are one-line errors.
    testsupport::writeBytes(QDir(m_dir.path()), "bad_stimuli.txt", "s1\nnope\n");
    const auto unknown =
        testsupport::runCli({"rsa", "--objects", m_dir.filePath("ids.txt"), "--stimuli",
                             m_dir.filePath("bad_stimuli.txt"), "--features", m_dir.filePath("X.npy"),
                             "--feature-rows", "canonical", "--rdm", m_dir.filePath("R.npy")});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("bad_stimuli.txt: 1 stimulus IDs are not objects") &&
                 unknown.err.trimmed().count('\n') == 0,
             qPrintable(unknown.err));
    testsupport::writeBytes(QDir(m_dir.path()), "three.txt", "s1\ns2\ns3\n");
    const auto size = testsupport::runCli({"rsa", "--objects", m_dir.filePath("ids.txt"), "--stimuli",
                                           m_dir.filePath("three.txt"), "--features", m_dir.filePath("X.npy"),
                                           "--feature-rows", "canonical", "--rdm", m_dir.filePath("R.npy")});
    QCOMPARE(size.exitCode, 1);
    QVERIFY2(size.err.contains("covers 90 stimuli, the model 3"), qPrintable(size.err));
}

void TestCliRsa::noiseCeilingFromSubjects()
{
    // Five subjects = a shared structure plus private noise, as a subjects × n × n stack.
    const QString stack = m_dir.filePath("subjects.npy");
    QCOMPARE(python("import sys, numpy as np\n"
                    "rng = np.random.default_rng(3); A = rng.standard_normal((90, 5))\n"
                    "D = np.sqrt(((A[:, None] - A[None]) ** 2).sum(-1)); S = []\n"
                    "for s in range(5):\n"
                    "    N = rng.standard_normal((90, 90)); S.append(D + 0.8 * (N + N.T))\n"
                    "np.save(sys.argv[1], np.array(S, dtype=np.float32)); print(1)",
                    {stack}),
             1.0);
    const auto result = testsupport::runCli({"rsa", "--objects", m_dir.filePath("ids.txt"), "--features",
                                             m_dir.filePath("X.npy"), "--feature-rows", "canonical", "--rdm",
                                             stack, "--json"});
    QCOMPARE(result.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(result.out.toUtf8()).object();
    const QJsonObject ceiling = json.value("noise_ceiling").toObject();
    QVERIFY2(!ceiling.isEmpty(), qPrintable(result.out));
    QVERIFY(ceiling.value("lower").toDouble() < ceiling.value("upper").toDouble());
    QVERIFY(ceiling.value("lower").toDouble() > 0.3);
    QCOMPARE(json.value("n_pairs").toInt(), 90 * 89 / 2);
}

void TestCliRsa::nameOptionNamesTheModel_data()
{
    QTest::addColumn<QStringList>("name"); // given with --name
    QTest::addColumn<QString>("expected");
    QTest::newRow("no --name: the file's stem") << QStringList{} << "X";
    QTest::newRow("named") << QStringList{"--name", "CLIP ViT-B/32"} << "CLIP ViT-B/32";
}

void TestCliRsa::nameOptionNamesTheModel()
{
    QFETCH(QStringList, name);
    QFETCH(QString, expected);
    const auto result = testsupport::runCli(
        QStringList{"rsa", "--objects", m_dir.filePath("ids.txt"), "--features", m_dir.filePath("X.npy"),
                    "--feature-rows", "canonical", "--rdm", m_dir.filePath("R.npy"), "--json"} +
        name);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QCOMPARE(QJsonDocument::fromJson(result.out.toUtf8()).object().value("name").toString(), expected);
}

QTEST_GUILESS_MAIN(TestCliRsa)
#include "tst_cli_rsa.moc"
