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
# - the installer under Wine (32-bit stub: Debian's wine32:i386): silent
#   per-user installs (/S with /DOMAIN= /LOCKED=, then /DEFAULTS=) leave the
#   program, the Start-menu entry, deskport:// and the uninstall entry in
#   HKCU and the admin defaults in %PROGRAMDATA%; the installed deskport.exe
#   runs version, doctor (reads those defaults), login (Credential Manager),
#   files sync --once and mail sync --once against loopback peers (the
#   Nextcloud-compatible server, Dovecot); the silent uninstaller keeps the
#   user's data (a reinstall finds the sign-in and the mail cache) unless
#   /PURGE, which signs out and removes it.
# About 6 minutes (three builds of the program, a Wine prefix, then about
# 2 minutes under Wine).
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
# --- The installer under Wine (its stub is 32-bit: Wine's 32-bit half) ---
# Silent per-user installs into the prefix, the installed deskport.exe's
# headless commands against loopback peers (Nextcloud-compatible server,
# Dovecot), then the silent uninstaller: without /PURGE it keeps the user's
# data, with /PURGE it signs out and removes it.
wine_need32 || fail "the installer cannot run"
windows_started=$SECONDS
unset DESKPORT_HOME DESKPORT_DEFAULTS
wineserver=$(dirname "$WINE")/wineserver
# A Windows program started by Wine may hand over to another process (the
# uninstaller copies itself to %TEMP% and exits at once), so a silent run is
# over when the prefix's wineserver has no program left.
wine_wait() { timeout 120 "$wineserver" -w || fail "Wine programs still running after 120 s"; }
wreg() { "$WINE" reg query "$@" 2>&1 | tr -d '\r'; }
upath() { "$WINE" winepath -u "$1" 2>/dev/null | tr -d '\r'; }
# The installer wants Windows 10 or later; Wine 8's prefixes say Windows 7.
"$WINE" winecfg /v win10 || fail "winecfg /v win10"
# Where WebView2 is missing the installer starts Microsoft's bootstrapper,
# which downloads the runtime; Windows 10/11 fleets have it, and this test
# sends nothing off the machine: the key that says "installed" is set, so
# the step is skipped (doctor then reports that version: nothing about
# WebView2 is proven here).
"$WINE" reg add 'HKCU\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' /v pv /d 120.0.0.0 /f >/dev/null
winenv=$("$WINE" cmd /c set | tr -d '\r')
local_app=$(sed -n 's/^LOCALAPPDATA=//p' <<<"$winenv") roaming=$(sed -n 's/^APPDATA=//p' <<<"$winenv") profile=$(sed -n 's/^USERPROFILE=//p' <<<"$winenv")
[ -n "$local_app" ] && [ -n "$roaming" ] && [ -n "$profile" ] || fail "no %LOCALAPPDATA%, %APPDATA% or %USERPROFILE% in the prefix"
local_u=$(upath "$local_app") roaming_u=$(upath "$roaming") home_files=$(upath "$profile")/Deskport
installed_win="$local_app\\Programs\\Deskport\\deskport.exe"
installed=$local_u/Programs/Deskport/deskport.exe
lnk="$roaming_u/Microsoft/Windows/Start Menu/Programs/Deskport.lnk"
defaults_json=$WINEPREFIX/drive_c/ProgramData/Deskport/defaults.json
cp "$installer" "$tmp/setup.exe"
setup() { (cd "$tmp" && timeout 120 "$WINE" setup.exe /S "$@") || return; wine_wait; }
setup /DOMAIN=example.org /LOCKED=domain || fail "silent install: exit $?"
cmp -s "$installed" "$exe" || fail "the installer did not leave this deskport.exe in %LOCALAPPDATA%\\Programs\\Deskport ($installed)"
[ -s "$lnk" ] || fail "no Start-menu entry at $lnk"
grep -aqF 'Programs\Deskport\deskport.exe' "$lnk" || fail "the Start-menu entry does not point at the installed deskport.exe"
reg=$(wreg 'HKCU\Software\Classes\deskport' /s)
want '^    URL Protocol +REG_SZ' "$reg" "deskport:// is not a URL protocol in HKCU"
grep -qF "REG_SZ    \"$installed_win\" \"%1\"" <<<"$reg" || fail "deskport:// does not open the installed program with the link: $reg"
reg=$(wreg 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Deskport')
want "DisplayVersion +REG_SZ +${version//+/\\+}\$" "$reg" "the uninstall entry lacks the version"
want 'QuietUninstallString +REG_SZ +".*\\uninstall.exe" /S$' "$reg" "the uninstall entry lacks the silent uninstaller"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d == {"domain": "example.org", "locked": ["domain"]}, d' "$defaults_json" \
  || fail "/DOMAIN= /LOCKED= did not write %PROGRAMDATA%\\Deskport\\defaults.json as documented"
echo "e2e-dist: installer under Wine (/S /DOMAIN= /LOCKED=): program, Start-menu entry, deskport:// and uninstall entry in HKCU, defaults.json" >&2

# Loopback peers. The admin defaults point every suite service at them, so
# that doctor and login look up no name off the machine.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
nc_port=$(free_port) imap_port=$(free_port) smtp_port=$(free_port)
nc_pass=$(openssl rand -hex 12) mail_pass=$(openssl rand -hex 12)
stop_peers() {
  scripts/peers/ncserver.sh stop "$tmp/nc" >/dev/null 2>&1 || true
  scripts/peers/dovecot.sh stop "$tmp/dovecot" >/dev/null 2>&1 || true
}
cleanup() {
  stop_peers
  wine_cleanup
  rm -rf "$tmp"
}
NC_PASS=$nc_pass scripts/peers/ncserver.sh start "$tmp/nc" "$nc_port" 2 >/dev/null
IMAP_PASS=$mail_pass scripts/peers/dovecot.sh start "$tmp/dovecot" "$imap_port" >/dev/null
python3 -c 'import json, sys
url = "http://127.0.0.1:" + sys.argv[1]
apps = "portal id files webmail dav office chat meet projects wiki".split()
print(json.dumps({"domain": "example.org", "hosts": {a: url for a in apps}, "locked": ["domain", "hosts"]}))' "$nc_port" >"$tmp/defaults.json"
setup "/DEFAULTS=$("$WINE" winepath -w "$tmp/defaults.json" | tr -d '\r')" || fail "silent install over the first one with /DEFAULTS=: exit $?"
cmp -s "$tmp/defaults.json" "$defaults_json" || fail "/DEFAULTS= did not copy the file to %PROGRAMDATA%\\Deskport\\defaults.json"

# The installed program's headless commands, with the user's real folders
# (%APPDATA%, %LOCALAPPDATA%) and Credential Manager.
dp() { (cd "$tmp" && timeout 120 "$WINE" "$installed_win" "$@" 2>&1 | tr -d '\r'; exit "${PIPESTATUS[0]}"); }
out=$(dp version) || fail "installed deskport.exe version: $out"
want "^deskport ${version//+/\\+} \(go[0-9.]+, windows/amd64\)" "$out" "installed deskport.exe version"
out=$(dp doctor) || true
want '^ok +settings .*admin defaults C:\\ProgramData\\Deskport\\defaults.json; suite domain example.org \(locked by your administrator\)' "$out" "doctor does not read the installed admin defaults"
want "^ok +suite files +http://127.0.0.1:$nc_port/status.php: found" "$out" "doctor did not reach the files server named in the admin defaults"
grep -qF "data folder      $local_app\\Deskport " <<<"$out" || fail "doctor: the data folder is not in %LOCALAPPDATA%: $out"
want '^ok +keyring +reachable' "$out" "doctor: Credential Manager"
# Sign-in takes the domain and the files server from the admin defaults;
# nothing listens for SMTP (login only warns).
out=$(printf '%s\n%s\n' "$nc_pass" "$mail_pass" | dp login --user alice --password-stdin --mail-user alice \
  --imap "127.0.0.1:$imap_port" --imap-security none --smtp "127.0.0.1:$smtp_port" --smtp-security none) \
  || fail "installed deskport.exe login: $out"
want "^Signed in to files at http://127.0.0.1:$nc_port as alice" "$out" "login to files"
want '^Signed in to mail as alice' "$out" "login to mail"
creds() { wreg 'HKCU\Software\Wine\Credential Manager' /s | grep -c '^HKEY.*Generic: Deskport:' || true; }
[ "$(creds)" -ge 2 ] || fail "login left $(creds) Deskport entries in Credential Manager, wanted files and mail"
# files sync --once, both ways: a file from the server, one from this PC.
mkdir -p "$tmp/nc/files/alice/Berichte" "$home_files"
echo "from the server $RANDOM" >"$tmp/nc/files/alice/Berichte/Quartal 4.txt"
echo "from Windows $RANDOM" >"$home_files/Notiz.txt"
out=$(dp files sync --once) || fail "installed deskport.exe files sync --once: $out"
cmp -s "$tmp/nc/files/alice/Berichte/Quartal 4.txt" "$home_files/Berichte/Quartal 4.txt" \
  || fail "files sync: the server's file did not arrive in %USERPROFILE%\\Deskport: $out"
cmp -s "$home_files/Notiz.txt" "$tmp/nc/files/alice/Notiz.txt" || fail "files sync: the local file did not reach the server: $out"
echo "e2e-dist: installed deskport.exe files sync --once: $(tail -1 <<<"$out")" >&2
# mail sync --once: three messages into the local cache, found by search.
for i in 1 2 3; do
  printf 'From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Quartalsbericht %s\r\nDate: Mon, 7 Dec 2026 09:0%s:00 +0100\r\nMessage-ID: <q%s@example.org>\r\n\r\nText %s, synced under Wine.\r\n' \
    "$i" "$i" "$i" "$i" | scripts/peers/dovecot.sh doveadm "$tmp/dovecot" save -u alice -m INBOX
done
out=$(dp mail sync --once) || fail "installed deskport.exe mail sync --once: $out"
want ' 3 new' "$out" "mail sync --once did not fetch the 3 messages"
echo "e2e-dist: installed deskport.exe mail sync --once: $(grep '^synced' <<<"$out")" >&2
out=$(dp mail search --count 'subject:Quartalsbericht') || fail "mail search: $out"
[ "$out" = 3 ] || fail "mail search --count found $out messages in the cache, wanted 3"
out=$(dp mail search --json 'subject:"Quartalsbericht 2"') || fail "mail search --json: $out"
id=$(python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])' <<<"$out") || fail "mail search --json: $out"
want 'Text 2, synced under Wine' "$(dp mail show "$id")" "mail show: the body is not in the cache"
# No password in a file the program wrote (Credential Manager itself is
# Wine's registry here, not a file of Deskport's).
for pw in "$nc_pass" "$mail_pass"; do   # hex: no pattern characters; as UTF-8 and as UTF-16
  ! grep -rlaP "$pw|$(sed 's/./&\\x00/g' <<<"$pw")" "$roaming_u/Deskport" "$local_u/Deskport" "$home_files" >&2 \
    || fail "a password is in the file(s) above"
