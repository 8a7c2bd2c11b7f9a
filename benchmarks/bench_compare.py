"""Comparison speed from the shell, model loading included: two 1,000-word articles, and a
50-article story. Baseline in the same run: `storyline --version` (interpreter and CLI start-up).

Run: python benchmarks/bench_compare.py
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))

from demo_stories import ARTICLES, WIRE  # noqa: E402

SENTENCES = [s for a in ARTICLES for s in a.get("body", [])] + [s for w in WIRE.values() for s in w["body"]]


def article(rng: random.Random, words: int, k: int) -> dict:
    body, n = [], 0
    while n < words:
        s = rng.choice(SENTENCES)
        body.append(s)
        n += len(s.split())
    return {"title": f"Report {k}", "text": "\n\n".join(body), "source": f"Outlet {k}"}


def write(folder: str, prefix: str, articles: list[dict]) -> list[str]:
    """Each article as its own JSON file; the paths."""
    paths = []
    for k, a in enumerate(articles):
        p = os.path.join(folder, f"{prefix}{k}.json")
        with open(p, "w") as f:
            json.dump(a, f)
        paths.append(p)
    return paths


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    rng = random.Random(5)
    tmp = tempfile.mkdtemp()
    exe = [sys.executable, "-m", "storyline.cli"]
    base = min(timed(exe + ["--version"]) for _ in range(3))
    two = write(tmp, "a", [article(rng, 1000, k) for k in range(2)])
    t2 = min(timed(exe + ["compare", *two, "--format", "json"]) for _ in range(3))
    fifty = write(tmp, "s", [article(rng, 350, k) for k in range(50)])
    t50 = timed(exe + ["compare", *fifty, "--format", "json"])
    print(f"start-up baseline (storyline --version): {base:.2f} s")
    print(f"compare two 1,000-word articles: {t2:.2f} s wall, model loading included (target <= 2 s); "
          f"{t2 / base:.1f}x the start-up")
    print(f"compare a 50-article story (350 words each): {t50:.2f} s wall (target <= 15 s)")


if __name__ == "__main__":
    main()
