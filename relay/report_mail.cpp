// relay/report_mail.cpp — see report_mail.hpp.
#include "relay/report_mail.hpp"

#include "mail/base64.hpp"
#include "relay/trace.hpp"

#include <fmt/format.h>

#include <ctime>
#include <span>

namespace arcrelay::relay {

namespace {

constexpr std::size_t base64_line = 76; // RFC 2045 6.8
constexpr std::size_t fold_at = 78;     // RFC 5322 2.1.1 SHOULD

std::string utc_time(std::int64_t t) {
    const auto tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// "Subject: a b c" folded before the words "Submitter:" and "Report-ID:" when longer than
// 78 characters, as RFC 9990 5.2's own example.
std::string subject_field(const report::domain_report& r, const report::report_metadata& meta) {
    const auto id = report::report_id(meta, r);
    const auto flat = "Subject: " + report_subject(r, meta);
    if (flat.size() <= fold_at) return flat;
    return fmt::format("Subject: Report Domain: {}\r\n Submitter: {}\r\n Report-ID: <{}>",
                       r.policy_domain, meta.receiver, id);
}

std::string wrapped_base64(std::string_view data) {
    const auto b64 = mail::base64_encode(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
    std::string out;
    out.reserve(b64.size() + b64.size() / base64_line * 2 + 2);
    for (std::size_t i = 0; i < b64.size(); i += base64_line) {
        out.append(b64, i, base64_line);
        out += "\r\n";
    }
    return out;
}

} // namespace

std::string report_subject(const report::domain_report& r, const report::report_metadata& meta) {
    return fmt::format("Report Domain: {} Submitter: {} Report-ID: <{}>", r.policy_domain,
                       meta.receiver, report::report_id(meta, r));
}

std::string compose_report_mail(const report_mail_input& in) {
    const auto& r = *in.report;
    const auto& meta = *in.meta;
    const auto id = report::report_id(meta, r);
    const auto file = report::report_file_name(meta, r);
    const auto boundary = fmt::format("=_arcrelay_report_{}", id);
    std::uint64_t messages = 0;
    for (const auto& rec : r.records)
        messages += rec.count;
    const auto part_note =
        r.part == 0 ? std::string()
                    : fmt::format("This is part {} of {} of the report for this period (split\r\n"
                                  "to fit the size limit); each part is a complete report.\r\n",
                                  r.part, in.parts);
    std::string m;
    m += fmt::format("From: {}\r\n", meta.email);
    m += fmt::format("To: {}\r\n", in.to);
    m += subject_field(r, meta) + "\r\n";
    m += fmt::format("Date: {}\r\n", format_rfc5322_date(in.date));
    m += fmt::format("Message-ID: <{}.{:08x}@{}>\r\n", id, report::fnv1a(in.to) & 0xffffffffULL,
                     meta.receiver);
    m += "Auto-Submitted: auto-generated\r\n"; // RFC 3834 5
    m += "MIME-Version: 1.0\r\n";
    m += fmt::format("Content-Type: multipart/mixed;\r\n boundary=\"{}\"\r\n", boundary);
    m += "\r\n";
    m += "This is a MIME message: a DMARC aggregate report (RFC 9990).\r\n";
    m += fmt::format("\r\n--{}\r\n", boundary);
    m += "Content-Type: text/plain; charset=us-ascii\r\n";
    m += "Content-Transfer-Encoding: 7bit\r\n\r\n";
    m += fmt::format("DMARC aggregate report (RFC 9990) from {}\r\nabout mail from {}\r\n"
                     "received {} to {}:\r\n{} messages in {} records.\r\n",
                     meta.receiver, r.policy_domain, utc_time(r.when.begin), utc_time(r.when.end),
                     messages, r.records.size());
    m += part_note;
    m += fmt::format("Report-ID: <{}>; the report is the attached file\r\n{}\r\n", id, file);
    m += fmt::format("\r\n--{}\r\n", boundary);
    m += fmt::format("Content-Type: application/gzip;\r\n name=\"{}\"\r\n", file);
    m += "Content-Transfer-Encoding: base64\r\n";
    m += fmt::format("Content-Disposition: attachment;\r\n filename=\"{}\"\r\n\r\n", file);
    m += wrapped_base64(in.gzip);
    m += fmt::format("\r\n--{}--\r\n", boundary);
    return m;
}

} // namespace arcrelay::relay
