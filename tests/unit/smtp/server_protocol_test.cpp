// Unit tests of smtp::server_protocol: hostile and faulty command sequences, every reply
// code checked exactly (RFC 5321, 1870, 2920, 3207, 6152, 6531; SMTP smuggling).
#include <boost/test/unit_test.hpp>

#include <tuple>

#include "protocol_fixture.hpp"

using namespace arcrelay::smtp;
using namespace arcrelay::smtp::test;
using strings = std::vector<std::string>;

namespace {

std::string data_run(std::string_view body, server_config config = test_config()) {
    auto r = run(ehlo_mail_rcpt + "DATA\r\n" + std::string(body), std::move(config));
    return r.replies.back();
}

// Sends `body` as DATA content followed by NOOP; checks that nothing was delivered and
// that the NOOP was answered (still in sync); returns the reply to the end of data.
std::string refusal_in_sync(std::string_view body, server_config config = test_config()) {
    auto r = run(ehlo_mail_rcpt + "DATA\r\n" + std::string(body) + "NOOP\r\n", std::move(config));
    BOOST_TEST(r.delivered.empty());
    BOOST_REQUIRE_EQUAL(r.replies.size(), 6u);
    BOOST_TEST(r.replies[5] == "250 2.0.0");
    return r.replies[4];
}

server_config tls_config() {
    auto c = test_config();
    c.starttls_available = true;
    return c;
}

// A protocol whose STARTTLS handshake has completed.
server_protocol after_starttls() {
    server_protocol p(tls_config(), "192.0.2.1", accept_list_recipients);
    p.feed("EHLO c\r\nSTARTTLS\r\n");
    p.tls_started();
    return p;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_protocol_test)

BOOST_AUTO_TEST_CASE(greeting_is_220_without_enhanced_code_on_wire) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    BOOST_TEST(format_reply(p.greeting()) == "220 mx.test ESMTP\r\n");
    BOOST_TEST((p.phase() == protocol_phase::first_command));
}

BOOST_AUTO_TEST_CASE(ehlo_advertises_extensions) {
    server_protocol p(tls_config(), "192.0.2.1", accept_list_recipients);
    auto a = p.feed("EHLO client.test\r\n");
    BOOST_REQUIRE_EQUAL(a.size(), 1u);
    BOOST_TEST(format_reply(std::get<send_reply>(a[0]).r) ==
               "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 26214400\r\n250-8BITMIME\r\n"
               "250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250 STARTTLS\r\n");
}

BOOST_AUTO_TEST_CASE(ehlo_without_tls_does_not_offer_starttls) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    auto text = format_reply(std::get<send_reply>(p.feed("EHLO c\r\n")[0]).r);
    BOOST_TEST(text.find("STARTTLS") == std::string::npos);
    BOOST_TEST(text.find("250 ENHANCEDSTATUSCODES\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(helo_is_single_line) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    BOOST_TEST(format_reply(std::get<send_reply>(p.feed("HELO c\r\n")[0]).r) == "250 mx.test\r\n");
}

BOOST_AUTO_TEST_CASE(ehlo_and_helo_need_an_argument) {
    BOOST_TEST(run("EHLO\r\nHELO \r\n").replies == (strings{"501 5.5.4", "501 5.5.4"}));
}

BOOST_AUTO_TEST_CASE(mail_rcpt_data_before_ehlo_get_503) {
    auto r = run("MAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\nDATA\r\n");
    BOOST_TEST(r.replies == (strings{"503 5.5.1", "503 5.5.1", "503 5.5.1"}));
}

BOOST_AUTO_TEST_CASE(noop_rset_help_vrfy_work_before_ehlo) {
    auto r = run("NOOP\r\nRSET\r\nHELP\r\nVRFY root\r\n");
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "250 2.0.0", "214 2.0.0", "252 2.5.0"}));
}

BOOST_AUTO_TEST_CASE(vrfy_without_argument_is_501) {
    BOOST_TEST(run("VRFY\r\n").replies == (strings{"501 5.5.4"}));
}

