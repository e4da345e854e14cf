// tests/unit/auth_spf/check_test.cpp — check_mail_from()/check_helo(): the limits of RFC 7208
// 4.6.4 (also under hostile records), IPv6, the HELO identity (RFC 7208 2.3), the null
// reverse-path (2.4), explanations (6.2) and the smtp.mailfrom property (rfc7601bis 2.7.2).
#include "auth/spf/check.hpp"
#include "dns/static_zone.hpp"

#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <string>

namespace spf = arcrelay::auth::spf;
using arcrelay::dns::rr_type;
using arcrelay::dns::static_zone;

namespace {

// Counts the questions asked, to prove every evaluation stays bounded.
class counting_resolver final : public arcrelay::dns::resolver {
public:
    explicit counting_resolver(static_zone& zone) : zone_(zone) {}
    std::vector<arcrelay::dns::answer>
    resolve(std::span<const arcrelay::dns::question> questions) override {
        questions_ += questions.size();
        return zone_.resolve(questions);
    }
    std::size_t questions() const { return questions_; }

private:
    static_zone& zone_;
    std::size_t questions_ = 0;
};

spf::request make_request(std::string_view ip, std::string mail_from,
                          std::string helo = "mail.example.org") {
    spf::request req;
    req.client_ip = *arcrelay::parse_ip_address(ip);
    req.mail_from = std::move(mail_from);
    req.helo = std::move(helo);
    req.receiver = "relay.example.net";
    req.timestamp = 1'700'000'000;
    return req;
}

spf::verdict check(static_zone& zone, std::string_view ip, std::string mail_from) {
    return spf::check_mail_from(zone, make_request(ip, std::move(mail_from)));
}

std::string result_of(const spf::verdict& v) {
    return std::string(spf::to_string(v.result));
}

// example.com includes i1, i1 includes i2, ..., the last one passes 192.0.2.1.
void add_include_chain(static_zone& zone, int includes) {
    zone.add("example.com", rr_type::txt, "v=spf1 include:i1.example.com -all");
    for (int i = 1; i < includes; ++i)
        zone.add(fmt::format("i{}.example.com", i), rr_type::txt,
                 fmt::format("v=spf1 include:i{}.example.com -all", i + 1));
    zone.add(fmt::format("i{}.example.com", includes), rr_type::txt, "v=spf1 ip4:192.0.2.1 -all");
}

} // namespace

BOOST_AUTO_TEST_SUITE(check_test)

BOOST_AUTO_TEST_CASE(dns_term_limit) {
    static_zone at_limit;
    add_include_chain(at_limit, spf::max_dns_terms);
    BOOST_TEST(result_of(check(at_limit, "192.0.2.1", "a@example.com")) == "pass");

    static_zone over_limit;
    add_include_chain(over_limit, spf::max_dns_terms + 1);
    const auto v = check(over_limit, "192.0.2.1", "a@example.com");
    BOOST_TEST(result_of(v) == "permerror");
    BOOST_TEST(v.reason.find("4.6.4") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(void_lookup_limit) {
    static_zone zone;
    zone.add("two.example.com", rr_type::txt, "v=spf1 a:n1.example.com mx:n2.example.com ?all");
    zone.add("three.example.com", rr_type::txt,
             "v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com ?all");
    zone.add("ok.example.com", rr_type::a, "192.0.2.99");
    zone.add("nodata.example.com", rr_type::txt,
             "v=spf1 a:n1.example.com mx:ok.example.com a:n3.example.com ?all");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@two.example.com")) == "neutral");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@three.example.com")) == "permerror");
    // NODATA counts like NXDOMAIN.
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@nodata.example.com")) == "permerror");
}

BOOST_AUTO_TEST_CASE(loops_end_in_permerror) {
    static_zone zone;
    zone.add("self.example.com", rr_type::txt, "v=spf1 include:self.example.com -all");
    zone.add("redirect.example.com", rr_type::txt, "v=spf1 redirect=%{d}");
    zone.add("ping.example.com", rr_type::txt, "v=spf1 include:pong.example.com");
    zone.add("pong.example.com", rr_type::txt, "v=spf1 redirect=ping.example.com");
    counting_resolver resolver(zone);
    for (std::string_view domain : {"self", "redirect", "ping"}) {
        const auto v = spf::check_mail_from(
            resolver, make_request("192.0.2.1", fmt::format("a@{}.example.com", domain)));
        BOOST_TEST(result_of(v) == "permerror", domain);
    }
    // One TXT query per evaluated record: 11 per check at most.
    BOOST_TEST(resolver.questions() <= 3u * (spf::max_dns_terms + 1));
}

