"""bgfetch's WebExtension: one source for Chromium-family browsers and Firefox.

The JavaScript, HTML and CSS here are shipped as package data; ``build`` turns
them into a loadable unpacked extension for one browser.
"""
