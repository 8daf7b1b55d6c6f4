#pragma once
// Project files: a folder with project.json and content-addressed sidecars (data/<hash>.npy|npz), written
// from and read into a ProjectData value. It records what was opened (with size, modification time and
// SHA-256), settings, row mappings, features that exist only in memory (extracted, probed) with their
// provenance, the probe's transform, and the computed results with a methods paragraph. Saving is atomic:
// sidecars are written first under names derived from their content, project.json last (temporary file +
// fsync + rename); unreferenced sidecars are removed only after that.

#include "session/project_data.h"

#include <QString>
#include <QStringList>

// Returns an error message naming the file, or an empty string. `project.revision` is ignored: the saved
// revision is the folder's previous one + 1.
QString saveProject(const ProjectData& project, const QString& folder);

// Reads a project folder. Each input's `changed` says whether its size, time or hash differ from when the
// project was saved; sidecars that cannot be read are reported in `notes` and left out.
QString openProject(const QString& folder, ProjectData* project, QStringList* notes);

// The `revision` counter stored in project.json (incremented by every save); -1 when there is none.
int projectRevision(const QString& folder);
