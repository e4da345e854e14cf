// dns/static_zone.cpp — in-memory resolver from RFC 1035 master files (RFC 1035 5, via ldns),
// with NXDOMAIN / NODATA as an authoritative server answers them (RFC 2308 2, RFC 8020).
#include "dns/static_zone.hpp"

#include "dns/ldns_text.hpp"
#include "dns/name.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <utility>

namespace arcrelay::dns {
namespace {

struct file_closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// The names ldns_rr_new_frm_fp_l replaces as it reads ($ORIGIN, the previous owner).
struct reader_names {
    ldns_rdf* origin = nullptr;
    ldns_rdf* previous = nullptr;
    reader_names() = default;
    reader_names(const reader_names&) = delete;
    reader_names& operator=(const reader_names&) = delete;
    ~reader_names() {
        if (origin) ldns_rdf_deep_free(origin);
        if (previous) ldns_rdf_deep_free(previous);
    }
};

std::uint16_t type_number(rr_type type) {
    return static_cast<std::uint16_t>(type);
}

// The 1-based line of the entry ldns failed on, from how far it had read: the line whose newline
// it consumed last (or the unterminated last line), less any blank lines it skipped after.
std::size_t error_line(std::string_view text, long consumed) {
    const std::string_view read = text.substr(0, static_cast<std::size_t>(std::max(consumed, 0L)));
    if (!read.empty() && read.size() == text.size() && read.back() != '\n') {
        return static_cast<std::size_t>(std::count(read.begin(), read.end(), '\n')) + 1;
    }
    std::string_view before = read; // ends with the newline of the failing line or a blank one
    auto last_line = [](std::string_view t) {
        t.remove_suffix(t.empty() ? 0 : 1);
        const std::size_t nl = t.rfind('\n');
        return nl == std::string_view::npos ? t : t.substr(nl + 1);
    };
    auto blank = [](std::string_view l) {
        return l.find_first_not_of(" \t\r") == std::string_view::npos;
    };
    while (!before.empty() && blank(last_line(before))) {
        before.remove_suffix(last_line(before).size() + 1);
    }
    return std::max<std::size_t>(std::count(before.begin(), before.end(), '\n'), 1);
}

} // namespace

result<static_zone> static_zone::parse_master_file(std::string_view text, std::string_view origin) {
    static_zone zone;
    if (text.empty()) return zone;

    // ldns reads RRs from a FILE*; fmemopen only reads the buffer.
    std::string buffer(text);
    const std::unique_ptr<std::FILE, file_closer> file(fmemopen(buffer.data(), buffer.size(), "r"));
    if (!file)
        return permanent_error(std::string("cannot open zone text: ") + std::strerror(errno));

    reader_names names;
    names.origin = ldns_dname_new_frm_str(std::string(origin).c_str());
    if (!names.origin)
        return permanent_error("invalid zone origin \"" + std::string(origin) + "\"");

    bool soa_seen = false;
    auto take = [&zone, &soa_seen](const ldns_rr* rr) {
        const std::string name = detail::dname_text(ldns_rr_owner(rr));
        const ldns_rr_type type = ldns_rr_get_type(rr);
        if (type == LDNS_RR_TYPE_CNAME && ldns_rr_rd_count(rr) == 1) {
            zone.add_cname(name, detail::dname_text(ldns_rr_rdf(rr, 0)), ldns_rr_ttl(rr));
            return;
        }
        if (type == LDNS_RR_TYPE_SOA && !std::exchange(soa_seen, true)) {
            zone.negative_ttl_ = detail::negative_ttl(rr).value_or(default_negative_ttl);
        }
        // Types we do not answer, and rdata we cannot render, still make the owner exist.
        std::string text = detail::answer_type(type) ? detail::record_text(rr).value_or("") : "";
        zone.owner(name).records.push_back({static_cast<std::uint16_t>(type),
                                            detail::mx_preference(rr), ldns_rr_ttl(rr),
                                            std::move(text)});
        ++zone.record_count_;
    };

    // RFC 1035 5.1: one entry at a time; ldns handles $ORIGIN, $TTL, parentheses, comments and
    // owner-less lines (names.previous). Reading RR by RR also frees everything on errors.
    std::uint32_t ttl = default_ttl;
    int newlines_read = 0; // ldns wants a counter; error lines come from the read position
    while (!std::feof(file.get())) {
        ldns_rr* parsed = nullptr;
        const ldns_status status = ldns_rr_new_frm_fp_l(&parsed, file.get(), &ttl, &names.origin,
                                                        &names.previous, &newlines_read);
        const detail::rr_ptr rr(parsed);
        switch (status) {
        case LDNS_STATUS_OK:
            take(rr.get());
            break;
        case LDNS_STATUS_SYNTAX_EMPTY:
        case LDNS_STATUS_SYNTAX_TTL:
        case LDNS_STATUS_SYNTAX_ORIGIN:
            break;
        case LDNS_STATUS_SYNTAX_INCLUDE:
            // Zone text must not open other files.
            return permanent_error("zone file: $INCLUDE is not supported",
                                   error_line(text, std::ftell(file.get())));
        default:
            return permanent_error(std::string("zone file: ") + ldns_get_errorstr_by_id(status),
                                   error_line(text, std::ftell(file.get())));
        }
    }
    return zone;
}

result<static_zone> static_zone::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return permanent_error("cannot read zone file " + path + ": " + std::strerror(errno));
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto zone = parse_master_file(text);
    if (!zone) {
        const arcrelay::error& e = zone.error();
        return permanent_error(path + ": " + e.message, e.line);
    }
    return zone;
}

