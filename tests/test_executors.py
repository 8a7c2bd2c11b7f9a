"""The Dask executor gives what the local one gives: the same articles (numbered alike), the same
failures named alike, the same copies and story ids; and a worker killed mid-run loses nothing."""
from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from fixtures import PARAS, html_page, warc_bytes
    from synth import stream

    folder = tmp_path_factory.mktemp("corpus")
    arts = [a for a, _ in stream(2400, seed=7)]
    for k in range(3):
        with open(folder / f"part{k}.jsonl", "w") as f:
            for a in arts[k::3]:
                f.write(json.dumps({"title": a.title, "text": a.text, "url": a.url, "source": a.source,
                                    "published_at": a.published_at}) + "\n")
    (folder / "bad.jsonl").write_text('{"title": "cut off\nnot json either\n')
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "page.html").write_text(html_page("Port Selby backs ferry terminal", PARAS))
    # a crawl archive cut into runs of records, and a truncated one (read whole, fails as locally)
    crawl = [(f"https://selbyecho.example/p/{i}",
              html_page(f"Selby harbour notice {i}", [f"Notice {i}: " + p for p in PARAS])) for i in range(150)]
    (folder / "crawl.warc.gz").write_bytes(warc_bytes(crawl))
    (folder / "cut.warc.gz").write_bytes(warc_bytes(crawl[:20])[:9000])
    return folder


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import Client, LocalCluster

    c = Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None))
    yield c
    c.close()
    c.cluster.close()


def _state(db: str) -> tuple[list, list]:
    con = sqlite3.connect(db)
    try:
        arts = con.execute("SELECT seq, id, content_hash, origin FROM articles ORDER BY seq").fetchall()
        assigned = con.execute("SELECT article_id, story_id, duplicate_of FROM assignments ORDER BY article_id").fetchall()
        return arts, assigned
    finally:
        con.close()


def _run(corpus: Path, db: str, client=None, on_batch=None):
    from storyline.executors import dask_prepare_ahead
    from storyline.pipeline import ingest
    from storyline.store import open_store
    from storyline.stories import cluster_store

    store = open_store(db)
    report = ingest([str(corpus)], store, executor="dask" if client else "local", client=client, on_batch=on_batch,
                    batch_size=200)
    cluster_store(store, prepare=dask_prepare_ahead(client, chunk=100) if client else None)
    store.close()
    return report


def test_dask_executor_equals_local(corpus, cluster, tmp_path, monkeypatch):
    import storyline.executors as ex

    monkeypatch.setattr(ex, "PARTITION_BYTES", 60_000)  # the JSONL files become byte ranges
    from storyline.readers import ReaderOptions

    parts = [p for p in ex.partitions([str(corpus)], ReaderOptions()) if isinstance(p, ex.Partition)]
    assert sum(p.end >= 0 and p.fmt == "jsonl" for p in parts) >= 9
    assert sum(p.end >= 0 and p.fmt == "warc" for p in parts) >= 2  # the archive, as runs of records
    local = _run(corpus, str(tmp_path / "local.db"))
    dask = _run(corpus, str(tmp_path / "dask.db"), cluster)
    # 2,400 generated articles, the page, the 150 archived pages (and what the truncated archive
    # holds before its cut, read alike by both)
    assert local.new == dask.new and local.new >= 2551
    assert local.failed == dask.failed and any(o.endswith("bad.jsonl:2") for o, _ in dask.failed)
    assert any(o.endswith("junk.bin") for o, _ in dask.failed)  # the bad file is named, the rest stored
    assert any(o.endswith("cut.warc.gz") for o, _ in dask.failed)
    a, b = _state(str(tmp_path / "local.db")), _state(str(tmp_path / "dask.db"))
    assert a[0] == b[0]  # same articles, same numbers, same origins (file:line from a byte range too)
    assert a[1] == b[1] and any(d for _, _, d in b[1])  # same story ids and copies


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(corpus, cluster, tmp_path, monkeypatch):
    import storyline.executors as ex

    monkeypatch.setattr(ex, "PARTITION_BYTES", 30_000)
    killed = []

    def kill_one(report) -> None:
        if not killed:
            victim = sorted(cluster.scheduler_info()["workers"])[0]
            killed.append(victim)
            try:
                cluster.run(os._exit, 1, workers=[victim])
            except Exception:  # noqa: BLE001 - the worker is gone before it can answer
                pass

    dask = _run(corpus, str(tmp_path / "dask.db"), cluster, on_batch=kill_one)
    local = _run(corpus, str(tmp_path / "local.db"))
    assert killed and dask.new == local.new
    a, b = _state(str(tmp_path / "local.db")), _state(str(tmp_path / "dask.db"))
    assert a == b and len({i for _, i, _, _ in b[0]}) == len(b[0])
