from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import Article
from storyline.pipeline import ingest, ingest_items
from storyline.store import open_store
from storyline.store.sqlite import SCHEMA_VERSION


def test_schema_and_full_text_search(new_store_location):
    where = new_store_location()
    store = open_store(where)
    if where.endswith(".db"):
        assert store.schema_version == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    else:
        from storyline.store.postgres import SCHEMA_VERSION as PG_VERSION

        assert store.schema_version == PG_VERSION
        store.conn.execute("SET enable_seqscan = off")  # an empty table: ask whether the index can serve it
        plan = store.conn.execute("EXPLAIN SELECT id FROM articles a WHERE a.tsv @@ plainto_tsquery('simple', 'x')")
        assert "articles_tsv" in " ".join(str(r) for r in plan.fetchall())  # the GIN index serves the search
    store.add_articles([Article(title="Ferry vote in Selby", body=["The council backed the terminal."], source="Echo"),
                        Article(title="Mill reopens", body=["A museum now."], source="Radio")])
    assert [a.title for a in store.list_articles(search="terminal")] == ["Ferry vote in Selby"]
    assert [a.title for a in store.list_articles(source="Radio")] == ["Mill reopens"]
    # user syntax never reaches the FTS parser
    assert store.list_articles(search='terminal" OR "x') == []
    store.close()
    # reopening migrates nothing and keeps data
    again = open_store(where)
    assert again.count_articles() == 2


def test_idempotent_and_updates(new_store_location):
    store = open_store(new_store_location())
    a = Article(title="T", body=["one"], url="https://x.example/a")
    assert store.add_articles([a]) == ["new"]
    assert store.add_articles([a]) == ["unchanged"]
    b = Article(title="T", body=["one, corrected"], url="https://x.example/a")
    assert store.add_articles([b]) == ["updated"]
    assert store.get_article(a.id).body == ["one, corrected"]
    assert store.count_articles() == 1


def test_same_article_twice_in_one_batch(new_store_location):
    store = open_store(new_store_location())
    a = Article(title="T", body=["one"])
    report = ingest_items([a, Article(title="T", body=["one"])], store)
    assert (report.new, report.unchanged) == (1, 1)


def test_search_follows_an_update_within_one_batch(new_store_location):
    """A batch's new articles are indexed together at its end; one updated later in the same batch
    is found by its new words only, and (SQLite) the full-text index stays consistent."""
    where = new_store_location()
    store = open_store(where)
    old = Article(title="Harbour fire", body=["Smoke over the quay."], url="https://x.example/fire")
    new = Article(title="Harbour fire", body=["Flames reached the warehouse."], url="https://x.example/fire")
    other = Article(title="Tram strike", body=["Drivers walk out."], url="https://x.example/tram")
    assert store.add_articles([old, other, new]) == ["new", "new", "updated"]
    assert [a.body for a in store.list_articles(search="warehouse")] == [["Flames reached the warehouse."]]
    assert store.list_articles(search="smoke") == []
    assert [a.title for a in store.list_articles(search="drivers")] == ["Tram strike"]
    if where.endswith(".db"):
        store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if not


def test_store_of_an_older_schema_indexes_new_articles(tmp_path):
    """A store made before version 7 (new articles indexed by a trigger) is migrated: the trigger
    goes, and articles added afterwards are found by search exactly once."""
    path = str(tmp_path / "old.db")
    store = open_store(path)
    store.add_articles([Article(title="Ferry vote", body=["The council backed the terminal."])])
    con = store.conn
    con.execute("""CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body); END""")
    con.execute("PRAGMA user_version=6")
    store.close()
    store = open_store(path)
    assert store.schema_version == SCHEMA_VERSION
    store.add_articles([Article(title="Bridge closed", body=["The terminal road is shut."])])
    assert sorted(a.title for a in store.list_articles(search="terminal")) == ["Bridge closed", "Ferry vote"]
    store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


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


