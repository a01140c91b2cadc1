"""Native-messaging framing and the envelope check: what the host accepts from a browser."""

from __future__ import annotations

import io
import json
import struct
import time
from typing import Any

import pytest

from bgfetch_gui.bridge import nativemsg
from bgfetch_gui.bridge.envelope import EnvelopeError, is_web_origin, parse_call, usable_seq
from bgfetch_gui.bridge.identity import caller_allowed


def frame(body: bytes) -> bytes:
    return struct.pack("=I", len(body)) + body


def frames(*messages: Any) -> io.BytesIO:
    return io.BytesIO(b"".join(
        frame(m if isinstance(m, bytes) else json.dumps(m).encode()) for m in messages
    ))


def nested(depth: int) -> bytes:
    """An object ``depth`` levels deep: {"a": [[...]]}."""
    return b'{"a":' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


# -- framing ------------------------------------------------------------------------------


def test_round_trip_in_native_byte_order() -> None:
    out = io.BytesIO()
    nativemsg.write_message(out, {"v": 1, "text": "é ✓"})
    raw = out.getvalue()
    assert struct.unpack("=I", raw[:4])[0] == len(raw) - 4
    assert nativemsg.read_message(io.BytesIO(raw)) == {"v": 1, "text": "é ✓"}


def test_end_of_input_and_cut_frames_end_reading() -> None:
    assert nativemsg.read_message(io.BytesIO(b"")) is None
    assert nativemsg.read_message(io.BytesIO(b"\x05\x00")) is None  # header cut short
    assert nativemsg.read_message(io.BytesIO(frame(b'{"a": 1}')[:-2])) is None  # body cut short
    huge_cut = struct.pack("=I", nativemsg.MAX_INCOMING + 10) + b"x" * 100
    assert nativemsg.read_message(io.BytesIO(huge_cut)) is None


@pytest.mark.parametrize(("body", "error"), [
    (b"{not json", nativemsg.MalformedMessage),
    (b'{"a": "\xff\xfe"}', nativemsg.MalformedMessage),
    (b'{"a": "unterminated', nativemsg.MalformedMessage),
    (b"[1, 2]", nativemsg.NotAnObject),
    (b'"text"', nativemsg.NotAnObject),
    (b"null", nativemsg.NotAnObject),
    (b"", nativemsg.MalformedMessage),
    (nested(9), nativemsg.TooDeep),
    (b"[" * 10_000 + b"]" * 10_000, nativemsg.TooDeep),
])
def test_refused_messages_leave_the_stream_usable(body: bytes, error: type[Exception]) -> None:
    stream = frames(body, {"after": True})
    with pytest.raises(error):
        nativemsg.read_message(stream)
    assert nativemsg.read_message(stream) == {"after": True}
    assert nativemsg.read_message(stream) is None


def test_eight_levels_pass_and_brackets_in_strings_do_not_count() -> None:
    assert nativemsg.decode(nested(8)) == json.loads(nested(8))
    tricky = json.dumps({"a": "[[[[[[[[[[ \\\" {{{{{{{{{{", "b": ["]]]]"]}).encode()
    assert nativemsg.nesting_depth(tricky) == 2
    assert nativemsg.decode(tricky)["b"] == ["]]]]"]


def test_an_oversized_frame_is_skipped_not_kept() -> None:
    big = json.dumps({"pad": "x" * nativemsg.MAX_INCOMING}).encode()
    stream = frames(big, {"after": 1})
    with pytest.raises(nativemsg.MessageTooLarge):
        nativemsg.read_message(stream)
    assert nativemsg.read_message(stream) == {"after": 1}
    exactly = b'{"p":"' + b"x" * (nativemsg.MAX_INCOMING - 8) + b'"}'
    assert len(exactly) == nativemsg.MAX_INCOMING
    assert nativemsg.read_message(frames(exactly)) == {"p": "x" * (nativemsg.MAX_INCOMING - 8)}


