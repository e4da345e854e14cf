// report/xml_report.cpp — RFC 9990 XML through libxml2's xmlTextWriter, gzip through zlib.
#include "report/xml_report.hpp"

#include <fmt/format.h>
#include <libxml/xmlwriter.h>
#include <zlib.h>

#include <array>
#include <memory>

namespace arcrelay::report {

namespace {

constexpr int gzip_window_bits = 15 + 16; // zlib: 15-bit window, gzip wrapper (RFC 1952)
constexpr int gzip_memory_level = 8;

const xmlChar* x(const char* s) {
    return reinterpret_cast<const xmlChar*>(s);
}

// Writes elements; after the first libxml2 failure every call is a no-op and ok() is false.
class element_writer {
public:
    explicit element_writer(xmlTextWriterPtr w) : w_(w) {}

    void start(const char* name) { check(xmlTextWriterStartElement(w_, x(name))); }
    void start_ns(const char* name, std::string_view ns) {
        const std::string uri(ns);
        check(xmlTextWriterStartElementNS(w_, nullptr, x(name), x(uri.c_str())));
    }
    void end() { check(xmlTextWriterEndElement(w_)); }
    void text(const char* name, std::string_view value) {
        const std::string v(value);
        check(xmlTextWriterWriteElement(w_, x(name), x(v.c_str())));
    }
    bool ok() const { return ok_; }

private:
    void check(int rc) { ok_ = ok_ && rc >= 0; }
    xmlTextWriterPtr w_;
    bool ok_ = true;
};

std::string_view pass_fail(bool pass) {
    return pass ? "pass" : "fail";
}

void write_metadata(element_writer& w, const domain_report& r, const report_metadata& meta) {
    w.start("report_metadata");
    w.text("org_name", meta.org_name);
    w.text("email", meta.email);
    w.text("report_id", report_id(meta, r));
    w.start("date_range");
    w.text("begin", std::to_string(r.when.begin));
    w.text("end", std::to_string(r.when.end - 1));
    w.end();
    w.text("generator", meta.generator);
    w.end();
}

// RFC 9990 3.1.1 policy_published, every tag spelled out (defaults included).
void write_policy(element_writer& w, const published_policy& p) {
    w.start("policy_published");
    w.text("domain", p.domain);
    w.text("p", to_string(p.p));
    if (p.sp) w.text("sp", to_string(*p.sp));
    if (p.np) w.text("np", to_string(*p.np));
    w.text("adkim", to_string(p.adkim));
    w.text("aspf", to_string(p.aspf));
    w.text("discovery_method", to_string(p.discovery_method));
    w.text("fo", p.fo);
    w.text("testing", p.testing ? "y" : "n");
    w.end();
}

void write_record(element_writer& w, const aggregate_record& rec) {
    const auto& row = rec.row;
    w.start("record");
    w.start("row");
    w.text("source_ip", row.source_ip);
    w.text("count", std::to_string(rec.count));
    w.start("policy_evaluated");
    w.text("disposition", to_string(row.applied));
    w.text("dkim", pass_fail(row.dkim_aligned));
    w.text("spf", pass_fail(row.spf_aligned));
    for (const auto& reason : row.reasons) {
        w.start("reason");
        w.text("type", to_string(reason.type));
        if (!reason.comment.empty()) w.text("comment", reason.comment);
        w.end();
    }
    w.end(); // policy_evaluated
    w.end(); // row
    w.start("identifiers");
    w.text("header_from", row.header_from);
    if (!row.envelope_from.empty()) w.text("envelope_from", row.envelope_from);
    if (!row.envelope_to.empty()) w.text("envelope_to", row.envelope_to);
    w.end();
    w.start("auth_results");
    for (const auto& d : row.dkim) {
        w.start("dkim");
        w.text("domain", d.domain);
        w.text("selector", d.selector);
        w.text("result", d.result);
        w.end();
    }
    w.start("spf");
    w.text("domain", row.spf.domain);
    w.text("scope", row.spf.scope);
    w.text("result", row.spf.result);
    w.end();
    w.end(); // auth_results
    w.end(); // record
}

} // namespace

std::uint64_t fnv1a(std::string_view data) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : data) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string report_id(const report_metadata& meta, const domain_report& r) {
    const auto id =
        fmt::format("{:016x}", fnv1a(fmt::format("{}\n{}\n{}\n{}", meta.receiver, r.policy_domain,
                                                 r.when.begin, r.when.end)));
    return r.part == 0 ? id : fmt::format("{}p{}", id, r.part);
}

result<std::string> write_report_xml(const domain_report& r, const report_metadata& meta) {
    std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), xmlBufferFree);
    if (!buffer) return permanent_error("libxml2: cannot allocate a buffer");
    std::unique_ptr<xmlTextWriter, decltype(&xmlFreeTextWriter)> writer(
        xmlNewTextWriterMemory(buffer.get(), 0), xmlFreeTextWriter);
    if (!writer) return permanent_error("libxml2: cannot create a writer");
    xmlTextWriterSetIndent(writer.get(), 1);
    element_writer w(writer.get());
    const bool started = xmlTextWriterStartDocument(writer.get(), nullptr, "UTF-8", nullptr) >= 0;
    w.start_ns("feedback", dmarc_namespace);
    w.text("version", report_format_version);
    write_metadata(w, r, meta);
    write_policy(w, r.policy);
    for (const auto& rec : r.records)
        write_record(w, rec);
    w.end();
    const bool ended = xmlTextWriterEndDocument(writer.get()) >= 0;
    if (!started || !w.ok() || !ended)
        return permanent_error(
            fmt::format("libxml2 could not write the report for {}", r.policy_domain));
    writer.reset(); // flushes into the buffer
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                       static_cast<std::size_t>(xmlBufferLength(buffer.get())));
}

result<std::string> gzip(std::string_view data) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, gzip_window_bits, gzip_memory_level,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return permanent_error("zlib: deflateInit2 failed");
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    const auto written = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return permanent_error("zlib: deflate did not finish");
    out.resize(written);
    return out;
}

std::string report_file_name(const report_metadata& meta, const domain_report& r) {
    return fmt::format("{}!{}!{}!{}!{}.xml.gz", meta.receiver, r.policy_domain, r.when.begin,
                       r.when.end - 1, report_id(meta, r));
}

} // namespace arcrelay::report
