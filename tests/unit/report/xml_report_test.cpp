// tests/unit/report/xml_report_test.cpp — RFC 9990 XML: every report validates against the
// RFC's XSD with xmllint --schema (Debian libxml2-utils) and is read back by an independent
// consumer, dmarc-cat (Debian dmarc-cat), whose table must show the expected counts; gzip,
// the file name and a Report-ID stable across rebuilds.
#include "report/xml_report.hpp"

#include "report_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>

using namespace report_test;

namespace {

const std::string xsd = std::string(ARCRELAY_TEST_DATA) + "/dmarc-reports/dmarc-xml-0.2.xsd";

struct command_output {
    int status = -1;
    std::string text; // stdout and stderr
};

command_output run(const std::string& command) {
    command_output out;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    BOOST_REQUIRE(p);
    std::array<char, 4096> buffer{};
    while (const auto n = fread(buffer.data(), 1, buffer.size(), p))
        out.text.append(buffer.data(), n);
    out.status = pclose(p);
    return out;
}

std::string quoted(const std::string& path) {
    return "'" + path + "'"; // scratch paths hold no quote
}

report_metadata metadata() {
    return {"Lists & <Co>", "dmarc-reports@lists.example.org", "lists.example.org",
            "arcrelay 0.1.0"};
}

// Five identical passes, a trusted-sealer rescue, a rejection and a t=y failure.
std::vector<dmarc_row> day_of_rows() {
    std::vector<dmarc_row> rows;
    auto pass = sample_row(0);
    pass.reasons.clear();
    pass.dkim_aligned = true;
    for (int i = 0; i < 5; ++i)
        rows.push_back(pass);
    auto rescued = sample_row(0);
    rescued.source_ip = "198.51.100.7";
    rows.push_back(rescued);
    auto rejected = sample_row(0);
    rejected.source_ip = "203.0.113.9";
    rejected.spf_aligned = false;
    rejected.reasons.clear();
    rejected.applied = disposition::reject;
    rows.push_back(rejected);
    auto testing = sample_row(1);
    testing.source_ip = "2001:db8::25";
    testing.reasons = {{override_type::policy_test_mode, {}}, {override_type::mailing_list, {}}};
    testing.envelope_from.clear(); // null sender: no envelope_from element
    rows.push_back(testing);
    return rows;
}

std::string write_file(const scratch_dir& dir, const domain_report& r) {
    const auto xml = write_report_xml(r, metadata());
    BOOST_REQUIRE(xml.ok());
    const auto gz = gzip(*xml);
    BOOST_REQUIRE(gz.ok());
    const auto path = dir.file(report_file_name(metadata(), r));
    std::ofstream(path, std::ios::binary) << *gz;
    return path;
}

} // namespace

BOOST_AUTO_TEST_SUITE(xml_report_test)

