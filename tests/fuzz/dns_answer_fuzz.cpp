// tests/fuzz/dns_answer_fuzz.cpp — the stub resolver's answer handling (dns/message.hpp), as
// network_resolver runs it on every datagram: check_response (RFC 5452 §9.1 matching), then
// read_response (RFC 1034 §3.6.2 CNAMEs, RFC 2308 negative answers). Byte 0 picks the query
// type; the message id of the input is forced to the query's so most inputs get parsed.
#include "dns/message.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <cstdlib>

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace arcrelay::dns;
    if (size < 1) return 0;
    static constexpr rr_type types[] = {rr_type::txt, rr_type::a, rr_type::aaaa, rr_type::mx,
                                        rr_type::ptr};
    const rr_type type = types[data[0] % std::size(types)];
    constexpr std::uint16_t id = 0x5a17;
    auto q = detail::build_query("selector._domainkey.example.com", type, id, 1232);
    if (!q) std::abort();
    std::vector<std::uint8_t> wire(data + 1, data + size);
    if (wire.size() >= 2) {
        wire[0] = id >> 8;
        wire[1] = id & 0xff;
    }
    auto checked = detail::check_response(wire, *q);
    if (checked.result != detail::verdict::answer) return 0;
    if (!checked.packet) std::abort(); // verdict::answer promises a packet
    (void)detail::read_response(checked.packet.get(), *q, max_cname_chain);
    return 0;
}
