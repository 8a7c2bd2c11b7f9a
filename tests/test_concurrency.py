"""Two `storyline ingest` processes and a reader on one store at once: stories stay whole."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import stream  # noqa: E402

CHECK = ("SELECT s.id, s.articles, (SELECT COUNT(*) FROM assignments x WHERE x.story_id = s.id)"
         " FROM stories s")


def _write(path: Path, n: int, seed: int, start: datetime) -> None:
    with path.open("w", encoding="utf-8") as f:
        for art, _ in stream(n, seed=seed, start=start):
            f.write(json.dumps({"title": art.title, "text": "\n\n".join(art.body), "source": art.source,
                                "url": art.url.replace(".example/", f".example/s{seed}/"), "published_at": art.published_at}) + "\n")


def _broken_stories(db: Path) -> list[tuple[str, int, int]]:
    con = sqlite3.connect(db, timeout=30)
    try:
        return [r for r in con.execute(CHECK).fetchall() if r[1] != r[2]]  # one statement: one snapshot
    finally:
        con.close()


def test_two_ingests_and_a_reader_at_once(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _write(a, 400, seed=11, start=datetime(2025, 3, 1, tzinfo=timezone.utc))
    _write(b, 400, seed=12, start=datetime(2025, 3, 1, 1, tzinfo=timezone.utc))  # same days: shared window
    db = tmp_path / "s.db"
    subprocess.run([sys.executable, "-m", "storyline.cli", "ingest", "--no-cluster", "--db", str(db), "-"],
                   input="", capture_output=True, text=True)  # create the store first
    seen_broken: list = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            if db.exists():
                try:
                    seen_broken.extend(_broken_stories(db))
                except sqlite3.OperationalError:
                    pass  # the schema is being created
            time.sleep(0.02)

    t = threading.Thread(target=reader)
    t.start()
    procs = [subprocess.Popen([sys.executable, "-m", "storyline.cli", "ingest", str(p), "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (a, b)]
    outs = [p.communicate(timeout=600) for p in procs]
    stop.set()
    t.join()
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "database is locked" not in err
    assert not seen_broken, seen_broken[:5]
    assert not _broken_stories(db)
    con = sqlite3.connect(db)
    n_articles = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    n_assigned = con.execute("SELECT COUNT(*) FROM assignments").fetchone()[0]
    in_stories = con.execute("SELECT SUM(articles) FROM stories").fetchone()[0]
    orphans = con.execute("SELECT COUNT(*) FROM assignments x LEFT JOIN stories s ON s.id = x.story_id"
                          " WHERE s.id IS NULL").fetchone()[0]
    assert n_articles == 800
    assert n_assigned == n_articles == in_stories
    assert orphans == 0
