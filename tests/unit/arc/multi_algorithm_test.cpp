// tests/unit/arc/multi_algorithm_test.cpp — chains with several algorithms
// (draft-ietf-dmarc-arc-multi-02 §5) and seal→verify round trips (RFC 8617 §5.1, §5.2).
#include "chain_builder.hpp"

#include "arc/field_format.hpp"
#include "arc/seal_input.hpp"
#include "auth/dkim/signing_input.hpp"

#include <algorithm>

namespace arc_test {
namespace {

const chain_result* chain_of(const validation_result& v, std::string_view algorithm) {
    for (const auto& c : v.chains)
        if (c.algorithm == algorithm) return &c;
    return nullptr;
}

// Replaces the b= value of the first field named `name` whose value holds `marker`.
void corrupt_signature(mail::message& m, std::string_view name, std::string_view marker) {
    for (auto& f : m.headers()) {
        if (!f.is(name) || f.value().find(marker) == std::string_view::npos) continue;
        auto raw = f.raw();
        auto b = raw.find(" b=");
        BOOST_REQUIRE(b != std::string::npos);
        raw[b + 3] = raw[b + 3] == 'A' ? 'B' : 'A';
        f = mail::header_field(raw);
        return;
    }
    BOOST_FAIL("no such field");
}

// Adds an AMS and AS with a=foo-sha512, an algorithm nobody can process.
void add_unknown_algorithm_set(mail::message& m, int instance, std::string_view cv) {
    m.prepend(mail::header_field::make(
        "ARC-Message-Signature",
        fmt::format("i={}; a=foo-sha512; b=AAAA; bh=AAAA; c=relaxed/relaxed; d=x.test; h=from; "
                    "s=foo",
                    instance)));
    m.prepend(mail::header_field::make(
        "ARC-Seal",
        fmt::format("i={}; a=foo-sha512; b=AAAA; cv={}; d=x.test; s=foo", instance, cv)));
}

} // namespace

BOOST_AUTO_TEST_SUITE(multi_algorithm)

BOOST_AUTO_TEST_CASE(both_algorithms_at_every_instance) {
    chain_builder b;
    auto m = b.chain(3);
    BOOST_TEST(m.count("ARC-Seal") == 6u);
    BOOST_TEST(m.count("ARC-Authentication-Results") == 3u); // one shared AAR per instance
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "pass", v.reason);
    BOOST_TEST(v.oldest_pass == 0u);
    BOOST_REQUIRE(v.chains.size() == 2u);
    for (const auto& c : v.chains) {
        BOOST_TEST(c.length == 3u);
        BOOST_TEST(arc_result_name(c.result) == "pass");
    }
}

BOOST_AUTO_TEST_CASE(longer_ed25519_chain_is_the_one_validated) {
    chain_builder b;
    auto m = b.chain(1);
    b.hop(m, b.keys(2, false, true)); // an Ed25519-only sealer at i=2
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "pass", v.reason);
    BOOST_REQUIRE(v.chains.size() == 1u);
    BOOST_TEST(v.chains[0].algorithm == "ed25519-sha256");
    BOOST_TEST(v.chains[0].length == 2u);

    // An RSA-only sealer must not extend the shorter RSA chain (arc-multi §5.1).
    auto out = b.hop(m, b.keys(3, true, false));
    BOOST_TEST(out.fields.empty());
    BOOST_TEST(out.reason.find("no longest chain uses rsa-sha256") != std::string::npos,
               out.reason);
    // A sealer with both keys continues only the Ed25519 chain.
    out = b.hop(m, b.keys(3));
    BOOST_TEST(out.algorithms == std::vector<std::string>{"ed25519-sha256"});
    BOOST_TEST(out.instance == 3u);
    BOOST_TEST(arc_result_name(b.validate(m).result) == "pass");
}

