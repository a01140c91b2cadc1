"""What both local servers (Qt's and the Qt-free one) accept from a client, and the token.

One JSON object on one line, at most ``MAX_LINE`` bytes and ``MAX_DEPTH`` levels
deep; anything else is answered "bad request" and the connection closed, so no
parser or handler recurses on a hostile message and no client hangs
(docs/contracts.md §4). Pure Python: the CLI's own engine imports no Qt.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..engine.datadir import TOKEN_NAME

MAX_LINE = 1 << 20
# No command nests deeper than a few levels; a message that does is refused
# before parsing, so no parser or handler can recurse on it.
MAX_DEPTH = 32
# Many clients at once (a script starting 500 `bgfetch` commands) must queue in
# the kernel, not get EAGAIN; the kernel caps this at net.core.somaxconn.
LISTEN_BACKLOG = 1024
BAD_REQUEST: dict[str, Any] = {"done": True, "ok": False, "code": 2, "error": "bad request"}
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NESTING = re.compile(rb"[\[\]{}]")


class BadRequest(ValueError):
    """A client's line that no handler will see; the text says why, for the log."""


def decode_request(line: bytes) -> dict[str, Any]:
    """The JSON object on ``line`` (without its newline), or :class:`BadRequest`."""
    if len(line) > MAX_LINE:
        raise BadRequest(f"request longer than {MAX_LINE} bytes")
    if _depth(line) > MAX_DEPTH:
        raise BadRequest(f"request nested deeper than {MAX_DEPTH} levels")
    try:
        message = json.loads(line)
    except ValueError:
        raise BadRequest("not JSON") from None
    if not isinstance(message, dict):
        raise BadRequest("not a JSON object")
    return message


def _depth(line: bytes) -> int:
    """How deep the brackets of a JSON text nest (strings, with their brackets, skipped)."""
    brackets = _NESTING.findall(_JSON_STRING.sub(b"", line))
    steps = (1 if b in (b"[", b"{") else -1 for b in brackets)
    return max(accumulate(steps, initial=0))


def write_token(folder: Path) -> str:
    """A fresh random token in ``ipc.token`` (mode 0600); clients must send it back."""
    token = secrets.token_hex(32)
    path = folder / TOKEN_NAME
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token)
    os.replace(tmp, path)
    return token
