"""The Qt binding must not corrupt the interpreter when Python emits signals.

PySide6 6.12.0 on Python 3.11 loses a reference to ``True`` on every emit from
Python; qasync emits one per ``call_soon_threadsafe`` (every DNS lookup and
``to_thread``), so a long download session ended in "Fatal Python error:
bool_dealloc". Runs in a child process so a bad binding cannot take pytest down.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
class Emitter(QObject):
    fired = Signal()
app = QCoreApplication([])
emitter = Emitter()
emitter.fired.connect(lambda: None)
before = sys.getrefcount(True)
for _ in range(200):
    emitter.fired.emit()
print(sys.getrefcount(True) - before)
"""


def test_python_signal_emits_keep_true_alive():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=60, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    assert abs(int(result.stdout.strip())) < 10