BOOST_AUTO_TEST_CASE(full_transaction_is_delivered_and_waits_for_final_reply) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    r.add(p.feed(ehlo_mail_rcpt + "DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n"));
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "250 2.1.0", "250 2.1.5", "354 2.0.0"}));
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    const auto& t = r.delivered[0];
    BOOST_TEST(t.env.client_ip == "192.0.2.1");
    BOOST_TEST(t.env.helo == "c.test");
    BOOST_TEST(t.env.mail_from == "a@b.test");
    BOOST_TEST(t.env.rcpts == (strings{"l@lists.example"}));
    BOOST_TEST(t.message == "Subject: x\r\n\r\nbody\r\n");
    BOOST_TEST((p.phase() == protocol_phase::delivery));
    r.add(p.complete_transaction(make_reply(451, {4, 4, 1}, "Next hop down")));
    BOOST_TEST(r.replies.back() == "451 4.4.1");
    BOOST_TEST((p.phase() == protocol_phase::mail));
}

BOOST_AUTO_TEST_CASE(input_pipelined_during_delivery_is_buffered_then_processed) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    r.add(p.feed(ehlo_mail_rcpt + "DATA\r\nx\r\n.\r\nNOOP\r\n"));
    r.add(p.feed("QUIT\r\n"));
    BOOST_TEST(r.replies.size() == 4u); // nothing after the 354 yet
    r.add(p.complete_transaction(make_reply(250, {2, 0, 0}, "OK")));
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "250 2.1.0", "250 2.1.5", "354 2.0.0",
                                     "250 2.0.0", "250 2.0.0", "221 2.0.0"}));
    BOOST_TEST(r.closed);
}

BOOST_AUTO_TEST_CASE(complete_without_transaction_is_a_logic_error) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    BOOST_CHECK_THROW(p.complete_transaction(make_reply(250, {2, 0, 0}, "OK")), std::logic_error);
}

BOOST_AUTO_TEST_CASE(pipelined_group_in_one_packet) {
    auto r = run("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@lists.example>\r\n"
                 "RCPT TO:<nobody@elsewhere.test>\r\nRCPT TO:<y@lists.example>\r\nDATA\r\n"
                 "hi\r\n.\r\nQUIT\r\n");
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "250 2.1.0", "250 2.1.5", "550 5.1.1",
                                     "250 2.1.5", "354 2.0.0", "250 2.0.0", "221 2.0.0"}));
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].env.rcpts == (strings{"x@lists.example", "y@lists.example"}));
}

BOOST_AUTO_TEST_CASE(input_split_byte_by_byte_gives_same_result) {
    const std::string input = ehlo_mail_rcpt + "DATA\r\n..dot\r\nline\r\n.\r\nQUIT\r\n";
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    for (char c : input) {
        r.add(p.feed(std::string_view(&c, 1)));
        if (p.phase() == protocol_phase::delivery)
            r.add(p.complete_transaction(make_reply(250, {2, 0, 0}, "OK")));
    }
    BOOST_TEST(r.replies == run(input).replies);
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].message == ".dot\r\nline\r\n");
}

BOOST_AUTO_TEST_CASE(recipient_decision_is_delegated) {
    auto r = run("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<l@lists.example>\r\n"
                 "RCPT TO:<m@other.example>\r\n");
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "250 2.1.0", "250 2.1.5", "452 4.5.3"}));
}

BOOST_AUTO_TEST_CASE(postmaster_without_domain_is_a_valid_recipient) {
    auto r = run("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<Postmaster>\r\n");
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "250 2.1.0", "550 5.1.1"}));
    r = run("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<postmaster>\r\n");
    BOOST_TEST(r.replies.back() == "250 2.1.5");
}

BOOST_AUTO_TEST_CASE(rcpt_before_mail_is_503) {
    BOOST_TEST(run("EHLO c\r\nRCPT TO:<l@lists.example>\r\n").replies.back() == "503 5.5.1");
}

