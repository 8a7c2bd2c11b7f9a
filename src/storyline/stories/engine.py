"""The story engine: the hot index of recent stories and the decision to join or to start one,
made of the parts in this package (each a mixin over the state set up here)."""
from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from ..dedup import DedupConfig
from ..features import DocumentFrequencies, load_df_prior
from ..model import Article
from .archive import ArchivedStory, ArchiveMixin
from .assign import Assignment, AssignMixin
from .crosslingual import CrossLingualMixin
from .hot import HotStory, Member
from .index import IndexMixin
from .memory import MemoryMixin
from .model import DAY, ScoringMixin, StoryModel
from .review import ReviewMixin


class StoryEngine(AssignMixin, ScoringMixin, IndexMixin, ReviewMixin, MemoryMixin, CrossLingualMixin, ArchiveMixin):
    """The hot index of recent stories and the decision to join or to start one."""

    def __init__(self, model: StoryModel | None = None, dedup: DedupConfig | None = None,
                 window_days: float = 7.0, window_articles: int = 50_000, use_prior: bool = True,
                 semantic: bool | None = None) -> None:
        self.model = model or StoryModel.load()
        self.dedup = dedup or DedupConfig()
        self.window = window_days * DAY
        self.window_articles = window_articles
        self._prior_df, self._prior_n = load_df_prior() if use_prior else ({}, 0)
        self.dfs = DocumentFrequencies(self._prior_df, self._prior_n)
        self.stories: dict[str, HotStory] = {}
        #: term id (entities: ~id) -> the handles of the hot stories posted under it, an ascending
        #: array of 4-byte ints (a set of story ids cost 15 times the memory), or the one handle
        #: itself while only one story is posted there (half the keys: an array costs ~100 bytes)
        self.index: dict[int, array | int] = {}
        self.by_handle: dict[int, HotStory] = {}
        self._handles = itertools.count(1)
        #: per handle, what choosing candidates reads (kernels.rank_candidates): the tie key (from
        #: the story id), first and last timestamp (NaN: none) and last step
        self._tie = np.zeros(1024, dtype=np.int64)
        self._first_ts = np.full(1024, np.nan)
        self._last_ts = np.full(1024, np.nan)
        self._last_step = np.zeros(1024, dtype=np.int64)
        self.merged: dict[str, str] = {}
        #: main language -> ids of the hot stories that had it (semantic tier; see _told_in)
        self._by_language: dict[str, set[str]] = {}
        self.now_ts: float | None = None
        self.seq = 0
        self.step = 0  # articles processed, in processing order
        self.auto_evict = True  # cluster_store evicts after each saved chunk instead
        self._since_evict = 0
        #: the stories weighed (HotStory.weighed), by id(), least recently first: what _cool looks at
        self._warm: dict[int, HotStory] = {}
        self.evicted = 0  # stories evicted so far (those that left the hot index for the store)
        #: called with an old timestamp; returns (story id, members) of stored stories around it
        self.cold_loader: Callable[[float], list[tuple[str, list[Member]]]] | None = None
        #: evicted stories' records (archive.py), their postings by entity, and the links found:
        #: story id -> the earlier story it continues (one entry per linked story, kept for good)
        self.archive: dict[str, ArchivedStory] = {}
        self._archive_index: dict[int, list[int] | int] = {}
        self._by_archive_handle: dict[int, ArchivedStory] = {}
        self._archive_handles = itertools.count(1)
        self.links: dict[str, str] = {}
        self.archive_changes: dict[str, dict[str, Any] | None] | None = None  # cluster_store sets {}
        self.link_trace: list[tuple[str, str | None, float, int, int]] | None = None
        # cross-lingual linking, with the semantic tier installed (see _other_language)
        from ..semantic import available

        self.semantic = available() if semantic is None else semantic
        self.embedded = 0  # headlines and leads embedded so far
        self.linked_across = 0  # articles that joined a story in another language
        self.names_refused = 0  # probable candidates not joined for sharing only a name (_joinable)
        self._names_only: set[str] = set()
        self.cascaded = 0  # articles whose uncertain decision the semantic tier looked at again
        self._identified: tuple[str, str | None] | None = None  # (article id, its sure language)

    def story_row(self, story_id: str) -> dict[str, Any]:
        row = self.stories[story_id].row(self.dfs, self.seq, self._warm)
        row["continues"] = self.continues(story_id)
        return row

    def run(self, articles: Iterable[Article]) -> Iterator[Assignment]:
        """Assign a whole stream, in the order given."""
        for a in articles:
            yield self.add(a)

