"""A story back after the engine's window links to its earlier story (stories/archive.py): the
evicted story's record, the look-up of a new story, the link in the store and the views, and the
assignments left exactly as they were."""
from __future__ import annotations

import sys
from pathlib import Path

from storyline.evaluate import _final_ids
from storyline.model import Article
from storyline.store import open_store
from storyline.stories import StoryEngine, cluster_articles, cluster_store

TOWN = "Carrow"


def _at(day: float, hour: int = 9) -> str:
    d = int(day)
    return f"2025-{3 + d // 28:02d}-{1 + d % 28:02d}T{hour:02d}:00:00Z"


_TRIAL = [
    "Prosecutors say Holt diverted 14 million from the Northvale Pension Fund into shell companies registered "
    "in Valletta between 2019 and 2022, and hid the transfers from the trustees.",
    "Holt denies eleven counts of fraud and false accounting.",
    "Her counsel, Tobias Wren, told the jury the transfers were approved by the Northvale board.",
    "Pensioners who lost their savings gathered outside the court with banners.",
    "Judge Petra Vasquez warned jurors not to read about the case online.",
    "A forensic accountant traced payments through three banks in Malta and Cyprus.",
    "The fund's former chairman, Edwin Marsh, said he had never seen the invoices.",
    "The Serious Fraud Office spent four years on the investigation before charging Holt.",
]


def _trial(day: float, n: int, outlet: str, extra: str) -> Article:
    picked = [_TRIAL[(n + k * 3) % len(_TRIAL)] for k in range(3)]
    return Article(
        title=f"Maren Holt fraud trial {extra}",
        source=outlet, url=f"https://{outlet.lower().replace(' ', '')}.example/holt-{n}", published_at=_at(day, 8 + n),
        body=[f"The fraud trial of former Northvale Pension Fund director Maren Holt {extra} in {TOWN}, "
              f"before Judge Petra Vasquez, on its day {n}.", *picked, f"Many of the pensioners live in {TOWN}."])


PART_ONE = [_trial(0, 1, "Carrow Courier", "opens"), _trial(0.2, 2, "Northern Wire", "hears the first witness"),
            _trial(1, 3, "Valley Post", "hears from the trustees"), _trial(1.5, 4, "Harbour Times", "adjourns")]
# 40 days later, well outside the 7-day window: the trial resumes
RETURN = [_trial(41, 5, "Carrow Courier", "resumes after a six-week adjournment"),
          _trial(41.3, 6, "Valley Post", "resumes with the defence case"),
          _trial(42, 7, "Northern Wire", "resumes as Holt takes the stand")]


_BIKES = [
    "Cycling groups welcomed the plan, while shop owners on the high street worried about parking.",
    "The lanes will cost 3.2 million and link the station to the university campus, the transport committee said.",
    "Work on the first section starts in October, with traffic diverted for six weeks.",
    "Councillor Amira Bello said the lanes would halve the number of cyclists injured on the ring road.",
    "Bus operators asked for shared stops so that buses are not slowed down.",
    "A consultation drew more than two thousand responses, most in favour.",
]


_BIKE_LEADS = ["{town} council voted on Tuesday to build protected bike lanes along the ring road by next spring.",
               "Protected cycle lanes are coming to the {town} ring road after councillors backed the scheme.",
               "Cyclists in {town} will get their own lanes on the busiest road in town, the council decided."]


def _bikes(day: float, n: int, outlet: str) -> Article:
    picked = [_BIKES[(n * 2 + k) % len(_BIKES)] for k in range(2)]
    return Article(
        title=["Council approves bike lanes", "Ring road to get cycle lanes", "Cyclists win their lanes"][n - 1] + f" in {TOWN}",
        source=outlet, url=f"https://{outlet.lower().replace(' ', '')}.example/bikes-{n}", published_at=_at(day, 8 + n),
        body=[_BIKE_LEADS[n - 1].format(town=TOWN), *picked])


# 40 days later too, unrelated to the trial: only the town's name in common
UNRELATED = [_bikes(41, 1, "Carrow Courier"), _bikes(41.4, 2, "Valley Post"), _bikes(42, 3, "Harbour Times")]


def _store_run(tmp_path, articles, trace=None):
    store = open_store(str(tmp_path / "s.db"))
    store.add_articles(articles)
    engine = StoryEngine(semantic=False)
    engine.link_trace = trace
    cluster_store(store, engine=engine, chunk=1)  # evicts after every article
    return store, engine


