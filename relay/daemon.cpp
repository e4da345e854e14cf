// relay/daemon.cpp — see daemon.hpp. Threads: config.server.io_threads running the io_context,
// config.server.threads workers for the pipeline (relay/thread_counts.hpp) and one writing
// the log to stderr (relay/log_writer.hpp).
#include "relay/daemon.hpp"
#include "relay/recipient_policy.hpp"

#include "base/ip_address.hpp"
#include "config/names.hpp"
#include "relay/log_writer.hpp"
#include "relay/metrics_server.hpp"
#include "relay/relay_handler.hpp"
#include "relay/report_timer.hpp"
#include "relay/runtime.hpp"
#include "relay/thread_counts.hpp"
#include "relay/transaction_log.hpp"
#include "report/open_store.hpp"
#include "smtp/listener.hpp"
#include "smtp/tls.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <memory>
#include <thread>
#include <vector>

namespace arcrelay::relay {
namespace {

namespace asio = boost::asio;

constexpr auto drain_poll = std::chrono::milliseconds(100);
constexpr auto drain_grace = std::chrono::seconds(5);

asio::ip::tcp::endpoint endpoint_of(const ip_address& a, std::uint16_t port) {
    return {asio::ip::make_address(format_ip_address(a)), port};
}

smtp::listener_config listener_config_of(const config::configuration& c,
                                         const config::listener& l) {
    smtp::listener_config lc;
    lc.endpoint = endpoint_of(l.address, l.port);
    auto& p = lc.session.protocol;
    p.hostname = c.server.hostname;
    p.limits.message_size = l.limits.max_message_size;
    p.limits.recipients = l.limits.max_recipients;
    auto& t = lc.session.timeouts;
    t.first_command = t.mail = t.rcpt = l.limits.command_timeout;
    t.data_initiation = t.data_block = l.limits.data_block_timeout;
    if (l.tls) {
        lc.session.tls = smtp::make_server_tls_context(l.tls->certificate, l.tls->private_key);
        p.starttls_available = true;
    }
    lc.limits.total = l.limits.connections_total;
    lc.limits.per_ip = l.limits.connections_per_ip;
    // allowed_clients is enforced at connect (554 5.7.1) and again at RCPT after a reload.
    if (!l.allowed_clients.empty())
        lc.admit_client = [l](std::string_view ip) { return client_allowed(l, ip); };
    return lc;
}

class daemon {
public:
    daemon(std::shared_ptr<const runtime> rt, config_source reload, thread_counts threads)
        : holder_(std::move(rt)), reload_(std::move(reload)), threads_(threads),
          pool_(threads.workers), signals_(ioc_, SIGTERM, SIGINT, SIGHUP) {}

    int run() {
        const auto rt = holder_.get();
        const auto& c = rt->config;
        if (c.reports.enabled) start_recorder(c.reports);
        if (c.reports.enabled && c.reports.send) start_report_timer(c.reports);
        for (const auto& l : c.listeners) {
            auto handler =
                std::make_shared<relay_handler>(l.name, holder_, pool_, stats_, reports_.get());
            auto listener =
                std::make_shared<smtp::listener>(ioc_, listener_config_of(c, l), handler);
            listener->start();
            log(config::log_level::info,
                fmt::format("listener {} on {} stages {}", l.name,
                            fmt::format("{}:{}", listener->local_endpoint().address().to_string(),
                                        listener->local_endpoint().port()),
                            config::format_stages(l.stages)));
            stats_.add_gauge(fmt::format("arcrelay_connections_open_{}", metric_name(l.name)),
                             "Open SMTP connections of listener " + l.name,
                             [listener]() { return static_cast<double>(listener->connections()); });
            listeners_.push_back(std::move(listener));
        }
        if (c.metrics) {
            metrics_ = std::make_shared<metrics_server>(
                ioc_, endpoint_of(c.metrics->address, c.metrics->port), stats_);
            metrics_->start();
            log(config::log_level::info,
                fmt::format("metrics on http://{}:{}/metrics",
                            metrics_->local_endpoint().address().to_string(),
                            metrics_->local_endpoint().port()));
        }
        log(config::log_level::info,
            fmt::format("threads: {} I/O, {} workers", threads_.io, threads_.workers));
        wait_for_signal();
        std::vector<std::thread> io;
        for (unsigned i = 1; i < threads_.io; ++i)
            io.emplace_back([this] { ioc_.run(); });
        ioc_.run();
        for (auto& t : io)
            t.join();
        pool_.join();
        if (report_timer_) report_timer_->stop();
        log(config::log_level::info, "stopped");
        return 0;
    }

private:
    static std::string metric_name(const std::string& name) {
        std::string out;
        for (const char ch : name)
            out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
        return out;
    }

