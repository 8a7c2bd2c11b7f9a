"""Streaming dedup + story assignment on the generated stream, with baselines run in the same script.

Prints, on the generated stream (N articles, 100,000 by default):
- the engine alone (features prepared ahead, as the worker process does): articles/s including
  the story reviews, per-article latency p50/p99, BCubed against the generator's gold stories and
  the copies found; resident memory per retained article, from a second fresh run that does not
  keep every assignment (the engine and its reviews' member lists; a store-backed run reads
  those from the store instead), and as measured with the caller keeping all of them;
- growth: the same at 10,000 and N articles, each in a fresh process;
- with --large, the same on the realistic generator (synth.realistic_stream: stories that live a
  day or two, a few for weeks, some returning after more than the engine's window, vocabulary
  drifting) at 100,000 and 1,000,000, next to the first generator's 100,000 row: BCubed P, R and
  F1, also with each return's two parts as two gold stories, the best an engine that links
  nothing beyond its window can reach, and the returning-story link rate;
- the whole `storyline ingest` of a JSONL file of N articles into SQLite (read, store, dedup,
  stories), with 1 and 2 workers, and its peak memory (all its processes);
- ratios: against the engine as it was before this work (figures recorded by this script at that
  commit, benchmarks/results/stories-baseline.json), against scikit-learn TF-IDF + agglomerative
  clustering on 10,000 articles, and against datasketch MinHashLSH for the dedup part.

Run: python benchmarks/bench_stories.py            (N=20000 for a quick look; --large adds the
                                                     realistic generator at 100,000 and 1,000,000)
     python benchmarks/bench_stories.py --one N [--lean] [--realistic]   (one run, a JSON line)
     python benchmarks/bench_stories.py --record-baseline   (at the old commit: writes the baseline)
"""
from __future__ import annotations

import dataclasses
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from synth import realistic_stream, stream  # noqa: E402

BASELINE = os.path.join(HERE, "results", "stories-baseline.json")


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def machine() -> dict:
    """The CPU model and the CPU numba compiles the kernels for (its $NUMBA_CPU_NAME, else the host's):
    a figure of this benchmark means little without them."""
    import platform

    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    try:
        import llvmlite.binding as ll
        import numba

        target = numba.config.CPU_NAME or ll.get_host_cpu_name()
    except ImportError:
        target = "none (numba not installed)"
    return {"cpu": cpu or platform.processor() or platform.machine(), "numba_target": target,
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()}


def kernel_cache() -> dict:
    """Which kernels this process compiled, rather than loaded from numba's cache (a kernel compiled
    inside a timing costs seconds), and how many it loaded: the story engine's and the language
    identifier's (in kernels.py itself before they moved to kernels_langid.py)."""
    from storyline import kernels

    try:
        from numba.core.registry import CPUDispatcher
    except ImportError:
        return {"compiled": [], "loaded": 0}
    modules = [kernels]
    try:
        from storyline import kernels_langid

        modules.append(kernels_langid)
    except ImportError:
        pass
    jitted = [(name, f) for m in modules for name, f in vars(m).items() if isinstance(f, CPUDispatcher)]
    return {"compiled": sorted(name for name, f in jitted if sum(f.stats.cache_misses.values())),
            "loaded": sum(sum(f.stats.cache_hits.values()) for _, f in jitted)}


