"""Fixtures for the whole suite: the fault-injecting server and an isolated data folder."""

from __future__ import annotations

pytest_plugins = ["tests.support.fixtures", "tests.integration.engine_fixtures"]
