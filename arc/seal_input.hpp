// arc/seal_input.hpp — the data an ARC-Seal signs (RFC 8617 §5.1.1): the ARC sets in
// increasing instance order, each as AAR, AMS, AS, relaxed header canonicalization, the
// seal being made or verified last with its b= value emptied and without its final CRLF.
#pragma once

#include "mail/header_field.hpp"

#include <span>
#include <string>

namespace arcrelay::arc {

struct set_fields {
    const mail::header_field* results = nullptr;
    const mail::header_field* signature = nullptr;
    const mail::header_field* seal = nullptr;
};

// `sets` runs from instance 1 (or, for a cv=fail seal, only the newest set: RFC 8617
// §5.1.2) up to the set whose seal is signed; all pointers must be set.
std::string seal_signing_input(std::span<const set_fields> sets);

} // namespace arcrelay::arc