def returning(final: dict[str, str], data: list, returns: dict[int, float], engine: Any = None) -> dict:
    """Quality on the realistic generator beyond BCubed against its gold: BCubed with each returning
    story's two parts as two gold stories (what an engine that links nothing across its window is
    measured against), the best such an engine can reach (those parts scored against the gold),
    and the returns linked: a return is linked when its later story (the one holding most of its
    later articles, merges resolved) holds articles of its first part too, or continues (the
    engine's links to evicted stories, stories/archive.py, followed transitively) a story that
    does; `articles`, the share of the returns' articles in such a story. And the links' precision:
    `links`, the stories the engine linked to an earlier one (merges resolved), `right` those that
    are a return's later story linked to a story of its first part, `false` the others (a story
    that is no return, or linked to another story than its first part's)."""
    from collections import Counter

    from storyline.stories import resolve_merged

    links = getattr(engine, "links", {})
    merged = getattr(engine, "merged", {})
    resolved = {resolve_merged(merged, k): resolve_merged(merged, v) for k, v in links.items()}

    def chain(sid: str) -> list[str]:  # the story and those it continues, transitively
        out = [sid]
        while (nxt := resolved.get(out[-1])) is not None and nxt not in out:
            out.append(nxt)
        return out

    from storyline.dates import to_timestamp
    from storyline.evaluate import bcubed

    parts = {}
    earlier: dict[int, set[str]] = {g: set() for g in returns}
    later: dict[int, list[str]] = {g: [] for g in returns}
    for a, g in data:
        back = returns.get(g)
        part = back is not None and to_timestamp(a.published_at) >= back - 0.5  # the return's first article is at `back`
        parts[a.id] = f"{g}/{int(part)}"
        if back is not None and a.id in final:
            (later[g].append if part else earlier[g].add)(final[a.id])
    gold_of = {a.id: g for a, g in data}
    ids = list(final)
    gold = [gold_of[x] for x in ids]
    split = [parts[x] for x in ids]
    later_story = {g: Counter(later[g]).most_common(1)[0][0] for g in returns if later[g]}
    linked = sum(1 for g, sid in later_story.items() if not earlier[g].isdisjoint(chain(sid)))
    shared = sum(1 for g in returns for sid in later[g] if not earlier[g].isdisjoint(chain(sid)))
    total = sum(len(v) for v in later.values())
    right = sum(1 for g, sid in later_story.items() if resolved.get(sid) in earlier[g])
    return {"bcubed_parts": list(bcubed([final[x] for x in ids], split)), "ceiling": list(bcubed(split, gold)),
            "returns": {"n": len(returns), "linked": linked, "rate": linked / max(len(returns), 1),
                        "articles": shared / max(total, 1), "return_articles": total,
                        "links": len(resolved), "right": right, "false": len(resolved) - right}}


def one(n: int, keep: bool = True, realistic: bool = False) -> dict:
    """The engine alone on n generated articles, in this (fresh) process: a JSON-ready dict. With
    keep=False the assignments are not kept (cluster_articles(keep=False)): the memory measured is
    the engine's own and its review's member lists (a store-backed run reads those from the
    store), without the caller's list of every assignment of the stream (quality is then not
    measured). realistic: on synth.realistic_stream (same seed), with `returning`'s figures."""
    from storyline.evaluate import _final_ids, bcubed
    from storyline.stories import StoryEngine, cluster_articles

    returns: dict[int, float] = {}
    t0 = time.perf_counter()
    data = list(realistic_stream(n, seed=11, returns=returns) if realistic else stream(n, seed=11))
    generated = time.perf_counter() - t0
    arts = [a for a, _ in data]
    gold = {a.id: g for a, g in data}
    try:  # features prepared ahead, as the worker process does (older engines featurise inside add)
        from storyline import features as fm

        chunk = getattr(fm, "prepared_chunk", None) or fm._prepared_chunk  # (named so before issue 27)
        prepared = {a.id: f for a, f in zip(arts, chunk(arts))}  # what the worker computes
        fm.prepare_ahead = lambda items, workers=1: (prepared[a.id] for a in items)  # type: ignore[assignment]
        ahead = True
    except AttributeError:
        ahead = False
    try:  # the kernels compiled (or loaded from numba's cache) before memory is read: a cost of the process
        from storyline.stories import warm_up
    except ImportError:
        try:  # the warm-up lived with the kernels before issue 27
            from storyline.kernels import warm_up
        except ImportError:
            warm_up = None
    if warm_up is not None:
        warm_up()
    gc.collect()
    before = rss()
    stats: dict = {}
    engine = StoryEngine()
    t0 = time.perf_counter()
    try:
        out = cluster_articles(arts, engine, stats=stats, keep=keep)
    except TypeError:  # an engine from before keep=
        out = cluster_articles(arts, engine, stats=stats)
    total = time.perf_counter() - t0
    after = rss()
    cache = kernel_cache()  # compiled in this process (the warm-up or, worse, inside the timing) or loaded
    lat = np.array(stats["latency"])
    retained = sum(s.size for s in engine.stories.values())
    if not keep:
        return {"n": n, "rate": n / total, "bytes_per_retained": (after - before) / max(retained, 1), "retained": retained,
                "kernels": cache}
    final = _final_ids(out)
    p, r, f1 = bcubed([final[x.article_id] for x in out], [gold[x.article_id] for x in out])
    res = {"n": n, "rate": n / total, "seconds": total, "review": stats["review"], "p50_ms": float(np.percentile(lat, 50)) * 1000,
           "p99_ms": float(np.percentile(lat, 99)) * 1000, "bytes_per_retained": (after - before) / max(retained, 1),
           "retained": retained, "hot_stories": len(engine.stories), "bcubed": [p, r, f1],
           "copies": sum(1 for x in out if x.duplicate_of), "features_ahead": ahead, "kernels": cache}
    if realistic:
        res.update(generator="realistic", generated_seconds=generated, stories=len(set(final.values())),
                   gold_stories=len(set(gold.values())), evicted=engine.evicted, **returning(final, data, returns, engine))
    return res


