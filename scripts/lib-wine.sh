# lib-wine.sh - sourced by the scripts that run Windows programs under Wine
# (e2e-windows-*.sh, e2e-dist.sh); not run directly.
#
# Wine 8 (Debian 12's only Wine) lacks bcryptprimitives!ProcessPrng, which Go
# >= 1.22 programs need at start: a small replacement DLL
# (scripts/wine/processprng.c) goes into a throwaway prefix.
#
# wine_prefix DIR: checks the tools, creates a prefix in DIR/prefix (about a
# minute), installs the DLL, exports WINEPREFIX/WINEDEBUG/WINEDLLOVERRIDES and
# WINE (the wine64 program), and arranges that wine_cleanup stops the prefix's
# wineserver. The caller removes DIR.
wine_find() {
  WINE=/usr/lib/wine/wine64
  [ -x "$WINE" ] || WINE=$(command -v wine64 || true)
  local c
  for c in "$WINE" x86_64-w64-mingw32-gcc; do
    [ -n "$c" ] && command -v "$c" >/dev/null || {
      echo "wine: ${c:-wine64} is missing (scripts/deps.sh installs wine64 and gcc-mingw-w64-x86-64)" >&2
      return 1
    }
  done
  export WINE
}

wine_prefix() {
  local dir=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  wine_find || return 1
  # winemenubuilder is off: it would mirror Start-menu entries and link
  # handlers into the desktop's menus outside the prefix.
  export WINEPREFIX="$dir/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml=;winemenubuilder.exe=d"
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dir/bcryptprimitives.dll" \
    "$root/scripts/wine/processprng.c" "$root/scripts/wine/processprng.def" -ladvapi32 || return 1
  timeout 180 "$WINE" wineboot -i >"$dir/wineboot.log" 2>&1 || { cat "$dir/wineboot.log" >&2; return 1; }
  cp "$dir/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
}

# wine_need32: Wine's 32-bit half (Debian's wine32:i386), which 32-bit
# programs such as the NSIS installer's stub need.
wine_need32() {
  file -L /usr/lib/wine/wine 2>/dev/null | grep -q 'ELF 32-bit' || {
    echo "wine: Wine's 32-bit half is missing: scripts/deps.sh --test adds the i386 architecture and installs wine32:i386" >&2
    return 1
  }
}

# wine_cleanup: stops the prefix's wineserver (if a prefix was made).
wine_cleanup() {
  [ -n "${WINEPREFIX:-}" ] && [ -n "${WINE:-}" ] || return 0
  WINEPREFIX="$WINEPREFIX" "$(dirname "$WINE")/wineserver" -k 2>/dev/null || true
}
