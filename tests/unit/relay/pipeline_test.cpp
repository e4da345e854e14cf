// tests/unit/relay/pipeline_test.cpp — the stage sequence of relay/pipeline.hpp over the
// bench-corpus zone (tests/data/dns) with a fixed clock: one-pass, split-verify, split-seal
// (with and without our A-R), malformed headers, service addresses, VERP.
#include "relay/pipeline.hpp"

#include "config/load.hpp"
#include "dns/static_zone.hpp"
#include "mail/message.hpp"
#include "printers.hpp"

#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

using namespace arcrelay;

namespace {

constexpr std::uint64_t fixed_now = 1767230000; // 2026-01-01, after the corpus signatures

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// `list_extra` goes into the [[list]] table, `tables` (e.g. [arc]) before [[arc.key]].
config::configuration make_config(std::string_view stages, std::string_view list_extra = "",
                                  std::string_view tables = "") {
    const auto text = fmt::format(R"(
[server]
hostname = "relay.lists.example.org"
authserv_id = "lists.example.org"
[[listener]]
name = "in"
address = "127.0.0.1"
port = 2525
stages = "{}"
allowed_clients = ["127.0.0.1/32"]
[next_hop]
uri = "lmtp:127.0.0.1:8024"
[[list]]
address = "bench@lists.example.org"
subject_prefix = "[bench] "
{}
{}
[[arc.key]]
algorithm = "rsa-sha256"
domain = "lists.example.org"
selector = "rsa2026"
private_key = "{}/relay/lists.example.org.rsa2026.rsa.pem"
)",
                                  stages, list_extra, tables, ARCRELAY_TEST_DATA);
    auto c = config::parse_config(text, "test.toml");
    BOOST_REQUIRE_MESSAGE(c.ok(), c);
    return std::move(c).value();
}

struct fixture {
    dns::static_zone zone = [] {
        auto z =
            dns::static_zone::load(std::string(ARCRELAY_TEST_DATA) + "/dns/bench-corpus-zone.txt");
        BOOST_REQUIRE(z.ok());
        return std::move(z).value();
    }();

    relay::pipeline_result run(const config::configuration& c, const std::string& message,
                               std::vector<std::string> rcpts = {"bench@lists.example.org"},
                               std::string client_ip = "192.0.2.10",
                               std::uint64_t now = fixed_now) {
        auto keys = relay::load_sealing_keys(c.arc);
        BOOST_REQUIRE(keys.ok());
        smtp::transaction t;
        t.env.client_ip = std::move(client_ip);
        t.env.helo = "mail.example.com";
        t.env.esmtp = true;
        t.env.mail_from = "alice@example.com";
        t.env.rcpts = std::move(rcpts);
        t.message = message;
        relay::pipeline_context ctx{c, c.listeners.front(), *keys, zone, "id1", now};
        ctx.handover = &handover;
        return relay::run_pipeline(std::move(t), ctx);
    }

    // What the seal listener delivers for `message` as the verify listener forwarded it.
    relay::pipeline_result verify_then_seal(const std::string& message,
                                            std::string_view seal_tables = "") {
        const auto verified = run(make_config("split-verify"), message);
        BOOST_REQUIRE_EQUAL(verified.forward.size(), 1u);
        return run(make_config("split-seal", "", seal_tables), verified.forward.front().message,
                   {"member@example.net"});
    }

    relay::handover_keys handover{{std::string(40, 'k')}};
};

std::string corpus(const char* name) {
    return read_file(std::string(ARCRELAY_TEST_DATA) + "/relay/" + name);
}

