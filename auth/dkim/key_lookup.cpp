// auth/dkim/key_lookup.cpp — RFC 6376 §3.6.2 key retrieval, one resolver round per message.
#include "auth/dkim/key_lookup.hpp"

#include <fmt/format.h>

namespace arcrelay::auth::dkim {

key_map fetch_keys(dns::resolver& resolver, const std::vector<std::string>& names,
                   key_record_cache* cache) {
    key_map out;
    std::vector<dns::question> questions;
    for (const auto& n : names)
        if (out.emplace(n, key_answer{}).second) questions.push_back({n, dns::rr_type::txt});
    if (questions.empty()) return out;
    auto answers = resolver.resolve(questions);
    for (std::size_t i = 0; i < questions.size(); ++i) {
        auto& slot = out[questions[i].name];
        const auto& a = answers[i];
        switch (a.result) {
        case dns::outcome::nxdomain:
        case dns::outcome::nodata:
            slot = {key_status::none, std::nullopt,
                    fmt::format("no key record at {}", questions[i].name)};
            break;
        case dns::outcome::temp_failure:
        case dns::outcome::malformed:
            slot = {key_status::temporary, std::nullopt,
                    fmt::format("key lookup for {} failed temporarily: {}", questions[i].name,
                                a.reason)};
            break;
        case dns::outcome::records: {
            // RFC 6376 §3.6.2.2: with several records, use the first that parses.
            std::string first_error;
            for (const auto& txt : a.records) {
                auto rec = cache ? cache->parse(txt) : parse_key_record(txt);
                if (rec) {
                    slot = {key_status::found, std::move(*rec), {}};
                    break;
                }
                if (first_error.empty()) first_error = rec.error().message;
            }
            if (slot.status != key_status::found)
                slot = {key_status::invalid, std::nullopt, first_error};
            break;
        }
        }
    }
    return out;
}

} // namespace arcrelay::auth::dkim
