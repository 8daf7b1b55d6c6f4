#pragma once
// Project files: a folder with project.json and content-addressed sidecars (data/<hash>.npy|npz), written
// from and read into a ProjectData value. It records what was opened (with size, modification time and
// SHA-256), settings, row mappings, features that exist only in memory (extracted, probed) with their
// provenance, the probe's transform, and the computed results with a methods paragraph. Saving is atomic:
// sidecars are written first under names derived from their content, project.json last (temporary file +
// fsync + rename); project.json lists the sidecars it wrote ("files"), and only those of the previous save
// that are no longer referenced are removed after that: a save never removes a file it did not write.
//
// Opening trusts nothing in the folder: a sidecar is read only from the project's own data folder (no `..`,
// no absolute path, no symbolic link) and only when its content still has the SHA-256 its name was made
// from; saved choices must be integers from -1 to 2 and agree with the counts and intervals saved beside
// them; RSA and probe numbers must be in range. What does not verify is reported (naming the file and why)
// and left out, so that it is recomputed instead of shown.

#include "session/project_data.h"

#include <QString>
#include <QStringList>
#include <cstdint>

// Returns an error message naming the file, or an empty string. `project.revision` is ignored: the saved
// revision is the folder's previous one + 1 (at most 2^53, where JSON's integers end).
QString saveProject(const ProjectData& project, const QString& folder);

// Why saveProject would refuse `folder`, or an empty string: a folder that is neither empty nor a project
// (files of the user's), a `data` that is a symbolic link, or a project.json that is not a valid project.
QString checkProjectFolder(const QString& folder);

// A folder with a project.json (valid or not): what opens as a project rather than as input files.
bool isProjectFolder(const QString& path);

// Reads a project folder. Each input's `changed` says whether its size, time or hash differ from when the
// project was saved; whatever does not verify (see above) is reported in `notes` and left out. Fails for a
// folder that is not a project or a revision that is not a whole number from 0 to 2^53.
QString openProject(const QString& folder, ProjectData* project, QStringList* notes);

// The `revision` counter stored in project.json (incremented by every save); -1 when there is none or it is
// not valid.
std::int64_t projectRevision(const QString& folder);