BOOST_AUTO_TEST_CASE(hostile_records_stay_bounded) {
    static_zone zone;
    std::string record = "v=spf1";
    for (int i = 0; i < 12; ++i)
        record += " mx:many.example.com";
    zone.add("hostile.example.com", rr_type::txt, record);
    for (std::size_t i = 0; i < spf::max_mx_names; ++i)
        zone.add_mx("many.example.com", static_cast<std::uint16_t>(i),
                    fmt::format("mx{}.example.com", i));
    counting_resolver resolver(zone);
    const auto v =
        spf::check_mail_from(resolver, make_request("192.0.2.1", "a@hostile.example.com"));
    // 10 mx terms with 10 hosts each (no address: not void), the 11th term is over the limit.
    BOOST_TEST(result_of(v) == "permerror");
    BOOST_TEST(resolver.questions() == 1 + spf::max_dns_terms * (1 + spf::max_mx_names));
}

BOOST_AUTO_TEST_CASE(mx_name_limit) {
    static_zone zone;
    zone.add("ten.example.com", rr_type::txt, "v=spf1 mx -all");
    zone.add("eleven.example.com", rr_type::txt, "v=spf1 mx -all");
    for (std::size_t i = 0; i <= spf::max_mx_names; ++i) {
        const auto host = fmt::format("mx{}.example.com", i);
        zone.add(host, rr_type::a, fmt::format("192.0.2.{}", 10 + i));
        if (i < spf::max_mx_names) zone.add_mx("ten.example.com", 10, host);
        zone.add_mx("eleven.example.com", 10, host);
    }
    BOOST_TEST(result_of(check(zone, "192.0.2.19", "a@ten.example.com")) == "pass");
    BOOST_TEST(result_of(check(zone, "192.0.2.10", "a@eleven.example.com")) == "permerror");
}

BOOST_AUTO_TEST_CASE(ptr_name_limit_and_p_macro) {
    static_zone zone;
    zone.add("ptr.example.com", rr_type::txt, "v=spf1 ptr:good.example.com -all");
    zone.add("p.example.com", rr_type::txt,
             "v=spf1 exists:%{p}.a.example.com exists:%{p}.b.example.com -all");
    // 15 PTR names; the 11th and later are ignored (RFC 7208 4.6.4).
    for (int i = 0; i < 15; ++i) {
        const auto name = fmt::format("h{}.{}.example.com", i, i == 12 ? "good" : "other");
        zone.add("1.2.0.192.in-addr.arpa", rr_type::ptr, name);
        zone.add(name, rr_type::a, "192.0.2.1");
    }
    counting_resolver resolver(zone);
    BOOST_TEST(result_of(spf::check_mail_from(
                   resolver, make_request("192.0.2.1", "a@ptr.example.com"))) == "fail");
    BOOST_TEST(resolver.questions() == 1 + 1 + spf::max_ptr_names);

    // %{p}: validated once per check however often it is used; "unknown" if none validates.
    counting_resolver p_resolver(zone);
    const auto v = spf::check_mail_from(p_resolver, make_request("192.0.2.1", "a@p.example.com"));
    BOOST_TEST(result_of(v) == "fail");
    BOOST_TEST(p_resolver.questions() == 1 + 1 + spf::max_ptr_names + 2);
    zone.add("unknown.a.example.com", rr_type::a, "127.0.0.2");
    BOOST_TEST(result_of(check(zone, "192.0.2.77", "a@p.example.com")) == "pass");
}

BOOST_AUTO_TEST_CASE(ipv6) {
    static_zone zone;
    zone.add("v6.example.com", rr_type::txt,
             "v=spf1 ip6:2001:db8:1::/48 a:host.example.com//64 ip4:192.0.2.0/24 -all");
    zone.add("host.example.com", rr_type::aaaa, "2001:db8:2::1");
    zone.add("host.example.com", rr_type::a, "198.51.100.1");
    BOOST_TEST(result_of(check(zone, "2001:db8:1:ffff::1", "a@v6.example.com")) == "pass");
    BOOST_TEST(result_of(check(zone, "2001:db8:2::abcd", "a@v6.example.com")) == "pass");
    BOOST_TEST(result_of(check(zone, "2001:db8:2:1::1", "a@v6.example.com")) == "fail");
    // An IPv4-mapped client is IPv4: it matches ip4, never ip6 (RFC 7208 5).
    BOOST_TEST(result_of(check(zone, "::ffff:192.0.2.7", "a@v6.example.com")) == "pass");
    // ... and "a" looks up A records for it, with the IPv4 CIDR length.
    BOOST_TEST(result_of(check(zone, "::ffff:198.51.100.1", "a@v6.example.com")) == "pass");
    BOOST_TEST(result_of(check(zone, "::ffff:198.51.100.2", "a@v6.example.com")) == "fail");

    zone.add("rbl.example.com", rr_type::txt, "v=spf1 -exists:%{ir}.%{v}.list.example.com +all");
    zone.add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.list.example.com",
             rr_type::a, "127.0.0.2");
    BOOST_TEST(result_of(check(zone, "2001:db8::1", "a@rbl.example.com")) == "fail");
    BOOST_TEST(result_of(check(zone, "2001:db8::2", "a@rbl.example.com")) == "pass");
}

