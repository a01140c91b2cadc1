"""``bgfetch-gui`` and ``python -m bgfetch_gui``: check the system, then import Qt and start.

Importing the app loads Qt's libraries, and creating the QApplication loads the X11
plugin; where system libraries are missing, either one fails with a message that
names the wrong thing. So the check runs first, in a module that imports no Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bgfetch_gui.platform.qt_libs import xcb_problem

EXIT_MISSING_LIBRARIES = 1
# These answer without a window, so a machine without X11 libraries can still run them.
NO_WINDOW_FLAGS = frozenset({
    "-h", "--help", "--version", "--install-desktop-integration",
    "--uninstall-desktop-integration", "--install-browser-integration",
    "--uninstall-browser-integration",
})


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not NO_WINDOW_FLAGS.intersection(args):
        problem = xcb_problem()
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_MISSING_LIBRARIES
    from bgfetch_gui.app import main as run_app

    return run_app(args)