BOOST_AUTO_TEST_CASE(data_before_mail_is_503_and_without_recipients_554) {
    BOOST_TEST(run("EHLO c\r\nDATA\r\n").replies.back() == "503 5.5.1");
    BOOST_TEST(run("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@nowhere.test>\r\nDATA\r\n")
                   .replies.back() == "554 5.5.1");
}

BOOST_AUTO_TEST_CASE(data_with_argument_is_501) {
    BOOST_TEST(run(ehlo_mail_rcpt + "DATA now\r\n").replies.back() == "501 5.5.4");
}

BOOST_AUTO_TEST_CASE(nested_mail_is_503) {
    BOOST_TEST(run("EHLO c\r\nMAIL FROM:<a@b.test>\r\nMAIL FROM:<c@d.test>\r\n").replies.back() ==
               "503 5.5.1");
}

BOOST_AUTO_TEST_CASE(mail_and_rcpt_argument_table) {
    // {what, input, the last reply}
    const std::vector<std::tuple<std::string, std::string, std::string>> cases{
        {"mail_syntax_errors 0", "EHLO c\r\nMAIL <a@b.test>\r\n", "501 5.5.4"},
        {"mail_syntax_errors 1", "EHLO c\r\nMAIL FROM:a@b.test\r\n", "501 5.1.7"},
        {"mail_syntax_errors 2", "EHLO c\r\nMAIL FROM:<a@b.test\r\n", "501 5.1.7"},
        {"mail_syntax_errors 3", "EHLO c\r\nMAIL FROM:<a..b@b.test>\r\n", "501 5.1.7"},
        {"mail_syntax_errors 4", "EHLO c\r\nMAIL FROM:<a@-b.test>\r\n", "501 5.1.7"},
        {"mail_syntax_errors 5", "EHLO c\r\nMAIL FROM:<a@b.test>junk\r\n", "501 5.1.7"},
        {"mail_syntax_errors 6", "EHLO c\r\nMAIL FROM:<" + std::string(65, 'a') + "@b.test>\r\n",
         "501 5.1.7"},
        {"mail_accepts_common_forms 7", "EHLO c\r\nmail from: <a@b.test>\r\n", "250 2.1.0"},
        {"mail_accepts_common_forms 8", "EHLO c\r\nMAIL FROM:<\"a b\"@b.test>\r\n", "250 2.1.0"},
        {"mail_accepts_common_forms 9", "EHLO c\r\nMAIL FROM:<@r.test:a@b.test>\r\n", "250 2.1.0"},
        {"mail_accepts_common_forms 10", "EHLO c\r\nMAIL FROM:<a@[192.0.2.1]>\r\n", "250 2.1.0"},
        {"rcpt_syntax_errors_and_null_path 11", "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<>\r\n",
         "501 5.1.3"},
        {"rcpt_syntax_errors_and_null_path 12",
         "EHLO c\r\nMAIL FROM:<>\r\nRCPT <a@lists.example>\r\n", "501 5.5.4"},
        {"rcpt_syntax_errors_and_null_path 13",
         "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@lists.example> NOTIFY=NEVER\r\n", "555 5.5.4"},
        {"bad_mail_parameters 14", "EHLO c\r\nMAIL FROM:<a@b.test> SIZE=12x\r\n", "501 5.5.4"},
        {"bad_mail_parameters 15", "EHLO c\r\nMAIL FROM:<a@b.test> BODY=BINARYMIME\r\n",
         "501 5.5.4"},
        {"bad_mail_parameters 16", "EHLO c\r\nMAIL FROM:<a@b.test> RET=FULL\r\n", "555 5.5.4"},
        {"bad_mail_parameters 17", "HELO c\r\nMAIL FROM:<a@b.test> SIZE=10\r\n", "555 5.5.4"},
        {"bad_mail_parameters 18", "EHLO c\r\nMAIL FROM:<a@b.test> SIZE=\r\n", "501 5.1.7"},
        {"declared_size_over_limit_is_552 19", "EHLO c\r\nMAIL FROM:<a@b.test> SIZE=26214401\r\n",
         "552 5.3.4"},
        {"declared_size_over_limit_is_552 20", "EHLO c\r\nMAIL FROM:<a@b.test> SIZE=26214400\r\n",
         "250 2.1.0"},
        {"declared_size_over_limit_is_552 21",
         "EHLO c\r\nMAIL FROM:<a@b.test> SIZE=99999999999999999999999\r\n", "501 5.5.4"},
        {"non_ascii_address_needs_smtputf8 22", "EHLO c\r\nMAIL FROM:<j\xc3\xb6rg@b.test>\r\n",
         "553 5.6.7"},
        {"non_ascii_address_needs_smtputf8 23",
         "EHLO c\r\nMAIL FROM:<j\xc3\xb6rg@b.test> SMTPUTF8\r\n", "250 2.1.0"},
        {"non_ascii_address_needs_smtputf8 24",
         "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<\xc3\xa9@lists.example>\r\n", "553 5.6.7"},
    };
    for (const auto& [what, input, expected] : cases) {
        BOOST_TEST_CONTEXT(what) {
            BOOST_TEST(run(input).replies.back() == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(mail_parameters) {
    auto r = run("EHLO c\r\nMAIL FROM:<a@b.test> SIZE=1000 BODY=8BITMIME SMTPUTF8\r\n"
                 "RCPT TO:<l@lists.example>\r\nDATA\r\nx\r\n.\r\n");
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].env.declared_size.value() == 1000u);
    BOOST_TEST((r.delivered[0].env.body == body_type::eight_bit_mime));
    BOOST_TEST(r.delivered[0].env.smtputf8);
}

BOOST_AUTO_TEST_CASE(recipient_limit_gives_452_for_the_101st) {
    std::string input = "EHLO c\r\nMAIL FROM:<a@b.test>\r\n";
    for (int i = 0; i < 101; ++i)
        input += fmt::format("RCPT TO:<r{}@lists.example>\r\n", i);
    input += "DATA\r\nx\r\n.\r\n";
    auto r = run(input);
    BOOST_TEST(r.replies[101] == "250 2.1.5");
    BOOST_TEST(r.replies[102] == "452 4.5.3");
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].env.rcpts.size() == server_limits::default_recipients);
}

