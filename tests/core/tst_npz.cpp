// .npz archives: stored and deflated members, key selection, row IDs inside the archive, corrupt archives.
#include "test_support.h"

#include "alignscope/matrix_file.h"
#include "alignscope/npy.h"
#include "alignscope/npz.h"

#include <QTemporaryDir>
#include <zip.h>

using namespace alignscope;

namespace {

// Writes an archive with libzip directly, choosing the compression of each member.
void writeArchive(const std::string& path,
                  const std::vector<std::pair<std::string, std::vector<char>>>& members, zip_int32_t method)
{
    int error = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY(archive);
    for (const auto& [name, bytes] : members) {
        zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
        const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE);
        QVERIFY(index >= 0);
        zip_set_file_compression(archive, zip_uint64_t(index), method, 0);
    }
    QCOMPARE(zip_close(archive), 0);
}

NdArray textArray(std::vector<std::string> values)
{
    NdArray array;
    array.shape = {std::int64_t(values.size())};
    array.kind = ElementKind::String;
    array.str = std::move(values);
    return array;
}

} // namespace

class TestNpz : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsMembers_data();
    void readsMembers();
    void writerRoundTrips();
    void rejectsCorruptArchives_data();
    void rejectsCorruptArchives();
};

void TestNpz::readsMembers_data()
{
    QTest::addColumn<int>("method");
    QTest::newRow("stored") << int(ZIP_CM_STORE);
    QTest::newRow("deflated") << int(ZIP_CM_DEFLATE);
}

void TestNpz::readsMembers()
{
    QFETCH(int, method);
    QTemporaryDir dir;
    const std::string path = dir.filePath("f.npz").toStdString();
    std::vector<float> values(1000);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = float(i % 17) * 0.5f;
    writeArchive(path,
                 {{"features.npy", encodeNpy(makeFloat32Array({250, 4}, values))},
                  {"labels.npy", encodeNpy(makeInt64Array({250}, std::vector<std::int64_t>(250, 3)))}},
                 method);
    auto keys = listNpzKeys(path);
    QVERIFY(keys.ok());
    QCOMPARE(keys->size(), size_t(2));
    auto features = readNpzArray(path, "features");
    QVERIFY2(features.ok(), features.ok() ? "" : features.error().message().c_str());
    QCOMPARE(features->f32, values);
    auto loaded = loadMatrix(path); // picks "features" among several arrays
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->key, std::string("features"));
    QVERIFY(!readNpzArray(path, "nope").ok());
}

void TestNpz::writerRoundTrips()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.npz").toStdString();
    QVERIFY(writeNpz(path, {{"weights", makeFloat32Array({2, 2}, {1, 2, 3, 4})},
                            {"mean", makeFloat32Array({1}, {0.5f})}})
                .ok());
    auto all = readNpz(path);
    QVERIFY(all.ok());
    QCOMPARE(all->at("weights").f32, (std::vector<float>{1, 2, 3, 4}));
    QCOMPARE(all->at("mean").f32, std::vector<float>{0.5f});

    // An `ids` text member names the rows.
    const std::string withIds = dir.filePath("ids.npz").toStdString();
    NdArray ids = textArray({"b", "a"});
    std::vector<char> idBytes; // encode '<U1' by hand (the writer handles numbers only)
    {
        const std::string header = "{'descr': '<U1', 'fortran_order': False, 'shape': (2,), }";
        std::string padded = header;
        while ((10 + padded.size() + 1) % 64)
            padded += ' ';
        padded += '\n';
        idBytes = {
            '\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0, char(padded.size() & 0xff), char(padded.size() >> 8)};
        idBytes.insert(idBytes.end(), padded.begin(), padded.end());
        for (char c : {'b', 'a'})
            idBytes.insert(idBytes.end(), {c, 0, 0, 0});
    }
    writeArchive(withIds,
                 {{"features.npy", encodeNpy(makeFloat32Array({2, 1}, {1, 2}))}, {"ids.npy", idBytes}},
                 ZIP_CM_DEFLATE);
    auto loaded = loadMatrix(withIds);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message().c_str());
    QCOMPARE(loaded->rowIds, ids.str);
}

void TestNpz::rejectsCorruptArchives_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("truncated") << "truncated";
    QTest::newRow("flipped payload byte") << "flipped";
    QTest::newRow("not a zip") << "garbage";
    QTest::newRow("member is not npy") << "notnpy";
    QTest::newRow("empty archive") << "empty";
}

void TestNpz::rejectsCorruptArchives()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    const std::string path = dir.filePath("bad.npz").toStdString();
    std::vector<char> payload = encodeNpy(makeFloat32Array({64, 64}, std::vector<float>(4096, 1.0f)));
    if (kind == "notnpy") payload = {'h', 'e', 'l', 'l', 'o'};
    if (kind == "empty")
        writeArchive(path, {}, ZIP_CM_STORE);
    else
        writeArchive(path, {{"x.npy", payload}}, ZIP_CM_STORE);
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    if (kind == "truncated") bytes.truncate(bytes.size() / 2);
    if (kind == "flipped") bytes[200] = char(bytes[200] ^ 0x5a); // inside the stored data: CRC must catch it
    if (kind == "garbage") bytes = "PK\x03\x04 this is not really a zip file";
    file.resize(0);
    file.seek(0);
    file.write(bytes);
    file.close();
    auto result = readNpz(path);
    QVERIFY(!result.ok());
    QVERIFY2(QString::fromStdString(result.error().message()).startsWith(QString::fromStdString(path)),
             result.error().message().c_str());
}

QTEST_GUILESS_MAIN(TestNpz)
#include "tst_npz.moc"
