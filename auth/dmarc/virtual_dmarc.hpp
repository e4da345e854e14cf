// auth/dmarc/virtual_dmarc.hpp — virtual DMARC verification for authors without a DMARC
// record (draft-akagiri-dmarc-virtual-verification-02 3.2, 4). Used by evaluate().
#pragma once

#include "auth/dmarc/evaluate.hpp"

#include <string_view>

namespace arcrelay::auth::dmarc {

// The parsed virtual_record_text.
const record& virtual_record();

// Fills `out` (header_from already set) for a message whose author has no DMARC record:
// `none` unless the mode is on and a strictly aligned SPF or DKIM pass exists.
void evaluate_virtual(dmarc_result& out, const evaluation_input& input, virtual_dmarc_mode mode,
                      organizational_domains& org, std::string_view no_record);

} // namespace arcrelay::auth::dmarc
