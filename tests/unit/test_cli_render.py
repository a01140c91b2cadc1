"""The CLI's progress line and closing note, drawn from progress replies
(docs/contracts.md §4, "On a terminal"). The pty tests in
tests/integration/test_cli_terminal.py show them in a real terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui import i18n
from bgfetch_gui.cli_output import home_relative, render_bar, saved_note
from bgfetch_gui.engine.units import human_size


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The words as written, whatever the machine's language."""
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    i18n._terminal_translator.cache_clear()


def _progress(**fields: Any) -> dict[str, Any]:
    return {"id": "ep5", "title": "Episode 5", "state": "downloading", "downloaded": 0,
            "download_total": 0, "expected_size": None, "speed": 0.0,
            "files_done": 0, "files_total": 1, **fields}


def test_a_bar_with_everything_known() -> None:
    line = render_bar(_progress(downloaded=30 << 20, expected_size=60 << 20,
                                speed=float(3 << 20), files_done=1, files_total=2), 80)
    assert line.startswith("Episode 5  50% [")
    assert line.endswith(f"] {human_size(30 << 20)} / {human_size(60 << 20)}  "
                         f"{human_size(3 << 20)}/s  ETA 10s  1/2 files")
    assert len(line) == 80
    bar = line[line.index("[") + 1:line.index("]")]
    assert bar.count("=") + bar.count(">") in (len(bar) // 2, len(bar) // 2 + 1)


def test_an_unknown_size_moves_a_marker() -> None:
    first = render_bar(_progress(downloaded=1000), 60, tick=1)
    later = render_bar(_progress(downloaded=2000), 60, tick=5)
    assert " ??% [" in first and "<=>" in first and "ETA" not in first
    assert first.index("<=>") != later.index("<=>")


def test_a_state_other_than_downloading_replaces_speed_and_eta() -> None:
    line = render_bar(_progress(state="retrying", downloaded=5, download_total=10), 80)
    assert line.endswith("  retrying") and "/s" not in line


@pytest.mark.parametrize("width", [20, 30, 40, 50])
def test_a_narrow_terminal_drops_the_bar_not_the_numbers(width: int) -> None:
    line = render_bar(_progress(title="A long title for a narrow terminal",
                                downloaded=1 << 20, download_total=2 << 20), width)
    assert len(line) <= width
    if width >= 40:
        assert "50%" in line and human_size(1 << 20) in line


def test_paths_under_home_are_shown_with_a_tilde(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert home_relative(tmp_path / "Downloads" / "Episode 5") == "~/Downloads/Episode 5"
    assert home_relative(str(tmp_path) + "-other/x") == str(tmp_path) + "-other/x"
    records = [{"path": str(tmp_path / "Downloads" / "Episode 5" / name)}
               for name in ("ep-5.mp3", "ep-5.jpg")]
    assert saved_note({"records": records, "dest": ""}) == "saved 2 files to ~/Downloads/Episode 5"
    assert saved_note({"records": records[:1], "dest": ""}) == (
        "saved ~/Downloads/Episode 5/ep-5.mp3")
