// .npy reader/writer: every dtype, byte order, memory order and format version, plus malformed files.
#include "test_support.h"

#include "alignscope/npy.h"

#include <QTemporaryDir>
#include <cstring>

using namespace alignscope;

namespace {

// Encodes `value` as one element of dtype kind/width, little-endian.
QByteArray encodeElement(char kind, int width, double value)
{
    QByteArray out(width, '\0');
    auto put = [&](auto typed) { std::memcpy(out.data(), &typed, sizeof typed); };
    if (kind == 'f' && width == 8)
        put(value);
    else if (kind == 'f' && width == 4)
        put(float(value));
    else if (kind == 'f' && width == 2) { // exact for small integers: sign, 5-bit exponent, 10-bit mantissa
        std::uint16_t bits = 0;
        double magnitude = std::fabs(value);
        if (magnitude != 0) {
            int exponent = int(std::floor(std::log2(magnitude)));
            const auto mantissa = std::uint16_t((magnitude / std::ldexp(1.0, exponent) - 1.0) * 1024);
            bits = std::uint16_t(((exponent + 15) << 10) | mantissa);
        }
        if (value < 0) bits |= 0x8000;
        put(bits);
    } else if (kind == 'i' && width == 1)
        put(std::int8_t(value));
    else if (kind == 'i' && width == 2)
        put(std::int16_t(value));
    else if (kind == 'i' && width == 4)
        put(std::int32_t(value));
    else if (kind == 'i' && width == 8)
        put(std::int64_t(value));
    else if (width == 1)
        put(std::uint8_t(value));
    else if (width == 2)
        put(std::uint16_t(value));
    else if (width == 4)
        put(std::uint32_t(value));
    else
        put(std::uint64_t(value));
    return out;
}

QByteArray npyFile(int version, const QByteArray& headerDict, const QByteArray& data)
{
    QByteArray header = headerDict;
    const int prefix = version == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 64)
        header += ' ';
    header += '\n';
    QByteArray out("\x93NUMPY", 6);
    out += char(version);
    out += char(0);
    const quint32 length = quint32(header.size());
    for (int b = 0; b < prefix - 8; ++b)
        out += char((length >> (8 * b)) & 0xff);
    return out + header + data;
}

} // namespace

class TestNpy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsEveryLayout_data();
    void readsEveryLayout();
    void readsOneDimensionalAndText();
    void writerRoundTripsAtomically();
    void rejectsMalformed_data();
    void rejectsMalformed();
};

void TestNpy::readsEveryLayout_data()
{
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<bool>("fortran");
    QTest::addColumn<int>("version");
    const QStringList dtypes = {"f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"};
    for (const QString& dtype : dtypes)
        for (bool big : {false, true})
            for (bool fortran : {false, true})
                for (int version : {1, 2, 3}) {
                    if (dtype.endsWith('1') && big) continue; // single bytes have no byte order
                    const QString name = QStringLiteral("%1 %2 %3 v%4")
                                             .arg(dtype, big ? "big" : "little", fortran ? "F" : "C")
                                             .arg(version);
                    QTest::newRow(qPrintable(name)) << dtype << big << fortran << version;
                }
}

