// config/warnings.cpp — see warnings.hpp.
#include "config/warnings.hpp"

#include <algorithm>

namespace arcrelay::config {

std::vector<std::string> warnings(const configuration& config) {
    std::vector<std::string> out;
    const auto& keys = config.arc.keys;
    const bool has_rsa = std::any_of(keys.begin(), keys.end(), [](const signing_key& k) {
        return k.algorithm == signing_algorithm::rsa_sha256;
    });
    // arc-multi 5.1: an ARC set is added to the chain of its own algorithm only.
    if (!keys.empty() && !has_rsa)
        out.push_back(
            "arc.key: no rsa-sha256 key: the seals will never extend the rsa-sha256 ARC "
            "chains that every provider writes today (draft-ietf-dmarc-arc-multi 5.1); add an "
            "rsa-sha256 [[arc.key]]");
    return out;
}

} // namespace arcrelay::config
