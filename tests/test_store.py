from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article
from storyline.pipeline import ingest, ingest_items
from storyline.store import open_store
from storyline.store.sqlite import SCHEMA_VERSION


def test_schema_wal_and_fts(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.add_articles([Article(title="Ferry vote in Selby", body=["The council backed the terminal."], source="Echo"),
                        Article(title="Mill reopens", body=["A museum now."], source="Radio")])
    assert [a.title for a in store.list_articles(search="terminal")] == ["Ferry vote in Selby"]
    assert [a.title for a in store.list_articles(source="Radio")] == ["Mill reopens"]
    # user syntax never reaches the FTS parser
    assert store.list_articles(search='terminal" OR "x') == []
    store.close()
    # reopening migrates nothing and keeps data
    again = open_store(str(tmp_path / "s.db"))
    assert again.count_articles() == 2


def test_idempotent_and_updates(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    a = Article(title="T", body=["one"], url="https://x.example/a")
    assert store.add_articles([a]) == ["new"]
    assert store.add_articles([a]) == ["unchanged"]
    b = Article(title="T", body=["one, corrected"], url="https://x.example/a")
    assert store.add_articles([b]) == ["updated"]
    assert store.get_article(a.id).body == ["one, corrected"]
    assert store.count_articles() == 1


def test_same_article_twice_in_one_batch(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    a = Article(title="T", body=["one"])
    report = ingest_items([a, Article(title="T", body=["one"])], store)
    assert (report.new, report.unchanged) == (1, 1)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.db"
    open_store(str(path)).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    con.close()
    import pytest

    from storyline.errors import StoreError

    with pytest.raises(StoreError):
        open_store(str(path))


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=8))
def test_reingest_changes_nothing(tmp_path_factory, pairs):
    store = open_store(str(tmp_path_factory.mktemp("h") / "s.db"))
    arts = [Article(title=t, body=[b]) for t, b in pairs if t.strip() and b.strip()]
    ingest_items(arts, store)
    before = [(a.id, a.to_dict()) for a in store.list_articles(limit=None)]
    report = ingest_items([Article.from_dict(a.to_dict()) for a in arts], store)
    assert report.new == 0 and report.updated == 0
    assert [(a.id, a.to_dict()) for a in store.list_articles(limit=None)] == before


def test_folder_ingest_twice(tmp_path, mixed_folder):
    store = open_store(str(tmp_path / "s.db"))
    first = ingest([str(mixed_folder)], store)
    second = ingest([str(mixed_folder)], store)
    assert first.new > 0 and second.new == 0 and second.unchanged == first.new
