#include "alignscope/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace alignscope {

std::string systemErrorText(int errnoValue) { return std::strerror(errnoValue); }

namespace {

struct FileCloser
{
    int fd;
    ~FileCloser()
    {
        if (fd >= 0) ::close(fd);
    }
};

Result<std::vector<char>> readUpTo(const std::string& path, std::uint64_t maxBytes, bool refuseLarger)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return makeError(path, "", "cannot open: " + systemErrorText(errno));
    FileCloser closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) return makeError(path, "", "cannot stat: " + systemErrorText(errno));
    if (S_ISDIR(info.st_mode)) return makeError(path, "", "is a directory, not a file");
    const auto fileSize = static_cast<std::uint64_t>(info.st_size);
    if (refuseLarger && fileSize > maxBytes)
        return makeError(path, "", "file is too large (" + std::to_string(fileSize) + " bytes)");
    std::vector<char> bytes(static_cast<size_t>(std::min(fileSize, maxBytes)));
    size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t got = ::read(fd, bytes.data() + filled, bytes.size() - filled);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return makeError(path, "byte " + std::to_string(filled), "read failed: " + systemErrorText(errno));
        if (got == 0) break; // the file shrank while reading
        filled += static_cast<size_t>(got);
    }
    bytes.resize(filled);
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

Status writeFileAtomically(const std::string& path, const void* data, size_t size)
{
    std::string temp = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return makeError(path, "", "cannot create temporary file: " + systemErrorText(errno));
    auto fail = [&](const std::string& what) {
        const int saved = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return Status(makeError(path, "", what + ": " + systemErrorText(saved)));
    };
    const char* bytes = static_cast<const char*>(data);
    size_t written = 0;
    while (written < size) {
        const ssize_t put = ::write(fd, bytes + written, size - written);
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) return fail("write failed");
        written += static_cast<size_t>(put);
    }
    if (::fchmod(fd, 0644) != 0) return fail("cannot set permissions");
    if (::fsync(fd) != 0) return fail("fsync failed");
    if (::close(fd) != 0) {
        ::unlink(temp.c_str());
        return makeError(path, "", "close failed: " + systemErrorText(errno));
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(temp.c_str());
        return makeError(path, "", "rename failed: " + systemErrorText(saved));
    }
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd); // best effort: some file systems refuse fsync on directories
        ::close(dirFd);
    }
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
    m_temp = m_path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(m_temp.data());
    if (fd < 0) return makeError(m_path, "", "cannot create temporary file: " + systemErrorText(errno));
    ::fchmod(fd, 0644);
    m_file = ::fdopen(fd, "wb");
    if (!m_file) {
        ::close(fd);
        ::unlink(m_temp.c_str());
        return makeError(m_path, "", "cannot open temporary file: " + systemErrorText(errno));
    }
    return okStatus();
}

bool AtomicFileWriter::write(const std::string& text)
{
    if (!m_file || m_failed) return false;
    m_failed = std::fwrite(text.data(), 1, text.size(), m_file) != text.size();
    return !m_failed;
}

Status AtomicFileWriter::commit()
{
    if (!m_file) return makeError(m_path, "", "not open");
    const bool flushed = !m_failed && std::fflush(m_file) == 0 && ::fsync(::fileno(m_file)) == 0;
    const int saved = errno;
    std::fclose(m_file);
    m_file = nullptr;
    if (!flushed || ::rename(m_temp.c_str(), m_path.c_str()) != 0) {
        const int error = flushed ? errno : saved;
        ::unlink(m_temp.c_str());
        return makeError(m_path, "", "write failed: " + systemErrorText(error));
    }
    return okStatus();
}

} // namespace alignscope