BOOST_AUTO_TEST_CASE(the_document_has_the_rfc_9990_fields) {
    const auto reports = aggregate(day_of_rows(), 24);
    BOOST_TEST_REQUIRE(reports.size() == 1u);
    const auto xml = write_report_xml(reports[0], metadata());
    BOOST_TEST_REQUIRE(xml.ok());
    const auto& t = *xml;
    for (const char* part :
         {"<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">", "<version>1.0</version>",
          "<org_name>Lists &amp; &lt;Co&gt;</org_name>", "<generator>arcrelay 0.1.0</generator>",
          "<begin>1764633600</begin>", "<end>1764719999</end>",
          "<discovery_method>treewalk</discovery_method>", "<testing>y</testing>",
          "<sp>quarantine</sp>", "<selector>s2026</selector>", "<scope>mfrom</scope>",
          "<envelope_to>lists.example.org</envelope_to>",
          "<envelope_from>bounce.example.com</envelope_from>", "<count>5</count>",
          "<type>local_policy</type>",
          "<comment>arc=pass as[1].d=lists.example.net as[1].s=arc "
          "client-ip[1]=198.51.100.7</comment>",
          "<type>policy_test_mode</type>", "<disposition>reject</disposition>"})
        BOOST_TEST(t.find(part) != std::string::npos, part);
    BOOST_TEST(t.find("<np>") == std::string::npos); // np not published
    BOOST_TEST(t.find("<report_id>" + report_id(metadata(), reports[0]) + "</report_id>") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(reports_validate_with_xmllint_and_read_back_with_dmarc_cat) {
    scratch_dir dir;
    auto rows = day_of_rows();
    auto other = sample_row(0);
    other.policy.domain = other.header_from = "example.net";
    other.policy.np = policy::reject;
    other.policy.discovery_method = discovery::psl;
    rows.push_back(other);
    const auto reports = aggregate(rows, 24);
    BOOST_TEST_REQUIRE(reports.size() == 2u);
    for (const auto& r : reports) {
        const auto path = write_file(dir, r);
        BOOST_TEST_CONTEXT(path) {
            const auto lint = run("xmllint --noout --schema " + quoted(xsd) + " " + quoted(path));
            BOOST_TEST(lint.status == 0, lint.text);
            BOOST_TEST(lint.text.find("validates") != std::string::npos, lint.text);
        }
    }
    // dmarc-cat's table: IP, Count, From, RFrom, RDKIM, RSPF.
    const auto example_com = write_file(dir, reports[0]);
    const auto cat = run("dmarc-cat -N " + quoted(example_com));
    BOOST_TEST_REQUIRE(cat.status == 0, cat.text);
    BOOST_TEST_INFO(cat.text);
    BOOST_TEST(cat.text.find("Domain: example.com") != std::string::npos);
    BOOST_TEST(cat.text.find("Reports(4):") != std::string::npos);
    BOOST_TEST(std::regex_search(cat.text, std::regex(R"(192\.0\.2\.1\s+5\s+example\.com)")));
    BOOST_TEST(std::regex_search(cat.text, std::regex(R"(198\.51\.100\.7\s+1\s)")));
    BOOST_TEST(std::regex_search(cat.text, std::regex(R"(203\.0\.113\.9\s+1\s)")));
    BOOST_TEST(std::regex_search(cat.text, std::regex(R"(2001:db8::25\s+1\s)")));
}

BOOST_AUTO_TEST_CASE(the_xsd_rejects_what_it_should) {
    // The check can fail: the old namespace's sample does not validate.
    const auto old =
        run("xmllint --noout --schema " + quoted(xsd) + " " +
            quoted(std::string(ARCRELAY_TEST_DATA) + "/dmarc-reports/dmarc-xmlalt-0.2.xml"));
    BOOST_TEST(old.status != 0, old.text);
}

BOOST_AUTO_TEST_CASE(file_name_and_report_id_are_stable) {
    const auto reports = aggregate(day_of_rows(), 24);
    const auto& r = reports.at(0);
    const auto name = report_file_name(metadata(), r);
    BOOST_TEST(std::regex_match(
        name,
        std::regex(
            R"(lists\.example\.org!example\.com!1764633600!1764719999![0-9a-f]{16}\.xml\.gz)")));
    BOOST_TEST(report_id(metadata(), r) == report_id(metadata(), aggregate(day_of_rows(), 24)[0]));
    auto next = r;
    next.when = period_of(r.when.end, 24);
    BOOST_TEST(report_id(metadata(), next) != report_id(metadata(), r));
    auto elsewhere = metadata();
    elsewhere.receiver = "mx2.lists.example.org";
    BOOST_TEST(report_id(elsewhere, r) != report_id(metadata(), r));
}

BOOST_AUTO_TEST_CASE(gzip_is_rfc_1952) {
    const auto gz = gzip("hello hello hello hello");
    BOOST_TEST_REQUIRE(gz.ok());
    BOOST_TEST_REQUIRE(gz->size() > 10u);
    BOOST_TEST(static_cast<unsigned char>((*gz)[0]) == 0x1f); // RFC 1952 2.3.1 ID1, ID2
    BOOST_TEST(static_cast<unsigned char>((*gz)[1]) == 0x8b);
    scratch_dir dir;
    const auto path = dir.file("t.gz");
    std::ofstream(path, std::ios::binary) << *gz;
    BOOST_TEST(run("zcat " + quoted(path)).text == "hello hello hello hello");
}

BOOST_AUTO_TEST_SUITE_END()
