#!/bin/sh
# Install this unpacked bgfetch for the current user (no root): the program folder goes to
# $PREFIX/opt/bgfetch (PREFIX defaults to ~/.local), bgfetch and bgfetch-gui are linked into
# $PREFIX/bin, and the menu entry, .bgfetch file type, bgfetch: link handler and icons are
# installed by bgfetch-gui --install-desktop-integration.
#   ./install.sh             install (or update)
#   ./install.sh --uninstall remove all of it again
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
target="$prefix/opt/bgfetch"
bin="$prefix/bin"

if [ "${1:-}" = "--uninstall" ]; then
    [ -x "$target/bgfetch-gui" ] && "$target/bgfetch-gui" --uninstall-desktop-integration
    rm -f "$bin/bgfetch" "$bin/bgfetch-gui"
    rm -rf "$target"
    echo "bgfetch removed from $prefix"
    exit 0
fi

mkdir -p "$prefix/opt" "$bin"
rm -rf "$target.new"
cp -a "$here/bgfetch" "$target.new"
rm -rf "$target"
mv "$target.new" "$target"
ln -sf "$target/bgfetch" "$bin/bgfetch"
ln -sf "$target/bgfetch-gui" "$bin/bgfetch-gui"
"$target/bgfetch-gui" --install-desktop-integration
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "Add $bin to your PATH to run bgfetch from a terminal." ;;
esac
echo "bgfetch is installed in $target; start it from your application menu or with bgfetch-gui"
