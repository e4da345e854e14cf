// auth/dkim/key_record_cache.cpp — see key_record_cache.hpp.
#include "auth/dkim/key_record_cache.hpp"

namespace arcrelay::auth::dkim {

result<key_record> key_record_cache::parse(const std::string& txt) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = map_.find(txt); it != map_.end()) {
            order_.splice(order_.end(), order_, it->second.second);
            return it->second.first;
        }
    }
    auto rec = parse_key_record(txt); // outside the lock: the expensive part
    if (!rec || max_entries_ == 0) return rec;
    std::lock_guard lock(mutex_);
    if (map_.count(txt)) return rec;
    if (map_.size() >= max_entries_) {
        map_.erase(order_.front());
        order_.pop_front();
    }
    order_.push_back(txt);
    map_.emplace(txt, std::pair{*rec, std::prev(order_.end())});
    return rec;
}

std::size_t key_record_cache::size() const {
    std::lock_guard lock(mutex_);
    return map_.size();
}

} // namespace arcrelay::auth::dkim
