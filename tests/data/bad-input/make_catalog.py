#!/usr/bin/python3
"""tests/data/bad-input/make_catalog.py — writes the bad-input catalog: one small file per case
under <kind>/ and manifest.tsv (file, kind, expected). Cases larger than a few KB (header
bombs, 1 MB lines, 10 000 recipients, ...) are not files: their manifest entry names a
generator, "@name", that tests/unit/bad_input/generators.cpp runs at test time.

Run: /usr/bin/python3 tests/data/bad-input/make_catalog.py (deterministic; rewrites the tree).
The expected column is a space-separated list of tokens that the runner must produce
(tests/unit/bad_input/verdicts.hpp documents the tokens of each kind); "not=X" means X must
not be produced."""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = []  # (file or @generator, kind, expected)


def case(kind, name, content, expected, note=""):
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogateescape")
    rel = f"{kind}/{name}"
    os.makedirs(os.path.join(HERE, kind), exist_ok=True)
    with open(os.path.join(HERE, rel), "wb") as f:
        f.write(content)
    CASES.append((rel, kind, expected, note))


def generated(kind, name, expected):
    CASES.append((f"@{name}", kind, expected, ""))


for kind in ("message", "authres", "aar", "dkim-signature", "key-record", "tag-list",
             "address-list", "spf-record", "spf-check", "dns-zone", "dns-wire", "config",
             "smtp"):
    shutil.rmtree(os.path.join(HERE, kind), ignore_errors=True)

# ---------------------------------------------------------------- messages (RFC 5322, 6376, 8617)
H = "From: a@example.com\r\nTo: l@lists.example\r\nSubject: t\r\n"


def msg(headers, body="body\r\n"):
    return headers + "\r\n" + body


case("message", "nul_in_header.eml", msg(H + "X-Nul: a\0b\r\n"), "parsed arc=none")
case("message", "nul_in_body.eml", msg(H, "a\0b\r\n"), "parsed arc=none")
case("message", "nul_in_field_name.eml", msg(H + "X-\0Nul: a\r\n"), "parse-error")
case("message", "invalid_utf8_header.eml",
     msg(H + "X-Bad: \xc3\x28 \xff\xfe\r\n").encode("latin-1"),  # the bytes themselves
     "parsed arc=none")
case("message", "invalid_utf8_body.eml",
     msg(H, "\xc3\x28\xa0\xa1\xf0\x28\x8c\x28\r\n").encode("latin-1"),
     "parsed arc=none")
case("message", "bare_lf_in_header.eml", "From: a@example.com\nTo: b\r\n\r\nbody\r\n",
     "parse-error")
case("message", "bare_cr_in_header.eml", "From: a@example.com\rTo: b\r\n\r\nbody\r\n",
     "parse-error")
case("message", "continuation_first.eml", " folded\r\n" + msg(H), "parse-error")
case("message", "line_without_colon.eml", msg(H + "Not a field\r\n"), "parse-error")
case("message", "space_in_field_name.eml", msg(H + "X Bad: v\r\n"), "parse-error")
case("message", "empty.eml", "", "parsed arc=none dkim=none")
case("message", "headers_only.eml", H, "parsed arc=none")
case("message", "header_line_999.eml", msg(H + "X-Long: " + "a" * (999 - 8) + "\r\n"),
     "parse-error")
case("message", "header_line_998.eml", msg(H + "X-Long: " + "a" * (998 - 8) + "\r\n"),
     "parsed arc=none")
case("message", "body_line_5000.eml", msg(H, "b" * 5000 + "\r\n"), "parsed arc=none")

AS1 = "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=example.org; s=sel; t=1767225600; b=AAAA\r\n"
AMS1 = ("ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel;"
        " h=from:to:subject; bh=AAAA; b=AAAA\r\n")
AAR1 = "ARC-Authentication-Results: i=1; mx.example.org; spf=pass smtp.mailfrom=example.com\r\n"


def arc_set(i, cv="pass", seal_extra=""):
    return (f"ARC-Seal: i={i}; a=rsa-sha256; cv={cv}; d=example.org; s=sel; t=1767225600;"
            f"{seal_extra} b=AAAA\r\n"
            f"ARC-Message-Signature: i={i}; a=rsa-sha256; c=relaxed/relaxed; d=example.org;"
            f" s=sel; h=from:to; bh=AAAA; b=AAAA\r\n"
            f"ARC-Authentication-Results: i={i}; mx.example.org; spf=pass\r\n")


