"""nginx on 127.0.0.1 for the benchmark: a generated config in a temporary folder, no root.

The server serves one document root. Each entry of ``rates`` makes the folder
of that name rate-limited per connection (``limit_rate``), the way a busy
mirror limits each client connection. Every request is logged with the body
bytes it sent and the ``Range`` it asked for, so a benchmark can count what was
served twice.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.server import free_port

START_TIMEOUT = 10.0
QUIET_TIMEOUT = 15.0
STATUS_PATH = "/nginx-status"

CONFIG = """\
daemon off;
{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    default_type application/octet-stream;
    log_format bench '$body_bytes_sent $status "$http_range" $uri';
    access_log {tmp}/access.log bench;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    lingering_close off;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = {status} {{ stub_status; access_log off; }}
{limits}
    }}
}}
"""


@dataclass(frozen=True)
class Served:
    """One access-log line: a response and the body bytes nginx wrote for it."""

    path: str
    status: int
    body_bytes: int
    range: str


class Nginx:
    """A running nginx; ``url(path)`` addresses a file under the document root."""

    def __init__(self, tmp: Path, port: int, process: subprocess.Popen[bytes]) -> None:
        self.tmp = tmp
        self.port = port
        self.process = process
        self._log_offset = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def _active_connections(self) -> int:
        with urllib.request.urlopen(self.url(STATUS_PATH.lstrip("/")), timeout=5) as answer:
            first = answer.read().decode().splitlines()[0]  # "Active connections: N"
        return int(first.split(":")[1])

    def served(self) -> list[Served]:
        """Every response logged since the previous call, read once no client is connected.

        nginx logs a response when its connection ends, including one cut by a
        killed client, so the log is complete once only the status probe is left.
        """
        deadline = time.monotonic() + QUIET_TIMEOUT
        while self._active_connections() > 1:
            if time.monotonic() > deadline:
                raise SystemExit("nginx still has client connections open")
            time.sleep(0.05)
        with open(self.tmp / "access.log", "rb") as log:
            log.seek(self._log_offset)
            text = log.read()
        self._log_offset += len(text)
        return [_parse(line) for line in text.decode().splitlines()]


def _parse(line: str) -> Served:
    body_bytes, status, rest = line.split(" ", 2)
    quoted, path = rest.rsplit(" ", 1)
    http_range = quoted.strip('"')
    return Served(path, int(status), int(body_bytes), "" if http_range == "-" else http_range)


@contextmanager
def nginx(root: Path, tmp: Path, rates: Mapping[str, int]) -> Iterator[Nginx]:
    """Run nginx on an ephemeral port of 127.0.0.1 until the block ends.

    ``rates`` maps a folder under ``root`` to its per-connection limit in bytes/s.
    """
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is not installed (apt-get install nginx)")
    tmp.mkdir(parents=True, exist_ok=True)
    limits = "\n".join(
        f"        location /{folder}/ {{ limit_rate {rate}; }}" for folder, rate in rates.items()
    )
    port = free_port()
    conf = tmp / "nginx.conf"
    # As root, nginx's workers would drop to "nobody", who cannot read a private temp folder.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    conf.write_text(CONFIG.format(user=user, tmp=tmp, port=port, root=root, status=STATUS_PATH,
                                  limits=limits))
    process = subprocess.Popen(
        [binary, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    server = Nginx(tmp, port, process)
    try:
        _wait_until_serving(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def _wait_until_serving(server: Nginx) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            assert server.process.stderr is not None
            raise SystemExit(f"nginx did not start: {server.process.stderr.read().decode()[-800:]}")
        try:
            server._active_connections()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("nginx did not answer within 10 s") from None
            time.sleep(0.05)
