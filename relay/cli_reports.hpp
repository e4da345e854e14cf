// relay/cli_reports.hpp — `arcrelay reports status|show DOMAIN|send`: what the DMARC report
// store holds, what will be reported, and the RFC 9990 report files of every finished period.
#pragma once

namespace arcrelay::relay {

// arcrelay reports status --config FILE
// arcrelay reports show DOMAIN --config FILE
// arcrelay reports send --config FILE (--out DIR | --dry-run) [--timestamp T]
// Exit status: 0 done; 1 the store or a file could not be read or written; 2 usage error or
// bad configuration. Mailing reports is not in this version: send needs --out or --dry-run.
int run_reports(int argc, char** argv);

} // namespace arcrelay::relay
