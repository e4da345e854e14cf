// relay/reply_mapping.cpp — see reply_mapping.hpp.
#include "relay/reply_mapping.hpp"

#include <fmt/format.h>

#include <vector>

namespace arcrelay::relay {

smtp::reply map_next_hop_replies(std::span<const smtp::delivery_result> results) {
    std::vector<const smtp::reply*> all;
    for (const auto& r : results) {
        if (r.recipients.empty()) { // no per-recipient detail: the overall reply counts once
            all.push_back(&r.overall);
            continue;
        }
        for (const auto& rr : r.recipients)
            all.push_back(&rr);
    }
    if (all.empty()) return smtp::make_reply(451, {4, 3, 0}, "Next hop gave no answer");

    std::size_t accepted = 0;
    const smtp::reply* first_transient = nullptr;
    const smtp::reply* first_permanent = nullptr;
    for (const auto* r : all) {
        if (r->positive()) {
            ++accepted;
        } else if (r->transient()) {
            if (!first_transient) first_transient = r;
        } else if (!first_permanent) {
            first_permanent = r;
        }
    }
    if (accepted == all.size()) {
        if (results.size() == 1 && results.front().overall.positive()) {
            auto ok = results.front().overall;
            ok.status_on_wire = true;
            return ok;
        }
        return smtp::make_reply(250, {2, 0, 0}, "Delivered to the next hop");
    }
    if (accepted == 0 && (!first_transient || !first_permanent)) {
        const auto& r = first_transient ? *first_transient : *first_permanent;
        // RFC 5321 §3.8: 421 means "I am closing this connection" — true of the next hop's
        // connection, not of ours; the client gets a plain temporary failure instead.
        if (r.code == 421)
            return smtp::make_reply(451, {4, 4, 2},
                                    "Next hop closed the connection, try again later");
        return r;
    }
    if (first_transient)
        return smtp::make_reply(
            451, {4, 3, 0},
            fmt::format("Next hop deferred {} of {} recipients, try again later",
                        all.size() - accepted, all.size()));
    auto refusal = *first_permanent;
    refusal.lines = {
        fmt::format("Next hop refused {} of {} recipients: {}", all.size() - accepted, all.size(),
                    first_permanent->lines.empty() ? "" : first_permanent->lines.front())};
    return refusal;
}

} // namespace arcrelay::relay
