// Integration test of dns::network_resolver against a real NSD on 127.0.0.1 and against
// scripted UDP servers: records of every type, NXDOMAIN, NODATA, CNAMEs, truncation -> TCP,
// timeouts, failover, and answers that must be ignored (RFC 5452 9.1) or are malformed.
#define BOOST_TEST_MODULE integration_dns
#include <boost/test/unit_test.hpp>

#include "dns/network_resolver.hpp"
#include "nsd_server.hpp"
#include "scripted_server.hpp"

#include "dns/ldns_text.hpp" // ldns, included safely for C++

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace arcrelay::dns;
using namespace arcrelay::dns::testing;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t big_txt_records = 8;
constexpr std::size_t big_txt_length = 200;

std::string big_txt(std::size_t i) {
    return std::string(big_txt_length, static_cast<char>('a' + i));
}

std::string example_zone() {
    std::string zone = R"($ORIGIN example.test.
$TTL 300
@        IN SOA ns hostmaster 1 3600 600 86400 60
@        IN NS  ns
ns       IN A   127.0.0.1
host     IN A   192.0.2.1
host     IN AAAA 2001:db8::1
@        IN MX  20 MX2
@        IN MX  10 mx1
@        IN TXT "v=spf1 " "-all"
sel._domainkey IN TXT ( "v=DKIM1; k=ed25519; "
                        "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" )
alias    IN CNAME host
external IN CNAME target.elsewhere.test.
ptr      IN PTR Host.Example.Test.
)";
    // One RRset far larger than 512 (and 1232) bytes: only TCP carries it whole.
    for (std::size_t i = 0; i < big_txt_records; ++i)
        zone += "big IN TXT \"" + big_txt(i) + "\"\n";
    return zone;
}

const char* const elsewhere_zone = R"($ORIGIN elsewhere.test.
$TTL 120
@      IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
@      IN NS  ns.example.test.
target IN TXT "reached through an alias"
)";

struct nsd_fixture {
    nsd_fixture() {
        server = std::make_unique<nsd_server>(std::vector<std::pair<std::string, std::string>>{
            {"example.test", example_zone()}, {"elsewhere.test", elsewhere_zone}});
    }
    static inline std::unique_ptr<nsd_server> server;
    ~nsd_fixture() { server.reset(); }
};

std::unique_ptr<network_resolver> make_resolver(std::vector<std::string> servers,
                                                milliseconds timeout = milliseconds(1000),
                                                unsigned attempts = 2,
                                                std::uint16_t edns_payload = default_edns_payload) {
    network_resolver_options options;
    options.servers = std::move(servers);
    options.timeout = timeout;
    options.attempts = attempts;
    options.edns_payload = edns_payload;
    auto r = network_resolver::create(options);
    BOOST_TEST_REQUIRE(r.ok());
    return std::move(r).value();
}

std::unique_ptr<network_resolver> nsd_resolver(std::uint16_t edns_payload = default_edns_payload) {
    return make_resolver({nsd_fixture::server->address()}, milliseconds(1000), 2, edns_payload);
}

template <class Rep, class Period>
double seconds(std::chrono::duration<Rep, Period> d) {
    return std::chrono::duration<double>(d).count();
}

} // namespace

BOOST_TEST_GLOBAL_FIXTURE(nsd_fixture);

BOOST_AUTO_TEST_SUITE(against_nsd)

BOOST_AUTO_TEST_CASE(records_of_every_type) {
    auto resolver = nsd_resolver();
    const std::vector<question> questions = {{"host.example.test", rr_type::a},
                                             {"HOST.example.test.", rr_type::aaaa},
                                             {"example.test", rr_type::mx},
                                             {"example.test", rr_type::txt},
                                             {"sel._domainkey.example.test", rr_type::txt},
                                             {"ptr.example.test", rr_type::ptr}};
    const std::vector<answer> a = resolver->resolve(questions);
    BOOST_TEST_REQUIRE(a.size() == questions.size());
    BOOST_TEST(a[0].records == std::vector<std::string>{"192.0.2.1"});
    BOOST_TEST(a[0].ttl == 300u);
    BOOST_TEST(a[1].records == std::vector<std::string>{"2001:db8::1"});
    BOOST_TEST(a[2].records == (std::vector<std::string>{"mx1.example.test", "mx2.example.test"}));
    BOOST_TEST(a[3].records == std::vector<std::string>{"v=spf1 -all"});
    BOOST_TEST(a[4].records ==
               std::vector<std::string>{
                   "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="});
    BOOST_TEST(a[5].records == std::vector<std::string>{"host.example.test"});
    for (const answer& each : a)
        BOOST_TEST((each.result == outcome::records));
}

