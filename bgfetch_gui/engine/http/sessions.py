"""Every HTTP session of the app is built here, so every request takes the same route.

Downloads, icons, manifests and the network probes all ask :class:`Sessions`,
which resolves the user's proxy setting (docs/contracts.md §8) and builds the
aiohttp session for it: a SOCKS5 connector (names resolved by the proxy), an
HTTP(S) proxy for every request, the environment's proxies chosen per request,
or none.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import warnings
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
import aiohttp_socks
from aiohttp_socks import ProxyConnector, ProxyType

from ..credentials import CredentialProvider, NoCredentials
from ..proxy import SYSTEM, Proxy, Route, resolve

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # aiohttp frowns on subclasses

    class _Session(aiohttp.ClientSession):
        """A session that never reads ``~/.netrc``.

        ``trust_env`` is how aiohttp takes the environment's proxies, but it also sends
        a ``.netrc`` login unasked with the first request to any host the file names,
        or to every host with a ``default`` entry. bgfetch's credentials come from the
        keyring only and go to an origin only after it answers 401 (docs/contracts.md
        §3), so that lookup is switched off.
        """

        def _get_netrc_auth(self, host: str) -> None:
            return None


# The route each open session takes, so an error can name the proxy it came from.
_routes: weakref.WeakKeyDictionary[aiohttp.ClientSession, Route] = weakref.WeakKeyDictionary()


class Sessions:
    """Builds sessions for the current proxy setting.

    :param setting: the proxy setting now (``system``, ``none`` or a URL); read
        at each call, so a change in Settings applies to the next session.
    :param credentials: where proxy credentials are looked up (the keyring).
    :param desktop_proxy: the desktop's proxy URL, for ``system`` mode when the
        environment names none (a Qt adapter; the engine imports no Qt).
    """

    def __init__(
        self,
        setting: Callable[[], str],
        credentials: CredentialProvider | None = None,
        *,
        desktop_proxy: Callable[[], str | None] | None = None,
    ) -> None:
        self._setting = setting
        self._credentials = credentials or NoCredentials()
        self._desktop_proxy = desktop_proxy or (lambda: None)

    async def route(self, override: str = "") -> Route:
        """The route for a fetch whose own proxy setting is ``override`` ("" = the app's).

        Raises :class:`~bgfetch_gui.engine.proxy.BadProxy` for a setting that names
        no usable proxy. The keyring is read off the event loop.
        """
        setting = override or self._setting()
        # The desktop's answer may take a moment (PAC, a settings daemon): off the loop.
        desktop = None
        if setting.strip().lower() in ("", SYSTEM):
            desktop = await asyncio.to_thread(self._desktop_proxy)
        # The environment as aiohttp reads it too, for the per-request choice.
        route = resolve(setting, desktop=desktop)
        proxy = route.proxy
        if proxy is not None and proxy.credential is None:
            found = await asyncio.to_thread(self._credentials.lookup, proxy.keyring_key)
            if found is not None:
                route = Route(dataclasses.replace(proxy, credential=found))
        return route

    @staticmethod
    def open(
        route: Route,
        *,
        connector_options: Mapping[str, Any] | None = None,
        **session_options: Any,
    ) -> aiohttp.ClientSession:
        """A new session along ``route``; the caller closes it."""
        options = dict(connector_options or {})
        proxy = route.proxy
        if proxy is not None and proxy.is_socks:
            credential = proxy.credential
            connector: aiohttp.BaseConnector = ProxyConnector(
                proxy_type=ProxyType.SOCKS5,
                host=proxy.host,
                port=proxy.port,
                username=credential.username if credential else None,
                password=credential.password if credential else None,
                rdns=True,
                **options,
            )
        else:
            connector = aiohttp.TCPConnector(**options)
        if proxy is not None and not proxy.is_socks:
            # Credentials ride in the URL aiohttp is given, never in one that is shown.
            session_options["proxy"] = proxy.url_with_credential
        session = _Session(
            connector=connector, trust_env=route.from_environment, **session_options
        )
        _routes[session] = route
        return session


class PooledSessions:
    """Long-lived sessions, one per route, for the transfers to share connections."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        connector_options: Mapping[str, Any] | None = None,
        **session_options: Any,
    ) -> None:
        self.sessions = sessions
        self._connector_options = connector_options
        self._session_options = session_options
        self._open: dict[Route, aiohttp.ClientSession] = {}

    async def get(self, override: str = "") -> aiohttp.ClientSession:
        route = await self.sessions.route(override)
        session = self._open.get(route)
        if session is None:
            session = self.sessions.open(
                route, connector_options=self._connector_options, **self._session_options
            )
            self._open[route] = session
        return session

    async def close(self) -> None:
        open_sessions, self._open = list(self._open.values()), {}
        await asyncio.gather(*(s.close() for s in open_sessions))


