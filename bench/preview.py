"""What the preview benchmarks share: start `passerelle serve` on a free port and
follow its server-sent events."""
import socket
import subprocess
import sys


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    """`passerelle serve --root ROOT` on a free port, with its event stream open."""

    def __init__(self, binary, root):
        self.port = free_port()
        self.server = subprocess.Popen([binary, "serve", "--root", str(root), "--port", str(self.port), "--quiet"],
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.server.stdout.readline()
        if "Serving on" not in line:
            self.close()
            sys.exit(f"serve did not start: {line!r}")
        self.base = line.split(f":{self.port}", 1)[1].split()[0]
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.sendall(f"GET {self.base}__passerelle/events HTTP/1.1\r\nHost: localhost\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        self.stream = sock.makefile("rb")
        while self.stream.readline() not in (b"\r\n", b""):
            pass

    def next_event(self):
        """The name of the next event (`reload`, `errors`, …)."""
        name = None
        while True:
            raw = self.stream.readline()
            if not raw:
                sys.exit("event stream closed")
            text = raw.decode().rstrip("\r\n")
            if text.startswith("event: "):
                name = text[7:]
            elif text == "" and name:
                return name

    def close(self):
        self.server.terminate()
        self.server.wait()
