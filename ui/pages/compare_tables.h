#pragma once
// The Compare page's tables as plain values (what exportPopulationTables writes), taken from the page's
// controller and selection: the page's layer may see both, the export sees only the values.

#include "export/table_export.h"

class PopulationController;
struct PopulationSelection;

PopulationTables populationTables(const PopulationController& controller,
                                  const PopulationSelection& selection);