case("message", "arc_seal_without_ams.eml", msg(AS1 + AAR1 + H), "parsed arc=fail")
case("message", "arc_aar_only.eml", msg(AAR1 + H), "parsed arc=fail")
case("message", "arc_instance_zero.eml", msg(arc_set(0, "none") + H), "parsed arc=fail")
case("message", "arc_instance_51.eml", msg(arc_set(51) + H), "parsed arc=fail")
case("message", "arc_duplicate_instance.eml", msg(arc_set(1, "none") + arc_set(1, "none") + H),
     "parsed arc=fail")
case("message", "arc_cv_none_at_2.eml", msg(arc_set(2, "none") + arc_set(1, "none") + H),
     "parsed arc=fail")
case("message", "arc_seal_with_h.eml", msg(arc_set(1, "none", " h=from;") + H),
     "parsed arc=fail")
case("message", "arc_gap.eml", msg(arc_set(3) + arc_set(1, "none") + H), "parsed arc=fail")
case("message", "arc_instance_not_number.eml",
     msg(AS1.replace("i=1", "i=abc") + AMS1 + AAR1 + H), "parsed arc=fail")
case("message", "arc_instance_negative.eml",
     msg(AS1.replace("i=1", "i=-1") + AMS1 + AAR1 + H), "parsed arc=fail")
case("message", "arc_instance_overflow.eml",
     msg(arc_set(99999999999999999999, "none") + H), "parsed arc=fail")
case("message", "arc_seal_garbage.eml", msg("ARC-Seal: ;;;===;;\r\n" + AMS1 + AAR1 + H),
     "parsed arc=fail")
case("message", "arc_bad_base64.eml", msg(AS1.replace("b=AAAA", "b=!!!*") + AMS1 + AAR1 + H),
     "parsed arc=fail")
case("message", "arc_unknown_algorithm.eml",
     msg(AS1.replace("rsa-sha256", "rot13-md4") + AMS1.replace("rsa-sha256", "rot13-md4") +
         AAR1 + H), "parsed arc=fail")
case("message", "arc_cv_bogus.eml", msg(AS1.replace("cv=none", "cv=maybe") + AMS1 + AAR1 + H),
     "parsed arc=fail")
case("message", "arc_ams_missing_b.eml", msg(AS1 + AMS1.replace(" b=AAAA", "") + AAR1 + H),
     "parsed arc=fail")
case("message", "arc_unknown_key.eml", msg(AS1 + AMS1 + AAR1 + H), "parsed arc=fail")

DK = ("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;"
      " h=from:to:subject; bh=AAAA; b=AAAA\r\n")
case("message", "dkim_no_tags.eml", msg("DKIM-Signature: \r\n" + H), "parsed dkim=permerror")
case("message", "dkim_version_2.eml", msg(DK.replace("v=1", "v=2") + H),
     "parsed dkim=permerror")
case("message", "dkim_duplicate_tag.eml", msg(DK.replace("s=sel;", "s=sel; s=other;") + H),
     "parsed dkim=permerror")
case("message", "dkim_h_without_from.eml", msg(DK.replace("h=from:to:subject", "h=to") + H),
     "parsed dkim=permerror")
case("message", "dkim_l_overflow.eml", msg(DK.replace("bh=", "l=99999999999999999999999; bh=")
                                           + H), "parsed dkim=permerror")
case("message", "dkim_x_before_t.eml", msg(DK.replace("bh=", "t=1767225600; x=1767225500; bh=")
                                           + H), "parsed dkim=permerror")
case("message", "dkim_i_outside_d.eml", msg(DK.replace("bh=", "i=@evil.test; bh=") + H),
     "parsed dkim=permerror")
case("message", "dkim_bad_base64.eml", msg(DK.replace("bh=AAAA", "bh=%%%%") + H),
     "parsed dkim=permerror")
case("message", "dkim_unknown_key.eml", msg(DK + H), "parsed dkim=permerror")
case("message", "dkim_canon_bogus.eml", msg(DK.replace("relaxed/relaxed", "loose/tight") + H),
     "parsed dkim=permerror")
