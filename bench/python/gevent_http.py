"""gevent's HTTP anchors for bench/http (DESIGN.md: "gevent StreamServer, same handler").

    /usr/bin/python3 bench/python/gevent_http.py PORT [stream|pywsgi]

stream (default): gevent.server.StreamServer with a raw keep-alive handler that answers every
  request with "Hello world!" (12 bytes, text/plain); pipelined requests are answered in order.
pywsgi: gevent.pywsgi.WSGIServer with a WSGI app returning the same body (gevent's own HTTP
  server, with its parsing and its per-request overhead), access log off, TCP_NODELAY on each
  connection: gevent 22.10's pywsgi writes the headers and the body in two send() calls, and
  with Nagle's algorithm on, each keep-alive request then waits ~40 ms for the client's delayed
  ACK (23 req/s on one connection), which measures the kernel, not gevent.
pywsgi-nagle: the same without TCP_NODELAY (gevent's default), to show that effect.
All variants bind 127.0.0.1 with a backlog of 4096 and one process (one hub).
"""
import signal
import socket
import sys

import gevent
from gevent.server import StreamServer

BODY = b"Hello world!"
RESPONSE = (b"HTTP/1.1 200 OK\r\n"
            b"Content-Type: text/plain\r\n"
            b"Content-Length: 12\r\n"
            b"\r\n" + BODY)
RESPONSE_CLOSE = (b"HTTP/1.1 200 OK\r\n"
                  b"Content-Type: text/plain\r\n"
                  b"Content-Length: 12\r\n"
                  b"Connection: close\r\n"
                  b"\r\n" + BODY)


def handle(sock, address):
    """Reads header blocks (requests without bodies, as wrk sends) and answers each one."""
    buf = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return
            buf += data
            out = []
            close = False
            while True:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    break
                head = buf[:end].lower()
                buf = buf[end + 4:]
                if b"\r\nconnection: close" in head or (head.split(b"\r\n", 1)[0].endswith(b"http/1.0")
                                                      and b"\r\nconnection: keep-alive" not in head):
                    out.append(RESPONSE_CLOSE)
                    close = True
                    break
                out.append(RESPONSE)
            if out:
                sock.sendall(b"".join(out))
            if close:
                return
            if len(buf) > 65536:
                return   # a header block this long is not a benchmark request
    except OSError:
        return
    finally:
        sock.close()


def wsgi_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "12")])
    return [BODY]


def main(argv):
    if not argv:
        raise SystemExit("usage: gevent_http.py PORT [stream|pywsgi]")
    port = int(argv[0])
    kind = argv[1] if len(argv) > 1 else "stream"
    if kind == "stream":
        server = StreamServer(("127.0.0.1", port), handle, backlog=4096)
    elif kind in ("pywsgi", "pywsgi-nagle"):
        from gevent.pywsgi import WSGIServer

        class NoDelayWSGIServer(WSGIServer):
            def handle(self, sock, address):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return super().handle(sock, address)
        server_class = NoDelayWSGIServer if kind == "pywsgi" else WSGIServer
        server = server_class(("127.0.0.1", port), wsgi_app, log=None, backlog=4096)
    else:
        raise SystemExit("unknown server kind %r: use stream, pywsgi or pywsgi-nagle" % kind)
    gevent.signal_handler(signal.SIGTERM, server.stop)
    gevent.signal_handler(signal.SIGINT, server.stop)
    sys.stderr.write("gevent %s %s on 127.0.0.1:%d\n" % (gevent.__version__, kind, port))
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
