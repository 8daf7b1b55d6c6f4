#include "export/figure_registry.h"

#include <QDir>

void FigureRegistry::add(NamedFigure figure, QObject* owner)
{
    const QString name = figure.name;
    m_figures.push_back(std::move(figure));
    connect(owner, &QObject::destroyed, this, [this, name] {
        m_figures.erase(std::remove_if(m_figures.begin(), m_figures.end(),
                                       [&name](const NamedFigure& f) { return f.name == name; }),
                        m_figures.end());
    });
}

QStringList FigureRegistry::exportFigures(const QString& folder, const QStringList& names,
                                          const QStringList& formats, const FigureStyle& style,
                                          QStringList* errors, QStringList* notes) const
{
    QStringList written;
    if (!QDir().mkpath(folder)) {
        if (errors) *errors << tr("%1: cannot create the folder").arg(folder);
        return written;
    }
    for (const NamedFigure& figure : m_figures) {
        if (!names.isEmpty() && !names.contains(figure.name)) continue;
        if (figure.hasContent && !figure.hasContent()) {
            if (notes) *notes << tr("%1: nothing to show in this workspace; not written").arg(figure.name);
            continue;
        }
        FigureStyle sized = style;
        if (figure.heightFor) {
            const double needed = figure.heightFor(style);
            sized.heightMm = figure.sizedToContent && needed > 0 ? needed : std::max(style.heightMm, needed);
        }
        if (notes && sized.heightMm > style.heightMm + 0.05)
            *notes << tr("%1: %2 × %3 mm (taller than %4 mm, so that every label fits at %5 pt)")
                          .arg(figure.name)
                          .arg(sized.widthMm, 0, 'f', 0)
                          .arg(sized.heightMm, 0, 'f', 0)
                          .arg(style.heightMm, 0, 'f', 0)
                          .arg(style.fontPoints);
        if (notes && sized.heightMm < style.heightMm - 0.05)
            *notes << tr("%1: %2 × %3 mm (as tall as its content, shorter than %4 mm)")
                          .arg(figure.name)
                          .arg(sized.widthMm, 0, 'f', 0)
                          .arg(sized.heightMm, 0, 'f', 0)
                          .arg(style.heightMm, 0, 'f', 0);
        for (const QString& format : formats) {
            const QString path = QDir(folder).filePath(figure.name + QLatin1Char('.') + format);
            const QString error = exportFigure(figure.paint, path, sized);
            if (error.isEmpty())
                written << path;
            else if (errors)
                *errors << error;
        }
    }
    return written;
}
