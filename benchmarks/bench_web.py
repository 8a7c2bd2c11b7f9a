"""Web latency on a store of 10,000 articles: GET /api/stories and story pages, 8 concurrent
clients on loopback, a fixed number of requests each. Baseline in the same run: /api/health
(the server's floor: routing, JSON and one COUNT query).

Run: python benchmarks/bench_web.py
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

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

from synth import stream  # noqa: E402

from storyline.pipeline import ingest_items  # noqa: E402
from storyline.stories import cluster_store  # noqa: E402
from storyline.store import open_store  # noqa: E402

CLIENTS = 8
PER_CLIENT = 100


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
def serving(db: str):
    """`storyline serve` on a free port, answering once /api/health does; yields the port."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def main() -> None:
    n = int(os.environ.get("N", 10_000))
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "web.db")
    store = open_store(db)
    t0 = time.perf_counter()
    ingest_items((a for a, _ in stream(n, seed=21)), store)
    stats = cluster_store(store)
    print(f"store: {store.count_articles():,} articles, {stats['stories']:,} stories (built in {time.perf_counter() - t0:.0f} s)")
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
