"""A web site for the browser tests: pages, a service worker, the seed's files, a download
link and a route that needs a cookie, on plain http and on https (self-signed).

The same aiohttp application answers on two listeners, both on ``127.0.0.1`` with
ephemeral ports:

- plain http: ``http://127.0.0.1:PORT`` and ``http://localhost:PORT`` (two origins, both
  secure contexts, so service workers run on each);
- https: ``https://site.test:TLS_PORT`` with a certificate made here (the browser maps
  ``*.test`` to 127.0.0.1 and ignores certificate errors), where ``http://site.test:PORT/…``
  is mixed content.

Every file body is random bytes drawn once per server, so a test compares what bgfetch
stored with :attr:`PageServer.files` byte for byte. The server runs in its own thread and
event loop, like :class:`tests.support.faultserver.FaultServer`, so synchronous Selenium
tests and subprocesses can all use it.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import ipaddress
import os
import secrets
import socket
import ssl
import struct
import threading
import zlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HTML = "text/html; charset=utf-8"
JS = "text/javascript; charset=utf-8"

SESSION_COOKIE = "session"
TRICKLE_CHUNK, TRICKLE_PAUSE = 16 * 1024, 0.1  # downloads arrive at 160 KiB/s
TLS_HOST = "site.test"

# The page's tools, for the test to call with Selenium's execute_async_script or BiDi's
# script.callFunction. Each returns JSON-friendly values; a rejected promise becomes
# {"error": name, "message": text} so the test sees the DOMException's name.
HELPERS_JS = r"""
"use strict";
window.pageErrors = [];
window.addEventListener("unhandledrejection", (e) => {
  window.pageErrors.push(String(e.reason && e.reason.name) + ": " + String(e.reason));
});
// Every registration a fetch() on this page resolved with, by id: the seed's snippet keeps
// its own in a local, and get() finds only active fetches. Hooked on `ready` before any
// other script of the page can ask for it, so the snippet's fetch() is seen too.
window.registrations = {};
navigator.serviceWorker.ready.then((swReg) => {
  let owner = swReg.backgroundFetch;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, "fetch")) {
    owner = Object.getPrototypeOf(owner);
  }
  const original = owner.fetch;
  owner.fetch = function (...args) {
    const promise = original.apply(this, args);
    promise.then((reg) => { window.registrations[reg.id] = reg; }, () => {});
    return promise;
  };
});
window.swReady = navigator.serviceWorker.register("/sw.js", { scope: "/" })
  .then(() => navigator.serviceWorker.ready);

