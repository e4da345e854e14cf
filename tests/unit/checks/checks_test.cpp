// The verify, record and seal stages end to end over the bench corpus (2 KB messages): every
// verdict matches manifest.json, forged A-R fields go, and a sealed copy verifies again.
#include "dns/static_zone.hpp"
#include "relay/message_checks.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

using namespace arcrelay;
using json = nlohmann::json;

namespace {

const std::string corpus = std::string(ARCRELAY_TEST_DATA) + "/arc/bench-corpus/";
// Hops of the corpus stamp t= up to a few hours after its signing time (1767225600).
constexpr std::uint64_t corpus_time = 1767225600 + 86400;

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

dns::static_zone corpus_zone() {
    auto z = dns::static_zone::load(std::string(ARCRELAY_TEST_DATA) + "/dns/bench-corpus-zone.txt");
    BOOST_REQUIRE_MESSAGE(z, z);
    return std::move(*z);
}

relay::check_settings settings() {
    relay::check_settings s;
    s.authserv_id = "lists.example.org";
    s.now = corpus_time;
    return s;
}

relay::envelope envelope_of(const json& entry) {
    relay::envelope env;
    env.client_ip = entry["envelope"]["client_ip"];
    env.helo = entry["envelope"]["helo"];
    env.mail_from = entry["envelope"]["mail_from"];
    for (const auto& r : entry["envelope"]["rcpt_to"])
        env.recipients.push_back(r);
    return env;
}

// The manifest entries whose message file was copied into tests/data.
std::vector<json> corpus_entries() {
    auto manifest = json::parse(read(corpus + "manifest.json"));
    std::vector<json> out;
    for (const auto& entry : manifest["messages"]) {
        std::string file = entry["file"];
        auto name = file.substr(file.rfind('/') + 1);
        if (entry["size_class"] == "2k" && std::ifstream(corpus + name)) out.push_back(entry);
    }
    return out;
}

mail::message load_message(const json& entry) {
    std::string file = entry["file"];
    auto m = mail::parse_message(read(corpus + file.substr(file.rfind('/') + 1)));
    BOOST_REQUIRE_MESSAGE(m, m);
    return std::move(*m);
}

std::string property(const auth::results::method_result& r, const std::string& name) {
    for (const auto& p : r.properties)
        if (p.ptype + "." + p.name == name) return p.value;
    return "";
}

std::vector<relay::sealing_key> relay_keys() {
    config::arc_settings arc;
    for (auto [alg, sel, file] : {std::tuple{config::signing_algorithm::rsa_sha256, "rsa2026",
                                             "lists.example.org.rsa2026.rsa.pem"},
                                  std::tuple{config::signing_algorithm::ed25519_sha256, "ed2026",
                                             "lists.example.org.ed2026.ed25519.pem"}})
        arc.keys.push_back({alg, "lists.example.org", sel, corpus + "keys/" + file});
    auto keys = relay::load_sealing_keys(arc);
    BOOST_REQUIRE_MESSAGE(keys, keys);
    return std::move(*keys);
}

// Forwards to `upstream` (or answers temp_failure when there is none, a DNS outage) and keeps
// every batch it was asked.
class recording_resolver final : public dns::resolver {
public:
    explicit recording_resolver(dns::resolver* upstream) : upstream_(upstream) {}
    std::vector<dns::answer> resolve(std::span<const dns::question> questions) override {
        calls.emplace_back(questions.begin(), questions.end());
        if (upstream_) return upstream_->resolve(questions);
        return std::vector<dns::answer>(questions.size(),
                                        dns::answer{dns::outcome::temp_failure, {}, "DNS timeout"});
    }
    std::vector<std::vector<dns::question>> calls;

private:
    dns::resolver* upstream_;
};

bool asks(const std::vector<dns::question>& batch, std::string_view name, dns::rr_type type) {
    return std::any_of(batch.begin(), batch.end(),
                       [&](const dns::question& q) { return q.name == name && q.type == type; });
}

} // namespace

BOOST_AUTO_TEST_SUITE(checks_test)

