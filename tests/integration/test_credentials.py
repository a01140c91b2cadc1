"""Credentials: asked for only after a 401, sent only to their origin, kept only in the keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bgfetch_gui.engine.credentials import Credential, origin_of
from tests.integration.engine_fixtures import start_engine, stop_engine
from tests.support.faultserver import FaultServer, content

SECRET = "s3cret-hunter2"


class SavedCredentials:
    """The engine's CredentialProvider interface with a fixed table: the keyring's stand-in
    for engine-level tests (the keyring adapter itself is tested through the CLI below)."""

    def __init__(self, table: dict[str, Credential]) -> None:
        self.table = table
        self.asked: list[str] = []

    def lookup(self, origin: str) -> Credential | None:
        self.asked.append(origin)
        return self.table.get(origin)


async def test_401_without_credentials_is_bad_status(tmp_path: Path, fault_server: FaultServer):
    fault_server.require_auth("private.bin", "alice", SECRET)
    engine = await start_engine(tmp_path)
    try:
        reg = await engine.settled(await engine.manager.fetch(
            "p", [fault_server.url("private.bin", size=100)]))
        assert (reg.result, reg.failure_reason) == ("failure", "bad-status")
    finally:
        await stop_engine(engine)


async def test_credentials_go_only_to_their_origin(tmp_path: Path, fault_server: FaultServer):
    fault_server.require_auth("private.bin", "alice", SECRET)
    fault_server.require_auth("hop", "alice", SECRET)
    url = fault_server.url("private.bin", size=1000)
    elsewhere = f"http://localhost:{fault_server.port}/echo-headers"
    hop = fault_server.url("hop", redirect_to=elsewhere)
    saved = SavedCredentials({origin_of(url): Credential("alice", SECRET)})
    engine = await start_engine(tmp_path)
    engine.manager.credentials = saved
    try:
        reg = await engine.settled(await engine.manager.fetch("p", [url, hop]))
        assert reg.result == "success", reg.failure_reason
        records = await reg.match_all()
        assert records[0].path.read_bytes() == content(1000)
        echoed = json.loads(records[1].path.read_text())
        assert "Authorization" not in echoed, "credentials leaked across origins"
        first, second = fault_server.requests_for("private.bin")
        assert "Authorization" not in first.headers and "Authorization" in second.headers
    finally:
        await stop_engine(engine)
    database = (tmp_path / "bgfetch.sqlite3").read_bytes()
    assert SECRET.encode() not in database


def test_cli_login_keeps_the_password_in_the_keyring_only(
    tmp_path: Path, fault_server: FaultServer
):
    fault_server.require_auth("private.bin", "alice", SECRET)
    env = {
        **os.environ,
        "BGFETCH_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
    }
    bgfetch = [sys.executable, "-m", "bgfetch_gui.cli"]
    url = fault_server.url("private.bin", size=5000)
    login = subprocess.run([*bgfetch, "login", url, "--username", "alice"], input=SECRET + "\n",
                           capture_output=True, text=True, env=env, timeout=60)
    assert login.returncode == 0, login.stderr
    fetched = subprocess.run([*bgfetch, "fetch", "--wait", "--dest", str(tmp_path / "d"), url],
                             capture_output=True, text=True, env=env, timeout=60)
    assert fetched.returncode == 0, fetched.stderr
    assert (tmp_path / "d" / "private.bin").read_bytes() == content(5000)
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"password found in {path}"
    logout = subprocess.run([*bgfetch, "logout", url], capture_output=True, text=True, env=env,
                            timeout=60)
    assert logout.returncode == 0
    again = subprocess.run([*bgfetch, "fetch", "--wait", "--dest", str(tmp_path / "e"), url],
                           capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 1 and "bad-status" in again.stderr


@pytest.mark.parametrize("url", ["ftp://x/", "http://u:p@127.0.0.1/"])
def test_login_rejects_bad_urls(url: str, tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "bgfetch_gui.cli", "login", url, "--username", "a"],
        input="x\n", capture_output=True, text=True, timeout=60,
        env={**os.environ, "BGFETCH_HOME": str(tmp_path)},
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
