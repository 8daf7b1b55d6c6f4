#pragma once
// Project files: a folder with project.json and content-addressed sidecars (data/<hash>.npy|npz). It records
// what was opened (with size, modification time and SHA-256), settings, row mappings, features that exist
// only in memory (extracted, probed) with their provenance, the probe's transform, and the computed results
// with a methods paragraph. Saving is atomic: sidecars are written first under names derived from their
// content, project.json last (temporary file + fsync + rename); unreferenced sidecars are removed only after
// that.

#include <QString>
#include <QStringList>

class MainWindow;

// Returns an error message naming the file, or an empty string.
QString saveProject(MainWindow& window, const QString& folder);

// Restores a saved project into an empty window. Inputs are reopened; an input whose size, time or hash
// changed is reported in `notes` (its analyses are recomputed from the new content). Stored features whose
// extraction inputs are unchanged are restored from their sidecars without re-running the model; stale
// ones are re-extracted. The probe's transform is restored without retraining.
QString openProject(MainWindow& window, const QString& folder, QStringList* notes);

// The `revision` counter stored in project.json (incremented by every save).
int projectRevision(const QString& folder);
