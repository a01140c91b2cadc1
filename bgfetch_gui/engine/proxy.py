"""Which proxy the app's requests go through: the setting, parsed and resolved.

A proxy setting is ``"system"``, ``"none"`` or a proxy URL (docs/contracts.md §8).
Proxy URLs never carry credentials in settings, manifests or argv: the user name
and password live in the keyring under :meth:`Proxy.keyring_key`. Only the
environment's ``http_proxy`` & co. may carry them, since the user put them there
and bgfetch stores nothing of it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from yarl import URL

from .credentials import Credential

SYSTEM = "system"
DIRECT = "none"
DEFAULT_PORTS = {"http": 8080, "https": 443, "socks5": 1080, "socks5h": 1080}
_ENV_HTTP = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")
_ENV_ALL = ("all_proxy", "ALL_PROXY")


class BadProxy(ValueError):
    """A proxy setting that names no usable proxy; the message is one line for the user."""


@dataclass(frozen=True)
class Proxy:
    """One proxy server. ``socks5`` always resolves names on the proxy (remote DNS)."""

    scheme: str  # http, https or socks5
    host: str
    port: int
    credential: Credential | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The proxy's URL without credentials: safe for logs and settings."""
        return str(URL.build(scheme=self.scheme, host=self.host, port=self.port))

    @property
    def url_with_credential(self) -> URL:
        """The URL to connect with: never logged, stored or shown."""
        credential = self.credential
        if credential is None:
            return URL(self.url)
        return URL.build(scheme=self.scheme, host=self.host, port=self.port,
                         user=credential.username, password=credential.password)

    @property
    def keyring_key(self) -> str:
        """Where its credentials live in the keyring; apart from any web origin's."""
        return f"proxy {self.url}"

    @property
    def is_socks(self) -> bool:
        return self.scheme == "socks5"


@dataclass(frozen=True)
class Route:
    """How requests leave: directly, through ``proxy``, or per the environment's
    ``http_proxy``/``https_proxy``/``no_proxy`` (chosen per request by aiohttp)."""

    proxy: Proxy | None = None
    from_environment: bool = False

    def describe(self) -> str:
        if self.from_environment:
            return "the proxies of the environment (http_proxy, https_proxy, no_proxy)"
        return f"proxy {self.proxy.url}" if self.proxy else "no proxy"


def parse_proxy(text: str, *, allow_credentials: bool = False) -> Proxy:
    """A proxy URL (``http://host:port``, ``https://…``, ``socks5://…``) as a :class:`Proxy`."""
    try:
        url = URL(text.strip())
    except (ValueError, TypeError):
        raise BadProxy(f"not a proxy URL: {text!r}") from None
    scheme = url.scheme.lower()
    if scheme not in DEFAULT_PORTS or not url.host:
        raise BadProxy(
            f"not a proxy URL: {text!r} (expected http://, https:// or socks5://host:port)"
        )
    if url.path not in ("", "/") or url.query_string or url.fragment:
        raise BadProxy(f"a proxy URL has no path: {text!r}")
    credential = None
    if url.user is not None or url.password is not None:
        if not allow_credentials:
            raise BadProxy(
                "a proxy URL must not carry a user name or password (anyone on this machine "
                "can read them); save them in the keyring with: bgfetch login --proxy URL"
            )
        credential = Credential(url.user or "", url.password or "")
    try:
        port = url.explicit_port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise BadProxy(f"not a proxy URL: {text!r} (bad port)") from None
    return Proxy("socks5" if scheme == "socks5h" else scheme, url.host, port, credential)


def check_setting(text: str) -> str:
    """``text`` as a valid proxy setting (``system``, ``none`` or a URL), normalised."""
    value = text.strip()
    if value.lower() in (SYSTEM, DIRECT):
        return value.lower()
    return parse_proxy(value).url


def resolve(
    setting: str,
    environ: Mapping[str, str] | None = None,
    desktop: str | None = None,
) -> Route:
    """The route a setting means now. ``desktop``: the desktop's proxy URL (from Qt's
    system proxy query), used in ``system`` mode when the environment names none."""
    value = setting.strip().lower() or SYSTEM
    if value == DIRECT:
        return Route()
    if value != SYSTEM:
        return Route(parse_proxy(setting))
    env = os.environ if environ is None else environ
    if any(env.get(name) for name in _ENV_HTTP):
        return Route(from_environment=True)
    for name in _ENV_ALL:
        if env.get(name):
            return Route(parse_proxy(env[name], allow_credentials=True))
    if desktop:
        return Route(parse_proxy(desktop, allow_credentials=True))
    return Route()
