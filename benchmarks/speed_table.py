"""The speed table of issue 27, run on the clone this file sits in, with the machine it ran on.

Rows (each a fresh process, in this order):
- `storyline ingest` of 20,000 generated articles with `--workers 2`, twice: first with numba's
  on-disk cache of this clone as it is (empty on a fresh clone, so the kernels are compiled inside
  the timed command), then again with the cache the first run wrote;
- the engine alone on 30,000 generated articles (`bench_stories.py --one 30000 --lean`), twice
  (it warms its kernels before the clock starts, and names those its process compiled);
- `storyline ingest` of 20,000 with `--workers 1`;
- the same ingest with `--no-cluster` (read, store, dedup; no stories);
- `storyline ingest` of 100,000 generated articles with `--workers 2` (skip with --quick).

Each row prints articles/s and which kernels its process compiled rather than loaded from the
cache. The first line names the CPU model, the cores this process may use and the CPU numba
compiles for. Ratios are against the first row, in this run.

Run on a fresh clone: git clone REPO c && cd c && python benchmarks/speed_table.py
(with the clone's src first on PYTHONPATH, or the clone installed in the active environment).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_stories import in_fresh_process, ingest_cli, machine  # noqa: E402


def _fresh(tmp: str, name: str) -> None:
    """Remove a store an earlier row wrote (ingest_cli reuses its file name per worker count)."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(os.path.join(tmp, name + suffix)):
            os.remove(os.path.join(tmp, name + suffix))


def no_cluster(n: int, tmp: str) -> dict:
    """`storyline ingest FILE --no-cluster` on the stream file ingest_cli wrote for n articles."""
    src = os.path.join(tmp, f"stream-{n}.jsonl")
    db = os.path.join(tmp, "no-cluster.db")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "storyline.cli", "ingest", src, "--db", db, "--no-cluster", "--json"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    return {"rate": n / dt, "seconds": dt}


def main() -> None:
    import storyline

    m = machine()
    print(f"machine: {m['cpu']}; {m['cores']} cores for this process; numba compiles for {m['numba_target']}")
    print(f"storyline from {os.path.dirname(storyline.__file__)}")
    rows = []
    tmp = tempfile.mkdtemp()
    for label in ("ingest 20,000, --workers 2, numba's cache as found (empty on a fresh clone)",
                  "ingest 20,000, --workers 2, again (the cache the row above wrote)"):
        _fresh(tmp, "w2.db")
        r = ingest_cli(20_000, 2, tmp)
        rows.append((label, r["rate"], "-"))
    for label in ("engine alone, 30,000 (--one 30000 --lean)", "engine alone, 30,000, again"):
        r = in_fresh_process(30_000, keep=False)
        rows.append((label, r["rate"], ", ".join(r.get("kernels", {}).get("compiled", [])) or "none"))
    r = ingest_cli(20_000, 1, tmp)
    rows.append(("ingest 20,000, --workers 1", r["rate"], "-"))
    r = no_cluster(20_000, tmp)
    rows.append(("ingest 20,000, --no-cluster", r["rate"], "-"))
    if "--quick" not in sys.argv:
        _fresh(tmp, "w2.db")
        r = ingest_cli(100_000, 2, tmp)
        rows.append(("ingest 100,000, --workers 2", r["rate"], "-"))
    base = rows[0][1]
    print(f"\n{'run':<72} {'articles/s':>10} {'vs row 1':>8}  kernels compiled in the process")
    for label, rate, compiled in rows:
        print(f"{label:<72} {rate:>10,.0f} {rate / base:>7.2f}x  {compiled}")
    subprocess.run(["rm", "-rf", tmp], check=False)


if __name__ == "__main__":
    main()
