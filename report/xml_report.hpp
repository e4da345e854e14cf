// report/xml_report.hpp — the RFC 9990 aggregate report document (namespace
// urn:ietf:params:xml:ns:dmarc-2.0, the XSD of tests/data/dmarc-reports), its gzip form and
// its file name. Written with libxml2's xmlTextWriter (escaping is the library's), gzip'd
// with zlib. Pure: no clock, no files.
#pragma once

#include "base/result.hpp"
#include "report/aggregate.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace arcrelay::report {

inline constexpr std::string_view dmarc_namespace = "urn:ietf:params:xml:ns:dmarc-2.0";
inline constexpr std::string_view report_format_version = "1.0";

struct report_metadata {
    std::string org_name;  // report_metadata/org_name
    std::string email;     // report_metadata/email
    std::string receiver;  // the reporting host, first part of the file name
    std::string generator; // e.g. "arcrelay 0.1.0"
};

// FNV-1a, 64 bits: a stable hash (the same on every build and host), not a secret.
std::uint64_t fnv1a(std::string_view data);

// A stable Report-ID for (receiver, policy domain, period): the same report built again (a
// retry) has the same id; 16 lower-case hex digits (RFC 9990 5.1 unique-id is ALPHA / DIGIT),
// followed by "p<n>" for part n of a split report.
std::string report_id(const report_metadata& meta, const domain_report& r);

// The XML document. date_range/end is the last second of the period (inclusive, as the
// RFC's sample). Error (permanent): libxml2 refused to write (e.g. text that is not UTF-8).
result<std::string> write_report_xml(const domain_report& r, const report_metadata& meta);

// gzip (RFC 1952) of `data`. Error (permanent): zlib failed.
result<std::string> gzip(std::string_view data);

// "receiver!policy-domain!begin!end!unique-id.xml.gz" (RFC 9990 5.1), begin and end as in
// date_range.
std::string report_file_name(const report_metadata& meta, const domain_report& r);

} // namespace arcrelay::report
