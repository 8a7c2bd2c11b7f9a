"""Eviction and memory: stories outside the window leave the hot index (they stay in the store and
come back, rebuilt from their members, for a late article), cached weights of idle stories are
dropped, and the garbage collector runs between chunks rather than inside an assignment."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..dedup import signature, wire_credit
from ..features import ArticleFeatures, featurize
from .hot import _NO_SIGNATURE, HotStory, Member

if TYPE_CHECKING:
    import numpy as np

    from ..features import DocumentFrequencies

# articles after which a story's unread cached weights are dropped (evict; on 100,000 generated
# articles 1000 -> 300 took 64 bytes per retained article off, 100 another 27 but cost 2 % more time)
IDLE_WEIGHTS = 300
COOL_EVERY = 100  # articles between two passes of StoryEngine._cool


class MemoryMixin:
    """StoryEngine's eviction, cooling and rebuilding. Owns `_warm` (stories by when last weighed),
    `_since_evict`, `evicted` and the `cold_loader` that brings stored stories back."""

    stories: dict[str, HotStory]
    dfs: DocumentFrequencies
    now_ts: float | None
    window: float
    window_articles: int
    seq: int
    step: int
    evicted: int
    _since_evict: int
    _warm: dict[int, HotStory]
    cold_loader: Callable[[float], list[tuple[str, list[Member]]]] | None
    archive_story: Callable[[HotStory], None]  # archive.ArchiveMixin

    def load_cold(self, ts: float) -> None:
        """Bring stored stories around an old date back into the hot index, so a late article can join them."""
        if self.cold_loader is None:
            return
        for story_id, members in self.cold_loader(ts):
            if story_id in self.stories:
                continue
            self.stories[story_id] = self.rebuild(story_id, members)

    def rebuild(self, story_id: str, members: list[Member],
                known: dict[str, tuple[ArticleFeatures, np.ndarray]] | None = None) -> HotStory:
        """A story as the engine held it, replayed from its stored members in processing order.
        `known`: features and signatures already computed for some originals (a review has them)."""
        from ..dates import to_timestamp

        s = HotStory(id=story_id, first_seq=members[0][0])
        seq, step = self.seq, self.step
        known = known or {}
        for mseq, article, dup, mstep in members:
            self.seq, self.step = mseq, mstep
            if dup is not None:  # a copy adds its outlet, language and date only (see _update)
                f = ArticleFeatures(timestamp=to_timestamp(article.published_at), language=article.language)
                self._update(s, article, f, _NO_SIGNATURE, dup, wire_credit(article.body))
                continue
            got = known.get(article.id)
            if got is None:
                f = featurize(article)
                got = (f, signature(f.shingles))
            self._update(s, article, got[0], got[1], dup, wire_credit(article.body))
        self.seq, self.step = seq, step
        return s


    def _cool(self) -> None:
        """Drop the cached weights of the stories no article has been compared with for
        IDLE_WEIGHTS articles (evict does it for every story, ten times less often): the weights of
        ~2,000 stories are alive at a time instead of up to ~5,000 (100k generated articles).
        `_warm` holds the stories in the order they were last weighed: the idle ones come first."""
        idle, warm = self.dfs.n - IDLE_WEIGHTS, self._warm
        gone = []
        for k, s in warm.items():
            if s._used >= idle:
                break
            gone.append(k)
        for k in gone:
            warm.pop(k)._w = None

    def evict(self) -> int:
        """Drop stories outside the window from the hot index (they stay in the store), and the
        cached weights of stories no article has been compared with for IDLE_WEIGHTS articles
        (recomputed, identical, if one is: on 100,000 generated articles 56 % of hot stories are
        that idle, and their weights were an eighth of the engine's memory)."""
        self._since_evict = 0
        self._cool()
        old = []
        idle = self.dfs.n - IDLE_WEIGHTS
        for sid, s in self.stories.items():
            if s._w is not None and s._used < idle:
                s._w = None
            if self.now_ts is not None and s.last_ts is not None:
                if s.last_ts < self.now_ts - self.window:
                    old.append(sid)
            elif s.last_step < self.step - self.window_articles:
                old.append(sid)
        for sid in old:
            s = self.stories.pop(sid)
            self._unpost(s)
            self.archive_story(s)
        self.evicted += len(old)
        return len(old)


class CollectBetweenChunks:
    """The cyclic garbage collector runs between chunks, not inside an article's assignment: the
    engine holds hundreds of thousands of containers, and a collection that lands inside `add`
    makes that article wait for a scan of the whole heap. Young objects are collected at every
    chunk end; once FULL_EVERY articles have gone by, everything allocated since the last such
    point is collected and what survives is moved out of the collector's sight (gc.freeze), so a
    full collection scans what is new, not the whole engine again. The engine's structures hold no
    reference cycles, so they are freed by reference counting as they always were; outside a
    clustering run the collector is as it was. Runs nest (a process that only clusters wraps all
    its runs in one): the outermost one alone switches the collector off and back, so what was
    frozen stays frozen from one run to the next instead of being scanned again by each."""

    FULL_EVERY = 5000
    _depth = 0  # runs open in this process
    _was_enabled = True

    def __enter__(self) -> CollectBetweenChunks:
        import gc

        cls = CollectBetweenChunks
        if cls._depth == 0:
            cls._was_enabled = gc.isenabled()
            gc.disable()
        cls._depth += 1
        self.since_full = 0
        return self

    def chunk_done(self, articles: int) -> None:
        import gc

        self.since_full += articles
        if self.since_full >= self.FULL_EVERY:
            self.since_full = 0
            gc.collect()
            gc.freeze()
        else:
            gc.collect(0)

    def __exit__(self, *exc: Any) -> None:
        import gc

        cls = CollectBetweenChunks
        cls._depth -= 1
        if cls._depth == 0:
            gc.unfreeze()
            if cls._was_enabled:
                gc.enable()
