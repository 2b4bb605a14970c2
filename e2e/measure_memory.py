#!/usr/bin/env python3
"""Measures the whole app's memory (PSS and RSS of deskport, WebKitWebProcess
and WebKitNetworkProcess from /proc/PID/smaps_rollup) with the shell open and
with a suite page open, against the fake suite.

  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \\
    python3 e2e/measure_memory.py build/bin/deskport

Any build works (no test tags needed): the suite page is opened with Ctrl+3
through the native menu. Other WebKit processes on the machine share library
pages and lower the PSS figures; measure on a quiet machine.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_e2e as e  # noqa: E402


class Proc:
    def __init__(self, p):
        self.proc = p

    def pids(self):
        return e.App.pids(self)


def rss_mib(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                total += sum(int(l.split()[1]) for l in f if l.startswith("Rss:"))
        except OSError:
            pass
    return total / 1024.0


def report(label, app):
    pss, names = e.settled_pss(app)
    print("%-11s PSS %4.0f MiB  RSS %4.0f MiB  (%s)" % (label, pss, rss_mib(app.pids()), ", ".join(names)), flush=True)


def main():
    binary = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="deskport-mem-")
    ports = {r: e.free_port() for r in ("portal", "id", "files", "meet")}
    o = {r: "http://127.0.0.1:%d" % p for r, p in ports.items()}
    suite = subprocess.Popen([sys.executable, os.path.join(e.ROOT, "scripts/peers/fakesuite/fakesuite.py"), tmp + "/suite"]
                             + ["%s=%d" % kv for kv in ports.items()], stdout=subprocess.PIPE, start_new_session=True)
    app = None
    try:
        suite.stdout.readline()
        home = os.path.join(tmp, "deskport")
        os.makedirs(os.path.join(home, "config"))
        with open(os.path.join(home, "config", "accounts.json"), "w") as f:
            json.dump({"version": 1, "suite": {"domain": "example.test", "hosts": o}}, f)
        env = dict(os.environ, DESKPORT_HOME=home, HOME=tmp, XDG_DATA_HOME=tmp + "/xdg-data",
                   XDG_CACHE_HOME=tmp + "/xdg-cache", XDG_CONFIG_HOME=tmp + "/xdg-config", NO_AT_BRIDGE="1")
        env.pop("DESKPORT_SUITE_DOMAIN", None)
        app = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        e.window_id()
        time.sleep(5)  # let the launcher finish its status checks
        report("shell", Proc(app))
        e.xkey("ctrl+3")
        time.sleep(5)
        report("suite page", Proc(app))
    finally:
        for p in (app, suite):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=20)


if __name__ == "__main__":
    main()
