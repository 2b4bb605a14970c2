#!/usr/bin/env bash
# Builds both packages (scripts/dist.sh, into a temp folder) and checks them:
# - the .deb: dpkg-deb --info/--contents list the expected files and
#   dependencies; lintian finds no error; unpacked into a scratch root,
#   `deskport version` / `deskport doctor` run from there; /usr/bin/deskport is
#   a static, WebKit-free program that hands the window over to
#   /usr/lib/deskport/deskport-gui (checked with a stand-in window program),
#   and its start time and peak RSS are printed beside the window program's;
# - Windows: deskport.exe is PE32+ with the version in its version resource,
#   and runs `version` and `doctor` under Wine; the installer is NSIS with
#   the version, no elevation, this deskport.exe and an uninstaller inside;
#   what it writes is checked in its script (see the note at the end on why
#   it is not run).
# About 4 minutes (three builds of the program and a Wine prefix).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-wine.sh
tmp=$(mktemp -d)
cleanup() {
  wine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "e2e-dist: $*" >&2; exit 1; }
want() { grep -qE -- "$1" <<<"$2" || fail "$3 (wanted /$1/)"; }

version=$(scripts/version.sh)
# E2E_DIST_BUILT=DIR checks packages already built there (debugging).
if [ -n "${E2E_DIST_BUILT:-}" ]; then cp -a "$E2E_DIST_BUILT" "$tmp/dist"; else DIST_OUT=$tmp/dist scripts/dist.sh; fi
deb=$tmp/dist/deskport_${version}_amd64.deb
exe=$tmp/dist/deskport-$version.exe
installer=$tmp/dist/Deskport-$version-amd64-installer.exe
for f in "$deb" "$exe" "$installer"; do [ -s "$f" ] || fail "make dist did not produce $f"; done
(cd "$tmp/dist" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not match"

# --- the .deb ---
info=$(dpkg-deb --info "$deb")
want "^ Package: deskport$" "$info" "package name"
want "^ Version: ${version//+/\\+}$" "$info" "package version"
want "^ Depends: .*libwebkit2gtk-4\.1-0" "$info" "Depends on WebKitGTK 4.1"
want "^ Depends: .*libgtk-3-0" "$info" "Depends on GTK 3"
want "^ Recommends: gnome-keyring \| keepassxc$" "$info" "Recommends a Secret Service"
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/deskport ./usr/lib/deskport/deskport-gui ./usr/share/applications/deskport.desktop \
  ./usr/share/metainfo/io.github.deskport.Deskport.metainfo.xml ./usr/share/man/man1/deskport.1.gz \
  ./usr/share/doc/deskport/copyright ./usr/share/doc/deskport/changelog.gz; do
  want " $f\$" "$contents" "the .deb lacks $f"
done
for s in 16 24 32 48 64 128 256 512; do
  want " ./usr/share/icons/hicolor/${s}x${s}/apps/deskport.png\$" "$contents" "the .deb lacks the ${s}px icon"
done
want "^-rwxr-xr-x root/root .* ./usr/bin/deskport$" "$contents" "/usr/bin/deskport is not root-owned 755"
command -v lintian >/dev/null || fail "lintian is missing (scripts/deps.sh installs it)"
lint=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) || { echo "$lint" >&2; fail "lintian found errors"; }
echo "e2e-dist: lintian: $(grep -c '^E:' <<<"$lint" || true) errors, $(grep -c '^W:' <<<"$lint" || true) warnings" >&2
grep '^W:' <<<"$lint" | sed 's/^/e2e-dist:   /' >&2 || true

