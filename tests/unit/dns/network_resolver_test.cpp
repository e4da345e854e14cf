// Tests for dns/network_resolver configuration (no traffic: the exchanges are tested against
// nsd and scripted servers in tests/integration/dns).
#include "dns/network_resolver.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>

using namespace arcrelay::dns;

BOOST_AUTO_TEST_SUITE(network_resolver_test)

BOOST_AUTO_TEST_CASE(server_addresses) {
    for (const char* good :
         {"127.0.0.1", "127.0.0.1:5353", "::1", "[::1]", "[::1]:53", "2001:db8::53"}) {
        network_resolver_options options;
        options.servers = {good};
        BOOST_TEST(network_resolver::create(options).ok(), good);
    }
    for (const char* bad : {"", "localhost", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                            "127.0.0.1:53x", "[::1", "[::1]53", "[::1]:", "300.0.0.1"}) {
        network_resolver_options options;
        options.servers = {bad};
        const auto r = network_resolver::create(options);
        BOOST_TEST_REQUIRE(!r.ok(), bad);
        BOOST_TEST(r.error().message.find("not a server address") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(invalid_settings) {
    network_resolver_options no_attempts;
    no_attempts.servers = {"127.0.0.1"};
    no_attempts.attempts = 0;
    BOOST_TEST(!network_resolver::create(no_attempts).ok());

    network_resolver_options no_time;
    no_time.servers = {"127.0.0.1"};
    no_time.timeout = std::chrono::milliseconds(0);
    BOOST_TEST(!network_resolver::create(no_time).ok());
}

BOOST_AUTO_TEST_CASE(servers_from_resolv_conf) {
    const std::string path = "network_resolver_test.resolv.conf";
    std::ofstream(path) << "nameserver 192.0.2.53\nnameserver bogus\n";
    network_resolver_options options;
    options.resolv_conf_path = path;
    const auto bad = network_resolver::create(options);
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST(bad.error().message.find("bogus") != std::string::npos);

    std::ofstream(path) << "nameserver 192.0.2.53\n";
    BOOST_TEST(network_resolver::create(options).ok());
    std::remove(path.c_str());

    options.resolv_conf_path = "/nonexistent/resolv.conf";
    BOOST_TEST(!network_resolver::create(options).ok());
}

BOOST_AUTO_TEST_CASE(no_questions_no_answers) {
    network_resolver_options options;
    options.servers = {"127.0.0.1:9"};
    auto r = network_resolver::create(options);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST((*r)->resolve({}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
