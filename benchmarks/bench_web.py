"""Web latency on a store of N articles (10,000 by default): GET /api/stories and story pages, 8
concurrent clients on loopback, a fixed number of requests each. Baseline in the same run:
/api/health (the server's floor: routing, JSON and one COUNT query).

Story search, GET /api/stories?q= with common words, on SQLite and on a throwaway PostgreSQL server
(initdb/pg_ctl, as the tests start one): through the stories' search documents, and beside it in the
same run, on the same store, today's query before them that walks every matching article
(STORYLINE_STORY_SEARCH=walk); p50, p99 and the ratio of the p99s; both answer the same.

Run: python benchmarks/bench_web.py                   (N=100000 for the issue's size)
     python benchmarks/bench_web.py --only search     (story search alone, both stores)
"""
from __future__ import annotations

import contextlib
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))

from synth import stream  # noqa: E402

from storyline.pipeline import ingest_items  # noqa: E402
from storyline.stories import cluster_store  # noqa: E402
from storyline.store import open_store  # noqa: E402

CLIENTS = 8
PER_CLIENT = int(os.environ.get("PER_CLIENT", 100))
#: common words of the generated stream (synth.COMMON: in most stories) and a topic (in titles)
SEARCHES = ["/api/stories?q=council", "/api/stories?q=officials", "/api/stories?q=police&sort=size",
            "/api/stories?q=residents&min_sources=2", "/api/stories?q=fire"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, paths: list[str]) -> np.ndarray:
    lat: list[float] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        rng = random.Random(k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(PER_CLIENT):
            path = rng.choice(paths)
            t = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - t)
            assert r.status == 200, (path, r.status)
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return np.array(lat) * 1000


@contextlib.contextmanager
def serving(db: str, env: dict[str, str] | None = None):
    """`storyline serve` on a free port (with `env` added to its environment), answering once
    /api/health does; yields the port."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/health")
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait()


def build(db: str, n: int, name: str) -> None:
    store = open_store(db)
    t0 = time.perf_counter()
    ingest_items((a for a, _ in stream(n, seed=21)), store)
    stats = cluster_store(store)
    print(f"{name} store: {store.count_articles():,} articles, {stats['stories']:,} stories"
          f" (built in {time.perf_counter() - t0:.0f} s)", flush=True)
    if name == "PostgreSQL":  # what autovacuum does a minute later: the build's dead rows gone, statistics taken
        store.conn.execute("VACUUM ANALYZE")
    store.close()


def same_answers(db: str) -> None:
    """The documents' answer and the article walk's to every benchmark query, on the store itself."""
    from urllib.parse import parse_qs, urlsplit

    store = open_store(db)
    try:
        for path in SEARCHES:
            args = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
            kw = {"search": args["q"], "sort": args.get("sort", "latest"), "min_sources": int(args.get("min_sources", 1))}
            got = []
            for walk in (False, True):
                store.walk_articles = walk
                items, total = store.story_page(**kw, limit=50)
                got.append(([s["id"] for s in items], total))
            assert got[0] == got[1], (path, got[0][1], got[1][1])
            print(f"  {path}: {got[0][1]:,} stories, the same page and total both ways")
    finally:
        store.close()


def search(dbs: dict[str, str]) -> None:
    for name, db in dbs.items():
        same_answers(db)
        p99 = {}
        for label, env in (("article walk (before)", {"STORYLINE_STORY_SEARCH": "walk"}),
                           ("story documents", {"STORYLINE_STORY_SEARCH": "documents"})):
            with serving(db, env) as port:
                load(port, SEARCHES[:1])  # warm: the server's first queries read the index from disk
                lat = load(port, SEARCHES)
                if label == "story documents":  # the floor: the same pages of stories without a search
                    floor = load(port, ["/api/stories", "/api/stories?sort=size", "/api/stories?min_sources=2"])
                    print(f"{name}: GET /api/stories without q (the page's own cost): p50 {np.percentile(floor, 50):.1f}"
                          f" ms, p99 {np.percentile(floor, 99):.1f} ms", flush=True)
            p99[label] = np.percentile(lat, 99)
            print(f"{name}: GET /api/stories?q=, {label}: {len(lat)} requests from {CLIENTS} clients: p50 "
                  f"{np.percentile(lat, 50):.1f} ms, p99 {p99[label]:.1f} ms (target p99 <= 100 ms)", flush=True)
        before, after = p99.values()
        print(f"{name}: story search p99 {before:.0f} ms -> {after:.1f} ms ({before / after:.1f}x faster)", flush=True)


def main() -> None:
    n = int(os.environ.get("N", 10_000))
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "web.db")
    build(db, n, "SQLite")
    dbs, server = {"SQLite": db}, None
    try:
        from fixtures import _PostgresServer

        server = _PostgresServer(Path(tempfile.mkdtemp(prefix="slpg")))
        dbs["PostgreSQL"] = server.new_database()
        build(dbs["PostgreSQL"], n, "PostgreSQL")
    except Exception as exc:  # noqa: BLE001 - any reason PostgreSQL cannot run skips its rows
        print(f"PostgreSQL rows skipped: {exc}")
    try:
        search(dbs)
        if only != "search":
            pages(db)
    finally:
        if server:
            server.stop()


def pages(db: str) -> None:
    store = open_store(db)
    multi = [s["id"] for s in store.list_stories(min_sources=3, sort="size", limit=20)]
    store.close()
    with serving(db) as port:
        pages = [f"/stories/{sid}" for sid in multi]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        cold = []
        for p in pages:  # first view computes the comparison (spaCy); later views hit the cache
            t = time.perf_counter()
            conn.request("GET", p)
            conn.getresponse().read()
            cold.append((time.perf_counter() - t) * 1000)
        print(f"story page, first view (comparison computed): median {np.median(cold):.0f} ms, max {max(cold):.0f} ms")
        for name, paths in (("GET /api/health (baseline)", ["/api/health"]),
                            ("GET /api/stories", ["/api/stories", "/api/stories?sort=size", "/api/stories?min_sources=2",
                                                  "/api/stories?offset=40"]),
                            ("story page /stories/{id}", pages)):
            lat = load(port, paths)
            print(f"{name}: {len(lat)} requests from {CLIENTS} clients: p50 {np.percentile(lat, 50):.1f} ms, "
                  f"p99 {np.percentile(lat, 99):.1f} ms (target p99 <= 100 ms)")


if __name__ == "__main__":
    main()
