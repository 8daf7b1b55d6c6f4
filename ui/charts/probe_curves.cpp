#include "charts/probe_curves.h"

#include "charts/axis_ticks.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace {

const QColor kFoldColours[] = {QColor(0x20, 0x9f, 0xdf), QColor(0xf6, 0xa6, 0x25), QColor(0x6d, 0x5f, 0xd5),
                               QColor(0x99, 0xca, 0x53), QColor(0xbf, 0x59, 0x3e), QColor(0x3b, 0x8e, 0x8e)};
const QColor kFinal(20, 20, 20);

QString tr(const char* text)
{
    return QCoreApplication::translate("ProbeCurves", text);
}

QColor foldColour(int fold)
{
    return fold < 0 ? kFinal : kFoldColours[size_t(fold) % (sizeof(kFoldColours) / sizeof(kFoldColours[0]))];
}

} // namespace

ProbeCurves::ProbeCurves(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(280);
    m_redraw.setInterval(250); // throttle: L-BFGS reports many steps a second
    m_redraw.setSingleShot(true);
    connect(&m_redraw, &QTimer::timeout, this, qOverload<>(&QWidget::update));
}

void ProbeCurves::clear()
{
    m_data.runs.clear();
    m_points = 0;
    update();
}

void ProbeCurves::addStep(const alignscope::ProbeStep& step)
{
    // A new run when the fold or λ changes, or the step count starts again.
    std::vector<ProbeCurvesData::Run>& runs = m_data.runs;
    if (runs.empty() || runs.back().fold != step.fold || runs.back().lambda != step.lambda ||
        step.step <= runs.back().steps.back().step)
        runs.push_back({step.fold, step.lambda, {}});
    runs.back().steps.push_back(step);
    m_points += step.fold >= 0 ? 3 : 2; // the final refit has no held-out set
    if (!m_redraw.isActive()) m_redraw.start();
}

