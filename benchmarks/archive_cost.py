"""What the archive of evicted stories costs inside one run (stories/archive.py): the seconds spent
archiving evicted stories and looking new ones up, their share of a `cluster_articles` run on the
realistic generator (seed 11, featurising included), and the archive's size.

Run: python benchmarks/archive_cost.py N      (e.g. 100000)
"""
from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from synth import realistic_stream  # noqa: E402


def main(n: int) -> dict:
    from storyline.stories import StoryEngine, cluster_articles

    arts = [a for a, _ in realistic_stream(n, seed=11)]
    e = StoryEngine()
    spent = {"archive_story": 0.0, "look_back": 0.0}
    calls = {"archive_story": 0, "look_back": 0}
    for name in spent:
        real = getattr(e, name)

        def timed(s, f=real, name=name):
            t = time.perf_counter()
            r = f(s)
            spent[name] += time.perf_counter() - t
            calls[name] += 1
            return r
        setattr(e, name, timed)
    t = time.perf_counter()
    cluster_articles(arts, e, keep=False)
    total = time.perf_counter() - t
    sz = sys.getsizeof
    records = sum(sz(r) + sz(r.keys) + sz(r.id) + sz(r.title) for r in e.archive.values())
    index = sz(e._archive_index) + sz(e.archive) + sz(e._by_archive_handle) + sum(
        sz(k) + (sz(v) if type(v) is list else 0) for k, v in e._archive_index.items())
    return {"n": n, "seconds": round(total, 1), "spent": {k: round(v, 2) for k, v in spent.items()}, "calls": calls,
            "share": round(sum(spent.values()) / total, 4), "records": len(e.archive), "evicted": e.evicted,
            "indexed_keys": len(e._archive_index), "record_bytes": records, "index_bytes": index, "links": len(e.links)}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)))
