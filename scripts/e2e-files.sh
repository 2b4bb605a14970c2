#!/usr/bin/env bash
# End-to-end test of the Files view in the real window: e2e/files_e2e.py in a
# private D-Bus session with an unlocked keyring under Xvfb, against the
# Nextcloud-compatible test server (PHP/SabreDAV) behind a proxy that holds
# downloads half-way: the tree's states during a sync (with percentages), a
# real X drag-and-drop onto a subfolder, the activity after a restart,
# unticking a folder with a local edit, a share link checked on the server.
# Screenshot: artifacts/screenshots/files-e2e-syncing.png.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
. scripts/lib-e2e.sh
e2e_app
E2E_TIMEOUT=${E2E_TIMEOUT:-150} e2e_run e2e-files e2e/files_e2e.py
