"""The Settings dialog cannot produce settings that make no sense (issue 10): whatever the
file held, what OK gives back passes the engine's own validation."""

from __future__ import annotations

import json
from pathlib import Path

from bgfetch_gui.engine.settings import SETTINGS_NAME, Settings
from bgfetch_gui.ui.settings_dialog import SettingsDialog


async def test_the_dialog_gives_back_only_valid_settings(qtbot, tmp_path: Path) -> None:
    (tmp_path / SETTINGS_NAME).write_text(json.dumps({
        "max_active_fetches": 0, "max_transfers_per_fetch": -3, "connections_per_file": 99,
        "min_split_size": 0, "stall_timeout": -1, "checkpoint_seconds": 0,
    }))
    dialog = SettingsDialog(Settings.load(tmp_path))
    qtbot.addWidget(dialog)
    for spin in (dialog.fetches_spin, dialog.transfers_spin, dialog.connections_spin,
                 dialog.split_spin):
        spin.setValue(spin.minimum() - 1)  # typing a 0 or a minus sign is clamped
    assert dialog.settings().problems() == []
    for spin in (dialog.fetches_spin, dialog.transfers_spin, dialog.connections_spin):
        spin.setValue(spin.maximum() + 1)
    assert dialog.settings().problems() == []
