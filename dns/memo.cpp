// dns/memo.cpp — per-message answer memo.
#include "dns/memo.hpp"

#include "dns/name.hpp"

#include <algorithm>

namespace arcrelay::dns {

memo_resolver::key memo_resolver::key_of(const question& q) {
    return {canonical_name(q.name), q.type};
}

std::size_t memo_resolver::size() const {
    const std::lock_guard lock(mutex_);
    return answers_.size();
}

std::vector<answer> memo_resolver::resolve(std::span<const question> questions) {
    std::vector<key> keys;
    keys.reserve(questions.size());
    std::vector<question> missing;
    std::vector<key> missing_keys;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& q : questions) {
            keys.push_back(key_of(q));
            const auto& k = keys.back();
            if (answers_.contains(k)) continue;
            if (std::find(missing_keys.begin(), missing_keys.end(), k) != missing_keys.end())
                continue;
            missing_keys.push_back(k);
            missing.push_back(q);
        }
    }
    std::vector<answer> fresh;
    if (!missing.empty()) fresh = upstream_.resolve(missing);
    std::vector<answer> out;
    out.reserve(questions.size());
    const std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < missing_keys.size() && i < fresh.size(); ++i)
        answers_.try_emplace(missing_keys[i], std::move(fresh[i]));
    for (const auto& k : keys) {
        const auto found = answers_.find(k);
        out.push_back(found != answers_.end()
                          ? found->second
                          : answer{outcome::temp_failure, {}, "no answer from the resolver"});
    }
    return out;
}

} // namespace arcrelay::dns
