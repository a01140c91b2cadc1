"""Secret headers of running fetches (a browser's cookies) in the OS keyring.

One entry per request, under the service ``bgfetch-fetch-secrets``; the user
name ties it to one data folder (a hash of its path), one registration and one
request, so two data folders never read each other's. The engine deletes the
entry when the fetch settles or is removed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..engine.secrets import Headers, SecretsUnavailable
from .keyring_lock import KEYRING_LOCK

SERVICE = "bgfetch-fetch-secrets"


class KeyringSecrets:
    """The engine's RequestSecrets over ``keyring``."""

    def __init__(self, data_folder: Path) -> None:
        self._folder = hashlib.sha256(str(data_folder.absolute()).encode()).hexdigest()[:16]

    def _username(self, reg_key: int, idx: int) -> str:
        return f"{self._folder}/{reg_key}/{idx}"

    def save(self, reg_key: int, idx: int, headers: Headers) -> None:
        import keyring.errors  # here, not at the top: a plain download never needs keyring
        value = json.dumps([list(header) for header in headers])
        try:
            with KEYRING_LOCK:
                keyring.set_password(SERVICE, self._username(reg_key, idx), value)
        except (keyring.errors.KeyringError, RuntimeError) as exc:
            raise SecretsUnavailable(_unavailable(exc)) from None

    def load(self, reg_key: int, idx: int) -> Headers:
        import keyring.errors
        try:
            with KEYRING_LOCK:
                raw = keyring.get_password(SERVICE, self._username(reg_key, idx))
        except (keyring.errors.KeyringError, RuntimeError) as exc:
            raise SecretsUnavailable(_unavailable(exc)) from None
        if raw is None:
            return ()
        try:
            return tuple((str(name), str(value)) for name, value in json.loads(raw))
        except (ValueError, TypeError):
            return ()  # not ours to explain: the entry is unreadable, so nothing is sent

    def delete(self, reg_key: int, idx: int) -> None:
        import keyring.errors
        try:
            with KEYRING_LOCK:
                keyring.delete_password(SERVICE, self._username(reg_key, idx))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was there
        except (keyring.errors.KeyringError, RuntimeError) as exc:
            raise SecretsUnavailable(_unavailable(exc)) from None


def _unavailable(exc: BaseException) -> str:
    import keyring.errors
    # The exception's own text never holds the secret (keyring does not echo values),
    # but only its type is kept, to be sure.
    return f"the OS keyring cannot be used ({type(keyring.get_keyring()).__name__}: " \
           f"{type(exc).__name__})"
