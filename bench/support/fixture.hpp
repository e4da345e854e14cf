// bench/support/fixture.hpp — one corpus message prepared for the per-stage benchmarks
// (parse, body hash, DKIM verify, ARC validation, sealing) and the full relay job:
// check_message (verify) → record_results (record) → rewrite_post/rewrite_envelope
// (rewrite) → seal_message with both algorithms (seal) → serialise (what is forwarded).
// Everything a stage needs but does not itself do (DNS keys, the verdict a seal takes) is
// computed once here, untimed.
#pragma once

#include "arc/seal.hpp"
#include "arc/validate.hpp"
#include "bench/support/corpus.hpp"
#include "bench/support/recording.hpp"
#include "relay/message_checks.hpp"
#include "relay/rewrite.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace arcrelay::bench {

// The relay's configuration for the corpus: authserv-id, list, sealing keys, and the parsed
// key cache the daemon keeps for its lifetime (warm after the first message, like the DNS
// cache).
struct relay_setup {
    std::shared_ptr<auth::dkim::key_record_cache> key_cache;
    relay::check_settings settings;
    config::arc_settings arc;
    std::vector<relay::sealing_key> keys;
    config::mailing_list list;
    recording* reports = nullptr; // set: the job_recording stage records report rows
};
// Throws std::runtime_error when a sealing key cannot be loaded (start-up).
relay_setup make_setup(const corpus& c);

struct job_output {
    mail::message message; // as forwarded
    relay::check_report report;
    std::size_t sets_added = 0;
    std::string wire; // serialise()d
};
// The whole per-message job. Throws std::runtime_error when the message does not parse or
// sealing fails (a corpus or relay defect: the benchmark must not time a failed job).
job_output run_job(const corpus_message& m, dns::resolver& resolver, const relay_setup& s);

struct stage {
    std::string name;
    std::function<void()> op;
    std::size_t sets_added = 0; // sealing stages: sets the op adds (0: nothing to seal)
};

class message_fixture {
public:
    message_fixture(const corpus_message& m, dns::resolver& resolver, const relay_setup& s);
    // parse, hash_relaxed, hash_simple, dkim_verify, arc_validate, seal_rsa, seal_ed25519,
    // seal_both, job, and job_recording (the job, then its report rows recorded as the daemon
    // does) when the setup has `reports`; each op repeats its stage from scratch (no state kept
    // between calls).
    std::vector<stage> stages();

private:
    std::size_t seal_sets(std::span<const arc::sealing_key> keys) const;

    const corpus_message& source_;
    dns::resolver& resolver_;
    const relay_setup& setup_;
    mail::message message_;
    auth::dkim::key_map dkim_keys_;
    auth::dkim::key_map arc_keys_;
    arc::validation_result verdict_;
    std::string aar_payload_;
    std::vector<arc::sealing_key> rsa_, ed_, both_;
};

} // namespace arcrelay::bench
