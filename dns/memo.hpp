// dns/memo.hpp — memo_resolver: one message's view of DNS. Every question is sent upstream at
// most once per memo and later askers get the same answer, temporary failures included, so a
// message is judged on one consistent snapshot and an unanswered name costs one timeout, not
// one per check that needs it. It also lets a caller ask the first questions of every check
// in one concurrent round and then run the checks one after another (DESIGN.md: all DNS
// lookups of a message start concurrently).
#pragma once

#include "dns/resolver.hpp"

#include <map>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace arcrelay::dns {

class memo_resolver final : public resolver {
public:
    // `upstream` must outlive this object.
    explicit memo_resolver(resolver& upstream) : upstream_(upstream) {}

    // Questions answered before come from the memo; the others (each distinct one once) go
    // upstream in one call. Thread-safe; two threads asking a new question at the same time
    // may both send it.
    std::vector<answer> resolve(std::span<const question> questions) override;

    std::size_t size() const;

private:
    using key = std::pair<std::string, rr_type>; // canonical name, type
    static key key_of(const question& q);

    resolver& upstream_;
    mutable std::mutex mutex_;
    std::map<key, answer> answers_;
};

} // namespace arcrelay::dns
