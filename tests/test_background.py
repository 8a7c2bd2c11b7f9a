"""background.py: stories assigned in another process while the ingest stores on."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.model import Article
from storyline.pipeline import ingest_items
from storyline.store import open_store


def _stream_file(path: Path, n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synth import stream

    with open(path, "w") as f:
        for a, _ in stream(n, seed=23):
            f.write(json.dumps({"title": a.title, "text": a.text, "url": a.url, "source": a.source,
                                "published_at": a.published_at}) + "\n")


def _state(db: str) -> tuple[list, list]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT article_id, story_id, duplicate_of, wire, step FROM assignments ORDER BY article_id")
        stories = con.execute("SELECT id, title, articles, sources, independent FROM stories ORDER BY id")
        return rows.fetchall(), stories.fetchall()
    finally:
        con.close()


def test_ingest_assigns_the_same_stories_in_another_process(tmp_path):
    """`ingest --workers 2` assigns in a process of its own, which may lag several blocks behind
    the store: the assignments, their order and the stories are those of `--workers 1`."""
    src = tmp_path / "news.jsonl"
    _stream_file(src, 2500)
    states = []
    for workers in (1, 2):
        db = str(tmp_path / f"w{workers}.db")
        cmd = [sys.executable, "-m", "storyline.cli", "ingest", str(src), "--db", db, "--cluster-every", "300",
               "--workers", str(workers), "--json"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        states.append(_state(db))
    assert len(states[0][0]) == 2500 and len(states[0][1]) > 100
    assert states[0] == states[1]


def _articles(n: int) -> list[Article]:
    return [Article(title=f"Harbour vote {i} in Selby", body=[f"The council met about item {i} of the harbour plan."],
                    source=f"Outlet {i % 3}", published_at=f"2025-03-{1 + i % 20:02d}") for i in range(n)]


def test_a_failure_in_the_assignment_process_reaches_the_ingest(tmp_path, monkeypatch):
    """An error in the other process comes back to the ingest as the same exception (the CLI
    prints it as one line); what was stored stays stored."""
    from storyline import background
    from storyline.stories import StreamingClusterer

    def broken(self, *_):
        raise StoreError(f"{self.store.path}: disk full")

    monkeypatch.setattr(background, "NICE", 0)  # this test process keeps its priority
    # _run is what both stored() and finish() call: the other process may read every notice
    # at once and go straight to finish, so the failure must not depend on which it reaches
    monkeypatch.setattr(StreamingClusterer, "_run", broken)  # the forked process inherits it
    store = open_store(str(tmp_path / "s.db"))
    clusterer = background.BackgroundClusterer(store.path, block=10)
    try:
        with pytest.raises(StoreError, match="disk full"):
            ingest_items(_articles(60), store, on_batch=clusterer.stored, batch_size=10)
            clusterer.finish()
    finally:
        clusterer.close()
    assert store.count_articles() >= 10


def test_finish_assigns_every_article_and_reports_totals(tmp_path, monkeypatch):
    from storyline import background

    monkeypatch.setattr(background, "NICE", 0)
    store = open_store(str(tmp_path / "s.db"))
    clusterer = background.BackgroundClusterer(store.path, block=25)
    ingest_items(_articles(60), store, on_batch=clusterer.stored, batch_size=10)
    stats = clusterer.finish()
    clusterer.close()
    assert stats["assigned"] == 60 and stats["stories"] == store.count_stories() > 0
    assert store.conn.execute("SELECT COUNT(*) FROM assignments").fetchone()[0] == 60
