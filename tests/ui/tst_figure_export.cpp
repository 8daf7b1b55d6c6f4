// Figure and table export from the demo: PNG has the requested pixel size and DPI, SVG parses with a viewBox
// and the expected elements, PDF holds vector text (pdftotext finds axis labels) on the requested page size;
// CSV/LaTeX tables and the methods paragraph state what was computed. Golden images are drawn from fixed
// values (never from a computation whose last digits depend on the CPU); figures are written through core's
// checked atomic write (FIFOs and devices refused, a full disk keeps the old file).
#include "file_size_limit.h"
#include "test_support.h"
#include "ui_test_support.h"

#include "charts/concept_bars_chart.h"
#include "charts/object_maps_chart.h"
#include "charts/population_chart.h"
#include "charts/probe_curves.h"
#include "charts/table_figure.h"
#include "charts/triplet_grid_figure.h"
#include "controllers/object_alignment_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/population_controller.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "demo_session.h"
#include "export/figure_registry.h"
#include "export/table_export.h"

#include "alignscope/concept_breakdown.h"
#include "alignscope/datasets.h"
#include "alignscope/model_metadata.h"
#include "main_window.h"
#include "pages/compare_page.h"
#include "pages/concepts_page.h"
#include "pages/object_inspector.h"
#include "pages/objects_page.h"
#include "pages/results_page.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "session/task_runner.h"

#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <algorithm>
#include <cstring>
#include <sys/stat.h>
#include <sys/sysmacros.h>

using namespace alignscope;

class TestFigureExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pngHasRequestedSize_data();
    void pngHasRequestedSize();
    void svgParsesWithExpectedElements_data();
    void svgParsesWithExpectedElements();
    void svgDrawsTextAsOutlines_data();
    void svgDrawsTextAsOutlines();
    void pdfIsVectorWithPageSize_data();
    void pdfIsVectorWithPageSize();
    void printLayout_data();
    void printLayout();
    void populationFigureLayout_data();
    void populationFigureLayout();
    void leftOutModelsAreNamedOnThePage_data();
    void leftOutModelsAreNamedOnThePage();
    void figuresEmbedTheBundledFont_data();
    void figuresEmbedTheBundledFont();
    void conceptBarsHaveEveryBar_data();
    void conceptBarsHaveEveryBar();
    void namesAppearWhole_data();
    void namesAppearWhole();
    void viceLabelsAppearWhole_data();
    void viceLabelsAppearWhole();
    void viceSizedConceptBars_data();
    void viceSizedConceptBars();
    void formatsShareOneLayout_data();
    void formatsShareOneLayout();
    void matchesGoldenImages_data();
    void matchesGoldenImages();
    void plainValuesDrawHeadless_data();
    void plainValuesDrawHeadless();
    void tablesAndMethods();
    void badPathIsReported();
    void writeTargetsAreChecked_data();
    void writeTargetsAreChecked();
    void fullDiskKeepsTheOldFigures();

private:
    void showFixedData(MainWindow& window);

    QTemporaryDir m_dir;
    QTemporaryDir m_cache;
    MainWindow* m_window = nullptr;
    MainWindow* m_fixed = nullptr; // every page showing fixed values, for the golden images
    FigureStyle m_style;
    // The fixture's style at another page size.
    FigureStyle styleAt(double widthMm, double heightMm) const
    {
        FigureStyle style = m_style;
        style.widthMm = widthMm;
        style.heightMm = heightMm;
        return style;
    }
};

void TestFigureExport::initTestCase()
{
    qputenv("ALIGNSCOPE_CACHE_DIR", m_cache.path().toUtf8());
    // To look at what was exported: ALIGNSCOPE_KEEP_FIGURES=1 keeps the folder and names it.
    if (qEnvironmentVariableIsSet("ALIGNSCOPE_KEEP_FIGURES")) {
        m_dir.setAutoRemove(false);
        qInfo("figures kept in %s", qPrintable(m_dir.filePath("figures")));
    }
    m_window = new MainWindow;
    m_window->setInteractive(false);
    m_window->resize(1400, 950);
    m_window->show();
    DemoSession* demo = m_window->openDemo(m_dir.filePath("demo"));
    QSignalSpy ready(demo, &DemoSession::ready);
    QVERIFY(ready.wait(180000) || demo->isReady());
    // The Objects page's figures (inspector, maps) are computed when asked for, as --export-figures asks.
    m_window->workbench()->objectAlignment()->request(0);
    QVERIFY(testsupport::waitSettled(*m_window->workbench(), 180000));
    m_style.widthMm = 88;
    m_style.heightMm = 66;
    m_style.dpi = 300;
    QStringList errors;
    const QStringList written = m_window->figures()->exportFigures(m_dir.filePath("figures"), {},
                                                                   {"png", "svg", "pdf"}, m_style, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    QCOMPARE(written.size(), int(m_window->figures()->figures().size()) * 3);
    QCOMPARE(m_window->figures()->figures().size(), size_t(15)); // every page registered its figures
}

void TestFigureExport::cleanupTestCase()
{
    delete m_fixed;
    delete m_window;
}

void TestFigureExport::pngHasRequestedSize_data()
{
    QTest::addColumn<QString>("figure");
    for (const char* figure :
         {"results-table", "concept-bars", "triplets", "rsa-table", "rdm-human", "scatter", "probe-curves"})
        QTest::newRow(figure) << figure;
}

void TestFigureExport::pngHasRequestedSize()
{
    QFETCH(QString, figure);
    const QImage image(m_dir.filePath("figures/" + figure + ".png"));
    QCOMPARE(image.size(), QSize(1039, 780)); // 88 × 66 mm at 300 dpi
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 300);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 5, qPrintable(QString::number(colours.size()))); // not blank
}

void TestFigureExport::svgParsesWithExpectedElements_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<QString>("expectedText");
    QTest::addColumn<QString>("expectedElement");
    QTest::addColumn<int>("minimumCount");
    QTest::newRow("concept bars: bars") << "concept-bars"
                                        << ""
                                        << "rect" << 36;
    QTest::newRow("probe curves: axis") << "probe-curves"
                                        << ""
                                        << "path" << 3;
    // 60 stimuli: small enough for one vector rectangle per cell.
    QTest::newRow("human RDM: vector cells") << "rdm-human"
                                             << ""
                                             << "rect" << 60 * 60;
    // Text is drawn as glyph outlines (svgDrawsTextAsOutlines): a table's words are paths.
    QTest::newRow("results table: cells as outlines") << "results-table"
                                                      << ""
                                                      << "path" << 10;
    QTest::newRow("RSA table: cells as outlines") << "rsa-table"
                                                  << ""
                                                  << "path" << 10;
}