static_zone::node& static_zone::owner(std::string_view name) {
    std::string key = canonical_name(name);
    // Every proper ancestor exists from now on (an empty non-terminal unless it has records).
    for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1)) {
        non_terminals_.insert(key.substr(dot + 1));
    }
    if (!key.empty()) non_terminals_.insert(std::string()); // the root
    return nodes_[std::move(key)];
}

void static_zone::add(std::string name, rr_type type, std::string record_text, std::uint32_t ttl) {
    owner(name).records.push_back({type_number(type), 0, ttl, std::move(record_text)});
    ++record_count_;
}

void static_zone::add_mx(std::string name, std::uint16_t preference, std::string exchange,
                         std::uint32_t ttl) {
    owner(name).records.push_back(
        {type_number(rr_type::mx), preference, ttl, canonical_name(exchange)});
    ++record_count_;
}

void static_zone::add_cname(std::string name, std::string target, std::uint32_t ttl) {
    owner(name).cname = cname_target{canonical_name(target), ttl};
    ++record_count_;
}

void static_zone::simulate_timeout(std::string name) {
    faults_[canonical_name(name)] = fault::timeout;
}
void static_zone::simulate_servfail(std::string name) {
    faults_[canonical_name(name)] = fault::servfail;
}
void static_zone::simulate_malformed(std::string name) {
    faults_[canonical_name(name)] = fault::malformed;
}

answer static_zone::fault_answer(fault f, const std::string& name) const {
    switch (f) {
    case fault::timeout:
        return {outcome::temp_failure, {}, "DNS timeout (simulated) for " + name};
    case fault::servfail:
        return {outcome::temp_failure, {}, "SERVFAIL (simulated) for " + name};
    case fault::malformed:
        return {outcome::malformed, {}, "malformed DNS answer (simulated) for " + name};
    }
    return {outcome::temp_failure, {}, "unknown simulated fault for " + name};
}

answer static_zone::lookup(const question& q) const {
    std::string name = canonical_name(q.name);
    std::uint32_t ttl = std::numeric_limits<std::uint32_t>::max();
    for (std::size_t aliases = 0;; ++aliases) {
        if (auto f = faults_.find(name); f != faults_.end()) return fault_answer(f->second, name);
        const auto it = nodes_.find(name);
        if (it == nodes_.end()) {
            const bool exists = non_terminals_.contains(name);
            return {exists ? outcome::nodata : outcome::nxdomain, {}, {}, negative_ttl_};
        }
        const node& n = it->second;
        if (n.cname) {
            if (aliases == max_cname_chain) {
                return {outcome::temp_failure, {}, "CNAME chain too long at " + name};
            }
            ttl = std::min(ttl, n.cname->ttl);
            name = n.cname->name;
            continue;
        }
        std::vector<const record*> matching;
        for (const record& r : n.records) {
            if (r.type == type_number(q.type)) matching.push_back(&r);
        }
        if (matching.empty()) return {outcome::nodata, {}, {}, negative_ttl_};
        // RFC 5321 5.1: MX hosts are tried in order of preference (ties keep zone order).
        std::stable_sort(matching.begin(), matching.end(), [](const record* a, const record* b) {
            return a->preference < b->preference;
        });
        answer a{outcome::records, {}, {}, ttl};
        for (const record* r : matching) {
            a.records.push_back(r->text);
            a.ttl = std::min(a.ttl, r->ttl);
        }
        return a;
    }
}

std::vector<answer> static_zone::resolve(std::span<const question> questions) {
    std::vector<answer> answers;
    answers.reserve(questions.size());
    for (const question& q : questions)
        answers.push_back(lookup(q));
    return answers;
}

} // namespace arcrelay::dns
