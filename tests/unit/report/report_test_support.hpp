// tests/unit/report/report_test_support.hpp — a filled-in row and a scratch directory.
#pragma once

#include "report/row.hpp"

#include <unistd.h>

#include <filesystem>
#include <string>

namespace report_test {

using namespace arcrelay::report;

// A row with every field set, varied by `n` so rows differ.
inline dmarc_row sample_row(int n = 0) {
    dmarc_row r;
    r.time = 1'764'633'600 + n; // 2025-12-02T00:00:00Z + n
    r.source_ip = "192.0.2." + std::to_string(1 + n % 200);
    r.header_from = "example.com";
    r.envelope_from = "bounce.example.com";
    r.envelope_to = "lists.example.org";
    r.policy.domain = "example.com";
    r.policy.p = policy::reject;
    r.policy.sp = policy::quarantine;
    r.policy.adkim = alignment::strict;
    r.policy.discovery_method = discovery::treewalk;
    r.policy.testing = n % 2 == 1;
    r.policy.rua = {"mailto:dmarc@example.com", "mailto:agg@thirdparty.example.net!10m"};
    r.dkim_aligned = false;
    r.spf_aligned = true;
    r.dkim = {{"example.com", "s2026", "fail"}, {"lists.example.net", "arc", "pass"}};
    r.spf = {"bounce.example.com", "mfrom", "pass"};
    r.applied = disposition::none;
    r.reasons = {{override_type::local_policy,
                  "arc=pass as[1].d=lists.example.net as[1].s=arc client-ip[1]=198.51.100.7"}};
    return r;
}

// A fresh directory under /tmp, removed at scope end.
struct scratch_dir {
    std::filesystem::path path;
    scratch_dir() {
        std::string templ = (std::filesystem::temp_directory_path() / "arcrelay-report-XXXXXX");
        path = mkdtemp(templ.data());
    }
    ~scratch_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

} // namespace report_test
