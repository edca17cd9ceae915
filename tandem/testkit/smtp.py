"""A tiny SMTP server on the loopback that keeps what it is sent, for tests
and bench/ scripts that need a real mail server (another process sends to it).

Just enough SMTP for Django's SMTP backend without TLS or log-in: a
greeting, ``250`` to everything, and ``DATA`` up to the lone dot.
"""

from __future__ import annotations

import socketserver
import threading


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.reply("354 go on")
                lines = []
                while (body := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(body)
                self.server.sink.received(b"".join(lines))
                self.reply("250 kept")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:  # EHLO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


class SmtpSink:
    """``with SmtpSink() as sink:`` listens on ``sink.port``; ``sink.messages`` are the raw messages."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.messages: list[bytes] = []
        self._lock = threading.Lock()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Session)
        self.server.daemon_threads = True
        self.server.sink = self
        self.port = self.server.server_address[1]

    def received(self, message: bytes) -> None:
        if self.keep:
            with self._lock:
                self.messages.append(message)

    def __enter__(self) -> SmtpSink:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
