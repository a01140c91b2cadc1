"""The chaos suite (issue 10): every test here is marked ``chaos``.

CI (``.ci/run`` through ``scripts/test``) runs it at bounded sizes, a few minutes on two
cores; ``pytest tests/chaos --long`` runs the full sizes the issue names. The figures
each test reports (restarts survived, bytes fetched twice, outcomes by reason, time to
settle, each hostile case) are printed in a "chaos figures" section at the end of the
run, quiet mode included (the ``figures`` fixture and its summary live in tests/conftest.py,
which pytest-xdist's controller loads too). The disk-full tests mount a tmpfs and need root,
as CI has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.cli_helpers import Home, home_fixture


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    """A data folder for real ``bgfetch`` processes; every engine of it stops afterwards."""
    yield from home_fixture(tmp_path)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.chaos)


@dataclass(frozen=True)
class Scale:
    """The sizes of one chaos run."""

    long: bool
    kills: int
    kill_file: int
    storm_fetches: int
    storm_max_files: int
    storm_deadline: float
    fuzz_examples: int


BOUNDED = Scale(long=False, kills=6, kill_file=48 << 20, storm_fetches=30,
                storm_max_files=5, storm_deadline=60.0, fuzz_examples=150)
LONG = Scale(long=True, kills=20, kill_file=512 << 20, storm_fetches=100,
             storm_max_files=20, storm_deadline=180.0, fuzz_examples=2000)


@pytest.fixture
def scale(request: pytest.FixtureRequest) -> Scale:
    return LONG if request.config.getoption("--long") else BOUNDED