def in_fresh_process(n: int, keep: bool = True, realistic: bool = False) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", str(n)] + ([] if keep else ["--lean"])
                         + (["--realistic"] if realistic else []), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _tree_rss(root: int) -> int:
    """Memory of a process and all its descendants in bytes: the sum of their proportional set
    sizes (a page shared by forked processes counted once in all), or of their resident sizes
    where /proc has no smaps_rollup; 0 without /proc."""
    parents: dict[int, int] = {}
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    parents[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) * 1024
        except (OSError, StopIteration):
            try:
                with open(f"/proc/{pid}/statm") as f:
                    total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except OSError:
                continue
    return total


def ingest_cli(n: int, workers: int, tmp: str, semantic: bool = True) -> dict:
    """`storyline ingest FILE.jsonl --workers W` on n generated articles, timed as a whole command
    (with the semantic tier when it is installed, or switched off as without the extra)."""
    src = os.path.join(tmp, f"stream-{n}.jsonl")
    if not os.path.exists(src):
        with open(src, "w") as f:
            for a, _ in stream(n, seed=11):
                f.write(json.dumps({"title": a.title, "text": a.text, "url": a.url, "source": a.source,
                                    "published_at": a.published_at}) + "\n")
    db = os.path.join(tmp, f"w{workers}{'' if semantic else '-lexical'}.db")
    env = dict(os.environ, **({} if semantic else {"STORYLINE_SEMANTIC": "0"}))
    # the command's processes (itself, the story assignment's, the helpers) run at once: their
    # memory is summed (PSS), sampled from /proc every 0.1 s (RUSAGE_CHILDREN would give the
    # largest single process only)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "storyline.cli", "ingest", src, "--db", db, "--workers", str(workers),
                             "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.1)
    dt = time.perf_counter() - t0
    if proc.returncode:
        raise RuntimeError(f"ingest failed: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    import sqlite3

    con = sqlite3.connect(db)
    stories = con.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    assigned = con.execute("SELECT COUNT(*) FROM assignments").fetchone()[0]
    ids = con.execute("SELECT article_id, story_id FROM assignments ORDER BY article_id").fetchall()
    con.close()
    return {"rate": n / dt, "seconds": dt, "peak_rss_mb": peak / 2**20, "stories": stories,
            "assigned": assigned, "ids": hash(tuple(ids))}


def baselines(n: int) -> None:
    from datasketch import MinHash, MinHashLSH
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storyline.dedup import NUM_PERM, signature
    from storyline.evaluate import _final_ids, bcubed
    from storyline.features import featurize, shingles
    from storyline.stories import StoryEngine, cluster_articles

    m = min(10_000, n)
    data = list(stream(m, seed=11))
    sample = [a for a, _ in data]
    gold = {a.id: g for a, g in data}
    t0 = time.perf_counter()
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([a.full_text for a in sample])
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=0.8, metric="cosine",
                                     linkage="average").fit_predict(X.toarray())
    base_t = time.perf_counter() - t0
    _, _, bf = bcubed([str(x) for x in labels], [gold[a.id] for a in sample])
    t0 = time.perf_counter()
    out = cluster_articles(sample, StoryEngine())
    ours_t = time.perf_counter() - t0
    fin = _final_ids(out)
    _, _, of = bcubed([fin[x.article_id] for x in out], [gold[a.id] for a in sample])
    print(f"sklearn TF-IDF + agglomerative on {m:,}: {base_t:.1f} s, BCubed F1 {bf:.3f}; storyline (featurising "
          f"included) on the same: {ours_t:.1f} s, BCubed F1 {of:.3f}; time ratio storyline/sklearn {ours_t / base_t:.2f}")

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
    alone = m / (time.perf_counter() - t0)
    from storyline import features as fm

    prepared_chunk = getattr(fm, "prepared_chunk", None) or fm._prepared_chunk  # (named so before issue 27)
    from storyline.language import CONFIDENCE_SAMPLE
    from storyline.pipeline import _languages_and_sure

    # the articles as the ingest stores them, with their language (generated ones come without), and
    # what `ingest --workers 2` hands the worker: each one's sure language, identified by the
    # reading helper in the same walk of the text as its language
    found = _languages_and_sure([(a.full_text[:CONFIDENCE_SAMPLE], True) for a in sample])
    stored = [dataclasses.replace(a, language=x[0]) if x else a for a, x in zip(sample, found)]
    known = [None if x is None else x[1:] for x in found]
    prepared_chunk(stored[:500])  # the language model loaded before the clock starts
    t0 = time.perf_counter()
    prepared_chunk(stored)
    whole = m / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    prepared_chunk(stored, known)
    given = m / (time.perf_counter() - t0)
    print(f"featurise alone: {alone:,.0f} articles/s; the worker's whole part (features, signature, index keys, "
          f"the language for cross-lingual links): {whole:,.0f} articles/s; {given:,.0f} articles/s when that "
          f"language comes from the ingest's reading helper (as with --workers 2)")


