#!/usr/bin/env bash
# Build the Linux bundle and smoke-test it: dist/bgfetch/ (PyInstaller one folder: bgfetch-gui,
# bgfetch and resources/) and dist/bgfetch-<version>-linux-<arch>.tar.gz (that folder plus the
# desktop file, the MIME type, the icons and install.sh). A frozen build that does not start
# is not a release, so the script fails unless packaging/smoke_test.py passes.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e . "pyinstaller>=6"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build \
    packaging/bgfetch.spec
built=$(date +%s)

version=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
name="bgfetch-${version}-linux-$(uname -m)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp -a dist/bgfetch "$stage/$name/bgfetch"
cp packaging/linux/install.sh "$stage/$name/install.sh"
cp README.md "$stage/$name/"
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"

# The smoke test runs the copy inside the tarball's tree: what a user unpacks and runs.
.venv/bin/python packaging/smoke_test.py "$stage/$name/bgfetch"
finished=$(date +%s)
echo "dist/bgfetch: $(du -sh dist/bgfetch | cut -f1); dist/$name.tar.gz: $(du -sh "dist/$name.tar.gz" | cut -f1)"
echo "build $((built - started))s, tarball and smoke test $((finished - built))s, total $((finished - started))s"