BOOST_AUTO_TEST_CASE(nxdomain_and_nodata) {
    auto resolver = nsd_resolver();
    const std::vector<question> questions = {{"nope.example.test", rr_type::txt},
                                             {"host.example.test", rr_type::txt},
                                             {"_domainkey.example.test", rr_type::txt}};
    const std::vector<answer> a = resolver->resolve(questions);
    BOOST_TEST((a[0].result == outcome::nxdomain));
    BOOST_TEST(a[0].ttl == 60u); // RFC 2308 5: min(SOA TTL 300, MINIMUM 60)
    BOOST_TEST((a[1].result == outcome::nodata));
    BOOST_TEST((a[2].result == outcome::nodata)); // an empty non-terminal
}

BOOST_AUTO_TEST_CASE(cnames_in_and_out_of_the_zone) {
    auto resolver = nsd_resolver();
    const answer in_zone = resolver->resolve_one({"alias.example.test", rr_type::a});
    BOOST_TEST(in_zone.records == std::vector<std::string>{"192.0.2.1"});
    // NSD gives only the alias; the resolver asks for the target itself.
    const answer out_of_zone = resolver->resolve_one({"external.example.test", rr_type::txt});
    BOOST_TEST((out_of_zone.result == outcome::records));
    BOOST_TEST(out_of_zone.records == std::vector<std::string>{"reached through an alias"});
    BOOST_TEST(out_of_zone.ttl == 120u);
}

BOOST_AUTO_TEST_CASE(truncated_answers_are_fetched_over_tcp) {
    for (const std::uint16_t payload : {std::uint16_t{0}, default_edns_payload}) {
        auto resolver = nsd_resolver(payload);
        const answer a = resolver->resolve_one({"big.example.test", rr_type::txt});
        BOOST_TEST_REQUIRE((a.result == outcome::records), "payload " << payload);
        BOOST_TEST(a.records.size() == big_txt_records);
        for (std::size_t i = 0; i < big_txt_records; ++i) {
            BOOST_TEST(
                (std::find(a.records.begin(), a.records.end(), big_txt(i)) != a.records.end()));
        }
    }
}

BOOST_AUTO_TEST_CASE(refused_is_temporary) {
    auto resolver = make_resolver({nsd_fixture::server->address()}, milliseconds(500), 1);
    const answer a = resolver->resolve_one({"example.org", rr_type::txt}); // not NSD's zone
    BOOST_TEST((a.result == outcome::temp_failure));
    BOOST_TEST(a.reason.find("REFUSED") != std::string::npos, a.reason);
}

