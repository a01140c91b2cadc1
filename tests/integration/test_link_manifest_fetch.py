"""Fetching a ``bgfetch:`` link's manifest from a real HTTP server on loopback."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bgfetch_gui.engine import links
from bgfetch_gui.engine.errors import BgfetchError, InvalidFetch
from bgfetch_gui.engine.manifest import MAX_MANIFEST_BYTES

MANIFEST = {"id": "m1", "requests": ["https://example.org/a.bin"],
            "options": {"title": "From a link"}}


@pytest.fixture
async def server() -> AsyncIterator[str]:
    """Manifests and misbehaviours at ``/good``, ``/huge``, ``/unsized``, ``/missing``…"""

    async def good(_request: web.Request) -> web.Response:
        return web.json_response(MANIFEST)

    async def huge(_request: web.Request) -> web.Response:
        return web.Response(body=b" " * (MAX_MANIFEST_BYTES + 1))

    async def unsized(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # chunked: no Content-Length to refuse early
        await response.prepare(request)
        for _ in range(MAX_MANIFEST_BYTES // 65536 + 2):
            await response.write(b" " * 65536)
        return response

    async def hop(_request: web.Request) -> web.Response:
        raise web.HTTPFound("/good")

    async def downgrade(_request: web.Request) -> web.Response:
        raise web.HTTPFound("http://example.org/m.bgfetch")

    app = web.Application()
    for path, handler in (("/good", good), ("/huge", huge), ("/unsized", unsized),
                          ("/hop", hop), ("/downgrade", downgrade)):
        app.router.add_get(path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_a_manifest_url_on_loopback_resolves_after_a_redirect(server: str) -> None:
    linked = await links.resolve(f"bgfetch:fetch?manifest={server}/hop")
    assert linked.spec.id == "m1" and linked.spec.options.title == "From a link"
    assert linked.source == server


@pytest.mark.parametrize(("path", "error", "says"), [
    ("/huge", InvalidFetch, "larger than 1 MiB"),
    ("/unsized", InvalidFetch, "larger than 1 MiB"),
    ("/missing", BgfetchError, "answered HTTP 404"),
    ("/downgrade", InvalidFetch, "must use https"),
])
async def test_bad_manifest_urls_are_refused(
    server: str, path: str, error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as caught:
        await links.resolve(f"bgfetch:fetch?manifest={server}{path}")
    assert says in str(caught.value)


async def test_a_server_that_is_not_there() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(BgfetchError, match="could not fetch the manifest"):
        await links.resolve(f"bgfetch:fetch?manifest=http://127.0.0.1:{port}/m")