BOOST_AUTO_TEST_CASE(command_line_of_512_octets_is_accepted_513_refused) {
    const std::string ok = "NOOP " + std::string(512 - 7, 'x') + "\r\n";
    const std::string big = "NOOP " + std::string(513 - 7, 'x') + "\r\n";
    BOOST_REQUIRE_EQUAL(ok.size(), 512u);
    BOOST_TEST(run(ok + big + "NOOP\r\n").replies ==
               (strings{"250 2.0.0", "500 5.5.6", "250 2.0.0"}));
}

BOOST_AUTO_TEST_CASE(endless_command_line_is_dropped_and_answered_at_its_end) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    for (int i = 0; i < 1000; ++i)
        r.add(p.feed(std::string(1000, 'A')));
    BOOST_TEST(r.replies.empty());
    r.add(p.feed("AAA\r\nNOOP\r\n"));
    BOOST_TEST(r.replies == (strings{"500 5.5.6", "250 2.0.0"}));
}

BOOST_AUTO_TEST_CASE(unknown_and_empty_commands_are_500) {
    BOOST_TEST(run("FOO bar\r\n\r\nEXPN list\r\nAUTH PLAIN x\r\n").replies ==
               (strings{"500 5.5.2", "500 5.5.2", "500 5.5.2", "500 5.5.2"}));
}

BOOST_AUTO_TEST_CASE(nul_and_bare_cr_in_command_are_500) {
    using namespace std::string_literals;
    BOOST_TEST(run("NOOP\0x\r\nNO\rOP\r\n"s).replies == (strings{"500 5.5.2", "500 5.5.2"}));
}

BOOST_AUTO_TEST_CASE(commands_are_case_insensitive_and_accept_bare_lf) {
    BOOST_TEST(run("ehlo c\nnoop\nQuIt\n").replies ==
               (strings{"250 2.0.0", "250 2.0.0", "221 2.0.0"}));
}