# the fixture hands out a new, empty store location on every call, so each example gets its own
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=8))
def test_reingest_changes_nothing(new_store_location, pairs):
    store = open_store(new_store_location())
    arts = [Article(title=t, body=[b]) for t, b in pairs if t.strip() and b.strip()]
    ingest_items(arts, store)
    before = [(a.id, a.to_dict()) for a in store.list_articles(limit=None)]
    report = ingest_items([Article.from_dict(a.to_dict()) for a in arts], store)
    assert report.new == 0 and report.updated == 0
    assert [(a.id, a.to_dict()) for a in store.list_articles(limit=None)] == before


def test_folder_ingest_twice(new_store_location, mixed_folder):
    store = open_store(new_store_location())
    first = ingest([str(mixed_folder)], store)
    second = ingest([str(mixed_folder)], store)
    assert first.new > 0 and second.new == 0 and second.unchanged == first.new


def test_cluster_lock_holds_across_connections(new_store_location):
    import threading
    import time

    path = new_store_location()
    a, b = open_store(path), open_store(path, check_same_thread=False)
    order: list[str] = []
    with a.cluster_lock():
        def other() -> None:
            with b.cluster_lock():
                order.append("b")

        t = threading.Thread(target=other)
        t.start()
        time.sleep(0.3)
        order.append("a done")
    t.join(5)
    assert order == ["a done", "b"]  # the second clusterer waited for the first


def test_counts_filters_and_prefixes(new_store_location):
    from storyline.errors import AmbiguousId, NotFound

    store = open_store(new_store_location())
    arts = [Article(title=f"Ferry vote {i}", body=[f"The council backed terminal {i}."], source="Echo" if i % 2 else "Radio",
                    url=f"https://x.example/{i}") for i in range(20)]
    for a in arts:
        a.id = a.compute_id()
    store.add_articles(arts)
    assert store.count_articles() == 20 and store.count_articles(source="Echo") == 10
    assert store.count_articles(search="terminal", source="Radio") == 10
    assert store.outlets_in_order() == ["Radio", "Echo"]
    ids = sorted(a.id for a in arts)
    shared = next(p for p in "0123456789abcdef" if sum(i.startswith(p) for i in ids) > 1)
    try:
        store.get_article(shared)
        raise AssertionError("an ambiguous prefix must not pick one")
    except AmbiguousId as exc:
        assert all(i in str(exc) for i in ids if i.startswith(shared))
    try:
        store.get_article("zz")
        raise AssertionError
    except NotFound as exc:
        assert "ambiguous" not in str(exc)
    store.set_meta("made_by", "x")
    assert store.get_meta("made_by") == "x" and store.get_meta("nothing") is None


def test_story_page_is_the_list_and_the_count(new_store_location):
    """A page of stories and the total, in one evaluation of the search: equal to list_stories and
    count_stories, for every sort, past the last page and without a search."""
    from storyline.stories import cluster_store

    store = open_store(new_store_location())
    arts = [Article(title=f"{topic} {i}", body=[f"The {topic.lower()} report number {i} from the harbour of Selby {i}."],
                    source=f"Outlet {i % 3}", published_at=f"2025-01-{1 + i % 20:02d}T10:00:00Z")
            for i, topic in enumerate(["Ferry vote", "Storm damage", "Bridge inquiry"] * 8)]
    store.add_articles(arts)
    cluster_store(store)
    for search in ("harbour", "ferry", "nothing-matches", None):
        for sort in ("latest", "size"):
            for limit, offset in ((5, 0), (5, 5), (50, 0), (5, 400)):
                page, total = store.story_page(search=search, sort=sort, limit=limit, offset=offset)
                assert page == store.list_stories(search=search, sort=sort, limit=limit, offset=offset)
                assert total == store.count_stories(search=search)
    assert store.story_page(search="harbour")[1] > 0


