#!/usr/bin/env bash
# End-to-end test of the mail reader in the real window: signing in to mail fills the inbox
# without "Sync now"; a web link in a mail is clicked inside the sandboxed frame and reaches
# the system opener (a stub xdg-open) with its original URL while the same frame keeps showing
# the mail (no load, no history entry); a mailto: link opens Deskport's compose panel
# prefilled instead of the opener; a plain-text mail's URL is a working link; an attachment is
# saved through the real save dialog; before that, the first sync of 3,000 more messages (through
# a slow loopback proxy, so it takes seconds) shows the view's progress bar, which goes when it
# ends (artifacts/mail-sync-progress.png). Builds the test app
# (-tags deskport_e2e, its own output name) unless DESKPORT_E2E_APP names one,
# then runs e2e/mail_links_e2e.py with a private unlocked keyring under Xvfb
# against Dovecot and the SMTP sink (scripts/peers/). Screenshots: artifacts/mail-*.png.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
if [ -z "${DESKPORT_E2E_APP:-}" ]; then
  skipfe=""
  [ -f frontend/dist/index.html ] && skipfe="-s"
  wails build -skipbindings $skipfe -tags webkit2_41,deskport_e2e -o deskport-e2e-mail >/tmp/deskport-e2e-mail-build.log 2>&1 \
    || { cat /tmp/deskport-e2e-mail-build.log >&2; exit 1; }
  export DESKPORT_E2E_APP=$PWD/build/bin/deskport-e2e-mail
fi
exec timeout --kill-after=10 170 scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  python3 e2e/mail_links_e2e.py
