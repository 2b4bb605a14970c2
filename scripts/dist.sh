#!/usr/bin/env bash
# make dist: builds the packages into dist/ (ignored by git):
#   deskport_VERSION_amd64.deb            Debian/Ubuntu package
#   Deskport-VERSION-amd64-installer.exe  per-user NSIS installer for Windows
#   deskport-VERSION.exe                  the Windows program alone
#   SHA256SUMS
# The version comes from scripts/version.sh (git tag, or a dev version with
# the commit) and goes into the binaries (-X .../internal/buildinfo.Version), the Windows
# version resources and both packages' metadata. The build runs in a copy of
# the sources, so that the version can be written into wails.json there and
# nothing tracked is changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
VERSION=$(scripts/version.sh)
NUMERIC=$(scripts/version.sh --numeric)
out=${DIST_OUT:-$PWD/dist}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/build.log
run() { "$@" >>"$log" 2>&1 || { tail -40 "$log" >&2; echo "dist: failed: $*" >&2; exit 1; }; }

echo "dist: Deskport $VERSION" >&2
if [ ! -f frontend/dist/index.html ]; then
  [ -d frontend/node_modules ] || run sh -c 'cd frontend && npm ci --no-audit --no-fund'
  run sh -c 'cd frontend && npm run build'
fi
src=$tmp/src
mkdir -p "$src"
tar -c --exclude=./.git --exclude=./frontend/node_modules --exclude=./build/bin --exclude=./dist \
  --exclude=./artifacts --exclude=./build/windows/installer/tmp . | tar -x -C "$src"
python3 - "$src" "$NUMERIC" "$VERSION" <<'PY'
import json, sys, re
src, numeric, full = sys.argv[1:]
p = src + "/wails.json"
w = json.load(open(p))
w["info"]["productVersion"] = numeric
json.dump(w, open(p, "w"), indent=2)
p = src + "/build/windows/info.json"
s = open(p).read().replace('"ProductVersion": "{{.Info.ProductVersion}}"', '"ProductVersion": "%s"' % full)
open(p, "w").write(s)
p = src + "/build/windows/installer/project.nsi"
s = open(p).read()
open(p, "w").write('!define DESKPORT_VERSION "%s"\n' % full + s)
PY
ld="-s -w -X github.com/deskport/deskport/internal/buildinfo.Version=$VERSION"

# Windows: the program (icon, version resource, manifest) and the installer.
(cd "$src" && run wails build -m -s -skipbindings -trimpath -platform windows/amd64 -nsis -ldflags "$ld" -o deskport.exe)
# Linux: the window program (WebKitGTK, cgo) and the WebKit-free command
# line that is /usr/bin/deskport and hands the window over (launcher.go).
(cd "$src" && run wails build -m -s -skipbindings -trimpath -tags webkit2_41 -ldflags "$ld" -o deskport-gui)
(cd "$src" && CGO_ENABLED=0 run go build -trimpath -ldflags "$ld -X main.guiProgram=../lib/deskport/deskport-gui" -o build/bin/deskport .)

# The .deb, laid out by hand and built with dpkg-deb (Debian's own tool).
root=$tmp/deb
install -Dm755 "$src/build/bin/deskport" "$root/usr/bin/deskport"
install -Dm755 "$src/build/bin/deskport-gui" "$root/usr/lib/deskport/deskport-gui"
install -Dm644 build/linux/deskport.desktop "$root/usr/share/applications/deskport.desktop"
for s in 16 24 32 48 64 128 256 512; do
  mkdir -p "$root/usr/share/icons/hicolor/${s}x${s}/apps"
  run convert build/appicon.png -resize "${s}x${s}" -depth 8 -strip "$root/usr/share/icons/hicolor/${s}x${s}/apps/deskport.png"
done
mkdir -p "$root/usr/share/metainfo"
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$(git log -1 --format=%cs 2>/dev/null || date -u +%F)/" \
  build/linux/deskport.metainfo.xml >"$root/usr/share/metainfo/io.github.deskport.Deskport.metainfo.xml"
doc=$root/usr/share/doc/deskport
install -Dm644 build/linux/copyright "$doc/copyright"
install -Dm644 README.md "$doc/README.md"
gzip -9n "$doc/README.md"
printf 'deskport (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- Deskport developers <deskport@example.org>  %s\n' \
  "$VERSION" "$(git rev-parse --short HEAD 2>/dev/null || echo source)" \
  "$(date -u -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")" | gzip -9n >"$doc/changelog.gz"
# The man page is the command line's own --help, so it cannot drift.
mkdir -p "$root/usr/share/man/man1"
{
  printf '.TH DESKPORT 1 "%s" "Deskport %s" "User Commands"\n' "$(git log -1 --format=%cs 2>/dev/null || date -u +%F)" "$VERSION"
  printf '.SH NAME\ndeskport \\- desktop client for sovereign web suites\n.SH SYNOPSIS\n.B deskport\n[\\fICOMMAND\\fR ...]\n.SH DESCRIPTION\n.nf\n'
  "$root/usr/bin/deskport" --help | sed -e 's/\\/\\\\/g' -e 's/^\./\\\&./'
  printf '.fi\n.SH FILES\n.TP\n/etc/deskport/defaults.json\nadministrator defaults and locked settings\n'
} | gzip -9n >"$root/usr/share/man/man1/deskport.1.gz"
mkdir -p "$root/usr/share/lintian/overrides"
# The command line is a static Go program on purpose (see launcher.go).
printf 'deskport: statically-linked-binary [usr/bin/deskport]\n' >"$root/usr/share/lintian/overrides/deskport"
mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: deskport
Version: $VERSION
Architecture: amd64
Maintainer: Deskport developers <deskport@example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libwebkit2gtk-4.1-0, libgtk-3-0, libc6
Recommends: gnome-keyring | keepassxc
Section: net
Priority: optional
Homepage: https://github.com/deskport/deskport
Description: desktop client for sovereign web suites
 Deskport brings an openDesk-style web suite to the desktop: files kept in
 sync with the suite's cloud, mail that works offline, and the suite's apps
 in one window. Headless commands (deskport mail, deskport files, deskport
 doctor) run without loading the web engine.
CONTROL
find "$root" -type d -exec chmod 755 {} +
rm -rf "$out"; mkdir -p "$out"
run dpkg-deb --root-owner-group -Zxz --build "$root" "$out/deskport_${VERSION}_amd64.deb"
cp "$src/build/bin/deskport.exe" "$out/deskport-$VERSION.exe"
cp "$src/build/bin/Deskport-amd64-installer.exe" "$out/Deskport-$VERSION-amd64-installer.exe"
(cd "$out" && sha256sum -- * >SHA256SUMS)
ls -l "$out" >&2
