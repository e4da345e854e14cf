// auth/dmarc/record.cpp — DMARC Policy Record parsing (RFC 9989 4.7, 4.8, 4.10.1).
#include "auth/dmarc/record.hpp"

#include "mail/tag_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace arcrelay::auth::dmarc {

namespace {

constexpr std::string_view version_tag = "DMARC1"; // RFC 9989 4.7 v: case-sensitive

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_wsp(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_wsp(s.back()))
        s.remove_suffix(1);
    return s;
}

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = s.find(sep);
        parts.push_back(trim(s.substr(0, at)));
        if (at == std::string_view::npos) return parts;
        s.remove_prefix(at + 1);
    }
}

struct tag {
    std::string name; // lower-case
    std::string value;
};

// RFC 7489 6.4 uses the RFC 6376 3.2 tag-list shape; its tag names are ABNF literals and so
// case-insensitive, hence the lower-casing (and the duplicate check after it).
result<std::vector<tag>> read_tags(std::string_view text) {
    auto list = mail::parse_tag_list(text);
    if (!list) return list.error();
    std::vector<tag> tags;
    std::set<std::string> seen;
    for (const auto& t : list->tags()) {
        std::string name;
        std::transform(t.name.begin(), t.name.end(), std::back_inserter(name), lower);
        if (!seen.insert(name).second)
            return permanent_error(fmt::format("duplicate tag {}", name));
        tags.push_back({std::move(name), t.value});
    }
    return tags;
}

std::optional<policy> parse_policy(std::string_view v) {
    if (iequals(v, "none")) return policy::none;
    if (iequals(v, "quarantine")) return policy::quarantine;
    if (iequals(v, "reject")) return policy::reject;
    return std::nullopt;
}

std::optional<bool> parse_yes_no(std::string_view v) {
    if (iequals(v, "y")) return true;
    if (iequals(v, "n")) return false;
    return std::nullopt;
}

// RFC 3986 3.1 scheme ":" followed by something, without white space (RFC 9989 4.8
// dmarc-uri = URI, with RFC 9990's optional "!" size suffix: "!" 1*DIGIT [ "k" / "m" / "g" / "t"
// ]).
bool is_valid_report_uri(std::string_view uri) {
    if (const auto bang = uri.rfind('!'); bang != std::string_view::npos) {
        std::string_view size = uri.substr(bang + 1);
        if (!size.empty() &&
            std::string_view("kmgt").find(lower(size.back())) != std::string_view::npos)
            size.remove_suffix(1);
        if (size.empty() || !std::all_of(size.begin(), size.end(), is_digit)) return false;
        uri = uri.substr(0, bang);
    }
    const auto colon = uri.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == uri.size()) return false;
    const std::string_view scheme = uri.substr(0, colon);
    if (!is_alpha(scheme.front())) return false;
    if (!std::all_of(scheme.begin(), scheme.end(), [](char c) {
            return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
        }))
        return false;
    return std::none_of(uri.begin(), uri.end(), is_wsp);
}

// Keeps the valid URIs; each invalid one is noted.
std::vector<std::string> parse_uris(const tag& t, std::vector<std::string>& discarded) {
    std::vector<std::string> uris;
    for (std::string_view uri : split(t.value, ',')) {
        if (is_valid_report_uri(uri))
            uris.emplace_back(uri);
        else
            discarded.push_back(fmt::format("{}: invalid URI \"{}\"", t.name, uri));
    }
    return uris;
}

bool is_colon_list(std::string_view v, bool (*item_ok)(std::string_view)) {
    const auto items = mail::split_colon_list(v);
    return !items.empty() && std::all_of(items.begin(), items.end(),
                                         [&](const std::string& item) { return item_ok(item); });
}

bool is_fo_item(std::string_view item) {
    return item == "0" || item == "1" || item == "d" || item == "s";
}

struct policy_tags {
    std::optional<std::string> error; // the first p/sp/np problem
    bool p_seen = false;
};

void read_policy_tag(const tag& t, std::optional<policy>& out, policy_tags& state) {
    out = parse_policy(t.value);
    if (!out && !state.error)
        state.error =
            fmt::format("{}: invalid policy \"{}\" (none, quarantine or reject)", t.name, t.value);
}

// Reads one tag other than v into the record. Unknown tags, and the historic pct, rf and ri
// (RFC 9989 9.3 tag registry; A.6: pct no longer samples, t= replaces it), are ignored
// (RFC 9989 4.7).
void read_tag(const tag& t, record& r, policy_tags& state) {
    auto note = [&](std::string_view why) {
        r.discarded.push_back(fmt::format("{}: {} \"{}\"", t.name, why, t.value));
    };
    if (t.name == "p") {
        state.p_seen = true;
        std::optional<policy> p;
        read_policy_tag(t, p, state);
        if (p) r.p = *p;
    } else if (t.name == "sp") {
        read_policy_tag(t, r.sp, state);
    } else if (t.name == "np") {
        read_policy_tag(t, r.np, state);
    } else if (t.name == "adkim" || t.name == "aspf") {
        alignment_mode& mode = t.name == "adkim" ? r.adkim : r.aspf;
        if (iequals(t.value, "r"))
            mode = alignment_mode::relaxed;
        else if (iequals(t.value, "s"))
            mode = alignment_mode::strict;
        else
            note("expected r or s, not");
    } else if (t.name == "t") {
        const auto testing = parse_yes_no(t.value);
        if (testing)
            r.testing = *testing;
        else
            note("expected y or n, not");
    } else if (t.name == "psd") {
        if (iequals(t.value, "u"))
            r.psd.reset();
        else if (const auto psd = parse_yes_no(t.value))
            r.psd = psd;
        else
            note("expected y, n or u, not");
    } else if (t.name == "rua") {
        r.rua = parse_uris(t, r.discarded);
    } else if (t.name == "ruf") {
        r.ruf = parse_uris(t, r.discarded);
    } else if (t.name == "fo") {
        if (is_colon_list(t.value, is_fo_item))
            r.fo = std::string(t.value);
        else
            note("expected 0, 1, d or s separated by ':', not");
    }
}

} // namespace

bool is_dmarc_record(std::string_view text) {
    const auto first = trim(text.substr(0, text.find(';')));
    const auto eq = first.find('=');
    return eq != std::string_view::npos && iequals(trim(first.substr(0, eq)), "v") &&
           trim(first.substr(eq + 1)) == version_tag;
}

result<record> parse_record(std::string_view text) {
    if (!is_dmarc_record(text)) return permanent_error("the record does not start with v=DMARC1");
    auto tags = read_tags(text);
    if (!tags) return tags.error();

    record r;
    policy_tags state;
    for (const tag& t : *tags)
        if (t.name != "v") read_tag(t, r, state);
    if (!state.p_seen && !state.error) state.error = "p: missing";
    if (state.error) {
        // RFC 9989 4.10.1: with a valid rua, act as if the record said p=none; without one,
        // no DMARC processing.
        if (r.rua.empty()) return permanent_error(*state.error);
        r.p = policy::none;
        r.sp.reset();
        r.np.reset();
        r.p_from_rua = true;
        r.discarded.push_back(*state.error);
    }
    return r;
}

std::string_view to_string(policy p) {
    switch (p) {
    case policy::none:
        return "none";
    case policy::quarantine:
        return "quarantine";
    case policy::reject:
        return "reject";
    }
    return "none";
}

std::string_view to_string(alignment_mode m) {
    return m == alignment_mode::strict ? "s" : "r";
}

} // namespace arcrelay::auth::dmarc
