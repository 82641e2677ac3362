#!/usr/bin/env python3
"""Mixed HTTP/1.1 clients for bench/soak, against bench/soak/SoakServer.java on 127.0.0.1.

Each of --workers threads repeats, until --duration seconds have passed, one scenario picked at
random (weights in SCENARIOS):

  keepalive   1-20 requests on one connection: GET, HEAD, POST with Content-Length or chunked
              bodies (echoed and compared), GET /big (chunked response, length checked)
  pipelined   2-16 requests in one write, the responses read back and checked in order
  slow        a well-formed request sent in pieces, ~2 s in all (under the header timeout)
  post-unread a 4 MiB POST to a handler that never reads it: the response must still arrive
  malformed   one of MALFORMED: expect an error status and the connection closed
  stall       a head that never ends (slowloris): expect 408 and a close at the header timeout
  aborted     a client that goes away: at once, mid-head (reset), mid-body, or mid-response

Well-formed requests (keepalive, pipelined, slow, post-unread) must all succeed: every failure
is an error, printed with its reason. Malformed, stall and aborted clients are counted by what
they saw. Prints one JSON line of counts last; exits 1 when a well-formed request failed.
"""
import argparse
import json
import os
import random
import socket
import struct
import threading
import time
from collections import Counter

MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n folded\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nX: \x00\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",
    b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\n" + b"X-Big: " + b"b" * 70000 + b"\r\n\r\n",
    b"GET / HTTP/3.0\r\nHost: a\r\n\r\n",
    b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n",
    b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"GET / HTTP/1.1\rHost: a\r\n\r\n",
    bytes.fromhex("16030100f4010000f00303") + os.urandom(32) + b"\r\n\r\n",
]

SCENARIOS = [("keepalive", 40), ("pipelined", 15), ("slow", 6), ("post-unread", 2),
             ("malformed", 15), ("stall", 2), ("aborted", 20)]


class Closed(Exception):
    """The server closed the connection (EOF where a response should be)."""


