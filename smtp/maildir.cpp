// smtp/maildir.cpp — maildir delivery: tmp/ write + fsync, rename to new/, fsync of new/.
#include "smtp/maildir.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

namespace arcrelay::smtp {

namespace fs = std::filesystem;

namespace {

std::atomic<unsigned long> delivery_counter{0};

reply io_error() {
    return make_reply(451, {4, 3, 0}, "Local delivery failed, try again later");
}

// time.M<usec>P<pid>Q<counter>.<host>: unique per process and call.
std::string unique_name() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto sec = std::chrono::duration_cast<std::chrono::seconds>(now);
    const auto usec = std::chrono::duration_cast<std::chrono::microseconds>(now - sec);
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    std::string h(host);
    for (auto& c : h)
        if (c == '/' || c == ':') c = '_';
    return fmt::format("{}.M{}P{}Q{}.{}", sec.count(), usec.count(), getpid(),
                       delivery_counter.fetch_add(1), h);
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const auto n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool fsync_path(const fs::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    return ::close(fd) == 0 && ok;
}

} // namespace

maildir::maildir(fs::path root) : root_(std::move(root)) {}

reply maildir::deliver(const transaction& t) const {
    std::error_code ec;
    for (const char* sub : {"tmp", "new", "cur"}) {
        fs::create_directories(root_ / sub, ec);
        if (ec) return io_error();
    }
    const auto name = unique_name();
    const auto tmp = root_ / "tmp" / name;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return io_error();
    bool ok = write_all(fd, t.message) && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    const auto final_path = root_ / "new" / name;
    if (ok) {
        fs::rename(tmp, final_path, ec);
        ok = !ec;
    }
    if (!ok) {
        fs::remove(tmp, ec);
        return io_error();
    }
    if (!fsync_path(root_ / "new", O_RDONLY | O_DIRECTORY)) {
        // Not durable: take it back so a retry by the sender cannot duplicate it.
        fs::remove(final_path, ec);
        return io_error();
    }
    return make_reply(250, {2, 0, 0}, fmt::format("Delivered as {}", name));
}

} // namespace arcrelay::smtp
