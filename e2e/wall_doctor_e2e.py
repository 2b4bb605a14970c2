#!/usr/bin/env python3
"""`deskport doctor --window`, the window self-check administrators run, in
the real window under Xvfb (see scripts/e2e-wall.sh).

1. The release build (build/bin/deskport, which scripts/gui-smoke.sh builds
   in `make test`; else the test build): every rule ok, exit 0.
2. The test build with the window's protections switched off
   (DESKPORT_E2E_WALL_OFF=15: both locks of the wall, the navigation policy,
   the media check): the self-check must say FAIL for each rule that
   depends on them and exit 1, so an "ok" above means something.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
E2E_APP = os.environ.get("DESKPORT_E2E_APP", os.path.join(ROOT, "build/bin/deskport-e2e"))
RELEASE = os.path.join(ROOT, "build/bin/deskport")
RULES = ["shell reaches Go (control)", "outside navigation refused", "popup refused", "link without click refused",
         "media refused off meet.", "binding call from a remote page refused"]


def log(*a):
    print("e2e-wall-doctor:", *a, file=sys.stderr, flush=True)


def check(app, extra_env=None):
    env = dict(os.environ, NO_AT_BRIDGE="1")
    env.pop("DESKPORT_E2E_CONTROL", None)
    env.update(extra_env or {})
    t = time.monotonic()
    p = subprocess.run([app, "doctor", "--window"], env=env, capture_output=True, text=True, timeout=150)
    took = time.monotonic() - t
    levels = {}
    for line in p.stdout.splitlines():
        for r in RULES:
            if r in line:
                levels[r] = line.split()[0]
    log("%s (%s) exit %d in %.0f s:\n%s" % (os.path.basename(app), extra_env or "as built", p.returncode, took, p.stdout))
    return p, levels


def main():
    app = RELEASE if os.path.exists(RELEASE) else E2E_APP
    if app != RELEASE:
        log("no release build at %s (scripts/gui-smoke.sh builds it): checking the test build" % RELEASE)
    p, levels = check(app)
    assert p.returncode == 0 and all(levels.get(r) == "ok" for r in RULES), (levels, p.stderr[-3000:])

    p, levels = check(E2E_APP, {"DESKPORT_E2E_WALL_OFF": "15"})
    want_fail = ["outside navigation refused", "link without click refused", "media refused off meet.",
                 "binding call from a remote page refused"]
    assert p.returncode == 1, "the self-check passed a window without its protections"
    bad = [r for r in want_fail if levels.get(r) != "FAIL"]
    assert not bad, "not reported as FAIL without the protection: %r (%r)" % (bad, levels)
    log("PASS: all ok as built; without the protections FAIL for", ", ".join(want_fail))


if __name__ == "__main__":
    main()
