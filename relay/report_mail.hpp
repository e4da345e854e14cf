// relay/report_mail.hpp — the mail that carries one DMARC aggregate report (RFC 9990 5.2
// "Email"): From the reporting address, To the rua destination, the Subject ABNF of 5.2
// with the Report-ID that the XML and the file name carry, Auto-Submitted: auto-generated
// (RFC 3834 5), a Message-ID built from the Report-ID (5.2 allows it; a re-send has the same
// one), MIME multipart/mixed (RFC 2046 5.1.3) with a short text/plain part and the report
// as application/gzip (RFC 6713) in base64 lines of 76 characters (RFC 2045 6.8).
// Pure: the date and the gzip'd report come in.
#pragma once

#include "report/aggregate.hpp"
#include "report/xml_report.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace arcrelay::relay {

struct report_mail_input {
    const report::domain_report* report = nullptr;
    const report::report_metadata* meta = nullptr;
    std::string_view to;    // the destination mailbox (rua address)
    std::string_view gzip;  // the gzip'd XML (report::gzip of write_report_xml)
    std::uint64_t date = 0; // UTC seconds for the Date field
    unsigned parts = 1;     // how many parts the report was split into (for the text part)
};

// The whole message, CRLF line ends, unsigned.
std::string compose_report_mail(const report_mail_input& in);

// "Report Domain: D Submitter: S Report-ID: <ID>" (RFC 9990 5.2 dmarc-subject), unfolded.
std::string report_subject(const report::domain_report& r, const report::report_metadata& meta);

} // namespace arcrelay::relay
