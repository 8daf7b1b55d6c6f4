#pragma once
// Whole-file reads with size limits, and atomic writes (temporary file + fsync + rename).

#include "alignscope/result.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace alignscope {

// Files larger than this are refused by readers that load a whole file into memory.
constexpr std::uint64_t kMaxWholeFileBytes = std::uint64_t(32) << 30;

Result<std::vector<char>> readWholeFile(const std::string& path, std::uint64_t maxBytes = kMaxWholeFileBytes);

// Reads at most `count` bytes from the start of a file (for content sniffing).
Result<std::vector<char>> readFilePrefix(const std::string& path, size_t count);

// Fails, naming the file, unless `path` is a regular file (so a FIFO or device is never opened by a reader).
Status checkRegularFile(const std::string& path);
// A regular file opened for reading: a FIFO or device is refused without blocking; errors name the path. For
// readers that take a file in parts (a header, then data straight into an array, or blocks of rows).
class InputFile
{
public:
    static Result<InputFile> open(const std::string& path);
    InputFile(InputFile&& other) noexcept
        : m_path(std::move(other.m_path)), m_fd(other.m_fd), m_size(other.m_size)
    {
        other.m_fd = -1;
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    InputFile& operator=(InputFile&&) = delete;
    ~InputFile();

    std::uint64_t size() const { return m_size; }
    // Reads up to `count` bytes at `offset` into `destination`: fewer only where the file ends.
    Result<size_t> readAt(std::uint64_t offset, void* destination, size_t count) const;

private:
    InputFile(std::string path, int fd, std::uint64_t size) : m_path(std::move(path)), m_fd(fd), m_size(size)
    {
    }
    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

// Where a write to `path` goes: `path` itself when it is absent or a regular file, the file a symbolic link
// points to when that is a regular file; anything else (a FIFO, a device, a directory, a dangling link) is an
// error.
Result<std::string> resolveWriteTarget(const std::string& path);

// Writes to "<path>.tmp-<pid>-XXXXXX" in the same directory, fsyncs it, renames it over `path` and fsyncs the
// directory, so readers see either the old file or the complete new one, never a partial file. Only regular
// files are replaced (see resolveWriteTarget); temporaries left by killed processes in that directory are
// removed.
Status writeFileAtomically(const std::string& path, const void* data, size_t size);
inline Status writeFileAtomically(const std::string& path, const std::string& text)
{
    return writeFileAtomically(path, text.data(), text.size());
}

// A main file and its sidecars (e.g. features.npy and features.rows.txt) written as one unit: every file is
// written and synced under a temporary name, the old sidecars are removed, then the main file and the
// sidecars are renamed into place. An interruption can leave the main file without sidecars, never beside
// sidecars of other contents.
struct PendingFile
{
    std::string path;
    std::string bytes;
};
Status writeFileWithSidecars(const std::vector<PendingFile>& files);

std::string systemErrorText(int errnoValue);

// The folder of the running program (where its modules and scripts are looked for first); empty when
// /proc/self/exe cannot be read.
std::string executableFolder();

// For tests of what a failing disk does (a full one is simulated with RLIMIT_FSIZE, which makes write()
// fail): from now on every fsync or rename of the atomic writers above and below fails with `errnoValue`,
// until it is set back to 0.
enum class WriteStep
{
    Sync,
    Rename
};
void simulateWriteFailure(WriteStep step, int errnoValue);

// Streams a large file (or a download) to "<path>.tmp-<pid>-XXXXXX" and renames it over `path` on commit(),
// with the checks of writeFileAtomically; destroying it without commit() removes the temporary, so `path`
// never holds a partial file.
class AtomicFileWriter
{
public:
    explicit AtomicFileWriter(std::string path);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    Status open();
    // False once a write has failed; commit() then reports why and removes the temporary.
    bool write(const void* data, size_t size);
    bool write(const std::string& text) { return write(text.data(), text.size()); }
    Status commit();

private:
    void fail(const char* what); // records the first failure and errno's reason

    std::string m_path;
    std::string m_temp;
    std::FILE* m_file = nullptr;
    bool m_failed = false;
    std::string m_error;
};

} // namespace alignscope
