#include "pages/compare_tables.h"

#include "controllers/population_controller.h"

#include <algorithm>

PopulationTables populationTables(const PopulationController& controller,
                                  const PopulationSelection& selection)
{
    PopulationTables tables;
    tables.population = controller.population();
    tables.metadata = controller.metadata();
    tables.match = controller.match();
    tables.metrics = {selection.y.toStdString()};
    const auto& all = tables.population.metrics;
    if (std::find(all.begin(), all.end(), selection.x.toStdString()) != all.end())
        tables.metrics.push_back(selection.x.toStdString());
    tables.pooling = controller.pooling(selection);
    tables.allowMixed = controller.allowMixed();
    tables.options = controller.options();
    tables.logX = selection.logX;
    if (const auto& statistics = controller.statistics())
        tables.statistics = PopulationTables::Statistics{statistics->selection.y.toStdString(),
                                                         statistics->selection.x.toStdString(),
                                                         statistics->selection.groupBy.toStdString(),
                                                         statistics->pearson,
                                                         statistics->spearman,
                                                         statistics->factor};
    return tables;
}
