// Text matrices, ID lists and the quoted TSV concept table.
#include "test_support.h"

#include "alignscope/delimited_table.h"
#include "alignscope/text_matrix.h"

using namespace alignscope;

class TestText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesMatrices_data();
    void parsesMatrices();
    void rejectsBadMatrices_data();
    void rejectsBadMatrices();
    void countsNonFiniteWhenAllowed();
    void parsesQuotedTables();
    void rejectsBadTables_data();
    void rejectsBadTables();
    void readsIdLists();
    void readsRealConceptTable();
};

void TestText::parsesMatrices_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("delimiter");
    QTest::addColumn<QStringList>("header");
    QTest::newRow("whitespace") << "1 2 3\n4  5\t6\n"
                                << "whitespace" << QStringList{};
    QTest::newRow("csv with header") << "a,b,c\n1,2,3\n4,5,6"
                                     << "comma" << QStringList{"a", "b", "c"};
    QTest::newRow("tsv with quoted header") << "\"x\"\t\"y\"\t\"z\"\n1\t2\t3\n4\t5\t6\n"
                                            << "tab" << QStringList{"x", "y", "z"};
    QTest::newRow("comments and blank lines") << "# made by hand\n\n1 2 3\n% matlab comment\n4 5 6\n\n"
                                              << "whitespace" << QStringList{};
    QTest::newRow("crlf and bom") << "\xEF\xBB\xBF"
                                     "1;2;3\r\n4;5;6\r\n"
                                  << "semicolon" << QStringList{};
    QTest::newRow("exponents and signs") << "1e0 +2 3.0\n4 5E0 0.6e1\n"
                                         << "whitespace" << QStringList{};
}

