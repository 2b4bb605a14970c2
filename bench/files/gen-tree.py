#!/usr/bin/env python3
"""usage: gen-tree.py DEST [N_FILES=100000] [N_BIG=3] [BIG_MB=20] [SEED=7]
Deterministic large sync tree: N_FILES files of 1-16 KiB in nested folders
(d00..d09 / e00..e09 / f00..f09 / g00..g09 = 10,000 leaf folders at depth 4;
files spread round-robin, so 100,000 files = 10 per leaf and each top folder
d0X holds N_FILES/10 files), plus N_BIG files of BIG_MB MiB in big/.
Same args => same names and bytes (mtimes are whatever the write gives).
Contents are pseudo-random (incompressible)."""
import os, random, sys

if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
    sys.exit(__doc__)
dest = sys.argv[1]
defaults = ["100000", "3", "20", "7"]
n, nbig, bigmb, seed = [int(a) for a in (sys.argv[2:] + defaults[len(sys.argv) - 2:])[:4]]
rnd = random.Random(seed)
leaves = [os.path.join(dest, f"d{a:02d}", f"e{b:02d}", f"f{c:02d}", f"g{d:02d}")
          for a in range(10) for b in range(10) for c in range(10) for d in range(10)]
leaves = leaves[:max(1, min(len(leaves), n))]
for d in leaves:
    os.makedirs(d, exist_ok=True)
total = 0
# one random stream for sizes, one block of random bytes sliced per file: fast and deterministic
pool = rnd.randbytes(1 << 22)
for i in range(n):
    size = rnd.randint(1024, 16384)
    off = rnd.randrange(0, len(pool) - size)
    with open(os.path.join(leaves[i % len(leaves)], f"file{i:06d}.bin"), "wb") as f:
        f.write(i.to_bytes(8, "little") + pool[off:off + size - 8])
    total += size
if nbig:
    os.makedirs(os.path.join(dest, "big"), exist_ok=True)
    for i in range(nbig):
        with open(os.path.join(dest, "big", f"big{i}.bin"), "wb") as f:
            for _ in range(bigmb):
                f.write(rnd.randbytes(1 << 20))
        total += bigmb << 20
print(f"{n} small + {nbig} big files, {len(leaves)} leaf dirs, {total / 1e6:.1f} MB in {dest}")