BOOST_AUTO_TEST_CASE(concurrent_callers) {
    auto resolver = nsd_resolver();
    constexpr int threads = 4;
    constexpr int questions_per_call = 25;
    std::vector<std::thread> callers;
    std::vector<int> correct(threads, 0);
    for (int t = 0; t < threads; ++t) {
        callers.emplace_back([&, t] {
            std::vector<question> questions;
            for (int i = 0; i < questions_per_call; ++i) {
                questions.push_back(
                    {i % 2 ? "host.example.test" : "nope.example.test", rr_type::a});
            }
            const std::vector<answer> a = resolver->resolve(questions);
            for (int i = 0; i < questions_per_call; ++i) {
                const bool ok = i % 2 ? a[i].records == std::vector<std::string>{"192.0.2.1"}
                                      : a[i].result == outcome::nxdomain;
                correct[t] += ok ? 1 : 0;
            }
        });
    }
    for (std::thread& c : callers)
        c.join();
    for (int t = 0; t < threads; ++t)
        BOOST_TEST(correct[t] == questions_per_call);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(against_scripted_servers)

BOOST_AUTO_TEST_CASE(a_silent_server_times_out) {
    scripted_server silent([](const datagram&) { return std::vector<datagram>{}; });
    auto resolver = make_resolver({silent.address()}, milliseconds(300), 2);
    const auto start = std::chrono::steady_clock::now();
    const answer a = resolver->resolve_one({"example.test", rr_type::txt});
    const double elapsed = seconds(std::chrono::steady_clock::now() - start);
    BOOST_TEST((a.result == outcome::temp_failure));
    BOOST_TEST(a.reason.find("timeout") != std::string::npos, a.reason);
    BOOST_TEST(elapsed >= 0.55);
    BOOST_TEST(elapsed < 2.0);
    BOOST_TEST(silent.queries() == 2); // one message per attempt
}

BOOST_AUTO_TEST_CASE(a_closed_port_fails_without_waiting_for_the_timeout) {
    auto resolver =
        make_resolver({"127.0.0.1:" + std::to_string(free_port())}, milliseconds(3000), 1);
    const auto start = std::chrono::steady_clock::now();
    const answer a = resolver->resolve_one({"example.test", rr_type::txt});
    BOOST_TEST((a.result == outcome::temp_failure));
    BOOST_TEST(a.reason.find("refused") != std::string::npos, a.reason);
    BOOST_TEST(seconds(std::chrono::steady_clock::now() - start) < 1.5);
}

BOOST_AUTO_TEST_CASE(failover_to_the_next_server) {
    scripted_server silent([](const datagram&) { return std::vector<datagram>{}; });
    auto resolver =
        make_resolver({silent.address(), nsd_fixture::server->address()}, milliseconds(300), 1);
    const answer a = resolver->resolve_one({"host.example.test", rr_type::a});
    BOOST_TEST(a.records == std::vector<std::string>{"192.0.2.1"});
    BOOST_TEST(silent.queries() == 1);
}

BOOST_AUTO_TEST_CASE(mismatching_answers_are_ignored) {
    // Before the real answer: a wrong id, another question, and a wrong id with garbage.
    scripted_server spoofing([](const datagram& query) {
        datagram garbage = make_reply(query, {.id_offset = 7});
        garbage.resize(14);
        return std::vector<datagram>{
            make_reply(query, {.id_offset = 1, .answers = {"example.test. IN TXT \"spoofed id\""}}),
            make_reply(query, {.qname = "other.test.",
                               .answers = {"other.test. IN TXT \"spoofed question\""}}),
            garbage, make_reply(query, {.answers = {"example.test. IN TXT \"genuine\""}})};
    });
    auto resolver = make_resolver({spoofing.address()}, milliseconds(1000), 1);
    const answer a = resolver->resolve_one({"example.test", rr_type::txt});
    BOOST_TEST(a.records == std::vector<std::string>{"genuine"});
}

BOOST_AUTO_TEST_CASE(only_spoofed_answers_time_out) {
    scripted_server spoofing([](const datagram& query) {
        return std::vector<datagram>{make_reply(query, {.id_offset = 1})};
    });
    auto resolver = make_resolver({spoofing.address()}, milliseconds(300), 1);
    const answer a = resolver->resolve_one({"example.test", rr_type::txt});
    BOOST_TEST((a.result == outcome::temp_failure));
    BOOST_TEST(a.reason.find("timeout") != std::string::npos, a.reason);
}

BOOST_AUTO_TEST_CASE(servfail_then_an_answer_from_the_next_attempt) {
    int calls = 0;
    scripted_server flaky([&calls](const datagram& query) {
        return std::vector<datagram>{
            ++calls == 1 ? make_reply(query, {.rcode = LDNS_RCODE_SERVFAIL})
                         : make_reply(query, {.answers = {"example.test. IN A 192.0.2.7"}})};
    });
    auto resolver = make_resolver({flaky.address()}, milliseconds(500), 2);
    const answer a = resolver->resolve_one({"example.test", rr_type::a});
    BOOST_TEST(a.records == std::vector<std::string>{"192.0.2.7"});

    scripted_server failing([](const datagram& query) {
        return std::vector<datagram>{make_reply(query, {.rcode = LDNS_RCODE_SERVFAIL})};
    });
    auto failing_resolver = make_resolver({failing.address()}, milliseconds(500), 2);
    const answer f = failing_resolver->resolve_one({"example.test", rr_type::a});
    BOOST_TEST((f.result == outcome::temp_failure));
    BOOST_TEST(f.reason.find("SERVFAIL") != std::string::npos, f.reason);
    BOOST_TEST(failing.queries() == 2);
}

BOOST_AUTO_TEST_CASE(garbage_with_our_id_is_malformed) {
    scripted_server garbling([](const datagram& query) {
        datagram reply = make_reply(query, {.answers = {"example.test. IN A 192.0.2.7"}});
        reply.resize(reply.size() - 2); // the answer's rdata is cut short
        return std::vector<datagram>{reply};
    });
    auto resolver = make_resolver({garbling.address()}, milliseconds(500), 1);
    const answer a = resolver->resolve_one({"example.test", rr_type::a});
    BOOST_TEST((a.result == outcome::malformed));
    BOOST_TEST(!a.reason.empty());
}

BOOST_AUTO_TEST_SUITE_END()
