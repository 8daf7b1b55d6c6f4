#include "figures/object_maps.h"

#include <QCoreApplication>
#include <map>

using namespace alignscope;

ObjectMapsFigure objectMapsFigure(const StimulusSet& stimuli, const std::string& modelName,
                                  const ObjectMap& model, const std::string& humanName,
                                  const ObjectMap& human, const std::vector<int>& topConcept,
                                  const std::vector<std::string>& conceptLabels)
{
    ObjectMapsFigure out;
    out.title = QCoreApplication::translate("ObjectMaps", "Objects under %1 and under people")
                    .arg(QString::fromStdString(modelName));
    out.leftTitle = QString::fromStdString(modelName);
    out.rightTitle =
        QCoreApplication::translate("ObjectMaps", "people (%1)").arg(QString::fromStdString(humanName));
    const size_t n = stimuli.size();
    if (model.n != std::int64_t(n) || human.n != std::int64_t(n) || n < 3) {
        out.message = QCoreApplication::translate("ObjectMaps", "Open a concept space to map the objects.");
        return out;
    }
    std::map<int, int> legendOf; // top dimension -> legend entry, in order of dimension
    for (size_t s = 0; s < n && s < topConcept.size(); ++s)
        if (topConcept[s] >= 0) legendOf[topConcept[s]] = 0;
    for (auto& [dimension, entry] : legendOf) {
        entry = int(out.legend.size());
        out.legend << (size_t(dimension) < conceptLabels.size()
                           ? QString::fromStdString(conceptLabels[size_t(dimension)])
                           : QString::number(dimension));
    }
    for (size_t s = 0; s < n; ++s) {
        out.left.emplace_back(model.xy[2 * s], model.xy[2 * s + 1]);
        out.right.emplace_back(human.xy[2 * s], human.xy[2 * s + 1]);
        out.colour.push_back(s < topConcept.size() && topConcept[s] >= 0 ? legendOf[topConcept[s]] : -1);
        out.names << QString::fromStdString(stimuli.displayName(s));
    }
    return out;
}
