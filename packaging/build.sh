#!/usr/bin/env bash
# Build dist/bgfetch/ (bgfetch-gui and bgfetch) with PyInstaller, then smoke-test the result:
# a frozen build that does not start is not a release.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e . pyinstaller
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/bgfetch.spec
dist/bgfetch/bgfetch --version
home=$(mktemp -d)
BGFETCH_HOME="$home" dist/bgfetch/bgfetch list
BGFETCH_HOME="$home" QT_QPA_PLATFORM=offscreen BGFETCH_GUI_EXIT_AFTER_SHOW=1 dist/bgfetch/bgfetch-gui
rm -rf "$home"
echo "dist/bgfetch is ready ($(du -sh dist/bgfetch | cut -f1))"