class ProxyTrouble(Exception):
    """The proxy, not the server, failed the request; the message names the proxy.

    ``lasting``: retrying cannot help (it wants credentials, or refused ours).
    """

    def __init__(self, message: str, *, lasting: bool = False) -> None:
        super().__init__(message)
        self.lasting = lasting


PROXY_ERRORS = (
    aiohttp.ClientProxyConnectionError,
    aiohttp.ClientHttpProxyError,
    aiohttp_socks.ProxyError,
    aiohttp_socks.ProxyConnectionError,
    aiohttp_socks.ProxyTimeoutError,
)
"""What a request raises when its proxy fails it (and only then)."""


def proxy_trouble(session: aiohttp.ClientSession, exc: BaseException) -> ProxyTrouble:
    """``exc`` (one of :data:`PROXY_ERRORS`) as one line for the user, e.g.
    "proxy 127.0.0.1:1080 refused the connection"."""
    route = _routes.get(session)
    proxy = route.proxy if route is not None else None
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        where = f"proxy {exc.host}:{exc.port}"
    elif isinstance(exc, aiohttp.ClientHttpProxyError):
        real = exc.request_info.real_url
        where = f"proxy {real.host}:{real.port}"
    else:
        where = f"proxy {proxy.address}" if proxy else "the proxy"
    if isinstance(exc, aiohttp.ClientProxyConnectionError | aiohttp_socks.ProxyConnectionError):
        cause: BaseException | None = exc.__cause__
        if isinstance(exc, aiohttp.ClientProxyConnectionError):
            cause = exc.os_error
        if getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return ProxyTrouble(f"{where} refused the connection")
        return ProxyTrouble(f"cannot reach {where}: {cause or exc}")
    if isinstance(exc, aiohttp_socks.ProxyTimeoutError):
        return ProxyTrouble(f"{where} did not answer in time")
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        if exc.status == 407:
            return _login_trouble(where, proxy)
        return ProxyTrouble(f"{where} answered {exc.status} {exc.message}".rstrip())
    text = str(exc)
    if "authentication" in text.lower():
        return _login_trouble(where, proxy)
    return ProxyTrouble(f"{where}: {text}")


def proxy_status_trouble(session: aiohttp.ClientSession, status: int) -> ProxyTrouble | None:
    """A plain-HTTP reply that is the proxy's, not the server's: 407 asks for credentials."""
    route = _routes.get(session)
    if status != 407 or route is None or (route.proxy is None and not route.from_environment):
        return None
    where = f"proxy {route.proxy.address}" if route.proxy else "the proxy"
    return _login_trouble(where, route.proxy)


def _login_trouble(where: str, proxy: Proxy | None) -> ProxyTrouble:
    problem = ("refused the user name and password saved for it"
               if proxy is not None and proxy.credential is not None
               else "wants a user name and password")
    return ProxyTrouble(f"{where} {problem}; save them with: bgfetch login --proxy URL",
                        lasting=True)
