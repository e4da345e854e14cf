// bench/support/fixture.cpp — see fixture.hpp.
#include "bench/support/fixture.hpp"

#include "auth/dkim/verify.hpp"
#include "auth/results/authentication_results.hpp"
#include "bench/support/measure.hpp"
#include "mail/canonicalization.hpp"

#include <stdexcept>

namespace arcrelay::bench {

namespace {

// A fixed clock a day after the corpus was signed: hops add minutes to t=, and t= must
// not be in the future (the corpus has no x= tags).
constexpr std::uint64_t seconds_after_signing = 86400;

mail::message parse_or_throw(const corpus_message& m) {
    auto parsed = mail::parse_message(m.raw);
    if (!parsed) throw std::runtime_error(m.id + ": " + parsed.error().message);
    return std::move(*parsed);
}

arc::sealing_key to_arc_key(const relay::sealing_key& k) {
    return {k.settings.algorithm == config::signing_algorithm::rsa_sha256
                ? auth::dkim::algorithm::rsa_sha256
                : auth::dkim::algorithm::ed25519_sha256,
            k.settings.domain, k.settings.selector, k.key};
}

} // namespace

relay_setup make_setup(const corpus& c) {
    relay_setup s;
    s.key_cache = std::make_shared<auth::dkim::key_record_cache>();
    s.settings.key_cache = s.key_cache.get();
    s.settings.authserv_id = c.authserv_id;
    s.settings.now = c.signing_time + seconds_after_signing;
    s.arc.keys = c.sealing_keys;
    auto keys = relay::load_sealing_keys(s.arc);
    if (!keys) throw std::runtime_error(keys.error().message);
    s.keys = std::move(*keys);
    s.list.address = c.list_address;
    auto at = c.list_address.find('@');
    s.list.local_part = c.list_address.substr(0, at);
    s.list.domain = c.list_address.substr(at + 1);
    s.list.bounce_address = s.list.local_part + "-bounces@" + s.list.domain;
    s.list.subject_prefix = "[" + s.list.local_part + "] ";
    return s;
}

job_output run_job(const corpus_message& m, dns::resolver& resolver, const relay_setup& s) {
    job_output out{parse_or_throw(m), {}, 0, {}};
    out.report = relay::check_message(out.message, m.envelope, resolver, s.settings);
    relay::record_results(out.message, out.report, s.settings.authserv_id, {});
    relay::rewrite_post(out.message, s.list);
    keep(relay::rewrite_envelope(s.list, m.envelope.recipients));
    auto sealed = relay::seal_message(out.message, out.report, s.keys, s.arc,
                                      s.settings.authserv_id, s.settings.now);
    if (!sealed) throw std::runtime_error(m.id + ": seal failed: " + sealed.error().message);
    out.sets_added = sealed->sets_added;
    out.wire = out.message.serialise();
    return out;
}

message_fixture::message_fixture(const corpus_message& m, dns::resolver& resolver,
                                 const relay_setup& s)
    : source_(m), resolver_(resolver), setup_(s), message_(parse_or_throw(m)) {
    dkim_keys_ = auth::dkim::fetch_keys(
        resolver, auth::dkim::dkim_key_names(message_, s.settings.limits.max_dkim_signatures));
    auto chain = arc::collect_chain(message_);
    if (chain) arc_keys_ = auth::dkim::fetch_keys(resolver, arc::key_names(*chain));
    auth::dkim::body_hash_cache bodies(message_.body());
    verdict_ = arc::validate_chain(message_, chain, arc_keys_, bodies, s.settings.now);
    auto report = relay::check_message(message_, m.envelope, resolver, s.settings);
    aar_payload_ = auth::results::format_authentication_results(
        report.results, auth::results::arc_authentication_results_name_length);
    for (const auto& k : s.keys) {
        auto key = to_arc_key(k);
        (key.algorithm == auth::dkim::algorithm::rsa_sha256 ? rsa_ : ed_).push_back(key);
        both_.push_back(key);
    }
}

std::size_t message_fixture::seal_sets(std::span<const arc::sealing_key> keys) const {
    auto out = arc::seal_message(message_, verdict_, aar_payload_, keys, setup_.settings.now);
    if (!out) throw std::runtime_error(source_.id + ": seal failed: " + out.error().message);
    return out->fields.empty() ? 0 : out->algorithms.size();
}

std::vector<stage> message_fixture::stages() {
    const auto& m = message_;
    const auto now = setup_.settings.now;
    auto hash = [&m](mail::canonicalization c) {
        return [&m, c] {
            mail::body_hasher h(c, std::nullopt);
            h.update(m.body());
            keep(h.finish());
        };
    };
    auto seal = [this, now](const std::vector<arc::sealing_key>& keys) {
        return [this, now, &keys] {
            keep(arc::seal_message(message_, verdict_, aar_payload_, keys, now));
        };
    };
    auth::dkim::verify_options dkim_options;
    dkim_options.now = now;
    dkim_options.max_signatures = setup_.settings.limits.max_dkim_signatures;
    std::vector<stage> out{
        {"parse", [this] { keep(mail::parse_message(source_.raw)); }},
        {"hash_relaxed", hash(mail::canonicalization::relaxed)},
        {"hash_simple", hash(mail::canonicalization::simple)},
        {"dkim_verify",
         [this, dkim_options] {
             auth::dkim::body_hash_cache bodies(message_.body());
             keep(auth::dkim::verify_dkim(message_, dkim_keys_, bodies, dkim_options));
         }},
        {"arc_validate",
         [this, now] {
             auth::dkim::body_hash_cache bodies(message_.body());
             keep(arc::validate_chain(message_, arc::collect_chain(message_), arc_keys_, bodies,
                                      now));
         }},
        {"seal_rsa", seal(rsa_), seal_sets(rsa_)},
        {"seal_ed25519", seal(ed_), seal_sets(ed_)},
        {"seal_both", seal(both_), seal_sets(both_)},
        {"job", [this] { keep(run_job(source_, resolver_, setup_).wire.size()); },
         seal_sets(both_)},
    };
    if (setup_.reports)
        out.push_back({"job_recording",
                       [this] {
                           auto job = run_job(source_, resolver_, setup_);
                           setup_.reports->record(job.report, 250, setup_.arc.trusted_sealers);
                           keep(job.wire.size());
                       },
                       seal_sets(both_)});
    return out;
}

} // namespace arcrelay::bench
