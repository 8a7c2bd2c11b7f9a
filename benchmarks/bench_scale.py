"""Past one machine: the Dask executor against the local one, and PostgreSQL against SQLite.

Prints, in one run:
- ingest (read, extract, normalise, store; no clustering) of N generated articles in JSONL
  (200,000 by default) and of a generated WARC.gz crawl of W HTML pages (20,000 by default, in 8
  files): local executor, Dask with 1 worker, Dask with 2 workers; articles/s and speed-ups;
- the Dask overhead per partition: the same JSONL cut into many small partitions and into few;
- a store of S articles (20,000 by default) ingested and clustered into SQLite and into a throwaway
  PostgreSQL server, and `GET /api/stories` under 8 concurrent clients on each: p50 and p99.

Run: python benchmarks/bench_scale.py        (N=20000 W=2000 S=5000 for a quick look; --only stores
     or --only executors runs one half; PostgreSQL
     rows need initdb/pg_ctl: apt-get install postgresql; Dask rows need pip install -e '.[dask]')
"""
from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from synth import stream  # noqa: E402


def write_jsonl(path: Path, n: int) -> None:
    with open(path, "w") as f:
        for a, _ in stream(n, seed=5):
            f.write(json.dumps({"title": a.title, "text": a.text, "url": a.url, "source": a.source,
                                "published_at": a.published_at}) + "\n")


def page(a) -> str:
    paras = "".join(f"<p>{p}</p>" for p in a.body)
    return (f"<html><head><title>{a.title}</title><meta property='og:site_name' content='{a.source}'>"
            f"<meta property='article:published_time' content='{a.published_at}'></head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>{a.title}</h1>{paras}</article><footer>Contact, privacy, terms</footer></body></html>")


def write_warcs(folder: Path, n: int, files: int = 8) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    arts = [a for a, _ in stream(n, seed=6)]
    for k in range(files):
        with open(folder / f"crawl-{k:02d}.warc.gz", "wb") as f:
            w = WARCWriter(f, gzip=True)
            for a in arts[k::files]:
                body = page(a).encode()
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                w.write_record(w.create_warc_record(a.url, "response", payload=io.BytesIO(body), http_headers=headers))


def timed_ingest(paths: list[str], db: str, client=None) -> tuple[float, int]:
    from storyline.pipeline import ingest
    from storyline.store import open_store

    store = open_store(db)
    t = time.perf_counter()
    r = ingest(paths, store, executor="dask" if client else "local", client=client)
    dt = time.perf_counter() - t
    store.close()
    return dt, r.new


def executors(tmp: Path) -> None:
    from dask.distributed import Client, LocalCluster

    import storyline.executors as ex

    n, w = int(os.environ.get("N", 200_000)), int(os.environ.get("W", 20_000))
    jsonl = tmp / "stream.jsonl"
    write_jsonl(jsonl, n)
    write_warcs(tmp / "warc", w)
    inputs = {f"JSONL, {n:,} articles": [str(jsonl)], f"WARC.gz, {w:,} HTML pages in 8 files": [str(tmp / "warc")]}
    clusters = {}
    for workers in (1, 2):
        clusters[workers] = Client(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                dashboard_address=None))
    try:
        for name, paths in inputs.items():
            base, count = timed_ingest(paths, str(tmp / f"local-{len(name)}.db"))
            print(f"{name}: local executor {count / base:,.0f} articles/s ({base:.1f} s)")
            for workers, client in clusters.items():
                client.run(lambda: None)  # workers warm
                dt, c2 = timed_ingest(paths, str(tmp / f"dask{workers}-{len(name)}.db"), client)
                assert c2 == count
                print(f"  Dask, {workers} worker{'s' if workers > 1 else ''}: {c2 / dt:,.0f} articles/s "
                      f"({dt:.1f} s; {base / dt:.2f}x the local executor)")
        # overhead per partition: many small partitions against few large ones, 2 workers
        from storyline.readers import ReaderOptions

        times = {}
        for size in (64 << 10, 8 << 20):
            ex.PARTITION_BYTES = size
            parts = sum(1 for p in ex.partitions([str(jsonl)], ReaderOptions()) if isinstance(p, ex.Partition))
            dt, _ = timed_ingest([str(jsonl)], str(tmp / f"parts-{size}.db"), clusters[2])
            times[size] = (parts, dt)
            print(f"  Dask, 2 workers, partitions of {size >> 10:,} KB: {parts:,} partitions, {dt:.1f} s")
        (p1, t1), (p2, t2) = times[64 << 10], times[8 << 20]
        print(f"  overhead per partition: {(t1 - t2) / max(1, p1 - p2) * 1000:.1f} ms")
        ex.PARTITION_BYTES = 8 << 20
    finally:
        for c in clusters.values():
            c.close()


def stores(tmp: Path) -> None:
    from bench_web import load, serving

    from storyline.pipeline import ingest_items
    from storyline.store import open_store
    from storyline.stories import cluster_store

    s = int(os.environ.get("S", 20_000))
    where = {"SQLite": str(tmp / "web.db")}
    server = None
    try:
        from fixtures import _PostgresServer

        server = _PostgresServer(Path(tempfile.mkdtemp(prefix="slpg")))
        where["PostgreSQL"] = server.new_database()
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL rows skipped: {exc}")
    try:
        for name, db in where.items():
            store = open_store(db)
            t = time.perf_counter()
            ingest_items((a for a, _ in stream(s, seed=21)), store)
            t_ingest = time.perf_counter() - t
            t = time.perf_counter()
            stats = cluster_store(store)
            t_cluster = time.perf_counter() - t
            store.close()
            with serving(db) as port:
                lat = load(port, ["/api/stories", "/api/stories?sort=size", "/api/stories?min_sources=2",
                                  "/api/stories?offset=40", "/api/stories?q=council"])
            import numpy as np

            print(f"{name}: ingest of {s:,} articles {s / t_ingest:,.0f} articles/s, clustering {s / t_cluster:,.0f} "
                  f"articles/s ({stats['stories']:,} stories); GET /api/stories, 8 clients: p50 "
                  f"{np.percentile(lat, 50):.1f} ms, p99 {np.percentile(lat, 99):.1f} ms")
    finally:
        if server:
            server.stop()


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if only in (None, "executors"):
        try:
            import distributed  # noqa: F401

            executors(tmp)
        except ImportError:
            print("Dask rows skipped: pip install -e '.[dask]'")
    if only in (None, "stores"):
        stores(tmp)


if __name__ == "__main__":
    main()
