#!/usr/bin/python3
"""Load against `arcrelay serve` on 127.0.0.0/8 (tests/integration/load).

- 2000 concurrent sessions: all are opened and greeted before any goes on; then each runs a
  whole envelope (every fifth with a message, the rest with RSET; sealing 2000 messages at
  once would measure the CPU, not the connection handling) and ends with 250 or a clean 421;
  every 250 to a message is in the next hop's store (harness.Ledger).
- 500 slowloris connections (25 source addresses x 20, one byte every 0.5 s) while normal
  senders still complete in time; with the default connections_total the same crowd makes
  new clients get a clean 421 4.7.0, never a hang.
- connections_per_ip enforced per address with 421 4.7.0 (sources 127.0.0.2 and .3), and a
  slot freed when a connection closes.
Raises RLIMIT_NOFILE to the hard limit first. Uses the scripted next hop and daemon of
tests/integration/faults/harness.py. Needs ARCRELAY_BINARY and ARCRELAY_TEST_DATA.
"""
import asyncio
import os
import resource
import sys
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
import harness  # noqa: E402
from harness import ACK, LOST, PERM, TEMP, Ledger, NextHop, Relay  # noqa: E402

CONCURRENT = 2000     # sessions open at once in the concurrency test
SLOWLORIS = 500       # dribbling connections
SLOW_SOURCES = 25     # their source addresses: 127.0.0.10 ...
DRIBBLE_S = 0.5       # seconds between two bytes of a slowloris
MESSAGE_EVERY = 5     # of the concurrent sessions, every 5th sends a message (CPU: 2 cores)
NORMAL = 40           # normal messages sent during the slowloris attack
STEP = 30             # seconds: the longest one asyncio step may take


async def read_reply(reader):
    """One (possibly multi-line) SMTP reply -> (code, text); (0, "") at EOF."""
    text = b""
    while True:
        line = await asyncio.wait_for(reader.readline(), STEP)
        if not line:
            return 0, text.decode(errors="replace")
        text += line
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3]), text.decode(errors="replace")


async def command(reader, writer, line):
    writer.write(line)
    await writer.drain()
    return await read_reply(reader)


async def open_session(port, source="127.0.0.1"):
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), STEP)
    code, text = await read_reply(reader)
    return reader, writer, code, text


async def transaction(reader, writer, msg_id):
    """MAIL, RCPT, DATA, QUIT on an open session -> (outcome, reached_dot, reply)."""
    reached_dot = False
    try:
        for line in (b"EHLO load.example\r\n", b"MAIL FROM:<alice@example.com>\r\n",
                     f"RCPT TO:<{harness.LIST}>\r\n".encode(), b"DATA\r\n"):
            code, text = await command(reader, writer, line)
            if code not in (250, 354):
                return (TEMP if 400 <= code < 500 else PERM if code else LOST), False, text
        reached_dot = True
        code, text = await command(reader, writer, harness.make_message(msg_id) + b".\r\n")
        outcome = ACK if code == 250 else TEMP if 400 <= code < 500 else PERM if code else LOST
        writer.write(b"QUIT\r\n")
        return outcome, reached_dot, text
    except (OSError, asyncio.TimeoutError) as e:
        return LOST, reached_dot, repr(e)
    finally:
        writer.close()


async def envelope_only(reader, writer):
    """EHLO, MAIL, RCPT, RSET, QUIT: a whole session without a message -> "ok" or the
    first reply that was not 250/221."""
    try:
        for line in (b"EHLO load.example\r\n", b"MAIL FROM:<alice@example.com>\r\n",
                     f"RCPT TO:<{harness.LIST}>\r\n".encode(), b"RSET\r\n", b"QUIT\r\n"):
            code, text = await command(reader, writer, line)
            if code not in (250, 221):
                return text or "connection closed"
        return "ok"
    except (OSError, asyncio.TimeoutError) as e:
        return repr(e)
    finally:
        writer.close()


def close_all(writers):
    for w in writers:
        w.close()


