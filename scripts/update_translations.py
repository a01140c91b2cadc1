"""Refresh the translations in resources/i18n: extract the strings, compile the ``.qm``.

    .venv/bin/python scripts/update_translations.py           # in place
    .venv/bin/python scripts/update_translations.py --out DIR # a copy (the tests' check)

``pyside6-lupdate`` finds every ``translate("<context>", "...")`` and ``self.tr("...")``
in the modules that call them, and adds
new strings to each ``bgfetch_<locale>.ts`` as unfinished; translate them there
(by hand or with ``pyside6-linguist``), then run this again to compile the ``.qm``
files the programs load. No line numbers are kept, so the ``.ts`` files change
only when strings do. A new language starts as an empty ``bgfetch_<locale>.ts``
made once with ``pyside6-lupdate -target-language <locale> ... -ts FILE``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bgfetch_gui"
I18N = ROOT / "resources" / "i18n"
MARKERS = ("translate(\"", "self.tr(")


def sources() -> list[Path]:
    """The modules with translatable strings."""
    return sorted(
        path for path in PACKAGE.rglob("*.py")
        if any(marker in path.read_text(encoding="utf-8") for marker in MARKERS)
    )


def tool(name: str) -> str:
    """A Qt tool that PySide6-Essentials installs beside the interpreter."""
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else name


def update(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for ts in sorted(I18N.glob("bgfetch_*.ts")):
        target = out / ts.name
        if target != ts:
            shutil.copyfile(ts, target)
        subprocess.run(
            [tool("pyside6-lupdate"), "-silent", "-locations", "none",
             *map(str, sources()), "-ts", str(target)],
            check=True,
        )
        subprocess.run(
            [tool("pyside6-lrelease"), "-silent", str(target), "-qm",
             str(target.with_suffix(".qm"))],
            check=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=I18N, help="where to write (default: in place)")
    update(parser.parse_args().out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
