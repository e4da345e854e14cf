// bench/support/corpus.hpp — the benchmark corpus (shared/bench/corpus, format
// arc-bench-corpus/1): messages with their envelope and expected verdicts, the DNS zone
// and the relay's sealing keys. Read once at start-up; nothing here is timed.
#pragma once

#include "dns/static_zone.hpp"
#include "relay/message_checks.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace arcrelay::bench {

struct corpus_message {
    std::string id;                          // "20k-s6"
    std::string size_class;                  // "2k", "20k", "200k", "2m"
    std::string scenario;                    // "s1".."s8" (bench) or "b1".."b5" (conformance)
    std::string role;                        // "bench" or "conformance"
    std::size_t arc_sets = 0;                // prior ARC instances (manifest arc_instances)
    std::vector<std::string> arc_algorithms; // algorithms of the prior chain
    relay::envelope envelope;                // as the relay receives it
    std::vector<std::string> expected_dkim;  // one result per DKIM-Signature, header order
    std::string expected_arc;                // "pass", "fail", "none"
    std::string raw;                         // the message bytes (CRLF)
};

struct corpus {
    std::filesystem::path root;                    // the manifest's folder
    bool complete = false;                         // true: every size class (shared corpus present)
    std::string authserv_id;                       // the relay under test
    std::string list_address;                      // bench@lists.example.org
    std::string relay_domain;                      // d= of our seals
    std::vector<config::signing_key> sealing_keys; // rsa-sha256 and ed25519-sha256
    std::vector<corpus_message> messages;
    std::uint64_t signing_time = 0; // t= of every signature in the corpus
    dns::static_zone zone;
};

// The shared corpus (`shared_dir`/manifest.json) when present, else the 2k messages kept
// in the repository (tests/data/arc/bench-corpus, zone tests/data/dns/bench-corpus-zone.txt).
// Throws std::runtime_error naming the file that is missing or malformed (start-up).
corpus load_corpus(const std::filesystem::path& shared_dir,
                   const std::filesystem::path& source_dir);

} // namespace arcrelay::bench
