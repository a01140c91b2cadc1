"""The desktop's proxy setting, through Qt's system proxy query, as a plain URL.

The engine imports no Qt: it gets this as a callable for its ``system`` proxy
mode (docs/contracts.md §8), used when the environment names no proxy.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory, QNetworkProxyQuery

_SCHEMES = {
    QNetworkProxy.ProxyType.HttpProxy: "http",
    QNetworkProxy.ProxyType.Socks5Proxy: "socks5",
}


def desktop_proxy_url(probe_url: str = "https://example.org/") -> str | None:
    """The first proxy the desktop names for web traffic, as ``scheme://host:port``.

    Its credentials, if the desktop keeps any, are not taken: proxy credentials
    live in bgfetch's keyring entry (``bgfetch login --proxy URL``).
    """
    query = QNetworkProxyQuery(QUrl(probe_url))
    for proxy in QNetworkProxyFactory.systemProxyForQuery(query):
        scheme = _SCHEMES.get(proxy.type())
        if scheme is not None and proxy.hostName():
            return f"{scheme}://{proxy.hostName()}:{proxy.port()}"
    return None
