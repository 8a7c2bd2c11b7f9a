"""Choosing the thresholds of the links to evicted stories (stories/archive.py): every look-up of a
new story on the realistic generator, its best record and the figures it was scored by, labelled
against the generator's returns; then, for each rule, the returns linked and the false links.

Run: python benchmarks/link_thresholds.py N SEED     (e.g. 300000 5: choose; 100000 11: check)
"""
from __future__ import annotations

import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from synth import realistic_stream  # noqa: E402


def traced(n: int, seed: int) -> dict:
    """One run with every look-up traced and the rule switched off (every best record linked)."""
    from storyline.dates import to_timestamp
    from storyline.evaluate import _final_ids
    from storyline.stories import StoryEngine, archive, cluster_articles

    returns: dict[int, float] = {}
    data = list(realistic_stream(n, seed=seed, returns=returns))
    engine = StoryEngine()
    engine.link_trace = []
    saved = archive.LINK_MIN_ENTITIES, archive.LINK_MIN_TERMS, archive.LINK_THRESHOLD
    archive.LINK_MIN_ENTITIES, archive.LINK_MIN_TERMS, archive.LINK_THRESHOLD = 0, 0, 0.0
    try:
        out = cluster_articles([a for a, _ in data], engine)
    finally:
        archive.LINK_MIN_ENTITIES, archive.LINK_MIN_TERMS, archive.LINK_THRESHOLD = saved
    final = _final_ids(out)
    by_story: dict[str, Counter] = {}  # a story id as founded (trace) -> gold part counts of its articles
    for x in out:
        by_story.setdefault(x.story_id, Counter())
    part_of = {}
    for a, g in data:
        back = returns.get(g)
        part_of[a.id] = (g, int(back is not None and to_timestamp(a.published_at) >= back - 0.5))
    story_parts: dict[str, Counter] = {}
    for x in out:  # stories by the id they were assigned under (a traced story's own id) and by final id
        story_parts.setdefault(x.story_id, Counter())[part_of[x.article_id]] += 1
        if final[x.article_id] != x.story_id:
            story_parts.setdefault(final[x.article_id], Counter())[part_of[x.article_id]] += 1
    return {"trace": engine.link_trace, "parts": story_parts, "returns": returns, "merged": engine.merged}


def label(t: dict) -> list[tuple[float, int, int, bool, bool]]:
    """(score, shared entities, shared terms, the story is a return's later part, the record is its first part)."""
    rows = []
    for sid, rec, score, ents, terms in t["trace"]:
        parts = t["parts"].get(sid)
        (g, part), _ = parts.most_common(1)[0] if parts else ((None, 0), 0)
        is_return = g in t["returns"] and part == 1
        right = False
        if is_return and rec is not None:
            rp = t["parts"].get(rec)
            right = bool(rp) and rp.most_common(1)[0][0] == (g, 0)
        rows.append((score, ents, terms, is_return, right))
    return rows


def sweep(rows: list[tuple[float, int, int, bool, bool]], n_returns: int) -> None:
    print(f"look-ups {len(rows):,}; of return stories {sum(r[3] for r in rows):,} (returns {n_returns:,}); "
          f"best record right for {sum(r[4] for r in rows):,}")
    print(f"{'min ents':>8} {'min terms':>9} {'score':>6} {'linked':>7} {'right':>6} {'false':>6} {'precision':>9}")
    for me in (1, 2, 3):
        for mt in (0, 2, 4):
            for th in (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
                got = [r for r in rows if r[1] >= me and r[2] >= mt and r[0] >= th]
                right = sum(r[4] for r in got)
                print(f"{me:>8} {mt:>9} {th:>6.2f} {len(got):>7,} {right:>6,} {len(got) - right:>6,} "
                      f"{right / max(len(got), 1):>9.3f}")


if __name__ == "__main__":
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    t = traced(n, seed)
    sweep(label(t), len(t["returns"]))
