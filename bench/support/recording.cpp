// bench/support/recording.cpp — see recording.hpp.
#include "bench/support/recording.hpp"

#include "config/config.hpp"
#include "relay/report_rows.hpp"
#include "report/sqlite_store.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

namespace arcrelay::bench {

namespace {

// Flushing this often keeps at most this many rows outside the timed loop at its end; the
// wait itself costs no CPU.
constexpr std::uint64_t settle_every = 64;

std::filesystem::path make_temp_dir() {
    std::string templ = (std::filesystem::temp_directory_path() / "arcrelay-bench-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr)
        throw std::runtime_error("cannot create a temporary directory for the report store");
    return templ;
}

} // namespace

recording::recording() : dir_(make_temp_dir()) {
    const auto path = (dir_ / "reports.db").string();
    recorder_ = std::make_unique<report::recorder>(
        [path] { return report::open_sqlite_store(path); }, config::default_report_queue,
        [this](const std::string& line) {
            std::lock_guard lock(mutex_);
            problems_.push_back(line);
        });
}

recording::~recording() {
    recorder_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void recording::record(const relay::check_report& report, int reply_code,
                       std::span<const std::string> trusted_sealers) {
    for (auto& row : relay::finish_rows(report, reply_code, trusted_sealers)) {
        recorder_->submit(std::move(row));
        if (++submitted_ % settle_every == 0) recorder_->flush();
    }
}

void recording::settle() {
    recorder_->flush();
    std::lock_guard lock(mutex_);
    if (recorder_->dropped() > 0)
        throw std::runtime_error(fmt::format("report recording dropped {} rows: {}",
                                             recorder_->dropped(),
                                             problems_.empty() ? "" : problems_.front()));
}

} // namespace arcrelay::bench
