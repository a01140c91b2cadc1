"""Fetches in words and numbers for people, shared by the window (``ui``), the
notifications (``platform.notifications``) and the command line: Qt-free, in the
user's language through :func:`bgfetch_gui.i18n.translate`."""
