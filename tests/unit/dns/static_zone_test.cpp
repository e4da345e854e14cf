// Tests for dns/static_zone: master-file parsing with ldns, answer text per type, NXDOMAIN /
// NODATA / empty non-terminals, CNAMEs, fault injection, and the two shared zone files.
#include "dns/static_zone.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace arcrelay::dns;

namespace {

const std::string test_data = ARCRELAY_TEST_DATA;

static_zone parsed(std::string_view text) {
    auto zone = static_zone::parse_master_file(text);
    BOOST_TEST_REQUIRE(zone.ok(), (zone.ok() ? "" : zone.error().message));
    return std::move(zone).value();
}

answer ask(const static_zone& zone, std::string name, rr_type type) {
    return zone.lookup({std::move(name), type});
}

const char* const small_zone = R"($ORIGIN example.com.
$TTL 600
@        IN SOA ns hostmaster ( 1 3600 600 86400 120 )
@        IN NS  ns
@        IN MX  20 Mail2
@        IN MX  10 MAIL.example.com.
@        IN TXT "v=spf1 " "a mx -all" ; two strings, joined with nothing between
@        IN SPF "v=spf1 -all"
mail     IN A    192.0.2.1
mail     IN AAAA 2001:DB8:0:0:0:0:0:1
ns       IN A    192.0.2.53
sel._domainkey 300 IN TXT ( "v=DKIM1; k=rsa; "
                            "p=AAAA" )
only-spf IN TYPE99 \# 4 03616263
alias    IN CNAME mail
loop1    IN CNAME loop2
loop2    IN CNAME loop1
1.2.0.192.in-addr.arpa. IN PTR Mail.Example.COM.
nomail   IN MX 0 .
)";

} // namespace

BOOST_AUTO_TEST_SUITE(static_zone_test)

BOOST_AUTO_TEST_CASE(answer_text_per_type) {
    const static_zone zone = parsed(small_zone);

    const answer a = ask(zone, "mail.example.com", rr_type::a);
    BOOST_TEST((a.result == outcome::records));
    BOOST_TEST(a.records == std::vector<std::string>{"192.0.2.1"});
    BOOST_TEST(a.ttl == 600u);

    // RFC 5952 text for IPv6.
    BOOST_TEST(ask(zone, "mail.example.com", rr_type::aaaa).records ==
               std::vector<std::string>{"2001:db8::1"});

    const answer txt = ask(zone, "example.com", rr_type::txt);
    BOOST_TEST(txt.records == std::vector<std::string>{"v=spf1 a mx -all"});

    const answer key = ask(zone, "sel._domainkey.example.com", rr_type::txt);
    BOOST_TEST(key.records == std::vector<std::string>{"v=DKIM1; k=rsa; p=AAAA"});
    BOOST_TEST(key.ttl == 300u);

    // MX: by preference, lower-case, relative names completed, no trailing dot.
    BOOST_TEST(ask(zone, "example.com", rr_type::mx).records ==
               (std::vector<std::string>{"mail.example.com", "mail2.example.com"}));
    // RFC 7505 null MX.
    BOOST_TEST(ask(zone, "nomail.example.com", rr_type::mx).records ==
               std::vector<std::string>{""});

    BOOST_TEST(ask(zone, "1.2.0.192.in-addr.arpa", rr_type::ptr).records ==
               std::vector<std::string>{"mail.example.com"});
}

BOOST_AUTO_TEST_CASE(names_are_case_insensitive_and_the_dot_optional) {
    const static_zone zone = parsed(small_zone);
    for (const char* name : {"MAIL.Example.Com", "mail.example.com.", "Mail.EXAMPLE.com."}) {
        BOOST_TEST(ask(zone, name, rr_type::a).records == std::vector<std::string>{"192.0.2.1"},
                   name);
    }
}

