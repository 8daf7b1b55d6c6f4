#include "alignscope/file_io.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace alignscope {

std::string systemErrorText(int errnoValue)
{
    return std::strerror(errnoValue);
}

std::string executableFolder()
{
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string() : exe.parent_path().string();
}

namespace {

std::atomic<int> simulatedSyncError{0}, simulatedRenameError{0};

int syncFile(int fd)
{
    if (const int simulated = simulatedSyncError.load()) {
        errno = simulated;
        return -1;
    }
    return ::fsync(fd);
}

int renameFile(const std::string& from, const std::string& to)
{
    if (const int simulated = simulatedRenameError.load()) {
        errno = simulated;
        return -1;
    }
    return ::rename(from.c_str(), to.c_str());
}

} // namespace

void simulateWriteFailure(WriteStep step, int errnoValue)
{
    (step == WriteStep::Sync ? simulatedSyncError : simulatedRenameError).store(errnoValue);
}

namespace {

struct FileCloser
{
    int fd;
    ~FileCloser()
    {
        if (fd >= 0) ::close(fd);
    }
};

const char* kindOf(mode_t mode)
{
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

Error notRegular(const std::string& path, mode_t mode, const std::string& consequence)
{
    return makeError(path, "", std::string("is ") + kindOf(mode) + ", not a regular file" + consequence);
}

Result<std::vector<char>> readUpTo(const std::string& path, std::uint64_t maxBytes, bool refuseLarger)
{
    auto file = InputFile::open(path);
    if (!file) return file.error();
    const std::uint64_t fileSize = file->size();
    if (refuseLarger && fileSize > maxBytes)
        return makeError(path, "", "file is too large (" + std::to_string(fileSize) + " bytes)");
    std::vector<char> bytes;
    try {
        bytes.resize(static_cast<size_t>(std::min(fileSize, maxBytes)));
    } catch (const std::bad_alloc&) {
        return makeError(path, "", "not enough memory to read " + std::to_string(fileSize) + " bytes");
    }
    auto filled = file->readAt(0, bytes.data(), bytes.size());
    if (!filled) return filled.error();
    bytes.resize(*filled); // the file shrank while reading
    return bytes;
}

} // namespace

Result<std::vector<char>> readWholeFile(const std::string& path, std::uint64_t maxBytes)
{
    return readUpTo(path, maxBytes, true);
}

Result<std::vector<char>> readFilePrefix(const std::string& path, size_t count)
{
    return readUpTo(path, count, false);
}

Result<InputFile> InputFile::open(const std::string& path)
{
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; it is refused below.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return makeError(path, "", "cannot open: " + systemErrorText(errno));
    FileCloser closer{fd};
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) return makeError(path, "", "cannot stat: " + systemErrorText(errno));
    if (!S_ISREG(info.st_mode)) return notRegular(path, info.st_mode, "");
    closer.fd = -1;
    return InputFile(path, fd, static_cast<std::uint64_t>(info.st_size));
}

InputFile::~InputFile()
{
    if (m_fd >= 0) ::close(m_fd);
}

Result<size_t> InputFile::readAt(std::uint64_t offset, void* destination, size_t count) const
{
    size_t filled = 0;
    while (filled < count) {
        const ssize_t got =
            ::pread(m_fd, static_cast<char*>(destination) + filled, count - filled, off_t(offset + filled));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0)
            return makeError(m_path, "byte " + std::to_string(offset + filled),
                             "read failed: " + systemErrorText(errno));
        if (got == 0) break;
        filled += static_cast<size_t>(got);
    }
    return filled;
}

Status checkRegularFile(const std::string& path)
{
    struct stat info
    {
    };
    if (::stat(path.c_str(), &info) != 0)
        return makeError(path, "", "cannot open: " + systemErrorText(errno));
    if (!S_ISREG(info.st_mode)) return notRegular(path, info.st_mode, "");
    return okStatus();
}

