"""Story search through each story's search document (SQLite schema 9, PostgreSQL 3) finds what the
article-walking search it replaced found: on an invented corpus, on both stores, as stories form,
merge, split and their articles change, and in stores migrated from before the documents."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article
from storyline.store import open_store
from storyline.stories import cluster_store

OUTLETS = ["Selby Echo", "Harrow Ledger", "Quillon Post", "Marsh Valley Courier", "Tarn Radio", "Oakfen Gazette"]
COMMON = ("the a of and to in on for with said after council police minister residents week report "
          "officials city plan statement").split()
SYL = ["bra", "ven", "tol", "mir", "ska", "dun", "pel", "gor", "lis", "tha", "rom", "kev"]
TOPICS = ["ferry", "landslide", "strike", "tramline", "verdict", "harvest", "blackout", "regatta"]
#: the benchmark's kind of queries (one common word, benchmarks/bench_web.py) and more one-word ones:
#: a topic, a word of a few stories, capitals, punctuation the text joins words with, a word no text has
ONE_WORD = ["council", "the", "police", "ferry", "Regatta", "3,000", "north-quay", "kevbra", "statement.",
            "Ledger", "zzzyx", "café", "ä", "12.5"]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYL) for _ in range(parts))


def corpus(n: int = 360, seed: int = 7) -> list[Article]:
    """Invented news: stories of a few articles in several outlets, with names, numbers and hyphens."""
    rng = random.Random(seed)
    out: list[Article] = []
    day = 0
    while len(out) < n:
        topic = rng.choice(TOPICS)
        people = [f"{_name(rng).capitalize()} {_name(rng, 3).capitalize()}" for _ in range(3)]
        vocab = [_name(rng) for _ in range(12)] + [topic] * 3
        extra = rng.choice(["3,000 evacuated", "the north-quay works", "Ä umlaut café", "x-ray of 12.5 tonnes", ""])
        day += 1
        for k in range(rng.randint(1, 7)):
            words = []
            for _ in range(rng.randint(25, 60)):
                r = rng.random()
                words.append(rng.choice(people) if r < 0.15 else rng.choice(vocab) if r < 0.5 else rng.choice(COMMON))
            body = [" ".join(words[:30]).capitalize() + ".", " ".join(words[30:]) + f", {extra}."]
            out.append(Article(title=f"{people[0]} {topic} {rng.choice(vocab)}", body=body,
                               source=rng.choice(OUTLETS), url=f"https://news{len(out)}.example/{topic}-{k}",
                               published_at=f"2025-03-{1 + day % 28:02d}T{8 + k:02d}:00:00+00:00"))
    return out[:n]


def both(store, q: str, **kw) -> tuple[tuple[list[str], int], tuple[list[str], int]]:
    """(the story document's answer, the article walk's answer) to one query: ids in order and total."""
    out = []
    for walk in (False, True):
        store.walk_articles = walk
        items, total = store.story_page(search=q, **kw)
        out.append(([s["id"] for s in items], total))
    store.walk_articles = False
    return out[0], out[1]


def assert_same(store, queries=ONE_WORD) -> None:
    for q in queries:
        for kw in ({}, {"sort": "size"}, {"min_sources": 2, "sort": "sources"}, {"limit": 5, "offset": 3}):
            new, old = both(store, q, limit=kw.pop("limit", 1000), **kw)
            assert new == old, (q, kw)
        store.walk_articles = True
        old = store.list_stories(search=q, limit=None)
        store.walk_articles = False
        assert store.list_stories(search=q, limit=None) == old
        assert store.count_stories(search=q) == len(old)


@pytest.fixture
def clustered(new_store_location):
    where = new_store_location()
    store = open_store(where)
    store.add_articles(corpus())
    cluster_store(store)
    yield store
    store.close()


def test_one_word_queries_find_what_the_article_walk_found(clustered):
    store = clustered
    found = {q: both(store, q, limit=1000)[1][1] for q in ONE_WORD}
    # the queries are worth asking: common words find most stories, rare ones a few, and one none
    assert found["council"] > 20 and 0 < found["kevbra"] < found["council"] and found["zzzyx"] == 0
    assert found["3,000"] > 0 and found["north-quay"] > 0
    assert_same(store, [q for q in ONE_WORD if q != "Ledger"])  # "Ledger" is an outlet: below


def test_a_story_is_found_by_its_outlets_and_many_words_by_the_whole_story(clustered):
    store = clustered
    # an outlet's name finds the stories it covered (the article walk searched text only)
    covered = {s["id"] for s in store.list_stories(limit=None) if "Harrow Ledger" in s["outlets"]}
    assert covered and {s["id"] for s in store.list_stories(search="harrow ledger", limit=None)} >= covered
    # several words: every story the article walk found (all words in one article) and those whose
    # articles hold the words between them, never one without them all
    for q in ("council ferry", "police statement", "regatta 3,000"):
        new, old = both(store, q, limit=1000)
        assert set(new[0]) >= set(old[0]), q
        for sid in set(new[0]) - set(old[0]):
            text = " ".join(f"{m['article'].title} {m['article'].text}".lower()
                            for m in store.get_story(sid)["members"])
            assert all(w in text for w in q.lower().split()), (q, sid)


def _story(sid: str, title: str, arts: list[Article], outlets: dict[str, int]) -> dict:
    return {"id": sid, "title": title, "articles": len(arts), "sources": len(outlets), "independent": len(outlets),
            "first_at": "2025-03-01T08:00:00+00:00", "last_at": "2025-03-02T08:00:00+00:00", "updated_seq": 1,
            "outlets": outlets}


def _row(a: Article, sid: str, seq: int) -> dict:
    return {"article_id": a.id, "story_id": sid, "duplicate_of": None, "wire": None, "score": 1.0, "seq": seq,
            "step": seq}


def test_documents_follow_joins_merges_splits_and_changed_texts(new_store_location):
    store = open_store(new_store_location())
    a1 = Article(title="Quillon ferry halted", body=["Gales kept the Quillon ferry in port."], source="Selby Echo",
                 url="https://a.example/1")
    a2 = Article(title="Ferry crew rescued", body=["A lifeboat reached the stranded crew at dusk."],
                 source="Tarn Radio", url="https://a.example/2")
    a3 = Article(title="Harbour wall cracks", body=["Engineers inspect the breakwater."], source="Oakfen Gazette",
                 url="https://a.example/3")
    store.add_articles([a1, a2, a3])
    words = ["ferry", "lifeboat", "breakwater", "gales", "dusk", "quillon", "tarn"]

    def found(q: str) -> list[str]:
        new, old = both(store, q, limit=100)
        if q != "tarn":  # an outlet: the article walk never searched outlets
            assert new == old, q
        return new[0]

    store.save_assignments([_row(a1, "s1", 1), _row(a3, "s3", 3)],
                           [_story("s1", a1.title, [a1], {"Selby Echo": 1}),
                            _story("s3", a3.title, [a3], {"Oakfen Gazette": 1})], {})
    assert found("gales") == ["s1"] and found("lifeboat") == []
    # a2 joins s1: its words join s1's document, and its outlet
    store.save_assignments([_row(a2, "s1", 2)], [_story("s1", a1.title, [a1, a2], {"Selby Echo": 1, "Tarn Radio": 1})], {})
    assert found("lifeboat") == ["s1"] and found("tarn") == ["s1"]
    # s3 merges into s1: one story holds every word, s3 has no document left
    store.save_assignments([], [_story("s1", a1.title, [a1, a2, a3],
                                       {"Selby Echo": 1, "Tarn Radio": 1, "Oakfen Gazette": 1})], {"s3": "s1"})
    assert found("breakwater") == ["s1"] and found("ferry") == ["s1"]
    # a split moves a2 to s2: s1 no longer holds a2's words, s2 does
    store.save_assignments([], [_story("s1", a1.title, [a1, a3], {"Selby Echo": 1, "Oakfen Gazette": 1}),
                                _story("s2", a2.title, [a2], {"Tarn Radio": 1})], {}, {a2.id: "s2"})
    assert found("lifeboat") == ["s2"] and found("dusk") == ["s2"] and found("tarn") == ["s2"]
    assert sorted(found("ferry")) == ["s1", "s2"] and found("breakwater") == ["s1"]
    # an article's text changes: its story's document follows (an old word goes, a new one comes)
    a1b = Article(title="Quillon ferry halted", body=["Fog kept the Quillon ferry in port."], source="Selby Echo",
                  url="https://a.example/1")
    assert store.add_articles([a1b]) == ["updated"]
    assert found("gales") == [] and found("fog") == ["s1"]
    for w in words:
        found(w)
    store.close()


def _as_before_search_documents(where: str) -> None:
    """Take a store back to its schema before the story documents (SQLite 8, PostgreSQL 2)."""
    store = open_store(where)
    if where.endswith(".db"):
        for stmt in ("DROP TRIGGER story_docs_ai", "DROP TRIGGER story_docs_ad", "DROP TRIGGER story_docs_au",
                     "DROP TABLE story_docs_fts", "DROP TABLE story_docs", "PRAGMA user_version=8"):
            store.conn.execute(stmt)
    else:
        store.conn.execute("DROP TABLE story_docs")
        store.conn.execute("UPDATE storyline_schema SET version=2")
    store.close()


def test_a_store_from_before_the_documents_is_migrated_and_backfilled(new_store_location):
    where = new_store_location()
    store = open_store(where)
    store.add_articles(corpus(200, seed=11))
    cluster_store(store)
    stories = store.count_stories()
    store.close()
    _as_before_search_documents(where)
    store = open_store(where)
    if where.endswith(".db"):
        from storyline.store.sqlite import SCHEMA_VERSION

        assert store.schema_version == SCHEMA_VERSION == 11
        assert store.conn.execute("SELECT COUNT(*) FROM story_docs").fetchone()[0] == stories
        store.conn.execute("INSERT INTO story_docs_fts(story_docs_fts) VALUES ('integrity-check')")
    else:
        from storyline.store.postgres import SCHEMA_VERSION

        assert store.schema_version == SCHEMA_VERSION == 4
        assert store.conn.execute("SELECT COUNT(*) AS n FROM story_docs").fetchone()["n"] == stories
        store.conn.execute("SET enable_seqscan = off")
        plan = store.conn.execute("EXPLAIN SELECT story_id FROM story_docs d WHERE d.tsv @@ plainto_tsquery('simple', 'x')")
        assert "story_docs_tsv" in " ".join(str(r) for r in plan.fetchall())  # the GIN index serves the search
        store.conn.execute("SET enable_seqscan = on")
    assert_same(store, [q for q in ONE_WORD if q != "Ledger"])
    # and the migrated store keeps its documents as new articles join
    store.add_articles(corpus(260, seed=11)[200:])
    cluster_store(store)
    assert_same(store, ["council", "ferry", "3,000", "kevbra"])
    store.close()


SPACES = " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@given(st.lists(st.text(st.sampled_from(SPACES + "\ue000aZé.,!-'\"3") | st.characters(), max_size=40), max_size=3))
@settings(max_examples=400, deadline=None)
def test_document_words_are_cut_at_ascii_white_space_only(texts):
    """doc_words cuts a text with str.split() when it holds no other white space: the same words."""
    import re
    import string

    from storyline.store.search import SEP_CHAR, doc_words

    lower = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
    raw = {w for t in texts for w in re.split(r"[ \t\n\r\f\v]+", t)}
    assert doc_words(texts) == {w.strip(string.punctuation).translate(lower) for w in raw} - {"", SEP_CHAR}