BOOST_AUTO_TEST_CASE(verdicts_match_the_corpus_manifest) {
    auto zone = corpus_zone();
    auto entries = corpus_entries();
    BOOST_TEST(entries.size() == 13u);
    for (const auto& entry : entries) {
        BOOST_TEST_CONTEXT(entry["id"].get<std::string>()) {
            auto m = load_message(entry);
            // The manifest knows RFC 7489 only: compare with virtual DMARC off.
            auto plain = settings();
            plain.dmarc.virtual_policy = config::virtual_dmarc::off;
            auto report = relay::check_message(m, envelope_of(entry), zone, plain);
            const auto& expected = entry["expected"];
            std::vector<std::string> dkim_expected;
            for (const auto& d : expected["dkim"])
                dkim_expected.push_back(d["result"]);
            BOOST_TEST(report.dkim == dkim_expected, boost::test_tools::per_element());
            BOOST_TEST(report.spf == expected["spf"].get<std::string>());
            BOOST_TEST(report.dmarc == expected["dmarc"].get<std::string>());
            BOOST_TEST(report.arc == expected["arc"].get<std::string>(), report.arc_reason);
            BOOST_TEST(!report.temperror);
            // Bench senders have matching PTR records; the spoofed conformance ones need not.
            if (entry["role"] == "bench") BOOST_TEST(report.iprev == "pass");
        }
    }
}

