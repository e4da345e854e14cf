#!/usr/bin/python3
"""A scripted SMTP/LMTP next hop for the fault and load tests (tests/integration/faults).

Run as its own process so a test can SIGKILL it mid-transaction:
    next_hop.py PORT STORE_DIR MODE [lmtp|smtp]
Every accepted message is written to STORE_DIR (write, fsync, rename) *before* the
success reply, like a real MTA queue (RFC 5321 6.1), so "delivered" = the files there.
MODE after the final dot of DATA:
  ok          store, answer 250 (one reply per recipient for LMTP, RFC 2033 4.2)
  tempfail    answer 451 4.3.0, store nothing
  reject      answer 554 5.6.0, store nothing
  garbage     answer a line that is no SMTP reply, store nothing
  hang        store, then never answer (arcrelay's data_term_timeout_s must fire)
  die         store, then exit(1) without answering (a crash after queueing)
  die_early   exit(1) without storing or answering (a crash before queueing)
Prints "ready" on stdout once listening.
"""
import asyncio
import os
import sys

PORT, STORE, MODE = int(sys.argv[1]), sys.argv[2], sys.argv[3]
LMTP = len(sys.argv) < 5 or sys.argv[4] == "lmtp"
COUNTER = [0]


def store(data):
    COUNTER[0] += 1
    name = f"{os.getpid()}.{COUNTER[0]}"
    tmp = os.path.join(STORE, "." + name)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, os.path.join(STORE, name))


async def serve(reader, writer):
    try:
        writer.write(b"220 nexthop.test ready\r\n")
        rcpts = []
        while True:
            line = await reader.readline()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith((b"LHLO", b"EHLO", b"HELO")):
                writer.write(b"250-nexthop.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif cmd.startswith(b"MAIL FROM:"):
                rcpts = []
                writer.write(b"250 2.1.0 ok\r\n")
            elif cmd.startswith(b"RCPT TO:"):
                rcpts.append(line)
                writer.write(b"250 2.1.5 ok\r\n")
            elif cmd == b"DATA":
                writer.write(b"354 go ahead\r\n")
                await writer.drain()
                data = bytearray()
                while True:
                    l = await reader.readline()
                    if not l:
                        return
                    if l == b".\r\n":
                        break
                    data += l[1:] if l.startswith(b"..") else l
                if MODE == "die_early":
                    os._exit(1)
                if MODE in ("ok", "hang", "die"):
                    store(bytes(data))
                if MODE == "die":
                    os._exit(1)
                if MODE == "hang":
                    await asyncio.sleep(3600)
                reply = {"garbage": b"\x00\xffno reply at all\r\n",
                         "tempfail": b"451 4.3.0 try later\r\n",
                         "reject": b"554 5.6.0 content rejected\r\n"}.get(
                             MODE, b"250 2.0.0 stored\r\n")
                writer.write(reply * (len(rcpts) if LMTP else 1))
            elif cmd in (b"RSET", b"NOOP"):
                writer.write(b"250 2.0.0 ok\r\n")
            elif cmd == b"QUIT":
                writer.write(b"221 2.0.0 bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"500 5.5.2 what\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", PORT, backlog=4096,
                                        reuse_address=True)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
