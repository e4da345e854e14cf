// tests/fuzz/spf_record_fuzz.cpp — the SPF record parser (RFC 7208 §4.6, §5, §6), macro
// parsing and expansion (§7), and check_mail_from (§4) with the input served as the TXT record
// of the MAIL FROM domain in a small static zone (includes, A/MX records, a redirect).
#include "auth/spf/check.hpp"
#include "auth/spf/macro.hpp"
#include "auth/spf/record.hpp"
#include "dns/static_zone.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <cstdlib>

namespace {

using namespace arcrelay;

const char* const fixed_zone = R"(
$ORIGIN fuzz.test.
$TTL 300
inc         IN TXT "v=spf1 ip4:192.0.2.0/24 a:host.fuzz.test -all"
host        IN A    192.0.2.7
host        IN AAAA 2001:db8::7
mx          IN MX   10 host.fuzz.test.
other       IN TXT "v=spf1 include:inc.fuzz.test ?all"
4.3.2.1.in-addr.arpa. IN PTR host.fuzz.test.
)";

void expand_all(const auth::spf::record& r, const auth::spf::macro_values& values) {
    for (const auto& m : r.mechanisms)
        if (m.domain_spec) (void)auth::spf::expand_macro_string(*m.domain_spec, values);
    if (r.redirect) (void)auth::spf::expand_macro_string(*r.redirect, values);
    if (r.explanation) (void)auth::spf::expand_macro_string(*r.explanation, values);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    auth::spf::macro_values values;
    values.sender = "user.name@sub.fuzz.test";
    values.local_part = "user.name";
    values.sender_domain = "sub.fuzz.test";
    values.domain = "sub.fuzz.test";
    values.ip = *parse_ip_address("1.2.3.4");
    values.helo = "helo.fuzz.test";
    values.receiver = "mx.receiver.test";
    values.timestamp = 1767225600;
    values.validated_domain = [] { return std::string("host.fuzz.test"); };

    if (auto r = auth::spf::parse_record(text)) expand_all(*r, values);
    for (auto context :
         {auth::spf::macro_context::domain_spec, auth::spf::macro_context::explanation})
        if (auto m = auth::spf::parse_macro_string(text, context))
            (void)auth::spf::expand_macro_string(*m, values);

    static const dns::static_zone base = [] {
        auto z = dns::static_zone::parse_master_file(fixed_zone);
        if (!z) std::abort();
        return std::move(z).value();
    }();
    dns::static_zone zone = base;
    zone.add("sub.fuzz.test", dns::rr_type::txt, std::string(text));
    auth::spf::request req;
    req.client_ip = values.ip;
    req.helo = "helo.fuzz.test";
    req.mail_from = "user.name@sub.fuzz.test";
    req.timestamp = values.timestamp;
    (void)auth::spf::check_mail_from(zone, req);
    return 0;
}
