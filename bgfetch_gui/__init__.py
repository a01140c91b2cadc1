"""bgfetch: the web's Background Fetch model on the desktop."""

from bgfetch_gui.version import read_version

__version__ = read_version()
