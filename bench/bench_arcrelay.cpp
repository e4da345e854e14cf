// bench/bench_arcrelay.cpp — in-process benchmark of arcrelay per stage and per message of
// the ARC benchmark corpus, the full relay job per message, and the crypto bound measured in
// the same run: at its start and end, and around each message for that message's job. Each
// job is also timed in --pairs alternating slices next to its bound done as one operation
// (job_cost::perform), for a ratio the machine's drift between the two cancels out of.
// Writes JSON lines (stdout or --out); a summary on stderr.
//
//   bench_arcrelay [--corpus DIR] [--min-seconds S] [--repeat N] [--sizes 2k,20k,...]
//                  [--stages parse,job,...] [--pairs N] [--out FILE]
//   bench_arcrelay [--corpus DIR] [--min-seconds S] --stages crypto   # the rates alone, once
//                  (bench/smtp_load.py brackets each seal fan-out run with them)
#include "arc/validate.hpp"
#include "bench/support/corpus.hpp"
#include "bench/support/crypto_bound.hpp"
#include "bench/support/fixture.hpp"
#include "bench/support/job_cost.hpp"
#include "bench/support/measure.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace arcrelay;
using nlohmann::json;

struct options {
    std::string corpus = std::string(ARCRELAY_SOURCE_DIR) + "/../shared/bench/corpus";
    bench::measure_options timing;
    std::vector<std::string> sizes;  // empty: all
    std::vector<std::string> stages; // empty: all
    std::string out;                 // empty: stdout
    unsigned pairs = 6;              // job/bound slices per message for the paired ratio
};

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = std::min(list.find(',', start), list.size());
        if (comma > start) out.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (i + 1 >= argc) throw std::runtime_error("missing value after " + arg);
        std::string value = argv[++i];
        if (arg == "--corpus")
            o.corpus = value;
        else if (arg == "--min-seconds")
            o.timing.min_seconds = std::stod(value);
        else if (arg == "--repeat")
            o.timing.repetitions = static_cast<unsigned>(std::stoul(value));
        else if (arg == "--sizes")
            o.sizes = split(value);
        else if (arg == "--stages")
            o.stages = split(value);
        else if (arg == "--pairs")
            o.pairs = static_cast<unsigned>(std::stoul(value));
        else if (arg == "--out")
            o.out = value;
        else
            throw std::runtime_error("unknown option " + arg);
    }
    return o;
}

bool selected(const std::vector<std::string>& list, const std::string& name) {
    return list.empty() || std::find(list.begin(), list.end(), name) != list.end();
}

json rates_json(const bench::crypto_rates& r) {
    return {{"rsa2048_sign_per_s", r.rsa_sign},
            {"rsa2048_verify_per_s", r.rsa_verify},
            {"ed25519_sign_per_s", r.ed_sign},
            {"ed25519_verify_per_s", r.ed_verify},
            {"sha256_bytes_per_s", r.sha256_bytes},
            {"botan_rsa2048_sign_per_s", r.botan_rsa_sign},
            {"botan_rsa2048_sign_per_thread_cpu_s", r.botan_rsa_sign_thread_cpu}};
}

// The faster of two measurements of each rate: the bound is never flattered by noise.
bench::crypto_rates best(const bench::crypto_rates& a, const bench::crypto_rates& b) {
    return {std::max(a.rsa_sign, b.rsa_sign),
            std::max(a.rsa_verify, b.rsa_verify),
            std::max(a.ed_sign, b.ed_sign),
            std::max(a.ed_verify, b.ed_verify),
            std::max(a.sha256_bytes, b.sha256_bytes),
            std::max(a.botan_rsa_sign, b.botan_rsa_sign),
            std::max(a.botan_rsa_sign_thread_cpu, b.botan_rsa_sign_thread_cpu)};
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : ",") + s;
    return out;
}

struct job_sample {
    const bench::corpus_message* message = nullptr;
    bench::measurement time;
    bench::job_cost cost;
    bench::crypto_rates rates; // measured right before and after this message (the faster)
    double paired_ratio = 0;   // median bound/job over alternating slices; 0: not measured
};

// The job and its bound timed in alternating slices of `slice_seconds` (job-bound, then
// bound-job: a steady drift of the machine's speed cancels within each two pairs): the
// median of the slices' bound/job ratios.
double paired_ratio(const std::function<void()>& job, const bench::job_cost& cost,
                    bench::crypto_ops& ops, unsigned pairs, double slice_seconds) {
    const bench::measure_options slice{slice_seconds, 1};
    auto bound = [&] { cost.perform(ops); };
    std::vector<double> ratios;
    for (unsigned i = 0; i < pairs; ++i) {
        double j = 0, b = 0;
        if (i % 2 == 0) {
            j = bench::measure(job, slice).cpu_seconds_per_op;
            b = bench::measure(bound, slice).cpu_seconds_per_op;
        } else {
            b = bench::measure(bound, slice).cpu_seconds_per_op;
            j = bench::measure(job, slice).cpu_seconds_per_op;
        }
        ratios.push_back(b / j);
    }
    if (ratios.empty()) return 0;
    std::sort(ratios.begin(), ratios.end());
    const auto n = ratios.size();
    return n % 2 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
}

