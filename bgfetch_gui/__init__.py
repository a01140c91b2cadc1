"""bgfetch: the web's Background Fetch model on the desktop."""

__version__ = "0.1.0"
