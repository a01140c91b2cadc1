"""Subresource Integrity metadata (docs/contracts.md §12): parsing, the strongest algorithm,
matching, what a person may not write, and hashing pieces that finish out of order."""

from __future__ import annotations

import base64
import hashlib
import random
import threading
from pathlib import Path

import pytest

from bgfetch_gui.engine.integrity import (
    BadIntegrity,
    Expectation,
    StreamHash,
    check_metadata,
    hash_file,
    parse_metadata,
)

BODY = b"the body of a download\n" * 1000


def sri(algorithm: str, body: bytes = BODY, *, url_safe: bool = False) -> str:
    digest = hashlib.new(algorithm, body).digest()
    encode = base64.urlsafe_b64encode if url_safe else base64.b64encode
    return f"{algorithm}-{encode(digest).decode()}"


def test_parse_keeps_known_algorithms_and_drops_options() -> None:
    text = f" md5-abc {sri('sha256')}?ct=application/octet-stream\t{sri('sha512')}\n sha1-x "
    assert [(t.algorithm, f"{t.algorithm}-{t.value}") for t in parse_metadata(text)] == [
        ("sha256", sri("sha256")), ("sha512", sri("sha512"))]


def test_algorithm_names_are_matched_without_case() -> None:
    token = sri("sha384")
    assert parse_metadata("SHA384" + token[6:])[0].algorithm == "sha384"


@pytest.mark.parametrize("algorithm", ["sha256", "sha384", "sha512"])
def test_a_digest_of_the_body_matches(algorithm: str) -> None:
    expected = Expectation.of(sri(algorithm))
    assert expected is not None and expected.algorithm == algorithm
    assert expected.mismatch(hashlib.new(algorithm, BODY).digest()) is None


def test_base64url_and_missing_padding_match_too() -> None:
    expected = Expectation.of(sri("sha256", url_safe=True).rstrip("="))
    assert expected is not None
    assert expected.mismatch(hashlib.sha256(BODY).digest()) is None


def test_only_the_strongest_algorithm_counts() -> None:
    wrong256 = sri("sha256", b"another body")
    expected = Expectation.of(f"{wrong256} {sri('sha512')}")
    assert expected is not None and expected.algorithm == "sha512"
    assert expected.mismatch(hashlib.sha512(BODY).digest()) is None
    # The right sha256 does not save a wrong sha384.
    expected = Expectation.of(f"{sri('sha256')} {sri('sha384', b'other')}")
    assert expected is not None
    assert expected.mismatch(hashlib.sha384(BODY).digest()) is not None


def test_any_digest_of_the_strongest_algorithm_passes() -> None:
    expected = Expectation.of(f"{sri('sha512', b'old release')} {sri('sha512')}")
    assert expected is not None
    assert expected.mismatch(hashlib.sha512(BODY).digest()) is None


def test_a_mismatch_says_what_was_expected_and_what_came() -> None:
    expected = Expectation.of(f"{sri('sha256', b'a')} {sri('sha256', b'b')}")
    assert expected is not None
    problem = expected.mismatch(hashlib.sha256(BODY).digest())
    assert problem == (f"integrity check failed: expected {sri('sha256', b'a')} or "
                       f"{sri('sha256', b'b')} got {sri('sha256')}")


def test_no_known_algorithm_means_nothing_to_check() -> None:
    assert Expectation.of("") is None
    assert Expectation.of("md5-abc sha1-def  ") is None


@pytest.mark.parametrize("metadata", [
    "", "   ", "md5-abc", "sha256", "sha256-", "sha256-not*base64",
    "sha256-" + base64.b64encode(b"short").decode(),  # not 32 bytes
    sri("sha256") + " sha512-AAAA",  # every known token must be a real digest
    "sha256-" + "A" * 9000,
])
def test_what_a_person_may_not_write(metadata: str) -> None:
    with pytest.raises(BadIntegrity):
        check_metadata(metadata)


def test_what_a_person_may_write() -> None:
    check_metadata(sri("sha256"))
    check_metadata(f"md5-ignored {sri('sha384')}?opt {sri('sha512', url_safe=True)}")


def test_stream_hash_puts_pieces_back_in_order_across_threads(tmp_path: Path) -> None:
    prefix = BODY[:5000]
    part = tmp_path / "x.part"
    part.write_bytes(prefix)
    hasher = StreamHash(hashlib.sha256(), len(prefix))
    hasher.read_prefix(part)
    rest = BODY[len(prefix):]
    pieces = [(len(prefix) + i, memoryview(rest)[i:i + 700]) for i in range(0, len(rest), 700)]
    batches = [pieces[i:i + 3] for i in range(0, len(pieces), 3)]
    random.Random(5).shuffle(batches)
    threads = [threading.Thread(target=hasher.feed, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert hasher.digest(len(BODY)) == hashlib.sha256(BODY).digest()


def test_stream_hash_with_a_gap_has_no_digest() -> None:
    hasher = StreamHash(hashlib.sha256(), 0)
    hasher.feed([(0, memoryview(BODY[:10])), (20, memoryview(BODY[20:30]))])
    assert hasher.digest(30) is None


def test_hash_file_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(BODY)
    (tmp_path / "link").symlink_to(tmp_path / "f")
    digest, info = hash_file(tmp_path / "f", "sha384")
    assert digest == hashlib.sha384(BODY).digest() and info.st_size == len(BODY)
    with pytest.raises(OSError):
        hash_file(tmp_path / "link", "sha256")
    with pytest.raises(OSError):
        hash_file(tmp_path, "sha256")
