"""Should `storyline cluster --partition-by week` exist? Cluster weekly windows in parallel, stitch the
stories across window edges, and measure how far the result agrees with the sequential run.

Each window is clustered by its own engine, in a pool of processes, after a warm-up band: the last
BAND_DAYS before the window's start, clustered again so that a story running over the edge is seen
by both windows. Stitching: a window's story takes the story of the previous window that holds most
of its warm-up articles (a forest, one link per story, so no chain of merges). Agreement is BCubed
F1 of the stitched stories against the sequential run's (the sequential run as gold), and both
against the generator's gold stories.

The issue's rule: keep the command only if agreement is >= 0.99.

Run: python benchmarks/bench_partition.py            (N=60000 generated articles, BAND_DAYS=1)
     N=100000 BAND_DAYS=2 python benchmarks/bench_partition.py
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from synth import stream  # noqa: E402

N = int(os.environ.get("N", "60000"))
BAND_DAYS = float(os.environ.get("BAND_DAYS", "1"))
WORKERS = int(os.environ.get("WORKERS", "2"))


def _week(ts: str) -> str:
    y, w, _ = datetime.fromisoformat(ts).isocalendar()
    return f"{y}-W{w:02d}"


def _cluster(articles: list) -> dict[str, str]:
    from storyline.evaluate import _final_ids
    from storyline.stories import cluster_articles

    return _final_ids(cluster_articles(articles))


def windows(articles: list, band_days: float) -> list[tuple[str, list, set[str]]]:
    """(week, the articles to cluster: warm-up band then the week, ids of the week's own articles)."""
    by_week: dict[str, list] = defaultdict(list)
    for a in articles:
        by_week[_week(a.published_at)].append(a)
    out = []
    weeks = sorted(by_week)
    for i, w in enumerate(weeks):
        own = by_week[w]
        band = []
        if i:
            start = min(datetime.fromisoformat(a.published_at) for a in own)
            edge = start - timedelta(days=band_days)
            band = [a for a in by_week[weeks[i - 1]] if datetime.fromisoformat(a.published_at) >= edge]
        out.append((w, band + own, {a.id for a in own}))
    return out


def stitch(parts: list[tuple[str, dict[str, str], set[str]]]) -> dict[str, str]:
    """Final story of every article: a window's story joins the previous window's story that holds
    most of its warm-up (band) articles."""
    final: dict[str, str] = {}
    for w, ids, own in parts:
        band_votes: dict[str, Counter[str]] = defaultdict(Counter)
        for aid, sid in ids.items():
            if aid not in own and aid in final:  # a warm-up article: its story in the previous window
                band_votes[sid][final[aid]] += 1
        for aid, sid in ids.items():
            if aid in own:
                votes = band_votes.get(sid)
                final[aid] = votes.most_common(1)[0][0] if votes else f"{w}:{sid}"
    return final


def main() -> None:
    from storyline.evaluate import bcubed

    data = list(stream(N, seed=11))
    arts = [a for a, _ in data]
    gold = {a.id: str(g) for a, g in data}
    t0 = time.perf_counter()
    seq = _cluster(arts)
    t_seq = time.perf_counter() - t0

    parts = windows(arts, BAND_DAYS)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        results = list(pool.map(_cluster, [p[1] for p in parts]))
    stitched = stitch([(w, ids, own) for (w, _, own), ids in zip(parts, results)])
    t_par = time.perf_counter() - t0
    unstitched = {}
    for (w, _, own), ids in zip(parts, results):
        unstitched.update({aid: f"{w}:{sid}" for aid, sid in ids.items() if aid in own})

    order = [a.id for a in arts]
    agree = bcubed([stitched[i] for i in order], [seq[i] for i in order])
    agree_raw = bcubed([unstitched[i] for i in order], [seq[i] for i in order])
    g = [gold[i] for i in order]
    out = {
        "n": N, "band_days": BAND_DAYS, "windows": len(parts), "workers": WORKERS,
        "warm_up_articles": sum(len(p[1]) - len(p[2]) for p in parts),
        "sequential_seconds": round(t_seq, 1), "partitioned_seconds": round(t_par, 1),
        "speedup": round(t_seq / t_par, 2),
        "agreement_f1_stitched": round(agree[2], 4), "agreement_f1_unstitched": round(agree_raw[2], 4),
        "gold_f1_sequential": round(bcubed([seq[i] for i in order], g)[2], 4),
        "gold_f1_stitched": round(bcubed([stitched[i] for i in order], g)[2], 4),
        "keep": agree[2] >= 0.99,
    }
    print(f"{N:,} generated articles, {len(parts)} weekly windows, warm-up band {BAND_DAYS:g} day(s), "
          f"{WORKERS} processes")
    print(f"  sequential           {t_seq:8.1f} s   BCubed vs gold {out['gold_f1_sequential']:.4f}")
    print(f"  weekly, stitched     {t_par:8.1f} s   BCubed vs gold {out['gold_f1_stitched']:.4f}   "
          f"speed-up {out['speedup']:.2f}x")
    print(f"  agreement with the sequential run (BCubed F1): stitched {out['agreement_f1_stitched']:.4f}, "
          f"unstitched {out['agreement_f1_unstitched']:.4f}   (keep only if >= 0.99: "
          f"{'keep' if out['keep'] else 'do not keep'})")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