def row(r: dict) -> str:
    return (f"{r['n']:>9,}  {r['rate']:>10,.0f}  {r['p50_ms']:>7.2f}  {r['p99_ms']:>7.2f}  "
            f"{r['bytes_per_retained']:>11,.0f}  {r['retained']:>9,}  {r['hot_stories']:>7,}  {r['bcubed'][2]:.4f}")


def realistic_rows(old: dict | None, real: dict[int, dict]) -> None:
    """--large: the realistic generator's rows, the first generator's 100,000 row beside them, and
    the returning stories linked."""
    print("\nrealistic generator (synth.realistic_stream: most stories live a day or two, a few for weeks, "
          "some return after more than the engine's window; vocabulary drifts; each size in a fresh process)")
    print(f"{'articles':>9}  {'articles/s':>10}  {'p50 ms':>7}  {'p99 ms':>7}  {'B/retained':>11}  {'retained':>9}  "
          f"{'stories':>7}  BCubed F1")
    for k in sorted(real):
        print(row(real[k]))
    print(f"{'generator':>10}  {'articles':>9}  {'P':>6}  {'R':>6}  {'F1':>6}  {'F1, returns as 2 gold':>21}  "
          f"{'best F1 in the window':>21}  returns linked")
    if old is not None:
        p, r, f1 = old["bcubed"]
        print(f"{'first':>10}  {old['n']:>9,}  {p:>6.4f}  {r:>6.4f}  {f1:>6.4f}  {'':>21}  {'':>21}")
    for k in sorted(real):
        x = real[k]
        p, r, f1 = x["bcubed"]
        ret = x["returns"]
        print(f"{'realistic':>10}  {k:>9,}  {p:>6.4f}  {r:>6.4f}  {f1:>6.4f}  {x['bcubed_parts'][2]:>21.4f}  "
              f"{x['ceiling'][2]:>21.4f}  {ret['linked']:,} of {ret['n']:,} ({ret['rate']:.1%}; {ret['articles']:.1%} of "
              f"their {ret['return_articles']:,} articles)")
        if "links" in ret:
            print(f"{'':>10}  {k:>9,}  links to evicted stories: {ret['links']:,}, {ret['right']:,} right, "
                  f"{ret['false']:,} false (precision {ret['right'] / max(ret['links'], 1):.1%})")
    print("  a return is linked when the story holding most of its later articles (merges resolved) holds articles of "
          "its first part, or continues one that does (the engine's links to evicted stories, followed transitively); "
          "a link is right when it goes from a return's later story to a story of its first part, false otherwise")


