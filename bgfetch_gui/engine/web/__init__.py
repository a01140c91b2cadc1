"""The engine's side of the browser bridge (docs/browser-bridge.md).

Every call that reaches this package comes from a web page through the
browser extension and the native host, and is untrusted: it acts for one
origin, is checked field by field (:mod:`.webapi`), obeys the web's rules for
what a page may fetch (:mod:`.rules`), and needs the user's decision about
its origin (:mod:`.sites`).
"""