done

# Uninstall without /PURGE: the program, its entries and the link handler
# go; the user's settings, sign-in and caches stay, and a reinstall finds them.
uninstall() { (cd "$tmp" && timeout 120 "$WINE" "$local_app\\Programs\\Deskport\\uninstall.exe" /S "$@") || return; wine_wait; }
uninstall || fail "silent uninstall: exit $?"
[ ! -e "$(dirname "$installed")" ] || fail "the uninstaller left $(dirname "$installed"): $(ls "$(dirname "$installed")")"
[ ! -e "$lnk" ] || fail "the uninstaller left the Start-menu entry"
want 'Unable to find' "$(wreg 'HKCU\Software\Classes\deskport')" "the uninstaller left deskport:// registered"
want 'Unable to find' "$(wreg 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Deskport')" "the uninstaller left its uninstall entry"
for f in "$roaming_u/Deskport/accounts.json" "$local_u/Deskport/mail/mail.db" "$home_files/Notiz.txt" "$defaults_json"; do
  [ -e "$f" ] || fail "the uninstaller without /PURGE removed $f"
done
setup || fail "silent reinstall: exit $?"
out=$(dp mail search --count 'subject:Quartalsbericht') || fail "mail search after reinstall: $out"
[ "$out" = 3 ] || fail "after uninstall and reinstall the mail cache holds $out messages, wanted 3"
out=$(dp files sync --once) || fail "files sync after reinstall (with the kept sign-in): $out"
echo "e2e-dist: uninstall /S keeps the user's data: a reinstall finds the mail cache and the sign-in" >&2
# Uninstall with /PURGE: signed out (the app password revoked, Credential
# Manager emptied) and the user's Deskport folders gone; the synced files
# and the admin defaults stay.
uninstall /PURGE || fail "silent uninstall /PURGE: exit $?"
for d in "$roaming_u/Deskport" "$local_u/Deskport"; do
  [ ! -e "$d" ] || fail "uninstall /PURGE left $d"
done
[ "$(creds)" -eq 0 ] || fail "uninstall /PURGE left $(creds) Deskport passwords in Credential Manager"
grep -q '^DELETE 200 /ocs/v2.php/core/apppassword' "$tmp/nc/requests.log" || fail "uninstall /PURGE did not revoke the files app password on the server"
[ -e "$home_files/Notiz.txt" ] && [ -e "$defaults_json" ] || fail "uninstall /PURGE removed the synced files or the admin defaults"
echo "e2e-dist: uninstall /S /PURGE signs out (app password revoked, Credential Manager empty) and removes the user's Deskport folders" >&2
stop_peers
echo "e2e-dist: the installer and the installed program under Wine took $((SECONDS - windows_started)) s" >&2
echo "e2e-dist: sizes: $(cd "$tmp/dist" && stat -c '%n %s' -- *.deb *installer.exe | tr '\n' ' ')" >&2
echo "e2e-dist: passed" >&2
