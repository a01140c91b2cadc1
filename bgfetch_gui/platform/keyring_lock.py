"""One lock for every use of the OS keyring in this process.

keyring's backends are not made for threads: two browser hand-offs arriving together saved
their cookies from two disk threads at once, the file backend's folder creation raced, and
one save failed (FileExistsError), so the browser kept a download bgfetch had also taken.
Keyring calls are short and rare, so they simply take turns.
"""

from __future__ import annotations

import threading

KEYRING_LOCK = threading.Lock()
