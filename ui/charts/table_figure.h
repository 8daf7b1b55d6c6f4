#pragma once
// A table as a print figure: header and rows drawn as text and booktabs-like rules, so that SVG and PDF keep
// the words; the widest columns wrap first when the page is narrow, and the type shrinks only when even one
// word per line would not fit.

#include <QFont>
#include <QRectF>
#include <QStringList>
#include <vector>

class QAbstractItemModel;
class QPainter;

struct TableFigureData
{
    QStringList header;            // one per column, drawn bold
    std::vector<QStringList> rows; // cells as printed; the first column left-aligned, the others right
};

// The display data of `model` as the screen's table view shows them; numbers stored as doubles (sortable on
// screen) get three decimals, not sixteen digits.
TableFigureData tableFigureData(const QAbstractItemModel& model);

void paintTableFigure(QPainter& painter, const QRectF& rect, const QFont& font, const TableFigureData& table);