BOOST_AUTO_TEST_CASE(helo_identity) {
    static_zone zone;
    zone.add("mail.example.org", rr_type::txt, "v=spf1 a -all");
    zone.add("mail.example.org", rr_type::a, "192.0.2.25");
    auto req = make_request("192.0.2.25", "someone@elsewhere.example", "mail.example.org");
    auto v = spf::check_helo(zone, req);
    BOOST_TEST(result_of(v) == "pass");
    BOOST_TEST((v.identity == spf::identity::helo));
    BOOST_TEST(v.domain == "mail.example.org");
    BOOST_TEST(v.sender == "postmaster@mail.example.org");
    BOOST_TEST(spf::property_name(v.identity) == "helo");
    BOOST_TEST(spf::property_value(v) == "mail.example.org");

    req.client_ip = *arcrelay::parse_ip_address("192.0.2.26");
    BOOST_TEST(result_of(spf::check_helo(zone, req)) == "fail");
    // Address literals and single labels are no domains (RFC 7208 4.3).
    for (std::string helo : {"[192.0.2.25]", "192.0.2.25", "localhost", ""}) {
        req.helo = helo;
        BOOST_TEST(result_of(spf::check_helo(zone, req)) == "none", helo);
    }
}

BOOST_AUTO_TEST_CASE(null_reverse_path_checks_postmaster_at_helo) {
    static_zone zone;
    zone.add("mail.example.org", rr_type::txt, "v=spf1 exists:%{l}.%{d} -all");
    zone.add("postmaster.mail.example.org", rr_type::a, "127.0.0.2");
    const auto v = check(zone, "192.0.2.1", "");
    BOOST_TEST(result_of(v) == "pass");
    BOOST_TEST((v.identity == spf::identity::mailfrom));
    BOOST_TEST(v.sender == "postmaster@mail.example.org");
    BOOST_TEST(spf::property_name(v.identity) == "mailfrom");
    BOOST_TEST(spf::property_value(v) == "postmaster@mail.example.org");
}

BOOST_AUTO_TEST_CASE(smtp_mailfrom_property) {
    static_zone zone;
    zone.add("plain.example.com", rr_type::txt, "v=spf1 ip4:192.0.2.0/24 exp=why.%{d} -all");
    zone.add("why.plain.example.com", rr_type::txt, "%{l} may not send from %{c}");
    zone.add("local.example.com", rr_type::txt, "v=spf1 include:users.%{d} -all");
    zone.add("users.local.example.com", rr_type::txt, "v=spf1 exists:%{l}._u.%{o}");
    zone.add("alice._u.local.example.com", rr_type::a, "127.0.0.2");
    zone.add("late.example.com", rr_type::txt, "v=spf1 ip4:192.0.2.1 exists:%{l}.%{d} -all");

    // No local-part in the policy: the domain alone, even when exp= text uses %{l}.
    auto v = check(zone, "192.0.2.1", "alice@plain.example.com");
    BOOST_TEST(result_of(v) == "pass");
    BOOST_TEST(spf::property_value(v) == "plain.example.com");
    v = check(zone, "198.51.100.1", "alice@plain.example.com");
    BOOST_TEST(result_of(v) == "fail");
    BOOST_TEST(v.explanation == "alice may not send from 198.51.100.1");
    BOOST_TEST(!v.used_local_part);
    BOOST_TEST(spf::property_value(v) == "plain.example.com");
    // Macro values outside printable ASCII make the explanation unusable.
    v = check(zone, "198.51.100.1", "j\xc3\xb6rg@plain.example.com");
    BOOST_TEST(result_of(v) == "fail");
    BOOST_TEST(v.explanation.empty());

    // The local-part decided (in an included record): the whole address.
    v = check(zone, "198.51.100.1", "alice@local.example.com");
    BOOST_TEST(result_of(v) == "pass");
    BOOST_TEST(spf::property_value(v) == "alice@local.example.com");
    v = check(zone, "198.51.100.1", "bob@local.example.com");
    BOOST_TEST(result_of(v) == "fail");
    BOOST_TEST(spf::property_value(v) == "bob@local.example.com");

    // An %{l} term never reached does not count.
    v = check(zone, "192.0.2.1", "carol@late.example.com");
    BOOST_TEST(result_of(v) == "pass");
    BOOST_TEST(spf::property_value(v) == "late.example.com");
}

