"""The seal fan-out part of docs/PERFORMANCE.md (bench/smtp_load.py `e2e_fanout` rows):
seals per CPU-second of the split layout's seal listener against the crypto bound of one
seal, and the time to seal a post for a whole list. Used by bench/report.py."""

TARGET_FANOUT_BOUND = 0.85  # seals per CPU-second / bound (issue 14)
SEAL_SIGNATURES = 2         # one AMS and one AS per algorithm (RFC 8617 5.1)


def seal_bound_s(rates, body_bytes):
    """CPU seconds one seal with both keys cannot avoid: an AMS and an AS per algorithm and
    one relaxed body hash (the body of each personalized copy differs)."""
    return (SEAL_SIGNATURES / rates["rsa2048_sign_per_s"] +
            SEAL_SIGNATURES / rates["ed25519_sign_per_s"] +
            body_bytes / rates["sha256_bytes_per_s"])


def row_rates(row, rates):
    """The rates measured around this run (smtp_load.py), else the in-process ones."""
    return row.get("bound_rates") or rates


def bound_seals(row, rates):
    r = row_rates(row, rates)
    return 1 / seal_bound_s(r, row["body_bytes"]) if r else None


def ratio(row, rates):
    bound = bound_seals(row, rates)
    if not bound or not row.get("seals_per_cpu_s"):
        return None
    return row["seals_per_cpu_s"] / bound


def personalized(rows):
    return [r for r in rows if r["mode"] == "personalized"]


def target_rows(w, rows, rates, verdict):
    if not rows:
        w("| seal fan-out: seals per CPU-second >= %d %% of the bound | not run | not "
          "measured |" % (TARGET_FANOUT_BOUND * 100))
        return
    for r in personalized(rows):
        if r["connections"] != 1:
            continue
        x = ratio(r, rates)
        w("| seal fan-out, personalized, %s: seals per CPU-second >= %d %% of the bound | "
          "%s | %s |" % (r["size_class"].upper(), TARGET_FANOUT_BOUND * 100,
                         "-" if x is None else "%.0f %% (%.0f of %.0f)" % (
                             100 * x, r["seals_per_cpu_s"], bound_seals(r, rates)),
                         verdict(x is not None and x >= TARGET_FANOUT_BOUND and
                                 not r["errors"])))


def copies_sent(rows, list_members):
    """What the personalized runs sent, and whether the list's time is measured."""
    sent = next((r["members"] for r in rows), 0)
    if sent == list_members:
        return "a copy is sent for each of the %d members, so the list's time is measured." % sent
    return ("%d copies are sent and the time for a %d-member list is **extrapolated linearly** "
            "from them." % (sent, list_members))


def section(w, rows, rates, fmt_rate):
    if not rows:
        return
    first = rows[0]
    w("### Seal fan-out (the split layout's seal listener, fed as Mailman feeds it)")
    w("")
    w("A `split-seal` listener (allowed_clients 127.0.0.1, `max_recipients = 500`, both keys, "
      "next hop smtp-sink) receives the s1 post (plain text, no prior ARC set) as Mailman 3 "
      "sends it: with our Authentication-Results (what the verify listener wrote) and "
      "Mailman's List-* fields. *Personalized*: one transaction per member, VERP envelope "
      "sender, each copy with its own `To:` and footer, over 1 connection (one Mailman out "
      "runner) and over 4; %s *Batched* (no personalization): one copy for all "
      "%d members in transactions of up to 500 RCPTs. *CPU* is arcrelay's process CPU (all "
      "threads, /proc), which also pays for SMTP in and out, parsing and the log; the bound "
      "of one seal is 2 RSA-2048 + 2 Ed25519 signatures and one SHA-256 pass over the body "
      "at the crypto rates measured right before and right after that run (`bench_arcrelay "
      "--stages crypto`, the faster of the two; the in-process rates above where a row has "
      "none), as the machine's speed moves by tens of percent within minutes here." % (
          copies_sent(personalized(rows), first["list_members"]), first["list_members"]))
    w("")
    w("| size | mode | connections | transactions | seals/s (wall) | seals per CPU-s | bound "
      "seals per CPU-s | of the bound | %d members sealed in | errors |" %
      first["list_members"])
    w("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        x = ratio(r, rates)
        bound = bound_seals(r, rates)
        w("| %s | %s | %d | %d | %s | %s | %s | %s | %.1f s%s | %d |" % (
            r["size_class"].upper(), r["mode"], r["connections"], r["transactions"],
            fmt_rate(r["seals_per_s"]),
            fmt_rate(r["seals_per_cpu_s"]) if r.get("seals_per_cpu_s") else "-",
            fmt_rate(bound) if bound else "-", "-" if x is None else "%.0f %%" % (100 * x),
            r["list_seconds"], " (extrapolated)" if r["extrapolated"] else "", r["errors"]))
    w("")
