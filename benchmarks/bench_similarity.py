"""`storyline similarity A B` from a cold start, with and without the semantic tier, and the
embedding rate. Baseline in the same run: `storyline --version` (interpreter and CLI start-up).

Also the story engine on the generated stream (N articles, 100,000 by default) with the semantic
tier off and on: throughput, and the share of articles it embeds (cross-lingual linking and the
cascade; the generated stream is one language, so this is what the tier costs where it finds nothing).

Run: python benchmarks/bench_similarity.py   (the semantic rows need `pip install -e '.[semantic]'`)
     N=10000 python benchmarks/bench_similarity.py   for a quick look
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def wall(cmd: list[str], env: dict[str, str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    from storyline.demo import demo_path
    from storyline.semantic import available

    demo = demo_path()
    a = os.path.join(demo, "pages", "coastline-daily-wildfire-that-started-near-kessling-thre.html")
    b = os.path.join(demo, "text", "northfield-news", "dunmore-wildfire-3-000-evacuated-as-flames-spread-east.txt")
    cli = [sys.executable, "-m", "storyline.cli"]
    base = wall(cli + ["--version"], dict(os.environ))
    print(f"start-up baseline (storyline --version): {base:.2f} s")
    lexical = wall(cli + ["similarity", a, b], dict(os.environ, STORYLINE_SEMANTIC="0"))
    print(f"similarity, lexical: {lexical:.2f} s wall from a cold start ({lexical / base:.1f}x the start-up)")
    if not available():
        print("semantic tier not installed: pip install -e '.[semantic]' for its rows")
        return
    semantic = wall(cli + ["similarity", a, b], dict(os.environ))
    print(f"similarity, semantic tier: {semantic:.2f} s wall from a cold start ({semantic / lexical:.2f}x the lexical)")
    from storyline.pipeline import read_inputs
    from storyline.semantic import _encoder, lead_text

    arts = [x for x in read_inputs([demo]) if hasattr(x, "body")]
    texts = [lead_text(arts[i % len(arts)]) + f" ({i})" for i in range(200)]  # the demo's real leads
    _encoder().encode(texts[:2])
    t = time.perf_counter()
    for k in range(0, len(texts), 16):
        _encoder().encode(texts[k:k + 16])
    print(f"embedding rate (headline + 64-word lead, one thread): {len(texts) / (time.perf_counter() - t):.0f} articles/s")
    engine_tier()


def engine_tier() -> None:
    """The story engine with the tier off and on, on the same generated stream, same process."""
    sys.path.insert(0, os.path.dirname(__file__))
    from synth import stream

    from storyline.evaluate import _final_ids, bcubed
    from storyline.stories import StoryEngine, cluster_articles

    n = int(os.environ.get("N", 100_000))
    data = list(stream(n, seed=11))
    arts = [a for a, _ in data]
    gold = {a.id: g for a, g in data}
    rates = {}
    for on in (False, True):
        engine = StoryEngine(semantic=on)
        t = time.perf_counter()
        out = cluster_articles(arts, engine)
        rates[on] = n / (time.perf_counter() - t)
        final = _final_ids(out)
        _, _, f1 = bcubed([final[x.article_id] for x in out], [gold[x.article_id] for x in out])
        print(f"story engine, {n:,} generated articles, semantic tier {'on ' if on else 'off'}: {rates[on]:,.0f} articles/s, "
              f"BCubed F1 {f1:.4f}; embedded {engine.embedded:,} ({engine.embedded / n:.2%} of articles), "
              f"cascaded {engine.cascaded:,}, linked across languages {engine.linked_across:,}")
    print(f"tier on / off throughput: {rates[True] / rates[False]:.2f}")


if __name__ == "__main__":
    main()