root=$tmp/root
dpkg -x "$deb" "$root"
desktop-file-validate "$root/usr/share/applications/deskport.desktop"
want "^MimeType=.*x-scheme-handler/deskport" "$(cat "$root/usr/share/applications/deskport.desktop")" "deskport:// not registered"
want "release version=\"${version//+/\\+}\"" "$(cat "$root/usr/share/metainfo/io.github.deskport.Deskport.metainfo.xml")" "metainfo version"
export DESKPORT_HOME=$tmp/home DESKPORT_DEFAULTS=$tmp/none.json
out=$("$root/usr/bin/deskport" version)
want "^deskport ${version//+/\\+} " "$out" "deskport version from the scratch root"
out=$("$root/usr/lib/deskport/deskport-gui" version)
want "^deskport ${version//+/\\+} " "$out" "the window program's version"
status=0; out=$("$root/usr/bin/deskport" doctor 2>&1) || status=$?
want "^Deskport ${version//+/\\+} doctor" "$out" "deskport doctor from the scratch root"
want "web engine|webkit|WebKit" "$out" "doctor checked no web engine"
echo "e2e-dist: doctor from the scratch root (exit $status): $(grep -cE '^ok' <<<"$out") ok, $(grep -cE '^FAIL' <<<"$out") FAIL" >&2
grep -E '^FAIL' <<<"$out" | sed 's/^/e2e-dist:   /' >&2 || true
# The command line links no WebKit; the window program does.
file -L "$root/usr/bin/deskport" | grep 'statically linked' >/dev/null || fail "/usr/bin/deskport is not static: $(file -L "$root/usr/bin/deskport")"
ldd "$root/usr/lib/deskport/deskport-gui" | grep libwebkit2gtk-4.1 >/dev/null || fail "the window program does not link WebKitGTK"
# The hand-over: a stand-in window program in a copy of the root prints what
# it was started with.
cp -a "$root" "$tmp/root2"
printf '#!/bin/sh\necho "window program: $*"\n' >"$tmp/root2/usr/lib/deskport/deskport-gui"
out=$("$tmp/root2/usr/bin/deskport" 'deskport://mail/open?id=7')
[ "$out" = "window program: deskport://mail/open?id=7" ] || fail "deskport did not hand a deep link to the window program: $out"
out=$("$tmp/root2/usr/bin/deskport" version)
want "^deskport " "$out" "a headless command went to the window program"
rm "$tmp/root2/usr/lib/deskport/deskport-gui"
status=0; out=$("$tmp/root2/usr/bin/deskport" 2>&1) || status=$?
[ "$status" -ne 0 ] && grep -q "reinstall the deskport package" <<<"$out" || fail "a missing window program is not reported: $out"
# Start cost, best of 5: the WebKit-free command line against the window program as a CLI.
measure() {
  local i
  for i in 1 2 3 4 5; do
    /usr/bin/time -o "$tmp/time" -f '%e %M' "$@" >/dev/null 2>&1 || true
    cat "$tmp/time"
  done | sort -n | head -1
}
read -r cli_s cli_kb < <(measure "$root/usr/bin/deskport" version)
read -r gui_s gui_kb < <(measure "$root/usr/lib/deskport/deskport-gui" version)
echo "e2e-dist: deskport version: command line ${cli_s}s ${cli_kb} KB peak RSS; window program ${gui_s}s ${gui_kb} KB" >&2
[ "$cli_kb" -lt "$gui_kb" ] || fail "the command line takes more memory than the window program"

# --- Windows ---
file "$exe" | grep -q 'PE32+ executable (GUI) x86-64' || fail "deskport.exe: $(file "$exe")"
file "$installer" | grep -q 'Nullsoft Installer' || fail "installer: $(file "$installer")"
python3 - "$exe" "$installer" "$version" <<'PY' || fail "version resources"
import sys
exe, inst, version = sys.argv[1:]
def has(path, key, value):
    b = open(path, "rb").read()
    k = key.encode("utf-16-le")
    i = b.find(k)
    while i >= 0:
        if value.encode("utf-16-le") in b[i:i + 200]:
            return True
        i = b.find(k, i + 1)
    return False
for path in (exe, inst):
    if not has(path, "ProductVersion", version):
        sys.exit(f"{path}: no ProductVersion {version} in the version resource")
