#!/usr/bin/env bash
# End-to-end test of the mail reader in the real window: signing in to mail fills the inbox
# without "Sync now"; a web link in a mail is clicked inside the sandboxed frame and reaches
# the system opener (a stub xdg-open) with its original URL while the same frame keeps showing
# the mail (no load, no history entry); a mailto: link opens Deskport's compose panel
# prefilled instead of the opener; a plain-text mail's URL is a working link; an attachment is
# saved through the real save dialog; the mail is forwarded with its attachment and a reply-all
# reaches the SMTP sink in the thread (artifacts/mail-forward.png); a draft survives kill -9 and a
# restart (artifacts/mail-draft-restored.png); before that, the first sync of 3,000 more messages (through
# a slow loopback proxy, so it takes seconds) shows the view's progress bar, which goes when it
# ends (artifacts/mail-sync-progress.png); the "Offline storage" section shows the policy in
# effect and saves a change to settings.json (artifacts/mail-offline-settings.png). Builds the test app
# unless DESKPORT_E2E_APP names one (scripts/lib-e2e.sh),
# then runs e2e/mail_links_e2e.py with a private unlocked keyring under Xvfb
# against Dovecot and the SMTP sink (scripts/peers/). Screenshots: artifacts/mail-*.png.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app
e2e_run e2e-mail e2e/mail_links_e2e.py
