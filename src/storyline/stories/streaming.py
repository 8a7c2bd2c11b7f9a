"""The engine over a store (`cluster_store`, resumable, one transaction per chunk) and as an ingest
goes (`StreamingClusterer`, block by block); `warm` rebuilds an engine from what a store holds."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from ..features import featurize
from ..model import Article, resolve_merged
from .drivers import _track, stream_order
from .engine import StoryEngine
from .hot import Member
from .memory import CollectBetweenChunks


def cluster_store(store: Any, engine: StoryEngine | None = None, chunk: int = 1000,
                  on_article: Callable[[int], None] | None = None, workers: int = 1,
                  prepare: Callable[..., Iterator[Any]] | None = None) -> dict[str, int]:
    """Assign every article of the store that has no story yet, one transaction per chunk.

    Resumable exactly: the engine is rebuilt by replaying what the store holds in the order it
    was processed, evictions happen only after a chunk is saved, and every weight is a pure
    function of the articles seen, so a killed run followed by a re-run assigns as one run would.
    The store's cluster lock is held throughout: a second writer waits, then sees these stories.
    With `workers` > 1 (and enough articles to pay for starting a process), featurising and signing
    run in other processes ahead of the assignment, which stays sequential: same stories. `prepare`
    replaces that helper (the Dask executor's runs on the cluster). `StreamingClusterer` does the
    same block by block while an ingest stores articles."""
    with store.cluster_lock():
        return _cluster_locked(store, engine, chunk, on_article, workers, prepare)


AHEAD_MIN = 2000  # fewer articles than this are featurised in-process: a worker's start-up costs more


def _cluster_locked(store: Any, engine: StoryEngine | None, chunk: int,
                    on_article: Callable[[int], None] | None, workers: int = 1,
                    prepare: Callable[..., Iterator[Any]] | None = None, warmed: bool = False,
                    backlog: list[tuple[int, str | None]] | None = None) -> dict[str, int]:
    import itertools

    from ..features import prepare_ahead

    prepare_ahead = prepare or prepare_ahead  # type: ignore[assignment]
    # the order needs only each article's number and date; the articles themselves are read a
    # chunk at a time as the engine reaches them, so memory does not grow with the backlog
    if backlog is None:  # (seq, date) of the articles to assign: every unassigned one by default
        backlog = store.unassigned_order()
    order = [seq for seq, _ in stream_order(backlog)]  # type: ignore[arg-type]
    if not order:
        return {"assigned": 0, "stories": store.count_stories(), "split": 0}
    if not warmed:  # `warmed`: the engine made every assignment the store holds, so it is current
        engine = engine or StoryEngine()
        warm(store, engine)
    assert engine is not None
    engine.auto_evict = False
    if engine.archive_changes is None:  # from now on the store keeps what the archive gains and loses
        engine.archive_changes = {}
    done = splits = 0

    def read() -> Iterator[tuple[int, Article]]:
        for i in range(0, len(order), 1000):
            part = order[i:i + 1000]
            arts = store.articles_by_seq(part)
            for seq in part:
                yield seq, arts[seq]

    for_prepare, for_assign = itertools.tee(read())
    prepared = prepare_ahead((a for _, a in for_prepare), workers if prepare or len(order) >= AHEAD_MIN else 1)
    with CollectBetweenChunks() as collector:
        for start in range(0, len(order), chunk):
            rows, touched, merged = [], set(), {}
            chunk_members: dict[str, list[Member]] = {}
            grown: dict[str, int] = {}
            for seq, article in itertools.islice(for_assign, chunk):
                a = engine.add(article, seq, next(prepared))
                rows.append(a.row())
                touched.add(a.story_id)
                merged.update(a.merged)
                _track(engine, a, article, chunk_members, grown)

            def members_of(sid: str, merged: dict[str, str] = merged,
                           chunk_members: dict[str, list[Member]] = chunk_members) -> list[Member]:
                # stored members (under this id, or under an id merged into it in this chunk) and the chunk's
                ids = [sid] + [g for g in merged if resolve_merged(merged, g) == sid]
                stored = [(seq, art, dup, step) for g in ids for seq, art, _, dup, step in store.assigned_articles(g)]
                return sorted(stored + chunk_members.get(sid, []), key=lambda m: m[3])

            engine.settle_merged(merged, members_of)
            moves = engine.review_grown(grown, members_of)
            splits += len(set(moves.values()))
            touched = {engine.merged.get(t, t) for t in touched} | set(moves.values())
            stories = [engine.story_row(t) for t in sorted(touched) if t in engine.stories]
            # evicted at the chunk's end, before its transaction so that the records of the stories
            # it archives are saved in it (the store sees the same as when evicting after the save)
            engine.evict()
            store.save_assignments(rows, stories, merged, moves, archive=engine.take_archive_changes())
            done += len(rows)
            if on_article:
                on_article(len(rows))
            collector.chunk_done(len(rows))
    return {"assigned": done, "stories": store.count_stories(), "split": splits}


BLOCK = 10_000  # an ingest clusters each full block of this many sequence numbers as it stores them


class StreamingClusterer:
    """Stories as an ingest goes: each time the store's articles fill a block of `block` sequence
    numbers, that block's articles are assigned (`stored()`, after each stored batch), and the rest
    at the end (`finish()`). Blocks are cut by sequence number, not by what this run read, so an
    ingest killed part-way and run again clusters the same blocks in the same order as one
    uninterrupted run. The engine stays in memory between blocks; it is rebuilt from the store only
    when another writer assigned articles in between."""

    def __init__(self, store: Any, block: int = BLOCK, workers: int = 1,
                 prepare: Callable[..., Iterator[Any]] | None = None,
                 on_article: Callable[[int], None] | None = None) -> None:
        self.store, self.block, self.workers, self.prepare, self.on_article = store, block, workers, prepare, on_article
        self.engine: StoryEngine | None = None
        self._pool: Any = None  # the featurising processes, kept from block to block
        self.chunk = 1000  # articles a transaction
        self.done_to = 0
        self.stats = {"assigned": 0, "stories": 0, "split": 0}
        #: sure languages identified while the articles were read (IngestReport.confident), taken
        #: by the featurising as their articles come instead of identifying them again
        self.confident: dict[str, Any] = {}

    def stored(self, report: Any = None) -> None:
        """After a batch was stored (an on_batch callback; the report's `confident` sure languages
        are kept for their articles): cluster every block it completed."""
        self.confident.update(getattr(report, "confident", None) or {})
        end = self.store.last_seq() // self.block * self.block
        if end > self.done_to:
            self._run(end)
            self.done_to = end

    def ready(self, engine: StoryEngine | None = None) -> None:
        """Make the engine from the store now (`engine`: a new one made ahead), before the first
        block is due; _run makes it again if another writer assigns articles in between."""
        with self.store.cluster_lock():
            if self.engine is None:
                self.engine = engine or StoryEngine()
                warm(self.store, self.engine)

    def finish(self) -> dict[str, int]:
        """Cluster whatever is left; totals of this run."""
        try:
            self._run(None)
        finally:
            self.close()
            self.confident.clear()  # those of articles that were not new to the store
        return self.stats

    def close(self) -> None:
        """End the featurising processes (finish() does; after an error, the caller does)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool, self.prepare = None, None

    def _run(self, up_to_seq: int | None) -> None:
        if self.workers > 1 and self.prepare is None:
            # one set of featurising processes for every block, started while the engine is small
            # (a process forked for each block would copy the grown engine, then wait for its first chunk)
            from functools import partial

            from ..features import prepare_ahead, worker_pool

            self._pool = worker_pool(self.workers - 1)
            self.prepare = partial(prepare_ahead, pool=self._pool, known=self.confident)
        with self.store.cluster_lock():  # the check and the assignment under one lock
            warmed = self.engine is not None and self.store.last_step() == self.engine.step
            if not warmed:
                self.engine = StoryEngine()
            backlog = self.store.unassigned_order()
            if up_to_seq is not None:
                backlog = [x for x in backlog if x[0] <= up_to_seq]
            # one block at a time, each in its own publication order: however many blocks are
            # waiting (a batch that completes two, a re-run after a kill, a clusterer that lags
            # behind the ingest), they are assigned as one uninterrupted run assigns them
            got = {"assigned": 0, "split": 0, "stories": None}
            for part in blocks_of(backlog, self.block):
                got = _cluster_locked(self.store, self.engine, self.chunk, self.on_article, self.workers,
                                      self.prepare, warmed=warmed, backlog=part)
                warmed = True  # the engine made every assignment the store now holds
                self.stats["assigned"] += got["assigned"]
                self.stats["split"] += got["split"]
            self.stats["stories"] = self.store.count_stories() if got["stories"] is None else got["stories"]


def blocks_of(backlog: list[tuple[int, Any]], block: int) -> Iterator[list[tuple[int, Any]]]:
    """(seq, ...) items sorted by seq, cut where a block of `block` sequence numbers ends."""
    for _, part in itertools.groupby(backlog, key=lambda x: (x[0] - 1) // block):
        yield list(part)



def warm(store: Any, engine: StoryEngine) -> None:
    """Rebuild the engine from the store: document frequencies replayed in processing order, the
    stories inside the window rebuilt, and a loader that brings older ones back for late articles."""
    from ..dates import to_iso, to_timestamp

    def cold(ts: float) -> list[tuple[str, list[Member]]]:
        start, end = to_iso(str(int(ts - engine.window))), to_iso(str(int(ts + engine.window)))
        out = []
        for story_id in store.stories_between(start or "", end or ""):
            if story_id not in engine.stories:
                rows = store.assigned_articles(story_id)
                if rows:
                    out.append((story_id, [(seq, a, dup, step) for seq, a, _, dup, step in rows]))
        return out

    engine.cold_loader = cold
    engine.merged.update(store.merged_stories())  # a split never takes an id a merge retired
    engine.links.update(store.story_links())
    assigned = store.assigned_articles()
    if not assigned:
        return
    members: dict[str, list[Member]] = {}
    stamps = []
    for seq, article, story_id, dup, step in assigned:
        engine.dfs.add(featurize(article, shingle_size=0).terms)
        members.setdefault(story_id, []).append((seq, article, dup, step))
        ts = to_timestamp(article.published_at)
        if ts is not None:
            stamps.append(ts)
    engine.now_ts = max(stamps) if stamps else None
    engine.seq, engine.step = assigned[-1][0], assigned[-1][4]
    for story_id, ms in members.items():
        # the window test of in_window(), on the members' dates, before paying for a rebuild
        times = [t for t in (to_timestamp(a.published_at) for _, a, _, _ in ms) if t is not None]
        if times and engine.now_ts is not None:
            hot = min(times) - engine.window <= engine.now_ts <= max(times) + engine.window
        else:
            hot = max(step for *_, step in ms) >= engine.step - engine.window_articles
        if hot:
            engine.stories[story_id] = engine.rebuild(story_id, ms)
    engine.restore_archive(store.story_archive())  # the evicted stories' records, as the engine left them

