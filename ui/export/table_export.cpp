#include "export/table_export.h"

#include "alignscope/file_io.h"
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
