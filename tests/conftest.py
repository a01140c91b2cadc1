"""Fixtures for the whole suite: the fault-injecting server and an isolated data folder."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.support.fixtures", "tests.integration.engine_fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long", action="store_true",
        help="run the chaos suite (tests/chaos) at full sizes, not CI's bounded ones",
    )
