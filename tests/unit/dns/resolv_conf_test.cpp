// Tests for dns/resolv_conf: nameserver lines, comments, the MAXNS limit and the default.
#include "dns/resolv_conf.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay::dns;

BOOST_AUTO_TEST_SUITE(resolv_conf_test)

BOOST_AUTO_TEST_CASE(nameserver_lines_in_order) {
    const auto servers = parse_resolv_conf("# generated\n"
                                           "search example.com\n"
                                           "nameserver 192.0.2.53 # primary\n"
                                           "options edns0 timeout:1\n"
                                           "\tnameserver\t2001:db8::53\r\n"
                                           "; nameserver 192.0.2.99\n"
                                           "nameserver\n"
                                           "nameservers 192.0.2.98\n"
                                           "nameserver fe80::1%eth0");
    BOOST_TEST(servers == (std::vector<std::string>{"192.0.2.53", "2001:db8::53", "fe80::1%eth0"}));
}

BOOST_AUTO_TEST_CASE(at_most_maxns_servers) {
    std::string text;
    for (int i = 1; i <= 5; ++i)
        text += "nameserver 192.0.2." + std::to_string(i) + "\n";
    const auto servers = parse_resolv_conf(text);
    BOOST_TEST(servers.size() == max_resolv_conf_servers);
    BOOST_TEST(servers.back() == "192.0.2.3");
}

BOOST_AUTO_TEST_CASE(no_nameserver_means_the_local_one) {
    BOOST_TEST(parse_resolv_conf("") == std::vector<std::string>{"127.0.0.1"});
    BOOST_TEST(parse_resolv_conf("search example.com\n") == std::vector<std::string>{"127.0.0.1"});
}

BOOST_AUTO_TEST_SUITE_END()
