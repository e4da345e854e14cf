// relay/log_writer.cpp — see log_writer.hpp.
#include "relay/log_writer.hpp"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace arcrelay::relay {

namespace {
std::atomic<log_writer*> installed{nullptr};
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::write(fd, bytes.data(), bytes.size());
        if (n >= 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
        pollfd p{fd, POLLOUT, 0}; // a non-blocking fd: wait until it takes more
        if (::poll(&p, 1, -1) < 0 && errno != EINTR) return false;
    }
    return true;
}

log_writer::log_writer(int fd, std::size_t max_queued_bytes, std::chrono::milliseconds gather)
    : fd_(fd), max_queued_bytes_(max_queued_bytes), gather_(gather), thread_([this] { run(); }) {}

log_writer::~log_writer() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_or_stopping_.notify_one();
    thread_.join();
}

void log_writer::submit(std::string_view line) {
    std::unique_lock lock(mutex_);
    // An empty queue takes any line, however long: a line never waits for itself.
    const auto fits = [&] {
        return queued_.empty() || queued_.size() + line.size() + 1 <= max_queued_bytes_;
    };
    if (!fits()) {
        ++waiting_for_room_; // ends the writer's gathering
        queued_or_stopping_.notify_one();
        room_.wait(lock, fits);
        --waiting_for_room_;
    }
    const std::size_t before = queued_.size();
    (queued_ += line) += '\n';
    // Wake an idle writer, or a gathering one once a batch is full; else it is awake already
    // or will be when its gathering ends.
    const bool wake =
        (idle_ && before == 0) || (before < batch_bytes && queued_.size() >= batch_bytes);
    lock.unlock();
    if (wake) queued_or_stopping_.notify_one();
}

void log_writer::run() {
    std::string batch;
    std::unique_lock lock(mutex_);
    for (;;) {
        idle_ = true;
        queued_or_stopping_.wait(lock, [&] { return !queued_.empty() || stopping_; });
        idle_ = false;
        if (queued_.empty()) return; // stopping, and everything is written
        queued_or_stopping_.wait_for(lock, gather_, [&] {
            return stopping_ || queued_.size() >= batch_bytes || waiting_for_room_ > 0;
        });
        batch.clear();
        batch.swap(queued_);
        lock.unlock();
        room_.notify_all();
        write_all(fd_, batch);
        lock.lock();
    }
}

log_writer_installation::log_writer_installation(log_writer& writer) {
    installed.store(&writer, std::memory_order_release);
}

log_writer_installation::~log_writer_installation() {
    installed.store(nullptr, std::memory_order_release);
}

log_writer* installed_log_writer() {
    return installed.load(std::memory_order_acquire);
}

} // namespace arcrelay::relay
