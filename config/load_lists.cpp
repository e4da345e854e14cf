// config/load_lists.cpp — [[list]]: the Mailman lists whose mail arcrelay accepts.
//
// RFC 2919 (List-Id), RFC 2369/8058 (List-* fields); DESIGN.md Pipeline steps 1 and 5.
#include "config/load_sections.hpp"
#include "config/recipients.hpp"
#include "config/syntax.hpp"

#include <algorithm>

namespace arcrelay::config::detail {

bool key_covers(const signing_key& key, std::string_view domain) {
    return domain == key.domain ||
           (domain.size() > key.domain.size() && domain.ends_with(key.domain) &&
            domain[domain.size() - key.domain.size() - 1] == '.');
}

namespace {

inline constexpr std::size_t max_subject_prefix_length = 64;
inline constexpr std::size_t max_list_id_length = 255; // RFC 2919 2

// A prefix is inserted into Subject as is: no control characters (CR/LF would inject
// header fields); UTF-8 is fine (RFC 6532).
bool is_subject_prefix(std::string_view prefix) {
    return std::none_of(prefix.begin(), prefix.end(),
                        [](unsigned char c) { return c < 32 || c == 127; });
}

mailbox read_address(table_reader& r, std::string_view key, const std::string& text) {
    auto parsed = parse_mailbox(text);
    if (!parsed) r.fail(key, parsed.error().message);
    return *parsed;
}

mailing_list read_list(table_reader r, const arc_settings& arc) {
    mailing_list l;
    const mailbox address = read_address(r, "address", r.required_string("address"));
    l.address = address.address();
    l.local_part = address.local_part;
    l.domain = address.domain;

    l.bounce_address = l.local_part + "-bounces@" + l.domain;
    if (const auto bounce = r.string("bounce_address"))
        l.bounce_address = read_address(r, "bounce_address", *bounce).address();

    if (const auto prefix = r.string("subject_prefix")) {
        if (prefix->size() > max_subject_prefix_length)
            r.fail("subject_prefix",
                   fmt::format("longer than {} octets", max_subject_prefix_length));
        if (!is_subject_prefix(*prefix))
            r.fail("subject_prefix", "must not contain control characters");
        l.subject_prefix = *prefix;
    }
    read_into(l.verp, r.boolean("verp"));
    read_into(l.list_headers, r.boolean("list_headers"));

    // RFC 2919 2: list-id = list-label "." list-id-namespace (dot-atom-text).
    l.list_id = l.local_part + "." + l.domain;
    if (const auto id = r.string("list_id")) {
        if (id->size() > max_list_id_length || !is_dot_atom(*id) ||
            id->find('.') == std::string::npos)
            r.fail("list_id", "must be LABEL.NAMESPACE (RFC 2919 2), e.g. dev.example.org");
        l.list_id = ascii_lower(*id);
    }

    read_into(l.dkim_sign, r.boolean("dkim_sign"));
    if (l.dkim_sign && std::none_of(arc.keys.begin(), arc.keys.end(),
                                    [&](const auto& k) { return key_covers(k, l.domain); }))
        r.fail("dkim_sign",
               fmt::format("needs an [[arc.key]] with domain {} or a parent of it", l.domain));
    r.finish();
    return l;
}

} // namespace

std::vector<mailing_list> read_lists(std::vector<table_reader> tables, const arc_settings& arc) {
    std::vector<mailing_list> lists;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        mailing_list l = read_list(tables[i], arc);
        // A posting address that is an earlier list's address or service address (or
        // the other way round) would make RCPT TO ambiguous.
        for (std::size_t j = 0; j < lists.size(); ++j) {
            const std::span<const mailing_list> earlier{&lists[j], 1};
            const std::span<const mailing_list> current{&l, 1};
            if (l.address == lists[j].address)
                tables[i].fail("address", fmt::format("duplicate list (list[{}])", j));
            if (match_recipient(earlier, l.address) || match_recipient(current, lists[j].address))
                tables[i].fail("address",
                               fmt::format("clashes with the service addresses of list[{}] ({})", j,
                                           lists[j].address));
        }
        lists.push_back(std::move(l));
    }
    return lists;
}

} // namespace arcrelay::config::detail