@pytest.mark.parametrize("body", [
    b"[" * nativemsg.MAX_INCOMING,
    b'"' * nativemsg.MAX_INCOMING,
    b'{"a":"' + b'\\"' * (nativemsg.MAX_INCOMING // 2 - 4),
    b"[" + b"[]," * (nativemsg.MAX_INCOMING // 3 - 1) + b"[]]",
])
def test_hostile_megabytes_are_judged_quickly(body: bytes) -> None:
    # CPU time of this thread: a backtracking or recursive judge costs seconds to hours of it,
    # a linear one about 0.2 s, and other processes on a loaded machine do not move it (the
    # wall clock measured 2.25 s for the same 0.2 s of work on CI).
    started = time.thread_time()
    with pytest.raises(nativemsg.NativeMessageError):
        nativemsg.decode(body)
    assert time.thread_time() - started < 2.0


def test_outgoing_messages_stay_under_a_mebibyte() -> None:
    fits = {"data": "x" * (nativemsg.MAX_OUTGOING - 20)}
    assert len(nativemsg.encode(fits)) - 4 < nativemsg.MAX_OUTGOING
    out = io.BytesIO()
    with pytest.raises(nativemsg.OutgoingTooLarge):
        nativemsg.write_message(out, {"data": "x" * nativemsg.MAX_OUTGOING})
    assert out.getvalue() == b""


# -- the envelope ---------------------------------------------------------------------------


def test_a_good_call_is_forwarded_without_seq() -> None:
    call = parse_call({"v": 1, "seq": 7, "type": "get", "origin": "https://a.example",
                       "id": "x"})
    assert (call.seq, call.type, call.origin) == (7, "get", "https://a.example")
    assert call.body == {"v": 1, "type": "get", "origin": "https://a.example", "id": "x"}
    hello = parse_call({"v": 1, "seq": 1, "type": "hello", "browser": "firefox"})
    assert hello.origin is None


@pytest.mark.parametrize(("message", "name"), [
    ({"v": 2, "seq": 1, "type": "hello"}, "NotSupportedError"),
    ({"v": True, "seq": 1, "type": "hello"}, "NotSupportedError"),
    ({"v": "1", "seq": 1, "type": "hello"}, "NotSupportedError"),
    ({"seq": 1, "type": "hello"}, "NotSupportedError"),
    ({"v": 1, "seq": 1, "type": "quit"}, "TypeError"),
    ({"v": 1, "seq": 1, "type": "web"}, "TypeError"),
    ({"v": 1, "seq": 1}, "TypeError"),
    ({"v": 1, "seq": 1, "type": "get", "id": "x"}, "TypeError"),
    ({"v": 1, "seq": 1, "type": "get", "origin": "file://", "id": "x"}, "TypeError"),
    ({"v": 1, "seq": 1, "type": "hello", "origin": None}, "TypeError"),
    ({"v": 1, "seq": 1, "type": "download", "origin": "chrome://settings"}, "TypeError"),
])
def test_bad_envelopes_are_refused_by_name(message: dict[str, Any], name: str) -> None:
    with pytest.raises(EnvelopeError) as refused:
        parse_call(message)
    assert refused.value.name == name


@pytest.mark.parametrize("seq", [None, 0, -1, 1.5, "1", True, 2**53, [1]])
def test_a_message_without_a_usable_seq_gets_no_answer(seq: object) -> None:
    assert usable_seq({"v": 1, "seq": seq, "type": "hello"}) is None


@pytest.mark.parametrize(("origin", "ok"), [
    ("https://podcast.example", True),
    ("http://127.0.0.1:8080", True),
    ("http://[::1]:3000", True),
    ("https://xn--bcher-kva.example", True),
    ("https://podcast.example/", False),
    ("https://podcast.example:443", False),
    ("http://podcast.example:80", False),
    ("https://podcast.example:65536", False),
    ("https://Podcast.example", False),
    ("HTTPS://podcast.example", False),
    ("https://user@podcast.example", False),
    ("https://podcast.example?x", False),
    ("ftp://podcast.example", False),
    ("null", False),
    ("https://bücher.example", False),
    ("https://a.example\n", False),
])
def test_origins_are_serialized_web_origins(origin: str, ok: bool) -> None:
    assert is_web_origin(origin) is ok


@pytest.mark.parametrize(("argv", "ok"), [
    (["chrome-extension://ebekpjkhjjelnomnenjckffmhcmjelgf/"], True),
    (["chrome-extension://ebekpjkhjjelnomnenjckffmhcmjelgf/", "--parent-window=0"], True),
    (["/home/u/.mozilla/native-messaging-hosts/org.bgfetch.native_host.json",
      "bgfetch@bgfetch.org"], True),
    (["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"], False),
    (["chrome-extension://ebekpjkhjjelnomnenjckffmhcmjelgf"], False),
    (["/path/org.bgfetch.native_host.json", "evil@example.org"], False),
    ([], False),
])
def test_only_our_extension_may_start_the_host(argv: list[str], ok: bool) -> None:
    assert caller_allowed(argv) is ok