void TestNpy::readsEveryLayout()
{
    QFETCH(QString, dtype);
    QFETCH(bool, bigEndian);
    QFETCH(bool, fortran);
    QFETCH(int, version);
    const char kind = dtype[0].toLatin1();
    const int width = dtype.mid(1).toInt();
    const bool boolean = kind == 'b';
    // Logical 2×3 matrix, row-major expected values; signed kinds include negatives.
    std::vector<double> expected = {0, 1, 2, 3, 4, 5};
    if (kind == 'i' || kind == 'f') expected = {-3, 1, 2, 3, -4, 5};
    if (boolean) expected = {1, 0, 1, 1, 0, 0};
    const std::vector<int> order =
        fortran ? std::vector<int>{0, 3, 1, 4, 2, 5} : std::vector<int>{0, 1, 2, 3, 4, 5};
    QByteArray data;
    for (int index : order) {
        QByteArray element = encodeElement(boolean ? 'u' : kind, width, expected[size_t(index)]);
        if (bigEndian) std::reverse(element.begin(), element.end());
        data += element;
    }
    const QByteArray descr = (width == 1 ? "|" : bigEndian ? ">" : "<") + dtype.toLatin1();
    const QByteArray dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                            ", 'shape': (2, 3), }";
    QTemporaryDir dir;
    const std::string path = testsupport::writeBytes(QDir(dir.path()), "a.npy", npyFile(version, dict, data));
    auto array = readNpy(path);
    QVERIFY2(array.ok(), array.ok() ? "" : array.error().message().c_str());
    QCOMPARE(array->shape, (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(array->sourceDtype, descr.toStdString());
    for (int i = 0; i < 6; ++i)
        QCOMPARE(array->valueAt(i), expected[size_t(i)]);
    const ElementKind expectedKind =
        kind == 'f' ? (width == 8 ? ElementKind::Float64 : ElementKind::Float32) : ElementKind::Int64;
    QCOMPARE(int(array->kind), int(expectedKind));
}

void TestNpy::readsOneDimensionalAndText()
{
    QTemporaryDir dir;
    QByteArray data;
    for (int v : {7, 8, 9})
        data += encodeElement('f', 4, v);
    auto vector = readNpy(testsupport::writeBytes(
        QDir(dir.path()), "v.npy",
        npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data)));
    QVERIFY(vector.ok());
    QCOMPARE(vector->shape, std::vector<std::int64_t>{3});
    QCOMPARE(vector->valueAt(2), 9.0);

    QByteArray text; // '<U4' holding "ab" and "éxyz" as UTF-32LE
    for (char32_t c : std::u32string(U"ab\0\0\u00e9xyz", 8))
        text += encodeElement('u', 4, double(c));
    auto strings = readNpy(testsupport::writeBytes(
        QDir(dir.path()), "s.npy",
        npyFile(3, "{'descr': '<U4', 'fortran_order': False, 'shape': (2,), }", text)));
    QVERIFY2(strings.ok(), strings.ok() ? "" : strings.error().message().c_str());
    QCOMPARE(int(strings->kind), int(ElementKind::String));
    QCOMPARE(strings->str, (std::vector<std::string>{"ab", "\xc3\xa9xyz"}));
}

void TestNpy::writerRoundTripsAtomically()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("out.npy").toStdString();
    QVERIFY(writeNpy(path, makeFloat32Array({2, 2}, {1.5f, -2.f, 3.f, 4.25f})).ok());
    QVERIFY(writeNpy(path, makeInt64Array({3}, {1, 2, 3})).ok()); // overwrite in place
    auto back = readNpy(path);
    QVERIFY(back.ok());
    QCOMPARE(back->i64, (std::vector<std::int64_t>{1, 2, 3}));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"out.npy"}); // no temporary left behind
    QVERIFY(!writeNpy(dir.filePath("missing/dir/x.npy").toStdString(), makeInt64Array({1}, {1})).ok());
    const std::vector<char> encoded = encodeNpy(makeFloat32Array({1, 1}, {1}));
    QCOMPARE(int((encoded.size() - 4) % 64), 0); // header padded so data is 64-byte aligned
}

void TestNpy::rejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reasonFragment");
    const QByteArray good =
        npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", QByteArray(16, '\0'));
    QTest::newRow("empty") << QByteArray() << "not a NumPy";
    QTest::newRow("wrong magic") << QByteArray("\x93NUMPZ\x01\x00\x10\x00{}", 12) << "not a NumPy";
    QTest::newRow("truncated data") << good.left(good.size() - 3) << "truncated";
    QTest::newRow("trailing bytes") << good + "xx"
                                    << "unexpected bytes";
    QTest::newRow("truncated header") << good.left(20) << "truncated";
    QTest::newRow("version 9") << npyFile(9, "{}", {}) << "version";
    QTest::newRow("absurd shape")
        << npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 4000000000), }", {})
        << "absurd shape";
    QTest::newRow("huge dimension")
        << npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", {})
        << "too large";
    QTest::newRow("structured dtype")
        << npyFile(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", QByteArray(4, 0))
        << "structured";
    QTest::newRow("complex dtype") << npyFile(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                                              QByteArray(8, 0))
                                   << "unsupported dtype";
    QTest::newRow("object dtype") << npyFile(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
                                             QByteArray(8, 0))
                                  << "unsupported dtype";
    QTest::newRow("missing key") << npyFile(1, "{'descr': '<f4', 'shape': (1,), }", QByteArray(4, 0))
                                 << "lacks";
    QTest::newRow("negative dim") << npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
                                             {})
                                  << "non-negative";
    QTest::newRow("not a dict") << npyFile(1, "[1, 2]", {}) << "not a dictionary";
    QTest::newRow("bad bool byte") << npyFile(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }",
                                              QByteArray(1, 7))
                                   << "boolean";
}

void TestNpy::rejectsMalformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reasonFragment);
    QTemporaryDir dir;
    const std::string path = testsupport::writeBytes(QDir(dir.path()), "bad.npy", bytes);
    auto array = readNpy(path);
    QVERIFY(!array.ok());
    const QString message = QString::fromStdString(array.error().message());
    QVERIFY2(message.contains(reasonFragment), qPrintable(message));
    QVERIFY2(message.startsWith(QString::fromStdString(path)), qPrintable(message)); // names the file
}

QTEST_GUILESS_MAIN(TestNpy)
#include "tst_npy.moc"
