#include "alignscope/population_report.h"

#include <charconv>
#include <cmath>

namespace alignscope {

namespace {

std::string fixed(double value, int digits = 3)
{
    if (!std::isfinite(value)) return "";
    return fixedText(value, digits);
}

std::string interval(const std::optional<Interval>& ci)
{
    return ci && std::isfinite(ci->low) && std::isfinite(ci->high)
               ? "[" + fixed(ci->low) + ", " + fixed(ci->high) + "]"
               : "";
}

std::string pValue(const std::optional<double>& p)
{
    if (!p) return "";
    if (!(*p < 0.001)) return fixedText(*p, 3);
    char buffer[32];
    const auto [end, error] =
        std::to_chars(buffer, buffer + sizeof buffer, *p, std::chars_format::scientific, 1);
    return error == std::errc() ? std::string(buffer, end) : std::string();
}

} // namespace

ReportTable populationTable(const ModelPopulation& population, const ModelMetadata& metadata,
                            const MetadataMatch& match, const std::vector<std::string>& metrics)
{
    ReportTable table;
    table.caption = "Models compared, their metadata and results (95% intervals where computed).";
    table.label = "tab:models";
    table.header.push_back("model");
    for (const MetadataColumn& column : metadata.columns)
        table.header.push_back(column.name);
    for (const std::string& metric : metrics) {
        table.header.push_back(metric);
        table.header.push_back(metric + " 95% CI");
    }
    for (size_t m = 0; m < population.models.size(); ++m) {
        const std::string& model = population.models[m];
        std::vector<std::string> row{model};
        const int metaRow = m < match.rowForModel.size() ? match.rowForModel[m] : -1;
        for (const MetadataColumn& column : metadata.columns)
            row.push_back(metaRow >= 0 ? column.text[size_t(metaRow)] : "");
        for (const std::string& metric : metrics) {
            const auto value = population.value(model, metric);
            row.push_back(value ? fixed(*value) : "");
            row.push_back(interval(population.interval(model, metric)));
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

ReportTable populationStatisticsTable(const std::string& metric, const std::string& x,
                                      const std::optional<CorrelationStatistic>& pearson,
                                      const std::optional<CorrelationStatistic>& spearman,
                                      const std::string& by, const std::optional<FactorStatistic>& factor)
{
    ReportTable table;
    table.caption = "Statistics over models for " + metric + ".";
    table.label = "tab:population";
    table.header = {"statistic", "variable", "value", "95% CI", "p", "models", "note"};
    auto correlation = [&](const char* name, const std::optional<CorrelationStatistic>& c) {
        if (c)
            table.rows.push_back({name, x, fixed(c->r), interval(c->ci95), pValue(c->pValue),
                                  std::to_string(c->models), c->note});
    };
    correlation("Pearson r", pearson);
    correlation("Spearman rho", spearman);
    if (factor) {
        table.rows.push_back({"eta squared", by, fixed(factor->etaSquared), "", pValue(factor->pValue),
                              std::to_string(factor->models), factor->note});
        for (const GroupSummary& group : factor->groups)
            table.rows.push_back({"mean of " + group.level, by, fixed(group.mean), interval(group.ci95), "",
                                  std::to_string(group.models), ""});
        for (const GroupDifference& pair : factor->pairs)
            table.rows.push_back({pair.a + " - " + pair.b, by, fixed(pair.difference), "",
                                  pValue(pair.pHolm) + " (Holm)", "", ""});
    }
    return table;
}

std::string mixedResultsNote(const PoolingCheck& pooling)
{
    if (!pooling.mixedResults()) return {};
    std::string note = "WARNING: results were pooled although they differ (" + pooling.differing + "): ";
    for (size_t i = 0; i < pooling.mixed.size(); ++i)
        note += (i ? "; " : "") + pooling.mixed[i];
    return note + ".";
}

std::string populationMethodsParagraph(const PopulationOptions& options, int models, bool logX,
                                       const PoolingCheck& pooling)
{
    std::string caveats;
    if (pooling.mixedResults()) caveats += mixedResultsNote(pooling) + "\n\n";
    if (!pooling.unfingerprinted.empty()) {
        caveats += "Results without a fingerprint (not checked for the same triplets and similarity):";
        for (size_t i = 0; i < pooling.unfingerprinted.size(); ++i)
            caveats += (i ? ", " : " ") + pooling.unfingerprinted[i];
        caveats += ".\n\n";
    }
    return caveats + "Statistics over " + std::to_string(models) +
           " models (AlignScope). Correlations between per-model values are Pearson's r and Spearman's rho "
           "(average ranks for ties)" +
           std::string(logX ? ", with the parameter axis as log10 of its values" : "") +
           "; their 95% intervals are percentile bootstraps over models (" +
           std::to_string(options.bootstrap) +
           " replicates) and their p-values two-sided permutation tests (" +
           std::to_string(options.permutations) +
           " permutations, p = (extreme + 1) / (permutations + 1)). A categorical column's share of variance "
           "is eta squared (between-group over total sum of squares) with a permutation p-value; group means "
           "have bootstrap intervals within the group, and pairwise mean differences permutation p-values "
           "corrected with Holm's step-down method. Fewer than " +
           std::to_string(kMinModelsForStatistics) +
           " models give no interval or p-value. All draws use one seeded generator (seed " +
           std::to_string(options.seed) + ").\n";
}

} // namespace alignscope