async function hex(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function plain(reg) {
  if (reg === null || reg === undefined) return null;
  const out = {};
  for (const key of ["id", "uploadTotal", "uploaded", "downloadTotal", "downloaded",
                     "result", "failureReason", "recordsAvailable"]) {
    out[key] = reg[key];
  }
  return out;
}

async function settle(work) {
  try {
    return { value: await work() };
  } catch (e) {
    return { error: String(e && e.name), message: String(e && e.message) };
  }
}

const manager = async () => (await window.swReady).backgroundFetch;

window.bgfetchTest = {
  hasBackgroundFetch: () => settle(async () => "backgroundFetch" in (await window.swReady)),
  fetch: (id, requests, options) => settle(async () =>
    plain(await (await manager()).fetch(id, requests, options))),
  // One Request with Subresource Integrity metadata: the page API's integrity.
  fetchChecked: (id, url, integrity) => settle(async () =>
    plain(await (await manager()).fetch(id, new Request(url, { integrity }), {}))),
  get: (id) => settle(async () => plain(await (await manager()).get(id))),
  getIds: () => settle(async () => await (await manager()).getIds()),
  // What this page's registration object says now (updated by progress events).
  seen: (id) => settle(async () => plain(window.registrations[id])),
  abort: (id) => settle(async () => {
    const reg = await (await manager()).get(id);
    return reg === null ? null : await reg.abort();
  }),
  // Each record of the registration this page got from fetch(): its request URL and the
  // SHA-256 of its response body.
  bodies: (id) => settle(async () => {
    const reg = window.registrations[id];
    if (reg === undefined) return null;
    const records = await reg.matchAll();
    const out = [];
    for (const record of records) {
      const response = await record.responseReady;
      out.push({ url: record.request.url, integrity: record.request.integrity,
                 status: response.status,
                 sha256: await hex(await response.arrayBuffer()) });
    }
    return out;
  }),
  errors: () => settle(async () => window.pageErrors.slice()),
};
"""

SERVICE_WORKER_JS = """
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
"""

# The seed's snippet, verbatim from issue 7 (hence the long line).
SEED_SNIPPET = """navigator.serviceWorker.ready.then(async (swReg) => {
  const bgFetch = await swReg.backgroundFetch.fetch("my-fetch", ["/ep-5.mp3", "ep-5-artwork.jpg"],
    { title: "Episódio 5: Coisas interessantes.", icons: [{ sizes: "300x300", src: "/ep-5-icon.png", type: "image/png" }],
      downloadTotal: 60 * 1024 * 1024 });
});"""  # noqa: E501
SEED_ID = "my-fetch"
SEED_TITLE = "Episódio 5: Coisas interessantes."
SEED_FILES = ("/ep-5.mp3", "/ep-5-artwork.jpg")

PAGE_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<script src="/helpers.js"></script>
{head}
</head><body>
<h1>{title}</h1>
<p><a id="download" href="/files/setup.bin">setup.bin</a></p>
<p><a id="private" href="/private/report.bin">report.bin (needs the cookie)</a></p>
<p><a id="archive" href="/private/archive.bin">archive.bin (needs the cookie)</a></p>
</body></html>
"""


def png(width: int, height: int, pixels: bytes) -> bytes:
    """A valid RGB PNG of ``width``x``height`` with ``pixels`` (3 bytes each)."""
    assert len(pixels) == width * height * 3

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\0" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Served:
    """A file the site serves: its bytes and headers."""

    body: bytes
    content_type: str
    attachment: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class SeenRequest:
    """One request as the site received it."""

    method: str
    path: str
    headers: Mapping[str, str]
    tls: bool


def _random_files() -> dict[str, Served]:
    icon_side = 48
    return {
        "/ep-5.mp3": Served(os.urandom(3 * 1024 * 1024 + 17), "audio/mpeg"),
        "/ep-5-artwork.jpg": Served(os.urandom(300 * 1024 + 5), "image/jpeg"),
        "/ep-5-icon.png": Served(png(icon_side, icon_side, os.urandom(icon_side**2 * 3)),
                                 "image/png"),
        "/files/setup.bin": Served(os.urandom(400 * 1024 + 3), "application/octet-stream",
                                   attachment=True),
        "/private/report.bin": Served(os.urandom(640 * 1024 + 11), "application/octet-stream",
                                      attachment=True),
        "/private/archive.bin": Served(os.urandom(640 * 1024 + 7), "application/octet-stream",
                                       attachment=True),
    }


def self_signed_context(folder: Path) -> ssl.SSLContext:
    """A server TLS context whose certificate names site.test, localhost and 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, TLS_HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName(TLS_HOST), x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "site.crt", folder / "site.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


class PageServer:
    """The test site on its own thread; see the module docstring."""

    def __init__(self, cert_folder: Path) -> None:
        self.files = _random_files()
        self.session = secrets.token_hex(16)
        self._cert_folder = cert_folder
        self._seen: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None
        self.port = 0
        self.tls_port = 0

    # -- addresses -----------------------------------------------------------------

    @property
    def origin(self) -> str:
        """The first origin: ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def other_origin(self) -> str:
        """A different origin on the same server, still a secure context."""
        return f"http://localhost:{self.port}"

    @property
    def tls_origin(self) -> str:
        return f"https://{TLS_HOST}:{self.tls_port}"

    @property
    def mixed_origin(self) -> str:
        """Plain http on the https site's host name: mixed content from :attr:`tls_origin`."""
        return f"http://{TLS_HOST}:{self.port}"

    # -- what it saw -----------------------------------------------------------------

    def requests(self, path: str | None = None) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self._seen if path is None or r.path == path]

    # -- life cycle ------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> PageServer:
        tls = self_signed_context(self._cert_folder)
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._main, args=(tls, ready, failure),
                                        name="pageserver", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("the page server did not start")
        if failure:
            raise failure[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or loop is None or stop is None:
            return
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout)
        self._thread = None

    def __enter__(self) -> PageServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _main(self, tls: ssl.SSLContext, ready: threading.Event,
              failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(tls, ready, failure))
        finally:
            loop.close()

    async def _serve(self, tls: ssl.SSLContext, ready: threading.Event,
                     failure: list[BaseException]) -> None:
        self._stop = asyncio.Event()
        runner = web.AppRunner(self._app(), shutdown_timeout=1.0)
        try:
            await runner.setup()
            plain, secure = _listener(), _listener()
            await web.SockSite(runner, plain).start()
            await web.SockSite(runner, secure, ssl_context=tls).start()
            self.port = plain.getsockname()[1]
            self.tls_port = secure.getsockname()[1]
        except BaseException as exc:
            failure.append(exc)
            ready.set()
            await runner.cleanup()
            return
        ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    # -- the site ----------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/helpers.js", self._text(HELPERS_JS, JS))
        app.router.add_get("/sw.js", self._text(SERVICE_WORKER_JS, JS))
        app.router.add_get("/page.html", self._text(self.page("bgfetch test page"), HTML))
        app.router.add_get("/seed.html", self._text(
            self.page("Episode 5", f"<script>\n{SEED_SNIPPET}\n</script>"), HTML))
        app.router.add_get("/login", self._login)
        app.router.add_get("/private/{name}", self._private)
        app.router.add_route("*", "/{path:.*}", self._file)
        return app

    @staticmethod
    def page(title: str, head: str = "") -> str:
        return PAGE_TEMPLATE.format(title=title, head=head)

    @staticmethod
    def _text(text: str, content_type: str) -> Handler:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(text=text, headers={"Content-Type": content_type,
                                                    "Cache-Control": "no-store"})
        return handler

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        seen = SeenRequest(request.method, request.path, dict(request.headers),
                           request.secure)
        with self._lock:
            self._seen.append(seen)
        response: web.StreamResponse = await handler(request)
        return response

    async def _login(self, request: web.Request) -> web.Response:
        response = web.Response(text=self.page("signed in"), content_type="text/html")
        response.set_cookie(SESSION_COOKIE, self.session, path="/", samesite="Lax",
                            httponly=True)
        return response

    async def _private(self, request: web.Request) -> web.StreamResponse:
        if request.cookies.get(SESSION_COOKIE) != self.session:
            return web.Response(status=403, text="sign in first")
        return await self._file(request)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        served = self.files.get(request.path)
        if served is None or request.method not in ("GET", "HEAD"):
            return web.Response(status=404)
        headers = {"Content-Type": served.content_type, "Cache-Control": "no-store"}
        if not served.attachment:
            return web.Response(body=served.body, headers=headers)
        # A download trickles in over seconds, as over a real network: the extension has
        # time to pause the browser's copy before it completes.
        name = request.path.rsplit("/", 1)[-1]
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response = web.StreamResponse(headers=headers)
        response.content_length = len(served.body)
        await response.prepare(request)
        if request.method == "GET":
            for start in range(0, len(served.body), TRICKLE_CHUNK):
                await response.write(served.body[start:start + TRICKLE_CHUNK])
                await asyncio.sleep(TRICKLE_PAUSE)
        await response.write_eof()
        return response


def _listener() -> socket.socket:
    """A listening socket on 127.0.0.1 and a port the kernel picks."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock
