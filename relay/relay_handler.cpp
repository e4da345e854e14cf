// relay/relay_handler.cpp — see relay_handler.hpp.
//
// The pipeline blocks (DNS, RSA), so it runs on the worker pool; the session's coroutine
// waits on a timer that the pool's completion cancels. When the budget runs out first the
// client gets 451 4.3.0; the pool's work then sends no more DNS questions and finishes
// unobserved (it holds what it uses), and a job still queued at its deadline is dropped.
#include "relay/relay_handler.hpp"

#include "relay/pipeline.hpp"
#include "relay/recipient_policy.hpp"
#include "relay/reply_mapping.hpp"
#include "relay/transaction_log.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>
#include <unistd.h>

namespace arcrelay::relay {
namespace {

namespace asio = boost::asio;

// What the pool hands back to the waiting session.
struct shared_outcome {
    std::mutex mutex;
    std::optional<pipeline_result> result;
    std::string failure; // what a broken invariant said
};

std::uint64_t now_seconds() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

std::uint64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - since)
                                          .count());
}

void count_verdicts(metrics& stats, const check_report& r) {
    stats.count_verdict("iprev", r.iprev);
    stats.count_verdict("spf", r.spf);
    for (const auto& d : r.dkim)
        stats.count_verdict("dkim", d);
    stats.count_verdict("dmarc", r.dmarc);
    stats.count_verdict("arc", r.arc);
}

// Runs the pipeline on `pool`; returns nullopt when `budget` ran out first.
asio::awaitable<std::optional<pipeline_result>>
run_on_pool(asio::thread_pool& pool, std::shared_ptr<const runtime> rt,
            const config::listener& listener, std::shared_ptr<smtp::transaction> t, std::string id,
            std::chrono::milliseconds budget) {
    auto ex = co_await asio::this_coro::executor;
    const auto deadline = std::chrono::steady_clock::now() + budget;
    auto timer = std::make_shared<asio::steady_timer>(ex, deadline);
    auto outcome = std::make_shared<shared_outcome>();
    asio::post(pool, [rt, &listener, t, id, timer, outcome, ex, deadline]() {
        // A job that waited in the queue past its budget has been answered 451 already:
        // running it would only delay the messages queued behind it.
        if (std::chrono::steady_clock::now() >= deadline) return;
        pipeline_context ctx{rt->config,    listener,         rt->keys, rt->resolver(), id,
                             now_seconds(), &rt->key_cache(), deadline, &rt->handover};
        std::optional<pipeline_result> r;
        std::string failure;
        try {
            r = run_pipeline(std::move(*t), ctx);
        } catch (const std::exception& e) {
            failure = e.what();
        }
        {
            const std::lock_guard lock(outcome->mutex);
            outcome->result = std::move(r);
            outcome->failure = std::move(failure);
        }
        asio::post(ex, [timer]() { timer->cancel(); }); // wake the session
    });
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    const std::lock_guard lock(outcome->mutex);
    if (!outcome->failure.empty()) throw std::runtime_error(outcome->failure);
    co_return std::move(outcome->result);
}

} // namespace

relay_handler::relay_handler(std::string listener_name, const runtime_holder& holder,
                             asio::thread_pool& pool, metrics& stats, report::recorder* reports)
    : listener_name_(std::move(listener_name)), holder_(holder), pool_(pool), stats_(stats),
      reports_(reports), pid_(static_cast<unsigned>(getpid())) {}

smtp::reply relay_handler::budget_exceeded_reply() {
    return smtp::make_reply(451, {4, 3, 0}, "Message checks took too long, try again later");
}

std::string relay_handler::next_id() {
    // Unique across restarts and instances: time, pid, counter.
    return fmt::format("{:x}.{:x}.{}", now_seconds(), pid_, counter_.fetch_add(1));
}

smtp::reply relay_handler::check_recipient(const smtp::envelope& env, std::string_view rcpt) {
    const auto rt = holder_.get();
    const auto* listener = rt->find_listener(listener_name_);
    if (!listener)
        return smtp::make_reply(451, {4, 3, 0}, "Listener removed by a reload, try again later");
    return decide_recipient(rt->config.lists, *listener, env, rcpt);
}

asio::awaitable<smtp::reply> relay_handler::deliver(smtp::transaction t) {
    const auto started = std::chrono::steady_clock::now();
    const auto rt = holder_.get();
    const auto* listener = rt->find_listener(listener_name_);
    transaction_record rec;
    rec.id = next_id();
    rec.listener = listener_name_;
    rec.client_ip = t.env.client_ip;
    rec.helo = t.env.helo;
    rec.mail_from = t.env.mail_from;
    rec.rcpts = t.env.rcpts;
    rec.size = t.message.size();

    if (!listener) {
        rec.final_reply = smtp::make_reply(451, {4, 3, 0}, "Listener removed by a reload");
    } else {
        auto shared_t = std::make_shared<smtp::transaction>(std::move(t)); // the pool's now
        std::optional<pipeline_result> result;
        bool failed = false;
        try {
            result = co_await run_on_pool(pool_, rt, *listener, shared_t, rec.id,
                                          listener->limits.message_time_budget);
        } catch (const std::exception& e) { // a broken invariant: this message only
            failed = true;
            rec.notes = std::string("internal error: ") + e.what();
        }
        if (failed) {
            rec.final_reply = smtp::make_reply(451, {4, 3, 0}, "Internal error, try again later");
        } else if (!result) {
            rec.final_reply = budget_exceeded_reply();
            rec.notes = "message_time_budget exceeded";
        } else {
            rec.report = result->report;
            rec.list = result->list;
            rec.arc_sets_added = result->arc_sets_added;
            rec.notes = result->notes;
            if (result->reply) {
                rec.final_reply = *result->reply;
            } else {
                std::vector<smtp::delivery_result> answers;
                auto& hop = *rt->next_hops.at(listener_name_);
                const auto handed = std::chrono::steady_clock::now();
                for (const auto& next : result->forward)
                    answers.push_back(co_await hop.deliver(next, pool_));
                rec.next_hop_milliseconds = elapsed_ms(handed);
                rec.final_reply = map_next_hop_replies(answers);
                rec.next_hop_reply = rec.final_reply;
            }
        }
    }
    rec.milliseconds = elapsed_ms(started);
    const auto& log = rt->config.log;
    if (log.level <= config::log_level::info || !rec.final_reply.positive())
        write_log_line(log, format_transaction(rec, log.format));
    stats_.count_transaction(listener_name_, outcome_of(rec.final_reply),
                             static_cast<double>(rec.milliseconds) / 1000.0);
    if (rec.report) count_verdicts(stats_, *rec.report);
    if (reports_ && rec.report) // never blocks: a full queue drops and counts
        for (auto& row :
             finish_rows(*rec.report, rec.final_reply.code, rt->config.arc.trusted_sealers))
            reports_->submit(std::move(row));
    co_return rec.final_reply;
}

} // namespace arcrelay::relay