namespace {

std::string folderOf(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

// Temporary files are "<target>.tmp-<pid>-XXXXXX". Those of processes that no longer run (killed mid-write)
// are removed the first time this process writes into their folder.
void removeStaleTemporaries(const std::string& folder)
{
    static std::mutex mutex;
    static std::set<std::string> cleaned;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (!cleaned.insert(folder).second) return;
    }
    DIR* dir = ::opendir(folder.c_str());
    if (!dir) return;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        const size_t marker = name.rfind(".tmp-");
        if (marker == std::string::npos) continue;
        const std::string rest = name.substr(marker + 5); // "<pid>-XXXXXX"
        const size_t dash = rest.find('-');
        if (dash == std::string::npos || dash == 0 || rest.size() - dash - 1 != 6) continue;
        const std::string pidText = rest.substr(0, dash);
        if (pidText.find_first_not_of("0123456789") != std::string::npos || pidText.size() > 9) continue;
        const pid_t pid = pid_t(std::stol(pidText));
        if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
        ::unlinkat(::dirfd(dir), name.c_str(), 0);
    }
    ::closedir(dir);
}

} // namespace

Result<std::string> resolveWriteTarget(const std::string& path)
{
    struct stat info
    {
    };
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) return path;
        return makeError(path, "", "cannot stat: " + systemErrorText(errno));
    }
    if (S_ISREG(info.st_mode)) return path;
    if (!S_ISLNK(info.st_mode)) return notRegular(path, info.st_mode, "; refusing to replace it");
    // A symbolic link to a regular file: write the file it points to (the link stays a link).
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (!resolved)
        return makeError(path, "", "is a symbolic link that cannot be followed: " + systemErrorText(errno));
    const std::string target = resolved;
    std::free(resolved);
    if (::stat(target.c_str(), &info) != 0)
        return makeError(path, "", "cannot stat the link target " + target);
    if (!S_ISREG(info.st_mode))
        return notRegular(path + " -> " + target, info.st_mode, "; refusing to replace it");
    return target;
}

std::string temporaryPathFor(const std::string& target)
{
    removeStaleTemporaries(folderOf(target));
    return target + ".tmp-" + std::to_string(::getpid()) + "-XXXXXX";
}

namespace {

// Writes `data` to a new temporary file beside `path` (already resolved) and fsyncs it; returns the
// temporary's name.
Result<std::string> writeTemporary(const std::string& path, const void* data, size_t size)
{
    std::string temp = temporaryPathFor(path);
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return makeError(path, "", "cannot create temporary file: " + systemErrorText(errno));
    auto fail = [&](const std::string& what) {
        const int saved = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return makeError(path, "", what + ": " + systemErrorText(saved));
    };
    const char* bytes = static_cast<const char*>(data);
    size_t written = 0;
    while (written < size) {
        const ssize_t put = ::write(fd, bytes + written, size - written);
        if (put < 0 && errno == EINTR) continue;
        if (put == 0) errno = ENOSPC; // nothing written and no error: the device takes no more
        if (put <= 0) return fail("write failed");
        written += static_cast<size_t>(put);
    }
    if (::fchmod(fd, 0644) != 0) return fail("cannot set permissions");
    if (syncFile(fd) != 0) return fail("fsync failed");
    if (::close(fd) != 0) {
        ::unlink(temp.c_str());
        return makeError(path, "", "close failed: " + systemErrorText(errno));
    }
    return temp;
}

void syncFolderOf(const std::string& path)
{
    const int dirFd = ::open(folderOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd); // best effort: some file systems refuse fsync on directories
        ::close(dirFd);
    }
}

} // namespace

Status writeFileAtomically(const std::string& requestedPath, const void* data, size_t size)
{
    auto resolved = resolveWriteTarget(requestedPath);
    if (!resolved) return resolved.error();
    const std::string& path = *resolved;
    auto temp = writeTemporary(path, data, size);
    if (!temp) return temp.error();
    if (renameFile(*temp, path) != 0) {
        const int saved = errno;
        ::unlink(temp->c_str());
        return makeError(path, "", "rename failed: " + systemErrorText(saved));
    }
    syncFolderOf(path);
    return okStatus();
}

