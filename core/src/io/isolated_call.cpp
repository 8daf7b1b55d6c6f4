#include "isolated_call.h"

#include "alignscope/file_io.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALIGNSCOPE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALIGNSCOPE_ASAN 1
#endif
#endif

namespace alignscope {

namespace {

constexpr char kValueTag = 'V';
constexpr char kErrorTag = 'E';

std::uint64_t currentAddressSpaceBytes()
{
    std::ifstream statm("/proc/self/statm");
    std::uint64_t pages = 0;
    statm >> pages;
    return pages * std::uint64_t(::sysconf(_SC_PAGESIZE));
}

bool writeAll(int fd, const std::string& bytes)
{
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += size_t(n);
    }
    return true;
}

} // namespace

Result<std::string> runIsolated(const std::string& label, const std::function<std::string()>& work,
                                std::uint64_t memoryAllowance, int timeoutSeconds)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return makeError(label, "", "cannot create pipe: " + systemErrorText(errno));
    const std::uint64_t limit = currentAddressSpaceBytes() + memoryAllowance;
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return makeError(label, "", "cannot start reader process: " + systemErrorText(errno));
    }
    if (child == 0) {
        ::close(fds[0]);
        const int devNull = ::open("/dev/null", O_WRONLY);
        if (devNull >= 0) ::dup2(devNull, STDERR_FILENO); // library diagnostics; errors come back as values
#ifndef ALIGNSCOPE_ASAN
        const rlimit cap{limit, limit};
        ::setrlimit(RLIMIT_AS, &cap);
#else
        (void)limit; // AddressSanitizer reserves terabytes of shadow memory; it enforces its own cap
#endif
        std::string result;
        try {
            result = work();
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(writeAll(fds[1], result) ? 0 : 4);
    }
    ::close(fds[1]);
    std::string output;
    char buffer[1 << 16];
    timespec start{};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    bool timedOut = false;
    while (true) {
        pollfd p{fds[0], POLLIN, 0};
        const int ready = ::poll(&p, 1, 1000);
        if (ready < 0 && errno == EINTR) continue;
        if (ready > 0) {
            const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            output.append(buffer, size_t(n));
            continue;
        }
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > timeoutSeconds) {
            timedOut = true;
            ::kill(child, SIGKILL);
            break;
        }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut)
        return makeError(label, "", "reading took longer than " + std::to_string(timeoutSeconds) + " s");
    if (WIFSIGNALED(status) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return makeError(
            label, "",
            "the file is corrupt: the reader failed on it" +
                std::string(WIFSIGNALED(status) ? " (signal " + std::to_string(WTERMSIG(status)) + ")" : "") +
                ", possibly by exceeding its memory limit");
    return output;
}

std::uint64_t isolatedReaderAllowance(const std::string& path)
{
    struct stat info
    {
    };
    const std::uint64_t fileSize = ::stat(path.c_str(), &info) == 0 ? std::uint64_t(info.st_size) : 0;
    return (std::uint64_t(4) << 30) + 24 * fileSize;
}

std::string encodeNamedShapes(const std::vector<NamedShape>& items)
{
    ByteWriter writer;
    writer.str(std::string(1, kValueTag));
    writer.u64(items.size());
    for (const auto& item : items) {
        writer.str(item.name);
        writer.str(item.type);
        writer.u64(item.shape.size());
        for (auto d : item.shape)
            writer.u64(std::uint64_t(d));
    }
    return writer.take();
}

Result<std::vector<NamedShape>> decodeNamedShapes(const std::string& bytes, const std::string& label)
{
    Error error;
    if (decodeErrorIfAny(bytes, error)) return error;
    ByteReader reader(bytes);
    std::string tag;
    std::uint64_t count = 0;
    std::vector<NamedShape> items;
    bool ok = reader.str(tag) && tag == std::string(1, kValueTag) && reader.u64(count);
    for (std::uint64_t i = 0; ok && i < count; ++i) {
        NamedShape item;
        std::uint64_t rank = 0;
        ok = reader.str(item.name) && reader.str(item.type) && reader.u64(rank) && rank <= 64;
        for (std::uint64_t d = 0; ok && d < rank; ++d) {
            std::uint64_t dim = 0;
            ok = reader.u64(dim);
            item.shape.push_back(std::int64_t(dim));
        }
        items.push_back(std::move(item));
    }
    if (!ok) return makeError(label, "", "internal error: malformed result from the reader process");
    return items;
}