void paintProbeCurves(QPainter& painter, const QRectF& rect, const QFont& font, const ProbeCurvesData& data)
{
    painter.save();
    painter.setFont(font);
    const QFontMetricsF metrics(font, painter.device());
    const double line = metrics.height(), pad = 0.5 * line;
    const QColor text(40, 40, 40);
    painter.setPen(text);
    const QRectF inner = rect.adjusted(pad, pad, -pad, -pad);
    if (data.runs.empty()) {
        painter.drawText(inner, Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Train a probe to see its loss and held-out accuracy per fold."));
        painter.restore();
        return;
    }
    QFont bold = font;
    bold.setBold(true);
    const QString title = tr("Probe training per fold");
    const QRectF titleBox =
        QFontMetricsF(bold, painter.device())
            .boundingRect(QRectF(0, 0, inner.width(), 1e6), Qt::AlignHCenter | Qt::TextWordWrap, title);
    painter.setFont(bold);
    painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), titleBox.height()),
                     Qt::AlignHCenter | Qt::TextWordWrap, title);
    painter.setFont(font);

    // Legend entries: one colour per fold (and the final refit), then the line styles.
    struct Entry
    {
        QString label;
        QColor colour;
        Qt::PenStyle style;
    };
    std::vector<int> folds;
    for (const ProbeCurvesData::Run& run : data.runs)
        if (std::find(folds.begin(), folds.end(), run.fold) == folds.end()) folds.push_back(run.fold);
    std::sort(folds.begin(), folds.end(),
              [](int a, int b) { return (a < 0 ? 1000 : a) < (b < 0 ? 1000 : b); });
    std::vector<Entry> entries;
    for (int fold : folds)
        entries.push_back(
            {fold < 0 ? tr("final refit") : tr("fold %1").arg(fold + 1), foldColour(fold), Qt::SolidLine});
    const QColor styleSample(130, 130, 130); // line styles, in a grey no fold uses
    entries.push_back({tr("train"), styleSample, Qt::SolidLine});
    entries.push_back({tr("held out"), styleSample, Qt::DashLine});
    const double swatch = 1.6 * line, gap = 1.0 * line;
    std::vector<QPointF> positions;
    double x = 0, y = 0;
    for (const Entry& entry : entries) {
        const double width = swatch + 0.3 * line + metrics.horizontalAdvance(entry.label);
        if (x > 0 && x + width > inner.width()) x = 0, y += 1.2 * line;
        positions.emplace_back(x, y);
        x += width + gap;
    }
    const double legendTop = inner.bottom() - (y + line);
    for (size_t i = 0; i < entries.size(); ++i) {
        const QPointF at = inner.topLeft() + QPointF(0, legendTop - inner.top()) + positions[i];
        painter.setPen(QPen(entries[i].colour, std::max(0.8, 0.12 * line), entries[i].style));
        painter.drawLine(at + QPointF(0, line / 2), at + QPointF(swatch, line / 2));
        painter.setPen(text);
        painter.drawText(QRectF(at.x() + swatch + 0.3 * line, at.y(), inner.width(), line),
                         Qt::AlignLeft | Qt::AlignVCenter, entries[i].label);
    }

    // Data ranges.
    double maxStep = 1, lowLoss = 1e300, highLoss = -1e300;
    for (const ProbeCurvesData::Run& run : data.runs)
        for (const auto& step : run.steps) {
            maxStep = std::max(maxStep, double(step.step));
            for (double loss : {step.trainLoss, step.validationLoss})
                if (std::isfinite(loss) && loss > 0)
                    lowLoss = std::min(lowLoss, loss), highLoss = std::max(highLoss, loss);
        }
    if (highLoss < lowLoss) lowLoss = 0, highLoss = 1;
    const double margin = 0.04 * std::max(highLoss - lowLoss, 1e-6); // curves clear of the frame
    const double lossLow = lowLoss - margin, lossHigh = highLoss + margin;
    const Ticks lossTicks = niceTicks(lossLow, lossHigh, 5);
    double lowestAccuracy = 0.3;
    for (const ProbeCurvesData::Run& run : data.runs)
        for (const auto& step : run.steps)
            if (run.fold >= 0 && std::isfinite(step.validationAccuracy))
                lowestAccuracy = std::min(lowestAccuracy, std::floor(step.validationAccuracy * 10) / 10);
    const Ticks accuracyTicks = niceTicks(lowestAccuracy, 1.0, 5);

    // Two panels side by side: loss | held-out accuracy, each with its y labels and the step axis below.
    const double top = inner.top() + titleBox.height() + pad;
    const double bottom = legendTop - pad - 2.35 * line;
    const double panelGap = 1.2 * line;
    const double panelWidth = (inner.width() - panelGap) / 2;
    struct Axis
    {
        QString title;
        double low, high;
        Ticks ticks;
    };
    const Axis axes[2] = {{tr("loss"), lossLow, lossHigh, lossTicks},
                          {tr("held-out accuracy"), lowestAccuracy, 1.0, accuracyTicks}};
    const Ticks stepTicks = niceTicks(0, maxStep, std::max(2, int(panelWidth / (4 * line))));
    for (int p = 0; p < 2; ++p) {
        const Axis& axis = axes[p];
        double labelWidth = 0;
        for (int t = 0; t < axis.ticks.count; ++t)
            labelWidth =
                std::max(labelWidth, metrics.horizontalAdvance(QString::number(
                                         axis.ticks.first + t * axis.ticks.step, 'f', axis.ticks.decimals)));
        const double left = inner.left() + p * (panelWidth + panelGap);
        const QRectF plot(left + line + 0.3 * line + labelWidth + 0.3 * line, top,
                          panelWidth - (line + 0.6 * line + labelWidth) -
                              metrics.horizontalAdvance(QStringLiteral("0000")) / 2,
                          std::max(line, bottom - top));
        auto xOf = [&](double step) { return plot.left() + step / maxStep * plot.width(); };
        auto yOf = [&](double value) {
            return plot.bottom() - (value - axis.low) / (axis.high - axis.low) * plot.height();
        };
        for (int t = 0; t < axis.ticks.count; ++t) {
            const double value = axis.ticks.first + t * axis.ticks.step, yTick = yOf(value);
            painter.setPen(QPen(QColor(225, 225, 225), 0));
            painter.drawLine(QPointF(plot.left(), yTick), QPointF(plot.right(), yTick));
            painter.setPen(text);
            painter.drawText(
                QRectF(plot.left() - 0.3 * line - labelWidth, yTick - line / 2, labelWidth, line),
                Qt::AlignRight | Qt::AlignVCenter, QString::number(value, 'f', axis.ticks.decimals));
        }
        for (int t = 0; t < stepTicks.count; ++t) {
            const double value = stepTicks.first + t * stepTicks.step, xTick = xOf(value);
            painter.setPen(QPen(QColor(225, 225, 225), 0));
            painter.drawLine(QPointF(xTick, plot.top()), QPointF(xTick, plot.bottom()));
            painter.setPen(text);
            painter.drawText(QRectF(xTick - 2 * line, plot.bottom() + 0.15 * line, 4 * line, line),
                             Qt::AlignHCenter | Qt::AlignTop,
                             QString::number(value, 'f', stepTicks.decimals));
        }
        painter.setPen(QPen(QColor(150, 150, 150), 0));
        painter.drawLine(plot.bottomLeft(), plot.bottomRight());
        painter.drawLine(plot.topLeft(), plot.bottomLeft());
        painter.setFont(bold);
        painter.setPen(text);
        painter.drawText(QRectF(plot.left(), plot.bottom() + 1.25 * line, plot.width(), line),
                         Qt::AlignHCenter | Qt::AlignTop, tr("step"));
        painter.save();
        painter.translate(left + line / 2, plot.center().y());
        painter.rotate(-90);
        painter.drawText(QRectF(-plot.height() / 2, -line / 2, plot.height(), line), Qt::AlignCenter,
                         axis.title);
        painter.restore();
        painter.setFont(font);
        painter.save();
        painter.setClipRect(plot.adjusted(-1, -1, 1, 1));
        for (const ProbeCurvesData::Run& run : data.runs) {
            if (p == 1 && run.fold < 0) continue; // the final refit has no held-out set
            for (int series = 0; series < (p == 0 ? 2 : 1); ++series) {
                QPainterPath path;
                for (size_t i = 0; i < run.steps.size(); ++i) {
                    const auto& step = run.steps[i];
                    const double value = p == 1        ? step.validationAccuracy
                                         : series == 0 ? step.trainLoss
                                                       : step.validationLoss;
                    const QPointF point(xOf(step.step), yOf(value));
                    if (i == 0)
                        path.moveTo(point);
                    else
                        path.lineTo(point);
                }
                painter.setPen(QPen(foldColour(run.fold), std::max(0.7, 0.1 * line),
                                    p == 0 && series == 1 ? Qt::DashLine : Qt::SolidLine));
                painter.drawPath(path);
            }
        }
        painter.restore();
    }
    painter.restore();
}

FigurePainter ProbeCurves::figure() const
{
    return [this](QPainter& painter, const QRectF& rect, const FigureStyle& style) {
        painter.fillRect(rect, Qt::white);
        paintProbeCurves(painter, rect, style.font(), m_data);
    };
}

void ProbeCurves::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    paintProbeCurves(painter, QRectF(rect()), font(), m_data);
}