    // [reports]: DMARC report rows go through a bounded queue to one writer thread; the
    // settings are read at start (a reload does not move the database).
    void start_recorder(const config::reports_settings& settings) {
        const std::string database = settings.database, shown = settings.database_shown;
        reports_ = std::make_unique<report::recorder>(
            [database, shown] { return report::open_row_store(database, shown); },
            settings.queue_size,
            [this](const std::string& line) { log(config::log_level::warning, line); },
            std::chrono::hours(settings.retention_hours));
        auto* r = reports_.get();
        stats_.add_gauge("arcrelay_report_rows_recorded", "DMARC report rows written to the store",
                         [r]() { return static_cast<double>(r->recorded()); });
        stats_.add_gauge("arcrelay_report_rows_dropped",
                         "DMARC report rows not recorded (queue full or store unavailable)",
                         [r]() { return static_cast<double>(r->dropped()); });
        log(config::log_level::info,
            fmt::format("reports: recording DMARC report rows in {}", shown));
    }

    // [reports] send = true: due reports are mailed from a thread of their own.
    void start_report_timer(const config::reports_settings& settings) {
        report_timer_ = std::make_unique<report_timer>(
            holder_,
            [this](config::log_level level, const std::string& line) { log(level, line); });
        auto& m = report_timer_->metrics();
        stats_.add_counter("arcrelay_reports_sent_total", "DMARC report mails accepted (2xx)",
                           [&m]() { return static_cast<double>(m.sent.load()); });
        stats_.add_counter("arcrelay_reports_deferred_total",
                           "DMARC report mail attempts deferred (4xx or no connection)",
                           [&m]() { return static_cast<double>(m.deferred.load()); });
        stats_.add_counter("arcrelay_reports_failed_total",
                           "DMARC report mails failed for good (5xx or out of attempts)",
                           [&m]() { return static_cast<double>(m.failed.load()); });
        log(config::log_level::info,
            fmt::format("reports: sending due reports every {} s through {}",
                        settings.send_interval.count(), settings.next_hop.uri));
    }

    void log(config::log_level level, std::string_view message) const {
        const auto& l = holder_.get()->config.log;
        if (level >= l.level) write_log_line(l, format_event(level, message, l.format));
    }

    void wait_for_signal() {
        signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (ec) return;
            if (signal == SIGHUP) {
                reload();
                wait_for_signal();
                return;
            }
            log(config::log_level::info,
                fmt::format("signal {}: draining open transactions", signal));
            for (auto& l : listeners_)
                l->stop(drain_deadline);
            if (metrics_) metrics_->stop();
            drain_started_ = std::chrono::steady_clock::now();
            watch_drain();
        });
    }

    // Ends the I/O threads once every session is gone (idle pooled next-hop connections
    // must not keep the process alive), at the latest a little after the drain deadline.
    void watch_drain() {
        drain_timer_.expires_after(drain_poll);
        drain_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            const bool idle = std::all_of(listeners_.begin(), listeners_.end(),
                                          [](const auto& l) { return l->connections() == 0; });
            if (idle ||
                std::chrono::steady_clock::now() - drain_started_ > drain_deadline + drain_grace) {
                ioc_.stop();
                return;
            }
            watch_drain();
        });
    }

    // SIGHUP: runs on an I/O thread; key loading and resolver start are quick.
    void reload() {
        auto c = reload_();
        if (!c) {
            log(config::log_level::error,
                "reload failed, keeping the old configuration: " + c.error().message);
            return;
        }
        auto rt = runtime::build(std::move(c).value());
        if (!rt) {
            log(config::log_level::error,
                "reload failed, keeping the old configuration: " + rt.error().message);
            return;
        }
        holder_.set(std::move(rt).value());
        log(config::log_level::info, "configuration reloaded (listener addresses need a restart)");
    }

    asio::io_context ioc_;
    runtime_holder holder_;
    config_source reload_;
    thread_counts threads_;
    asio::thread_pool pool_;
    asio::signal_set signals_;
    asio::steady_timer drain_timer_{ioc_};
    std::chrono::steady_clock::time_point drain_started_;
    metrics stats_;
    std::unique_ptr<report::recorder> reports_; // outlives the listeners' handlers
    std::unique_ptr<report_timer> report_timer_;
    std::vector<std::shared_ptr<smtp::listener>> listeners_;
    std::shared_ptr<metrics_server> metrics_;
};

} // namespace

int run_daemon(config::configuration initial, config_source reload) {
    const auto log = initial.log;
    const auto threads = resolve_thread_counts(initial.server, std::thread::hardware_concurrency());
    auto rt = runtime::build(std::move(initial));
    if (!rt) {
        write_log_line(log, format_event(config::log_level::error,
                                         "start-up failed: " + rt.error().message, log.format));
        return 1;
    }
    try {
        // Outlives the daemon and so every thread that logs; destroyed, it writes what is left.
        log_writer writer(STDERR_FILENO);
        const log_writer_installation installation(writer);
        daemon d(std::move(rt).value(), std::move(reload), threads);
        return d.run();
    } catch (const std::exception& e) { // binding a listener, TLS files
        write_log_line(log, format_event(config::log_level::error,
                                         std::string("start-up failed: ") + e.what(), log.format));
        return 1;
    }
}

} // namespace arcrelay::relay
