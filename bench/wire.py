"""Local serving for the benchmark: a static server that gzips like a real one, and a byte-counting TCP relay.

The relay sits between the browser and a server (the Streamlit app or the static server) and counts the bytes
each connection carries. That is what crosses the wire, compression and WebSocket framing included, which the
browser's own network log cannot say for WebSocket messages (it reports them decompressed).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GZIP_TYPES = (".html", ".js", ".css", ".json", ".svg")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzipped (level 6, once per file) when the browser accepts it: what any web server does."""

    cache: dict[Path, bytes] = {}
    lock = threading.Lock()

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        path = Path(self.translate_path(self.path))
        if not (path.is_file() and path.suffix in GZIP_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")):
            super().do_GET()
            return
        with self.lock:
            body = self.cache.get(path)
            if body is None:
                body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_static(directory: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler,
                                                                                directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, int(server.server_address[1])


@dataclass
class Connection:
    first_line: str = ""
    up: int = 0      # browser -> server
    down: int = 0    # server -> browser


@dataclass
class Relay:
    """TCP relay on a free local port to `target_port`; `connections` holds the byte counts."""

    target_port: int
    connections: list[Connection] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = int(self._sock.getsockname()[1])
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            conn = Connection()
            with self._lock:
                self.connections.append(conn)
            threading.Thread(target=self._pump, args=(client, upstream, conn, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, conn, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, conn: Connection, upward: bool) -> None:
        try:
            while chunk := src.recv(65536):
                if upward:
                    if not conn.first_line:
                        conn.first_line = chunk.split(b"\r\n", 1)[0].decode("latin-1")
                    conn.up += len(chunk)
                else:
                    conn.down += len(chunk)
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def totals(self) -> dict[str, int]:
        """Bytes server -> browser: all, on WebSocket connections, on plain HTTP ones; and browser -> server."""
        with self._lock:
            conns = list(self.connections)
        ws = sum(c.down for c in conns if "/_stcore/stream" in c.first_line)
        down = sum(c.down for c in conns)
        return {"down": down, "down_websocket": ws, "down_http": down - ws, "up": sum(c.up for c in conns)}

    def close(self) -> None:
        self._closed = True
        self._sock.close()