BOOST_AUTO_TEST_CASE(explanation_and_redirect) {
    static_zone zone;
    zone.add("r.example.com", rr_type::txt, "v=spf1 exp=no.example.com redirect=t.example.com");
    zone.add("t.example.com", rr_type::txt, "v=spf1 -all exp=yes.example.com");
    zone.add("no.example.com", rr_type::txt, "not this one");
    zone.add("yes.example.com", rr_type::txt, "Denied for %{d} (%{o}).");
    zone.add("broken.example.com", rr_type::txt, "v=spf1 -all exp=bad.example.com");
    zone.add("bad.example.com", rr_type::txt, "The %{x}-files");
    auto v = check(zone, "192.0.2.1", "a@r.example.com");
    BOOST_TEST(result_of(v) == "fail");
    BOOST_TEST(v.explanation == "Denied for t.example.com (r.example.com).");
    BOOST_TEST(v.domain == "r.example.com");
    v = check(zone, "192.0.2.1", "a@broken.example.com");
    BOOST_TEST(result_of(v) == "fail");
    BOOST_TEST(v.explanation.empty());
}

BOOST_AUTO_TEST_CASE(none_and_errors) {
    static_zone zone;
    zone.add("other.example.com", rr_type::txt, "some verification token");
    zone.add("slow.example.com", rr_type::txt, "v=spf1 a:timeout.example.com -all");
    zone.simulate_timeout("timeout.example.com");
    zone.simulate_timeout("down.example.com");
    zone.simulate_servfail("fail.example.com");
    zone.simulate_malformed("junk.example.com");
    zone.add("two.example.com", rr_type::txt, "v=spf1 -all");
    zone.add("two.example.com", rr_type::txt, "v=spf1 +all");
    zone.add("syntax.example.com", rr_type::txt, "v=spf1 -all foo");

    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@missing.example.com")) == "none");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@other.example.com")) == "none");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@down.example.com")) == "temperror");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@fail.example.com")) == "temperror");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@junk.example.com")) == "temperror");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@slow.example.com")) == "temperror");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "a@two.example.com")) == "permerror");
    const auto v = check(zone, "192.0.2.1", "a@syntax.example.com");
    BOOST_TEST(result_of(v) == "permerror");
    BOOST_TEST(v.reason.find("foo") != std::string::npos);
    const std::string bad_senders[] = {"a@[192.0.2.1]", "a@localhost", "a@x..example.com",
                                       "a@1.2.3.4", "a@" + std::string(64, 'x') + ".example.com"};
    for (const auto& bad : bad_senders)
        BOOST_TEST(result_of(check(zone, "192.0.2.1", bad)) == "none", bad);
    // A missing local-part is postmaster; a sender without "@" is a domain.
    zone.add("pm.example.com", rr_type::txt, "v=spf1 exists:%{l}.%{d} -all");
    zone.add("postmaster.pm.example.com", rr_type::a, "127.0.0.2");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "@pm.example.com")) == "pass");
    BOOST_TEST(result_of(check(zone, "192.0.2.1", "pm.example.com")) == "pass");
    // The domain is reported without a trailing dot.
    const auto dotted = check(zone, "192.0.2.1", "x@pm.example.com.");
    BOOST_TEST(result_of(dotted) == "fail");
    BOOST_TEST(dotted.domain == "pm.example.com");
    BOOST_TEST(dotted.sender == "x@pm.example.com");
}

BOOST_AUTO_TEST_CASE(result_names) {
    BOOST_TEST(spf::to_string(spf::result::fail) == "fail");
    BOOST_TEST(spf::to_string(spf::result::softfail) == "softfail");
    BOOST_TEST(spf::to_string(spf::result::none) == "none");
    BOOST_TEST(spf::to_string(spf::result::neutral) == "neutral");
    BOOST_TEST(spf::to_string(spf::result::pass) == "pass");
    BOOST_TEST(spf::to_string(spf::result::temperror) == "temperror");
    BOOST_TEST(spf::to_string(spf::result::permerror) == "permerror");
}

BOOST_AUTO_TEST_SUITE_END()
