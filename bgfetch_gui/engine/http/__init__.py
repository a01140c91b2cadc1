"""Downloading one request's body: over one connection, or over several at once.

``exchange`` sends a request and judges the reply, ``segments`` plans which
bytes each connection fetches, ``partfile`` writes bytes where they belong,
``placement`` names the file and puts it in place, ``transfer`` retries and
resumes, ``segmented`` runs several connections on one file.

aiohttp is imported here, before any module of the package, with the system's CA
store read once: on import aiohttp builds the verified TLS context every request
of bgfetch uses, and a second one that verifies nothing (for ``ssl=False``, which
bgfetch never passes) but loads the whole store all the same. With OpenSSL 3 a
load costs 50-130 ms of CPU, about a tenth of the command line's start-up (issue
8). While aiohttp is imported, a context that verifies nothing skips the load;
one that verifies loads it as before, so TLS stays verified.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def _no_ca_store_for_unverified_contexts() -> Iterator[None]:
    name = "set_default_verify_paths"
    own = vars(ssl.SSLContext).get(name)  # None: inherited from _ssl, as in CPython 3.11
    load = ssl.SSLContext.set_default_verify_paths

    def load_if_verifying(context: ssl.SSLContext) -> None:
        if context.verify_mode != ssl.CERT_NONE:  # else it never looks at a certificate
            load(context)

    setattr(ssl.SSLContext, name, load_if_verifying)
    try:
        yield
    finally:
        if own is None:
            delattr(ssl.SSLContext, name)
        else:
            setattr(ssl.SSLContext, name, own)


with _no_ca_store_for_unverified_contexts():
    import aiohttp  # noqa: F401
