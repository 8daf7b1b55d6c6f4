#pragma once
// Results tables for papers: odd-one-out and RSA results as CSV and LaTeX (booktabs), with confidence
// intervals, and a methods paragraph that states every metric, similarity, CI method, seed and count.

#include "alignscope/delimited_table.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/rsa_analysis.h"

#include <memory>
#include <string>
#include <vector>

namespace alignscope {

struct ReportTable
{
    std::string caption;
    std::string label; // LaTeX \label
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

ReportTable oddOneOutTable(const OddOneOutAnalysis& analysis);
ReportTable rsaTable(const std::vector<std::shared_ptr<const RsaAnalysis>>& analyses);

// csvField (delimited_table.h) quotes and neutralises every cell.
std::string toCsv(const ReportTable& table);
// A booktabs table (\toprule, \midrule, \bottomrule); LaTeX special characters in cells are escaped, line
// breaks in a cell become spaces and a cell beginning with '[' is guarded with {}.
std::string toLatex(const ReportTable& table);
std::string latexEscape(const std::string& text);
// `value` with `digits` decimals and '.', whatever the locale.
std::string fixedText(double value, int digits);

// One paragraph (Markdown/plain text) describing how the numbers were computed.
std::string methodsParagraph(const OddOneOutAnalysis* oddOneOut,
                             const std::vector<std::shared_ptr<const RsaAnalysis>>& rsa,
                             const std::string& appVersion);

} // namespace alignscope
