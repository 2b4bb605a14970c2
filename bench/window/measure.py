#!/usr/bin/env python3
"""Memory of a Wails window, per process, beside an anchor window, measured
alternately (anchor, candidate, anchor, candidate, ...) so that both see the
same machine. Run by bench/window/memory.sh inside Xvfb and a private D-Bus
session; see that script for the builds.

  measure.py --rounds 3 --anchor TITLE=BIN --candidate LABEL=BIN[@ENV=VAL,ENV=VAL] ...

Each Deskport candidate is measured twice per round: with the shell open and
then with a suite page of the fake suite open (Ctrl+3, as e2e/measure_memory.py).
PSS (what the README and the target quote) and the private dirty pages (the
memory the process itself wrote: heaps, JS, buffers; unlike PSS and USS it
does not move when other processes on the machine map or unmap the same
libraries) come from /proc/PID/smaps_rollup of the app and its WebKit child
processes.
"""
import argparse
import collections
import json
import os
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "e2e"))
import suite_e2e as e  # noqa: E402

KINDS = ("app", "web", "network")
ALONE = False


def kind_of(comm):
    if comm.startswith("WebKitWebProces"):
        return "web"
    if comm.startswith("WebKitNetworkPr"):
        return "network"
    return "app"


def children(pid):
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % p) as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(p))
        except (OSError, ValueError, IndexError):
            pass
    return out


def sample(pid, keep=None):
    """{kind: (pss_kib, private_dirty_kib)} of pid and its direct children (WebKit's
    helpers are children of the app process). keep: a file name prefix to
    copy each process's /proc/PID/smaps to (for attributing the pages)."""
    res = {k: [0, 0] for k in KINDS}
    for p in [pid] + children(pid):
        try:
            with open("/proc/%d/comm" % p) as f:
                k = kind_of(f.read().strip()) if p != pid else "app"
            if keep:
                with open("/proc/%d/smaps" % p) as f, open("%s.%s.smaps" % (keep, k), "w") as out:
                    out.write(f.read())
            pss = dirty = 0
            with open("/proc/%d/smaps_rollup" % p) as f:
                for line in f:
                    name, _, rest = line.partition(":")
                    if name == "Pss":
                        pss = int(rest.split()[0])
                    elif name == "Private_Dirty":
                        dirty = int(rest.split()[0])
        except OSError:
            continue
        res[k][0] += pss
        res[k][1] += dirty
    return res