bool contains(const std::string& s, std::string_view what) {
    return s.find(what) != std::string::npos;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(pipeline_test, fixture)

BOOST_AUTO_TEST_CASE(one_pass_verifies_rewrites_seals) {
    const auto r = run(make_config("one-pass"), corpus("2k-s1.eml"));
    BOOST_REQUIRE(!r.reply.has_value());
    BOOST_REQUIRE_EQUAL(r.forward.size(), 1u);
    const auto& out = r.forward.front();
    BOOST_TEST(out.env.mail_from == "bench-bounces@lists.example.org");
    BOOST_TEST(contains(out.message, "Subject: [bench] 2k s1"));
    BOOST_TEST(contains(out.message, "Authentication-Results: lists.example.org;"));
    BOOST_TEST(contains(out.message, "Received: from mail.example.com ([192.0.2.10])"));
    BOOST_TEST(r.arc_sets_added == 1u);
    BOOST_TEST(r.list == "bench@lists.example.org");
    BOOST_REQUIRE(r.report.has_value());
    BOOST_TEST(r.report->spf == "pass");
    BOOST_TEST(r.report->dmarc == "pass");
}

BOOST_AUTO_TEST_CASE(split_verify_records_but_neither_rewrites_nor_seals) {
    const auto r = run(make_config("split-verify"), corpus("2k-s1.eml"));
    BOOST_REQUIRE_EQUAL(r.forward.size(), 1u);
    const auto& out = r.forward.front();
    BOOST_TEST(out.env.mail_from == "alice@example.com");
    BOOST_TEST(!contains(out.message, "[bench]"));
    BOOST_TEST(!contains(out.message, "ARC-Seal:"));
    BOOST_TEST(contains(out.message, "Authentication-Results: lists.example.org;"));
    BOOST_TEST(r.arc_sets_added == 0u);
}

BOOST_AUTO_TEST_CASE(split_seal_uses_our_results_from_the_verify_listener) {
    const auto verified = run(make_config("split-verify"), corpus("2k-s3.eml"));
    BOOST_REQUIRE_EQUAL(verified.forward.size(), 1u);
    const auto r =
        run(make_config("split-seal"), verified.forward.front().message, {"member@example.net"});
    BOOST_REQUIRE(!r.reply.has_value());
    BOOST_TEST(r.arc_sets_added == 1u);
    BOOST_TEST(!r.report.has_value()); // nothing re-validated
    BOOST_TEST(contains(r.forward.front().message, "cv=pass"));
}

BOOST_AUTO_TEST_CASE(split_verify_adds_the_hand_over_and_split_seal_strips_it) {
    const auto verified = run(make_config("split-verify"), corpus("2k-s1.eml"));
    BOOST_REQUIRE_EQUAL(verified.forward.size(), 1u);
    BOOST_TEST(
        contains(verified.forward.front().message, "ARCRelay-Handover: v=1; t=1767230000; b="));
    const auto r = verify_then_seal(corpus("2k-s1.eml"));
    BOOST_REQUIRE_EQUAL(r.forward.size(), 1u);
    BOOST_TEST(r.arc_sets_added == 1u);
    BOOST_TEST(!contains(r.forward.front().message, "ARCRelay-Handover"));
    BOOST_TEST(contains(r.forward.front().message, "dmarc=pass"));
}

// The issue-15 attack: a local process posts straight to Mailman with our authserv-id.
const std::string forged_post =
    "Authentication-Results: lists.example.org; dkim=pass header.d=example.com;\r\n"
    " spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com\r\n"
    "From: alice@example.com\r\nTo: bench@lists.example.org\r\nSubject: forged\r\n"
    "Message-ID: <forged@example.com>\r\n\r\nbody\r\n";

BOOST_AUTO_TEST_CASE(split_seal_never_seals_a_forged_result) {
    const auto none = run(make_config("split-seal"), forged_post, {"m@example.net"});
    BOOST_TEST(none.arc_sets_added == 0u);
    BOOST_TEST(contains(none.notes, "no hand-over field"));
    // RFC 8601 5: the forged field does not reach the members either.
    BOOST_TEST(!contains(none.forward.front().message, "dmarc=pass"));
    const auto fresh = run(make_config("split-seal", "", "[arc]\nseal_unsealed = \"new-chain\""),
                           forged_post, {"m@example.net"});
    BOOST_TEST(fresh.arc_sets_added == 1u);
    BOOST_TEST(contains(fresh.forward.front().message, "cv=none"));
    BOOST_TEST(!contains(fresh.forward.front().message, "dmarc=pass"));
}

BOOST_AUTO_TEST_CASE(split_seal_refuses_a_hand_over_replayed_onto_another_message) {
    const auto verified = run(make_config("split-verify"), corpus("2k-s1.eml"));
    BOOST_REQUIRE_EQUAL(verified.forward.size(), 1u);
    const auto genuine = mail::parse_message(verified.forward.front().message);
    BOOST_REQUIRE(genuine.ok());
    // What a member could harvest (an archive's raw copy): our A-R and the hand-over field.
    std::string harvested;
    for (const auto* name : {"ARCRelay-Handover", "Authentication-Results"})
        harvested += genuine->fields(name).front()->raw();
    for (const auto* other :
         {"Message-ID: <another@example.com>\r\nFrom: alice@example.com\r\n",
          "Message-ID: <2k.s1.ef019bff@example.com>\r\nFrom: eve@example.net\r\n"}) {
        const auto r =
            run(make_config("split-seal"), harvested + other + "Subject: another\r\n\r\nbody\r\n",
                {"m@example.net"});
        BOOST_TEST(r.arc_sets_added == 0u);
        BOOST_TEST(contains(r.notes, "does not match this message"));
        BOOST_TEST(!contains(r.forward.front().message, "dmarc=pass"));
    }
}

BOOST_AUTO_TEST_CASE(split_seal_refuses_a_stale_or_foreign_hand_over) {
    const auto verified = run(make_config("split-verify"), corpus("2k-s1.eml"));
    BOOST_REQUIRE_EQUAL(verified.forward.size(), 1u);
    const auto& message = verified.forward.front().message;
    const auto late =
        run(make_config("split-seal"), message, {"m@example.net"}, "127.0.0.1", fixed_now + 86'401);
    BOOST_TEST(late.arc_sets_added == 0u);
    BOOST_TEST(contains(late.notes, "older than handover_max_age_s"));
    handover.secrets = {std::string(40, 'x')}; // another installation's secret
    const auto foreign = run(make_config("split-seal"), message, {"m@example.net"});
    BOOST_TEST(foreign.arc_sets_added == 0u);
    handover.secrets = {std::string(40, 'x'), std::string(40, 'k')}; // rotation: old accepted
    const auto rotated = run(make_config("split-seal"), message, {"m@example.net"});
    BOOST_TEST(rotated.arc_sets_added == 1u);
}

BOOST_AUTO_TEST_CASE(split_seal_without_our_results_follows_seal_unsealed) {
    const auto none = run(make_config("split-seal"), corpus("2k-s1.eml"), {"m@example.net"});
    BOOST_TEST(none.arc_sets_added == 0u);
    BOOST_TEST(contains(none.notes, "seal_unsealed = none"));
    const auto fresh = run(make_config("split-seal", "", "[arc]\nseal_unsealed = \"new-chain\""),
                           corpus("2k-s1.eml"), {"m@example.net"});
    BOOST_TEST(fresh.arc_sets_added == 1u);
    BOOST_TEST(contains(fresh.forward.front().message, "cv=none"));
}

BOOST_AUTO_TEST_CASE(malformed_header_554_5_6_0) {
    const auto r =
        run(make_config("one-pass"), "From: a@example.com\r\nno colon here\r\n\r\nx\r\n");
    BOOST_REQUIRE(r.reply.has_value());
    BOOST_TEST(r.reply->code == 554);
    BOOST_TEST(r.reply->status == (smtp::enhanced_code{5, 6, 0}));
    BOOST_TEST(r.forward.empty());
}

BOOST_AUTO_TEST_CASE(too_many_header_fields_554_5_6_0) {
    std::string m;
    for (int i = 0; i < 30; ++i)
        m += "X-Filler: " + std::to_string(i) + "\r\n";
    m += "\r\nbody\r\n";
    auto c = make_config("one-pass");
    c.listeners.front().limits.max_header_fields = 20;
    const auto r = run(c, m);
    BOOST_REQUIRE(r.reply.has_value());
    BOOST_TEST(r.reply->code == 554);
}

BOOST_AUTO_TEST_CASE(service_address_passes_untouched) {
    const auto r =
        run(make_config("one-pass"), corpus("2k-s1.eml"), {"bench-request@lists.example.org"});
    BOOST_REQUIRE_EQUAL(r.forward.size(), 1u);
    BOOST_TEST(r.forward.front().env.mail_from == "alice@example.com");
    BOOST_TEST(!contains(r.forward.front().message, "[bench]"));
    BOOST_TEST(r.list.empty());
}

BOOST_AUTO_TEST_CASE(verp_gives_one_transaction_per_recipient) {
    const auto r = run(make_config("one-pass", "verp = true"), corpus("2k-s1.eml"),
                       {"bench@lists.example.org", "BENCH@lists.example.org"});
    BOOST_REQUIRE_EQUAL(r.forward.size(), 2u);
    BOOST_TEST(r.forward[0].env.mail_from ==
               "bench-bounces+bench=lists.example.org@lists.example.org");
    BOOST_TEST(r.forward[1].env.rcpts == std::vector<std::string>{"BENCH@lists.example.org"});
    BOOST_TEST(r.forward[0].message == r.forward[1].message);
}

BOOST_AUTO_TEST_CASE(policy_rejection_stops_before_forward) {
    auto c = make_config("one-pass");
    c.policy.reject_dmarc = true;
    // The spoof's own client (manifest): SPF fails too, so DMARC fails with p=reject.
    const auto r = run(c, corpus("2k-b5.eml"), {"bench@lists.example.org"}, "203.0.113.66");
    BOOST_REQUIRE(r.reply.has_value());
    BOOST_TEST(r.reply->code == 550);
    BOOST_TEST(r.forward.empty());
}

BOOST_AUTO_TEST_CASE(listener_without_forward_defers) {
    auto c = make_config("one-pass");
    c.listeners.front().stages = config::stage_set{}.insert(config::stage::verify);
    const auto r = run(c, corpus("2k-s1.eml"));
    BOOST_REQUIRE(r.reply.has_value());
    BOOST_TEST(r.reply->code == 451);
}

BOOST_AUTO_TEST_SUITE_END()
