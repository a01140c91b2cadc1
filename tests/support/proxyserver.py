"""A real proxy on loopback for the proxy tests: HTTP (CONNECT and plain forwarding) and SOCKS5.

One listener speaks both: a first byte 0x05 is a SOCKS5 greeting, anything else
an HTTP request line. Every request is logged (:attr:`LoopbackProxy.log`), so a
test can show that a download, an icon or a network probe went through it.
With ``credential`` set, the proxy asks for it (``407`` with Basic for HTTP, the
user name/password method for SOCKS5) and logs a refused attempt as such.

Runs on its own thread and event loop, like the fault server.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import socket
import ssl
import struct
import threading
from dataclasses import dataclass

from yarl import URL


@dataclass(frozen=True)
class ProxiedRequest:
    protocol: str  # "socks5", "connect" or "http"
    target: str  # host:port for tunnels, the absolute URL for plain HTTP
    authorized: bool


class LoopbackProxy:
    """``with LoopbackProxy() as proxy:`` serves on ``proxy.port`` until the block ends."""

    def __init__(self, credential: tuple[str, str] | None = None,
                 tls: ssl.SSLContext | None = None) -> None:
        """``tls``: serve over TLS, as an ``https://`` proxy."""
        self.credential = credential
        self.tls = tls
        self.log: list[ProxiedRequest] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    def targets(self, protocol: str | None = None) -> list[str]:
        with self._lock:
            return [r.target for r in self.log if r.authorized
                    and (protocol is None or r.protocol == protocol)]

    # -- life cycle ----------------------------------------------------------------

    def __enter__(self) -> LoopbackProxy:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def main() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls))
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

        self._thread = threading.Thread(target=main, name="loopback-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise TimeoutError("the loopback proxy did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shut(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    # -- protocols -----------------------------------------------------------------

    def _record(self, protocol: str, target: str, authorized: bool) -> None:
        with self._lock:
            self.log.append(ProxiedRequest(protocol, target, authorized))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            first = await reader.readexactly(1)
            if first == b"\x05":
                await self._socks5(reader, writer)
            else:
                await self._http(first, reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, OSError, ValueError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _socks5(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        methods = await reader.readexactly((await reader.readexactly(1))[0])
        wanted = 0x02 if self.credential else 0x00
        if wanted not in methods:
            self._record("socks5", "", False)
            writer.write(b"\x05\xff")
            return
        writer.write(bytes([5, wanted]))
        authorized = True
        if self.credential:
            await reader.readexactly(1)  # sub-negotiation version
            user = await reader.readexactly((await reader.readexactly(1))[0])
            password = await reader.readexactly((await reader.readexactly(1))[0])
            authorized = (user.decode(), password.decode()) == self.credential
            writer.write(b"\x01\x00" if authorized else b"\x01\x01")
            if not authorized:
                self._record("socks5", "", False)
                return
        _ver, command, _rsv, kind = await reader.readexactly(4)
        if kind == 0x01:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif kind == 0x03:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        else:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        self._record("socks5", f"{host}:{port}", True)
        if command != 0x01:
            writer.write(b"\x05\x07\x00\x01" + bytes(6))
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.write(b"\x05\x05\x00\x01" + bytes(6))  # connection refused
            return
        writer.write(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", 0))
        await _pipe(reader, writer, up_reader, up_writer)

    async def _http(self, first: bytes, reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter) -> None:
        head = first + await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ", 2)
        headers = dict(line.split(":", 1) for line in header_lines if ":" in line)
        headers = {k.strip().lower(): v.strip() for k, v in headers.items()}
        protocol = "connect" if method == "CONNECT" else "http"
        if self.credential and not self._authorized(headers.get("proxy-authorization", "")):
            self._record(protocol, target, False)
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                         b"Proxy-Authenticate: Basic realm=\"test\"\r\n"
                         b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            return
        self._record(protocol, target, True)
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            try:
                up_reader, up_writer = await asyncio.open_connection(host, int(port))
            except OSError:
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await _pipe(reader, writer, up_reader, up_writer)
            return
        url = URL(target)
        try:
            up_reader, up_writer = await asyncio.open_connection(url.host, url.port)
        except OSError:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                         b"Connection: close\r\n\r\n")
            return
        # One request per connection upstream and downstream keeps the forwarding simple.
        kept = [line for line in header_lines if line and not line.lower().startswith(
            ("proxy-", "connection:", "keep-alive:"))]
        upstream_head = "\r\n".join(
            [f"{method} {url.raw_path_qs} {version}", *kept, "Connection: close", "", ""])
        up_writer.write(upstream_head.encode("latin-1"))
        length = int(headers.get("content-length", "0") or 0)
        if length:
            up_writer.write(await reader.readexactly(length))
        while chunk := await up_reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        up_writer.close()

    def _authorized(self, header: str) -> bool:
        assert self.credential is not None
        expected = base64.b64encode(":".join(self.credential).encode()).decode()
        return header == f"Basic {expected}"


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                up_reader: asyncio.StreamReader, up_writer: asyncio.StreamWriter) -> None:
    async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while chunk := await src.read(65536):
                dst.write(chunk)
                await dst.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                dst.close()

    try:
        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
    finally:
        up_writer.close()
