// relay/pipeline.cpp — see pipeline.hpp. Stage order follows DESIGN.md Pipeline; the
// Received field is RFC 5321 4.4; record follows RFC 8601 5; sealing RFC 8617 5.1.
#include "relay/pipeline.hpp"

#include "auth/results/authentication_results.hpp"
#include "dns/budget.hpp"
#include "mail/message.hpp"
#include "relay/list_signing.hpp"
#include "relay/policy.hpp"
#include "relay/recipient_policy.hpp"
#include "relay/rewrite.hpp"
#include "relay/trace.hpp"

#include <fmt/format.h>

namespace arcrelay::relay {
namespace {

using config::stage;

envelope check_envelope(const smtp::envelope& env) {
    return {env.client_ip, env.helo, env.mail_from, env.rcpts};
}

void add_note(pipeline_result& r, std::string_view note) {
    if (note.empty()) return;
    if (!r.notes.empty()) r.notes += "; ";
    r.notes += note;
}

// Stage "seal": from the verify report in one-pass, or from our own A-R (split seal).
std::optional<smtp::reply> seal(mail::message& m, const std::optional<check_report>& verified,
                                const pipeline_context& ctx, pipeline_result& out) {
    const auto& id = ctx.config.server.authserv_id;
    std::optional<check_report> report = verified;
    if (!report) {
        // Split seal: our A-R counts only under a valid, fresh hand-over MAC; otherwise it
        // is dropped and the message is unsealed mail (DESIGN.md Mailman integration).
        static const handover_keys no_keys;
        const auto handover = take_handover(m, id, ctx.handover ? *ctx.handover : no_keys, ctx.now);
        if (!handover.trusted) {
            if (ctx.config.arc.seal_unsealed == config::unsealed_policy::none) {
                add_note(out, "not sealed: " + handover.reason + " (seal_unsealed = none)");
                return std::nullopt;
            }
            add_note(out, "sealed as unsealed mail: " + handover.reason);
        }
        report = report_from_our_results(m, id);
    }
    const auto sealed = seal_message(m, *report, ctx.keys, ctx.config.arc, id, ctx.now);
    if (!sealed) {
        add_note(out, "seal failed: " + sealed.error().message);
        if (sealed.error().temporary()) // never seal a chain as failed over a DNS hiccup
            return smtp::make_reply(451, {4, 4, 3},
                                    "Temporary DNS failure while validating ARC, try again later");
        return smtp::make_reply(451, {4, 3, 0}, "Local error while sealing, try again later");
    }
    out.arc_sets_added = sealed->sets_added;
    add_note(out, sealed->note);
    return std::nullopt;
}

} // namespace

smtp::reply malformed_message_reply(const error& e) {
    return smtp::make_reply(554, {5, 6, 0}, "Malformed message header: " + e.message);
}

pipeline_result run_pipeline(smtp::transaction t, const pipeline_context& ctx) {
    pipeline_result out;
    const auto& stages = ctx.listener.stages;
    const auto& limits = ctx.listener.limits;
    mail::message_limits parse_limits;
    parse_limits.max_header_fields = limits.max_header_fields;
    parse_limits.max_header_bytes = limits.max_header_bytes;
    auto parsed = mail::parse_owned_message(std::move(t.message), parse_limits);
    if (!parsed) {
        out.reply = malformed_message_reply(parsed.error());
        return out;
    }
    auto& m = parsed.value();
    m.prepend(received_field(t.env, ctx.config.server.hostname, ctx.transaction_id, ctx.now));

    if (stages.contains(stage::verify)) {
        dns::budgeted_resolver budget(ctx.resolver, ctx.config.dns.max_queries_per_message,
                                      ctx.deadline);
        check_settings settings{ctx.config.server.authserv_id, ctx.config.dmarc, limits, ctx.now,
                                ctx.key_cache};
        out.report = check_message(m, check_envelope(t.env), budget, settings);
    }
    if (stages.contains(stage::record) && out.report) {
        out.results_removed = record_results(m, *out.report, ctx.config.server.authserv_id,
                                             ctx.config.arc.trusted_authserv_ids);
        // Split verify: the seal listener trusts this A-R only with our MAC over it.
        if (!stages.contains(stage::seal) && ctx.handover)
            add_handover(m, m.headers().front().value(), *ctx.handover, ctx.now);
    }
    if (stages.contains(stage::policy) && out.report) {
        auto verdict = apply_policy(*out.report, ctx.config.policy, ctx.config.arc.trusted_sealers);
        add_note(out, verdict.note);
        if (verdict.rejection) {
            out.reply = std::move(verdict.rejection);
            return out;
        }
    }

    std::vector<forward_envelope> envelopes{{t.env.mail_from, t.env.rcpts}};
    if (stages.contains(stage::rewrite)) {
        if (const auto* list = posted_list(ctx.config.lists, t.env.rcpts)) {
            rewrite_post(m, *list);
            envelopes = rewrite_envelope(*list, t.env.rcpts);
            out.list = list->address;
            if (list->dkim_sign) {
                auto signed_count = sign_for_list(m, *list, ctx.keys, ctx.now);
                if (!signed_count) {
                    add_note(out, "list DKIM signing failed: " + signed_count.error().message);
                    out.reply = smtp::make_reply(451, {4, 3, 0},
                                                 "Local error while signing, try again later");
                    return out;
                }
            }
        }
    }
    if (stages.contains(stage::seal)) {
        if (auto failed = seal(m, out.report, ctx, out)) {
            out.reply = std::move(failed);
            return out;
        }
    }
    if (!stages.contains(stage::forward)) {
        out.reply = smtp::make_reply(451, {4, 3, 5}, "This listener does not forward mail");
        return out;
    }
    auto bytes = m.serialise();
    std::string().swap(m.body()); // the body lives on in `bytes` only
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
        auto& e = envelopes[i];
        smtp::transaction next{t.env, i + 1 == envelopes.size() ? std::move(bytes) : bytes};
        next.env.mail_from = std::move(e.mail_from);
        next.env.rcpts = std::move(e.recipients);
        out.forward.push_back(std::move(next));
    }
    return out;
}

} // namespace arcrelay::relay