def test_a_story_back_after_the_window_continues_its_earlier_story(tmp_path):
    from storyline.api import story_data

    store, _ = _store_run(tmp_path, PART_ONE + RETURN)
    first, back = store.stories_of([PART_ONE[0].id])[PART_ONE[0].id], store.stories_of([RETURN[0].id])[RETURN[0].id]
    assert first != back  # a new story: nothing was merged or reassigned
    assert store.get_story(back, members=False)["continues"] == first
    assert store.get_story(first, members=False)["continues"] is None
    listed = {s["id"]: s for s in store.list_stories(limit=None)}
    assert listed[back]["continues"] == first
    data = story_data(store, back)
    assert data["continues"] == first and data["continues_title"].startswith("Maren Holt fraud trial")
    # the archive is kept in the store, small: the evicted trial's record
    assert [r["id"] for r in store.story_archive()] == [first]


def test_an_unrelated_story_sharing_only_the_town_is_not_linked(tmp_path):
    trace: list = []
    store, engine = _store_run(tmp_path, PART_ONE + UNRELATED, trace)
    bikes = store.stories_of([UNRELATED[0].id])[UNRELATED[0].id]
    trial = store.stories_of([PART_ONE[0].id])[PART_ONE[0].id]
    assert [r["id"] for r in store.story_archive()] == [trial]
    # the bike lanes share one of the trial's heaviest entities, the town: they were looked up
    # (their third original) and found no record sharing two, so they were not linked
    shared = set(engine._heaviest_keys(engine.stories[bikes])[0]) & set(engine.archive[trial].entities)
    assert len(shared) == 1
    assert [(sid, best) for sid, best, *_ in trace] == [(bikes, None)]
    assert store.get_story(bikes, members=False)["continues"] is None
    assert store.story_links() == {}


def test_the_link_is_made_at_the_third_original_and_shown_by_the_engine():
    engine = StoryEngine(semantic=False)
    for a in PART_ONE:
        engine.add(a)
    engine.add(RETURN[0])
    engine.evict()  # as a driver does between chunks: the trial's first part leaves the window
    assert len(engine.archive) == 1
    first = next(iter(engine.archive))
    out = [engine.add(a) for a in RETURN[1:]]
    back = out[-1].story_id
    assert engine.links == {back: first} and engine.story_row(back)["continues"] == first
    assert engine.archive[first].title.startswith("Maren Holt fraud trial")


def test_a_resumed_run_keeps_the_link_and_the_archive(tmp_path):
    """Killed between chunks and run again, the store holds the link and the archive one run does."""
    from test_stories import _cluster_through_crashes

    whole, _ = _store_run(tmp_path, PART_ONE + RETURN)
    crashed = open_store(str(tmp_path / "crashed.db"))
    crashed.add_articles(PART_ONE + RETURN)
    _cluster_through_crashes(crashed, (3, 5, 6), chunk=1, engine=lambda: StoryEngine(semantic=False))
    q = "SELECT id, continues FROM stories ORDER BY id"
    assert [tuple(r) for r in crashed.conn.execute(q)] == [tuple(r) for r in whole.conn.execute(q)]
    assert crashed.story_archive() == whole.story_archive() and crashed.story_links()


def _realistic(n: int, per_day: float, seed: int):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synth import realistic_stream

    returns: dict[int, float] = {}
    return list(realistic_stream(n, seed=seed, per_day=per_day, returns=returns)), returns


def test_assignments_are_the_same_with_and_without_the_archive(monkeypatch):
    """The archive and its look-ups move no article: on a small realistic stream with returns, the
    assignments with links made are those of an engine whose look-ups are switched off."""
    data, returns = _realistic(6000, 150.0, seed=3)
    arts = [a for a, _ in data]
    on = StoryEngine(semantic=False)
    with_links = cluster_articles(arts, on)
    off = StoryEngine(semantic=False)
    monkeypatch.setattr(off, "look_back", lambda s: None)
    monkeypatch.setattr(off, "archive_story", lambda s: None)
    without = cluster_articles(arts, off)
    assert returns and on.links and not off.links and not off.archive
    key = [(x.article_id, x.story_id, x.duplicate_of, x.step) for x in with_links]
    assert key == [(x.article_id, x.story_id, x.duplicate_of, x.step) for x in without]
    assert _final_ids(with_links) == _final_ids(without)


def test_a_store_from_before_the_links_is_migrated(tmp_path):
    """A SQLite store of version 9 (no `continues`, no archive) gains both and keeps its stories."""
    from storyline.store.sqlite import SCHEMA_VERSION

    store, _ = _store_run(tmp_path, PART_ONE + RETURN)
    before = {s["id"]: s["articles"] for s in store.list_stories(limit=None)}
    for stmt in ("ALTER TABLE stories DROP COLUMN continues", "DROP TABLE story_archive", "PRAGMA user_version=9"):
        store.conn.execute(stmt)
    store.close()
    again = open_store(str(tmp_path / "s.db"))
    assert again.schema_version == SCHEMA_VERSION == 11
    assert {s["id"]: s["articles"] for s in again.list_stories(limit=None)} == before
    assert again.story_links() == {} and again.story_archive() == []
    assert all(s["continues"] is None for s in again.list_stories(limit=None))
