"""Secrets saved from several threads at once all reach the keyring (a browser's hand-offs
arrive together and each saves its cookies from a disk thread)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from bgfetch_gui.platform.secrets import KeyringSecrets

SAVERS = 16


@pytest.fixture
def fresh_file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """keyrings.alt's file keyring in a folder that does not exist yet, as on a first run."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    yield tmp_path
    keyring.set_keyring(previous)


def test_saves_from_many_threads_at_once_all_land(fresh_file_keyring: Path) -> None:
    secrets = KeyringSecrets(fresh_file_keyring / "data")
    start = threading.Barrier(SAVERS)
    errors: list[BaseException] = []

    def save(key: int) -> None:
        start.wait()
        try:
            secrets.save(key, 0, (("Cookie", f"session={key}"),))
        except BaseException as exc:  # whatever a thread meets, the test reports
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(key,)) for key in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [secrets.load(key, 0) for key in range(SAVERS)] == [
        (("Cookie", f"session={key}"),) for key in range(SAVERS)]
