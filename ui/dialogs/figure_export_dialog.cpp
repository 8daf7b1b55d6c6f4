#include "dialogs/figure_export_dialog.h"

#include "export/figure_registry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

FigureExportDialog::FigureExportDialog(const FigureRegistry* figures, QWidget* parent)
    : QDialog(parent), m_figures(figures), m_figure(new QComboBox(this)),
      m_png(new QCheckBox(QStringLiteral("PNG"), this)), m_svg(new QCheckBox(QStringLiteral("SVG"), this)),
      m_pdf(new QCheckBox(QStringLiteral("PDF"), this)), m_preset(new QComboBox(this)),
      m_width(new QDoubleSpinBox(this)), m_height(new QDoubleSpinBox(this)), m_dpi(new QSpinBox(this)),
      m_font(new QFontComboBox(this)), m_fontSize(new QDoubleSpinBox(this)),
      m_printTheme(new QCheckBox(tr("Light print theme (white, no shadows)"), this)),
      m_folder(new QLineEdit(QDir::current().filePath(QStringLiteral("figures")), this)),
      m_status(new QLabel(this))
{
    setWindowTitle(tr("Export figures"));
    auto* form = new QFormLayout(this);
    m_figure->addItem(tr("All figures"), QString());
    for (const NamedFigure& figure : figures->figures())
        m_figure->addItem(figure.title, figure.name);
    form->addRow(tr("Figure"), m_figure);
    auto* formats = new QHBoxLayout;
    for (QCheckBox* box : {m_png, m_svg, m_pdf})
        formats->addWidget(box);
    m_pdf->setChecked(true);
    m_png->setChecked(true);
    form->addRow(tr("Formats"), formats);
    m_preset->addItem(tr("Single column (88 mm)"), 88.0);
    m_preset->addItem(tr("Double column (180 mm)"), 180.0);
    m_preset->addItem(tr("Custom"), 0.0);
    form->addRow(tr("Size"), m_preset);
    m_width->setRange(20, 500);
    m_width->setSuffix(QStringLiteral(" mm"));
    m_width->setValue(88);
    m_height->setRange(20, 500);
    m_height->setSuffix(QStringLiteral(" mm"));
    m_height->setValue(66);
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Height"), m_height);
    connect(m_preset, &QComboBox::currentIndexChanged, this, [this] {
        const double width = m_preset->currentData().toDouble();
        if (width > 0) {
            m_width->setValue(width);
            m_height->setValue(width * 0.75);
        }
    });
    m_dpi->setRange(30, 2400);
    m_dpi->setValue(300);
    m_dpi->setSuffix(QStringLiteral(" dpi"));
    form->addRow(tr("PNG resolution"), m_dpi);
    m_font->setCurrentFont(QFont(QStringLiteral("DejaVu Sans")));
    form->addRow(tr("Font"), m_font);
    m_fontSize->setRange(4, 24);
    m_fontSize->setValue(8);
    m_fontSize->setSuffix(QStringLiteral(" pt"));
    form->addRow(tr("Font size"), m_fontSize);
    m_printTheme->setChecked(true);
    form->addRow(QString(), m_printTheme);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder);
    auto* browse = new QPushButton(tr("Choose…"), this);
    folderRow->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export into"), m_folder->text());
        if (!folder.isEmpty()) m_folder->setText(folder);
    });
    form->addRow(tr("Folder"), folderRow);
    m_status->setWordWrap(true);
    form->addRow(m_status);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* exportButton = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    connect(exportButton, &QPushButton::clicked, this, &FigureExportDialog::exportNow);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

FigureStyle FigureExportDialog::style() const
{
    FigureStyle style;
    style.widthMm = m_width->value();
    style.heightMm = m_height->value();
    style.dpi = m_dpi->value();
    style.fontFamily = m_font->currentFont().family();
    style.fontPoints = m_fontSize->value();
    style.printTheme = m_printTheme->isChecked();
    return style;
}

void FigureExportDialog::exportNow()
{
    QStringList formats;
    if (m_png->isChecked()) formats << QStringLiteral("png");
    if (m_svg->isChecked()) formats << QStringLiteral("svg");
    if (m_pdf->isChecked()) formats << QStringLiteral("pdf");
    const QString name = m_figure->currentData().toString();
    QStringList errors, notes;
    const QStringList written =
        m_figures->exportFigures(m_folder->text(), name.isEmpty() ? QStringList() : QStringList{name},
                                 formats, style(), &errors, &notes);
    m_status->setText(tr("Wrote %1 file(s) to %2.").arg(written.size()).arg(m_folder->text()) +
                      (errors.isEmpty() ? QString() : QStringLiteral("\n") + errors.join(QLatin1Char('\n'))) +
                      (notes.isEmpty() ? QString() : QStringLiteral("\n") + notes.join(QLatin1Char('\n'))));
}
