"""Fixtures of the integration tests that drive the real ``bgfetch`` command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cli_helpers import Home, home_fixture


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    """A data folder with fast settings; any daemon started in it is stopped afterwards."""
    yield from home_fixture(tmp_path)