class Conn:
    def __init__(self, addr, timeout):
        self.sock = socket.create_connection(addr, timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed("connection closed by the server")
        self.buf += chunk

    def line(self):
        while b"\n" not in self.buf:
            if len(self.buf) > 100000:
                raise ValueError("response line too long")
            self._fill()
        i = self.buf.index(b"\n")
        line, self.buf = self.buf[:i], self.buf[i + 1:]
        return line.rstrip(b"\r")

    def exactly(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def response(self, head=False):
        """Reads one response; returns (status, headers, body)."""
        status_line = self.line()
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ValueError("bad status line %r" % status_line[:80])
        status = int(parts[1])
        headers = {}
        while True:
            line = self.line()
            if not line:
                break
            name, _, value = line.partition(b":")
            headers.setdefault(name.strip().lower().decode("latin-1"), []).append(value.strip().decode("latin-1"))
        if head or status in (204, 304) or 100 <= status < 200:
            return status, headers, b""
        if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
            body = bytearray()
            while True:
                size = int(self.line().split(b";")[0], 16)
                if size == 0:
                    while self.line():
                        pass
                    return status, headers, bytes(body)
                body += self.exactly(size)
                if self.exactly(2) != b"\r\n":
                    raise ValueError("chunk not followed by CRLF")
        if "content-length" in headers:
            return status, headers, self.exactly(int(headers["content-length"][0]))
        body = bytearray(self.buf)   # close-delimited
        self.buf = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return status, headers, bytes(body)
            body += chunk

    def closed_by_server(self, timeout):
        """True when the server closes the connection within timeout seconds (EOF or reset)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def reset(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def close(self):
        self.sock.close()


def chunked(body, rnd):
    out = bytearray()
    i = 0
    while i < len(body):
        n = rnd.randint(1, max(1, len(body) - i))
        out += b"%x%s\r\n" % (n, rnd.choice([b"", b";ext=1"])) + body[i:i + n] + b"\r\n"
        i += n
    return bytes(out) + b"0\r\n" + rnd.choice([b"", b"X-Trailer: 1\r\n"]) + b"\r\n"


def well_formed_request(rnd, i):
    """Returns (request bytes, method, check(status, headers, body) -> error or None)."""
    kind = rnd.choice(["get", "get", "head", "query", "post", "chunked", "big"])
    if kind == "get":
        return b"GET /hello HTTP/1.1\r\nHost: soak\r\n\r\n", "GET", expect(200, b"Hello world!")
    if kind == "head":
        return b"HEAD /hello HTTP/1.1\r\nHost: soak\r\n\r\n", "HEAD", expect(200, b"")
    if kind == "query":
        q = b"i=%d&r=%d" % (i, rnd.randint(0, 10 ** 9))
        return b"GET /q?" + q + b" HTTP/1.1\r\nHost: soak\r\n\r\n", "GET", expect(200, q)
    if kind == "big":
        n = rnd.choice([0, 1, 8192, 100000, 1 << 20])
        return b"GET /big?n=%d HTTP/1.1\r\nHost: soak\r\n\r\n" % n, "GET", expect(200, b"x" * n)
    body = os.urandom(rnd.choice([0, 1, 100, 5000, 70000]))
    if kind == "post":
        req = b"POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    else:
        req = b"POST /echo HTTP/1.1\r\nHost: soak\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, rnd)
    return req, "POST", expect(200, body)


def expect(status, body):
    def check(got_status, headers, got_body):
        if got_status != status:
            return "status %d, expected %d" % (got_status, status)
        if got_body != body:
            return "body of %d bytes differs from the expected %d bytes" % (len(got_body), len(body))
        return None
    return check


class Client:
    def __init__(self, addr, header_timeout, deadline, seed):
        self.addr = addr
        self.header_timeout = header_timeout
        self.deadline = deadline
        self.rnd = random.Random(seed)
        self.counts = Counter()
        self.errors = Counter()

    def error(self, scenario, why):
        self.counts["well-formed errors"] += 1
        self.errors["%s: %s" % (scenario, why)] += 1

    def run(self):
        names = [s for s, _ in SCENARIOS]
        weights = [w for _, w in SCENARIOS]
        while time.monotonic() < self.deadline:
            scenario = self.rnd.choices(names, weights)[0]
            self.counts[scenario + " runs"] += 1
            try:
                getattr(self, scenario.replace("-", "_"))()
            except Exception as e:  # noqa: BLE001 - every failure is counted, none ends the worker
                if scenario in ("keepalive", "pipelined", "slow", "post-unread"):
                    self.error(scenario, "%s: %s" % (type(e).__name__, e))
                else:
                    self.counts[scenario + " " + type(e).__name__] += 1

    def exchange(self, conn, scenario, requests):
        for req, method, check in requests:
            status, headers, body = conn.response(head=method == "HEAD")
            why = check(status, headers, body)
            if why:
                self.error(scenario, why)
            else:
                self.counts["well-formed ok"] += 1

    def keepalive(self):
        conn = Conn(self.addr, 15)
        try:
            for i in range(self.rnd.randint(1, 20)):
                r = well_formed_request(self.rnd, i)
                conn.send(r[0])
                self.exchange(conn, "keepalive", [r])
        finally:
            conn.close()

    def pipelined(self):
        conn = Conn(self.addr, 15)
        try:
            reqs = [well_formed_request(self.rnd, i) for i in range(self.rnd.randint(2, 16))]
            conn.send(b"".join(r[0] for r in reqs))
            self.exchange(conn, "pipelined", reqs)
        finally:
            conn.close()

    def slow(self):
        conn = Conn(self.addr, 15)
        try:
            r = well_formed_request(self.rnd, 0)
            data = r[0]
            cuts = sorted(self.rnd.sample(range(1, len(data)), min(9, len(data) - 1)))
            prev = 0
            for cut in cuts + [len(data)]:
                conn.send(data[prev:cut])
                prev = cut
                time.sleep(0.2)
            self.exchange(conn, "slow", [r])
        finally:
            conn.close()

    def post_unread(self):
        conn = Conn(self.addr, 30)
        try:
            body = b"u" * (4 << 20)
            conn.send(b"POST /ignore HTTP/1.1\r\nHost: soak\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            self.exchange(conn, "post-unread", [(None, "POST", expect(200, b"ignored"))])
        finally:
            conn.close()

    def malformed(self):
        conn = Conn(self.addr, 10)
        try:
            try:
                conn.send(self.rnd.choice(MALFORMED))
                status, _, _ = conn.response()
            except (Closed, ConnectionResetError, BrokenPipeError) as e:
                self.counts["malformed closed without a response (%s)" % type(e).__name__] += 1
                return
            if 400 <= status < 600:
                self.counts["malformed answered %d" % status] += 1
                if not conn.closed_by_server(5):
                    self.counts["malformed answered but left open"] += 1
            else:
                self.counts["malformed answered %d (not an error status)" % status] += 1
        finally:
            conn.close()

    def stall(self):
        conn = Conn(self.addr, self.header_timeout + 10)
        try:
            conn.send(b"GET /hello HTTP/1.1\r\nHost: soak\r\nX-Slow: ")
            try:
                status, _, _ = conn.response()
                self.counts["stall answered %d" % status] += 1
            except (Closed, ConnectionResetError) as e:
                self.counts["stall closed without a response (%s)" % type(e).__name__] += 1
        finally:
            conn.close()

    def aborted(self):
        conn = Conn(self.addr, 10)
        how = self.rnd.choice(["at once", "mid-head reset", "mid-body", "mid-response", "no read"])
        self.counts["aborted " + how] += 1
        if how == "at once":
            conn.reset()
            return
        if how == "mid-head reset":
            conn.send(b"GET /hello HTTP/1.1\r\nHo")
            time.sleep(self.rnd.random() * 0.1)
            conn.reset()
            return
        if how == "mid-body":
            conn.send(b"POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Length: 100000\r\n\r\n" + b"b" * 30000)
            time.sleep(self.rnd.random() * 0.1)
            conn.reset()
            return
        if how == "mid-response":
            conn.send(b"GET /big?n=%d HTTP/1.1\r\nHost: soak\r\n\r\n" % (8 << 20))
            conn.sock.recv(self.rnd.randint(1, 4096))
            conn.reset()
            return
        conn.send(b"GET /hello HTTP/1.1\r\nHost: soak\r\n\r\n")
        conn.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--duration", type=float, default=300)
    p.add_argument("--workers", type=int, default=24)
    p.add_argument("--header-timeout", type=float, default=5)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    deadline = time.monotonic() + a.duration
    clients = [Client(("127.0.0.1", a.port), a.header_timeout, deadline, a.seed * 1000 + i) for i in range(a.workers)]
    threads = [threading.Thread(target=c.run, name="soak-%d" % i, daemon=True) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.duration + 120)
    stuck = sum(t.is_alive() for t in threads)
    total = Counter()
    for c in clients:
        total.update(c.counts)
    errors = Counter()
    for c in clients:
        errors.update(c.errors)
    for why, n in errors.most_common(20):
        print("soak-client: error (%d times): %s" % (n, why))
    if stuck:
        print("soak-client: %d workers still running after the deadline" % stuck)
        total["stuck workers"] = stuck
    print(json.dumps(dict(sorted(total.items()))))
    return 1 if total["well-formed errors"] or stuck else 0


if __name__ == "__main__":
    raise SystemExit(main())
