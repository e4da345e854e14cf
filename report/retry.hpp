// report/retry.hpp — what one delivery attempt of a report mail does to its delivery row
// (RFC 5321 4.2.1 reply classes): 2xx sent; 4xx or no connection deferred with exponential
// backoff, failed once the attempts run out; 5xx failed, never retried. Pure.
#pragma once

#include "report/store.hpp"

#include <cstdint>
#include <string_view>

namespace arcrelay::report {

struct retry_policy {
    std::int64_t first_delay = 900;  // seconds after the first failed attempt
    std::int64_t max_delay = 21'600; // the backoff doubles up to this
    unsigned max_attempts = 8;       // then the delivery fails
};

// Seconds to wait after the `attempts`-th failed attempt (attempts >= 1): first_delay *
// 2^(attempts-1), at most max_delay.
std::int64_t retry_delay(const retry_policy& p, unsigned attempts);

// `d` after an attempt at `now` answered `code` (the final SMTP reply; 4xx for a connection
// failure) with `text`.
delivery after_attempt(delivery d, int code, std::string_view text, std::int64_t now,
                       const retry_policy& p);

// True when `d` should be tried at `now`: pending, or deferred and due.
bool due(const delivery& d, std::int64_t now);

} // namespace arcrelay::report
