// mail/header_field.cpp — see header_field.hpp.
#include "mail/header_field.hpp"

#include <algorithm>

namespace arcrelay::mail {

namespace {
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
} // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

header_field::header_field(std::string raw) : raw_(std::move(raw)) {
    colon_ = raw_.find(':');
    if (colon_ == std::string::npos) colon_ = raw_.size();
}

header_field header_field::make(std::string_view name, std::string_view value) {
    std::string raw;
    raw.reserve(name.size() + value.size() + 4);
    raw.append(name).append(": ").append(value).append("\r\n");
    return header_field(std::move(raw));
}

std::string_view header_field::name() const {
    std::string_view n(raw_.data(), colon_);
    while (!n.empty() && (n.back() == ' ' || n.back() == '\t'))
        n.remove_suffix(1);
    return n;
}

std::string_view header_field::value() const {
    if (colon_ >= raw_.size()) return {};
    std::string_view v(raw_);
    v.remove_prefix(colon_ + 1);
    if (v.size() >= 2 && v.substr(v.size() - 2) == "\r\n") v.remove_suffix(2);
    return v;
}

} // namespace arcrelay::mail
