import pytest

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.model import FetchOptions, FetchRequest
from bgfetch_gui.engine.retry import backoff_delay, is_transient_status, parse_retry_after
from bgfetch_gui.engine.units import human_size, parse_size
from bgfetch_gui.engine.validation import check_fetch, check_url


@pytest.mark.parametrize(("url", "reason"), [
    ("file:///etc/passwd", "scheme"),
    ("data:text/plain,hi", "scheme"),
    ("ftp://example.org/x", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("example.org/x", "scheme"),
    ("http://", "no host"),
    ("http://exa mple.org/", "whitespace"),
    ("http://user:pass@example.org/", "credentials"),
    ("http://user:@example.org/", "credentials"),
    ("http://:pass@example.org/", "credentials"),
    ("http://example.org:587/", "port 587"),
    ("http://example.org:25/", "port 25"),
    ("http://example.org:99999/", "malformed"),
])
def test_bad_urls_name_their_problem(url: str, reason: str):
    with pytest.raises(InvalidFetch, match=reason):
        check_url(url)


@pytest.mark.parametrize("url", [
    "http://example.org/", "https://example.org:8443/a?b=c", "HTTP://EXAMPLE.ORG/x",
    "http://[::1]:8080/x", "http://127.0.0.1:80/",
])
def test_good_urls_pass(url: str):
    check_url(url)


def test_check_fetch_rejects_empty_and_bad_totals(tmp_path):
    with pytest.raises(InvalidFetch, match="at least one"):
        check_fetch("x", [], FetchOptions())
    with pytest.raises(InvalidFetch, match="download_total"):
        check_fetch("x", [FetchRequest("http://a/")], FetchOptions(download_total=-1))
    body = tmp_path / "body"
    body.write_bytes(b"0" * 100)
    # Request bodies count toward uploadTotal, not downloadTotal (issue 9, rule 2).
    check_fetch("x", [FetchRequest("http://a/", "POST", body=body)],
                FetchOptions(download_total=10))
    with pytest.raises(InvalidFetch, match="empty id"):
        check_fetch("", [FetchRequest("http://a/")], FetchOptions())


@pytest.mark.parametrize(("text", "value"), [
    ("123", 123), ("60M", 60 * 1024**2), ("1.5G", int(1.5 * 1024**3)), ("2k", 2048),
    ("10MiB", 10 * 1024**2), ("0", 0),
])
def test_parse_size(text: str, value: int):
    assert parse_size(text) == value


@pytest.mark.parametrize("text", ["", "-1", "1.5", "12Q", "M", "1e6"])
def test_parse_size_rejects(text: str):
    with pytest.raises(ValueError):
        parse_size(text)


def test_human_size():
    assert human_size(512) == "512 B"
    assert human_size(60 * 1024**2) == "60.0 MiB"


def test_retry_policy():
    assert is_transient_status(503) and is_transient_status(429) and is_transient_status(408)
    assert not is_transient_status(404) and not is_transient_status(403)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None
    delays = [backoff_delay(n, 1.0, 30.0) for n in range(1, 8)]
    assert 0.5 <= delays[0] <= 1.0 and 15 <= delays[5] <= 30 and delays[6] <= 30
