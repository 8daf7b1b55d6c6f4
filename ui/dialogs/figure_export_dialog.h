#pragma once
// Export figures: which figure (or all), formats, size preset (88 mm single / 180 mm double column or
// custom), DPI for PNG, font and print theme; writes into a folder.

#include "charts/figure_export.h"

#include <QDialog>

class FigureRegistry;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

class FigureExportDialog : public QDialog
{
    Q_OBJECT
public:
    FigureExportDialog(const FigureRegistry* figures, QWidget* parent = nullptr);

    FigureStyle style() const;
    void exportNow();

private:
    const FigureRegistry* m_figures;
    QComboBox* m_figure;
    QCheckBox* m_png;
    QCheckBox* m_svg;
    QCheckBox* m_pdf;
    QComboBox* m_preset;
    QDoubleSpinBox* m_width;
    QDoubleSpinBox* m_height;
    QSpinBox* m_dpi;
    QFontComboBox* m_font;
    QDoubleSpinBox* m_fontSize;
    QCheckBox* m_printTheme;
    QLineEdit* m_folder;
    QLabel* m_status;
};
