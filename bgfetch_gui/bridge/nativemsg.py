"""Native-messaging framing: a 32-bit native-order length, then that many bytes of UTF-8 JSON.

Everything read here comes from the browser on behalf of a web page, so it is
checked before it is believed: at most 1 MiB, valid UTF-8 JSON, an object, at
most :data:`MAX_DEPTH` levels deep. The depth is measured on the raw bytes
before ``json.loads`` sees them, in C-speed passes, so a 1 MiB run of ``[``
costs milliseconds and never reaches a recursive parser.
"""

from __future__ import annotations

import json
import re
import struct
from itertools import accumulate
from typing import Any, BinaryIO

MAX_INCOMING = 1 << 20
MAX_OUTGOING = 1 << 20  # Chromium drops a message to the extension of 1 MiB or more
MAX_DEPTH = 8
_HEADER = struct.Struct("=I")  # native byte order, as the browsers write it
_SKIP_CHUNK = 1 << 16

# A whole message as a sequence of non-string runs and complete string literals.
# Possessive everywhere, so it never backtracks: linear even on hostile input.
_STRINGS_CLOSED = re.compile(rb'(?:[^"]++|"(?:[^"\\]++|\\.)*+")*+', re.DOTALL)
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 / -1 as signed bytes


class NativeMessageError(Exception):
    """A message from the browser that is refused (the stream stays usable)."""


class MessageTooLarge(NativeMessageError):
    """More than :data:`MAX_INCOMING` bytes; its bytes were skipped."""


class MalformedMessage(NativeMessageError):
    """Not UTF-8 JSON."""


class NotAnObject(NativeMessageError):
    """JSON, but not an object."""


class TooDeep(NativeMessageError):
    """Nested more than :data:`MAX_DEPTH` levels."""


class OutgoingTooLarge(ValueError):
    """A message to the browser that would reach its 1 MiB limit; nothing was written."""


def nesting_depth(raw: bytes) -> int:
    """The deepest bracket nesting of JSON text ``raw``, outside string literals.

    Raises MalformedMessage for an unterminated string (no JSON is valid then).
    """
    if _STRINGS_CLOSED.fullmatch(raw) is None:
        raise MalformedMessage("unterminated string")
    steps = _STRING.sub(b"", raw).translate(_BRACKET_STEP, _NOT_BRACKETS)
    return max(accumulate(memoryview(steps).cast("b")), default=0)


def decode(raw: bytes) -> dict[str, Any]:
    """One message body: checked for depth before parsing, then for type."""
    if nesting_depth(raw) > MAX_DEPTH:
        raise TooDeep(f"nested more than {MAX_DEPTH} levels")
    try:
        message = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedMessage(f"not UTF-8 JSON: {exc}") from None
    if not isinstance(message, dict):
        raise NotAnObject(f"a JSON {type(message).__name__}, not an object")
    return message


def read_message(stream: BinaryIO) -> dict[str, Any] | None:
    """The next message, or None at the end of input (EOF, or a frame cut short).

    A refused message raises a NativeMessageError after all its bytes were
    consumed, so the next call reads the next frame.
    """
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    (length,) = _HEADER.unpack(header)
    if length > MAX_INCOMING:
        if not _skip(stream, length):
            return None
        raise MessageTooLarge(f"{length} bytes (the limit is {MAX_INCOMING})")
    body = _read_exactly(stream, length)
    if body is None:
        return None
    return decode(body)


def encode(message: dict[str, Any]) -> bytes:
    """A framed message for the browser; OutgoingTooLarge if the browser would refuse it."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(body) >= MAX_OUTGOING:
        raise OutgoingTooLarge(f"{len(body)} bytes (the limit is {MAX_OUTGOING})")
    return _HEADER.pack(len(body)) + body


def write_message(stream: BinaryIO, message: dict[str, Any]) -> None:
    stream.write(encode(message))
    stream.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    parts: list[bytes] = []
    missing = size
    while missing:
        chunk = stream.read(missing)
        if not chunk:
            return None
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


def _skip(stream: BinaryIO, size: int) -> bool:
    """Consume ``size`` bytes without keeping them; False if the input ended first."""
    while size:
        chunk = stream.read(min(size, _SKIP_CHUNK))
        if not chunk:
            return False
        size -= len(chunk)
    return True