PY
# The installer asks for no elevation (its manifest says asInvoker, which
# makensis writes for RequestExecutionLevel user) and carries this very
# deskport.exe and an uninstaller (7-Zip unpacks NSIS installers).
grep -aq 'requestedExecutionLevel level="asInvoker"' "$installer" || fail "the installer asks for admin rights"
7zz x -y -o"$tmp/nsis" "$installer" >/dev/null || fail "7-Zip cannot open the installer"
cmp -s "$tmp/nsis/deskport.exe" "$exe" || fail "the installer does not carry this deskport.exe"
[ -s "$tmp/nsis/uninstall.exe" ] || fail "the installer carries no uninstaller"
# What the installer writes (registry, shortcuts, defaults) is compressed in
# its header, which Debian's 7-Zip 26 no longer decompiles; these are checks
# of the script it was compiled from.
nsi=$(cat build/windows/installer/project.nsi)
want '^!define REQUEST_EXECUTION_LEVEL "user"' "$nsi" "the installer asks for admin rights"
want '^InstallDir "\$LOCALAPPDATA\\Programs\\Deskport"' "$nsi" "the install folder is not per user"
want 'CreateShortcut "\$SMPROGRAMS\\\$\{INFO_PRODUCTNAME\}.lnk"' "$nsi" "no Start-menu entry"
want 'WriteRegStr HKCU "Software\\Classes\\deskport\\shell\\open\\command" "" "\$\\"\$INSTDIR' "$nsi" "deskport:// not registered in HKCU with a quoted path"
want 'ReadEnvStr \$R1 PROGRAMDATA' "$nsi" "the admin defaults are not written to %PROGRAMDATA%"
want '\$R1\\Deskport\\defaults.json' "$nsi" "the admin defaults are not written to Deskport\\defaults.json"
want 'GetOptions\} \$R0 "/PURGE"' "$nsi" "the uninstaller removes user data unasked"
! grep -E '^[^#]*(WriteReg[A-Za-z]*|DeleteReg[A-Za-z]*|insertmacro wails\.(writeUninstaller|deleteUninstaller)) *HKLM' <<<"$nsi" || fail "the installer writes to HKLM (needs admin rights)"
! grep -E '^\s*!insertmacro wails\.(writeUninstaller|deleteUninstaller|setShellContext)' <<<"$nsi" || fail "the installer uses Wails' HKLM macros"

wine_prefix "$tmp"
unset DBUS_SESSION_BUS_ADDRESS
export DESKPORT_HOME='C:\deskport-home' DESKPORT_DEFAULTS='C:\none.json'
cp "$exe" "$tmp/deskport.exe"
out=$(cd "$tmp" && timeout 60 "$WINE" ./deskport.exe version 2>&1) || fail "deskport.exe version under Wine: $out"
want "^deskport ${version//+/\\+} \(go[0-9.]+, windows/amd64\)" "$(tr -d '\r' <<<"$out")" "deskport.exe version under Wine"
status=0; out=$(cd "$tmp" && timeout 60 "$WINE" ./deskport.exe doctor 2>&1) || status=$?
out=$(tr -d '\r' <<<"$out")
want "^Deskport ${version//+/\\+} doctor" "$out" "deskport.exe doctor under Wine"
echo "e2e-dist: deskport.exe doctor under Wine (exit $status; WebView2 is not in Wine):" >&2
grep -E '^(ok|FAIL|warn|WARN)' <<<"$out" | sed 's/^/e2e-dist:   /' >&2 || true
# The installer's stub is 32-bit NSIS: running it needs Wine's 32-bit half
# (Debian's i386 architecture and wine32), which this test machine does not
# add. Its contents and manifest are checked above, its effects only in its
# script.
echo "e2e-dist: sizes: $(cd "$tmp/dist" && stat -c '%n %s' -- *.deb *installer.exe | tr '\n' ' ')" >&2
echo "e2e-dist: passed" >&2
