// Tests for dns/message: query building, response matching (RFC 5452 9.1) and answer reading
// (RCODEs, CNAME chains, negative TTLs), with messages crafted through ldns.
#include "dns/message.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>
#include <vector>

using namespace arcrelay::dns;
using namespace arcrelay::dns::detail;

namespace {

struct response_spec {
    std::uint16_t id = 0x1234;
    std::string qname = "example.com.";
    std::string qtype = "TXT";
    std::string qclass = "IN";
    ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR;
    std::vector<std::string> answers;
    std::vector<std::string> authority;
    bool qr = true;
};

void push_rrs(ldns_pkt* packet, ldns_pkt_section section, const std::vector<std::string>& rrs) {
    for (const std::string& text : rrs) {
        ldns_rr* rr = nullptr;
        BOOST_TEST_REQUIRE(
            ldns_rr_new_frm_str(&rr, text.c_str(), 3600, nullptr, nullptr) == LDNS_STATUS_OK, text);
        ldns_pkt_push_rr(packet, section, rr);
    }
}

pkt_ptr make_packet(const response_spec& spec) {
    pkt_ptr packet(ldns_pkt_new());
    ldns_pkt_set_id(packet.get(), spec.id);
    ldns_pkt_set_qr(packet.get(), spec.qr);
    ldns_pkt_set_rd(packet.get(), true);
    ldns_pkt_set_rcode(packet.get(), spec.rcode);
    ldns_rr* question = nullptr;
    const std::string q = spec.qname + " " + spec.qclass + " " + spec.qtype;
    BOOST_TEST_REQUIRE(ldns_rr_new_question_frm_str(&question, q.c_str(), nullptr, nullptr) ==
                       LDNS_STATUS_OK);
    ldns_pkt_push_rr(packet.get(), LDNS_SECTION_QUESTION, question);
    push_rrs(packet.get(), LDNS_SECTION_ANSWER, spec.answers);
    push_rrs(packet.get(), LDNS_SECTION_AUTHORITY, spec.authority);
    return packet;
}

std::vector<std::uint8_t> to_wire(const ldns_pkt* packet) {
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    BOOST_TEST_REQUIRE(ldns_pkt2wire(&wire, packet, &size) == LDNS_STATUS_OK);
    std::vector<std::uint8_t> bytes(wire, wire + size);
    std::free(wire);
    return bytes;
}

query txt_query(std::string name = "example.com") {
    auto q = build_query(name, rr_type::txt, 0x1234, 1232);
    BOOST_TEST_REQUIRE(q.has_value());
    return std::move(*q);
}

reading read(const response_spec& spec, const query& q, std::size_t aliases_left = 8) {
    const pkt_ptr packet = make_packet(spec);
    return read_response(packet.get(), q, aliases_left);
}

} // namespace

BOOST_AUTO_TEST_SUITE(message_test)

BOOST_AUTO_TEST_CASE(queries_carry_id_question_rd_and_edns) {
    const query q = txt_query("Example.COM");
    ldns_pkt* parsed = nullptr;
    BOOST_TEST_REQUIRE(ldns_wire2pkt(&parsed, q.wire.data(), q.wire.size()) == LDNS_STATUS_OK);
    const pkt_ptr packet(parsed);
    BOOST_TEST(ldns_pkt_id(packet.get()) == 0x1234);
    BOOST_TEST(ldns_pkt_rd(packet.get()));
    BOOST_TEST(!ldns_pkt_qr(packet.get()));
    BOOST_TEST(ldns_pkt_qdcount(packet.get()) == 1);
    const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(packet.get()), 0);
    BOOST_TEST(dname_text(ldns_rr_owner(question)) == "example.com");
    BOOST_TEST(ldns_rr_get_type(question) == LDNS_RR_TYPE_TXT);
    BOOST_TEST(ldns_pkt_edns_udp_size(packet.get()) == 1232);

    auto plain = build_query("example.com", rr_type::mx, 7, 0);
    BOOST_TEST_REQUIRE(plain.has_value());
    BOOST_TEST(plain->wire.size() == 12u + 13u + 4u); // header, name, type and class; no OPT

    set_query_id(*plain, 0xabcd);
    BOOST_TEST(plain->id == 0xabcd);
    BOOST_TEST(plain->wire[0] == 0xab);
    BOOST_TEST(plain->wire[1] == 0xcd);
}

