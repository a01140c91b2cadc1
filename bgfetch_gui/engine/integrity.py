"""Subresource Integrity metadata of a request, and checking a body against it
(docs/contracts.md §12).

The metadata is the Fetch standard's ``integrity``: ``sha256-<base64>``,
``sha384-…``, ``sha512-…`` tokens separated by whitespace, options after ``?``
ignored, unknown algorithms ignored. Only the strongest algorithm present
counts, and any of its digests matching passes (SRI, "Does response match
metadataList"). Hashing runs on the engine's disk threads, never on the loop.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# By strength, weakest first (SRI's getPrioritizedHashFunction).
ALGORITHMS = ("sha256", "sha384", "sha512")
DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
MAX_METADATA = 8192  # characters; a few hundred digests, more than any page needs
READ_SIZE = 1 << 20

# HTML's ASCII whitespace, which SRI splits the metadata on.
_SPACES = re.compile(r"[\t\n\f\r ]+")
# The base64 of CSP's grammar, and base64url (which browsers accept too).
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")


class Hash(Protocol):
    """What :mod:`hashlib` objects offer that this module uses."""

    def update(self, data: bytes | memoryview, /) -> None: ...

    def digest(self) -> bytes: ...


class BadIntegrity(ValueError):
    """Metadata a user gave that cannot be what they meant."""


@dataclass(frozen=True)
class Token:
    algorithm: str  # lower case, one of ALGORITHMS
    value: str  # the base64 digest as given

    def __str__(self) -> str:
        return f"{self.algorithm}-{self.value}"


def parse_metadata(metadata: str) -> tuple[Token, ...]:
    """SRI's "parse metadata": the tokens of a known algorithm, in order.

    A token's algorithm is matched without regard to case, as browsers do.
    """
    tokens = []
    for item in _SPACES.split(metadata.strip()):
        expression = item.split("?", 1)[0]
        algorithm, _, value = expression.partition("-")
        if algorithm.lower() in ALGORITHMS:
            tokens.append(Token(algorithm.lower(), value))
    return tuple(tokens)


def check_metadata(metadata: str) -> None:
    """Refuse metadata a person typed (a command line, a manifest) that cannot be
    meant: none of its tokens is a known algorithm, or a digest of a known one is
    not the base64 of a digest of that size. A browser would ignore the first and
    fail the download for the second; a user would rather hear it at once."""
    if len(metadata) > MAX_METADATA:
        raise BadIntegrity(f"longer than {MAX_METADATA} characters")
    tokens = parse_metadata(metadata)
    if not tokens:
        raise BadIntegrity(f"{metadata[:80]!r} has no sha256-, sha384- or sha512- digest")
    for token in tokens:
        digest = _digest_bytes(token.value)
        if digest is None or len(digest) != DIGEST_SIZES[token.algorithm]:
            raise BadIntegrity(f"{str(token)[:100]!r} is not the base64 of a "
                               f"{DIGEST_SIZES[token.algorithm]}-byte {token.algorithm} digest")


def _digest_bytes(value: str) -> bytes | None:
    """The digest a base64 (or base64url) value stands for, None if it is not base64."""
    if not _BASE64.match(value):
        return None
    text = value.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        return None


@dataclass(frozen=True)
class Expectation:
    """The strongest metadata of a request: what its body's digest must be one of."""

    algorithm: str
    tokens: tuple[Token, ...]

    @classmethod
    def of(cls, metadata: str) -> Expectation | None:
        """None when there is nothing to check (no token of a known algorithm)."""
        tokens = parse_metadata(metadata)
        if not tokens:
            return None
        strongest = max((t.algorithm for t in tokens), key=ALGORITHMS.index)
        return cls(strongest, tuple(t for t in tokens if t.algorithm == strongest))

    def new_hash(self) -> Hash:
        return hashlib.new(self.algorithm)

    def mismatch(self, digest: bytes) -> str | None:
        """None if ``digest`` matches one of the expected ones, else the problem in words."""
        if any(_digest_bytes(t.value) == digest for t in self.tokens):
            return None
        got = base64.b64encode(digest).decode("ascii")
        expected = " or ".join(str(t) for t in self.tokens)
        return f"integrity check failed: expected {expected} got {self.algorithm}-{got}"


class StreamHash:
    """Hashes a body as its pieces reach the part file, on the threads that write them.

    The writes of one file may finish out of order (several disk threads), so a piece
    that arrives ahead of the bytes before it waits here until they are hashed. Bytes
    already in the part file before ``start`` are hashed first (:meth:`read_prefix`).
    """

    def __init__(self, hasher: Hash, start: int) -> None:
        self._hash = hasher
        self._next = start
        self._start = start
        self._ahead: dict[int, memoryview] = {}
        self._lock = threading.Lock()

    def read_prefix(self, path: Path) -> None:
        """Hash the part file's first ``start`` bytes (a resumed body); on a disk thread."""
        fd = open_regular(path)
        try:
            _hash_fd(fd, self._hash, self._start)
        finally:
            os.close(fd)

    def feed(self, pieces: Iterable[tuple[int, memoryview]]) -> None:
        """Pieces (file offset, bytes) that are now in the file; on a disk thread."""
        with self._lock:
            for offset, view in pieces:
                self._ahead[offset] = view
            while self._next in self._ahead:
                view = self._ahead.pop(self._next)
                self._hash.update(view)
                self._next += len(view)

    def digest(self, size: int) -> bytes | None:
        """The digest once exactly ``size`` bytes were hashed in order; None otherwise."""
        with self._lock:
            return self._hash.digest() if self._next == size and not self._ahead else None


def open_regular(path: Path) -> int:
    """A read descriptor on ``path``, never through a link nor blocking on a FIFO; raises
    OSError for anything that is not a regular file."""
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    fd = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(f"{path} is not a regular file")
    return fd


def _hash_fd(fd: int, hasher: Hash, size: int | None) -> None:
    """Feed ``size`` bytes (None: all) of ``fd`` from its start into ``hasher``."""
    buffer = bytearray(READ_SIZE)
    view = memoryview(buffer)
    offset = 0
    while size is None or offset < size:
        want = READ_SIZE if size is None else min(READ_SIZE, size - offset)
        n = os.preadv(fd, [view[:want]], offset) if hasattr(os, "preadv") else \
            _read_at(fd, view[:want], offset)
        if n == 0:
            if size is not None:
                raise OSError(f"the file ended at {offset} of {size} bytes")
            return
        hasher.update(view[:n])
        offset += n


def _read_at(fd: int, into: memoryview, offset: int) -> int:
    os.lseek(fd, offset, os.SEEK_SET)  # Windows has no preadv
    data = os.read(fd, len(into))
    into[:len(data)] = data
    return len(data)


def hash_file(path: Path, algorithm: str) -> tuple[bytes, os.stat_result]:
    """The digest of the whole file at ``path`` and its status when read; on a thread."""
    fd = open_regular(path)
    try:
        hasher = hashlib.new(algorithm)
        _hash_fd(fd, hasher, None)
        return hasher.digest(), os.fstat(fd)
    finally:
        os.close(fd)
