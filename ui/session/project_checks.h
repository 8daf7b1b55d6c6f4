#pragma once
// What a project folder must satisfy before anything in it is used or written over (see project_file.h):
// sidecar names and the SHA-256 of their content, saved choices and the numbers saved beside them, the
// revision, and the folders a save may write into. Each says why something fails, naming the file.

#include "alignscope/json_reader.h"
#include "alignscope/result.h"

#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace projectchecks {

// JSON numbers are exact integers up to 2^53: the largest revision a project holds.
constexpr std::int64_t kLargestRevision = std::int64_t(1) << 53;

QString projectJsonOf(const QString& folder);

// How a save names a sidecar: "data/<first 32 hex digits of the content's SHA-256><suffix>".
std::string sidecarNameFor(const std::vector<char>& bytes, const std::string& suffix);
bool isSidecarName(const QString& relative); // data/<32 hex digits>.npy or .npz, nothing else

// A sidecar that project.json names, read only when it is one a save writes: named as above, inside the
// project's own data folder (not a symbolic link), a regular file, and its content still hashing to its name.
alignscope::Result<std::vector<char>> readSidecar(const QString& folder, const std::string& name);

// Saved choices: a 1-D integer array of values from -1 to 2.
alignscope::Result<std::vector<std::int8_t>> parseChoices(const std::vector<char>& bytes,
                                                          const std::string& path);

// Why a saved odd-one-out model (its counts, intervals, per-concept results) disagrees with its choices or
// is out of range; empty when it verifies.
QString savedModelProblem(const alignscope::JsonValue& model, const std::vector<std::int8_t>& choices);
// The same for a saved RSA correlation and for the saved probe's numbers.
QString savedRsaProblem(const alignscope::JsonValue& entry);
QString savedProbeProblem(const alignscope::JsonValue& probe);

// The saved revision: a whole number from 0 to 2^53 (0 when absent).
alignscope::Result<std::int64_t> readRevision(const alignscope::JsonValue& project, const QString& file);

// Why a save into `folder` is refused, or empty (see checkProjectFolder).
QString folderRefusal(const QString& folder);

} // namespace projectchecks