BOOST_AUTO_TEST_CASE(invalid_names_build_no_query) {
    BOOST_TEST(!build_query("a..example.com", rr_type::a, 1, 0).has_value());
    BOOST_TEST(!build_query(std::string(64, 'x') + ".example.com", rr_type::a, 1, 0).has_value());
    std::string long_name;
    for (int i = 0; i < 60; ++i)
        long_name += "abcd.";
    BOOST_TEST(!build_query(long_name + "com", rr_type::a, 1, 0).has_value()); // > 255 octets
    BOOST_TEST(build_query(std::string(63, 'x') + ".example.com", rr_type::a, 1, 0).has_value());
}

BOOST_AUTO_TEST_CASE(only_matching_responses_are_accepted) {
    const query q = txt_query();
    BOOST_TEST((check_response(to_wire(make_packet({}).get()), q).result == verdict::answer));
    // 0x20 case differences are the same name.
    response_spec upper;
    upper.qname = "EXAMPLE.com.";
    BOOST_TEST((check_response(to_wire(make_packet(upper).get()), q).result == verdict::answer));

    response_spec other_id;
    other_id.id = 0x1235;
    response_spec other_name;
    other_name.qname = "example.net.";
    response_spec other_type;
    other_type.qtype = "A";
    response_spec other_class;
    other_class.qclass = "CH";
    response_spec not_a_response;
    not_a_response.qr = false;
    for (const response_spec& spec :
         {other_id, other_name, other_type, other_class, not_a_response}) {
        BOOST_TEST(
            (check_response(to_wire(make_packet(spec).get()), q).result == verdict::not_ours));
    }
    const std::vector<std::uint8_t> short_message = {0x12, 0x34, 0x81, 0x80};
    BOOST_TEST((check_response(short_message, q).result == verdict::not_ours));

    std::vector<std::uint8_t> garbled = to_wire(make_packet({}).get());
    garbled.resize(garbled.size() - 3); // the question is cut off
    BOOST_TEST((check_response(garbled, q).result == verdict::garbled));
}

BOOST_AUTO_TEST_CASE(records_are_read_in_answer_format) {
    response_spec spec;
    spec.answers = {R"(example.com. 300 IN TXT "v=spf1 " "-all")",
                    R"(other.example. 300 IN TXT "not for this name")",
                    R"(example.com. 200 IN TXT "second")"};
    const reading r = read(spec, txt_query());
    BOOST_TEST((r.result.result == outcome::records));
    BOOST_TEST(r.result.records == (std::vector<std::string>{"v=spf1 -all", "second"}));
    BOOST_TEST(r.result.ttl == 200u);
    BOOST_TEST(!r.next_name.has_value());

    auto mx = build_query("example.com", rr_type::mx, 0x1234, 0);
    response_spec mx_spec;
    mx_spec.qtype = "MX";
    mx_spec.answers = {"example.com. 60 IN MX 20 B.example.com.",
                       "example.com. 60 IN MX 10 a.example.com."};
    BOOST_TEST(read(mx_spec, *mx).result.records ==
               (std::vector<std::string>{"a.example.com", "b.example.com"}));
}

BOOST_AUTO_TEST_CASE(negative_answers_take_the_soa_ttl) {
    const std::string soa = "example.com. 900 IN SOA ns.example.com. h.example.com. 1 2 3 4 60";
    response_spec nx;
    nx.rcode = LDNS_RCODE_NXDOMAIN;
    nx.authority = {soa};
    const reading a = read(nx, txt_query());
    BOOST_TEST((a.result.result == outcome::nxdomain));
    BOOST_TEST(a.result.ttl == 60u);

    response_spec nodata;
    nodata.authority = {soa};
    BOOST_TEST((read(nodata, txt_query()).result.result == outcome::nodata));
    response_spec bare; // no SOA: nodata, not cacheable
    BOOST_TEST((read(bare, txt_query()).result.result == outcome::nodata));
    BOOST_TEST(read(bare, txt_query()).result.ttl == 0u);
}