def pages(pid):
    """Physical frame numbers of pid's resident pages (needs root; None if
    the kernel hides them)."""
    vmas, cur = [], None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            p = line.split()
            if len(p) >= 5 and "-" in p[0] and ":" in p[3]:
                a, b = p[0].split("-")
                cur = [int(a, 16), int(b, 16), 0]
                vmas.append(cur)
            elif p and p[0] == "Rss:":
                cur[2] = int(p[1])
    out = []
    fd = os.open("/proc/%d/pagemap" % pid, os.O_RDONLY)
    try:
        for a, b, rss in vmas:
            if rss == 0:
                continue
            for (e,) in struct.iter_unpack("<Q", os.pread(fd, (b - a) // 4096 * 8, (a // 4096) * 8)):
                if e >> 63 & 1:
                    out.append(e & ((1 << 55) - 1))
    finally:
        os.close(fd)
    return out if any(out) else None


def alone_pss(pid):
    """PSS as if no other process on the machine mapped any of the same
    pages: each resident page divided among the app's own processes only.
    An upper bound of PSS on a quiet machine. MiB, or None without root."""
    try:
        per = [pages(p) for p in [pid] + children(pid)]
    except OSError:
        return None
    if any(p is None for p in per):
        return None
    count = collections.Counter(x for p in per for x in p)
    return sum(1.0 / count[x] for p in per for x in p) * 4 / 1024


def settled(pid, first_wait, keep=None):
    """Samples once the total PSS moves by less than 2 MiB between two
    samples a second apart (at most 20 s after first_wait)."""
    time.sleep(first_wait)
    last = None
    for _ in range(20):
        cur = sample(pid)
        tot = sum(v[0] for v in cur.values())
        if last is not None and abs(tot - last) < 2048:
            return sample(pid, keep) if keep else cur
        last = tot
        time.sleep(1)
    return cur


def window(title, p, timeout=90):
    """Waits for the window and returns its X id."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if p.poll() is not None:
            raise SystemExit("%s exited (status %s) before showing a window" % (title, p.returncode))
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^" + title],
                             capture_output=True, text=True).stdout.split()
        if ids:
            return ids[0]
        time.sleep(0.25)
    raise SystemExit("no window titled %s after %d s" % (title, timeout))


def painted(wid, min_colours=100, timeout=60):
    """Waits until the window shows a drawn page (a blank or half-drawn
    window has few colours), so that no sample is taken before the page."""
    end = time.monotonic() + timeout
    n = 0
    while time.monotonic() < end:
        shot = subprocess.run(["import", "-window", wid, "png:-"], capture_output=True).stdout
        n = int(subprocess.run(["identify", "-format", "%k", "-"], input=shot, capture_output=True).stdout or 0)
        if n >= min_colours:
            return
        time.sleep(0.5)
    raise SystemExit("window %s still blank (%d colours) after %d s" % (wid, n, timeout))


def stop(p):
    if p is not None and p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    time.sleep(1)  # let WebKit's helpers go before the next window starts


def isolated_env(tmp, extra):
    env = dict(os.environ, HOME=tmp, XDG_DATA_HOME=tmp + "/xdg-data", XDG_CACHE_HOME=tmp + "/xdg-cache",
               XDG_CONFIG_HOME=tmp + "/xdg-config", NO_AT_BRIDGE="1")
    env.update(extra)
    return env


def run_anchor(title, binary, keep=None):
    tmp = tempfile.mkdtemp(prefix="winmem-anchor-")
    p = subprocess.Popen([binary], env=isolated_env(tmp, {}), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        painted(window(title, p))
        s = settled(p.pid, 5, keep)
        return {"window": (s, alone_pss(p.pid) if ALONE else None)}
    finally:
        stop(p)
        subprocess.run(["rm", "-rf", tmp])


def run_deskport(binary, extra_env, suite_hosts, keep=None):
    tmp = tempfile.mkdtemp(prefix="winmem-deskport-")
    home = os.path.join(tmp, "deskport")
    os.makedirs(os.path.join(home, "config"))
    with open(os.path.join(home, "config", "accounts.json"), "w") as f:
        json.dump({"version": 1, "suite": {"domain": "example.test", "hosts": suite_hosts}}, f)
    env = isolated_env(tmp, dict(extra_env, DESKPORT_HOME=home))
    env.pop("DESKPORT_SUITE_DOMAIN", None)
    p = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        painted(window("Deskport", p), 200)
        s = settled(p.pid, 5, keep and keep + ".shell")  # the launcher's status checks are done by then
        out = {"shell": (s, alone_pss(p.pid) if ALONE else None)}
        e.xkey("ctrl+3")
        s = settled(p.pid, 5, keep and keep + ".suite")
        out["suite page"] = (s, alone_pss(p.pid) if ALONE else None)
        return out
    finally:
        stop(p)
        subprocess.run(["rm", "-rf", tmp])


def mib(kib):
    return kib / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--anchor", help="TITLE=BINARY of the plain Wails window")
    ap.add_argument("--candidate", action="append", required=True,
                    help="LABEL=BINARY[@ENV=VAL,ENV=VAL] of a Deskport build")
    ap.add_argument("--smaps", help="a folder to keep every sampled process's smaps in")
    ap.add_argument("--max-total-pss", type=float, help="fail if a Deskport sample's total PSS (MiB) is above this")
    ap.add_argument("--max-web-dirty", type=float,
                    help="fail if a Deskport sample's web process holds more private dirty memory (MiB) than this")
    ap.add_argument("--alone", action="store_true",
                    help="also PSS as if nothing else on the machine shared a page (root; about 15 s a sample)")
    args = ap.parse_args()
    global ALONE
    ALONE = args.alone
    anchor_title, anchor_bin = args.anchor.split("=", 1) if args.anchor else (None, None)
    cands = []
    for c in args.candidate:
        label, rest = c.split("=", 1)
        binary, _, envs = rest.partition("@")
        cands.append((label, binary, dict(kv.split("=", 1) for kv in envs.split(",") if kv)))

    tmp = tempfile.mkdtemp(prefix="winmem-suite-")
    ports = {r: e.free_port() for r in ("portal", "id", "files", "meet")}
    hosts = {r: "http://127.0.0.1:%d" % p for r, p in ports.items()}
    suite = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/peers/fakesuite/fakesuite.py"), tmp + "/suite"]
                             + ["%s=%d" % kv for kv in ports.items()], stdout=subprocess.PIPE, start_new_session=True)
    rows = []  # (round, label, state, sample)
    try:
        suite.stdout.readline()
        for r in range(1, args.rounds + 1):
            keep = args.smaps and os.path.join(args.smaps, "r%d" % r)
            if anchor_bin:
                for state, (s, alone) in run_anchor(anchor_title, anchor_bin, keep and keep + ".vanilla").items():
                    rows.append((r, "vanilla Wails", state, s, alone))
                    report(rows[-1])
            for label, binary, env in cands:
                for state, (s, alone) in run_deskport(binary, env, hosts, keep and keep + "." + label).items():
                    rows.append((r, label, state, s, alone))
                    report(rows[-1])
    finally:
        stop(suite)
        subprocess.run(["rm", "-rf", tmp])
    summary(rows)
    failed = check(rows, args.max_total_pss, args.max_web_dirty)
    for f in failed:
        print("FAIL: " + f, file=sys.stderr, flush=True)
    sys.exit(1 if failed else 0)


def check(rows, max_pss, max_web_dirty):
    failed = []
    for r, label, state, s, _ in rows:
        if label == "vanilla Wails":
            continue
        pss, web_dirty = mib(sum(v[0] for v in s.values())), mib(s["web"][1])
        if max_pss is not None and pss > max_pss:
            failed.append("round %d, %s, %s: %.0f MiB PSS in all, above %.0f" % (r, label, state, pss, max_pss))
        if max_web_dirty is not None and web_dirty > max_web_dirty:
            failed.append("round %d, %s, %s: the web process holds %.0f MiB of private dirty memory, above %.0f; "
                          "is accelerated compositing on (WebviewGpuPolicy)?" % (r, label, state, web_dirty, max_web_dirty))
    return failed


def report(row):
    r, label, state, s, alone = row
    print("round %d  %-22s %-11s PSS app %5.1f  web %5.1f  network %5.1f  total %6.1f MiB   (private dirty %5.1f %5.1f %5.1f = %6.1f)%s"
          % (r, label, state, *[mib(s[k][0]) for k in KINDS], mib(sum(v[0] for v in s.values())),
             *[mib(s[k][1]) for k in KINDS], mib(sum(v[1] for v in s.values())),
             "" if alone is None else "  PSS alone %.1f" % alone), flush=True)


def summary(rows):
    print("\nmedian over rounds (MiB):", flush=True)
    print("| window | state | app PSS | web PSS | network PSS | total PSS (min–max) | app / web / network private dirty | total private dirty |" + (" PSS alone |" if ALONE else ""))
    print("|---|---|---|---|---|---|---|---|" + ("---|" if ALONE else ""))
    seen = []
    for _, label, state, _, _ in rows:
        if (label, state) not in seen:
            seen.append((label, state))
    for label, state in seen:
        ss = [s for _, l, st, s, _ in rows if (l, st) == (label, state)]
        alone = [a for _, l, st, _, a in rows if (l, st) == (label, state) and a is not None]
        med = lambda f: statistics.median(f(s) for s in ss)  # noqa: E731
        tot = [mib(sum(v[0] for v in s.values())) for s in ss]
        print("| %s | %s | %.0f | %.0f | %.0f | %.0f (%.0f–%.0f) | %.1f / %.1f / %.1f | %.0f |" % (
            label, state, *[mib(med(lambda s, k=k: s[k][0])) for k in KINDS], statistics.median(tot), min(tot), max(tot),
            *[mib(med(lambda s, k=k: s[k][1])) for k in KINDS],
            mib(med(lambda s: sum(v[1] for v in s.values()))))
            + (" %.0f |" % statistics.median(alone) if alone else ""), flush=True)


if __name__ == "__main__":
    main()
