"""``bgfetch list`` for people: a table with a header and aligned columns that fits the
terminal (docs/contracts.md §4). ``list --json`` is the form for scripts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from .cli_output import elide, state_name
from .engine.units import human_size
from .i18n import translate

GAP = "  "
MIN_TITLE = 10
MAX_ID = 24  # generated ids have 12 characters; a longer chosen one is cut
NUMERIC = (2, 3)
DROP_ORDER = (4, 3)  # CREATED, then SIZE


def render_table(regs: Sequence[dict[str, Any]], width: int) -> list[str]:
    """The lines of the table, none wider than ``width``: titles and long ids are cut,
    and on a narrow terminal the date, then the size, make room for the title."""
    header = (translate("cli", "ID"), translate("cli", "STATE"), translate("cli", "DONE"),
              translate("cli", "SIZE"), translate("cli", "CREATED"), translate("cli", "TITLE"))
    rows = [header, *(_cells(reg) for reg in regs)]
    columns = list(range(len(header) - 1))  # every column but the title
    widths = {i: max(len(row[i]) for row in rows) for i in columns}
    widths[0] = min(widths[0], MAX_ID)
    for droppable in DROP_ORDER:
        if _title_room(widths, columns, width) >= MIN_TITLE:
            break
        columns.remove(droppable)
    title_width = max(MIN_TITLE, _title_room(widths, columns, width))
    lines = []
    for row in rows:
        # numbers align right, words left (as ls -l and ps do)
        cells = [elide(row[i], widths[i]).rjust(widths[i]) if i in NUMERIC
                 else elide(row[i], widths[i]).ljust(widths[i]) for i in columns]
        line = GAP.join([*cells, elide(row[-1], title_width)]).rstrip()
        lines.append(elide(line, width))
    return lines


def _title_room(widths: dict[int, int], columns: list[int], width: int) -> int:
    return width - sum(widths[i] for i in columns) - len(GAP) * len(columns)


def _cells(reg: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
    done = reg["downloaded"]
    total = reg["download_total"] or reg.get("expected_size") or 0
    if reg["result"] == "success":
        percent = "100%"
    elif total:
        percent = f"{min(100, 100 * done // total)}%"
    else:
        percent = "-"
    size = human_size(done) + (f" / {human_size(total)}" if total and total != done else "")
    title = reg["title"] or "-"
    if reg.get("origin"):
        title = f"{title} ({reg['origin']})"  # a web page's fetch
    return (reg.get("ref", reg["id"]), state_text(reg), percent, size,
            time.strftime("%Y-%m-%d %H:%M", time.localtime(reg["created_at"])), title)


def state_text(reg: dict[str, Any]) -> str:
    if reg["result"] != "failure":
        return state_name(reg["state"])
    if reg["failure_reason"] == "aborted":
        return translate("cli", "cancelled")
    return translate("cli", "failed: {reason}").format(reason=reg["failure_reason"])
