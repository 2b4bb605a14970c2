#!/usr/bin/env bash
# Installs a built Deskport for the current user (or system-wide as root with
# PREFIX=/usr/local): the binary, the icon, and the .desktop file that also
# registers deskport:// links.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/deskport ] || { echo "build first: make build" >&2; exit 1; }
if [ "$(id -u)" = 0 ]; then PREFIX=${PREFIX:-/usr/local}; else PREFIX=${PREFIX:-$HOME/.local}; fi
install -Dm755 build/bin/deskport "$PREFIX/bin/deskport"
install -Dm644 build/appicon.png "$PREFIX/share/icons/hicolor/1024x1024/apps/deskport.png"
install -Dm644 build/linux/deskport.desktop "$PREFIX/share/applications/deskport.desktop"
sed -i "s|^Exec=deskport|Exec=$PREFIX/bin/deskport|" "$PREFIX/share/applications/deskport.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$PREFIX/share/applications" || true
command -v xdg-mime >/dev/null && xdg-mime default deskport.desktop x-scheme-handler/deskport || true
echo "Deskport installed under $PREFIX"