Status writeFileWithSidecars(const std::vector<PendingFile>& files)
{
    std::vector<std::string> targets, temps;
    auto removeTemps = [&] {
        for (const std::string& temp : temps)
            ::unlink(temp.c_str());
    };
    for (const PendingFile& file : files) {
        auto resolved = resolveWriteTarget(file.path);
        if (!resolved) return removeTemps(), resolved.error();
        auto temp = writeTemporary(*resolved, file.bytes.data(), file.bytes.size());
        if (!temp) return removeTemps(), temp.error();
        targets.push_back(*resolved);
        temps.push_back(*temp);
    }
    // The old sidecars go first: from here until the last rename, the main file may lack its sidecars (which
    // readers refuse) but never stands beside sidecars that describe other contents.
    for (size_t i = 1; i < targets.size(); ++i)
        if (::unlink(targets[i].c_str()) != 0 && errno != ENOENT) {
            const int saved = errno;
            removeTemps();
            return makeError(targets[i], "", "cannot replace: " + systemErrorText(saved));
        }
    for (size_t i = 0; i < targets.size(); ++i)
        if (renameFile(temps[i], targets[i]) != 0) {
            const int saved = errno;
            for (size_t j = i; j < temps.size(); ++j)
                ::unlink(temps[j].c_str());
            return makeError(targets[i], "",
                             "rename failed: " + systemErrorText(saved) +
                                 (i > 0 ? " (the file beside it has no sidecar now)" : ""));
        }
    for (const std::string& target : targets)
        syncFolderOf(target);
    return okStatus();
}

AtomicFileWriter::AtomicFileWriter(std::string path) : m_path(std::move(path)) {}

AtomicFileWriter::~AtomicFileWriter()
{
    if (m_file) {
        std::fclose(m_file);
        ::unlink(m_temp.c_str());
    }
}

Status AtomicFileWriter::open()
{
    auto resolved = resolveWriteTarget(m_path);
    if (!resolved) return resolved.error();
    m_path = *resolved;
    m_temp = temporaryPathFor(m_path);
    const int fd = ::mkstemp(m_temp.data());
    if (fd < 0) return makeError(m_path, "", "cannot create temporary file: " + systemErrorText(errno));
    if (::fchmod(fd, 0644) != 0) {
        const int saved = errno;
        ::close(fd);
        ::unlink(m_temp.c_str());
        return makeError(m_path, "", "cannot set permissions: " + systemErrorText(saved));
    }
    m_file = ::fdopen(fd, "wb");
    if (!m_file) {
        ::close(fd);
        ::unlink(m_temp.c_str());
        return makeError(m_path, "", "cannot open temporary file: " + systemErrorText(errno));
    }
    return okStatus();
}

bool AtomicFileWriter::write(const void* data, size_t size)
{
    if (!m_file || m_failed) return false;
    if (std::fwrite(data, 1, size, m_file) != size) fail("write failed");
    return !m_failed;
}

void AtomicFileWriter::fail(const char* what)
{
    if (m_failed) return; // the first failure is the cause
    m_failed = true;
    m_error = std::string(what) + ": " + systemErrorText(errno);
}

Status AtomicFileWriter::commit()
{
    if (!m_file) return makeError(m_path, "", "not open");
    if (!m_failed && std::fflush(m_file) != 0) fail("write failed");
    if (!m_failed && syncFile(::fileno(m_file)) != 0) fail("fsync failed");
    if (std::fclose(m_file) != 0) fail("close failed");
    m_file = nullptr;
    if (!m_failed && renameFile(m_temp, m_path) != 0) fail("rename failed");
    if (m_failed) {
        ::unlink(m_temp.c_str());
        return makeError(m_path, "", m_error);
    }
    syncFolderOf(m_path);
    return okStatus();
}

} // namespace alignscope
