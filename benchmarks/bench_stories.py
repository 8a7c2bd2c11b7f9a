"""Streaming dedup + story assignment on a synthetic stream, with baselines run in the same script.

Prints throughput, per-article latency (p50/p99), resident memory per retained article, BCubed
against the generator's gold stories, and ratios against scikit-learn TF-IDF + agglomerative
clustering (on a 10,000-article sample) and datasketch MinHashLSH (the dedup part alone).

Run: python benchmarks/bench_stories.py        (N=100000 by default; N=20000 for a quick look)
"""
from __future__ import annotations

import gc
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

from synth import stream  # noqa: E402

from storyline.evaluate import _final_ids, bcubed  # noqa: E402
from storyline.features import featurize, shingles  # noqa: E402
from storyline.stories import StoryEngine, cluster_articles  # noqa: E402


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def run_engine(arts, chunk: int = 1000):
    """The stream as `cluster_store` runs it: assignment article by article, and a review of the
    stories that grew after every chunk (its time counts in the throughput, not in the latency)."""
    engine = StoryEngine()
    stats: dict = {}
    out = cluster_articles(arts, engine, chunk=chunk, stats=stats)
    return engine, out, np.array(stats["latency"]), stats["review"]


def main() -> None:
    n = int(os.environ.get("N", 100_000))
    data = list(stream(n, seed=11))
    arts = [a for a, _ in data]
    gold = {a.id: g for a, g in data}
    gc.collect()
    before = rss()
    t0 = time.perf_counter()
    engine, out, lat, review = run_engine(arts)
    total = time.perf_counter() - t0
    after = rss()
    retained = sum(s.size for s in engine.stories.values())
    final = _final_ids(out)
    p, r, f1 = bcubed([final[x.article_id] for x in out], [gold[x.article_id] for x in out])
    print(f"stream of {n:,} articles: {n / total:,.0f} articles/s (target >= 2,000); latency p50 "
          f"{np.percentile(lat, 50) * 1000:.2f} ms, p99 {np.percentile(lat, 99) * 1000:.2f} ms (target <= 5 ms); "
          f"story reviews {review:.1f} s of the {total:.1f} s")
    print(f"memory: {(after - before) / 1e6:.0f} MB over {retained:,} retained articles in {len(engine.stories):,} hot "
          f"stories = {(after - before) / max(retained, 1):,.0f} B per retained article (target <= 2,048)")
    print(f"quality vs generator gold: BCubed P {p:.3f} R {r:.3f} F1 {f1:.3f}; copies found "
          f"{sum(1 for x in out if x.duplicate_of):,}")

    # baseline 1: scikit-learn TF-IDF + average-link agglomerative on a 10k sample
    m = min(10_000, n)
    sample = arts[:m]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([a.full_text for a in sample])
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=0.8, metric="cosine",
                                     linkage="average").fit_predict(X.toarray())
    base_t = time.perf_counter() - t0
    bp, br, bf = bcubed([str(x) for x in labels], [gold[a.id] for a in sample])
    t0 = time.perf_counter()
    _, out_s, _, _ = run_engine(sample)
    ours_t = time.perf_counter() - t0
    fin = _final_ids(out_s)
    op, orr, of = bcubed([fin[x.article_id] for x in out_s], [gold[a.id] for a in sample])
    print(f"sklearn TF-IDF + agglomerative on {m:,}: {base_t:.1f} s, BCubed F1 {bf:.3f}; storyline on the same: "
          f"{ours_t:.1f} s, BCubed F1 {of:.3f}; time ratio storyline/sklearn {ours_t / base_t:.2f}")

    # baseline 2: datasketch MinHash + MinHashLSH alone, against our dedup part alone
    from datasketch import MinHash, MinHashLSH

    from storyline.dedup import NUM_PERM, signature

    shing = [shingles(a.text) for a in sample]
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.3, num_perm=NUM_PERM)
    proto = MinHash(num_perm=NUM_PERM)
    for i, sh in enumerate(shing):
        mh = MinHash(num_perm=NUM_PERM, permutations=proto.permutations, scheme=proto.scheme)
        mh.update_batch([s.encode() for s in sh])
        lsh.query(mh)
        lsh.insert(str(i), mh)
    ds_t = time.perf_counter() - t0
    t0 = time.perf_counter()
    for sh in shing:
        signature(sh)
    ours_sig = time.perf_counter() - t0
    print(f"dedup on {m:,}: datasketch MinHash+LSH {m / ds_t:,.0f} articles/s; storyline signatures (rensa) "
          f"{m / ours_sig:,.0f} articles/s (the copy check itself runs inside story assignment); "
          f"ratio {ds_t / ours_sig:.1f}x")
    t0 = time.perf_counter()
    for a in sample:
        featurize(a)
    print(f"featurize alone: {m / (time.perf_counter() - t0):,.0f} articles/s")


if __name__ == "__main__":
    main()
