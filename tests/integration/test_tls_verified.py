"""Downloads over https are verified against the system's CA store (issue 8 changed how
aiohttp is imported so that the store is read once: engine/http/__init__.py).

A real https server on loopback with a self-signed certificate: no CA vouches for it,
so the fetch fails as a secure-connection problem; trusted through ``SSL_CERT_FILE``
(read into the verified context like the system store) the same download succeeds.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.integration.cli_helpers import Home, describe
from tests.support.pageserver import self_signed_context

BODY = b"verified bytes\n" * 4096


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def https_folder(root: Path, certs: Path) -> Iterator[int]:
    """``root`` served over https on an ephemeral loopback port; yields the port."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietFiles, directory=str(root)))
    server.socket = self_signed_context(certs).wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, name="https-folder", daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_an_untrusted_certificate_fails_and_a_trusted_one_passes(
        tmp_path: Path, home: Home) -> None:
    root, certs = tmp_path / "site", tmp_path / "certs"
    root.mkdir()
    certs.mkdir()
    (root / "file.bin").write_bytes(BODY)
    home.write_settings(max_retries=0)  # a certificate no CA vouches for stays so
    with https_folder(root, certs) as port:
        url = f"https://127.0.0.1:{port}/file.bin"

        untrusted = home.run("fetch", "--wait", "--dest", str(tmp_path / "no"), url)
        assert untrusted.returncode == 1, describe(untrusted)
        assert "secure connection failed" in untrusted.stderr, describe(untrusted)
        assert not (tmp_path / "no" / "file.bin").exists()

        trusted = home.run("fetch", "--wait", "--dest", str(tmp_path / "yes"), url,
                           extra_env={"SSL_CERT_FILE": str(certs / "site.crt")})
        assert trusted.returncode == 0, describe(trusted)
        assert (tmp_path / "yes" / "file.bin").read_bytes() == BODY