BOOST_AUTO_TEST_CASE(unknown_algorithm_on_the_longest_chain_fails) {
    chain_builder b;
    auto m = b.chain(1); // rsa and ed at i=1, both verify
    // i=2 sealed only with an algorithm nobody can process.
    m.prepend(mail::header_field::make("ARC-Authentication-Results", "i=2; hop2.test; arc=pass"));
    add_unknown_algorithm_set(m, 2, "pass");
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    BOOST_TEST(v.reason.find("cannot process") != std::string::npos, v.reason);
    BOOST_REQUIRE(v.chains.size() == 1u);
    BOOST_TEST(v.chains[0].algorithm == "foo-sha512");
    // Nobody here holds foo-sha512: nothing is added.
    auto out = b.hop(m, b.keys(3));
    BOOST_TEST(out.fields.empty());
}

BOOST_AUTO_TEST_CASE(unknown_algorithm_beside_a_passing_chain_fails) {
    chain_builder b;
    auto m = b.chain(1, true, false);
    // A second set at i=1 with an unknown algorithm: both chains are longest.
    add_unknown_algorithm_set(m, 1, "none");
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    BOOST_REQUIRE(v.chains.size() == 2u);
    BOOST_TEST(arc_result_name(chain_of(v, "rsa-sha256")->result) == "pass");
    BOOST_TEST(arc_result_name(chain_of(v, "foo-sha512")->result) == "fail");
}

BOOST_AUTO_TEST_CASE(one_chain_broken_the_other_passes) {
    chain_builder b;
    auto m = b.chain(2);
    corrupt_signature(m, "ARC-Seal", "a=ed25519-sha256");
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    BOOST_TEST(arc_result_name(chain_of(v, "rsa-sha256")->result) == "pass");
    BOOST_TEST(arc_result_name(chain_of(v, "ed25519-sha256")->result) == "fail");
    BOOST_TEST(v.reason.find("ed25519-sha256") != std::string::npos, v.reason);

    // Each chain is sealed with its own result (arc-multi §5.2): rsa cv=pass over the whole
    // chain, ed25519 cv=fail over the new set only (RFC 8617 §5.1.2).
    auto out = b.hop(m, b.keys(3));
    BOOST_REQUIRE(out.fields.size() == 5u);
    auto after = b.validate(m);
    BOOST_TEST(arc_result_name(chain_of(after, "rsa-sha256")->result) == "pass");
    const auto* ed = chain_of(after, "ed25519-sha256");
    BOOST_TEST(arc_result_name(ed->result) == "fail");
    BOOST_TEST(ed->reason.find("cv=fail") != std::string::npos, ed->reason);
    // The ed25519 chain is not extended again.
    out = b.hop(m, b.keys(4));
    BOOST_TEST(out.algorithms == std::vector<std::string>{"rsa-sha256"});
}

BOOST_AUTO_TEST_CASE(identical_aar_copies_pass_differing_ones_fail) {
    chain_builder b;
    auto m = b.chain(1);
    auto aar = *m.fields("ARC-Authentication-Results").front();
    m.prepend(aar);
    BOOST_TEST(arc_result_name(b.validate(m).result) == "pass");
    m.prepend(mail::header_field::make("ARC-Authentication-Results", "i=1; other.test; arc=none"));
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    bool removed = false; // drop one of the two identical copies
    m.remove_if([&](const mail::header_field& f) {
        return !removed && f.raw() == aar.raw() && (removed = true);
    });
    v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "fail"); // the two left differ
    BOOST_TEST(v.reason.find("differing") != std::string::npos, v.reason);
}

// arc-multi: where an instance has only one set, every chain takes it. An Ed25519 seal at
// i=2 covering the RSA-only set at i=1 validates.
BOOST_AUTO_TEST_CASE(seal_covers_the_only_set_of_an_earlier_instance) {
    chain_builder b;
    auto m = b.chain(1, true, false);
    auto rsa2 = b.keys(2, true, false);
    auto ed2 = b.keys(2, false, true);
    b.hop(m, rsa2); // i=2 rsa, through the sealer
    // Add an Ed25519 set at i=2 by hand: AS over (i=1 rsa set, i=2 AAR + ed AMS + ed AS).
    auto chain = collect_chain(m);
    BOOST_REQUIRE(chain);
    auto earlier = chain_fields(*chain);
    const auto* aar2 = earlier.back().results;
    earlier.pop_back();
    hand_seal(m, ed2[0], 2, chain_status::pass, earlier, aar2);
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "pass", v.reason);
    BOOST_REQUIRE(v.chains.size() == 2u);
    BOOST_TEST(chain_of(v, "ed25519-sha256")->length == 2u);
}

// Seal → verify over 1..50 instances with both algorithms, folded fields, a fixed clock and
// an unsigned trace field added at every hop; the 51st hop adds nothing.
BOOST_AUTO_TEST_CASE(round_trip_to_the_instance_limit) {
    chain_builder b;
    auto m = base_message();
    for (std::uint32_t i = 1; i <= max_instance; ++i) {
        auto before = b.validate(m);
        BOOST_TEST(arc_result_name(before.result) == (i == 1 ? "none" : "pass"), before.reason);
        BOOST_TEST(before.highest_instance == i - 1);
        m.prepend(mail::header_field::make("Received", fmt::format("by hop{}.test", i)));
        auto out = b.hop(m, b.keys(i));
        BOOST_TEST(out.instance == i);
        BOOST_TEST(out.fields.size() == 5u);
    }
    for (const auto& f : m.headers())
        for (std::string_view line = f.raw(); !line.empty();) {
            auto end = line.find("\r\n");
            BOOST_TEST(end <= fold_column, f.name()); // folded under 78 columns
            line.remove_prefix(end + 2);
        }
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "pass", v.reason);
    BOOST_REQUIRE(v.chains.size() == 2u);
    BOOST_TEST(v.chains[0].length == max_instance);
    auto out = b.hop(m, b.keys(51));
    BOOST_TEST(out.fields.empty());
    BOOST_TEST(out.reason.find("50 instances") != std::string::npos, out.reason);
}

BOOST_AUTO_TEST_CASE(round_trip_single_algorithm_each) {
    for (bool rsa : {true, false}) {
        chain_builder b;
        b.options.fold = false;
        auto m = b.chain(5, rsa, !rsa);
        auto v = b.validate(m);
        BOOST_TEST(arc_result_name(v.result) == "pass", v.reason);
        BOOST_REQUIRE(v.chains.size() == 1u);
        BOOST_TEST(v.chains[0].algorithm == (rsa ? "rsa-sha256" : "ed25519-sha256"));
    }
}

BOOST_AUTO_TEST_CASE(oldest_pass_after_a_signed_header_changes) {
    chain_builder b;
    auto m = b.chain(2, true, false);
    // Hop 3 validates (pass), adds a Subject prefix, then seals: AMS 1 and 2 now fail.
    auto verdict = b.validate(m);
    BOOST_TEST(arc_result_name(verdict.result) == "pass");
    m.remove_if([](const mail::header_field& f) { return f.is("Subject"); });
    m.prepend(mail::header_field::make("Subject", "[list] ARC test"));
    auto out = seal_message(m, verdict, "hop3.test; arc=pass", b.keys(3, true, false), fixed_now);
    BOOST_REQUIRE(out);
    add_sealed_fields(m, *out);
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "pass", v.reason);
    BOOST_TEST(v.oldest_pass == 3u); // RFC 8617 §5.2 step 6: AMS 2 fails, so 3
}

// Older AMSs with many different l= values: only max_body_hashes body hashes are made, the
// AMSs past that count as failed for oldest-pass; the chain still passes.
BOOST_AUTO_TEST_CASE(body_hash_variants_are_bounded) {
    chain_builder b;
    auto m = base_message();
    const std::uint32_t hops = max_body_hashes + 3;
    for (std::uint32_t i = 1; i <= hops; ++i) {
        std::vector<set_fields> earlier;
        auto chain = collect_chain(m);
        BOOST_REQUIRE(chain);
        if (!chain->empty()) earlier = chain_fields(*chain);
        hand_seal(m, b.keys(i, true, false)[0], i, i == 1 ? chain_status::none : chain_status::pass,
                  earlier, nullptr, i); // l=i: a different body hash per instance
    }
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "pass", v.reason);
    // The newest AMS and max_body_hashes - 1 older ones are checked: instances
    // hops .. hops - max_body_hashes + 1; the next one down is not.
    BOOST_TEST(v.oldest_pass == hops - max_body_hashes + 1);
}

BOOST_AUTO_TEST_CASE(failed_validation_seals_cv_fail_over_the_new_set_only) {
    chain_builder b;
    auto m = b.chain(1, true, false);
    m.body() += "tampered\r\n";
    auto out = b.hop(m, b.keys(2, true, false));
    BOOST_REQUIRE(out.fields.size() == 3u);
    BOOST_TEST(std::string(out.fields[0].value()).find("cv=fail") != std::string::npos);
    auto v = b.validate(m);
    BOOST_TEST(arc_result_name(v.result) == "fail");
    // The cv=fail seal itself verifies over its own set (RFC 8617 §5.1.2).
    auto chain = collect_chain(m);
    BOOST_REQUIRE(chain);
    const auto& top = chain->sets.back();
    BOOST_REQUIRE(top.instance == 2u);
    std::vector<set_fields> own{{top.results_field, top.signature_field, top.seal_field}};
    auto key = *auth::dkim::parse_public_key(
        auth::dkim::key_type::rsa, test_key(auth::dkim::key_type::rsa).public_key_base64());
    BOOST_TEST(auth::dkim::verify_signature(key, auth::dkim::algorithm::rsa_sha256,
                                            seal_signing_input(own), top.seal.signature));
    // And the chain is never extended again.
    out = b.hop(m, b.keys(3, true, false));
    BOOST_TEST(out.fields.empty());
    BOOST_TEST(out.reason.find("cv=fail") != std::string::npos, out.reason);
}

BOOST_AUTO_TEST_CASE(split_mode_verdict_without_chain_detail) {
    chain_builder b;
    auto m = b.chain(1);
    validation_result verdict; // from our own earlier A-R: arc=pass, no per-chain detail
    verdict.result = arc_result::pass;
    auto keys = b.keys(2);
    auto out = seal_message(m, verdict, "lists.example.org; arc=pass", keys, fixed_now);
    BOOST_REQUIRE(out);
    add_sealed_fields(m, *out);
    BOOST_TEST(arc_result_name(b.validate(m).result) == "pass");
}

BOOST_AUTO_TEST_CASE(ams_never_signs_arc_or_authentication_results) {
    chain_builder b;
    b.options.signed_headers = {
        "From",          "Subject", "ARC-Seal", "Authentication-Results", "arc-message-signature",
        "DKIM-Signature"};
    auto m = base_message();
    m.prepend(mail::header_field::make("DKIM-Signature", "v=1; a=rsa-sha256; d=example.com"));
    m.prepend(mail::header_field::make("Authentication-Results", "hop.test; none"));
    auto out = b.hop(m, b.keys(1, true, false));
    auto ams = std::string(out.fields[1].value());
    BOOST_TEST(ams.find("h=from:subject:dkim-signature;") != std::string::npos, ams);
}

BOOST_AUTO_TEST_CASE(two_keys_of_one_algorithm_are_refused) {
    chain_builder b;
    auto keys = b.keys(1, true, false);
    keys.push_back(keys.front());
    auto out = seal_message(base_message(), {}, "x; none", keys, fixed_now);
    BOOST_TEST(!out);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace arc_test
