// The JSON reader used for manifests, cache entries and project files; the SHA-256 used for cache keys.
#include "test_support.h"

#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/result_json.h"
#include "alignscope/sha256.h"

#include <cmath>

using namespace alignscope;

class TestJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesValid_data();
    void parsesValid();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void roundTripsTheWriter();
    void conceptAccuracyLayout_data();
    void conceptAccuracyLayout();
    void sha256KnownAnswers_data();
    void sha256KnownAnswers();
};

void TestJson::parsesValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expectedString");
    QTest::addColumn<double>("expectedNumber");
    QTest::newRow("string") << R"({"a": "x"})"
                            << "a"
                            << "x" << 0.0;
    QTest::newRow("escapes") << R"({"a": "q\"\\\/\n\t"})"
                             << "a"
                             << "q\"\\/\n\t" << 0.0;
    QTest::newRow("unicode escape") << R"({"a": "\u00e9"})"
                                    << "a"
                                    << "é" << 0.0;
    QTest::newRow("surrogate pair") << R"({"a": "\ud83d\ude00"})"
                                    << "a"
                                    << "😀" << 0.0;
    QTest::newRow("number") << R"({"n": -12.5e-1})"
                            << "n"
                            << "" << -1.25;
    QTest::newRow("zero") << R"( {"n":0} )"
                          << "n"
                          << "" << 0.0;
    QTest::newRow("nested") << R"({"x": [1, {"y": null}], "n": 3})"
                            << "n"
                            << "" << 3.0;
}

void TestJson::parsesValid()
{
    QFETCH(QString, text);
    QFETCH(QString, key);
    QFETCH(QString, expectedString);
    QFETCH(double, expectedNumber);
    auto value = parseJson(text.toStdString(), "t.json");
    QVERIFY2(value, value ? "" : value.error().message().c_str());
    const JsonValue* member = value->find(key.toStdString());
    QVERIFY(member);
    if (member->isString())
        QCOMPARE(QString::fromStdString(member->string), expectedString);
    else
        QCOMPARE(member->number, expectedNumber);
}

void TestJson::rejectsInvalid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray("")
                           << "line 1, column 1: syntax error while parsing value - unexpected end of input";
    QTest::newRow("trailing comma") << QByteArray("[1,]") << "unexpected ']'";
    QTest::newRow("unterminated string") << QByteArray("{\"a\": \"x") << "missing closing quote";
    QTest::newRow("duplicate key") << QByteArray("{\"a\":1,\"a\":2}") << "duplicate key 'a'";
    QTest::newRow("garbage after") << QByteArray("{} x") << "expected end of input";
    QTest::newRow("leading zero") << QByteArray("01") << "expected end of input";
    QTest::newRow("lone surrogate") << QByteArray("\"\\udc00\"")
                                    << "surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF";
    QTest::newRow("control char") << QByteArray("\"a\tb\"") << "control character U+0009";
    QTest::newRow("bad utf8") << QByteArray("\"\xff\"") << "ill-formed UTF-8 byte";
    QTest::newRow("second line") << QByteArray("{\n  \"a\" 1}") << "line 2, column 7";
    QTest::newRow("too deep") << QByteArray(300, '[') << "nesting is too deep";
    QTest::newRow("huge number") << QByteArray("1e999") << "number overflow";
}

void TestJson::rejectsInvalid()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    auto value = parseJson(text.toStdString(), "t.json");
    QVERIFY(!value);
    const QString message = QString::fromStdString(value.error().message());
    QVERIFY2(message.startsWith("t.json") && message.contains(expected), qPrintable(message));
}

void TestJson::roundTripsTheWriter()
{
    JsonWriter writer;
    writer.beginObject()
        .key("name")
        .value("a \"b\"\n")
        .key("x")
        .value(0.1)
        .key("list")
        .beginArray()
        .value(1)
        .value(true)
        .null()
        .endArray()
        .endObject();
    auto value = parseJson(writer.text(), "w.json");
    QVERIFY(value);
    QCOMPARE(value->stringOr("name"), std::string("a \"b\"\n"));
    QCOMPARE(value->numberOr("x", 0), 0.1);
    QCOMPARE(value->find("list")->array.size(), size_t(3));
}

void TestJson::sha256KnownAnswers_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("digest");
    QTest::newRow("empty") << QByteArray()
                           << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc")
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("two blocks") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("million a") << QByteArray(1000000, 'a')
                               << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
}

void TestJson::sha256KnownAnswers()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, digest);
    QCOMPARE(QString::fromStdString(sha256Hex(input.toStdString())), digest);
}

// One per-concept layout for the CLI and projects; projects saved before it ("triplets", "correct") still
// read.
void TestJson::conceptAccuracyLayout_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("nanAccuracy");
    ConceptAccuracy written{7, "animal", 120, 80, 80.0 / 120, {0.6, 0.72}};
    JsonWriter writer;
    writeConceptAccuracy(writer, written);
    QTest::newRow("shared layout") << QString::fromStdString(writer.text()) << false;
    QTest::newRow("old project layout")
        << R"({"dimension":7,"label":"animal","triplets":120,"correct":80,"accuracy":0.6666666666666666,"ci95":[0.6,0.72]})"
        << false;
    ConceptAccuracy empty{7, "animal", 120, 80, std::nan(""), {std::nan(""), std::nan("")}};
    JsonWriter nanWriter;
    writeConceptAccuracy(nanWriter, empty);
    QTest::newRow("no triplets: NaN as null") << QString::fromStdString(nanWriter.text()) << true;
}

void TestJson::conceptAccuracyLayout()
{
    QFETCH(QString, text);
    QFETCH(bool, nanAccuracy);
    auto value = parseJson(text.toStdString(), "concept.json");
    QVERIFY(value);
    const ConceptAccuracy read = readConceptAccuracy(*value);
    QCOMPARE(read.dimension, 7);
    QCOMPARE(read.label, std::string("animal"));
    QCOMPARE(read.triplets, std::int64_t(120));
    QCOMPARE(read.correct, std::int64_t(80));
    QCOMPARE(std::isnan(read.accuracy), nanAccuracy);
    QCOMPARE(std::isnan(read.ci95.low), nanAccuracy);
    if (!nanAccuracy) {
        QCOMPARE(read.accuracy, 80.0 / 120);
        QCOMPARE(read.ci95.high, 0.72);
    }
}

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
