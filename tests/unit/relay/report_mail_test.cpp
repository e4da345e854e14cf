// tests/unit/relay/report_mail_test.cpp — the report mail (RFC 9990 5.2): header fields,
// Subject ABNF and folding, MIME structure, the base64 attachment (76-column lines) that
// decodes to the gzip'd report, the Message-ID built from the Report-ID.
#include "mail/base64.hpp"
#include "relay/report_mail.hpp"

#include "mail/message.hpp"

#include <boost/test/unit_test.hpp>

#include <regex>

using namespace arcrelay;

namespace {

report::domain_report sample_report(std::string domain = "example.com") {
    report::domain_report r;
    r.policy_domain = std::move(domain);
    r.when = {1'764'633'600, 1'764'720'000};
    r.policy.domain = r.policy_domain;
    report::aggregate_record rec;
    rec.row.source_ip = "192.0.2.1";
    rec.count = 3;
    r.records = {rec, rec};
    return r;
}

const report::report_metadata meta{"Example Lists", "dmarc-reports@lists.example.org",
                                   "relay.lists.example.org", "arcrelay 1.2.3"};

std::string field(const mail::message& m, std::string_view name) {
    const auto f = m.fields(name);
    BOOST_REQUIRE_MESSAGE(f.size() == 1u, std::string(name));
    std::string v(f.front()->value());
    std::string out; // unfolded (RFC 5322 2.2.3), leading space dropped
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i] != '\r' && v[i] != '\n') out += v[i];
    return out.substr(out.find_first_not_of(' '));
}

std::string compose(const report::domain_report& r, std::string_view gz, unsigned parts = 1) {
    return relay::compose_report_mail({&r, &meta, "agg@example.com", gz, 1'764'720'100, parts});
}

} // namespace

BOOST_AUTO_TEST_SUITE(report_mail_test)

BOOST_AUTO_TEST_CASE(header_fields_as_rfc_9990_asks) {
    const auto r = sample_report();
    const auto id = report::report_id(meta, r);
    const auto m = mail::parse_message(compose(r, "gzdata"));
    BOOST_TEST_REQUIRE(m.ok());
    BOOST_TEST(field(*m, "From") == "dmarc-reports@lists.example.org");
    BOOST_TEST(field(*m, "To") == "agg@example.com");
    BOOST_TEST(field(*m, "Subject") == "Report Domain: example.com Submitter: "
                                       "relay.lists.example.org Report-ID: <" +
                                           id + ">");
    BOOST_TEST(field(*m, "Auto-Submitted") == "auto-generated");
    BOOST_TEST(field(*m, "Date") == "Wed, 03 Dec 2025 00:01:40 +0000");
    BOOST_TEST(
        std::regex_match(field(*m, "Message-ID"),
                         std::regex("<" + id + "\\.[0-9a-f]{8}@relay\\.lists\\.example\\.org>")));
    BOOST_TEST(field(*m, "MIME-Version") == "1.0");
    BOOST_TEST(field(*m, "Content-Type") ==
               "multipart/mixed; boundary=\"=_arcrelay_report_" + id + "\"");
    // A re-send is byte for byte the same mail (same ids, same date given).
    BOOST_TEST(compose(r, "gzdata") == compose(r, "gzdata"));
}

BOOST_AUTO_TEST_CASE(a_long_subject_is_folded_before_submitter_and_report_id) {
    const auto r = sample_report("a-rather-long-subdomain-name.of-a-policy-domain.example.com");
    const auto text = compose(r, "x");
    BOOST_TEST(text.find("\r\nSubject: Report Domain: "
                         "a-rather-long-subdomain-name.of-a-policy-domain.example.com\r\n "
                         "Submitter: relay.lists.example.org\r\n Report-ID: <") !=
               std::string::npos);
    for (std::size_t at = 0, next; (next = text.find("\r\n", at)) != std::string::npos;
         at = next + 2)
        BOOST_TEST(next - at <= 998u); // RFC 5322 2.1.1 MUST (the file name may pass 78)
}

BOOST_AUTO_TEST_CASE(the_attachment_is_the_gzip_in_76_column_base64) {
    const auto r = sample_report();
    std::string gz;
    for (int i = 0; i < 1000; ++i)
        gz += static_cast<char>(i * 7 % 256);
    const auto text = compose(r, gz);
    const auto file = report::report_file_name(meta, r);
    const auto head = "Content-Type: application/gzip;\r\n name=\"" + file +
                      "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: "
                      "attachment;\r\n filename=\"" +
                      file + "\"\r\n\r\n";
    const auto start = text.find(head);
    BOOST_TEST_REQUIRE(start != std::string::npos);
    const auto body_start = start + head.size();
    const auto end = text.find("\r\n--=_arcrelay_report_", body_start);
    BOOST_TEST_REQUIRE(end != std::string::npos);
    const auto b64 = text.substr(body_start, end - body_start);
    std::string joined;
    std::size_t lines = 0;
    for (std::size_t at = 0, next; (next = b64.find("\r\n", at)) != std::string::npos;
         at = next + 2, ++lines) {
        BOOST_TEST(next - at <= 76u);
        joined += b64.substr(at, next - at);
    }
    BOOST_TEST(lines == (1336u + 75) / 76); // 1000 octets: 1336 base64 characters
    const auto decoded = mail::base64_decode(joined);
    BOOST_TEST_REQUIRE(decoded.has_value());
    BOOST_TEST(std::string(decoded->begin(), decoded->end()) == gz);
    BOOST_TEST(text.ends_with("\r\n--=_arcrelay_report_" + report::report_id(meta, r) + "--\r\n"));
    BOOST_TEST(text.find("Content-Type: text/plain; charset=us-ascii") < start);
    BOOST_TEST(text.find("6 messages in 2 records") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_part_says_which_part_it_is) {
    auto r = sample_report();
    r.part = 2;
    const auto text = compose(r, "x", 3);
    BOOST_TEST(text.find("This is part 2 of 3 of the report for this period") != std::string::npos);
    BOOST_TEST(text.find("Report-ID: <" + report::report_id(meta, r) + ">") != std::string::npos);
    BOOST_TEST(report::report_id(meta, r).ends_with("p2"));
}

BOOST_AUTO_TEST_SUITE_END()
