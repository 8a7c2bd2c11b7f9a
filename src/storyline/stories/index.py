"""The index of hot stories: the keys a story is posted under (its members' heaviest terms and
entities, features.index_keys), the postings (key -> story handles), and the candidates an
article is scored against (those posted under most of its keys, inside the window)."""
from __future__ import annotations

import heapq
import itertools
import operator
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from .hot import HotStory, kernels
from .model import ArticleVectors

if TYPE_CHECKING:
    from ..features import DocumentFrequencies

TOP_QUERY_TERMS = 10
MAX_CANDIDATES = 10
FULL_SCORE = 4
MAX_POSTING = 150  # a term shared by more hot stories than this does not discriminate


class IndexMixin:
    """StoryEngine's index: owns `index`, `by_handle`, `_handles` and the per-handle arrays that
    choosing candidates reads (`_tie`, `_first_ts`, `_last_ts`, `_last_step`)."""

    index: dict[int, array | int]
    by_handle: dict[int, HotStory]
    _tie: np.ndarray
    _first_ts: np.ndarray
    _last_ts: np.ndarray
    _last_step: np.ndarray
    window: float
    window_articles: int
    step: int
    dfs: DocumentFrequencies
    _warm: dict[int, HotStory]

    def in_window(self, s: HotStory, ts: float | None) -> bool:
        """A story is a candidate when the article falls inside its time span widened by the window
        (or, undated, when it was touched within the last `window_articles` articles)."""
        if ts is not None and s.last_ts is not None and s.first_ts is not None:
            return s.first_ts - self.window <= ts <= s.last_ts + self.window
        return s.last_step >= self.step - self.window_articles

    def candidates(self, av: ArticleVectors) -> list[HotStory]:
        """The hot stories posted under most of the article's keys (at most 3 x MAX_CANDIDATES, most
        hits first, ties by id), kept when the article falls in their window, MAX_CANDIDATES at most.
        Every posting names a hot story: eviction, merges and splits unpost what they remove."""
        index = self.index
        hits = array("i")
        for t in itertools.chain(av.top_terms[:TOP_QUERY_TERMS], map(operator.invert, av.top_entities)):
            p = index.get(t)
            if type(p) is int:  # the one story posted there
                hits.append(p)
            elif p is not None and len(p) <= MAX_POSTING:
                hits += p
        if not hits:
            return []
        ts = av.f.timestamp
        chosen = kernels.rank_candidates(np.frombuffer(hits, dtype=np.int32), self._tie, self._first_ts,
                                         self._last_ts, self._last_step, np.nan if ts is None else ts, self.window,
                                         self.step, self.window_articles, MAX_CANDIDATES * 3, MAX_CANDIDATES)
        by_handle = self.by_handle
        return [by_handle[h] for h in chosen.tolist()]

    def shortlist(self, av: ArticleVectors) -> list[HotStory]:
        """The stories worth the full features: a cascade, one cosine for every candidate and the
        full features for the closest FULL_SCORE."""
        cands = self.candidates(av)
        if len(cands) > FULL_SCORE:
            dfs, cosine = self.dfs, kernels.cosine

            def closeness(s: HotStory) -> float:
                w, norms, _ = s.weighed(dfs, self._warm)
                return cosine(av.ids, av.w, av.off, av.norms, 0, s.ids, w, s.off, norms, 0)

            cands = heapq.nlargest(FULL_SCORE, cands, key=closeness)
        return cands


    def _index(self, s: HotStory, av: ArticleVectors) -> None:
        """Post the story under its new member's top terms and entities (the union over members
        approximates the story's own top terms without recomputing its centroid)."""
        self._post(s, av.top_terms + [~t for t in av.top_entities])

    def _post(self, s: HotStory, keys: Iterable[int]) -> None:
        index, terms, ents, h = self.index, s.posted, s.posted_ents, self._sync(s)
        for t in keys:
            posting = index.get(t)
            if posting is None:
                index[t] = h
            elif type(posting) is int:
                if posting == h:
                    continue
                index[t] = array("i", (posting, h) if posting < h else (h, posting))
            elif posting[-1] < h:
                posting.append(h)
            else:
                i = bisect_left(posting, h)
                if posting[i] == h:
                    continue
                posting.insert(i, h)
            if t >= 0:  # kept in 4 bytes: term ids as they are, entity keys (~id) as their ids
                terms.append(t)
            else:
                ents.append(~t)

    def _sync(self, s: HotStory) -> int:
        """The story's handle (a new one the first time: handles only grow, so a new story's goes at
        the end of every posting), with what rank_candidates reads about it brought up to date."""
        h = s.handle
        if not h:
            h = s.handle = next(self._handles)
            self.by_handle[h] = s
            if h >= len(self._tie):
                grow = len(self._tie)
                self._tie = np.concatenate([self._tie, np.zeros(grow, dtype=np.int64)])
                self._first_ts = np.concatenate([self._first_ts, np.full(grow, np.nan)])
                self._last_ts = np.concatenate([self._last_ts, np.full(grow, np.nan)])
                self._last_step = np.concatenate([self._last_step, np.zeros(grow, dtype=np.int64)])
            self._tie[h] = _tie_key(s.id)
        self._first_ts[h] = np.nan if s.first_ts is None else s.first_ts
        self._last_ts[h] = np.nan if s.last_ts is None else s.last_ts
        self._last_step[h] = s.last_step
        return h

    def _unpost(self, s: HotStory) -> None:
        """Take a story out of the postings it was posted under: its own keys only, so the cost is
        the story's, not the postings' (a common term's posting holds thousands of stories)."""
        index, h = self.index, s.handle
        for t in s.posted_keys():
            posting = index.get(t)
            if posting is None:
                continue
            if type(posting) is int:
                if posting == h:
                    del index[t]
                continue
            i = bisect_left(posting, h)
            if i < len(posting) and posting[i] == h:
                if len(posting) == 1:
                    del index[t]
                else:
                    del posting[i]
        self.by_handle.pop(h, None)


def _tie_key(story_id: str) -> int:
    """The order candidates with as many hits are taken in: the story ids' order for the engine's
    own ids ("s" + 11 hex digits, story_id_for); any other id after them, by its crc32."""
    if len(story_id) == 12 and story_id[0] == "s":
        try:
            return int(story_id[1:], 16)
        except ValueError:
            pass
    return (1 << 48) + zlib.crc32(story_id.encode())