Result<NdArray> readArrayIsolated(const std::string& path, const std::function<Result<NdArray>()>& read)
{
    auto bytes = runIsolated(
        path,
        [&] {
            auto array = read();
            return array ? encodeArray(*array) : encodeError(array.error());
        },
        isolatedReaderAllowance(path));
    if (!bytes) return bytes.error();
    return decodeArray(*bytes, path);
}

Result<std::vector<NamedShape>> listIsolated(const std::string& path,
                                             const std::function<Result<std::vector<NamedShape>>()>& list)
{
    auto bytes = runIsolated(
        path,
        [&] {
            auto items = list();
            return items ? encodeNamedShapes(*items) : encodeError(items.error());
        },
        isolatedReaderAllowance(path));
    if (!bytes) return bytes.error();
    return decodeNamedShapes(*bytes, path);
}

std::string encodeError(const Error& error)
{
    ByteWriter writer;
    writer.str(std::string(1, kErrorTag));
    writer.str(error.file);
    writer.str(error.position);
    writer.str(error.reason);
    return writer.take();
}

bool decodeErrorIfAny(const std::string& bytes, Error& error)
{
    ByteReader reader(bytes);
    std::string tag;
    if (!reader.str(tag) || tag != std::string(1, kErrorTag)) return false;
    return reader.str(error.file) && reader.str(error.position) && reader.str(error.reason);
}

std::string encodeArray(const NdArray& array)
{
    ByteWriter writer;
    writer.str(std::string(1, kValueTag));
    writer.u64(array.shape.size());
    for (auto d : array.shape)
        writer.u64(std::uint64_t(d));
    writer.u64(std::uint64_t(array.kind));
    writer.str(array.sourceDtype);
    writer.raw(array.f32.data(), array.f32.size() * sizeof(float));
    writer.raw(array.f64.data(), array.f64.size() * sizeof(double));
    writer.raw(array.i64.data(), array.i64.size() * sizeof(std::int64_t));
    writer.u64(array.str.size());
    for (const auto& s : array.str)
        writer.str(s);
    return writer.take();
}

Result<NdArray> decodeArray(const std::string& bytes, const std::string& label)
{
    Error error;
    if (decodeErrorIfAny(bytes, error)) return error;
    ByteReader reader(bytes);
    std::string tag, f32, f64, i64;
    std::uint64_t rank = 0, kind = 0, strings = 0;
    NdArray array;
    bool ok = reader.str(tag) && tag == std::string(1, kValueTag) && reader.u64(rank) && rank <= 64;
    for (std::uint64_t d = 0; ok && d < rank; ++d) {
        std::uint64_t dim = 0;
        ok = reader.u64(dim);
        array.shape.push_back(std::int64_t(dim));
    }
    ok = ok && reader.u64(kind) && kind <= std::uint64_t(ElementKind::String) &&
         reader.str(array.sourceDtype) && reader.str(f32) && reader.str(f64) && reader.str(i64) &&
         reader.u64(strings);
    if (!ok) return makeError(label, "", "internal error: malformed result from the reader process");
    array.kind = ElementKind(kind);
    auto copyInto = [](auto& target, const std::string& bytes) {
        target.resize(bytes.size() / sizeof(target[0]));
        if (!target.empty())
            std::memcpy(target.data(), bytes.data(),
                        target.size() * sizeof(target[0])); // never memcpy(nullptr)
    };
    copyInto(array.f32, f32);
    copyInto(array.f64, f64);
    copyInto(array.i64, i64);
    for (std::uint64_t s = 0; s < strings; ++s) {
        std::string value;
        if (!reader.str(value))
            return makeError(label, "", "internal error: malformed result from the reader process");
        array.str.push_back(std::move(value));
    }
    return array;
}

} // namespace alignscope