void TestText::parsesMatrices()
{
    QFETCH(QString, text);
    QFETCH(QString, delimiter);
    QFETCH(QStringList, header);
    auto matrix = parseTextMatrix(text.toStdString(), "m.txt");
    QVERIFY2(matrix.ok(), matrix.ok() ? "" : matrix.error().message().c_str());
    QCOMPARE(matrix->values.shape, (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(matrix->values.f64, (std::vector<double>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(QString(delimiterName(matrix->delimiter)), delimiter);
    QStringList gotHeader;
    for (const auto& h : matrix->header)
        gotHeader << QString::fromStdString(h);
    QCOMPARE(gotHeader, header);
}

void TestText::rejectsBadMatrices_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << "no numeric data";
    QTest::newRow("only comments") << QByteArray("# nothing\n") << "no numeric data";
    QTest::newRow("ragged") << QByteArray("1 2 3\n4 5\n") << "line 2: expected 3 columns, found 2";
    QTest::newRow("not a number") << QByteArray("1 2 3\n4 x 6\n") << "line 2, column 2: not a number";
    QTest::newRow("nan") << QByteArray("1 2 3\n4 nan 6\n") << "line 2, column 2: non-finite";
    QTest::newRow("inf") << QByteArray("1,2,-inf\n") << "line 1, column 3: non-finite";
    QTest::newRow("bad utf8") << QByteArray("1 2\n\xff\xfe 3\n") << "byte 4: invalid UTF-8";
    QTest::newRow("overlong utf8") << QByteArray("\xc0\xaf 1\n") << "invalid UTF-8";
    QTest::newRow("surrogate utf8") << QByteArray("\xed\xa0\x80 1\n") << "invalid UTF-8";
    QTest::newRow("truncated utf8") << QByteArray("1 2\xe2\x82") << "invalid UTF-8";
}

void TestText::rejectsBadMatrices()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    auto matrix = parseTextMatrix(text.toStdString(), "bad.txt");
    QVERIFY(!matrix.ok());
    const QString message = QString::fromStdString(matrix.error().message());
    QVERIFY2(message.startsWith("bad.txt") && message.contains(expected), qPrintable(message));
}

void TestText::countsNonFiniteWhenAllowed()
{
    TextMatrixOptions options;
    options.allowNonFinite = true;
    auto matrix = parseTextMatrix("1 nan\ninf 2\n", "m", options);
    QVERIFY(matrix.ok());
    QCOMPARE(matrix->nonFiniteCount, std::int64_t(2));
}

void TestText::parsesQuotedTables()
{
    const std::string text = "Word\tuniqueID\tSynonyms\n"
                             "aardvark\taardvark\t\"aardvark, ant_bear\"\n"
                             "quote\tquote_1\t\"say \"\"hi\"\"\ttabbed\"\n"
                             "multi\tmulti\t\"line one\nline two\"\n"
                             "empty\tempty_1\t\n";
    auto table = parseDelimitedTable(text, '\t', "c.tsv");
    QVERIFY2(table.ok(), table.ok() ? "" : table.error().message().c_str());
    QCOMPARE(table->rows.size(), size_t(4));
    QCOMPARE(table->rows[0][2], std::string("aardvark, ant_bear"));
    QCOMPARE(table->rows[1][2], std::string("say \"hi\"\ttabbed"));
    QCOMPARE(table->rows[2][2], std::string("line one\nline two"));
    QCOMPARE(table->rows[3][2], std::string());
    auto objects = stimuliFromConceptTable(*table, "c.tsv");
    QVERIFY(objects.ok());
    QCOMPARE(objects->size(), size_t(4));
    QCOMPARE(objects->indexOf("quote_1").value_or(99), size_t(1));
    QCOMPARE(objects->displayName(0), std::string("aardvark"));
}

void TestText::rejectsBadTables_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << "empty table";
    QTest::newRow("no uniqueID column") << QByteArray("Word\tid\nx\ty\n") << "no 'uniqueID' column";
    QTest::newRow("header only") << QByteArray("Word\tuniqueID\n") << "no objects";
    QTest::newRow("unterminated quote") << QByteArray("Word\tuniqueID\n\"x\ty\n") << "line 2: unterminated";
    QTest::newRow("field count") << QByteArray("Word\tuniqueID\nx\ty\tz\n")
                                 << "line 2: expected 2 fields, found 3";
    QTest::newRow("duplicate id") << QByteArray("Word\tuniqueID\nx\ta\ny\ta\n") << "duplicate object ID 'a'";
    QTest::newRow("empty id") << QByteArray("Word\tuniqueID\nx\t\n") << "empty object ID";
    QTest::newRow("bad utf8") << QByteArray("Word\tuniqueID\n\xc3\x28\ta\n") << "invalid UTF-8";
    QTest::newRow("text after quote")
        << QByteArray("Word\tuniqueID\n\"x\"y\ta\n") << "text after a closing quote";
}

void TestText::rejectsBadTables()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    auto table = parseDelimitedTable(text.toStdString(), '\t', "c.tsv");
    Result<StimulusSet> objects =
        table.ok() ? stimuliFromConceptTable(*table, "c.tsv") : Result<StimulusSet>(table.error());
    QVERIFY(!objects.ok());
    const QString message = QString::fromStdString(objects.error().message());
    QVERIFY2(message.startsWith("c.tsv") && message.contains(expected), qPrintable(message));
}

void TestText::readsIdLists()
{
    auto ids = parseIdList("  a \r\nb\n\nc\n", "ids.txt");
    QVERIFY(ids.ok());
    QCOMPARE(*ids, (std::vector<std::string>{"a", "b", "c"}));
    auto duplicate = parseIdList("a\nb\na\n", "ids.txt");
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().message(), std::string("ids.txt: line 3: duplicate ID 'a' (first on line 1)"));
    QVERIFY(!parseIdList("\n\n", "ids.txt").ok());
}

void TestText::readsRealConceptTable()
{
    const QString path = testsupport::sharedData("things/things_concepts.tsv");
    SKIP_WITHOUT_SHARED(path);
    auto objects = readThingsConcepts(path.toStdString());
    QVERIFY2(objects.ok(), objects.ok() ? "" : objects.error().message().c_str());
    QCOMPARE(objects->size(), size_t(1854));
    QCOMPARE(objects->id(0), std::string("aardvark"));
    QCOMPARE(objects->displayNames.size(), size_t(1854));
    QCOMPARE(objects->categories[0], std::string("animal"));
}

QTEST_GUILESS_MAIN(TestText)
#include "tst_text.moc"