BOOST_AUTO_TEST_CASE(nxdomain_nodata_and_empty_non_terminals) {
    const static_zone zone = parsed(small_zone);
    const answer missing = ask(zone, "nope.example.com", rr_type::txt);
    BOOST_TEST((missing.result == outcome::nxdomain));
    BOOST_TEST(missing.records.empty());
    // RFC 2308 5: min(SOA TTL 600, MINIMUM 120).
    BOOST_TEST(missing.ttl == 120u);

    BOOST_TEST((ask(zone, "mail.example.com", rr_type::txt).result == outcome::nodata));
    BOOST_TEST((ask(zone, "ns.example.com", rr_type::mx).result == outcome::nodata));
    // Exists only because of sel._domainkey.example.com (RFC 8020).
    BOOST_TEST((ask(zone, "_domainkey.example.com", rr_type::txt).result == outcome::nodata));
    BOOST_TEST((ask(zone, "com", rr_type::txt).result == outcome::nodata));
    // Below an existing name but not an ancestor of one.
    BOOST_TEST(
        (ask(zone, "x.sel._domainkey.example.com", rr_type::txt).result == outcome::nxdomain));
    BOOST_TEST((ask(zone, "example.org", rr_type::a).result == outcome::nxdomain));
}

BOOST_AUTO_TEST_CASE(spf_type_99_is_accepted_and_ignored) {
    const static_zone zone = parsed(small_zone);
    // The SPF RRs neither add to nor replace the TXT answer.
    BOOST_TEST(ask(zone, "example.com", rr_type::txt).records.size() == 1u);
    // A name with only an SPF RR exists: NODATA, not NXDOMAIN.
    BOOST_TEST((ask(zone, "only-spf.example.com", rr_type::txt).result == outcome::nodata));
}