BOOST_AUTO_TEST_CASE(server_failures_are_temporary) {
    for (const auto& [rcode, text] :
         {std::pair{LDNS_RCODE_SERVFAIL, "SERVFAIL"}, std::pair{LDNS_RCODE_REFUSED, "REFUSED"},
          std::pair{LDNS_RCODE_FORMERR, "FORMERR"}}) {
        response_spec spec;
        spec.rcode = rcode;
        const reading r = read(spec, txt_query());
        BOOST_TEST((r.result.result == outcome::temp_failure));
        BOOST_TEST(r.result.reason == text);
    }
}

BOOST_AUTO_TEST_CASE(cname_chains_in_the_answer_are_followed) {
    response_spec spec;
    spec.qname = "alias.example.com.";
    spec.answers = {"alias.example.com. 100 IN CNAME mid.example.com.",
                    "mid.example.com. 50 IN CNAME target.example.net.",
                    R"(target.example.net. 300 IN TXT "found")"};
    const reading r = read(spec, txt_query("alias.example.com"));
    BOOST_TEST((r.result.result == outcome::records));
    BOOST_TEST(r.result.records == std::vector<std::string>{"found"});
    BOOST_TEST(r.result.ttl == 50u);
    BOOST_TEST(r.aliases == 2u);

    // One link allowed: the second CNAME is one too many.
    const reading limited = read(spec, txt_query("alias.example.com"), 1);
    BOOST_TEST((limited.result.result == outcome::temp_failure));

    // A looping chain ends at the limit.
    response_spec loop;
    loop.qname = "a.example.com.";
    loop.answers = {"a.example.com. 1 IN CNAME b.example.com.",
                    "b.example.com. 1 IN CNAME a.example.com."};
    BOOST_TEST((read(loop, txt_query("a.example.com")).result.result == outcome::temp_failure));
}

BOOST_AUTO_TEST_CASE(an_unresolved_alias_asks_again) {
    response_spec spec;
    spec.qname = "alias.example.com.";
    spec.answers = {"alias.example.com. 100 IN CNAME Target.Example.NET."};
    const reading r = read(spec, txt_query("alias.example.com"));
    BOOST_TEST(r.next_name.value_or("") == "target.example.net");
    BOOST_TEST(r.aliases == 1u);
    BOOST_TEST(r.result.ttl == 100u);

    // With an SOA the server has answered for the target: NODATA; NXDOMAIN is the target's.
    spec.authority = {"example.com. 900 IN SOA ns.example.com. h.example.com. 1 2 3 4 60"};
    BOOST_TEST((read(spec, txt_query("alias.example.com")).result.result == outcome::nodata));
    spec.rcode = LDNS_RCODE_NXDOMAIN;
    BOOST_TEST((read(spec, txt_query("alias.example.com")).result.result == outcome::nxdomain));
}

BOOST_AUTO_TEST_CASE(bad_rdata_is_malformed) {
    auto q = build_query("host.example.com", rr_type::a, 0x1234, 0);
    response_spec spec;
    spec.qname = "host.example.com.";
    spec.qtype = "A";
    const pkt_ptr packet = make_packet(spec);
    ldns_rr* rr = ldns_rr_new();
    ldns_rr_set_type(rr, LDNS_RR_TYPE_A);
    ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
    ldns_rr_set_owner(rr, ldns_dname_new_frm_str("host.example.com."));
    const std::uint8_t five[] = {192, 0, 2, 1, 7};
    ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, sizeof five, five));
    ldns_pkt_push_rr(packet.get(), LDNS_SECTION_ANSWER, rr);
    const reading r = read_response(packet.get(), *q, 8);
    BOOST_TEST((r.result.result == outcome::malformed));
    BOOST_TEST(!r.result.reason.empty());
}

BOOST_AUTO_TEST_SUITE_END()
