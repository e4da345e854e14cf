// tests/unit/relay/rewrite_test.cpp — list rewriting (relay/rewrite.hpp): envelope, VERP,
// idempotent subject prefix over reply chains and RFC 2047 subjects, List-* fields.
#include "relay/rewrite.hpp"

#include "relay/encoded_words.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace arcrelay;

namespace {

config::mailing_list dev_list() {
    config::mailing_list l;
    l.address = "dev@lists.example.org";
    l.local_part = "dev";
    l.domain = "lists.example.org";
    l.bounce_address = "dev-bounces@lists.example.org";
    l.subject_prefix = "[dev] ";
    l.list_id = "dev.lists.example.org";
    return l;
}

mail::message parse(const std::string& text) {
    auto m = mail::parse_message(text);
    BOOST_REQUIRE(m.ok());
    return std::move(m).value();
}

std::string subject_of(const mail::message& m) {
    const auto f = m.fields("Subject");
    BOOST_REQUIRE_EQUAL(f.size(), 1u);
    return std::string(f.front()->raw());
}

struct subject_case {
    std::string in;  // Subject value as received (after the colon)
    std::string out; // expected value after rewriting
};
std::ostream& operator<<(std::ostream& os, const subject_case& c) {
    return os << c.in;
}

const std::vector<subject_case> subject_cases{
    {" Hello", " [dev] Hello"},
    {" [dev] Hello", " [dev] Hello"},
    {" [DEV] Hello", " [DEV] Hello"},
    {" Re: Hello", " [dev] Re: Hello"},
    {" Re: [dev] Hello", " Re: [dev] Hello"},
    {" RE: [dev] Hello", " RE: [dev] Hello"},
    {" Re: Re: Re: [dev] Hello", " Re: Re: Re: [dev] Hello"},
    {" Fwd: [dev] Hello", " Fwd: [dev] Hello"},
    {" AW: Fwd: [dev] Hello", " AW: Fwd: [dev] Hello"},
    {" AW: Hello", " [dev] AW: Hello"},
    {" [dev]Hello", " [dev]Hello"},
    {" [devel] Hello", " [dev] [devel] Hello"},
    {" [other] Hello", " [dev] [other] Hello"},
    {"", " [dev] (no subject)"},
    {"   ", " [dev] (no subject)"},
    {"Hello", " [dev] Hello"},
    {" Hello\r\n world", " [dev] Hello\r\n world"},
    {" Hello\r\n [dev] folded", " Hello\r\n [dev] folded"},
    // RFC 2047 encoded subjects: the prefix goes in front as plain ASCII.
    {" =?utf-8?q?Gr=C3=BC=C3=9Fe?=", " [dev] =?utf-8?q?Gr=C3=BC=C3=9Fe?="},
    {" =?UTF-8?B?W2Rldl0gR3LDvMOfZQ==?=", " =?UTF-8?B?W2Rldl0gR3LDvMOfZQ==?="},
    {" =?utf-8?q?=5Bdev=5D_Hi?=", " =?utf-8?q?=5Bdev=5D_Hi?="},
    {" Re: =?utf-8?q?=5Bdev=5D_Hi?=", " Re: =?utf-8?q?=5Bdev=5D_Hi?="},
    {" =?utf-8?q?=5Bdev?= =?utf-8?q?=5D_Hi?=", " =?utf-8?q?=5Bdev?= =?utf-8?q?=5D_Hi?="},
    {" =?iso-8859-1?q?=5Bdev=5D_Gr=FC=DFe?=", " =?iso-8859-1?q?=5Bdev=5D_Gr=FC=DFe?="},
    {" =?utf-8*en?q?=5Bdev=5D_Hi?=", " =?utf-8*en?q?=5Bdev=5D_Hi?="},
    {" =?utf-8?q?Hi?=", " [dev] =?utf-8?q?Hi?="},
    // Malformed encoded-words are text: "[dev]" is not in them.
    {" =?utf-8?x?=5Bdev=5D?=", " [dev] =?utf-8?x?=5Bdev=5D?="},
    {" =?utf-8?q?=5Bdev=5Z?=", " [dev] =?utf-8?q?=5Bdev=5Z?="},
    {" =?utf-8?b?!!!?=", " [dev] =?utf-8?b?!!!?="},
    {" =?utf-8?q?=5Bdev=5D", " [dev] =?utf-8?q?=5Bdev=5D"},
};

} // namespace