BOOST_AUTO_TEST_CASE(cnames_are_followed_and_loops_end) {
    const static_zone zone = parsed(small_zone);
    const answer a = ask(zone, "alias.example.com", rr_type::a);
    BOOST_TEST((a.result == outcome::records));
    BOOST_TEST(a.records == std::vector<std::string>{"192.0.2.1"});
    BOOST_TEST((ask(zone, "alias.example.com", rr_type::txt).result == outcome::nodata));

    const answer loop = ask(zone, "loop1.example.com", rr_type::a);
    BOOST_TEST((loop.result == outcome::temp_failure));
    BOOST_TEST(loop.reason.find("CNAME") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(cname_chain_limit) {
    static_zone zone;
    // A chain of exactly max_cname_chain aliases resolves; one more does not.
    for (std::size_t i = 0; i <= max_cname_chain; ++i) {
        zone.add_cname("c" + std::to_string(i) + ".test", "c" + std::to_string(i + 1) + ".test");
    }
    const std::string last = "c" + std::to_string(max_cname_chain + 1) + ".test";
    zone.add(last, rr_type::a, "192.0.2.9");
    BOOST_TEST((ask(zone, "c1.test", rr_type::a).result == outcome::records));
    BOOST_TEST((ask(zone, "c0.test", rr_type::a).result == outcome::temp_failure));
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_their_line) {
    const auto bad = static_zone::parse_master_file("$TTL 60\n"
                                                    "ok.test. IN A 192.0.2.1\n"
                                                    "bad.test. IN A 300.1.1.1\n");
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST(bad.error().line == 3u);
    BOOST_TEST(!bad.error().temporary());
    BOOST_TEST(!bad.error().message.empty());

    const auto garbage = static_zone::parse_master_file("x.test. IN BOGUSTYPE foo\n");
    BOOST_TEST_REQUIRE(!garbage.ok());
    BOOST_TEST(garbage.error().line == 1u);
}

BOOST_AUTO_TEST_CASE(error_lines_survive_blank_lines_and_a_missing_final_newline) {
    const std::pair<const char*, std::size_t> cases[] = {
        {"a.test. IN A 192.0.2.1\nb.test. IN A 300.1.1.1", 2},
        {"a.test. IN A 192.0.2.1\nb.test. IN A 300.1.1.1\n\n  \n\n", 2},
        {"a.test. IN A 192.0.2.1\nb.test. IN A 300.1.1.1 ; why\n; note\n", 2},
        {"\n\nb.test. IN A 300.1.1.1\na.test. IN A 192.0.2.1\n", 3},
        {"b.test. IN A 300.1.1.1", 1},
        {"b.test. IN A 300.1.1.1\na.test. IN A 192.0.2.1", 1},
        {"a.test. IN MX ( 10\n 300..1.1. )\nc.test. IN A 192.0.2.1\n", 2},
    };
    for (const auto& [text, line] : cases) {
        const auto zone = static_zone::parse_master_file(text);
        BOOST_TEST_REQUIRE(!zone.ok(), text);
        BOOST_TEST(zone.error().line == line, text);
    }
}

BOOST_AUTO_TEST_CASE(include_directives_are_refused) {
    const auto zone = static_zone::parse_master_file("a.test. IN A 192.0.2.1\n"
                                                     "$INCLUDE /etc/passwd\n");
    BOOST_TEST_REQUIRE(!zone.ok());
    BOOST_TEST(zone.error().message.find("$INCLUDE") != std::string::npos);
    BOOST_TEST(zone.error().line == 2u);
}

BOOST_AUTO_TEST_CASE(directives_and_owner_less_lines) {
    const static_zone zone = parsed("$ORIGIN a.test.\n"
                                    "$TTL 77\n"
                                    "www IN A 192.0.2.1\n"
                                    "    IN TXT \"same owner\"\n"
                                    "$ORIGIN b.test.\n"
                                    "www 5 IN A 192.0.2.2\n");
    const answer txt = ask(zone, "www.a.test", rr_type::txt);
    BOOST_TEST(txt.records == std::vector<std::string>{"same owner"});
    BOOST_TEST(txt.ttl == 77u);
    BOOST_TEST(ask(zone, "www.b.test", rr_type::a).records ==
               std::vector<std::string>{"192.0.2.2"});
    BOOST_TEST(ask(zone, "www.b.test", rr_type::a).ttl == 5u);
    BOOST_TEST(zone.record_count() == 3u);
}

BOOST_AUTO_TEST_CASE(empty_text_is_an_empty_zone) {
    const static_zone zone = parsed("");
    BOOST_TEST(zone.record_count() == 0u);
    BOOST_TEST((ask(zone, "example.com", rr_type::a).result == outcome::nxdomain));
    BOOST_TEST(parsed("; only a comment\n\n").record_count() == 0u);
}

BOOST_AUTO_TEST_CASE(programmatic_records) {
    static_zone zone;
    zone.add("Example.ORG.", rr_type::txt, "v=spf1 -all", 42);
    zone.add("example.org", rr_type::mx, "b.example.org");
    zone.add("example.org", rr_type::mx, "a.example.org");
    zone.add_mx("example.org", 5, "First.Example.org.");
    const answer txt = ask(zone, "example.org", rr_type::txt);
    BOOST_TEST(txt.records == std::vector<std::string>{"v=spf1 -all"});
    BOOST_TEST(txt.ttl == 42u);
    BOOST_TEST(ask(zone, "EXAMPLE.org.", rr_type::mx).records ==
               (std::vector<std::string>{"b.example.org", "a.example.org", "first.example.org"}));
    BOOST_TEST(zone.record_count() == 4u);
    BOOST_TEST((ask(zone, "example.org", rr_type::a).result == outcome::nodata));
    BOOST_TEST((ask(zone, "org", rr_type::a).result == outcome::nodata));
    BOOST_TEST((ask(zone, "other.org", rr_type::a).result == outcome::nxdomain));
    BOOST_TEST(ask(zone, "other.org", rr_type::a).ttl == static_zone::default_negative_ttl);
}

BOOST_AUTO_TEST_CASE(fault_injection) {
    static_zone zone;
    zone.add("slow.test", rr_type::txt, "x");
    zone.simulate_timeout("SLOW.test.");
    zone.simulate_servfail("broken.test");
    zone.simulate_malformed("garbled.test");
    zone.add_cname("via.test", "broken.test");

    const answer slow = ask(zone, "slow.test", rr_type::txt);
    BOOST_TEST((slow.result == outcome::temp_failure));
    BOOST_TEST(slow.reason.find("timeout") != std::string::npos);
    BOOST_TEST(slow.ttl == 0u);
    const answer broken = ask(zone, "broken.test", rr_type::a);
    BOOST_TEST((broken.result == outcome::temp_failure));
    BOOST_TEST(broken.reason.find("SERVFAIL") != std::string::npos);
    BOOST_TEST((ask(zone, "via.test", rr_type::a).result == outcome::temp_failure));
    const answer garbled = ask(zone, "garbled.test", rr_type::mx);
    BOOST_TEST((garbled.result == outcome::malformed));
    BOOST_TEST(!garbled.reason.empty());
}

BOOST_AUTO_TEST_CASE(resolve_answers_in_question_order) {
    const static_zone zone = parsed(small_zone);
    static_zone copy = zone;
    const std::vector<question> questions = {{"mail.example.com", rr_type::a},
                                             {"nope.example.com", rr_type::a},
                                             {"example.com", rr_type::txt}};
    const std::vector<answer> answers = copy.resolve(questions);
    BOOST_TEST_REQUIRE(answers.size() == 3u);
    BOOST_TEST((answers[0].result == outcome::records));
    BOOST_TEST((answers[1].result == outcome::nxdomain));
    BOOST_TEST((answers[2].result == outcome::records));
    BOOST_TEST((copy.resolve_one(questions[0]).records == answers[0].records));
}

BOOST_AUTO_TEST_CASE(loads_the_bench_corpus_zone) {
    const auto zone = static_zone::load(test_data + "/dns/bench-corpus-zone.txt");
    BOOST_TEST_REQUIRE(zone.ok(), (zone.ok() ? "" : zone.error().message));
    const answer key = zone->lookup({"rsa2026._domainkey.example.com", rr_type::txt});
    BOOST_TEST_REQUIRE(key.records.size() == 1u);
    // Two character-strings in the file, one joined string in the answer.
    BOOST_TEST(key.records[0].starts_with("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"));
    BOOST_TEST(key.records[0].find("CihddPn+SVZwfIw67") != std::string::npos);
    BOOST_TEST(key.records[0].ends_with("zmALQIDAQAB"));
    BOOST_TEST(zone->lookup({"10.2.0.192.in-addr.arpa", rr_type::ptr}).records ==
               std::vector<std::string>{"mail.example.com"});
    BOOST_TEST(zone->lookup({"relay.lists.example.org", rr_type::a}).records ==
               std::vector<std::string>{"203.0.113.25"});
    BOOST_TEST((zone->lookup({"_dmarc.shop.example", rr_type::txt}).result == outcome::nxdomain));
    BOOST_TEST((zone->lookup({"_domainkey.example.com", rr_type::txt}).result == outcome::nodata));
    BOOST_TEST(zone->lookup({"_dmarc.shop.example", rr_type::txt}).ttl == 300u);
}

BOOST_AUTO_TEST_CASE(loads_the_real_chains_zone) {
    const auto zone = static_zone::load(test_data + "/dns/real-chains-zone.txt");
    BOOST_TEST_REQUIRE(zone.ok(), (zone.ok() ? "" : zone.error().message));
    BOOST_TEST(zone->record_count() == 13u); // as SOURCE.md of the upstream data says
    const answer google = zone->lookup({"arc-20160816._domainkey.google.com.", rr_type::txt});
    BOOST_TEST_REQUIRE(google.records.size() == 1u);
    BOOST_TEST(google.records[0].find("vgMnSFSt8B+") != std::string::npos); // the join point
    BOOST_TEST(google.ttl == 3600u);
    BOOST_TEST(
        (zone->lookup({"dkim._domainkey.freebsd.org", rr_type::txt}).result == outcome::nxdomain));
}

BOOST_AUTO_TEST_CASE(load_reports_unreadable_files) {
    const auto zone = static_zone::load(test_data + "/dns/no-such-zone.txt");
    BOOST_TEST_REQUIRE(!zone.ok());
    BOOST_TEST(zone.error().message.find("no-such-zone.txt") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