class Load(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # children inherit it
        cls.fd_limit = hard

    def setUp(self):
        self.hop = NextHop(mode="ok")
        self.relay = None

    def tearDown(self):
        rc = self.relay.stop() if self.relay else 0
        self.hop.kill()
        self.assertEqual(rc, 0, self.relay.log_text() if self.relay else "")

    def assert_promise_kept(self, name, ledger):
        delivered = self.hop.delivered()
        print(f"[load] {name}: {ledger.summary(delivered)}", flush=True)
        self.assertEqual(ledger.violations(delivered), [], self.relay.log_text())
        self.assertTrue(self.relay.alive(), self.relay.log_text())

    def test_2000_concurrent_sessions(self):
        # each session costs the driver, arcrelay and the next hop one descriptor each
        count = min(CONCURRENT, self.fd_limit - 200)
        self.relay = Relay(self.hop.uri, command_timeout_s=40,
                           limits=f"connections_total = {count + 100}\n"
                                  f"connections_per_ip = {count + 100}\n")
        ledger = Ledger()  # the sessions that send a message
        greeted, envelopes = [], {}

        async def one(n, all_greeted):
            msg_id = f"conc-{n}@load.test"
            try:
                reader, writer, code, text = await open_session(self.relay.port)
            except (OSError, asyncio.TimeoutError) as e:
                envelopes[n] = repr(e)
                return
            if code != 220:
                writer.close()
                envelopes[n] = text
                return
            greeted.append(n)
            if len(greeted) == count:
                all_greeted.set()
            await asyncio.wait_for(all_greeted.wait(), STEP * 2)
            if n % MESSAGE_EVERY == 0:
                ledger.record(msg_id, await transaction(reader, writer, msg_id))
            else:
                envelopes[n] = await envelope_only(reader, writer)

        async def main():
            all_greeted = asyncio.Event()
            start = time.time()
            await asyncio.gather(*(one(n, all_greeted) for n in range(count)))
            return time.time() - start

        elapsed = asyncio.run(main())
        self.assert_promise_kept(f"{count} concurrent sessions, every {MESSAGE_EVERY}th with a "
                                 f"message ({elapsed:.1f} s)", ledger)
        self.assertEqual(len(greeted), count)  # all were open together
        finals = [attempts[-1] for attempts in ledger.attempts.values()]
        unclean = [a for a in finals if a[0] != ACK and not a[2].startswith("421")]
        unclean += [t for t in envelopes.values() if t != "ok" and not t.startswith("421")]
        self.assertEqual(unclean, [], unclean[:5])
        self.assertLess(elapsed, 60)

    async def slowloris(self, port, n, stop):
        """Dribbles EHLO and NOOPs one byte at a time until `stop`; returns the count still
        connected when stopped, or the first reply if the server spoke."""
        source = f"127.0.0.{10 + n % SLOW_SOURCES}"
        try:
            reader, writer, code, text = await open_session(port, source)
        except (OSError, asyncio.TimeoutError) as e:
            return "connect: " + repr(e)
        if code != 220:
            writer.close()
            return text
        script = b"EHLO slow.example\r\n" + b"NOOP\r\n" * 1000
        try:
            for byte in script:
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    await asyncio.wait_for(stop.wait(), DRIBBLE_S)
                    return "open"
                except asyncio.TimeoutError:
                    pass
                try:  # the server spoke (421 on the command timeout) or closed
                    data = await asyncio.wait_for(reader.read(512), 0.01)
                except asyncio.TimeoutError:
                    data = None
                if data is not None:
                    return "closed by server"
        except OSError:
            return "closed by server"  # reset after the server's 421
        finally:
            writer.close()
        return "script ended"

    async def normal_senders(self, port, ledger, concurrency):
        sem = asyncio.Semaphore(concurrency)
        latencies = []

        async def one(n):
            msg_id = f"normal-{n}@load.test"
            async with sem:
                start = time.time()
                try:
                    reader, writer, code, text = await open_session(port)
                except (OSError, asyncio.TimeoutError) as e:
                    ledger.record(msg_id, (LOST, False, repr(e)))
                    return
                if code != 220:
                    writer.close()
                    ledger.record(msg_id, (TEMP if code == 421 else LOST, False, text))
                    return
                ledger.record(msg_id, await transaction(reader, writer, msg_id))
                latencies.append(time.time() - start)

        await asyncio.gather(*(one(n) for n in range(NORMAL)))
        return latencies

    def run_slowloris(self, total):
        """SLOWLORIS dribblers, then NORMAL senders while they dribble."""
        self.relay = Relay(self.hop.uri, command_timeout_s=3,
                           limits=f"connections_total = {total}\n")
        ledger = Ledger()

        async def main():
            stop = asyncio.Event()
            crowd = [asyncio.ensure_future(self.slowloris(self.relay.port, n, stop))
                     for n in range(SLOWLORIS)]
            await asyncio.sleep(4)  # longer than command_timeout_s: the dribblers are cut off
            latencies = await self.normal_senders(self.relay.port, ledger, 10)
            await asyncio.sleep(2)
            stop.set()
            states = await asyncio.gather(*crowd)
            return latencies, states

        start = time.time()
        latencies, states = asyncio.run(main())
        tally = {}
        for s in states:
            key = s if s in ("open", "closed by server") else s.split("\r\n")[0][:40]
            tally[key] = tally.get(key, 0) + 1
        print(f"[load] slowloris x{SLOWLORIS}, connections_total={total}: crowd {tally}; "
              f"{len(latencies)} normal sessions, slowest {max(latencies, default=0):.2f} s; "
              f"{time.time() - start:.1f} s in all", flush=True)
        return ledger, latencies, tally

    def test_slowloris_does_not_starve_normal_clients(self):
        ledger, latencies, tally = self.run_slowloris(total=SLOWLORIS + 100)
        self.assert_promise_kept("normal senders under slowloris", ledger)
        self.assertEqual(sum(1 for i in ledger.attempts if ledger.final(i) == ACK), NORMAL)
        self.assertLess(max(latencies), 10)
        # RFC 5321 §4.5.3.2: a command's timeout covers the whole command, so every dribbler
        # is cut off after command_timeout_s however steadily it sends.
        self.assertEqual(tally.get("closed by server", 0), SLOWLORIS, tally)

    def test_slowloris_at_connection_cap_gives_clean_421(self):
        ledger, latencies, tally = self.run_slowloris(total=SLOWLORIS)
        self.assert_promise_kept("normal senders with the cap held by slowloris", ledger)
        refused = [a[-1][2] for a in ledger.attempts.values() if a[-1][0] != ACK]
        print(f"[load] refusal at the cap: {refused[0].strip() if refused else None!r}")
        for text in refused:
            self.assertTrue(text.startswith("421 4.7.0"), text)

    def test_per_ip_limit(self):
        per_ip = 5
        self.relay = Relay(self.hop.uri, limits=f"connections_per_ip = {per_ip}\n")

        async def open_many(source, n):
            sessions = []
            for _ in range(n):
                sessions.append(await open_session(self.relay.port, source))
            return sessions

        async def main():
            a = await open_many("127.0.0.2", per_ip + 3)
            b = await open_many("127.0.0.3", per_ip)
            codes_a = [(s[2], s[3][:9]) for s in a]
            codes_b = [s[2] for s in b]
            # a slot of 127.0.0.2 is freed when one of its sessions ends
            open_a = [s for s in a if s[2] == 220]
            open_a[0][1].write(b"QUIT\r\n")
            await read_reply(open_a[0][0])
            open_a[0][1].close()
            await asyncio.sleep(0.3)
            again = await open_session(self.relay.port, "127.0.0.2")
            close_all([s[1] for s in a + b] + [again[1]])
            return codes_a, codes_b, again[2]

        codes_a, codes_b, again = asyncio.run(main())
        print(f"[load] per-IP limit {per_ip}: 127.0.0.2 got {codes_a}; 127.0.0.3 got {codes_b}",
              flush=True)
        self.assertEqual(codes_a[:per_ip], [(220, codes_a[0][1])] * per_ip)
        self.assertEqual(codes_a[per_ip:], [(421, "421 4.7.0")] * 3)
        self.assertEqual(codes_b, [220] * per_ip)
        self.assertEqual(again, 220)


if __name__ == "__main__":
    if not harness.BINARY or not harness.DATA:
        sys.exit("ARCRELAY_BINARY and ARCRELAY_TEST_DATA must be set")
    unittest.main(verbosity=2)