generated("message", "header_bomb_10000_fields", "parse-error")
generated("message", "header_1000_fields", "parsed arc=none")
generated("message", "header_line_1mb", "parse-error")
generated("message", "header_block_over_1mib", "parse-error")
generated("message", "body_line_1mb", "parsed arc=none")
generated("message", "nul_bytes_100k", "parse-error")
generated("message", "multipart_nested_10000", "parsed arc=none dkim=none")
generated("message", "arc_51_sets", "parsed arc=fail")
generated("message", "arc_seal_gigantic_tag", "parsed arc=fail")
generated("message", "message_dkim_signature_million_char_tag", "parsed dkim=permerror")
generated("message", "message_authres_comment_10000_deep", "parsed arc=none")
generated("message", "dkim_signatures_50", "parsed")
generated("message", "dkim_body_of_empty_lines", "parsed arc=none dkim=fail")

# ---------------------------------------------------------------- Authentication-Results (RFC 8601)
for name, value, expected, *note in [
    ("empty", "", "error"),
    ("semicolon_only", ";", "error"),
    ("authserv_only", "example.com", "error"),
    ("none", "example.com; none", "ok"),
    ("unterminated_comment", "example.com (foo; spf=pass", "error"),
    ("unterminated_quote", "example.com; dkim=pass reason=\"good", "error"),
    ("method_without_result", "example.com; spf", "error"),
    ("empty_result", "example.com; spf=", "error"),
    ("property_without_value", "example.com; spf=pass smtp.mailfrom", "error"),
    ("property_without_name", "example.com; spf=pass smtp.=x", "error"),
    ("comment_depth_32", "example.com; spf=pass " + "(" * 32 + "c" + ")" * 32, "ok"),
    ("comment_depth_33", "example.com; spf=pass " + "(" * 33 + "c" + ")" * 33, "error"),
    ("results_100", "example.com; " + "; ".join(["spf=pass"] * 100), "ok"),
    ("results_101", "example.com; " + "; ".join(["spf=pass"] * 101), "error"),
    ("nul_in_value", "example.com; spf=pa\0ss", "error"),
    ("version_overflow", "example.com 99999999999999999999; none", "error"),
    ("reason_empty", "example.com; dkim=pass reason=", "error"),
    ("bare_cr", "example.com;\r spf=pass", "error"),
    ("unbalanced_close", "example.com; spf=pass )", "error"),
]:
    case("authres", name + ".txt", value, expected, *note)
generated("authres", "authres_comment_10000_deep", "error")
generated("authres", "authres_over_64k", "error")

for name, value, expected, *note in [
    ("instance_zero", "i=0; example.com; none", "error"),
    ("instance_51", "i=51; example.com; spf=pass", "error"),
    ("instance_50", "i=50; example.com; spf=pass", "ok"),
    ("missing_semicolon", "i=1 example.com; none", "error"),
    ("missing_instance", "example.com; spf=pass", "error"),
    ("instance_suffix", "i=1a; example.com; spf=pass", "error"),
    ("instance_empty", "i=; example.com; spf=pass", "error"),
    ("valid", "i=1; example.com; spf=pass smtp.mailfrom=example.org", "ok"),
]:
    case("aar", name + ".txt", value, expected, *note)

# ---------------------------------------------------------------- DKIM-Signature (RFC 6376 3.5)
SIG = "v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to; bh=AAAA; b=AAAA"
for name, value, expected, *note in [
    ("empty", "", "error"),
    ("version_only", "v=1", "error"),
    ("valid_minimal", SIG, "ok"),
    ("duplicate_tag", SIG + "; d=other.test", "error"),
    ("version_2", SIG.replace("v=1", "v=2"), "error"),
    ("unknown_algorithm", SIG.replace("rsa-sha256", "rsa-md5"), "ok"),
    ("negative_length", SIG + "; l=-1", "error"),
    ("length_overflow", SIG + "; l=184467440737095516160", "error"),
    ("timestamp_text", SIG + "; t=yesterday", "error"),
    ("identity_outside_domain", SIG + "; i=@evil.test", "error"),
    ("bad_base64", SIG.replace("b=AAAA", "b=!!!"), "error"),
    ("bogus_canonicalization", SIG + "; c=bogus", "error"),
    ("bad_tag_name", SIG + "; 1a=b", "error"),
    ("missing_domain", SIG.replace("d=example.com; ", ""), "error"),
    ("empty_h", SIG.replace("h=from:to", "h="), "error"),
]:
    case("dkim-signature", name + ".txt", value, expected, *note)