BOOST_AUTO_TEST_CASE(too_many_errors_disconnect_with_421) {
    std::string input;
    for (int i = 0; i < 25; ++i)
        input += "BOGUS\r\n";
    auto r = run(input);
    BOOST_TEST(r.replies.size() == server_limits::default_errors);
    BOOST_TEST(r.replies[server_limits::default_errors - 2] == "500 5.5.2");
    BOOST_TEST(r.replies.back() == "421 4.7.0");
    BOOST_TEST(r.closed);
}

BOOST_AUTO_TEST_CASE(nothing_is_processed_after_close) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    r.add(p.feed("QUIT\r\nNOOP\r\n"));
    r.add(p.feed("NOOP\r\n"));
    BOOST_TEST(r.replies == (strings{"221 2.0.0"}));
    BOOST_TEST((p.phase() == protocol_phase::closed));
}

BOOST_AUTO_TEST_CASE(quit_and_rset_with_argument_are_501) {
    BOOST_TEST(run("RSET x\r\nQUIT x\r\n").replies == (strings{"501 5.5.4", "501 5.5.4"}));
}

BOOST_AUTO_TEST_CASE(rset_mid_transaction_clears_envelope) {
    auto r = run(ehlo_mail_rcpt + "RSET\r\nDATA\r\nRCPT TO:<l@lists.example>\r\n"
                                  "MAIL FROM:<n@b.test>\r\n");
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "250 2.1.0", "250 2.1.5", "250 2.0.0",
                                     "503 5.5.1", "503 5.5.1", "250 2.1.0"}));
}

BOOST_AUTO_TEST_CASE(ehlo_mid_transaction_resets_it) {
    auto r = run(ehlo_mail_rcpt + "EHLO again\r\nDATA\r\n");
    BOOST_TEST(r.replies.back() == "503 5.5.1");
}

BOOST_AUTO_TEST_CASE(dot_unstuffing) {
    auto r = run(ehlo_mail_rcpt + "DATA\r\n..\r\n...x\r\n.y\r\nz.\r\n.\r\n");
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].message == ".\r\n..x\r\ny\r\nz.\r\n");
}

BOOST_AUTO_TEST_CASE(empty_message) {
    auto r = run(ehlo_mail_rcpt + "DATA\r\n.\r\n");
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].message.empty());
}

BOOST_AUTO_TEST_CASE(bare_lf_in_data_is_refused_after_the_real_end) {
    BOOST_TEST(refusal_in_sync("Subject: a\nb\r\n.\r\n") == "550 5.6.0");
}

BOOST_AUTO_TEST_CASE(smuggled_lf_dot_crlf_does_not_end_data) {
    // "\n.\r\n" must not end the message: the smuggled MAIL stays message content.
    auto r = run(ehlo_mail_rcpt + "DATA\r\nhi\n.\r\nMAIL FROM:<evil@x.test>\r\n"
                                  "RCPT TO:<l@lists.example>\r\nDATA\r\nspoof\r\n.\r\n");
    BOOST_TEST(r.delivered.empty());
    BOOST_TEST(r.replies.back() == "550 5.6.0");
    BOOST_TEST(r.replies.size() == 5u);
}

BOOST_AUTO_TEST_CASE(lf_dot_lf_does_not_end_data) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    r.add(p.feed(ehlo_mail_rcpt + "DATA\r\nhi\n.\nQUIT\n"));
    BOOST_TEST((p.phase() == protocol_phase::data));
    BOOST_TEST(r.replies.size() == 4u);
}

BOOST_AUTO_TEST_CASE(bare_cr_in_data_is_refused) {
    BOOST_TEST(data_run("a\rb\r\n.\r\n") == "550 5.6.0");
    // CR . CR LF after a line: not the terminator either
    BOOST_TEST(data_run("a\r\n\r.\r\n.\r\n") == "550 5.6.0");
}