struct aggregate {
    double seconds = 0, bound = 0, hash = 0, paired_bound = 0;
    std::size_t messages = 0, bytes = 0;
};

class run {
public:
    explicit run(const options& o) : options_(o) {
        if (!o.out.empty()) {
            file_.open(o.out, std::ios::app);
            if (!file_) throw std::runtime_error("cannot write " + o.out);
        }
    }

    void emit(const json& line) {
        (file_.is_open() ? static_cast<std::ostream&>(file_) : std::cout) << line.dump() << '\n';
    }

    void go() {
        auto c = bench::load_corpus(options_.corpus, ARCRELAY_SOURCE_DIR);
        emit({{"type", "corpus"},
              {"root", c.root.string()},
              {"complete", c.complete},
              {"messages", c.messages.size()}});
        if (!c.complete)
            std::cerr << "NOTE: " << options_.corpus << " is absent: using the 2k messages of "
                      << c.root.string() << "\n";
        auto setup = bench::make_setup(c);
        // Report recording as the daemon does it (issue 11), for the job_recording stage.
        std::unique_ptr<bench::recording> reports;
        if (selected(options_.stages, "job_recording")) {
            reports = std::make_unique<bench::recording>();
            setup.reports = reports.get();
        }
        const auto& relay_keys = c.sealing_keys;
        ops_ = std::make_unique<bench::crypto_ops>(relay_keys[0].private_key,
                                                   relay_keys[1].private_key);
        auto measure_rates = [&] {
            return bench::measure_crypto(relay_keys[0].private_key, relay_keys[1].private_key,
                                         options_.timing);
        };
        if (options_.stages == std::vector<std::string>{"crypto"}) {
            emit({{"type", "crypto"}, {"when", "now"}, {"rates", rates_json(measure_rates())}});
            return;
        }
        const auto rates_start = measure_rates();
        check(c, setup);
        // Each job's bound takes the rates measured right before and right after its message
        // (the faster of the two): this machine's speed moves by tens of percent within one run
        // (2026-12-03: RSA signing 1745/s at the start, 2480/s at the end), and rates taken a
        // minute away from the job would hold it to a different machine.
        const bool brackets = selected(options_.stages, "job");
        auto rates_before = rates_start;
        for (const auto& m : c.messages) {
            if (m.role != "bench" || !selected(options_.sizes, m.size_class)) continue;
            const auto jobs_before = jobs_.size();
            bench_message(m, c, setup);
            if (!brackets) continue;
            auto rates_after = measure_rates();
            if (jobs_.size() > jobs_before) jobs_.back().rates = best(rates_before, rates_after);
            rates_before = rates_after;
        }
        if (reports) {
            reports->settle(); // throws when a row was dropped
            emit({{"type", "recording"}, {"rows_recorded", reports->recorded()}});
        }
        const auto rates_end = brackets ? rates_before : measure_rates();
        emit({{"type", "crypto"}, {"when", "start"}, {"rates", rates_json(rates_start)}});
        emit({{"type", "crypto"}, {"when", "end"}, {"rates", rates_json(rates_end)}});
        auto rates = best(rates_start, rates_end);
        emit({{"type", "crypto"}, {"when", "bound"}, {"rates", rates_json(rates)}});
        report_jobs();
    }

private:
    // Verdicts against the manifest, and our sealed output re-validated.
    void check(bench::corpus& c, const bench::relay_setup& setup) {
        std::size_t agree = 0;
        for (const auto& m : c.messages) {
            if (!selected(options_.sizes, m.size_class)) continue;
            auto out = bench::run_job(m, c.zone, setup);
            auto reparsed = mail::parse_message(out.wire);
            auto sealed = reparsed ? arc::validate_message(*reparsed, c.zone, setup.settings.now)
                                   : arc::validation_result{};
            // A failed chain is sealed with cv=fail (RFC 8617 §5.1.2) and stays failed.
            auto want_sealed =
                m.expected_arc == "fail" ? arc::arc_result::fail : arc::arc_result::pass;
            bool ok = out.report.dkim == m.expected_dkim && out.report.arc == m.expected_arc &&
                      (out.sets_added == 0 || sealed.result == want_sealed);
            agree += ok;
            emit({{"type", "check"},
                  {"id", m.id},
                  {"dkim", out.report.dkim},
                  {"dkim_expected", m.expected_dkim},
                  {"arc", out.report.arc},
                  {"arc_expected", m.expected_arc},
                  {"sets_added", out.sets_added},
                  {"sealed_arc", arc::arc_result_name(sealed.result)},
                  {"agrees", ok}});
            if (!ok)
                std::cerr << fmt::format("check {}: dkim={} (want {}) arc={} (want {}) sealed={}\n",
                                         m.id, join(out.report.dkim), join(m.expected_dkim),
                                         out.report.arc, m.expected_arc,
                                         arc::arc_result_name(sealed.result));
            if (m.role == "bench")
                costs_[m.id] = bench::count_job_cost(*mail::parse_message(m.raw), out.message,
                                                     setup.settings.limits.max_dkim_signatures);
            ++checked_;
        }
        emit({{"type", "check_summary"}, {"messages", checked_}, {"agree", agree}});
        std::cerr << fmt::format("verdicts: {}/{} agree with the manifest\n", agree, checked_);
    }