def main() -> None:
    if "--one" in sys.argv:
        print(json.dumps(one(int(sys.argv[sys.argv.index("--one") + 1]), keep="--lean" not in sys.argv,
                             realistic="--realistic" in sys.argv)))
        return
    n = int(os.environ.get("N", 100_000))
    if "--record-baseline" in sys.argv:
        runs = {str(k): in_fresh_process(k) for k in sorted({10_000, n})}
        os.makedirs(os.path.dirname(BASELINE), exist_ok=True)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True).stdout.strip()
        with open(BASELINE, "w") as f:
            json.dump({"commit": commit, "runs": runs}, f, indent=1)
        print(f"baseline of commit {commit} written to {BASELINE}")
        return
    m = machine()
    print(f"machine: {m['cpu']}, {m['cores']} cores for this process; numba compiles for {m['numba_target']}")
    large = "--large" in sys.argv
    sizes = sorted({10_000, n} | ({100_000} if large else set()))
    real_sizes = [100_000, 1_000_000] if large else []
    runs = {k: in_fresh_process(k) for k in sizes}
    real = {k: in_fresh_process(k, realistic=True) for k in real_sizes}
    for done, realistic in ((runs, False), (real, True)):
        for k in done:  # the engine's own memory: a second fresh run that does not keep every assignment
            lean = in_fresh_process(k, keep=False, realistic=realistic)
            done[k]["kept_bytes_per_retained"] = done[k]["bytes_per_retained"]
            done[k]["bytes_per_retained"] = lean["bytes_per_retained"]
    compiled = {f"{'realistic ' if realistic else ''}{k:,}": r.get("kernels", {}).get("compiled", [])
                for done, realistic in ((runs, False), (real, True)) for k, r in done.items()}
    print("kernels: every one each fresh run called came from numba's cache" if not any(compiled.values()) else
          "kernels compiled by a fresh run (not from numba's cache; a compile inside the timing costs seconds): "
          + "; ".join(f"{run}: {', '.join(names) or 'none'}" for run, names in compiled.items()))
    big = runs[n]
    print(f"engine alone, {n:,} generated articles (features prepared ahead, reviews included): {big['rate']:,.0f} "
          f"articles/s (target >= 2,000); latency p50 {big['p50_ms']:.2f} ms, p99 {big['p99_ms']:.2f} ms (target <= 5 ms); "
          f"reviews {big['review']:.1f} s of {big['seconds']:.1f} s")
    print(f"memory: {big['bytes_per_retained']:,.0f} B per retained article, the engine and its reviews' member lists "
          f"(a run that does not keep the assignments; target <= 2,048); "
          f"{big['kept_bytes_per_retained']:,.0f} B with the caller also keeping all {n:,} assignments; "
          f"{big['retained']:,} retained in {big['hot_stories']:,} hot stories")
    p, r, f1 = big["bcubed"]
    print(f"quality vs generator gold: BCubed P {p:.3f} R {r:.3f} F1 {f1:.4f}; copies found {big['copies']:,}")
    print("\ngrowth (each size in a fresh process)")
    print(f"{'articles':>9}  {'articles/s':>10}  {'p50 ms':>7}  {'p99 ms':>7}  {'B/retained':>11}  {'retained':>9}  "
          f"{'stories':>7}  BCubed F1")
    for k in sizes:
        print(row(runs[k]))
    if real:
        realistic_rows(runs.get(100_000), real)
    if os.path.exists(BASELINE):
        with open(BASELINE) as f:
            base = json.load(f)
        print(f"\nagainst the engine at commit {base['commit']} (recorded by this script at that commit; it featurised "
              f"inside the engine, so its rate includes featurising)")
        for k in sizes:
            b = base["runs"].get(str(k))
            if b:
                print(f"  {k:>9,}: {b['rate']:,.0f} -> {runs[k]['rate']:,.0f} articles/s ({runs[k]['rate'] / b['rate']:.2f}x); "
                      f"p99 {b['p99_ms']:.2f} -> {runs[k]['p99_ms']:.2f} ms; {b['bytes_per_retained']:,.0f} -> "
                      f"{runs[k]['kept_bytes_per_retained']:,.0f} B per retained article (both keeping every assignment); BCubed F1 {b['bcubed'][2]:.4f} -> "
                      f"{runs[k]['bcubed'][2]:.4f}")
    tmp = tempfile.mkdtemp()  # removed at the end: its databases and stream copy take ~700 MB
    print(f"\nwhole `storyline ingest` of a JSONL file of {n:,} generated articles (read, store, dedup, stories, SQLite)")
    done = {}
    for workers in (1, 2):
        done[workers] = r = ingest_cli(n, workers, tmp)
        print(f"  --workers {workers}: {r['rate']:,.0f} articles/s ({r['seconds']:.1f} s; target >= 1,500 with 2), "
              f"{r['stories']:,} stories, peak memory {r['peak_rss_mb']:,.0f} MB (all its processes, PSS summed)")
    print(f"  same stories with 1 and 2 workers: {done[1]['ids'] == done[2]['ids']}; speed-up {done[2]['rate'] / done[1]['rate']:.2f}x")
    from storyline.semantic import available

    if available():
        r = ingest_cli(n, 2, tmp, semantic=False)
        print(f"  --workers 2 without the semantic tier (STORYLINE_SEMANTIC=0, as an install without the extra): "
              f"{r['rate']:,.0f} articles/s ({r['seconds']:.1f} s), {r['stories']:,} stories, peak memory "
              f"{r['peak_rss_mb']:,.0f} MB; same stories as with it: {r['ids'] == done[2]['ids']}")
    shutil.rmtree(tmp, ignore_errors=True)
    print()
    baselines(n)


if __name__ == "__main__":
    main()
