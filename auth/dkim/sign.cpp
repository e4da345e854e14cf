// auth/dkim/sign.cpp — RFC 6376 §5.4 (header selection), §5.5 (compute), §3.5 (tags).
#include "auth/dkim/sign.hpp"

#include "auth/dkim/field_writer.hpp"
#include "auth/dkim/signing_input.hpp"
#include "mail/base64.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::auth::dkim {

namespace {
std::string canon_name(mail::canonicalization c) {
    return c == mail::canonicalization::relaxed ? "relaxed" : "simple";
}
std::string join(const std::vector<std::string>& v, char sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}
} // namespace

namespace {
// RFC 2369, 2919 and 8058 list fields: signed, and oversigned so that none can be added later.
std::vector<std::string> with_list_fields(std::vector<std::string> names) {
    for (const char* f : {"List-Id", "List-Post", "List-Help", "List-Unsubscribe",
                          "List-Unsubscribe-Post", "List-Subscribe", "List-Owner", "List-Archive"})
        names.emplace_back(f);
    return names;
}
} // namespace

const std::vector<std::string>& default_signed_headers() {
    static const auto names = with_list_fields(
        {"From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "In-Reply-To",
         "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Sender"});
    return names;
}

const std::vector<std::string>& default_oversigned_headers() {
    static const auto names =
        with_list_fields({"From", "Subject", "To", "Cc", "Reply-To", "Date", "Message-ID"});
    return names;
}

std::vector<std::string> select_signed_headers(const mail::message& m,
                                               const std::vector<std::string>& headers,
                                               const std::vector<std::string>& oversign) {
    std::vector<std::string> h;
    auto add = [&](const std::string& name) {
        std::size_t n = m.count(name);
        bool over = std::any_of(oversign.begin(), oversign.end(),
                                [&](const std::string& o) { return mail::iequals(o, name); });
        if (over) ++n;
        for (std::size_t i = 0; i < n; ++i)
            h.push_back(name);
    };
    bool from = false;
    for (const auto& name : headers) {
        if (std::any_of(h.begin(), h.end(),
                        [&](const std::string& x) { return mail::iequals(x, name); }))
            continue; // listed twice in the configuration
        from = from || mail::iequals(name, "From");
        add(name);
    }
    if (!from) add("From");
    return h;
}

result<mail::header_field> sign_dkim(const mail::message& m, const signer& s,
                                     std::uint64_t timestamp) {
    mail::body_hasher hasher(s.body_canon, std::nullopt);
    hasher.update(m.body());
    auto bh = hasher.finish();
    auto h = select_signed_headers(m, s.headers, s.oversign);
    tag_values tags{{"v", "1"},
                    {"a", std::string(algorithm_name(s.alg))},
                    {"c", canon_name(s.header_canon) + "/" + canon_name(s.body_canon)},
                    {"d", s.domain},
                    {"s", s.selector},
                    {"t", std::to_string(timestamp)},
                    {"h", join(h, ':')},
                    {"bh", mail::base64_encode(bh)},
                    {"b", ""}};
    if (!s.identity.empty()) tags.insert(tags.begin() + 5, {"i", s.identity});
    auto unsigned_field = format_tag_field("DKIM-Signature", tags);
    auto input = header_signing_input(m, h, unsigned_field, s.header_canon);
    auto sig = sign_data(s.key, s.alg, input);
    if (!sig) return sig.error();
    tags.back().second = mail::base64_encode(*sig);
    return format_tag_field("DKIM-Signature", tags);
}

} // namespace arcrelay::auth::dkim