    void bench_message(const bench::corpus_message& m, bench::corpus& c,
                       const bench::relay_setup& setup) {
        bench::message_fixture fixture(m, c.zone, setup);
        for (auto& s : fixture.stages()) {
            if (!selected(options_.stages, s.name)) continue;
            auto t = bench::measure(s.op, options_.timing);
            emit({{"type", "stage"},
                  {"id", m.id},
                  {"size_class", m.size_class},
                  {"scenario", m.scenario},
                  {"bytes", m.raw.size()},
                  {"arc_sets", m.arc_sets},
                  {"arc_algorithms", m.arc_algorithms},
                  {"stage", s.name},
                  {"sets_added", s.sets_added},
                  {"cpu_us", t.cpu_seconds_per_op * 1e6},
                  {"wall_us", t.wall_seconds_per_op * 1e6},
                  {"thread_cpu_us", t.thread_cpu_seconds_per_op * 1e6},
                  {"ops_per_s", t.ops_per_second()},
                  {"mb_per_s", static_cast<double>(m.raw.size()) * t.ops_per_second() / 1e6},
                  {"operations", t.operations}});
            std::cerr << fmt::format("{:>8} {:<13} {:>12.1f} us/op (cpu) {:>12.1f} us wall\n", m.id,
                                     s.name, t.cpu_seconds_per_op * 1e6,
                                     t.wall_seconds_per_op * 1e6);
            if (s.name != "job") continue;
            const auto& cost = costs_.at(m.id);
            jobs_.push_back(
                {&m,
                 t,
                 cost,
                 {},
                 paired_ratio(s.op, cost, *ops_, options_.pairs, options_.timing.min_seconds / 2)});
        }
    }

    void report_jobs() {
        std::map<std::string, aggregate> by_class;
        for (const auto& j : jobs_) {
            const auto& m = *j.message;
            const auto& rates = j.rates;
            double bound = j.cost.seconds(rates);
            emit({{"type", "job"},
                  {"id", m.id},
                  {"size_class", m.size_class},
                  {"arc_sets", m.arc_sets},
                  {"bytes", m.raw.size()},
                  {"cpu_us", j.time.cpu_seconds_per_op * 1e6},
                  {"bound_us", bound * 1e6},
                  {"hash_bound_us", j.cost.hash_seconds(rates) * 1e6},
                  {"ratio", bound / j.time.cpu_seconds_per_op},
                  {"paired_ratio", j.paired_ratio},
                  {"rsa_verify", j.cost.rsa_verify},
                  {"ed25519_verify", j.cost.ed_verify},
                  {"rsa_sign", j.cost.rsa_sign},
                  {"ed25519_sign", j.cost.ed_sign},
                  {"hash_bytes", j.cost.hash_bytes},
                  {"rates", rates_json(rates)}});
            for (auto key : {m.size_class, m.size_class + "/" + std::to_string(m.arc_sets)}) {
                auto& a = by_class[key];
                a.seconds += j.time.cpu_seconds_per_op;
                a.bound += bound;
                a.hash += j.cost.hash_seconds(rates);
                // The paired ratio weighted by the job's time, as the bound/job ratio is.
                a.paired_bound += j.paired_ratio * j.time.cpu_seconds_per_op;
                a.bytes += m.raw.size();
                ++a.messages;
            }
        }
        for (const auto& [key, a] : by_class) {
            auto n = static_cast<double>(a.messages);
            emit({{"type", "job_class"},
                  {"class", key},
                  {"messages", a.messages},
                  {"msgs_per_s", n / a.seconds},
                  {"bound_msgs_per_s", n / a.bound},
                  {"ratio", a.bound / a.seconds},
                  {"paired_ratio", a.paired_bound / a.seconds},
                  {"hash_ratio", a.hash / a.seconds},
                  {"mb_per_s", static_cast<double>(a.bytes) / a.seconds / 1e6}});
            std::cerr << fmt::format("job {:<7} {:>9.1f} msgs/s  bound {:>9.1f}  ratio {:>5.1f} %  "
                                     "paired {:>5.1f} %  sha256 share {:>5.1f} %\n",
                                     key, n / a.seconds, n / a.bound, 100 * a.bound / a.seconds,
                                     100 * a.paired_bound / a.seconds, 100 * a.hash / a.seconds);
        }
    }

    const options& options_;
    std::ofstream file_;
    std::size_t checked_ = 0;
    std::map<std::string, bench::job_cost> costs_;
    std::vector<job_sample> jobs_;
    std::unique_ptr<bench::crypto_ops> ops_; // the raw operations of the paired bound
};

} // namespace

int main(int argc, char** argv) {
    try {
        auto o = parse_args(argc, argv);
        run r(o);
        r.go();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_arcrelay: " << e.what() << "\n";
        return 1;
    }
}
