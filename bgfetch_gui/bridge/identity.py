"""Who may talk to bgfetch's native-messaging host (docs/browser-bridge.md, "Identities")."""

from __future__ import annotations

HOST_NAME = "org.bgfetch.native_host"
CHROMIUM_EXTENSION_ID = "ebekpjkhjjelnomnenjckffmhcmjelgf"
CHROMIUM_ORIGIN = f"chrome-extension://{CHROMIUM_EXTENSION_ID}/"
FIREFOX_ADDON_ID = "bgfetch@bgfetch.org"


def caller_allowed(argv: list[str]) -> bool:
    """Whether the browser started the host for our extension.

    Chromium-family browsers pass the caller's origin as the first argument;
    Firefox passes the host manifest's path and then the add-on id. The
    browser enforces the manifest's allow-list before it starts us; this check
    catches a host manifest that was edited or copied for another extension.
    """
    if argv and argv[0] == CHROMIUM_ORIGIN:
        return True
    return len(argv) >= 2 and argv[1] == FIREFOX_ADDON_ID