generated("dkim-signature", "dkim_signature_value_million_char_tag", "ok")

# ---------------------------------------------------------------- DKIM key records (RFC 6376 3.6.1)
ED = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
for name, value, expected, *note in [
    ("empty", "", "error"),
    ("no_key", "v=DKIM1", "error"),
    ("revoked", "v=DKIM1; p=", "ok"),
    ("version_2", "v=DKIM2; k=ed25519; p=" + ED, "error"),
    ("version_not_first", "k=ed25519; p=" + ED + "; v=DKIM1", "error"),
    ("unknown_key_type", "v=DKIM1; k=foo; p=" + ED, "error"),
    ("bad_base64", "v=DKIM1; p=!!!!", "error"),
    ("not_a_key", "v=DKIM1; k=rsa; p=AAAA", "error"),
    ("ed25519_31_bytes", "v=DKIM1; k=ed25519; p=" + "A" * 42 + "==", "error"),
    ("valid_ed25519", "v=DKIM1; k=ed25519; p=" + ED, "ok"),
    ("sha1_only", "v=DKIM1; k=ed25519; h=sha1; p=" + ED, "ok"),
    ("flags", "v=DKIM1; k=ed25519; t=y:s:zz; p=" + ED, "ok"),
    ("nul", "v=DKIM1; k=ed25519;\0 p=" + ED, "error"),
]:
    case("key-record", name + ".txt", value, expected, *note)

# ---------------------------------------------------------------- tag lists (RFC 6376 3.2)
for name, value, expected, *note in [
    ("duplicate", "a=1; a=2", "error"),
    ("no_name", "=1", "error"),
    ("no_equals", "a", "error"),
    ("trailing_semicolon", "a=1;", "ok"),
    ("equals_in_value", "a=b=c", "ok"),
    ("del_in_value", "a=\x7f", "error"),
    ("folded", "a = 1 ;\r\n b\r\n =2", "ok"),
    ("crlf_without_wsp", "a=1\r\nb=2", "ok", "lenient L1"),
    ("digit_first_name", "1a=2", "error"),
    ("nul_in_value", "a=\0", "error"),
]:
    case("tag-list", name + ".txt", value, expected, *note)

# ---------------------------------------------------------------- address lists (RFC 5322 3.4)
for name, value, expected, *note in [
    ("empty", "", "ok", "lenient L2"),
    ("angle_only", "<>", "error"),
    ("no_domain", "a@", "error"),
    ("no_local_part", "@b.test", "error"),
    ("unterminated_quote", "\"unterminated <a@b.test>", "error"),
    ("unterminated_group", "Group: a@b.test", "error"),
    ("unterminated_comment", "a@b.test (((((", "error"),
    ("unterminated_literal", "a@[192.0.2.1", "error"),
    ("empty_label", "a@b..test", "ok", "lenient L2"),
    ("valid", "A <a@b.test>, c@d.test", "ok"),
    ("nul", "a\0b@c.test", "ok", "lenient L2"),
]:
    case("address-list", name + ".txt", value, expected, *note)
generated("address-list", "address_comment_10000_deep", "error")
generated("address-list", "address_list_10000", "error")  # over max_tokens

# ---------------------------------------------------------------- SPF records (RFC 7208 4.6, 5, 6, 7)
for name, value, expected, *note in [
    ("version_only", "v=spf1", "ok"),
    ("version_10", "v=spf10 -all", "error"),
    ("ip4_out_of_range", "v=spf1 ip4:300.1.1.1 -all", "error"),
    ("ip4_prefix_33", "v=spf1 ip4:192.0.2.0/33 -all", "error"),
    ("ip6_prefix_129", "v=spf1 ip6:2001:db8::/129 -all", "error"),
    ("redirect_twice", "v=spf1 redirect=a.test redirect=b.test", "error"),
    ("bad_macro_letter", "v=spf1 a:%{z}.test -all", "error"),
    ("unterminated_macro", "v=spf1 include:%{d -all", "error"),
    ("unknown_mechanism", "v=spf1 foo:bar -all", "error"),
    ("unknown_modifier", "v=spf1 unknown-mod=x -all", "ok"),
    ("high_byte", "v=spf1 \x80a -all", "error"),
    ("double_cidr", "v=spf1 a//0//0 -all", "error"),
]:
    case("spf-record", name + ".txt", value, expected, *note)
generated("spf-record", "spf_record_10000_terms", "ok")

