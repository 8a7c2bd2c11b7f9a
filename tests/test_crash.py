"""Kill an ingest with SIGKILL in the middle, run it again: the store ends as an uninterrupted run leaves it."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest


def write_big_jsonl(path, n):
    with open(path, "w") as f:
        for i in range(n):
            f.write(json.dumps({"title": f"Selby council item {i}", "url": f"https://selby.example/n/{i}",
                                "source": f"Outlet {i % 7}", "published": f"2025-01-{1 + i % 28:02d}",
                                "text": f"Item {i} of the council agenda covers roads, schools and the harbour. " * 6}) + "\n")


def contents(db):
    """(seq, id, content hash) of every article, and how many the full-text index holds."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as con:
            rows = [tuple(r) for r in con.execute("SELECT seq, id, content_hash FROM articles ORDER BY seq")]
            fts = con.execute("SELECT COUNT(*) FROM articles WHERE tsv IS NOT NULL AND tsv <> ''::tsvector").fetchone()[0]
        return rows, fts
    con = sqlite3.connect(db)
    rows = con.execute("SELECT seq, id, content_hash FROM articles ORDER BY seq").fetchall()
    fts = con.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
    con.close()
    return rows, fts


def _count(db):
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db, connect_timeout=2) as con:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    con = sqlite3.connect(db, timeout=1)
    try:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def run(db, src, **kw):
    cmd = [sys.executable, "-m", "storyline.cli", "ingest", src, "--db", db, "--no-cluster"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def test_sigkill_then_rerun_equals_uninterrupted(tmp_path, new_store_location):
    src = str(tmp_path / "big.jsonl")
    write_big_jsonl(src, 30_000)
    killed_db, clean_db = new_store_location(), new_store_location()
    proc = run(killed_db, src)
    deadline = time.time() + 120
    count = 0
    while time.time() < deadline:
        time.sleep(0.05)
        try:
            count = _count(killed_db)
        except Exception:  # noqa: BLE001 - the store is being created
            continue
        if count >= 2000 or proc.poll() is not None:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial, _ = contents(killed_db)
    assert 0 < len(partial) < 30_000
    assert run(killed_db, src).wait() == 0
    assert run(clean_db, src).wait() == 0
    killed, killed_fts = contents(killed_db)
    clean, clean_fts = contents(clean_db)
    assert len(clean) == 30_000
    assert killed == clean
    assert killed_fts == clean_fts == 30_000


def _ingest_peak_rss(tmp_path, n: int) -> tuple[int, int]:
    """(peak RSS of `storyline ingest`, file size) for a JSONL of n articles of 1 MB each."""
    src = tmp_path / f"huge-{n}.jsonl"
    para = ("The harbour board of Port Selby met again on Thursday to discuss the ferry terminal. " * 12 + "\n\n")
    with open(src, "w") as f:
        for i in range(n):
            f.write(json.dumps({"title": f"Long report {i}", "url": f"https://selby.example/long/{i}",
                                "text": f"Report number {i}. " + para * 1000}) + "\n")
    probe = ("import resource, subprocess, sys; "
             "r = subprocess.run([sys.executable, '-m', 'storyline.cli', 'ingest', sys.argv[1], '--db', sys.argv[2], '--no-cluster'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, r.returncode)")
    db = tmp_path / f"h-{n}.db"
    out = subprocess.run([sys.executable, "-c", probe, str(src), str(db)], capture_output=True, text=True, check=True)
    peak, code = (int(x) for x in out.stdout.split())
    assert code == 0
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == n
    con.close()
    size = os.path.getsize(src)
    src.unlink()
    return peak, size


def test_large_jsonl_streams_in_bounded_memory(tmp_path):
    """JSONL of 1 MB articles is ingested without holding the file in memory: tripling the file
    (60 MB to 180 MB) leaves the peak RSS almost where it was, and what the larger file adds to the
    peak of a one-article file (the process's own: Python, the readers, the compiled kernels of
    language identification) is under half its size."""
    base, _ = _ingest_peak_rss(tmp_path, 1)
    small_peak, small_size = _ingest_peak_rss(tmp_path, 60)
    peak, size = _ingest_peak_rss(tmp_path, 180)
    assert size > 170_000_000
    print(f"peak RSS {base / 1e6:.0f} MB for one article, {small_peak / 1e6:.0f} MB for {small_size / 1e6:.0f} MB, "
          f"{peak / 1e6:.0f} MB for {size / 1e6:.0f} MB")
    assert peak - small_peak < 0.15 * (size - small_size), "memory grows with the file"
    assert peak - base < 0.5 * size, f"the file adds {(peak - base) / 1e6:.0f} MB to the peak RSS: held in memory"


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_while_clustering_as_it_goes_then_rerun_equals_uninterrupted(tmp_path, workers):
    """`ingest` assigns stories block by block as it stores articles (with 2 workers, in another
    process that follows the store); killed after some blocks were assigned, then run again, it
    leaves the assignments and stories of one uninterrupted run."""
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synth import stream

    src = tmp_path / "news.jsonl"
    with open(src, "w") as f:
        for a, _ in stream(4000, seed=17):
            f.write(json.dumps({"title": a.title, "text": a.text, "url": a.url, "source": a.source,
                                "published_at": a.published_at}) + "\n")

    def ingest(db):
        cmd = [sys.executable, "-m", "storyline.cli", "ingest", str(src), "--db", db, "--cluster-every", "500",
               "--workers", str(workers)]
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def assigned(db):
        con = sqlite3.connect(db, timeout=1)
        try:
            return con.execute("SELECT COUNT(*) FROM assignments").fetchone()[0]
        finally:
            con.close()

    killed_db, clean_db = str(tmp_path / "killed.db"), str(tmp_path / "clean.db")
    proc = ingest(killed_db)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            if assigned(killed_db) >= 700:
                break
        except sqlite3.Error:  # not created yet, or busy
            continue
    assert proc.poll() is None, "ingest finished before it could be killed; make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < assigned(killed_db) < 4000
    assert ingest(killed_db).wait() == 0
    assert ingest(clean_db).wait() == 0

    def state(db):
        con = sqlite3.connect(db)
        rows = con.execute("SELECT article_id, story_id, duplicate_of, step FROM assignments ORDER BY article_id").fetchall()
        stories = con.execute("SELECT id, title, articles, independent FROM stories ORDER BY id").fetchall()
        con.close()
        return rows, stories

    killed, clean = state(killed_db), state(clean_db)
    assert len(clean[0]) == 4000
    assert killed == clean


def _processes_naming(text: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if text.encode() in f.read():
                        found.append(int(pid))
            except OSError:
                continue
    return found


def test_sigkill_leaves_no_worker_behind(tmp_path):
    """An ingest with --workers 2 runs helper processes (languages, features); killed by SIGKILL,
    it takes them along: an orphan would keep the store's connection, and its locks, open."""
    if not os.path.isdir("/proc"):
        import pytest

        pytest.skip("needs /proc")
    src = str(tmp_path / "big.jsonl")
    write_big_jsonl(src, 30_000)
    db = str(tmp_path / "orphans.db")
    proc = subprocess.Popen([sys.executable, "-m", "storyline.cli", "ingest", src, "--db", db, "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(_processes_naming(db)) < 2 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None and len(_processes_naming(db)) >= 2, "no helper process seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and _processes_naming(db):
        time.sleep(0.1)
    assert _processes_naming(db) == []
