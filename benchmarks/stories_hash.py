"""The fingerprint of the engine's decisions on the generated stream, for refactors that must not
change them: a SHA-1 over every (article id, final story id, duplicate of) of `cluster_articles` on
`synth.stream(N, seed=11)`, with BCubed against the generator's gold stories.

Run: python benchmarks/stories_hash.py [N]      (N = 100,000 by default)
"""
from __future__ import annotations

import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from synth import stream  # noqa: E402


def fingerprint(n: int) -> dict:
    from storyline.evaluate import _final_ids, bcubed
    from storyline.stories import StoryEngine, cluster_articles

    data = list(stream(n, seed=11))
    gold = {a.id: g for a, g in data}
    t0 = time.perf_counter()
    out = cluster_articles([a for a, _ in data], StoryEngine())
    seconds = time.perf_counter() - t0
    final = _final_ids(out)
    rows = sorted((x.article_id, final[x.article_id], x.duplicate_of or "") for x in out)
    digest = hashlib.sha1("\n".join("\t".join(r) for r in rows).encode()).hexdigest()
    p, r, f1 = bcubed([final[x.article_id] for x in out], [gold[x.article_id] for x in out])
    return {"n": n, "sha1": digest, "stories": len(set(final.values())), "bcubed": [round(p, 4), round(r, 4), round(f1, 4)],
            "seconds": round(seconds, 1)}


if __name__ == "__main__":
    print(fingerprint(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