BOOST_AUTO_TEST_CASE(the_first_questions_of_every_check_go_out_in_one_round) {
    // DESIGN.md: all DNS lookups of a message start concurrently. s1 comes from
    // sender.example with an rsa DKIM signature and no ARC; s3 carries a 3-set ARC chain.
    auto zone = corpus_zone();
    for (const auto& entry : corpus_entries()) {
        BOOST_TEST_CONTEXT(entry["id"].get<std::string>()) {
            auto m = load_message(entry);
            auto env = envelope_of(entry);
            recording_resolver dns(&zone);
            auto report = relay::check_message(m, env, dns, settings());
            BOOST_REQUIRE(!dns.calls.empty());
            const auto& first = dns.calls.front();
            BOOST_TEST((first.front().type == dns::rr_type::ptr)); // iprev
            std::string mail_from = env.mail_from;
            BOOST_TEST(asks(first, mail_from.substr(mail_from.rfind('@') + 1), dns::rr_type::txt));
            BOOST_TEST(asks(first, "_dmarc." + report.dmarc_domain, dns::rr_type::txt));
            // Every key (DKIM and ARC) is in the first round, and no question is asked twice.
            std::set<std::pair<std::string, dns::rr_type>> seen;
            std::size_t asked = 0;
            for (const auto& call : dns.calls)
                for (const auto& q : call) {
                    ++asked;
                    seen.insert({q.name, q.type});
                    if (q.name.find("._domainkey.") != std::string::npos)
                        BOOST_TEST(asks(first, q.name, q.type), q.name);
                }
            BOOST_TEST(seen.size() == asked);
            // Follow-ups only: PTR targets (iprev) and what the SPF records name.
            BOOST_TEST(dns.calls.size() <= 4u);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_dns_outage_costs_one_round_per_message) {
    // Found by integration_faults (docs/ROBUSTNESS.md R1): with iprev, SPF MAIL FROM, SPF HELO
    // and DMARC asked in turn, an unanswered DNS cost four timeouts per message.
    for (const auto& entry : corpus_entries()) {
        BOOST_TEST_CONTEXT(entry["id"].get<std::string>()) {
            auto m = load_message(entry);
            recording_resolver silent(nullptr);
            auto report = relay::check_message(m, envelope_of(entry), silent, settings());
            BOOST_TEST(silent.calls.size() == 1u);
            BOOST_TEST(report.temperror);
            BOOST_TEST(report.iprev == "temperror");
            BOOST_TEST(report.spf == "temperror");
            BOOST_TEST(report.dmarc == "temperror");
            for (const auto& d : report.dkim)
                BOOST_TEST(d == "temperror");
        }
    }
}

BOOST_AUTO_TEST_CASE(virtual_dmarc_when_no_record_is_published) {
    // s5: shop.example publishes no DMARC record; its DKIM signature passes (strictly aligned).
    auto zone = corpus_zone();
    for (const auto& entry : corpus_entries()) {
        if (entry["id"] != "2k-s5") continue;
        auto m = load_message(entry);
        auto report = relay::check_message(m, envelope_of(entry), zone, settings());
        // Default (property): dmarc=none, the virtual evaluation a comment and properties.
        BOOST_TEST(report.dmarc == "none");
        const auth::results::method_result* dmarc = nullptr;
        for (const auto& r : report.results.results)
            if (r.method == "dmarc") dmarc = &r;
        BOOST_REQUIRE(dmarc);
        BOOST_TEST(property(*dmarc, "policy.dmarc-source") == "virtual");
        BOOST_TEST(property(*dmarc, "policy.dmarc-virtual") == "pass");
        BOOST_TEST(dmarc->comment == "virtual DMARC: pass");
        auto explicit_pass = settings();
        explicit_pass.dmarc.virtual_policy = config::virtual_dmarc::pass;
        BOOST_TEST(relay::check_message(m, envelope_of(entry), zone, explicit_pass).dmarc ==
                   "pass");
        auto guess = settings();
        guess.dmarc.virtual_policy = config::virtual_dmarc::bestguesspass;
        BOOST_TEST(relay::check_message(m, envelope_of(entry), zone, guess).dmarc ==
                   "bestguesspass");
        return;
    }
    BOOST_FAIL("2k-s5 not in the corpus copy");
}

BOOST_AUTO_TEST_CASE(forged_results_are_replaced_by_ours) {
    auto zone = corpus_zone();
    auto entry = corpus_entries().front();
    auto m = load_message(entry);
    m.prepend(mail::header_field::make("Authentication-Results",
                                       "lists.example.org; dkim=pass header.d=evil.example"));
    m.prepend(mail::header_field::make("Authentication-Results",
                                       "(comment) LISTS.EXAMPLE.ORG; arc=pass"));
    m.prepend(mail::header_field::make("Authentication-Results", "upstream.example; spf=pass"));
    auto report = relay::check_message(m, envelope_of(entry), zone, settings());
    auto removed = relay::record_results(m, report, "lists.example.org", {});
    BOOST_TEST(removed == 2u);
    auto fields = m.fields("Authentication-Results");
    BOOST_REQUIRE(fields.size() == 2u);
    BOOST_TEST(fields[0]->value().find("lists.example.org;") != std::string_view::npos);
    BOOST_TEST(fields[0]->value().find("evil.example") == std::string_view::npos);
    BOOST_TEST(fields[1]->value() == " upstream.example; spf=pass");
    // With a trusted list, untrusted upstream fields go as well.
    std::vector<std::string> trusted{"mx.trusted.example"};
    BOOST_TEST(relay::record_results(m, report, "lists.example.org", trusted) == 2u);
}

BOOST_AUTO_TEST_CASE(sealed_copies_verify_again) {
    auto zone = corpus_zone();
    auto keys = relay_keys();
    config::arc_settings arc;
    for (const auto& entry : corpus_entries()) {
        BOOST_TEST_CONTEXT(entry["id"].get<std::string>()) {
            auto m = load_message(entry);
            auto first = relay::check_message(m, envelope_of(entry), zone, settings());
            relay::record_results(m, first, "lists.example.org", {});
            auto sealed =
                relay::seal_message(m, first, keys, arc, "lists.example.org", corpus_time);
            BOOST_REQUIRE_MESSAGE(sealed, sealed);
            if (first.arc == "fail") {
                // RFC 8617 §5.1.2: a failed chain is sealed with cv=fail (once) and stays failed.
                auto again = relay::check_message(m, envelope_of(entry), zone, settings());
                BOOST_TEST(again.arc == "fail");
                continue;
            }
            BOOST_TEST(sealed->sets_added >= 1u, sealed->note);
            // The next hop sees our set as the newest and the chain passes.
            relay::envelope next;
            next.client_ip = "203.0.113.25";
            next.helo = "relay.lists.example.org";
            next.mail_from = "bench-bounces@lists.example.org";
            auto again = relay::check_message(m, next, zone, settings());
            BOOST_TEST(again.arc == "pass", again.arc_reason);
            const auto& arc_result = again.results.results.back();
            BOOST_TEST(arc_result.method == "arc");
            // Our AMS verifies; the older ones are as they were (RFC 8617 §5.2 step 6).
            BOOST_TEST(property(arc_result, "header.oldest-pass") ==
                       std::to_string(first.arc_validation->oldest_pass));
        }
    }
}

BOOST_AUTO_TEST_CASE(split_layout_takes_cv_from_our_results) {
    auto zone = corpus_zone();
    auto keys = relay_keys();
    auto entry = corpus_entries()[2]; // s3: an upstream chain that passes
    auto m = load_message(entry);
    auto report = relay::check_message(m, envelope_of(entry), zone, settings());
    relay::record_results(m, report, "lists.example.org", {});
    // Mailman edits the message (subject tag); the seal listener must not re-validate.
    auto subject = std::find_if(m.headers().begin(), m.headers().end(),
                                [](const mail::header_field& f) { return f.is("Subject"); });
    *subject = mail::header_field::make("Subject", "[bench]" + std::string(subject->value()));
    auto ours = relay::report_from_our_results(m, "lists.example.org");
    BOOST_TEST(ours.arc == "pass");
    auto sealed = relay::seal_message(m, ours, keys, {}, "lists.example.org", corpus_time);
    BOOST_REQUIRE_MESSAGE(sealed, sealed);
    BOOST_TEST(sealed->sets_added == 1u); // the upstream chain is rsa only: no new algorithm
    relay::envelope next{"203.0.113.25", "relay.lists.example.org", "", {}};
    auto again = relay::check_message(m, next, zone, settings());
    BOOST_TEST(again.arc == "pass", again.arc_reason);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(report_rows)

// RFC 9990 rows from the verify stage: one per evaluation against a published record, with
// every DKIM signature (d=, s=, result) and the SPF result; none without a record.
BOOST_AUTO_TEST_CASE(rows_follow_the_dmarc_verdicts_of_the_corpus) {
    auto zone = corpus_zone();
    std::size_t with_rows = 0;
    for (const auto& entry : corpus_entries()) {
        BOOST_TEST_CONTEXT(entry["id"].get<std::string>()) {
            auto m = load_message(entry);
            const auto env = envelope_of(entry);
            auto report = relay::check_message(m, env, zone, settings());
            const auto& expected = entry["expected"];
            const std::string dmarc = expected["dmarc"];
            const bool published = dmarc == "pass" || dmarc == "fail";
            BOOST_TEST_REQUIRE(report.report_rows.size() == (published ? 1u : 0u));
            if (!published) continue;
            ++with_rows;
            const auto& draft = report.report_rows.front();
            const auto& row = draft.row;
            BOOST_TEST(draft.dmarc_failed == (dmarc == "fail"));
            BOOST_TEST((row.dkim_aligned || row.spf_aligned) == (dmarc == "pass"));
            BOOST_TEST(row.header_from == entry["author_domain"].get<std::string>());
            BOOST_TEST(row.source_ip == env.client_ip);
            BOOST_TEST(row.envelope_to == "lists.example.org");
            BOOST_TEST(row.time == static_cast<std::int64_t>(corpus_time));
            BOOST_TEST((row.policy.discovery_method == arcrelay::report::discovery::treewalk));
            BOOST_TEST(!row.policy.domain.empty());
            BOOST_TEST_REQUIRE(row.dkim.size() == expected["dkim"].size());
            for (std::size_t i = 0; i < row.dkim.size(); ++i) {
                BOOST_TEST(row.dkim[i].domain == expected["dkim"][i]["d"].get<std::string>());
                BOOST_TEST(row.dkim[i].selector == expected["dkim"][i]["s"].get<std::string>());
                BOOST_TEST(row.dkim[i].result == expected["dkim"][i]["result"].get<std::string>());
            }
            BOOST_TEST(row.spf.result == expected["spf"].get<std::string>());
            BOOST_TEST(row.spf.scope == "mfrom");
        }
    }
    BOOST_TEST(with_rows == 12u);
}

BOOST_AUTO_TEST_CASE(an_incoming_dmarc_report_makes_no_row) {
    auto zone = corpus_zone();
    const auto entry = corpus_entries().front();
    auto m = load_message(entry);
    BOOST_TEST_REQUIRE(
        relay::check_message(m, envelope_of(entry), zone, settings()).report_rows.size() == 1u);
    m.prepend(mail::header_field::make(
        "Subject", " Report Domain: example.com Submitter: mx.example.net Report-ID: <a1>"));
    BOOST_TEST(relay::is_dmarc_report(m));
    BOOST_TEST(relay::check_message(m, envelope_of(entry), zone, settings()).report_rows.empty());
}

BOOST_AUTO_TEST_SUITE_END()
