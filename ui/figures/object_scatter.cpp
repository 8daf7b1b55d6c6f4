#include "figures/object_scatter.h"

#include <QCoreApplication>
#include <cmath>

using namespace alignscope;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ObjectScatter", text);
}

// The measure's value for stimulus s, NaN when it has none.
double valueOf(const PerObjectAlignment& alignment, const std::vector<NeighbourComparison>& neighbours,
               ObjectMeasure measure, size_t s)
{
    if (measure.model < 0) return NAN;
    const size_t m = size_t(measure.model);
    if (measure.kind == ObjectMeasure::Kind::Accuracy)
        return m < alignment.models.size() ? alignment.models[m][s].accuracy : NAN;
    return m < neighbours.size() ? neighbours[m].objects[s].jaccard : NAN;
}

} // namespace

QString objectMeasureLabel(const std::vector<std::string>& modelNames,
                           const std::vector<NeighbourComparison>& neighbours, ObjectMeasure measure)
{
    const QString model = measure.model >= 0 && size_t(measure.model) < modelNames.size()
                              ? QString::fromStdString(modelNames[size_t(measure.model)])
                              : QString();
    if (measure.kind == ObjectMeasure::Kind::Accuracy) return tr("accuracy: %1").arg(model);
    return tr("neighbours J@%1: %2").arg(neighbours.empty() ? 0 : neighbours.front().k).arg(model);
}

PopulationFigureData objectScatterFigure(const StimulusSet& stimuli,
                                         const std::vector<std::string>& modelNames,
                                         const PerObjectAlignment& alignment,
                                         const std::vector<NeighbourComparison>& neighbours, ObjectMeasure x,
                                         ObjectMeasure y)
{
    PopulationFigureData out;
    out.view = PopulationView::Scatter;
    out.xLabel = objectMeasureLabel(modelNames, neighbours, x);
    out.yLabel = objectMeasureLabel(modelNames, neighbours, y);
    out.title = tr("Per object: %1 against %2").arg(out.yLabel, out.xLabel);
    out.identityLine = x.kind == y.kind; // the same measure of two models: the diagonal is "as good"
    if (x == y) {
        out.message = tr("Choose two different measures.");
        return out;
    }
    int without = 0;
    for (size_t s = 0; s < stimuli.size(); ++s) {
        const double xs = valueOf(alignment, neighbours, x, s), ys = valueOf(alignment, neighbours, y, s);
        if (!std::isfinite(xs) || !std::isfinite(ys)) {
            ++without;
            continue;
        }
        PopulationPoint point;
        point.model = QString::fromStdString(stimuli.displayName(s));
        point.modelIndex = int(s);
        point.x = xs;
        point.y = ys;
        out.points.push_back(point);
    }
    if (without > 0)
        out.modelsWithoutValues << QCoreApplication::translate(
            "ObjectScatter", "%n object(s) without both values", nullptr, without);
    if (out.points.empty()) out.message = tr("No object has both values.");
    return out;
}
