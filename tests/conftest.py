"""Fixtures for the whole suite: the fault-injecting server, an isolated data folder and the
chaos suite's "chaos figures" summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytest_plugins = ["tests.support.fixtures", "tests.integration.engine_fixtures"]

# The user property under which a test reports a line for the "chaos figures" section.
FIGURE = "chaos figure"
_FIGURES: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long", action="store_true",
        help="run the chaos suite (tests/chaos) at full sizes, not CI's bounded ones",
    )


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Report one line for the "chaos figures" section of the run's summary.

    The line travels in the test's report (a user property), not in a module list: under
    pytest-xdist the tests run in worker processes and only the controller, which sees
    their reports, prints the summary.
    """

    def report(line: str) -> None:
        request.node.user_properties.append((FIGURE, line))

    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "teardown":  # by then the report holds every line the test gave
        _FIGURES.extend(str(value) for name, value in report.user_properties if name == FIGURE)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("chaos figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