# ---------------------------------------------------------------- SPF checks over a zone
# The runner checks MAIL FROM user@spf.bad.test from 192.0.2.1; each file is that zone.
Z = "$ORIGIN bad.test.\n$TTL 300\n"
for name, zone, expected, *note in [
    ("include_loop", Z + 'spf IN TXT "v=spf1 include:spf.bad.test -all"\n', "permerror"),
    ("include_chain_11", Z + "".join(
        f'{"spf" if i == 0 else f"n{i}"} IN TXT "v=spf1 include:n{i + 1}.bad.test -all"\n'
        for i in range(11)) + 'n11 IN TXT "v=spf1 +all"\n', "permerror"),
    ("void_lookups_3", Z + 'spf IN TXT "v=spf1 a:x1.bad.test a:x2.bad.test a:x3.bad.test -all"\n',
     "permerror"),
    ("two_records", Z + 'spf IN TXT "v=spf1 -all"\nspf IN TXT "v=spf1 +all"\n', "permerror"),
    ("redirect_nowhere", Z + 'spf IN TXT "v=spf1 redirect=nowhere.bad.test"\n', "permerror"),
    ("mx_11_names", Z + 'spf IN TXT "v=spf1 mx -all"\n' + "".join(
        f"spf IN MX 10 mx{i}.bad.test.\n" for i in range(11)), "permerror"),
    ("cname_loop", Z + "spf IN CNAME loop.bad.test.\nloop IN CNAME spf.bad.test.\n",
     "temperror"),
    ("syntax_error", Z + 'spf IN TXT "v=spf1 ip4:1.2.3.4/99 -all"\n', "permerror"),
]:
    case("spf-check", name + ".zone", zone, expected, *note)
generated("spf-check", "spf_huge_txt", "fail")

# ---------------------------------------------------------------- static zones (question q.bad.test TXT)
for name, zone, expected, *note in [
    ("cname_loop", Z + "q IN CNAME r.bad.test.\nr IN CNAME q.bad.test.\n", "temp_failure"),
    ("cname_self", Z + "q IN CNAME q.bad.test.\n", "temp_failure"),
    ("cname_chain_9", Z + "q IN CNAME c1.bad.test.\n" + "".join(
        f"c{i} IN CNAME c{i + 1}.bad.test.\n" for i in range(1, 9)) + 'c9 IN TXT "x"\n',
     "temp_failure"),
    ("cname_chain_8", Z + "q IN CNAME c1.bad.test.\n" + "".join(
        f"c{i} IN CNAME c{i + 1}.bad.test.\n" for i in range(1, 8)) + 'c8 IN TXT "x"\n',
     "records"),
    ("unterminated_quote", Z + "q IN TXT \"unterminated\n", "records", "lenient L3"),
    ("unparseable", Z + "q IN BOGUS 1 2 3\n", "error"),
    ("nodata", Z + "q IN A 192.0.2.1\n", "nodata"),
]:
    case("dns-zone", name + ".zone", zone, expected, *note)
generated("dns-zone", "dns_zone_huge_txt", "records")


