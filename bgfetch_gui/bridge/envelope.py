"""The envelope of a message from the extension: ``v``, ``seq``, ``type``, ``origin``.

The host checks only the envelope; every other field is the engine's to judge
(docs/browser-bridge.md: the engine enforces the rules). What passes here is
forwarded as the ``call`` of one ``web`` command, without ``seq``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PROTOCOL_VERSION = 1
MAX_SEQ = 2**53 - 1  # the largest integer a JavaScript number holds exactly

# Types acting for one page's origin; the others (the extension's own, or the
# user's hand-offs) may name an origin but need not.
ORIGIN_TYPES = frozenset({"decision", "fetch", "get", "getIds", "abort", "matchAll", "read"})
TYPES = ORIGIN_TYPES | {"hello", "download", "sites"}

# ``URL.origin`` of an http(s) URL: lower-case scheme and host (IDNs arrive as
# punycode), no user info, path, query or fragment, a port only when not the default.
_ORIGIN = re.compile(
    r"(?P<scheme>https?)://"
    r"(?P<host>[a-z0-9](?:[a-z0-9_.-]{0,251}[a-z0-9_])?|\[[0-9a-f:.]{2,45}\])"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class EnvelopeError(Exception):
    """A refused message; ``name`` is the DOMException name the page sees."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Call:
    seq: int
    type: str
    origin: str | None
    body: dict[str, Any]  # the message without ``seq``: what the engine gets


def usable_seq(message: dict[str, Any]) -> int | None:
    """The message's ``seq`` if a reply could carry it back, else None (then it is dropped)."""
    seq = message.get("seq")
    if isinstance(seq, int) and not isinstance(seq, bool) and 0 < seq <= MAX_SEQ:
        return seq
    return None


def is_web_origin(value: str) -> bool:
    match = _ORIGIN.fullmatch(value)
    if match is None:
        return False
    port = match.group("port")
    if port is None:
        return True
    return int(port) <= 65535 and int(port) != _DEFAULT_PORTS[match.group("scheme")]


def parse_call(message: dict[str, Any]) -> Call:
    """The call in ``message``; EnvelopeError if its envelope is wrong.

    Call :func:`usable_seq` first: a message without one is never answered.
    """
    seq = usable_seq(message)
    if seq is None:
        raise EnvelopeError("TypeError", "seq must be a positive integer")
    version = message.get("v")
    if type(version) is not int or version != PROTOCOL_VERSION:  # True == 1 in Python
        raise EnvelopeError(
            "NotSupportedError", f"this bgfetch speaks protocol version {PROTOCOL_VERSION}"
        )
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        raise EnvelopeError("TypeError", "unknown message type")
    if "origin" not in message and kind not in ORIGIN_TYPES:
        return Call(seq, kind, None, _without_seq(message))
    origin = message.get("origin")
    if not isinstance(origin, str) or not is_web_origin(origin):
        raise EnvelopeError("TypeError", "origin must be an http(s) origin")
    return Call(seq, kind, origin, _without_seq(message))


def _without_seq(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if key != "seq"}
