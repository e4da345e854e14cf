// tests/integration/dns/scripted_server.cpp — scripted UDP replies built with ldns.
#include "scripted_server.hpp"

#include "dns/ldns_text.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace arcrelay::dns::testing {

scripted_server::scripted_server(std::function<std::vector<datagram>(const datagram&)> script) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("scripted_server: cannot bind 127.0.0.1");
    }
    socklen_t size = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);

    thread_ = std::thread([this, script = std::move(script)] {
        datagram buffer(65535);
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue; // wakes up to see stop_
            sockaddr_in from{};
            socklen_t from_size = sizeof from;
            const ssize_t n = ::recvfrom(fd_, buffer.data(), buffer.size(), 0,
                                         reinterpret_cast<sockaddr*>(&from), &from_size);
            if (n <= 0) continue;
            ++queries_;
            for (const datagram& d : script(datagram(buffer.begin(), buffer.begin() + n))) {
                ::sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&from), from_size);
            }
        }
    });
}

scripted_server::~scripted_server() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
}

datagram make_reply(const datagram& query, const reply_spec& spec) {
    ldns_pkt* parsed = nullptr;
    if (ldns_wire2pkt(&parsed, query.data(), query.size()) != LDNS_STATUS_OK) {
        throw std::runtime_error("make_reply: unparsable query");
    }
    const detail::pkt_ptr packet(parsed);
    ldns_pkt_set_qr(packet.get(), true);
    ldns_pkt_set_ra(packet.get(), true);
    ldns_pkt_set_id(packet.get(),
                    static_cast<std::uint16_t>(ldns_pkt_id(packet.get()) + spec.id_offset));
    ldns_pkt_set_rcode(packet.get(), static_cast<std::uint8_t>(spec.rcode));
    ldns_pkt_set_edns_udp_size(packet.get(), 0);
    if (!spec.qname.empty()) {
        ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(packet.get()), 0);
        ldns_rdf_deep_free(ldns_rr_owner(question));
        ldns_rr_set_owner(question, ldns_dname_new_frm_str(spec.qname.c_str()));
    }
    for (const std::string& text : spec.answers) {
        ldns_rr* rr = nullptr;
        if (ldns_rr_new_frm_str(&rr, text.c_str(), 300, nullptr, nullptr) != LDNS_STATUS_OK) {
            throw std::runtime_error("make_reply: bad RR " + text);
        }
        ldns_pkt_push_rr(packet.get(), LDNS_SECTION_ANSWER, rr);
    }
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    if (ldns_pkt2wire(&wire, packet.get(), &size) != LDNS_STATUS_OK) {
        std::free(wire);
        throw std::runtime_error("make_reply: cannot serialise");
    }
    datagram reply(wire, wire + size);
    std::free(wire);
    return reply;
}

} // namespace arcrelay::dns::testing