# ---------------------------------------------------------------- DNS answers on the wire
# Answers to the runner's query: q.bad.test TXT, id 0x5a17.
def dname(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\x00"


QN = dname("q.bad.test")
ID = 0x5a17


def pkt(rcode=0, answers=(), authority=(), flags=0x8180, qname=QN, qtype=16, ident=ID,
        counts=None):
    an, ns = len(answers), len(authority)
    qd = 1
    if counts:
        qd, an, ns = counts
    head = struct.pack(">HHHHHH", ident, flags | rcode, qd, an, ns, 0)
    body = qname + struct.pack(">HH", qtype, 1)
    for owner, rtype, rdata in list(answers) + list(authority):
        body += owner + struct.pack(">HHIH", rtype, 1, 300, len(rdata)) + rdata
    return head + body


Q = b"\xc0\x0c"
TXT = b"\x05hello"
SOA = dname("bad.test") + dname("h.bad.test") + struct.pack(">IIIII", 1, 2, 3, 4, 60)
for name, wire, expected, *note in [
    ("empty", b"", "not_ours"),
    ("short_header", pkt()[:11], "not_ours"),
    ("other_id", pkt(answers=[(Q, 16, TXT)], ident=0x1234), "not_ours"),
    ("not_a_response", pkt(answers=[(Q, 16, TXT)], flags=0x0100), "not_ours"),
    ("other_question", pkt(answers=[(Q, 16, TXT)], qname=dname("x.bad.test")), "not_ours"),
    ("no_question", pkt(counts=(0, 0, 0))[:12], "not_ours"),
    ("compression_loop", pkt(answers=[(b"\xc0\x1c", 16, TXT)]), "garbled"),
    ("rdlength_beyond_end", pkt(answers=[(Q, 16, TXT)])[:-3], "garbled"),
    ("count_beyond_end", pkt(answers=[(Q, 16, TXT)], counts=(1, 5, 0)), "garbled"),
    ("servfail", pkt(rcode=2), "temp_failure"),
    ("nxdomain", pkt(rcode=3, authority=[(dname("bad.test"), 6, SOA)]), "nxdomain"),
    ("nodata_with_soa", pkt(authority=[(dname("bad.test"), 6, SOA)]), "nodata"),
    ("valid_txt", pkt(answers=[(Q, 16, TXT)]), "records"),
    ("cname_loop", pkt(answers=[(Q, 5, dname("r.bad.test")), (dname("r.bad.test"), 5, QN)]),
     "temp_failure"),
    ("cname_chain_9", pkt(answers=[(Q if i == 0 else dname(f"c{i}.bad.test"), 5,
                                    dname(f"c{i + 1}.bad.test")) for i in range(9)] +
                          [(dname("c9.bad.test"), 16, TXT)]), "temp_failure"),
    ("cname_dangling", pkt(answers=[(Q, 5, dname("elsewhere.test"))]), "next-name"),
    ("txt_string_overruns_rdata", pkt(answers=[(Q, 16, b"\x09hello")]), "garbled"),
    ("a_answer_to_txt", pkt(answers=[(Q, 1, bytes([192, 0, 2, 1]))]), "nodata"),
    ("refused", pkt(rcode=5), "temp_failure"),
]:
    case("dns-wire", name + ".bin", wire, expected, *note)
generated("dns-wire", "dns_wire_huge_txt", "records")

# ---------------------------------------------------------------- configuration (TOML)
for name, text, expected, *note in [
    ("empty", "", "error"),
    ("brackets", "[[[", "error"),
    ("no_value", "a = ", "error"),
    ("nul", "a = \"x\0y\"", "error"),
    ("invalid_utf8", b"a = \"\xff\xfe\"", "error"),
    ("invalid_utf8_literal_key", b"'\x91'", "error",
     "F4: toml11 3.7 read past its buffer on it (fuzz_config)"),
    ("overlong_utf8_in_comment", b"# \xc0\xaf\n", "error"),
    ("duplicate_key", "a = 1\na = 2\n", "error"),
    ("integer_overflow", "a = 999999999999999999999999\n", "error"),
    ("unknown_section", "[nonsense]\nx = 1\n", "error"),
]:
    case("config", name + ".toml", text, expected, *note)
generated("config", "config_nested_arrays_10000", "error")
generated("config", "config_nested_tables_10000", "error")

# ---------------------------------------------------------------- SMTP sessions (RFC 5321)
E = "EHLO c.test\r\n"
MAIL = "MAIL FROM:<a@b.test>\r\n"
RCPT = "RCPT TO:<l@lists.example>\r\n"
for name, session, expected, *note in [
    ("mail_before_ehlo", MAIL, "has=503 delivered=0"),
    ("rcpt_before_mail", E + RCPT, "has=503 delivered=0"),
    ("data_before_rcpt", E + MAIL + "DATA\r\n", "has=554/5.5.1 not=354 delivered=0"),
    ("command_513_bytes", "EHLO " + "a" * 506 + "\r\n", "has=500 not=250"),
    ("command_1001_bytes", "NOOP " + "a" * 994 + "\r\n" + E, "has=500 has=250"),
    ("command_512_bytes", "NOOP " + "a" * 505 + "\r\n", "has=250"),
    ("nul_in_ehlo", "EHLO a\0b\r\n", "has=500/5.5.2 not=250"),
    ("nul_in_mail", E + "MAIL FROM:<a\0@b.test>\r\n", "has=500/5.5.2 replies=2"),
    ("bare_lf_in_data", E + MAIL + RCPT + "DATA\r\nA: b\r\n\r\nbare\nlf\r\n.\r\n",
     "delivered=0 has=354"),
    ("bare_cr_in_data", E + MAIL + RCPT + "DATA\r\nA: b\r\n\r\nbare\rcr\r\n.\r\n",
     "delivered=0 has=354"),
    ("smuggled_dot_lf", E + MAIL + RCPT + "DATA\r\nA: b\r\n\r\nx\r\n\n.\n" + MAIL + RCPT +
     "DATA\r\nx\r\n.\r\n", "delivered=0"),
    ("bare_lf_command", "EHLO c.test\n", "not=250"),
    ("starttls_pipelined", E + "STARTTLS\r\n" + MAIL, "has=220 replies=2"),
    ("starttls_before_ehlo", "STARTTLS\r\n", "not=220 delivered=0"),
    ("starttls_with_argument", E + "STARTTLS now\r\n", "has=501 not=220"),
    ("too_many_errors", "FOO\r\n" * 25, "has=421 closed"),
    ("size_too_big", E + "MAIL FROM:<a@b.test> SIZE=999999999999\r\n", "has=552"),
    ("size_overflow", E + "MAIL FROM:<a@b.test> SIZE=99999999999999999999999999\r\n",
     "not=250/2.1.0 replies=2"),
    ("data_line_1001", E + MAIL + RCPT + "DATA\r\nA: b\r\n\r\n" + "x" * 999 + "\r\n.\r\n",
     "delivered=0"),
    ("quit_then_more", "QUIT\r\n" + E, "has=221 closed replies=1"),
    ("empty_line", "\r\n", "has=500"),
    ("lowercase", "ehlo c.test\r\nmail from:<a@b.test>\r\nrcpt to:<l@lists.example>\r\n",
     "has=250/2.1.5"),
    ("double_at", E + "MAIL FROM:<a@@b.test>\r\n", "has=501 replies=2"),
    ("rcpt_unknown_list", E + MAIL + "RCPT TO:<x@nowhere.test>\r\n", "has=550"),
    ("rcpt_two_lists", E + MAIL + RCPT + "RCPT TO:<x@other.example>\r\n", "has=452/4.5.3"),
    ("helo_smtputf8", "HELO c.test\r\nMAIL FROM:<a@b.test> SMTPUTF8\r\n", "not=250/2.1.0"),
    ("non_ascii_command", "\xc3\xa9HLO c.test\r\n", "has=500"),
    ("smtputf8_malformed_sender", E.encode() + b"MAIL FROM:<\xff\xfe@b.test> SMTPUTF8\r\n",
     "has=501/5.1.7 not=250/2.1.0"),
    ("smtputf8_overlong_recipient", E.encode() + b"MAIL FROM:<a@b.test> SMTPUTF8\r\n"
     b"RCPT TO:<l\xc0\xae@lists.example>\r\n", "has=501/5.1.3 not=250/2.1.5"),
    ("empty_data", E + MAIL + RCPT + "DATA\r\n.\r\n", "delivered=1"),
    ("rset_then_data", E + MAIL + RCPT + "RSET\r\nDATA\r\n", "has=503 delivered=0"),
    ("ehlo_no_argument", "EHLO\r\n", "has=501"),
    ("mail_no_colon", E + "MAIL FROM a@b.test\r\n", "has=501"),
    ("body_bogus", E + "MAIL FROM:<a@b.test> BODY=9BIT\r\n", "not=250/2.1.0 replies=2"),
    ("data_with_argument", E + MAIL + RCPT + "DATA now\r\n", "has=501 not=354"),
    ("nested_mail", E + MAIL + MAIL, "has=503"),
    ("unknown_param", E + "MAIL FROM:<a@b.test> X-FOO=bar\r\n", "has=555"),
]:
    case("smtp", name + ".txt", session, expected, *note)
generated("smtp", "smtp_10000_recipients", "has=452/4.5.3 delivered=1")
generated("smtp", "smtp_data_26mb", "has=552 delivered=0")
generated("smtp", "smtp_10000_pipelined_noop", "replies=10000")

with open(os.path.join(HERE, "manifest.tsv"), "w") as f:
    f.write("# file\tkind\texpected\tnote (generated by make_catalog.py; see "
            "tests/unit/bad_input/ and docs/ROBUSTNESS.md for the notes)\n")
    for rel, kind, expected, note in CASES:
        f.write(f"{rel}\t{kind}\t{expected}\t{note}\n")
print(f"{len(CASES)} cases")
