#include "alignscope/report_tables.h"

#include <charconv>
#include <cmath>

namespace alignscope {

namespace {

std::string fixed(double value, int digits = 3)
{
    return fixedText(value, digits);
}

std::string interval(double low, double high)
{
    return "[" + fixed(low) + ", " + fixed(high) + "]";
}

std::string withThousands(std::int64_t value)
{
    std::string digits = std::to_string(value), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

ReportTable oddOneOutTable(const OddOneOutAnalysis& analysis)
{
    ReportTable table;
    table.caption =
        "Odd-one-out accuracy (" + std::string(similarityName(analysis.options.similarity)) +
        " similarity, " + withThousands(std::int64_t(analysis.triplets ? analysis.triplets->size() : 0)) +
        " triplets; chance 0.333" +
        (analysis.repeats.noiseCeiling ? "; noise ceiling " + fixed(*analysis.repeats.noiseCeiling)
                                       : std::string()) +
        ").";
    table.label = "tab:odd-one-out";
    table.header = {"Model", "Accuracy", "95% CI (triplets)", "95% CI (objects)", "Ties", "Triplets"};
    if (analysis.repeats.noiseCeiling) table.header.insert(table.header.begin() + 4, "Normalised");
    for (const ModelAnalysis& model : analysis.models) {
        std::vector<std::string> row{model.name, fixed(model.choices.accuracy()),
                                     interval(model.ci95.low, model.ci95.high),
                                     interval(model.ci95Objects.low, model.ci95Objects.high)};
        if (analysis.repeats.noiseCeiling) {
            const double ceiling = *analysis.repeats.noiseCeiling;
            row.push_back(fixed((model.choices.accuracy() - 1.0 / 3.0) / (ceiling - 1.0 / 3.0)));
        }
        row.push_back(std::to_string(model.choices.ties));
        row.push_back(withThousands(std::int64_t(model.choices.size())));
        table.rows.push_back(std::move(row));
    }
    return table;
}

ReportTable rsaTable(const std::vector<std::shared_ptr<const RsaAnalysis>>& analyses)
{
    ReportTable table;
    table.caption = "Representational similarity analysis: correlation of model and human dissimilarities.";
    table.label = "tab:rsa";
    table.header = {"Dataset", "Model", "RDM", "Comparison", "r", "95% CI (stimuli)", "Stimuli"};
    for (const auto& analysis : analyses)
        for (const RsaModelResult& model : analysis->models)
            table.rows.push_back(
                {analysis->dataset, model.name, rdmMethodName(analysis->method),
                 compareMethodName(analysis->compare), fixed(model.r),
                 model.ci95 ? interval(model.ci95->low, model.ci95->high) : std::string("--"),
                 withThousands(analysis->human.n)});
    return table;
}

std::string fixedText(double value, int digits)
{
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char buffer[400];
    const auto [end, error] =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, digits);
    return error == std::errc() ? std::string(buffer, end) : std::string();
}

namespace {

bool isNumber(const std::string& text)
{
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

} // namespace

std::string csvField(const std::string& text)
{
    // A spreadsheet runs a cell that begins with = + - @ (or tab, CR) as a formula: a quote makes it text
    // (OWASP's advice); numbers such as -0.5 stay numbers.
    std::string cell = text;
    if (!cell.empty() && std::string("=+-@\t\r").find(cell[0]) != std::string::npos && !isNumber(cell))
        cell = "'" + cell;
    if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string toCsv(const ReportTable& table)
{
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        for (size_t i = 0; i < cells.size(); ++i)
            out += (i ? "," : "") + csvField(cells[i]);
        out += "\r\n";
    };
    line(table.header);
    for (const auto& row : table.rows)
        line(row);
    return out;
}

std::string latexEscape(const std::string& text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
        case '{':
        case '}':
            out += '\\';
            out += c;
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        case '\n':
        case '\r':
            // A blank line would end the paragraph inside a tabular cell: line breaks become spaces.
            if (out.empty() || out.back() != ' ') out += ' ';
            break;
        default:
            out += c;
        }
    }
    // After \\ or \toprule, "[" would be read as an optional argument: an empty group ends that search.
    const size_t first = out.find_first_not_of(' ');
    if (first != std::string::npos && out[first] == '[') out.insert(0, "{}");
    return out;
}

std::string toLatex(const ReportTable& table)
{
    std::string columns = "l";
    for (size_t i = 1; i < table.header.size(); ++i)
        columns += (i == 1 && table.header.size() > 5 && table.header[1] == "Model") ? "l" : "r";
    std::string out =
        "% Generated by AlignScope; needs \\usepackage{booktabs}\n\\begin{table}[t]\n\\centering\n";
    out += "\\caption{" + latexEscape(table.caption) + "}\n\\label{" + table.label + "}\n";
    out += "\\begin{tabular}{" + columns + "}\n\\toprule\n";
    auto line = [&](const std::vector<std::string>& cells) {
        for (size_t i = 0; i < cells.size(); ++i)
            out += (i ? " & " : "") + latexEscape(cells[i]);
        out += " \\\\\n";
    };
    line(table.header);
    out += "\\midrule\n";
    for (const auto& row : table.rows)
        line(row);
    out += "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
    return out;
}

std::string methodsParagraph(const OddOneOutAnalysis* analysis,
                             const std::vector<std::shared_ptr<const RsaAnalysis>>& rsa,
                             const std::string& appVersion)
{
    std::string text = "Results were computed with AlignScope " + appVersion + ".";
    if (analysis && analysis->triplets && analysis->stimuli) {
        text += " Odd-one-out accuracy: for each of " +
                withThousands(std::int64_t(analysis->triplets->size())) + " human triplet judgments over " +
                withThousands(std::int64_t(analysis->stimuli->size())) +
                " objects, a model's choice is the object outside the most similar pair under " +
                similarityName(analysis->options.similarity) +
                " similarity of its features; exact ties count as errors; accuracy is the share of triplets "
                "where the model "
                "chooses the object the participant chose (chance 1/3). The 95% confidence interval over "
                "triplets is a percentile "
                "bootstrap interval with " +
                std::to_string(analysis->bootstrapReplicates) + " replicates (seed " +
                std::to_string(analysis->seed) +
                "); the interval over objects is accuracy ± 1.96 standard errors from the "
                "delete-one-object jackknife (each object left out with every triplet that contains it).";
        if (analysis->repeats.noiseCeiling)
            text += " The noise ceiling (" + fixed(*analysis->repeats.noiseCeiling) +
                    ") is the leave-one-out agreement of repeated "
                    "judgments with the majority of the others, from " +
                    withThousands(analysis->repeats.groups) + " triplets judged " + "more than once (" +
                    withThousands(analysis->repeats.repeatedResponses) +
                    " responses); normalised accuracy is (accuracy − 1/3) / (ceiling − 1/3).";
        if (!analysis->conceptLabels.empty())
            text += " Per-concept accuracies group triplets by the concept dimension that dominates the "
                    "human choice (" +
                    std::to_string(analysis->conceptLabels.size()) + " dimensions).";
    }
    if (!rsa.empty()) {
        const RsaAnalysis& first = *rsa.front();
        text += std::string(" RSA: model RDMs are ") + rdmMethodName(first.method) +
                " distances between feature vectors; they are " +
                "compared with the human dissimilarities by " + compareMethodName(first.compare) +
                " correlation over the upper triangle; 95% intervals bootstrap the stimuli (100 replicates, "
                "seed 0; skipped above 5 million pairs).";
    }
    return text + "\n";
}

} // namespace alignscope