BOOST_AUTO_TEST_CASE(bare_lf_and_bare_cr_replies_name_the_defect) {
    auto final_text = [](std::string_view body) {
        server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
        std::string text;
        for (auto& a : p.feed(ehlo_mail_rcpt + "DATA\r\n" + std::string(body)))
            if (auto* s = std::get_if<send_reply>(&a)) text = format_reply(s->r);
        return text;
    };
    BOOST_TEST(final_text("a\nb\r\n.\r\n") ==
               "550 5.6.0 Message refused: bare LF in message data, lines must end in CRLF\r\n");
    BOOST_TEST(final_text("a\rb\r\n.\r\n") ==
               "550 5.6.0 Message refused: bare CR in message data, lines must end in CRLF\r\n");
}

BOOST_AUTO_TEST_CASE(nul_in_data_is_refused) {
    using namespace std::string_literals;
    BOOST_TEST(data_run("a\0b\r\n.\r\n"s) == "550 5.6.0");
}

BOOST_AUTO_TEST_CASE(text_line_of_1000_octets_accepted_1001_refused_in_sync) {
    BOOST_TEST(data_run(std::string(998, 'x') + "\r\n.\r\n") == "250 2.0.0");
    BOOST_TEST(refusal_in_sync(std::string(999, 'x') + "\r\n.\r\n") == "552 5.6.0");
}

BOOST_AUTO_TEST_CASE(oversize_data_without_size_is_552_after_the_end) {
    auto c = test_config();
    c.limits.message_size = 100;
    BOOST_TEST(refusal_in_sync(std::string(200, 'x') + "\r\n.\r\n", c) == "552 5.3.4");
}

BOOST_AUTO_TEST_CASE(oversize_data_lying_about_size_is_552) {
    auto c = test_config();
    c.limits.message_size = 100;
    std::string body;
    for (int i = 0; i < 20; ++i)
        body += "0123456789\r\n";
    auto r = run("EHLO c\r\nMAIL FROM:<a@b.test> SIZE=50\r\nRCPT TO:<l@lists.example>\r\nDATA\r\n" +
                     body + ".\r\n",
                 c);
    BOOST_TEST(r.replies.back() == "552 5.3.4");
    BOOST_TEST(r.delivered.empty());
}

BOOST_AUTO_TEST_CASE(message_exactly_at_size_limit_is_accepted) {
    auto c = test_config();
    c.limits.message_size = 12;
    BOOST_TEST(data_run("0123456789\r\n.\r\n", c) == "250 2.0.0");
    BOOST_TEST(data_run("01234567890\r\n.\r\n", c) == "552 5.3.4");
}

BOOST_AUTO_TEST_CASE(dot_line_content_looking_like_commands_stays_data) {
    auto r = run(ehlo_mail_rcpt + "DATA\r\nQUIT\r\n.QUIT\r\n.\r\n");
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].message == "QUIT\r\nQUIT\r\n");
    BOOST_TEST(!r.closed);
}

BOOST_AUTO_TEST_CASE(starttls_discards_pipelined_input) {
    server_protocol p(tls_config(), "192.0.2.1", accept_list_recipients);
    protocol_run r;
    r.add(p.feed("EHLO c\r\nSTARTTLS\r\nMAIL FROM:<evil@x.test>\r\n"));
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "220 2.0.0"}));
    BOOST_TEST(r.tls);
    BOOST_TEST((p.phase() == protocol_phase::tls_handshake));
    r.add(p.feed("RCPT TO:<l@lists.example>\r\n")); // plaintext before the handshake
    BOOST_TEST(r.replies.size() == 2u);
    p.tls_started();
    r.add(p.feed("RCPT TO:<l@lists.example>\r\nEHLO c\r\n"));
    // the injected MAIL is gone and the HELO state was reset (RFC 3207 4.2)
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "220 2.0.0", "503 5.5.1", "250 2.0.0"}));
}

BOOST_AUTO_TEST_CASE(starttls_after_tls_and_without_tls_is_502) {
    BOOST_TEST(run("EHLO c\r\nSTARTTLS\r\n").replies.back() == "502 5.5.1");
    auto p = after_starttls();
    protocol_run r;
    r.add(p.feed("EHLO c\r\nSTARTTLS\r\n"));
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "502 5.5.1"}));
}

