// relay/cli_reports.hpp — `arcrelay reports status|show DOMAIN|send`: what the DMARC report
// store holds, what will be reported, and the RFC 9990 report files of every finished period.
#pragma once

namespace arcrelay::relay {

// arcrelay reports status --config FILE
// arcrelay reports show DOMAIN --config FILE
// arcrelay reports send --config FILE [--out DIR | --dry-run] [--timestamp T]
// Exit statuses: cli_usage.cpp's table ("reports").
int run_reports(int argc, char** argv);

} // namespace arcrelay::relay
