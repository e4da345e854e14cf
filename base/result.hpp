// base/result.hpp — result<T>: a value or a typed error.
//
// STYLE.md: a failed check is a verdict with a reason, not an error; malformed
// input is an error classified temporary or permanent. Exceptions are kept for
// start-up configuration and broken invariants.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <utility>
#include <variant>

namespace arcrelay {

enum class error_kind {
    permanent, // malformed input: retrying will not help
    temporary, // e.g. DNS timeout: the same input may succeed later
};

struct error {
    std::string message;
    error_kind kind = error_kind::permanent;
    std::size_t line = 0; // 1-based input line where known, else 0

    bool temporary() const { return kind == error_kind::temporary; }
};

inline error permanent_error(std::string message, std::size_t line = 0) {
    return error{std::move(message), error_kind::permanent, line};
}
inline error temporary_error(std::string message) {
    return error{std::move(message), error_kind::temporary, 0};
}

template <class T>
class result {
public:
    result(T value) : v_(std::move(value)) {}
    result(arcrelay::error e) : v_(std::move(e)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const arcrelay::error& error() const { return std::get<1>(v_); }

    // For test diagnostics (Boost.Test prints what it checks).
    friend std::ostream& operator<<(std::ostream& os, const result& r) {
        return r.ok() ? os << "ok" : os << "error: " << r.error().message;
    }

private:
    std::variant<T, arcrelay::error> v_;
};

// result<void>
struct ok_t {};
inline constexpr ok_t ok_v{};
using status = result<ok_t>;

} // namespace arcrelay
