// tests/unit/relay/trace_test.cpp — the Received field and date (relay/trace.hpp).
#include "relay/trace.hpp"

#include <boost/test/unit_test.hpp>

using namespace arcrelay;

BOOST_AUTO_TEST_SUITE(trace_test)

BOOST_AUTO_TEST_CASE(rfc5322_date) {
    BOOST_TEST(relay::format_rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
    BOOST_TEST(relay::format_rfc5322_date(1796000000) == "Mon, 30 Nov 2026 00:53:20 +0000");
}

BOOST_AUTO_TEST_CASE(received_esmtps_one_recipient) {
    smtp::envelope env;
    env.client_ip = "192.0.2.7";
    env.helo = "mail.example.com";
    env.esmtp = true;
    env.tls = true;
    env.rcpts = {"dev@lists.example.org"};
    const auto f = relay::received_field(env, "relay.example.org", "abc.1", 0);
    BOOST_TEST(f.raw() == "Received: from mail.example.com ([192.0.2.7])\r\n\tby relay.example.org "
                          "with ESMTPS id abc.1\r\n\tfor <dev@lists.example.org>;\r\n\tThu, 01 "
                          "Jan 1970 00:00:00 +0000\r\n");
}

BOOST_AUTO_TEST_CASE(received_protocols_and_hostile_helo) {
    smtp::envelope env;
    env.client_ip = "2001:db8::1";
    env.helo = "evil (x)\r\nBcc: y;";
    env.rcpts = {"a@b", "c@d"};
    auto f = relay::received_field(env, "h", "i", 0);
    BOOST_TEST(f.raw().find("from evil__x___Bcc:_y_ ([IPv6:2001:db8::1])") != std::string::npos,
               f.raw());
    BOOST_TEST(f.raw().find("with SMTP id i;") != std::string::npos);
    BOOST_TEST(f.raw().find("for <") == std::string::npos);
    env.esmtp = true;
    env.smtputf8 = true;
    BOOST_TEST(relay::received_field(env, "h", "i", 0).raw().find("with UTF8SMTP ") !=
               std::string::npos);
    env.helo.clear();
    BOOST_TEST(relay::received_field(env, "h", "i", 0).raw().find("from unknown ") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
