#include "export/table_export.h"

#include "alignscope/file_io.h"
#include "alignscope/population_report.h"
#include "alignscope/report_tables.h"
#include "alignscope/version.h"

#include <QDir>

QStringList exportTables(const alignscope::OddOneOutAnalysis* analysis,
                         const std::vector<std::shared_ptr<const alignscope::RsaAnalysis>>& rsa,
                         const QString& folder, QStringList* errors)
{
    QStringList written;
    if (!QDir().mkpath(folder)) {
        if (errors) *errors << QObject::tr("%1: cannot create the folder").arg(folder);
        return written;
    }
    auto write = [&](const QString& name, const std::string& text) {
        const QString path = QDir(folder).filePath(name);
        auto status = alignscope::writeFileAtomically(path.toStdString(), text);
        if (status)
            written << path;
        else if (errors)
            *errors << QString::fromStdString(status.error().message());
    };
    if (analysis) {
        const alignscope::ReportTable table = alignscope::oddOneOutTable(*analysis);
        write(QStringLiteral("results-ooo.csv"), alignscope::toCsv(table));
        write(QStringLiteral("results-ooo.tex"), alignscope::toLatex(table));
    }
    if (!rsa.empty()) {
        const alignscope::ReportTable table = alignscope::rsaTable(rsa);
        write(QStringLiteral("results-rsa.csv"), alignscope::toCsv(table));
        write(QStringLiteral("results-rsa.tex"), alignscope::toLatex(table));
    }
    if (analysis || !rsa.empty())
        write(QStringLiteral("methods.md"),
              "# Methods\n\n" +
                  alignscope::methodsParagraph(analysis, rsa, alignscope::applicationVersion()));
    else if (errors)
        *errors << QObject::tr("nothing to export yet: no analysis has been computed");
    return written;
}

QStringList exportPopulationTables(const PopulationTables& tables, const QString& folder, QStringList* errors)
{
    QStringList written;
    if (tables.population.empty()) {
        if (errors) *errors << QObject::tr("nothing to export yet: no model has results");
        return written;
    }
    // Mixed results are exported only when the user chose to pool them, and then every file says so.
    const alignscope::PoolingCheck& pooling = tables.pooling;
    if (pooling.mixedResults() && !tables.allowMixed) {
        if (errors) {
            QStringList reasons;
            for (const std::string& reason : pooling.mixed)
                reasons << QString::fromStdString(reason);
            *errors << QObject::tr("not exported: %1 (tick \"Pool mixed results\" to pool them anyway)")
                           .arg(reasons.join(QStringLiteral("; ")));
        }
        return written;
    }
    const std::string warning = alignscope::mixedResultsNote(pooling);
    // CSV has no caption: mixed results add a "warning" column that every row carries.
    auto csvOf = [&warning](alignscope::ReportTable table) {
        if (!warning.empty()) {
            table.header.push_back("warning");
            for (auto& row : table.rows)
                row.push_back(warning);
        }
        return alignscope::toCsv(table);
    };
    if (!QDir().mkpath(folder)) {
        if (errors) *errors << QObject::tr("%1: cannot create the folder").arg(folder);
        return written;
    }
    auto write = [&](const QString& name, const std::string& text) {
        const QString path = QDir(folder).filePath(name);
        if (auto status = alignscope::writeFileAtomically(path.toStdString(), text))
            written << path;
        else if (errors)
            *errors << QString::fromStdString(status.error().message());
    };
    alignscope::ReportTable models =
        alignscope::populationTable(tables.population, tables.metadata, tables.match, tables.metrics);
    if (!warning.empty()) models.caption = warning + " " + models.caption;
    write(QStringLiteral("compare-models.csv"), csvOf(models));
    write(QStringLiteral("compare-models.tex"), alignscope::toLatex(models));
    if (const auto& statistics = tables.statistics) {
        alignscope::ReportTable table = alignscope::populationStatisticsTable(
            statistics->metric, statistics->x, statistics->pearson, statistics->spearman, statistics->groupBy,
            statistics->factor);
        if (!warning.empty()) table.caption = warning + " " + table.caption;
        write(QStringLiteral("compare-statistics.csv"), csvOf(table));
        write(QStringLiteral("compare-statistics.tex"), alignscope::toLatex(table));
    }
    write(QStringLiteral("compare-methods.md"),
          "# Methods\n\n" + alignscope::populationMethodsParagraph(
                                tables.options, int(tables.population.models.size()), tables.logX, pooling));
    return written;
}
