"""Credentials in the OS keyring (Secret Service, macOS Keychain, Windows Credential Locker).

Nothing else ever holds them: not the database, not the logs, not argv. A
machine without a usable keyring (a headless box picks keyring's
``fail.Keyring``) gets a clear message instead of a crash.
"""

from __future__ import annotations

import json
import logging

from ..engine.credentials import Credential
from .keyring_lock import KEYRING_LOCK

log = logging.getLogger("bgfetch.credentials")

SERVICE = "bgfetch"


class KeyringUnavailable(Exception):
    """The OS keyring cannot be used on this machine."""


class KeyringCredentials:
    """The engine's CredentialProvider over ``keyring``: one entry per web origin
    (``scheme://host:port``) or per proxy (``Proxy.keyring_key``)."""

    def lookup(self, origin: str) -> Credential | None:
        import keyring.errors  # here, not at the top: a plain download never needs keyring
        try:
            with KEYRING_LOCK:
                raw = keyring.get_password(SERVICE, origin)
        except keyring.errors.KeyringError as exc:
            log.warning("cannot read the keyring: %s", exc)
            return None
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            return Credential(str(data["username"]), str(data["password"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable keyring entry for %s", origin)
            return None

    def save(self, key: str, credential: Credential) -> None:
        """Store ``credential`` under ``key``: an origin, or a proxy's ``Proxy.keyring_key``."""
        import keyring.errors
        value = json.dumps({"username": credential.username, "password": credential.password})
        try:
            with KEYRING_LOCK:
                keyring.set_password(SERVICE, key, value)
        except (keyring.errors.KeyringError, RuntimeError) as exc:
            raise KeyringUnavailable(_explain(exc)) from None

    def forget(self, key: str) -> bool:
        import keyring.errors
        try:
            with KEYRING_LOCK:
                keyring.delete_password(SERVICE, key)
        except keyring.errors.PasswordDeleteError:
            return False
        except (keyring.errors.KeyringError, RuntimeError) as exc:
            raise KeyringUnavailable(_explain(exc)) from None
        return True


def _explain(exc: BaseException) -> str:
    import keyring.errors
    backend = type(keyring.get_keyring()).__name__
    return (
        f"no usable OS keyring ({backend}: {exc}); on Linux start a Secret Service "
        "such as gnome-keyring or KWallet"
    )
