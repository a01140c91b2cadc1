"""read_some hands out the bytes aiohttp received before a connection broke.

aiohttp's parser feeds a body's bytes into the response's StreamReader and, when the
connection ends early, sets a ClientPayloadError on it; ``readany`` then raises at
once, whatever is still buffered. On a busy machine that was a whole response: an
expired link left a checkpoint of 0 and its new URL was asked for the whole file.
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp.base_protocol import BaseProtocol

from bgfetch_gui.engine.http.exchange import read_some


def body_cut_after(*chunks: bytes) -> aiohttp.StreamReader:
    """A response body that received ``chunks``, then lost its connection, unread."""
    loop = asyncio.get_running_loop()
    body = aiohttp.StreamReader(BaseProtocol(loop), 2**16, loop=loop)
    for chunk in chunks:
        body.feed_data(chunk)
    body.set_exception(aiohttp.ClientPayloadError("Response payload is not completed"))
    return body


async def test_bytes_received_before_the_break_come_first_then_the_error() -> None:
    body = body_cut_after(b"a" * 1000, b"b" * 24)
    with pytest.raises(aiohttp.ClientPayloadError):
        await body.readany()  # what aiohttp alone does: the 1024 bytes are lost
    body = body_cut_after(b"a" * 1000, b"b" * 24)
    assert await read_some(body) == b"a" * 1000 + b"b" * 24
    with pytest.raises(aiohttp.ClientPayloadError):
        await read_some(body)


async def test_a_break_with_nothing_buffered_raises_at_once() -> None:
    with pytest.raises(aiohttp.ClientPayloadError):
        await read_some(body_cut_after())


async def test_a_whole_body_reads_as_before() -> None:
    loop = asyncio.get_running_loop()
    body = aiohttp.StreamReader(BaseProtocol(loop), 2**16, loop=loop)
    body.feed_data(b"whole")
    body.feed_eof()
    assert await read_some(body) == b"whole"
    assert await read_some(body) == b""


async def test_each_received_chunk_is_handed_out_as_it_came_not_joined() -> None:
    # readany joins every chunk that waits into a new bytes object: a copy of the
    # whole body of a fast download that curl does not make (issue 8).
    loop = asyncio.get_running_loop()
    body = aiohttp.StreamReader(BaseProtocol(loop), 2**16, loop=loop)
    first, second = b"a" * 1000, b"b" * 24
    body.feed_data(first)
    body.feed_data(second)
    body.feed_eof()
    assert await read_some(body) is first
    assert await read_some(body) is second
    assert await read_some(body) == b""


async def test_a_chunked_bodys_empty_boundary_is_not_its_end() -> None:
    loop = asyncio.get_running_loop()
    body = aiohttp.StreamReader(BaseProtocol(loop), 2**16, loop=loop)
    for chunk in (b"one", b"two"):
        body.begin_http_chunk_receiving()
        body.feed_data(chunk)
        body.end_http_chunk_receiving()
    body.feed_eof()
    received = []
    while chunk := await read_some(body):
        received.append(chunk)
    assert b"".join(received) == b"onetwo"