BOOST_AUTO_TEST_SUITE(rewrite_test)

BOOST_DATA_TEST_CASE(subject_prefix_cases, boost::unit_test::data::make(subject_cases), c) {
    BOOST_TEST(arcrelay::relay::prefixed_subject(c.in, "[dev] ") == c.out);
    // Idempotent: applying it again changes nothing.
    BOOST_TEST(arcrelay::relay::prefixed_subject(c.out, "[dev] ") == c.out);
}

BOOST_AUTO_TEST_CASE(non_ascii_prefix_is_encoded) {
    using relay::prefixed_subject;
    const std::string prefix = "[d\xc3\xa9v] ";
    const auto plain = prefixed_subject(" Hello", prefix);
    BOOST_TEST(plain == " " + relay::encode_word("[d\xc3\xa9v]") + " Hello");
    BOOST_TEST(relay::decode_unstructured(plain) == " [d\xc3\xa9v] Hello");
    const auto encoded = prefixed_subject(" =?utf-8?q?Hi?=", prefix);
    BOOST_TEST(relay::decode_unstructured(encoded) == " [d\xc3\xa9v] Hi");
    BOOST_TEST(prefixed_subject(encoded, prefix) == encoded);
    BOOST_TEST(prefixed_subject(plain, prefix) == plain);
}