void TestFigureExport::svgParsesWithExpectedElements()
{
    QFETCH(QString, figure);
    QFETCH(QString, expectedText);
    QFETCH(QString, expectedElement);
    QFETCH(int, minimumCount);
    QFile file(m_dir.filePath("figures/" + figure + ".svg"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    int count = 0;
    QString viewBox, allText;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
            viewBox = xml.attributes().value("viewBox").toString();
        if (xml.isStartElement() && xml.name() == expectedElement) ++count;
        if (xml.isCharacters()) allText += xml.text();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    const QStringList box = viewBox.split(' ', Qt::SkipEmptyParts);
    QCOMPARE(box.size(), 4);
    QVERIFY(std::abs(box[2].toDouble() - 88 / 25.4 * 72) < 1.0);
    QVERIFY(std::abs(box[3].toDouble() - 66 / 25.4 * 72) < 1.0);
    QVERIFY2(count >= minimumCount, qPrintable(QString("%1 <%2> elements").arg(count).arg(expectedElement)));
    if (!expectedText.isEmpty()) QVERIFY2(allText.contains(expectedText), qPrintable(allText.left(300)));
}

// An SVG must look the same whatever fonts its reader has: every figure's text is drawn as glyph outlines, so
// no <text> element (and so no font-family a reader must have) is left; formatsShareOneLayout checks that the
// outlines stand where the PNG's text does.
void TestFigureExport::svgDrawsTextAsOutlines_data()
{
    QTest::addColumn<QString>("figure");
    for (const NamedFigure& figure : m_window->figures()->figures())
        QTest::newRow(qPrintable(figure.name)) << figure.name;
}

void TestFigureExport::svgDrawsTextAsOutlines()
{
    QFETCH(QString, figure);
    QFile file(m_dir.filePath("figures/" + figure + ".svg"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    int texts = 0, paths = 0;
    QString firstText;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        if (xml.name() == QLatin1String("path")) ++paths;
        if (xml.name() == QLatin1String("text")) {
            if (texts++ == 0) firstText = xml.readElementText();
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY2(texts == 0, qPrintable(QString("%1 <text> elements, the first '%2'").arg(texts).arg(firstText)));
    QVERIFY2(paths > 0, "no outlines drawn");
    qInfo("%s.svg: %lld bytes", qPrintable(figure), qlonglong(file.size()));
}

void TestFigureExport::pdfIsVectorWithPageSize_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<QString>("expectedText");
    QTest::newRow("concept bars") << "concept-bars"
                                  << "accuracy";
    QTest::newRow("probe curves") << "probe-curves"
                                  << "step";
    QTest::newRow("results table") << "results-table"
                                   << "shape_moments";
}

void TestFigureExport::pdfIsVectorWithPageSize()
{
    QFETCH(QString, figure);
    QFETCH(QString, expectedText);
    const QString pdf = m_dir.filePath("figures/" + figure + ".pdf");
    QProcess text;
    text.start("pdftotext", {pdf, "-"});
    if (!text.waitForStarted())
        QSKIP("pdftotext (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    QVERIFY(text.waitForFinished());
    const QString extracted = QString::fromUtf8(text.readAllStandardOutput());
    QVERIFY2(extracted.contains(expectedText, Qt::CaseInsensitive), qPrintable(extracted.left(400)));
    QProcess info;
    info.start("pdfinfo", {pdf});
    QVERIFY(info.waitForFinished());
    const QString details = QString::fromUtf8(info.readAllStandardOutput());
    // 88 × 66 mm = 249.4 × 187.1 pt; Qt stores custom page sizes in whole points.
    QVERIFY2(QRegularExpression("Page size:\\s+249(\\.\\d+)? x 187(\\.\\d+)? pts").match(details).hasMatch(),
             qPrintable(details));
}

// Every figure's print layout at a single and a double column: every word on the page, no two words
// overlapping (pdftotext's word boxes), no ellipsis, and the words that say what it shows.
void TestFigureExport::printLayout_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<double>("widthMm");
    QTest::addColumn<double>("heightMm");
    QTest::addColumn<QStringList>("expected"); // besides the ones added from the analysis below
    const std::pair<const char*, QStringList> figures[] = {
        {"concept-bars", {"accuracy", "chance", "noise", "ceiling"}},
        {"probe-curves", {"loss", "step", "held", "out", "fold", "1", "train"}},
        {"scatter", {"human", "model", "dissimilarity"}},
        {"results-table", {"Model", "Accuracy", "colour_histogram"}},
        {"rsa-table", {"Dataset", "spearman", "shape_moments"}},
        {"rdm-human", {"Human", "RDM", "dissimilarity", "stimuli"}},
        {"rdm-model", {"Model", "RDM:", "dissimilarity", "stimuli"}},
        {"rdm-difference", {"Rank", "difference", "stimuli"}},
        {"triplets", {"p(odd)", "triplet", "human", "odd", "one", "out"}}};
    for (const auto& [figure, words] : figures)
        for (auto [width, height] : {std::pair{88.0, 66.0}, {180.0, 120.0}})
            QTest::addRow("%s, %g × %g mm", figure, width, height)
                << QString(figure) << width << height << words;
}

namespace {

// One journal column and a double column: the page sizes every print figure is checked at.
void addJournalPageRows()
{
    QTest::addColumn<double>("widthMm");
    QTest::addColumn<double>("heightMm");
    QTest::newRow("88 × 66 mm") << 88.0 << 66.0;
    QTest::newRow("180 × 120 mm") << 180.0 << 120.0;
}

// The words of a PDF figure (pdftotext's word boxes) and its page size; fails the test when a word leaves the
// page, two words overlap or a word is elided. Empty and `skipped` when pdftotext is missing.
std::vector<std::pair<QRectF, QString>> checkedWords(const QString& pdf, QSizeF* pageSize, bool* skipped)
{
    std::vector<std::pair<QRectF, QString>> words;
    QProcess text;
    text.start("pdftotext", {"-bbox", pdf, "-"});
    *skipped = !text.waitForStarted();
    if (*skipped) return words;
    text.waitForFinished();
    const QString html = QString::fromUtf8(text.readAllStandardOutput());
    const auto pageMatch = QRegularExpression(R"re(<page width="([\d.]+)" height="([\d.]+)")re").match(html);
    const QRectF page(0, 0, pageMatch.captured(1).toDouble(), pageMatch.captured(2).toDouble());
    *pageSize = page.size();
    const QRegularExpression wordPattern(
        R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    for (auto match = wordPattern.globalMatch(html); match.hasNext();) {
        const auto m = match.next();
        words.push_back({QRectF(QPointF(m.captured(1).toDouble(), m.captured(2).toDouble()),
                                QPointF(m.captured(3).toDouble(), m.captured(4).toDouble())),
                         m.captured(5)});
    }
    for (size_t i = 0; i < words.size(); ++i) {
        [&] {
            QVERIFY2(page.adjusted(-0.5, -0.5, 0.5, 0.5).contains(words[i].first),
                     qPrintable(words[i].second + " leaves the page"));
            QVERIFY2(!words[i].second.contains(QChar(0x2026)) && !words[i].second.contains("..."),
                     qPrintable(words[i].second));
            for (size_t j = i + 1; j < words.size(); ++j) {
                const QRectF overlap = words[i].first.intersected(words[j].first);
                QVERIFY2(overlap.width() * overlap.height() < 1.0,
                         qPrintable(words[i].second + " overlaps " + words[j].second));
            }
        }();
        if (QTest::currentTestFailed()) break;
    }
    return words;
}

} // namespace

void TestFigureExport::printLayout()
{
    QFETCH(QString, figure);
    QFETCH(double, widthMm);
    QFETCH(double, heightMm);
    QFETCH(QStringList, expected);
    FigureStyle style = styleAt(widthMm, heightMm);
    const QString folder = m_dir.filePath(QString("layout-%1").arg(widthMm));
    QStringList errors;
    QCOMPARE(m_window->figures()->exportFigures(folder, {figure}, {"pdf"}, style, &errors).size(), 1);
    bool skipped = false;
    QSizeF page;
    const auto words = checkedWords(QDir(folder).filePath(figure + ".pdf"), &page, &skipped);
    if (skipped) QSKIP("pdftotext (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    if (QTest::currentTestFailed()) return;
    QVERIFY2(std::abs(page.height() - style.heightPoints()) < 1, "the demo's figures fit the page asked for");
    QStringList texts;
    for (const auto& word : words)
        texts << word.second.normalized(QString::NormalizationForm_KC); // "ﬀ" ligatures as "ff"
    const auto analysis = m_window->workbench()->oddOneOut()->analysis();
    if (figure == "concept-bars") {
        for (const auto& concept : analysis->models.front().perConcept)
            expected << QString::fromStdString(concept.label).split(' ');
        for (const auto& model : analysis->models)
            expected << QString::fromStdString(model.name).split(' ');
    }
    for (const QString& word : expected)
        QVERIFY2(texts.contains(word), qPrintable(word + " missing from: " + texts.join(' ')));
}

// The Compare page's figures at a single and a double column: every word on the page and whole
// (checkedWords), every model of the heatmap named under its column (the figure may grow taller for them, and
// says so), every group in the legend, the transfer matrix's names unbroken and its matrix using the page; no
// diagnostic text
// ("Without values: …", a "(no value)" group) inside a figure.
void TestFigureExport::populationFigureLayout_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<double>("widthMm");
    QTest::addColumn<double>("heightMm");
    for (const char* figure :
         {"compare-scatter", "compare-by-factor", "compare-concepts", "compare-transfer"})
        for (auto [width, height] : {std::pair{88.0, 66.0}, {180.0, 120.0}})
            QTest::addRow("%s, %g × %g mm", figure, width, height) << QString(figure) << width << height;
}

void TestFigureExport::populationFigureLayout()
{
    QFETCH(QString, figure);
    QFETCH(double, widthMm);
    QFETCH(double, heightMm);
    FigureStyle style = styleAt(widthMm, heightMm);
    style.dpi = 50;
    const QString folder = m_dir.filePath(QString("population-%1").arg(widthMm));
    QStringList errors, notes;
    QCOMPARE(
        m_window->figures()->exportFigures(folder, {figure}, {"pdf", "png"}, style, &errors, &notes).size(),
        2);
    bool skipped = false;
    QSizeF page;
    const auto words = checkedWords(QDir(folder).filePath(figure + ".pdf"), &page, &skipped);
    if (skipped) QSKIP("pdftotext (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    if (QTest::currentTestFailed()) return;
    QStringList texts;
    for (const auto& word : words)
        texts << word.second.normalized(QString::NormalizationForm_KC);
    const bool grew = page.height() > style.heightPoints() + 1;
    QVERIFY2(!grew || notes.join(' ').contains("taller"), qPrintable(notes.join(' ')));
    QStringList expected;
    const PopulationController* population = m_window->workbench()->population();
    const ModelPopulation& models = population->population();
    const ModelMetadata& metadata = population->metadata();
    if (figure == "compare-concepts") {
        const MetadataColumn* grouping =
            metadata.column(m_window->findChild<ComparePage*>()->selection().groupBy.toStdString());
        QVERIFY(grouping);
        const std::vector<std::string> labels = models.conceptLabels();
        QVERIFY(!labels.empty());
        for (size_t m = 0; m < models.models.size(); ++m) {
            const bool hasConcepts = std::any_of(labels.begin(), labels.end(), [&](const std::string& label) {
                return models.value(models.models[m], "concept:" + label).has_value();
            });
            // A model without a level of the grouping column is drawn too, after the groups.
            if (hasConcepts) expected << QString::fromStdString(models.models[m]).split(' ');
        }
        QVERIFY(expected.size() >= 10);
        for (const std::string& level : grouping->text)
            if (!level.empty() && !expected.contains(QString::fromStdString(level)))
                expected << QString::fromStdString(level); // the group strip's legend
        for (const std::string& label : labels)
            expected << QString::fromStdString(label).split(' ');
        QVERIFY2(!texts.contains("(no"), qPrintable(texts.join(' ')));
    }
    if (figure == "compare-transfer") {
        const std::vector<TransferCell> cells = population->transferCells();
        QVERIFY(!cells.empty());
        for (const TransferCell& cell : cells)
            expected << cell.model.split(' ') << cell.analysis.split(' ');
        // The matrix uses the page: what is drawn spans it from top to bottom, not a strip at its top.
        const QImage png(QDir(folder).filePath(figure + ".png"));
        int first = -1, last = -1;
        for (int y = 0; y < png.height(); ++y)
            for (int x = 0; x < png.width(); ++x)
                if (png.pixelColor(x, y).lightness() < 200) {
                    first = first < 0 ? y : first;
                    last = y;
                    break;
                }
        QVERIFY2(
            last - first > png.height() * 0.8,
            qPrintable(QString("drawn on pixel rows %1 to %2 of %3").arg(first).arg(last).arg(png.height())));
    }
    for (const char* diagnostic : {"Without", "(no", "value)"})
        QVERIFY2(!texts.contains(diagnostic), qPrintable(diagnostic + (" in: " + texts.join(' '))));
    for (const QString& word : expected)
        QVERIFY2(texts.contains(word), qPrintable(word + " missing from: " + texts.join(' ')));
}

// Models a figure leaves out (no value, no level of the grouping column) are named in the Compare page's
// warning, since the figure itself carries no diagnostic text. The concepts heatmap draws a model without a
// level of its grouping column after the groups: it leaves none of the demo's out.
void TestFigureExport::leftOutModelsAreNamedOnThePage_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<bool>("leavesOut"); // the demo's workspace models, which have no model-table row
    QTest::newRow("scatter") << int(PopulationView::Scatter) << true;
    QTest::newRow("by factor") << int(PopulationView::ByFactor) << true;
    QTest::newRow("concepts × models") << int(PopulationView::Concepts) << false;
}

void TestFigureExport::leftOutModelsAreNamedOnThePage()
{
    QFETCH(int, view);
    QFETCH(bool, leavesOut);
    auto* page = m_window->findChild<ComparePage*>();
    const PopulationSelection before = page->selection();
    PopulationSelection shown = before;
    shown.view = PopulationView(view);
    page->setSelection(shown);
    const QStringList leftOut = page->chart()->figureData().modelsWithoutValues;
    const QString warning = page->warningText();
    page->setSelection(before);
    QCOMPARE(!leftOut.isEmpty(), leavesOut);
    QCOMPARE(warning.contains("Not in the figure"), leavesOut);
    for (const QString& model : leftOut)
        QVERIFY2(warning.contains(model), qPrintable(model + " not named in: " + warning));
}

namespace {

// pdffonts' table of `pdf`: per font, its name and whether it is embedded.
QStringList pdfFonts(const QString& pdf, bool* skipped)
{
    QProcess fonts;
    fonts.start("pdffonts", {pdf});
    *skipped = !fonts.waitForStarted();
    if (*skipped) return {};
    fonts.waitForFinished();
    QStringList rows = QString::fromUtf8(fonts.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    return rows.mid(2); // after the header and its rule
}

} // namespace

// The figure font ships with AlignScope and is registered at start: figures are laid out with it and PDFs
// embed it, also where fontconfig knows no DejaVu at all (an empty configuration, as on a machine without
// fonts-dejavu): the CLI's figure module then draws the same words at the same places.
void TestFigureExport::figuresEmbedTheBundledFont_data()
{
    QTest::addColumn<QString>(
        "fontconfig"); // "system", or "empty": FONTCONFIG_FILE names a config with no fonts
    QTest::newRow("system fonts") << "system";
    QTest::newRow("no system fonts (empty fontconfig)") << "empty";
}

void TestFigureExport::figuresEmbedTheBundledFont()
{
    QFETCH(QString, fontconfig);
    QVERIFY(QFile::exists(":/alignscope/fonts/DejaVuSans.ttf"));
    QCOMPARE(QFontInfo(m_style.font()).family(), figureFontFamily());
    QCOMPARE(figureFontFamily(), QString("DejaVu Sans"));
    const QString cli = qEnvironmentVariable("ALIGNSCOPE_CLI");
    if (cli.isEmpty()) QSKIP("ALIGNSCOPE_CLI is not set (ctest sets it)");
    QTemporaryDir dir;
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (fontconfig == "empty") {
        testsupport::writeBytes(QDir(dir.path()), "fonts.conf",
                                "<?xml version=\"1.0\"?>\n<fontconfig><cachedir>" +
                                    dir.filePath("cache").toUtf8() + "</cachedir></fontconfig>\n");
        environment.insert("FONTCONFIG_FILE", dir.filePath("fonts.conf"));
    }
    process.setProcessEnvironment(environment);
    const QString population = m_dir.filePath("demo/population/");
    const QString pdf = dir.filePath("concepts.pdf");
    process.start(cli,
                  {"compare", "--results", population + "results.json", "--meta", population + "models.csv",
                   "--metric", "accuracy", "--by", "training_data", "--figure", pdf, "--view", "concepts"});
    QVERIFY(process.waitForFinished(120000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    bool skipped = false;
    const QStringList fonts = pdfFonts(pdf, &skipped);
    if (skipped) QSKIP("pdffonts (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    QVERIFY2(!fonts.isEmpty(), "no font in the PDF");
    for (const QString& row : fonts) {
        const QStringList fields = row.split(' ', Qt::SkipEmptyParts);
        QVERIFY2(fields.value(0).contains("DejaVuSans"), qPrintable(row));
        QVERIFY2(fields.size() > 4 && fields[fields.size() - 5] == "yes", qPrintable(row)); // "emb" column
    }
    // The same layout as with the system's fonts: word for word, place for place.
    QSizeF page;
    const auto words = checkedWords(pdf, &page, &skipped);
    if (QTest::currentTestFailed()) return;
    const QString reference = dir.filePath("reference.pdf");
    QProcess again;
    again.start(cli, {"compare", "--results", population + "results.json", "--meta",
                      population + "models.csv", "--metric", "accuracy", "--by", "training_data", "--figure",
                      reference, "--view", "concepts"});
    QVERIFY(again.waitForFinished(120000));
    const auto expected = checkedWords(reference, &page, &skipped);
    QCOMPARE(words.size(), expected.size());
    for (size_t i = 0; i < words.size(); ++i) {
        QCOMPARE(words[i].second, expected[i].second);
        QVERIFY2((words[i].first.topLeft() - expected[i].first.topLeft()).manhattanLength() < 0.01,
                 qPrintable(words[i].second + " moved"));
    }
}

// One bar of non-zero length per model and concept, in the model's colour, plus the model's legend swatch
// (read from the SVG's filled rectangles).
void TestFigureExport::conceptBarsHaveEveryBar_data()
{
    addJournalPageRows();
}

void TestFigureExport::conceptBarsHaveEveryBar()
{
    QFETCH(double, widthMm);
    QFETCH(double, heightMm);
    FigureStyle style = styleAt(widthMm, heightMm);
    const QString folder = m_dir.filePath(QString("bars-%1").arg(widthMm));
    QStringList errors;
    QCOMPARE(m_window->figures()->exportFigures(folder, {"concept-bars"}, {"svg"}, style, &errors).size(), 1);
    QFile file(QDir(folder).filePath("concept-bars.svg"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QStringList fills; // the fill of each enclosing <g>
    QMap<QString, int> filledRects;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("g"))
            fills << xml.attributes().value("fill").toString();
        else if (xml.isEndElement() && xml.name() == QLatin1String("g"))
            fills.removeLast();
        else if (xml.isStartElement() && xml.name() == QLatin1String("rect") && !fills.isEmpty() &&
                 fills.last() != "#ffffff" && fills.last() != "none" &&
                 xml.attributes().value("width").toDouble() > 0.5 &&
                 xml.attributes().value("height").toDouble() > 0.5)
            ++filledRects[fills.last()];
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    const auto analysis = m_window->workbench()->oddOneOut()->analysis();
    const int models = int(analysis->models.size()),
              concepts = int(analysis->models.front().perConcept.size());
    QVERIFY(models >= 2 && concepts >= 2);
    QCOMPARE(filledRects.size(), models); // one colour per model
    for (auto it = filledRects.begin(); it != filledRects.end(); ++it)
        QVERIFY2(it.value() == concepts + 1,
                 qPrintable(QString("%1: %2 filled rectangles, expected %3 bars + a swatch")
                                .arg(it.key())
                                .arg(it.value())
                                .arg(concepts)));
}

// 42 VICE-like dimensions with long labels ("9: ski lift, stretcher, swing") and three models fit a double
// column: every label whole and inside its row (rows continue in further panels), every model named.
void TestFigureExport::viceSizedConceptBars_data()
{
    QTest::addColumn<double>("widthMm");
    QTest::addColumn<double>("heightMm");
    QTest::addColumn<bool>("grows"); // 42 labels do not fit the page asked for: the figure grows taller
    QTest::newRow("180 × 120 mm") << 180.0 << 120.0 << false;
    QTest::newRow("180 × 180 mm") << 180.0 << 180.0 << false;
    QTest::newRow("88 × 66 mm, grows") << 88.0 << 66.0 << true;
}

void TestFigureExport::viceSizedConceptBars()
{
    QFETCH(double, widthMm);
    QFETCH(double, heightMm);
    QFETCH(bool, grows);
    const char* objects[] = {
        "ski lift",     "stretcher", "swing",   "laptop", "hard disk", "cash machine",     "eyepiece",
        "exhaust pipe", "eye",       "compost", "wall",   "hedge",     "hot-water bottle", "tape"};
    auto analysis = std::make_shared<OddOneOutAnalysis>();
    for (const char* name : {"clip_vit_l14_visual", "resnet50_imagenet1k", "random_512"}) {
        ModelAnalysis& model = analysis->models.emplace_back();
        model.name = name;
        for (int d = 0; d < 42; ++d) {
            const std::string label = std::to_string(d) + ": " + objects[d % 14] + ", " +
                                      objects[(d + 5) % 14] + ", " + objects[(d + 9) % 14];
            const double accuracy = 0.3 + 0.01 * ((d * 7 + int(analysis->models.size()) * 13) % 40);
            model.perConcept.push_back(
                {d, label, 500, std::int64_t(500 * accuracy), accuracy, {accuracy - 0.04, accuracy + 0.04}});
        }
    }
    analysis->repeats.noiseCeiling = 0.673;
    ConceptBarsChart chart;
    chart.setAnalysis(analysis);
    QCOMPARE(chart.shownDimensions().size(), size_t(42));
    FigureRegistry registry;
    registry.add({"vice", "VICE-sized concept bars", chart.figure(), chart.figureHeight()}, &chart);
    FigureStyle style = styleAt(widthMm, heightMm);
    const QString folder = m_dir.filePath(QString("vice-%1x%2").arg(widthMm).arg(heightMm));
    QStringList errors, notes;
    QCOMPARE(registry.exportFigures(folder, {}, {"pdf"}, style, &errors, &notes).size(), 1);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    QCOMPARE(notes.size(), grows ? 1 : 0);
    bool skipped = false;
    QSizeF page;
    const auto words = checkedWords(QDir(folder).filePath("vice.pdf"), &page, &skipped);
    if (skipped) QSKIP("pdftotext (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    if (QTest::currentTestFailed()) return;
    QVERIFY2(std::abs(page.width() - style.widthPoints()) < 1, qPrintable(QString::number(page.width())));
    if (grows)
        QVERIFY2(page.height() > style.heightPoints() + 10, qPrintable(notes.join(' ')));
    else
        QVERIFY2(std::abs(page.height() - style.heightPoints()) < 1,
                 qPrintable(QString::number(page.height())));
    QString all;
    for (const auto& word : words)
        all += word.second + ' ';
    for (int d = 0; d < 42; ++d)
        QVERIFY2(all.contains(QString::number(d) + ": "), qPrintable(QString::number(d) + " missing"));
    for (const auto& model : analysis->models)
        QVERIFY(all.contains(QString::fromStdString(model.name)));
}

namespace {

// Names that a figure must show whole: every word of each name is a word of the PDF (pdftotext's word
// boxes), so a name may wrap at its spaces but is never elided (checkedWords) or broken inside a word.
void checkNamesWhole(const std::vector<std::pair<QRectF, QString>>& words, const QStringList& names)
{
    QSet<QString> texts;
    for (const auto& word : words)
        texts << word.second.normalized(QString::NormalizationForm_KC); // "ﬀ" ligatures as "ff"
    QStringList all = texts.values();
    std::sort(all.begin(), all.end());
    for (const QString& name : names)
        for (const QString& word : name.split(' ', Qt::SkipEmptyParts))
            QVERIFY2(texts.contains(word),
                     qPrintable(QString("'%1' of '%2' is not whole in: %3").arg(word, name, all.join(' '))));
}

} // namespace

// Every model, dataset and concept name the demo's figures and the Compare page's figures (22 models: the
// demo population and the workspace) show appears whole at a single and a double column.
void TestFigureExport::namesAppearWhole_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<double>("widthMm");
    QTest::addColumn<double>("heightMm");
    for (const char* figure : {"concept-bars", "results-table", "rsa-table", "compare-concepts",
                               "compare-transfer", "object-inspector", "object-map"})
        for (auto [width, height] : {std::pair{88.0, 66.0}, {180.0, 120.0}})
            QTest::addRow("%s, %g × %g mm", figure, width, height) << QString(figure) << width << height;
}

void TestFigureExport::namesAppearWhole()
{
    QFETCH(QString, figure);
    QFETCH(double, widthMm);
    QFETCH(double, heightMm);
    FigureStyle style = styleAt(widthMm, heightMm);
    const QString folder = m_dir.filePath(QString("names-%1").arg(widthMm));
    QStringList errors, notes;
    QCOMPARE(m_window->figures()->exportFigures(folder, {figure}, {"pdf"}, style, &errors, &notes).size(), 1);
    bool skipped = false;
    QSizeF page;
    const auto words = checkedWords(QDir(folder).filePath(figure + ".pdf"), &page, &skipped);
    if (skipped) QSKIP("pdftotext (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    if (QTest::currentTestFailed()) return;
    QStringList names;
    const auto analysis = m_window->workbench()->oddOneOut()->analysis();
    QVERIFY(analysis);
    if (figure == "concept-bars" || figure == "results-table")
        for (const ModelAnalysis& model : analysis->models)
            names << QString::fromStdString(model.name);
    if (figure == "concept-bars")
        for (const auto& concept : analysis->models.front().perConcept)
            names << QString::fromStdString(concept.label);
    if (figure == "rsa-table")
        for (const auto& rsa : m_window->workbench()->rsa()->analyses()) {
            names << QString::fromStdString(rsa->dataset);
            for (const auto& model : rsa->models)
                names << QString::fromStdString(model.name);
        }
    const PopulationController* population = m_window->workbench()->population();
    const ModelPopulation& models = population->population();
    if (figure == "compare-concepts") {
        QCOMPARE(int(models.models.size()), 22);
        for (const std::string& model : models.models)
            names << QString::fromStdString(model);
        for (const std::string& label : models.conceptLabels())
            names << QString::fromStdString(label);
    }
    if (figure == "compare-transfer")
        for (const TransferCell& cell : population->transferCells())
            names << cell.model << cell.analysis;
    auto* objects = m_window->findChild<ObjectsPage*>();
    if (figure == "object-inspector") { // the object, its concepts, the model and every neighbour
        const ObjectInspectorFigure inspector = objects->inspector()->exportedFigure();
        QVERIFY2(inspector.message.isEmpty(), qPrintable(inspector.message));
        QVERIFY(!inspector.concepts.empty() && inspector.model.size() == 10 && inspector.human.size() == 10);
        names << inspector.title << QString::fromStdString(analysis->models.front().name);
        for (const auto& dimension : inspector.concepts)
            names << dimension.label;
        for (const auto& neighbour : inspector.model)
            names << neighbour.name;
        for (const auto& neighbour : inspector.human)
            names << neighbour.name;
    }
    if (figure == "object-map") { // both maps' titles and every top concept of the legend
        const ObjectMapsFigure& maps = objects->maps()->figureData();
        QVERIFY2(maps.message.isEmpty(), qPrintable(maps.message));
        QVERIFY(maps.legend.size() >= 2);
        names << maps.leftTitle << maps.rightTitle << maps.legend;
    }
    QVERIFY(!names.isEmpty());
    // Display names, not internal labels: no job numbers, file extensions or "+probe" suffixes.
    for (const QString& name : names)
        QVERIFY2(!name.contains("(job") && !name.contains(".npy") && !name.contains("+probe"),
                 qPrintable(name));
    checkNamesWhole(words, names);
}

void TestFigureExport::viceLabelsAppearWhole_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<double>("widthMm");
    QTest::addColumn<double>("heightMm");
    for (const char* figure : {"concept bars", "concepts × models"})
        for (auto [width, height] : {std::pair{88.0, 66.0}, {180.0, 120.0}})
            QTest::addRow("%s, %g × %g mm", figure, width, height) << QString(figure) << width << height;
}

// The 42 VICE dimensions with the labels the app gives them on real data ("12: strawberry, raspberry,
// cherry"), for three models: every label and model name whole in the concept bars and in the Compare page's
// concepts × models heatmap.
void TestFigureExport::viceLabelsAppearWhole()
{
    QFETCH(QString, figure);
    QFETCH(double, widthMm);
    QFETCH(double, heightMm);
    const QString vicePath = testsupport::sharedData("vice/final_embedding.npy");
    SKIP_WITHOUT_SHARED(vicePath); // the concept table sits beside it in ../shared
    auto objects = loadObjects(testsupport::sharedData("things/things_concepts.tsv").toStdString());
    auto space = objects ? loadConceptSpace(vicePath.toStdString(), *objects, RowIdentity::sorted())
                         : Result<ConceptSpace>(objects.error());
    QVERIFY2(space.ok(), space ? "" : space.error().message().c_str());
    const std::vector<std::string> labels = autoConceptLabels(*space, *objects);
    QCOMPARE(labels.size(), size_t(42));
    auto analysis = std::make_shared<OddOneOutAnalysis>();
    for (const char* name : {"CLIP ViT-L/14", "word2vec", "SPoSE 49d"}) {
        ModelAnalysis& model = analysis->models.emplace_back();
        model.name = name;
        for (int d = 0; d < 42; ++d) {
            const double accuracy = 0.3 + 0.01 * ((d * 7 + int(analysis->models.size()) * 13) % 40);
            model.perConcept.push_back({d,
                                        labels[size_t(d)],
                                        500,
                                        std::int64_t(500 * accuracy),
                                        accuracy,
                                        {accuracy - 0.04, accuracy + 0.04}});
        }
    }
    ConceptBarsChart chart;
    chart.setAnalysis(analysis);
    FigureRegistry registry;
    if (figure == "concept bars") {
        registry.add({"vice-labels", "VICE concept bars", chart.figure(), chart.figureHeight()}, &chart);
    } else {
        ModelPopulation population; // the same values as a population of three models
        for (const ModelAnalysis& model : analysis->models)
            for (const ConceptAccuracy& concept : model.perConcept)
                QVERIFY(
                    population
                        .add(model.name, MetricKey::conceptAccuracy(concept.label), concept.accuracy, "test")
                        .ok());
        PopulationSelection selection;
        selection.view = PopulationView::Concepts;
        const PopulationFigureData heatmap = buildPopulationFigure(
            population, ModelMetadata{}, matchModelsToMetadata({}, population.models), selection);
        QCOMPARE(heatmap.concepts.size(), 42);
        registry.add(
            {"vice-labels", "VICE concepts × models", populationFigure(heatmap),
             [heatmap](const FigureStyle& style) { return populationFigureHeightMm(heatmap, style); }},
            &chart);
    }
    FigureStyle style = styleAt(widthMm, heightMm);
    const QString folder = m_dir.filePath(QString("vice-labels-%1").arg(widthMm));
    QStringList errors, notes;
    QCOMPARE(registry.exportFigures(folder, {}, {"pdf"}, style, &errors, &notes).size(), 1);
    bool skipped = false;
    QSizeF page;
    const auto words = checkedWords(QDir(folder).filePath("vice-labels.pdf"), &page, &skipped);
    if (skipped) QSKIP("pdftotext (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    if (QTest::currentTestFailed()) return;
    QStringList names{"CLIP ViT-L/14", "word2vec", "SPoSE 49d"};
    for (const std::string& label : labels)
        names << QString::fromStdString(label);
    checkNamesWhole(words, names);
}

namespace {

// Share of pixels whose colour differs by more than `tolerance` in a channel, compared at a quarter of the
// resolution (4 × 4 pixel averages), where renderers' antialiasing and half-pixel rounding agree but a
// moved, missing or resized element does not.
double differingShare(const QImage& a, const QImage& b, int tolerance = 40)
{
    const int width = std::min(a.width(), b.width()), height = std::min(a.height(), b.height());
    auto reduced = [&](const QImage& image) {
        return image.copy(0, 0, width, height)
            .scaled(width / 4, height / 4, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
            .convertToFormat(QImage::Format_RGB32);
    };
    const QImage x = reduced(a), y = reduced(b);
    std::int64_t differing = 0;
    for (int row = 0; row < x.height(); ++row)
        for (int column = 0; column < x.width(); ++column) {
            const QRgb p = x.pixel(column, row), q = y.pixel(column, row);
            differing += std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                                   std::abs(qBlue(p) - qBlue(q))}) > tolerance;
        }
    return double(differing) / std::max(1, x.width() * x.height());
}

} // namespace

// PNG, SVG and PDF are one layout: the SVG (rendered by QtSvg) and the PDF (rasterised by pdftoppm) match the
// PNG pixel for pixel up to antialiasing, so what printLayout checks on the PDF's words holds for all three.
void TestFigureExport::formatsShareOneLayout_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<double>("widthMm");
    QTest::addColumn<double>("heightMm");
    for (const NamedFigure& figure : m_window->figures()->figures())
        for (auto [width, height] : {std::pair{88.0, 66.0}, {180.0, 120.0}})
            QTest::addRow("%s, %g × %g mm", qPrintable(figure.name), width, height)
                << figure.name << width << height;
}

void TestFigureExport::formatsShareOneLayout()
{
    QFETCH(QString, figure);
    QFETCH(double, widthMm);
    QFETCH(double, heightMm);
    FigureStyle style = styleAt(widthMm, heightMm);
    style.dpi = 100;
    const QDir folder(m_dir.filePath(QString("formats-%1").arg(widthMm)));
    QStringList errors;
    QCOMPARE(m_window->figures()
                 ->exportFigures(folder.path(), {figure}, {"png", "svg", "pdf"}, style, &errors)
                 .size(),
             3);
    const QImage png(folder.filePath(figure + ".png"));
    QImage svg(png.size(), QImage::Format_RGB32);
    svg.fill(Qt::white);
    {
        QSvgRenderer renderer(folder.filePath(figure + ".svg"));
        QVERIFY(renderer.isValid());
        QPainter painter(&svg);
        renderer.render(&painter, QRectF(0, 0, svg.width(), svg.height()));
    }
    const double svgShare = differingShare(png, svg);
    QProcess raster;
    raster.start("pdftoppm", {"-r", "100", "-png", "-singlefile", folder.filePath(figure + ".pdf"),
                              folder.filePath(figure + "-pdf")});
    if (!raster.waitForStarted())
        QSKIP("pdftoppm (poppler-utils) is not installed; packaging/install-deps.sh installs it");
    QVERIFY(raster.waitForFinished(60000));
    const QImage pdf(folder.filePath(figure + "-pdf.png"));
    QVERIFY(!pdf.isNull());
    QVERIFY2(std::abs(pdf.width() - png.width()) <= 2 && std::abs(pdf.height() - png.height()) <= 2,
             qPrintable(QString("PDF page %1 × %2 px, PNG %3 × %4 px")
                            .arg(pdf.width())
                            .arg(pdf.height())
                            .arg(png.width())
                            .arg(png.height())));
    const double pdfShare = differingShare(png, pdf);
    // The check's own sensitivity: the same PNG moved down by half a line of text must fail it.
    QImage moved(png.size(), QImage::Format_RGB32);
    moved.fill(Qt::white);
    QPainter(&moved).drawImage(QPoint(0, int(style.fontPoints / 72.0 * style.dpi * 0.6)), png);
    const double movedShare = differingShare(png, moved);
    qInfo("%s: %.2f%% of SVG pixels and %.2f%% of PDF pixels differ from the PNG (moved by half a line: "
          "%.2f%%)",
          qPrintable(figure), 100 * svgShare, 100 * pdfShare, 100 * movedShare);
    QVERIFY2(movedShare > 0.03,
             qPrintable(QString("moving the figure changes only %1% of pixels").arg(100 * movedShare)));
    QVERIFY2(svgShare <= 0.03,
             qPrintable(QString("SVG differs from PNG in %1% of pixels").arg(100 * svgShare)));
    QVERIFY2(pdfShare <= 0.03,
             qPrintable(QString("PDF differs from PNG in %1% of pixels").arg(100 * pdfShare)));
}

namespace fixed {

// Values written out here, not computed: what the golden images show must not depend on the CPU (SIMD
// kernels, BLAS, thread counts change a probe's trajectory, the order of near-tied triplets, the last digits
// of a correlation). Every value below is exact in float and double.
const char* const kObjects[] = {"aardvark", "banjo", "cactus", "drum",   "eagle",  "fern",
                                "guitar",   "heron", "iris",   "jackal", "kettle", "lemon"};
constexpr int kObjectCount = 12;
constexpr int kTriplets = 36;
const char* const kConcepts[] = {"animal", "music", "plant", "kitchen"};
const char* const kModels[] = {"alpha_cnn", "beta_vit", "gamma_random"};

// Twelve objects with pictures of one colour each (written into `folder`).
std::shared_ptr<const StimulusSet> stimuli(const QString& folder)
{
    auto created = StimulusSet::create(std::vector<std::string>(kObjects, kObjects + kObjectCount), "fixed");
    StimulusSet set = std::move(created).value();
    for (int i = 0; i < kObjectCount; ++i) {
        QImage picture(48, 48, QImage::Format_RGB32);
        picture.fill(Qt::white);
        QPainter painter(&picture);
        painter.setBrush(QColor::fromHsv(i * 30, 170, 210));
        painter.drawEllipse(QRect(6, 6 + i % 3 * 4, 36, 36 - i % 3 * 8));
        painter.end();
        const QString path = QDir(folder).filePath(QString(kObjects[i]) + ".png");
        picture.save(path);
        set.imagePaths.push_back(path.toStdString());
    }
    return std::make_shared<const StimulusSet>(std::move(set));
}

std::shared_ptr<const OddOneOutAnalysis> oddOneOut(std::shared_ptr<const StimulusSet> objects)
{
    auto analysis = std::make_shared<OddOneOutAnalysis>();
    analysis->stimuli = objects;
    auto triplets = std::make_shared<TripletSet>();
    for (int t = 0; t < kTriplets; ++t)
        for (int offset : {0, 1 + t / kObjectCount, 5 + t / kObjectCount})
            triplets->indices.push_back((t + offset) % kObjectCount);
    triplets->origin = "fixed";
    analysis->triplets = triplets;
    analysis->conceptLabels.assign(std::begin(kConcepts), std::end(kConcepts));
    ConceptAssignment concepts;
    concepts.dimensions = 4;
    for (int t = 0; t < kTriplets; ++t) {
        concepts.top.push_back(ConceptAssignment::Dimension(t % 4));
        concepts.second.push_back(ConceptAssignment::Dimension((t + 1) % 4));
    }
    analysis->concepts = concepts;
    analysis->repeats.noiseCeiling = 0.8125;
    for (int m = 0; m < 3; ++m) {
        ModelAnalysis& model = analysis->models.emplace_back();
        model.name = kModels[m];
        for (int t = 0; t < kTriplets; ++t) {
            const bool correct = (t * 5 + m * 3) % 8 < 6 - 2 * m;
            model.choices.choice.push_back(std::int8_t(correct ? 2 : (t + m) % 2));
            model.choices.correct += correct;
        }
        model.choices.ties = m;
        const double accuracy = model.choices.accuracy();
        model.ci95 = {accuracy - 0.125, accuracy + 0.125};
        model.ci95Objects = {accuracy - 0.1875, accuracy + 0.1875};
        model.similarity.n = kObjectCount;
        model.similarity.values.resize(kObjectCount * kObjectCount);
        for (int a = 0; a < kObjectCount; ++a)
            for (int b = 0; b < kObjectCount; ++b)
                model.similarity.values[size_t(a * kObjectCount + b)] =
                    a == b ? 1.0f : 0.0625f * float((a * 7 + b * 7 + m * 5) % 15);
        for (int d = 0; d < 4; ++d) {
            const std::int64_t correctInConcept = 2 + (d * 3 + m * 5) % 7;
            const double conceptAccuracy = double(correctInConcept) / 9.0;
            model.perConcept.push_back({d,
                                        kConcepts[d],
                                        9,
                                        correctInConcept,
                                        conceptAccuracy,
                                        {conceptAccuracy - 0.25, std::min(1.0, conceptAccuracy + 0.25)}});
        }
    }
    return analysis;
}

// 40 stimuli (780 pairs, enough for the scatter's density): the human RDM, and models that share a part of
// it (none for `share` 0). Integer arithmetic, then one division by a power of two: exact.
constexpr int kRsaStimuli = 40;

CondensedMatrix dissimilarities(int share, int seed)
{
    CondensedMatrix rdm;
    rdm.n = kRsaStimuli;
    for (int i = 0; i < kRsaStimuli; ++i)
        for (int j = i + 1; j < kRsaStimuli; ++j) {
            const int human = (i * 37 + j * 91 + (i * j) % 53) % 512;
            const int own = (i * 13 + j * 29 + seed * (i + 3 * j + 17)) % 512;
            rdm.values.push_back(float(human * share + own * (4 - share)) / 2048.0f);
        }
    return rdm;
}

std::shared_ptr<const RsaAnalysis> rsa()
{
    std::vector<std::string> ids;
    for (int s = 0; s < kRsaStimuli; ++s)
        ids.push_back(QString("stimulus_%1").arg(s, 2, 10, QChar('0')).toStdString());
    auto stimuli = StimulusSet::create(ids, "fixed");
    auto analysis = std::make_shared<RsaAnalysis>();
    analysis->dataset = "ratings";
    analysis->stimuli = std::make_shared<const StimulusSet>(std::move(stimuli).value());
    analysis->human = dissimilarities(4, 0);
    analysis->humanOrigin = "fixed";
    const double r[] = {0.625, 0.375, 0.0625};
    for (int m = 0; m < 3; ++m)
        analysis->models.push_back(
            {kModels[m], dissimilarities(3 - m, m + 1), r[m], RsaInterval{r[m] - 0.125, r[m] + 0.125}, {}});
    return analysis;
}

void probeCurves(ProbeCurves& curves)
{
    curves.clear();
    for (int fold = 0; fold < 3; ++fold)
        for (double lambda : {0.1, 0.001})
            for (int step = 0; step <= 24; ++step) {
                const double train =
                    0.5 + 0.5 / (1 + 0.25 * step) + 0.0625 * fold + (lambda > 0.01 ? 0.125 : 0);
                curves.addStep({fold, lambda, step, train, train + 0.0625 + 0.00390625 * step,
                                0.375 + 0.25 * step / (step + 4.0) - 0.03125 * fold});
            }
}

// Eight models with an accuracy, per-concept accuracies and a model table (family, parameters).
void population(PopulationController& controller, const QString& folder)
{
    const char* families[] = {"cnn", "vit", "cnn", "vit", "random", "cnn", "vit", "random"};
    QString table = "model,family,parameters\n";
    ModelPopulation models;
    for (int m = 0; m < 8; ++m) {
        const std::string name = "model_" + std::string(1, char('a' + m));
        const double accuracy = 0.375 + 0.03125 * ((m * 5) % 8);
        models.add(name, "accuracy", accuracy, "fixed", Interval{accuracy - 0.03125, accuracy + 0.03125});
        for (int d = 0; d < 4; ++d)
            models.add(name, std::string("concept:") + kConcepts[d], 0.25 + 0.0625 * ((m * 3 + d * 5) % 11),
                       "fixed");
        table += QString("%1,%2,%3\n").arg(QString::fromStdString(name), families[m]).arg((m + 1) * 2500000);
    }
    const QString path = QDir(folder).filePath("models.csv");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(table.toUtf8());
    file.close();
    auto metadata = loadModelMetadata(path.toStdString());
    QVERIFY2(metadata, metadata ? "" : metadata.error().message().c_str());
    controller.setLoaded({}, std::move(models), path, std::move(metadata).value());
    std::vector<TransferCell> cells;
    for (int m = 0; m < 8; ++m)
        for (const char* analysis : {"odd-one-out accuracy", "RSA r: ratings"})
            cells.push_back({QString("model_%1").arg(QChar('a' + m)), analysis, 0.25 + 0.03125 * m,
                             0.3125 + 0.046875 * ((m * 3) % 8)});
    controller.setWorkspaceTransfer(std::move(cells));
}

} // namespace fixed

// A window of its own (no demo, nothing computed) whose pages show the fixed values above.
void TestFigureExport::showFixedData(MainWindow& window)
{
    const QString folder = m_dir.filePath("fixed");
    QVERIFY(QDir().mkpath(folder));
    const auto objects = fixed::stimuli(folder);
    const auto oddOneOut = fixed::oddOneOut(objects);
    window.findChild<ResultsPage*>()->setAnalysis(oddOneOut);
    window.findChild<ConceptsPage*>()->chart()->setAnalysis(oddOneOut);
    auto* triplets = window.findChild<TripletBrowser*>();
    QSignalSpy rowsReady(triplets, &TripletBrowser::rowsReady);
    triplets->setAnalysis(oddOneOut);
    QVERIFY(rowsReady.count() > 0 || rowsReady.wait(30000));
    window.findChild<RsaPage*>()->setAnalyses({fixed::rsa()});
    fixed::probeCurves(*window.findChild<ProbeCurves*>());
    fixed::population(*window.workbench()->population(), folder);
    if (QTest::currentTestFailed()) return;
    auto* compare = window.findChild<ComparePage*>();
    PopulationSelection selection = compare->selection();
    selection.y = "accuracy";
    selection.x = "parameters";
    selection.groupBy = "family";
    selection.logX = true;
    compare->setSelection(selection);
    QVERIFY(testsupport::waitSettled(*window.workbench(), 60000));
}

// Every figure against a golden image (88 × 66 mm, a single column, at 100 dpi), drawn by the pages' own
// paint routines from the fixed values above, with a tolerance for antialiasing: a regression in a layout or
// paint routine changes far more pixels. ALIGNSCOPE_UPDATE_GOLDEN=1 rewrites the golden images (look at them
// before committing).
void TestFigureExport::matchesGoldenImages_data()
{
    if (!m_fixed) {
        m_fixed = new MainWindow;
        m_fixed->setInteractive(false);
        m_fixed->resize(1400, 950);
        m_fixed->show();
        showFixedData(*m_fixed);
        QVERIFY(!QTest::currentTestFailed());
    }
    QTest::addColumn<QString>("figure");
    // The Objects page's figures need the page's own computation (no fixed values are set into it); the
    // other tests check them on the demo.
    for (const NamedFigure& figure : m_fixed->figures()->figures())
        if (!figure.name.startsWith("object-")) QTest::newRow(qPrintable(figure.name)) << figure.name;
}

void TestFigureExport::matchesGoldenImages()
{
    QFETCH(QString, figure);
    FigureStyle style = m_style;
    style.widthMm = 88;
    style.heightMm = 66;
    style.dpi = 100;
    const QString folder = m_dir.filePath("golden-run");
    QStringList errors, notes;
    const QStringList written =
        m_fixed->figures()->exportFigures(folder, {figure}, {"png"}, style, &errors, &notes);
    QVERIFY2(written.size() == 1, qPrintable((errors + notes).join('\n')));
    const QString produced = QDir(folder).filePath(figure + ".png");
    const QString golden = QStringLiteral(ALIGNSCOPE_GOLDEN_DIR "/") + figure + ".png";
    if (qEnvironmentVariableIsSet("ALIGNSCOPE_UPDATE_GOLDEN")) {
        QDir().mkpath(QStringLiteral(ALIGNSCOPE_GOLDEN_DIR));
        QFile::remove(golden);
        QVERIFY(QFile::copy(produced, golden));
        qInfo("wrote %s", qPrintable(golden));
        return;
    }
    const QImage expected = QImage(golden).convertToFormat(QImage::Format_RGB32);
    const QImage actual = QImage(produced).convertToFormat(QImage::Format_RGB32);
    QVERIFY2(!expected.isNull(), qPrintable(golden + " is missing (ALIGNSCOPE_UPDATE_GOLDEN=1 writes it)"));
    QCOMPARE(actual.size(), expected.size());
    int differing = 0;
    QImage difference(actual.size(), QImage::Format_RGB32);
    for (int y = 0; y < actual.height(); ++y)
        for (int x = 0; x < actual.width(); ++x) {
            const QColor a = actual.pixelColor(x, y), e = expected.pixelColor(x, y);
            const int delta = std::max({std::abs(a.red() - e.red()), std::abs(a.green() - e.green()),
                                        std::abs(a.blue() - e.blue())});
            differing += delta > 48 ? 1 : 0;
            difference.setPixelColor(x, y, delta > 48 ? QColor(Qt::red) : QColor(Qt::white));
        }
    const double share = double(differing) / (actual.width() * actual.height());
    if (share > 0.02) difference.save(QDir(folder).filePath(figure + "-difference.png"));
    QVERIFY2(share <= 0.02, qPrintable(QString("%1: %2% of pixels differ from %3 (see %4)")
                                           .arg(figure)
                                           .arg(100 * share, 0, 'f', 1)
                                           .arg(golden, QDir(folder).filePath(figure + "-difference.png"))));
}

// The triplet grid and the table figure are free functions over plain values, as every other figure: drawn
// headless from values made here, with no page, model or callback behind them.
void TestFigureExport::plainValuesDrawHeadless_data()
{
    QTest::addColumn<QString>("figure");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("expectedPainted"); // triplet rows painted; -1: a table
    QTest::newRow("table of two models") << "table" << 2 << -1;
    QTest::newRow("empty table draws nothing") << "table" << 0 << -1;
    QTest::newRow("three triplets all shown") << "triplets" << 3 << 3;
    QTest::newRow("forty triplets: at most the grid's rows") << "triplets" << 40 << kTripletGridMostRows;
    QTest::newRow("no triplets draws nothing") << "triplets" << 0 << 0;
}

void TestFigureExport::plainValuesDrawHeadless()
{
    QFETCH(QString, figure);
    QFETCH(int, rows);
    QFETCH(int, expectedPainted);
    // A tall page so that every row of the first triplet rows fits; ink outside `rect` would be a bug.
    const QRectF rect(10, 10, 500, figure == "triplets" ? 4000 : 200);
    QImage image(520, int(rect.bottom()) + 10, QImage::Format_RGB32);
    image.setDotsPerMeterX(int(std::lround(72 / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(72 / 0.0254)));
    image.fill(Qt::white);
    int painted = -1;
    {
        QPainter painter(&image);
        if (figure == "table") {
            TableFigureData table;
            if (rows > 0) table.header = QStringList{"Model", "Accuracy"};
            for (int r = 0; r < rows; ++r)
                table.rows.push_back({QString("model_%1").arg(r), QString::number(0.5 / (r + 1), 'f', 3)});
            paintTableFigure(painter, rect, m_style.font(), table);
        } else {
            TripletGridData grid;
            for (int r = 0; r < rows; ++r) {
                TripletRow row;
                for (int c = 0; c < 3; ++c)
                    row.cards[c].name = QString("object_%1_%2").arg(r).arg(c);
                row.modelOdd = r % 3;
                row.caption = QString("#%1").arg(r);
                grid.rows.push_back(row);
            }
            painted = paintTripletGrid(painter, rect, m_style.font(), grid);
        }
    }
    QCOMPARE(painted, expectedPainted);
    int inside = 0, outside = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixel(x, y) != qRgb(255, 255, 255))
                ++(rect.adjusted(-1, -1, 1, 1).contains(QPointF(x + 0.5, y + 0.5)) ? inside : outside);
    QCOMPARE(outside, 0);
    if (rows == 0)
        QCOMPARE(inside, 0);
    else
        QVERIFY2(inside > 100, qPrintable(QString::number(inside)));
}

void TestFigureExport::tablesAndMethods()
{
    QStringList errors;
    Workbench* workbench = m_window->workbench();
    const QStringList written = exportTables(workbench->oddOneOut()->analysis().get(),
                                             workbench->rsa()->analyses(), m_dir.filePath("tables"), &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    QCOMPARE(written.size(), 5);
    QFile csv(m_dir.filePath("tables/results-ooo.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split("\r\n", Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5); // header + 4 models
    QVERIFY(lines[0].startsWith("Model,Accuracy,95% CI (triplets)"));
    QVERIFY(lines[1].contains("\"[0.")); // intervals contain a comma: quoted
    QFile tex(m_dir.filePath("tables/results-rsa.tex"));
    QVERIFY(tex.open(QIODevice::ReadOnly));
    const QString latex = QString::fromUtf8(tex.readAll());
    QVERIFY(latex.contains("\\toprule") && latex.contains("\\midrule") && latex.contains("\\bottomrule"));
    QVERIFY(latex.contains("colour\\_histogram")); // underscores escaped
    QFile methods(m_dir.filePath("tables/methods.md"));
    QVERIFY(methods.open(QIODevice::ReadOnly));
    const QString paragraph = QString::fromUtf8(methods.readAll());
    for (const char* fact : {"4,400 human triplet judgments", "300 objects", "cosine", "1000 replicates",
                             "seed 0", "noise ceiling", "spearman"})
        QVERIFY2(paragraph.contains(fact), fact);
}

void TestFigureExport::badPathIsReported()
{
    const FigurePainter paint = [](QPainter&, const QRectF&, const FigureStyle&) {};
    QVERIFY(exportFigure(paint, m_dir.filePath("figure.bmp"), m_style).contains(".png, .svg or .pdf"));
    QVERIFY(
        exportFigure(paint, "/nonexistent-folder/x.png", m_style).startsWith("/nonexistent-folder/x.png"));
}

namespace {

// A figure of fixed content, registered as File > Export Figures sees the pages' figures.
NamedFigure fixedFigure(const QString& name, const QString& text)
{
    return {name, name, [text](QPainter& painter, const QRectF& rect, const FigureStyle&) {
                painter.fillRect(rect.adjusted(10, 10, -10, -10), QColor(70, 110, 160));
                painter.drawText(rect, Qt::AlignCenter, text);
            }};
}

// What a path is, without following it: its type, where a link points, a file's size.
QString describe(const QString& path)
{
    struct stat info
    {
    };
    if (::lstat(path.toLocal8Bit().constData(), &info) != 0) return "absent";
    if (S_ISLNK(info.st_mode)) return "link to " + QFile::symLinkTarget(path);
    if (S_ISREG(info.st_mode)) return QString("file of %1 bytes").arg(info.st_size);
    return QString("type %1").arg(info.st_mode & S_IFMT);
}

} // namespace

// Figures are written through core's checked path: a FIFO, or a link to a device, is refused naming the file
// and the reason and left as it was (never replaced by a regular file); a link to a regular file writes that
// file and stays a link.
void TestFigureExport::writeTargetsAreChecked_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("refusal"); // empty: written
    for (const char* format : {"png", "svg", "pdf"}) {
        QTest::addRow("FIFO, %s", format) << "FIFO" << format << "is a FIFO (named pipe), not a regular file";
        QTest::addRow("symbolic link to a device, %s", format)
            << "symbolic link to a device" << format << "is a character device, not a regular file";
        QTest::addRow("symbolic link to a regular file, %s", format)
            << "symbolic link to a regular file" << format << "";
    }
}

void TestFigureExport::writeTargetsAreChecked()
{
    QFETCH(QString, target);
    QFETCH(QString, format);
    QFETCH(QString, refusal);
    QTemporaryDir dir;
    const QString path = dir.filePath("triplets." + format);
    if (target == "FIFO") QVERIFY(::mkfifo(path.toLocal8Bit().constData(), 0644) == 0);
    if (target == "symbolic link to a device") {
        // A device node of its own where one may be made (root): a regression replaces that node, never the
        // system's /dev/null (which an unprivileged process cannot replace).
        const QString device = dir.filePath("null-device");
        const bool made = ::mknod(device.toLocal8Bit().constData(), S_IFCHR | 0666, makedev(1, 3)) == 0;
        QVERIFY(QFile::link(made ? device : QStringLiteral("/dev/null"), path));
    }
    const QString real = dir.filePath("real." + format);
    if (target == "symbolic link to a regular file") {
        QVERIFY(QFile::link(real, path));
        testsupport::writeBytes(QDir(dir.path()), "real." + format, "old");
    }
    const QString before = describe(path), linkedBefore = describe(QFile::symLinkTarget(path));
    FigureRegistry registry;
    QObject owner;
    registry.add(fixedFigure("triplets", "a figure"), &owner);
    QStringList errors;
    const QStringList written = registry.exportFigures(dir.path(), {}, {format}, m_style, &errors);
    QCOMPARE(QDir(dir.path()).entryList({"*.tmp-*"}, QDir::AllEntries | QDir::Hidden | QDir::System),
             QStringList()); // no temporary left behind
    if (!refusal.isEmpty()) {
        QCOMPARE(written, QStringList());
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0].startsWith(path) && errors[0].contains(refusal), qPrintable(errors[0]));
        QCOMPARE(describe(path), before);
        QCOMPARE(describe(QFile::symLinkTarget(path)), linkedBefore);
        return;
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    QCOMPARE(written, QStringList{path});
    QCOMPARE(describe(path), before); // still the link
    QVERIFY2(QFileInfo(real).size() > 500, qPrintable(describe(real)));
    if (format == "png") QCOMPARE(QImage(real).size(), QSize(1039, 780));
}

// A full disk (RLIMIT_FSIZE: writes fail as on a full disk) leaves the figures exported before as they were,
// lists none as written and names each file and the reason.
void TestFigureExport::fullDiskKeepsTheOldFigures()
{
    QTemporaryDir dir;
    FigureRegistry registry;
    QObject owner;
    registry.add(fixedFigure("triplets", "the good figure"), &owner);
    const QStringList formats = {"png", "svg", "pdf"};
    QStringList errors;
    QCOMPARE(registry.exportFigures(dir.path(), {}, formats, m_style, &errors).size(), 3);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    QMap<QString, QByteArray> good;
    for (const QString& format : formats) {
        QFile file(dir.filePath("triplets." + format));
        QVERIFY(file.open(QIODevice::ReadOnly));
        good[format] = file.readAll();
        QVERIFY(good[format].size() > 1000);
    }
    FigureStyle larger = m_style;
    larger.widthMm = 180;
    QStringList written;
    {
        testsupport::FileSizeLimit fullDisk(512);
        QVERIFY(fullDisk.active());
        written = registry.exportFigures(dir.path(), {}, formats, larger, &errors);
    }
    QCOMPARE(written, QStringList());
    QCOMPARE(errors.size(), 3);
    for (const QString& format : formats) {
        const QString path = dir.filePath("triplets." + format);
        QVERIFY2(std::any_of(errors.begin(), errors.end(),
                             [&](const QString& error) {
                                 return error.startsWith(path + ": ") &&
                                        error.contains(QString::fromLocal8Bit(std::strerror(EFBIG)));
                             }),
                 qPrintable(errors.join('\n')));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(file.readAll() == good[format], qPrintable(path + " changed"));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 3); // no temporary left
}

QTEST_MAIN(TestFigureExport)
#include "tst_figure_export.moc"
