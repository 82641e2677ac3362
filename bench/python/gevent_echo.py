"""gevent's echo anchor: a StreamServer that writes back every byte it reads.

    /usr/bin/python3 bench/python/gevent_echo.py PORT
Binds 127.0.0.1, backlog 4096, one process (one hub).
"""
import signal
import sys

import gevent
from gevent.server import StreamServer


def echo(sock, address):
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return
            sock.sendall(data)
    except OSError:
        return
    finally:
        sock.close()


def main(argv):
    if not argv:
        raise SystemExit("usage: gevent_echo.py PORT")
    port = int(argv[0])
    server = StreamServer(("127.0.0.1", port), echo, backlog=4096)
    gevent.signal_handler(signal.SIGTERM, server.stop)
    gevent.signal_handler(signal.SIGINT, server.stop)
    sys.stderr.write("gevent %s echo on 127.0.0.1:%d\n" % (gevent.__version__, port))
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
