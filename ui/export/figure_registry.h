#pragma once
// The figures the open pages can export, by name. Pages register their own figures (with the paint
// routine they use on screen); File > Export Figures and --export-figures read the registry.

#include "charts/figure_export.h"

#include <QObject>
#include <QStringList>
#include <functional>
#include <vector>

struct NamedFigure
{
    QString name; // file stem, e.g. "concept-bars"
    QString title;
    FigurePainter paint;
    // The height in mm the figure needs for a style, when it may need more than the style's (42 concept
    // labels in a single column); unset: the style's height.
    std::function<double(const FigureStyle&)> heightFor = {};
    // False while the view has nothing to show (no probe trained, no human dataset): the figure is then not
    // written, and a note says so. Unset: always written.
    std::function<bool()> hasContent = {};
    // The figure is exactly as tall as heightFor says, shorter than the style's height too (a transfer matrix
    // of one model is a strip, not a page with a strip at its top).
    bool sizedToContent = false;
};

class FigureRegistry : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Registers a figure; `owner` (a page) unregisters it when destroyed.
    void add(NamedFigure figure, QObject* owner);
    const std::vector<NamedFigure>& figures() const { return m_figures; }

    // Writes <folder>/<name>.<format> for each figure (all when `names` is empty) and format ("png", "svg",
    // "pdf"). Returns the files written; errors (one line each, naming the file) go to `errors`; a figure
    // made taller than the style's height so that its text fits, or skipped as empty, is said in `notes`.
    QStringList exportFigures(const QString& folder, const QStringList& names, const QStringList& formats,
                              const FigureStyle& style, QStringList* errors,
                              QStringList* notes = nullptr) const;

private:
    std::vector<NamedFigure> m_figures;
};