BOOST_AUTO_TEST_CASE(decode_unstructured_rules) {
    using relay::decode_unstructured;
    BOOST_TEST(decode_unstructured("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab"); // RFC 2047 6.2
    BOOST_TEST(decode_unstructured("=?utf-8?q?a?= plain") == "a plain");
    BOOST_TEST(decode_unstructured("x\r\n y") == "x y");
    BOOST_TEST(decode_unstructured("=?utf-8?q?a_b?=") == "a b");
    BOOST_TEST(decode_unstructured("=?utf-8?q?a b?=") == "=?utf-8?q?a b?=");
    BOOST_TEST(decode_unstructured("=??q?a?=") == "=??q?a?=");
    BOOST_TEST(decode_unstructured("=?iso-8859-1?q?=E9?=") == "\xc3\xa9");
    BOOST_TEST(relay::starts_with_encoded_word("=?utf-8?b?YQ==?= x"));
    BOOST_TEST(!relay::starts_with_encoded_word("x =?utf-8?b?YQ==?="));
}

BOOST_AUTO_TEST_CASE(rewrite_subject_field) {
    auto m = parse("From: a@example.com\r\nSubject: Re: hi\r\n\r\nbody\r\n");
    relay::rewrite_subject(m, "[dev] ");
    BOOST_TEST(subject_of(m) == "Subject: [dev] Re: hi\r\n");
    relay::rewrite_subject(m, "[dev] ");
    BOOST_TEST(subject_of(m) == "Subject: [dev] Re: hi\r\n");
    BOOST_TEST(m.body() == "body\r\n");
}

BOOST_AUTO_TEST_CASE(rewrite_subject_keeps_field_bytes_when_prefixed) {
    auto m = parse("SUBJECT:   [dev]  x\r\n\r\n");
    relay::rewrite_subject(m, "[dev] ");
    BOOST_TEST(subject_of(m) == "SUBJECT:   [dev]  x\r\n");
}

BOOST_AUTO_TEST_CASE(missing_subject_is_added) {
    auto m = parse("From: a@example.com\r\n\r\n");
    relay::rewrite_subject(m, "[dev] ");
    BOOST_TEST(subject_of(m) == "Subject: [dev] (no subject)\r\n");
}

BOOST_AUTO_TEST_CASE(empty_prefix_changes_nothing) {
    auto m = parse("Subject: hi\r\n\r\n");
    relay::rewrite_subject(m, "");
    BOOST_TEST(m.serialise() == "Subject: hi\r\n\r\n");
    auto n = parse("From: a@b\r\n\r\n");
    relay::rewrite_subject(n, "");
    BOOST_TEST(n.count("Subject") == 0u);
}

BOOST_AUTO_TEST_CASE(only_first_subject_is_rewritten) {
    auto m = parse("Subject: one\r\nSubject: two\r\n\r\n");
    relay::rewrite_subject(m, "[dev] ");
    const auto f = m.fields("Subject");
    BOOST_REQUIRE_EQUAL(f.size(), 2u);
    BOOST_TEST(f[0]->raw() == "Subject: [dev] one\r\n");
    BOOST_TEST(f[1]->raw() == "Subject: two\r\n");
}

BOOST_AUTO_TEST_CASE(envelope_goes_to_bounce_address) {
    const auto l = dev_list();
    const std::vector<std::string> rcpts{"dev@lists.example.org"};
    const auto e = relay::rewrite_envelope(l, rcpts);
    BOOST_REQUIRE_EQUAL(e.size(), 1u);
    BOOST_TEST(e[0].mail_from == "dev-bounces@lists.example.org");
    BOOST_TEST(e[0].recipients == rcpts);
}

BOOST_AUTO_TEST_CASE(verp_one_transaction_per_recipient) {
    auto l = dev_list();
    l.verp = true;
    const std::vector<std::string> rcpts{"dev@lists.example.org", "Bob@Example.COM"};
    const auto e = relay::rewrite_envelope(l, rcpts);
    BOOST_REQUIRE_EQUAL(e.size(), 2u);
    BOOST_TEST(e[0].mail_from == "dev-bounces+dev=lists.example.org@lists.example.org");
    BOOST_TEST(e[0].recipients == std::vector<std::string>{"dev@lists.example.org"});
    BOOST_TEST(e[1].mail_from == "dev-bounces+Bob=Example.COM@lists.example.org");
    BOOST_TEST(e[1].recipients == std::vector<std::string>{"Bob@Example.COM"});
}

BOOST_AUTO_TEST_CASE(verp_address_forms) {
    BOOST_TEST(relay::verp_address("l-bounces@d.example", "u@x.example") ==
               "l-bounces+u=x.example@d.example");
    BOOST_TEST(relay::verp_address("l-bounces@d.example", "postmaster") ==
               "l-bounces+postmaster@d.example");
    BOOST_TEST(relay::verp_address("l-bounces@d.example", "\"a@b\"@x.example") ==
               "l-bounces+\"a@b\"=x.example@d.example");
}

BOOST_AUTO_TEST_CASE(list_headers_rfc2369_2919) {
    const auto fields = relay::list_header_fields(dev_list());
    std::vector<std::string> raw;
    for (const auto& f : fields)
        raw.emplace_back(f.raw());
    const std::vector<std::string> expected{
        "List-Id: <dev.lists.example.org>\r\n",
        "List-Post: <mailto:dev@lists.example.org>\r\n",
        "List-Help: <mailto:dev-request@lists.example.org?subject=help>\r\n",
        "List-Subscribe: <mailto:dev-join@lists.example.org>\r\n",
        "List-Unsubscribe: <mailto:dev-leave@lists.example.org>\r\n",
    };
    BOOST_TEST(raw == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(list_headers_replace_existing_ones) {
    auto m = parse("List-Id: <other.example.net>\r\nlist-unsubscribe-post: "
                   "List-Unsubscribe=One-Click\r\nSubject: x\r\n\r\n");
    relay::set_list_headers(m, dev_list());
    BOOST_TEST(m.count("List-Id") == 1u);
    BOOST_TEST(m.fields("List-Id").front()->raw() == "List-Id: <dev.lists.example.org>\r\n");
    BOOST_TEST(m.count("List-Unsubscribe-Post") == 0u); // RFC 8058 3.1 needs an HTTPS URI
    BOOST_TEST(m.headers().front().raw() == "Subject: x\r\n");
}

BOOST_AUTO_TEST_CASE(rewrite_post_honours_list_headers_switch) {
    auto l = dev_list();
    auto m = parse("Subject: x\r\n\r\n");
    relay::rewrite_post(m, l);
    BOOST_TEST(m.count("List-Id") == 0u);
    BOOST_TEST(subject_of(m) == "Subject: [dev] x\r\n");
    l.list_headers = true;
    relay::rewrite_post(m, l);
    BOOST_TEST(m.count("List-Id") == 1u);
    BOOST_TEST(m.count("List-Post") == 1u);
    BOOST_TEST(subject_of(m) == "Subject: [dev] x\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
