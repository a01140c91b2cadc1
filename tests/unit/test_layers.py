"""The package's layers import downwards only: the engine (pure asyncio) knows no
Qt and no presentation, the presentation (words shared by the window, the
notifications and the CLI) no Qt and no window, the Qt adapters of platform/ no
window."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "bgfetch_gui"

FORBIDDEN = {
    "engine": ("PySide6", "bgfetch_gui.qt", "bgfetch_gui.ui", "bgfetch_gui.platform",
               "bgfetch_gui.presentation"),
    "presentation": ("PySide6", "bgfetch_gui.qt", "bgfetch_gui.ui", "bgfetch_gui.platform"),
    "platform": ("bgfetch_gui.ui",),
}


def imported(path: Path) -> set[str]:
    """Absolute names of what ``path`` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_does_not_import_the_ones_above(layer: str) -> None:
    wrong = sorted(
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in (PACKAGE / layer).rglob("*.py")
        for name in imported(path)
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer])
    )
    assert wrong == []
