#pragma once
// Results tables for papers: odd-one-out and RSA tables as CSV and LaTeX (booktabs), and methods.md.

#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/rsa_analysis.h"

#include <QStringList>
#include <memory>
#include <vector>

// Writes results-ooo.{csv,tex}, results-rsa.{csv,tex} (when computed) and methods.md into `folder`
// atomically; returns the files written and appends one-line errors to `errors`.
QStringList exportTables(const alignscope::OddOneOutAnalysis* oddOneOut,
                         const std::vector<std::shared_ptr<const alignscope::RsaAnalysis>>& rsa,
                         const QString& folder, QStringList* errors);

class PopulationController;
struct PopulationSelection;

// The Compare page's tables: compare-models.{csv,tex} (models, metadata, the selection's result),
// compare-statistics.{csv,tex} (the selection's statistics, when computed) and compare-methods.md.
QStringList exportPopulationTables(const PopulationController& controller,
                                   const PopulationSelection& selection, const QString& folder,
                                   QStringList* errors);
