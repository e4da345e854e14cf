// report/retry.cpp — see retry.hpp.
#include "report/retry.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arcrelay::report {

std::int64_t retry_delay(const retry_policy& p, unsigned attempts) {
    std::int64_t delay = std::max<std::int64_t>(p.first_delay, 1);
    for (unsigned i = 1; i < attempts && delay < p.max_delay; ++i)
        delay *= 2;
    return std::min(delay, p.max_delay);
}

delivery after_attempt(delivery d, int code, std::string_view text, std::int64_t now,
                       const retry_policy& p) {
    ++d.attempts;
    d.updated = now;
    if (code >= 200 && code < 300) {
        d.state = delivery_state::sent;
        d.last_error.clear();
        d.next_attempt = 0;
        return d;
    }
    d.last_error = fmt::format("{} {}", code, text);
    if (code >= 400 && code < 500 && d.attempts < p.max_attempts) {
        d.state = delivery_state::deferred;
        d.next_attempt = now + retry_delay(p, d.attempts);
        return d;
    }
    if (code >= 400 && code < 500)
        d.last_error = fmt::format("{} (gave up after {} attempts)", d.last_error, d.attempts);
    d.state = delivery_state::failed;
    d.next_attempt = 0;
    return d;
}

bool due(const delivery& d, std::int64_t now) {
    return d.state == delivery_state::pending ||
           (d.state == delivery_state::deferred && d.next_attempt <= now);
}

} // namespace arcrelay::report