def test_story_title_index_follows_title_changes_only(tmp_path):
    """The stories' search index is rewritten when a title changes, and left alone when a save
    touches only counts (migration 6); either way it finds each story by its current title."""
    store = open_store(str(tmp_path / "s.db"))
    row = {"id": "s1", "title": "Ferry vote in Selby", "articles": 1, "sources": 1, "independent": 1,
           "first_at": None, "last_at": None, "updated_seq": 1, "outlets": {"Echo": 1}}

    def found(word: str) -> list[str]:
        return [r[0] for r in store.conn.execute(
            "SELECT s.id FROM stories s JOIN stories_fts f ON f.rowid = s.rowid WHERE stories_fts MATCH ?", (word,))]

    def index_rows() -> int:
        return store.conn.execute("SELECT COUNT(*) FROM stories_fts_docsize").fetchone()[0]

    store.save_assignments([], [row], {})
    changes = store.conn.total_changes
    store.save_assignments([], [dict(row, articles=2, updated_seq=2)], {})
    assert store.conn.total_changes - changes == 1  # the story row only: the title's index entry untouched
    assert found("selby") == ["s1"] and index_rows() == 1
    store.save_assignments([], [dict(row, title="Mill reopens as museum", articles=3, updated_seq=3)], {})
    assert found("selby") == [] and found("museum") == ["s1"] and index_rows() == 1


# every code point: NUL, control characters, lone surrogates, the highest code point
WILD = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(WILD)
def test_any_query_text_is_safe(new_store_location, q):
    """A search, an outlet or an id typed by a user never reaches a store's parser as syntax."""
    from storyline.errors import AmbiguousId, NotFound

    if not hasattr(test_any_query_text_is_safe, "stores"):
        test_any_query_text_is_safe.stores = {}
    loc = new_store_location
    store = test_any_query_text_is_safe.stores.get(id(loc))
    if store is None:  # one store per location function, with an article and a story to find
        store = open_store(loc())
        ingest_items([Article(title="Ferry strike ends", body=["The ferry strike in Port Selby ended."],
                              source="Meridian Times")], store)
        from storyline.stories import cluster_store

        cluster_store(store)
        test_any_query_text_is_safe.stores[id(loc)] = store
    for search in (q, q + " ferry", '"' + q):
        store.list_articles(search=search)
        store.count_articles(search=search, source=q)
        store.list_stories(search=search)
        store.count_stories(search=search)
        store.story_page(search=search)
    for get in (store.get_article, store.get_story):
        try:
            get(q)
        except (NotFound, AmbiguousId):
            pass


def test_unstorable_text_is_repaired_on_every_store(new_store_location):
    store = open_store(new_store_location())
    bad = Article(title="Bad \ud800 title", body=["A NUL\x00 in the body.", "Port Selby voted \udfff."],
                  source="Echo\x00")
    assert store.add_articles([bad]) == ["new"]
    got = store.get_article(bad.id)
    assert got.title == "Bad \ufffd title" and got.body == ["A NUL in the body.", "Port Selby voted \ufffd."]
    assert got.source == "Echo"
    assert store.add_articles([bad]) == ["unchanged"]  # the repaired text is what is compared
    assert [a.id for a in store.list_articles(search="NUL")] == [bad.id]


def test_outlet_filter_ignores_case(new_store_location):
    store = open_store(new_store_location())
    store.add_articles([Article(title="Ferry vote", body=["The council voted."], source="Meridian Times")])
    assert store.count_articles(source="meridian times") == 1
    assert len(store.list_articles(source="MERIDIAN TIMES")) == 1


def test_last_step_counts_rows_without_a_step_by_their_seq(new_store_location):
    """last_step is the largest step, or seq where a row has no step (rows saved before schema 4)."""
    store = open_store(new_store_location())
    assert store.last_step() == 0
    arts = [Article(title=f"Quay works {i}", body=[f"Dredging of berth {i} goes on."], url=f"https://q.example/{i}")
            for i in range(3)]
    store.add_articles(arts)
    row = lambda a, seq, step: {"article_id": a.id, "story_id": "s", "duplicate_of": None, "wire": None,  # noqa: E731
                                "score": 1.0, "seq": seq, "step": step}
    story = {"id": "s", "title": "Quay works", "articles": 3, "sources": 1, "independent": 1, "first_at": None,
             "last_at": None, "updated_seq": 3, "outlets": {}}
    store.save_assignments([row(arts[0], 1, 2), row(arts[1], 7, None)], [story], {})
    assert store.last_step() == 7  # the row without a step counts by its seq
    store.save_assignments([row(arts[2], 3, 9)], [story], {})
    assert store.last_step() == 9
    store.close()