BOOST_AUTO_TEST_CASE(starttls_before_ehlo_or_with_argument) {
    const auto c = tls_config();
    BOOST_TEST(run("STARTTLS\r\n", c).replies.back() == "503 5.5.1");
    BOOST_TEST(run("EHLO c\r\nSTARTTLS now\r\n", c).replies.back() == "501 5.5.4");
}

BOOST_AUTO_TEST_CASE(tls_flag_reaches_the_transaction) {
    auto p = after_starttls();
    protocol_run r;
    r.add(p.feed(ehlo_mail_rcpt + "DATA\r\nx\r\n.\r\n"));
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 1u);
    BOOST_TEST(r.delivered[0].env.tls);
}

BOOST_AUTO_TEST_CASE(tls_started_without_starttls_is_a_logic_error) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    BOOST_CHECK_THROW(p.tls_started(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(phases_follow_the_dialog) {
    server_protocol p(test_config(), "192.0.2.1", accept_list_recipients);
    BOOST_TEST((p.phase() == protocol_phase::first_command));
    p.feed("EHLO c\r\n");
    BOOST_TEST((p.phase() == protocol_phase::mail));
    p.feed("MAIL FROM:<a@b.test>\r\n");
    BOOST_TEST((p.phase() == protocol_phase::rcpt));
    p.feed("RCPT TO:<l@lists.example>\r\nDATA\r\n");
    BOOST_TEST((p.phase() == protocol_phase::data));
    p.feed(".\r\n");
    BOOST_TEST((p.phase() == protocol_phase::delivery));
}

BOOST_AUTO_TEST_CASE(second_transaction_on_same_connection) {
    auto r = run(ehlo_mail_rcpt + "DATA\r\none\r\n.\r\nMAIL FROM:<>\r\n"
                                  "RCPT TO:<k@lists.example>\r\nDATA\r\ntwo\r\n.\r\n");
    BOOST_REQUIRE_EQUAL(r.delivered.size(), 2u);
    BOOST_TEST(r.delivered[1].env.mail_from.empty());
    BOOST_TEST(r.delivered[1].env.rcpts == (strings{"k@lists.example"}));
    BOOST_TEST(r.delivered[1].message == "two\r\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_limits_test)

BOOST_AUTO_TEST_CASE(configured_limits_apply) {
    auto c = test_config();
    c.limits.recipients = 2;
    c.limits.errors = 3;
    c.limits.command_line = 20;
    auto r = run("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@lists.example>\r\n", c);
    BOOST_TEST(r.replies.back() == "500 5.5.6"); // the MAIL line is 22 octets
    r = run("EHLO c\r\nNOOP 1234567890123456\r\nX\r\nY\r\n", c);
    BOOST_TEST(r.replies == (strings{"250 2.0.0", "500 5.5.6", "500 5.5.2", "421 4.7.0"}));
}

BOOST_AUTO_TEST_CASE(configured_recipient_limit) {
    auto c = test_config();
    c.limits.recipients = 2;
    auto r = run("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@lists.example>\r\n"
                 "RCPT TO:<b@lists.example>\r\nRCPT TO:<c@lists.example>\r\n",
                 c);
    BOOST_TEST(r.replies.back() == "452 4.5.3");
}

BOOST_AUTO_TEST_CASE(configured_text_line_limit) {
    auto c = test_config();
    c.limits.text_line = 10;
    BOOST_TEST(run(ehlo_mail_rcpt + "DATA\r\n12345678\r\n.\r\n", c).replies.back() == "250 2.0.0");
    BOOST_TEST(run(ehlo_mail_rcpt + "DATA\r\n123456789\r\n.\r\n", c).replies.back() == "552 5.6.0");
}

BOOST_AUTO_TEST_CASE(size_is_advertised_from_the_limit) {
    auto c = test_config();
    c.limits.message_size = 1234;
    server_protocol p(c, "192.0.2.1", accept_list_recipients);
    auto text = format_reply(std::get<send_reply>(p.feed("EHLO c\r\n")[0]).r);
    BOOST_TEST(text.find("250-SIZE 1234\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
