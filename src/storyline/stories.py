"""Streaming story assignment: each article joins the best hot story or starts a new one.

Scoring is a learned decision (logistic regression, fitted on ECB+ train by
tools/fit_story_model.py and shipped in models/story_model.json) over cheap features of the
article against a story: TF-IDF cosine of the whole text and of title+lead with stream-updated
IDF, entity-candidate cosine, shared numbers, publication-time proximity, size and language.
A story that has grown is reviewed (`StoryEngine.review`) and split when its originals form two
events. Story ids come from the founding article, so they are stable; a merge keeps the older id
and a split leaves the founding article's half under it.
"""
from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import json
import math
import operator
import sys
import time
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np

from .dedup import _CHANCE, DedupConfig, signature, wire_credit
from .features import (
    ENTS,
    LEAD,
    PACK_HEAD,
    SECTIONS,
    TERMS,
    TOP,
    ArticleFeatures,
    DocumentFrequencies,
    featurize,
    packed,
    term_ids,
)
from .model import Article, voice


class _Lazy:
    """A module imported on first attribute access: the compiled kernels (numba, ~50 MB and a
    quarter second) are paid for by the commands that cluster, not by every import of storyline.
    A plain import under the import system's own locks, not importlib's LazyLoader, which is not
    thread-safe before Python 3.12: a featurising pool's result thread touching the module while
    the main thread loads it saw it half-made ("cannot import name 'frequency_table'")."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            import importlib

            self._module = importlib.import_module(self._name)
        value = getattr(self._module, attr)
        setattr(self, attr, value)  # read directly from then on, without this call
        return value


kernels: Any = _Lazy("storyline.kernels")

FEATURES = ["cos_contrast", "cos_terms", "cos_lead", "cos_ent", "num_overlap", "top_ent_in_story", "story_ent_in_article",
            "year_match", "lead_num", "title_ent_in_story", "top1_in_story", "story_top1_in_article", "lead_max", "log_len", "time_sim", "has_time", "log_size", "same_lang"]
TOP_INDEX_TERMS = 20
TOP_QUERY_TERMS = 10
MAX_CANDIDATES = 10
FULL_SCORE = 4
MAX_POSTING = 150  # a term shared by more hot stories than this does not discriminate
CENTROID_TERMS = 150
LEAD_VECTORS = 3  # the title+lead vectors of a story's first originals, for the lead_max feature
# articles after which a story's unread cached weights are dropped (evict; on 100,000 generated
# articles 1000 -> 300 took 64 bytes per retained article off, 100 another 27 but cost 2 % more time)
IDLE_WEIGHTS = 300
COOL_EVERY = 100  # articles between two passes of StoryEngine._cool
REVIEW_MAX = 60  # stories with more originals than this are settled and not reviewed
REVIEW_LEVELS = (6, 12, 24, 48)  # doubling: as good on ECB+ train as finer levels, and cheaper
DAY = 86400.0

#: a stored member of a story: (article seq, article, duplicate of, processing step)
Member = tuple[int, Article, "str | None", int]


@dataclass
class StoryModel:
    coef: list[float]
    intercept: float
    threshold: float = 0.5
    linkage: str = "centroid"  # or "average": the mean probability over the story's recent originals
    members: int = 8
    merge_threshold: float = 0.97
    time_scale_days: float = 3.0
    split_threshold: float = 0.0  # a reviewed story splits when its halves hold together less than this (see review)
    split_min_part: int = 3
    #: the semantic cascade (tools/fit_cascade.py): where the lexical probability falls in
    #: [low, high), the semantic tier looks again: sigmoid(coef . [logit p, cosine] + intercept)
    cascade: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: str | None = None) -> StoryModel:
        if path:
            with open(path) as f:
                data = json.load(f)
        else:
            data = json.loads((resources.files("storyline") / "models" / "story_model.json").read_text())
        return cls(coef=data["coef"], intercept=data["intercept"], threshold=data["threshold"],
                   linkage=data.get("linkage", "centroid"), members=data.get("members", 8),
                   merge_threshold=data.get("merge_threshold", 0.97),
                   time_scale_days=data.get("time_scale_days", 3.0),
                   split_threshold=data.get("split_threshold", 0.0), split_min_part=data.get("split_min_part", 3),
                   cascade=data.get("cascade"))

    def probability(self, x: list[float]) -> float:
        z = self.intercept + sum(map(operator.mul, self.coef, x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class ArticleVectors:
    """An article's packed bags (kernels.py) weighted by the stream's IDF: ids, weights, section
    offsets and norms, its TOP heaviest entities and its headline's entities."""

    f: ArticleFeatures
    ids: np.ndarray
    w: np.ndarray
    off: np.ndarray
    norms: np.ndarray
    top: np.ndarray  # the 5 heaviest entities, ties by first mention (kernels.heaviest)
    title: np.ndarray
    # the keys it is posted and looked up under: its TOP_INDEX_TERMS heaviest terms and 10 heaviest
    # entities, heaviest first, weighed by the shipped prior IDF, not the stream's, so that they
    # depend on the article alone and a story rebuilt later is posted exactly where it was
    top_terms: list[int] = field(default_factory=list)
    top_entities: list[int] = field(default_factory=list)
    _counts: np.ndarray | None = None

    def no_counts(self) -> np.ndarray:
        if self._counts is None:
            self._counts = np.zeros(int(self.off[1] - self.off[0]), dtype=np.int64)
        return self._counts


VOICES_AS_TUPLE = 32
TALLY_AS_TUPLE = 8

#: counts of a few strings, as a story keeps them: a flat tuple (key, count, key, count, ...) while at
#: most TALLY_AS_TUPLE keys, then a Counter; in the order first seen either way. Most stories count
#: one or two numbers, one year, a few outlets: a Counter of one key costs 224 bytes, the tuple 72
Tally = tuple[Any, ...] | Counter[str]


def _counted(t: Tally, key: str, n: int = 1) -> Tally:
    """The tally with `key` counted `n` more times (a new tuple, or the same Counter updated)."""
    if type(t) is tuple:
        try:
            i = t.index(key)  # keys are strings, counts integers: a key never equals a count
        except ValueError:
            if len(t) < 2 * TALLY_AS_TUPLE:
                return (*t, key, n)
        else:
            return (*t[:i + 1], t[i + 1] + n, *t[i + 2:])
    return _tally_merged(t, ((key, n),))


def _tally_merged(t: Tally, pairs: Iterable[tuple[str, int]]) -> Tally:
    """Counter.update: each (key, count) of `pairs` added, new keys after the old ones."""
    if type(t) is not tuple:
        for key, n in pairs:
            t[key] += n
        return t
    flat = list(t)
    for key, n in pairs:
        try:
            i = flat.index(key)  # keys are strings, counts integers: a key never equals a count
        except ValueError:
            flat += (key, n)
        else:
            flat[i + 1] += n
    if len(flat) > 2 * TALLY_AS_TUPLE:
        return Counter(dict(zip(flat[::2], flat[1::2])))
    return tuple(flat)


def _tally_items(t: Tally) -> Iterable[tuple[str, int]]:
    return zip(t[::2], t[1::2]) if type(t) is tuple else t.items()  # type: ignore[union-attr]


def _tally_keys(t: Tally) -> Iterable[str]:
    return t[::2] if type(t) is tuple else t.keys()  # type: ignore[union-attr]


def _tally_len(t: Tally) -> int:
    return len(t) // 2 if type(t) is tuple else len(t)


def _with_voices(voices: tuple[str, ...] | set[str], more: Iterable[str]) -> tuple[str, ...] | set[str]:
    """A story's voices with `more` (distinct voices) added: a tuple while at most VOICES_AS_TUPLE, then a set."""
    if isinstance(voices, set):
        voices.update(more)
        return voices
    new = [v for v in more if v not in voices]
    if not new:
        return voices
    return (*voices, *new) if len(voices) + len(new) <= VOICES_AS_TUPLE else {*voices, *new}


class _Unpacked:
    """One of a story's packed arrays (kernels.unpack, by position), read-only, for what reads a
    story outside the kernels (the kernels take the pack itself)."""

    def __init__(self, k: int, doc: str) -> None:
        self.k, self.__doc__ = k, doc

    def __get__(self, story: HotStory | None, owner: type | None = None) -> Any:
        return self if story is None else kernels.unpack(story.pack)[self.k]


_NO_BAGS = (np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int16), np.zeros(SECTIONS + 1, dtype=np.int64))
_NO_PACK = bytes(4 * PACK_HEAD)  # a story's pack with empty bags and no signatures


@dataclass(slots=True)
class HotStory:
    """A story as the engine holds it: its bags packed into sorted arrays (kernels.py: terms and
    title+lead as sums of 1 + log count, entities as counts, each capped at CENTROID_TERMS once past
    twice that, and the title+lead terms of its first three originals), the weights of the current
    IDF snapshot computed when first needed, and what the store and the features read."""

    id: str
    first_seq: int
    #: its bags and its originals' signatures in one bytes object (kernels.story_pack), read through
    #: the kernels, or as arrays through ids, cnt, rk, off and sigs
    pack: bytes = _NO_PACK
    n_leads: int = 0
    #: the numbers of its originals' text and of their leads, their years, languages and outlets, each a
    #: Tally (counts, in the order first seen)
    nums: Tally = ()
    lead_nums: Tally = ()
    size: int = 0
    first_ts: float | None = None
    last_ts: float | None = None
    last_seq: int = 0
    last_step: int = 0
    languages: Tally = ()
    outlets: Tally = ()
    #: its independent voices (model.voice): a tuple while few, a set past VOICES_AS_TUPLE (a
    #: set of five costs 728 bytes, a tuple 80; only their number is read)
    independent: tuple[str, ...] | set[str] = ()
    originals: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    years: Tally = ()
    year: str | None = None  # the most frequent
    language: str | None = None  # the most frequent
    singles: tuple[HotStory, ...] = ()  # recent originals, each as a one-article story (average linkage)
    first_at: str | None = None
    last_at: str | None = None
    #: the founding article's headline and lead, zlib-compressed (semantic tier only; read back
    #: by lead() when an uncertain decision or another language needs its embedding, which is rare)
    emb_text: bytes | None = None
    emb: np.ndarray | None = None  # its embedding, computed the first time it is needed
    #: the founder's text as language identification reads it (semantic tier, founder with a
    #: language): identified only when an article in another language looks for a home, then dropped
    lang_sample: str | None = None
    _sure: tuple[str | None] | None = None
    #: the index keys this story was posted under, 4 bytes each: term ids, and the ids of entity keys (~id)
    posted: array = field(default_factory=lambda: array("I"))
    posted_ents: array = field(default_factory=lambda: array("I"))
    #: the story's handle in the index's postings (StoryEngine._post), 0 until first posted
    handle: int = 0
    #: (IDF epoch, weights, section norms, TOP heaviest entities), dropped when the bags change
    _w: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None
    _used: int = 0  # the stream's article count when the weights were last read (StoryEngine.evict)

    ids = _Unpacked(0, "its term ids, sorted within each section")
    cnt = _Unpacked(1, "their counts (float32)")
    rk = _Unpacked(2, "each term's rank in its bag (kernels.py), for the first LEADS sections")
    off = _Unpacked(3, "where each section starts")

    @property
    def sigs(self) -> np.ndarray:
        """Its originals' signatures, one row each, in the order of the originals."""
        sigs, width = kernels.unpack(self.pack)[4:]
        return sigs.reshape(-1, width) if width else sigs.reshape(0, 0)

    def lead(self) -> str:
        """The founding article's headline and lead (emb_text), as lead_text made it."""
        return zlib.decompress(self.emb_text).decode() if self.emb_text else ""

    def posted_keys(self) -> list[int]:
        """The index keys this story was posted under (entity keys as ~id again)."""
        return [*self.posted, *(~e for e in self.posted_ents)]

    def weighed(self, dfs: DocumentFrequencies,
                warm: dict[int, HotStory] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weights, section norms and heaviest entities under the current IDF snapshot, cached (and
        the story moved to the end of `warm`, stories in the order last weighed, for StoryEngine._cool)."""
        self._used = dfs.n
        c = self._w
        if c is None or c[0] != dfs.epoch:
            c = self._w = (dfs.epoch, *kernels.weigh_pack(self.pack, *dfs.arrays()))
        if warm is not None:
            k = id(self)
            warm.pop(k, None)
            warm[k] = self
        return c[1], c[2], c[3]

    def founder_language(self) -> str | None:
        """The founding article's language when identified with confidence (language.sure_language),
        computed the first time it is asked for."""
        if self._sure is None:
            from .language import sure_language

            self._sure = (sure_language(self.lang_sample) if self.lang_sample else None,)
            self.lang_sample = None
        return self._sure[0]

    def bag(self, section: int) -> dict[int, float]:
        """One bag as {term id: value} (terms and lead: sums of 1 + log count; entities: counts)."""
        ids, cnt, _, off, _, _ = kernels.unpack(self.pack)
        lo, hi = int(off[section]), int(off[section + 1])
        return dict(zip(ids[lo:hi].tolist(), cnt[lo:hi].tolist()))

    def row(self, dfs: DocumentFrequencies, seq: int, warm: dict[int, HotStory] | None = None) -> dict[str, Any]:
        return {"id": self.id, "title": self.title(dfs, warm), "articles": self.size,
                "sources": _tally_len(self.outlets), "independent": len(self.independent),
                "first_at": self.first_at, "last_at": self.last_at, "updated_seq": seq,
                "outlets": dict(sorted(_tally_items(self.outlets), key=operator.itemgetter(1), reverse=True))}

    def title(self, dfs: DocumentFrequencies, warm: dict[int, HotStory] | None = None) -> str:
        """The most representative headline: the one closest to the story's centroid."""
        if len(self.titles) < 2:  # nothing to choose between (most stories touched in a chunk are new)
            return self.titles[0] if self.titles else ""
        w, norms, _ = self.weighed(dfs, warm)
        ids, _, _, off, _, _ = kernels.unpack(self.pack)
        lo, hi, norm = int(off[TERMS]), int(off[TERMS + 1]), float(norms[TERMS])
        table = dfs.arrays()
        return max(self.titles, key=lambda t: (kernels.closeness_to(*_headline_terms(t), *table, ids, w, lo, hi,
                                                                    norm), -len(t)))


_NO_MERGES: Mapping[str, str] = MappingProxyType({})


@dataclass(slots=True)
class Assignment:
    article_id: str
    story_id: str
    seq: int
    score: float
    duplicate_of: str | None = None
    wire: str | None = None
    #: stories this article's arrival merged, {gone id: kept id}: a shared empty mapping until one
    #: does (most never do; an empty dict each was a third of an assignment's memory)
    merged: Mapping[str, str] = field(default_factory=lambda: _NO_MERGES)
    step: int = 0

    def row(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "story_id": self.story_id, "duplicate_of": self.duplicate_of,
                "wire": self.wire, "score": round(self.score, 4), "seq": self.seq, "step": self.step}


_NO_SIGNATURE = np.zeros(0, dtype=np.uint8)
_LOG2 = math.log1p(1)  # log_size of a one-article story
SINGLE = "single"  # the id of a one-article story (StoryEngine.one_article_story)
#: the embedding cosine from which an article joins a story in another language: on ECB+ train,
#: lead embeddings this close are the same story 94% of the time (recall 31%), precision first
CROSS_LINGUAL_THRESHOLD = 0.75


def story_id_for(article_id: str) -> str:
    return "s" + hashlib.sha1(("story:" + article_id).encode()).hexdigest()[:11]


class StoryEngine:
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
        # cross-lingual linking, with the semantic tier installed (see _other_language)
        from .semantic import available

        self.semantic = available() if semantic is None else semantic
        self.embedded = 0  # headlines and leads embedded so far
        self.linked_across = 0  # articles that joined a story in another language
        self.cascaded = 0  # articles whose uncertain decision the semantic tier looked at again
        self._identified: tuple[str, str | None] | None = None  # (article id, its sure language)

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
        from .dates import to_timestamp

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

    # -- scoring ----------------------------------------------------------------------------
    def vectors(self, f: ArticleFeatures) -> ArticleVectors:
        ids, counts, ranks, off = packed(f)
        w, norms, top = kernels.weigh(ids, counts, ranks, off, *self.dfs.arrays())
        if f.keys is not None and self._prior_df is load_df_prior()[0]:
            terms, ents = f.keys  # computed ahead with the shipped prior, which this engine uses
        else:
            terms, ents = index_keys(f, (self._prior_df, self._prior_n))
        return ArticleVectors(f, ids, w, off, norms, top, np.array(f.title_entities, dtype=np.int64), terms, ents)

    def contrast_counts(self, av: ArticleVectors, cands: list[HotStory]) -> np.ndarray:
        """For each article term (in the order of its packed terms), how many of the competing
        candidate stories contain it."""
        counts = np.zeros(int(av.off[1] - av.off[0]), dtype=np.int64)
        for c in cands:
            kernels.count_shared(av.ids, av.off, c.ids, c.off, counts)
        return counts

    def features(self, f: ArticleFeatures, s: HotStory, av: ArticleVectors | None = None,
                 counts: np.ndarray | None = None) -> list[float]:
        """Features of the article against one story. `counts` (terms shared with the competing
        candidates) lets a term common to two similar stories count less than one only this story has."""
        av = av or self.vectors(f)
        sw, snorms, stop = s.weighed(self.dfs)
        k = kernels.pair_features(av.ids, av.w, av.off, av.norms, av.top, av.title,
                                  av.no_counts() if counts is None else counts, s.ids, sw, s.off, snorms, stop)
        return self._with_lexical(f, s, k.tolist())

    def _with_lexical(self, f: ArticleFeatures, s: HotStory, lexical: list[float]) -> list[float]:
        """The model's features from the kernel's lexical ten and what the story keeps beside its bags."""
        cos_contrast, cos_terms, cos_lead, cos_ent, top_in, story_in, title_in, top1, story_top1, lead_max = lexical
        if f.nums and s.nums:
            num_overlap = len(f.nums.intersection(_tally_keys(s.nums))) / math.sqrt(len(f.nums) * _tally_len(s.nums))
        else:
            num_overlap = 0.0
        year_match = 0.0 if not (f.year and s.year) else (1.0 if f.year == s.year else -1.0)
        if f.lead_nums and s.lead_nums:
            lead_num = -1.0 if f.lead_nums.isdisjoint(_tally_keys(s.lead_nums)) else 1.0
        else:
            lead_num = 0.0
        if f.timestamp is not None and s.last_ts is not None and s.first_ts is not None:
            gap = max(0.0, s.first_ts - f.timestamp, f.timestamp - s.last_ts)
            time_sim, has_time = math.exp(-gap / (self.model.time_scale_days * DAY)), 1.0
        else:
            time_sim, has_time = 0.0, 0.0
        same_lang = 1.0 if (f.language is None or s.language is None or f.language == s.language) else 0.0
        return [cos_contrast, cos_terms, cos_lead, cos_ent, num_overlap,
                top_in, story_in, year_match, lead_num, title_in, top1, story_top1, lead_max, math.log1p(_distinct_terms(f)),
                time_sim, has_time, math.log1p(s.size), same_lang]

    def score(self, f: ArticleFeatures, s: HotStory, av: ArticleVectors, counts: np.ndarray | None = None) -> float:
        """The probability that the article belongs to the story: against its centroid, or the
        mean over its most recent originals (average link, as agglomerative clustering does)."""
        if self.model.linkage == "average" and s.singles:
            return sum(self.model.probability(self.features(f, m, av, counts)) for m in s.singles) / len(s.singles)
        return self.model.probability(self.features(f, s, av, counts))

    def story_probability(self, a: HotStory, b: HotStory) -> float:
        """Probability that two stories are one: the smaller one scored as if it were an article."""
        small, big = sorted([a, b], key=lambda s: s.size)
        f = ArticleFeatures(terms=Counter(small.bag(TERMS)), lead=Counter(small.bag(LEAD)),
                            entities=Counter(small.bag(ENTS)), nums=set(_tally_keys(small.nums)),
                            lead_nums=set(_tally_keys(small.lead_nums)), timestamp=small.last_ts, language=small.language,
                            year=small.year)
        return self.model.probability(self.features(f, big))

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

    # -- the stream -------------------------------------------------------------------------
    def add(self, article: Article, seq: int | None = None, features: ArticleFeatures | None = None) -> Assignment:
        self.seq = seq if seq is not None else self.seq + 1
        self.step += 1
        f = features or featurize(article)
        if f.timestamp is not None:
            if self.now_ts is not None and f.timestamp < self.now_ts:
                self.load_cold(f.timestamp)  # a late article: stories around its date may have left memory
            self.now_ts = f.timestamp if self.now_ts is None else max(self.now_ts, f.timestamp)
        ids, _, _, off = packed(f)  # the bags as the worker packed them (prepared features carry no dicts)
        self.dfs.add(ids[off[TERMS]:off[TERMS + 1]].tolist())
        av = self.vectors(f)
        scored = self._scored(f, av)
        if self.semantic and self.model.cascade and scored:
            scored = self._cascade(article, f, scored)
        sig = f.signature if f.signature is not None else signature(f.shingles)
        dup_of, dup_story = self._find_copy(sig, [s for _, _, s in scored[:3]])
        wire = f.credit[0] if f.credit is not None else wire_credit(article.body)
        across = None
        if dup_story is not None:
            story, score = dup_story, next(p for p, _, s in scored if s is dup_story)
        elif scored and scored[0][0] >= self.model.threshold:
            score, _, story = scored[0]
        elif self.semantic and (across := self._other_language(article, f)) is not None:
            story, score = across
            self.linked_across += 1
        else:
            score = scored[0][0] if scored else 0.0
            story = HotStory(id=story_id_for(article.id), first_seq=self.seq)
            self.stories[story.id] = story
        assignment = Assignment(article.id, story.id, self.seq, score, dup_of, wire, step=self.step)
        self._update(story, article, f, sig, dup_of, wire, av)
        # two stories that turn out to be one merge, keeping the older id (a probability never
        # reaches a merge threshold above 1: merging is then off, and not paid for)
        for p, _, other in scored[:4] if self.model.merge_threshold <= 1.0 else ():
            if other is story or other.id not in self.stories or story.id not in self.stories:
                continue
            if p >= 0.5 * self.model.threshold and self.story_probability(story, other) >= self.model.merge_threshold:
                keep, gone = sorted([story, other], key=lambda s: s.first_seq)
                self._merge(keep, gone)
                assignment.merged = {**assignment.merged, gone.id: keep.id}
                story = keep
                assignment.story_id = keep.id
        self._since_evict += 1
        if self.auto_evict and self._since_evict >= 1000:
            self.evict()
        elif self._since_evict % COOL_EVERY == 0:
            self._cool()
        return assignment

    def _scored(self, f: ArticleFeatures, av: ArticleVectors) -> list[tuple[float, int, HotStory]]:
        """(probability, first seq, story) for the shortlisted candidates, most probable first: what
        shortlist, contrast_counts and score do one story at a time, in one kernel call."""
        cands = self.candidates(av)
        if not cands:
            return []
        if self.model.linkage == "average":
            short = self.shortlist(av) if len(cands) > FULL_SCORE else cands
            counts = self.contrast_counts(av, short)
            scored = [(self.score(f, s, av, counts), s.first_seq, s) for s in short]
        else:
            packs = [s.pack for s in cands]
            rows = _weighed_rows(*kernels.pack_rows(b"".join(packs), _starts(packs)), [s.weighed(self.dfs, self._warm) for s in cands])
            kept, lexical = kernels.shortlist_features(av.ids, av.w, av.off, av.norms, av.top, av.title, *rows,
                                                       FULL_SCORE)
            probability = self.model.probability
            scored = [(probability(self._with_lexical(f, cands[j], x)), cands[j].first_seq, cands[j])
                      for j, x in zip(kept.tolist(), lexical.tolist())]
        scored.sort(key=lambda x: (-x[0], x[1], x[2].id))
        return scored

    def _cascade(self, article: Article, f: ArticleFeatures,
                 scored: list[tuple[float, int, HotStory]]) -> list[tuple[float, int, HotStory]]:
        """Where the lexical decision is uncertain, meaning looks again: the top candidates whose
        probability falls in the cascade's band are rescored with the embedding cosine of the
        article's headline and lead and the story founder's (same-language stories only)."""
        c = self.model.cascade
        assert c is not None
        band = [k for k, (p, _, s) in enumerate(scored[:3]) if c["low"] <= p < c["high"] and s.emb_text
                and (not f.language or not s.languages or _most_common(s.languages) == f.language)]
        if not band:
            return scored
        from .semantic import embed_texts, lead_text

        todo = [scored[k][2] for k in band if scored[k][2].emb is None]
        if todo:
            for s, v in zip(todo, embed_texts([s.lead() for s in todo])):  # type: ignore[misc]
                s.emb = v
        e = embed_texts([lead_text(article)])[0]
        self.cascaded += 1
        out = list(scored)
        for k in band:
            p, first, s = out[k]
            logit = math.log(max(p, 1e-6) / max(1 - p, 1e-6))
            z = c["coef"][0] * logit + c["coef"][1] * float(s.emb @ e) + c["intercept"]  # type: ignore[operator]
            out[k] = (1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), first, s)
        out.sort(key=lambda x: (-x[0], x[1], x[2].id))
        return out

    def _other_language(self, article: Article, f: ArticleFeatures) -> tuple[HotStory, float] | None:
        """An article with no home among the stories of its own words may belong to a story told in
        another language: the story whose founding article's headline and lead is closest in
        meaning, if at least CROSS_LINGUAL_THRESHOLD close and inside the window. Only stories in
        another language are looked at, so same-language decisions never change."""
        from .language import sure_language

        if not f.language or not self._told_in(f.language, first=True):
            return None  # in a stream of one language there is nothing to look at, nor to identify
        lang = f.sure[0] if f.sure is not None else sure_language(article.full_text)
        self._identified = (article.id, lang)  # the founder's language, if it founds a story (_update)
        if lang is None:
            return None  # a language guessed at is no ground for linking across languages
        others = [s for s in self._told_in(f.language) if self.in_window(s, f.timestamp)
                  and (sure := s.founder_language()) and sure != lang]
        if not others:
            return None
        from .semantic import embed_texts, lead_text

        todo = [s for s in others if s.emb is None]
        if todo:  # a pure function of each founder's lead: the same whenever it is computed
            for s, v in zip(todo, embed_texts([s.lead() for s in todo])):  # type: ignore[misc]
                s.emb = v
            self.embedded += len(todo)
        e = embed_texts([lead_text(article)])[0]
        self.embedded += 1
        sims = np.stack([s.emb for s in others]) @ e
        k = int(np.argmax(sims))
        return (others[k], float(sims[k])) if sims[k] >= CROSS_LINGUAL_THRESHOLD else None

    def _told_in(self, language: str, first: bool = False) -> list[HotStory]:
        """The hot stories a cross-lingual link may reach (a founder with a language and a lead)
        whose main language is not `language`, oldest first (only the first one found, with `first`).
        Read off `_by_language`, whose stale entries (stories gone or now in another language) are
        dropped as they are met."""
        out = []
        stories = self.stories
        for lang, ids in self._by_language.items():
            if lang == language:
                continue
            stale = []
            for sid in ids:
                s = stories.get(sid)
                # a founder whose language was identified without confidence is never linked across
                # languages (founder_language() is None for good): dropped, not walked past each time
                if s is None or s.language != lang or (s._sure is not None and s._sure[0] is None):
                    stale.append(sid)
                elif s.emb_text and (s.lang_sample or s._sure):
                    out.append(s)
                    if first:
                        break
            ids.difference_update(stale)
            if first and out:
                return out
        return sorted(out, key=lambda s: (s.first_seq, s.id))

    def _find_copy(self, sig: np.ndarray, stories: list[HotStory]) -> tuple[str | None, HotStory | None]:
        best, best_j, best_story = None, self.dedup.threshold, None
        for s in stories:
            if not len(s.originals):
                continue
            i, j = kernels.closest_in_pack(sig, s.pack, _CHANCE)
            if j >= best_j and (best is None or j > best_j):
                best, best_j, best_story = s.originals[i], j, s
        return best, best_story

    def _update(self, s: HotStory, a: Article, f: ArticleFeatures, sig: np.ndarray, dup_of: str | None,
                wire: str | None, av: ArticleVectors | None = None) -> None:
        s.size += 1
        s.last_seq = self.seq
        s.last_step = self.step
        if a.source:
            s.outlets = _counted(s.outlets, sys.intern(a.source))
        if f.language:
            s.languages = _counted(s.languages, sys.intern(f.language))
            s.language = _most_common(s.languages)
            if self.semantic and s.id != SINGLE:
                self._by_language.setdefault(s.language, set()).add(s.id)
        if a.published_at:
            s.first_at = min(s.first_at or a.published_at, a.published_at)
            s.last_at = max(s.last_at or a.published_at, a.published_at)
        if f.timestamp is not None:
            s.first_ts = f.timestamp if s.first_ts is None else min(s.first_ts, f.timestamp)
            s.last_ts = f.timestamp if s.last_ts is None else max(s.last_ts, f.timestamp)
        if dup_of is not None:  # a copy adds no independent report and no new words to the story
            if s.handle:
                self._sync(s)
            return
        if self.semantic and s.emb_text is None and s.id != SINGLE:
            from .language import CONFIDENCE_SAMPLE
            from .semantic import lead_text

            # embedded only when asked (an uncertain decision, an article in another language); a
            # founder whose language is only guessed at is never matched across languages
            s.emb_text = zlib.compress(lead_text(a).encode(), 1)
            if a.language and f.sure is not None:
                s._sure = f.sure  # identified ahead, in the worker process
            elif a.language and self._identified is not None and self._identified[0] == a.id:
                s._sure = (self._identified[1],)  # identified on the same sample already (_other_language)
            else:
                s.lang_sample = a.full_text[:CONFIDENCE_SAMPLE] if a.language else None
        # one string per voice, not one per story
        v = sys.intern(voice(a.id, a.source, wire))
        if v not in s.independent:
            s.independent = _with_voices(s.independent, (v,))
        s.originals.append(a.id)
        # copied out of numba's allocation (which carries a header and a Python object of its own)
        s.pack = kernels.grow_pack(s.pack, s.n_leads, *packed(f), sig, 2 * CENTROID_TERMS, CENTROID_TERMS,
                                   s.n_leads < LEAD_VECTORS).tobytes()
        s.n_leads = min(LEAD_VECTORS, s.n_leads + 1)
        s._w = None
        # each number one string for all the stories that hold it (years and round figures recur)
        if f.nums:
            s.nums = _tally_merged(s.nums, ((sys.intern(x), 1) for x in f.nums))
            if type(s.nums) is Counter and len(s.nums) > 100:
                s.nums = Counter(dict(s.nums.most_common(50)))
        if f.lead_nums:
            s.lead_nums = _tally_merged(s.lead_nums, ((sys.intern(x), 1) for x in f.lead_nums))
            if type(s.lead_nums) is Counter and len(s.lead_nums) > 40:
                s.lead_nums = Counter(dict(s.lead_nums.most_common(20)))
        if f.year:
            s.years = _counted(s.years, f.year)
            s.year = _most_common(s.years)
        if self.model.linkage == "average" and s.id != SINGLE:
            s.singles = (*s.singles, self.one_article_story(a, f, sig, wire, av))[-self.model.members:]
        if len(s.titles) < 4 and a.title:
            s.titles.append(a.title)
        if s.id != SINGLE:
            self._index(s, av or self.vectors(f))

    def one_article_story(self, a: Article, f: ArticleFeatures, sig: np.ndarray | None = None,
                          wire: str | None = None, av: ArticleVectors | None = None) -> HotStory:
        """A story made of one article, to score another article against it; it is neither kept
        among the hot stories nor posted in the index."""
        one = HotStory(id=SINGLE, first_seq=self.seq)
        self._update(one, a, f, np.zeros(0, dtype=np.uint8) if sig is None else sig, None, wire, av)
        return one

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

    def _merge(self, keep: HotStory, gone: HotStory) -> None:
        keep.pack = kernels.combine_packs(keep.pack, keep.n_leads, gone.pack, gone.n_leads, LEAD_VECTORS).tobytes()
        keep.n_leads = min(LEAD_VECTORS, keep.n_leads + gone.n_leads)
        keep._w = None
        keep.nums = _tally_merged(keep.nums, _tally_items(gone.nums))
        keep.lead_nums = _tally_merged(keep.lead_nums, _tally_items(gone.lead_nums))
        keep.size += gone.size
        keep.outlets = _tally_merged(keep.outlets, _tally_items(gone.outlets))
        keep.languages = _tally_merged(keep.languages, _tally_items(gone.languages))
        keep.independent = _with_voices(keep.independent, gone.independent)
        keep.originals += gone.originals
        keep.titles = (keep.titles + gone.titles)[:8]
        keep.singles = (*keep.singles, *gone.singles)[-self.model.members:]
        keep.years = _tally_merged(keep.years, _tally_items(gone.years))
        keep.year = _most_common(keep.years) if keep.years else None
        keep.language = _most_common(keep.languages) if keep.languages else None
        if self.semantic and keep.language:
            self._by_language.setdefault(keep.language, set()).add(keep.id)
        if keep.emb_text is None:
            keep.emb_text, keep.emb, keep.lang_sample, keep._sure = gone.emb_text, gone.emb, gone.lang_sample, gone._sure
        for attr, pick in (("first_ts", min), ("last_ts", max), ("first_at", min), ("last_at", max)):
            vals = [v for v in (getattr(keep, attr), getattr(gone, attr)) if v is not None]
            setattr(keep, attr, pick(vals) if vals else None)
        if gone.last_step > keep.last_step:
            keep.last_seq, keep.last_step = gone.last_seq, gone.last_step
        del self.stories[gone.id]
        self._unpost(gone)
        self.merged[gone.id] = keep.id
        # posted where its members were, as a story rebuilt from all of them is
        self._post(keep, gone.posted_keys())

    def settle_merged(self, merged: dict[str, str], members_of: Callable[[str], list[Member]]) -> None:
        """After a chunk: each story that took others in is rebuilt from its members in processing
        order, so it is exactly what an engine resumed from the store would hold (the live merge
        above keeps the bags' union, not the capped bags the members build one by one)."""
        for sid in sorted({resolve_merged(self.merged, g) for g in merged}):
            s = self.stories.get(sid)
            if s is None:
                continue
            self._unpost(s)
            self.stories[sid] = self.rebuild(sid, members_of(sid))

    # -- review: a story that turns out to be two ---------------------------------------------
    def review(self, story_id: str, members: list[Member]) -> dict[str, str]:
        """Split a story whose originals form two groups that the model does not see as one event.

        The streaming decision is taken on a young story, where one wrong join (a second, similar
        event: another arrest of another player of the same team) then pulls the rest of that event
        in. Reviewing the story once it has grown: average-link over the pairwise probabilities of
        its originals cuts it in two; when the two halves score as one event less than
        `split_threshold` times as well as each half holds together, the half with the founding
        article keeps the id and the other half becomes a story of its own (id from its earliest
        article; copies follow their original). Returns the articles that moved,
        {article id: new story id}."""
        m = self.model
        originals = [x for x in members if x[2] is None]
        n = len(originals)
        if m.split_threshold <= 0 or n < 2 * m.split_min_part or n > REVIEW_MAX or story_id not in self.stories:
            return {}
        # featurised again, not kept between reviews: keeping them saved 8 % of the review's time
        # and nothing measurable overall, for 1.6 KB more per retained article (100,000 generated)
        feats = [featurize(x[1], shingle_size=0) for x in originals]
        return self._split(story_id, members, originals, feats)

    def _split(self, story_id: str, members: list[Member], originals: list[Member],
               feats: list[ArticleFeatures]) -> dict[str, str]:
        m = self.model
        probs = self.pairwise([x[1] for x in originals], feats)
        halves = _two_groups(probs)
        if halves is None:
            return {}
        a, b = halves
        if min(len(a), len(b)) < m.split_min_part or _separation(probs, a, b) >= m.split_threshold:
            return {}
        if 0 not in a:  # the founding article is the first original taken
            a, b = b, a
        moved_ids = {originals[i][1].id for i in b}
        new_id = story_id_for(originals[min(b)][1].id)
        if new_id in self.merged or new_id in self.stories:  # that id once named a story merged away
            new_id = story_id_for(originals[min(b)][1].id + "#split")
        stay: list[Member] = []
        go: list[Member] = []
        for x in members:  # a copy goes where its original goes
            (go if (x[2] or x[1].id) in moved_ids else stay).append(x)
        # both halves posted afresh under their own members' keys, as a rebuild from the store posts them
        old = self.stories[story_id]
        sigs = dict(zip(old.originals, old.sigs))  # rows in the order of the originals
        known = {x[1].id: (f, sigs[x[1].id]) for x, f in zip(originals, feats) if x[1].id in sigs}
        self._unpost(old)
        self.stories[story_id] = self.rebuild(story_id, stay, known)
        self.stories[new_id] = self.rebuild(new_id, go, known)
        return {x[1].id: new_id for x in go}

    def pairwise(self, articles: list[Article], features: list[ArticleFeatures] | None = None) -> np.ndarray:
        """The symmetric matrix of probabilities that two articles report one event: every article
        scored against every other as a one-article story. The lexical features come from the same
        kernel as the stream's (kernels.pair_features, each article's packed bags weighed once);
        equal, up to floating-point noise, to `pairwise_reference`, the path through `features`."""
        feats = features or [featurize(a, shingle_size=0) for a in articles]
        n = len(feats)
        if n < 2:
            return np.ones((n, n))
        snap = self.dfs.arrays()
        arts = [packed(f) for f in feats]
        stories = [kernels.grow(*_NO_BAGS, 0, *p, 2 * CENTROID_TERMS, CENTROID_TERMS, True) for p in arts]
        a_w = [kernels.weigh(*p, *snap) for p in arts]  # (weights, norms, top)
        s_w = [kernels.weigh(*p, *snap) for p in stories]

        titles = [np.array(f.title_entities, dtype=np.int64) for f in feats]
        lex = kernels.pair_matrix(*_rows([p[0] for p in arts], [p[3] for p in arts], a_w),
                                  np.concatenate(titles), _starts(titles),
                                  *_rows([p[0] for p in stories], [p[3] for p in stories], s_w))
        X = np.zeros((n, n, len(FEATURES)))
        X[:, :, [0, 1, 2, 3, 5, 6, 9, 10, 11, 12]] = lex
        # the numbers: the article's against each one-article story's (capped as _update caps them)
        nums = [f.nums for f in feats]
        story_nums = [set(dict(Counter(x).most_common(50))) if len(x) > 100 else x for x in nums]
        X[:, :, 4] = _overlap(nums, story_nums, normalise=True)
        lead_nums = [f.lead_nums for f in feats]
        story_lead = [set(dict(Counter(x).most_common(20))) if len(x) > 40 else x for x in lead_nums]
        shared = _overlap(lead_nums, story_lead, normalise=False)
        both = np.outer([bool(x) for x in lead_nums], [bool(x) for x in story_lead])
        X[:, :, 8] = np.where(both, np.where(shared > 0, 1.0, -1.0), 0.0)
        years = [f.year for f in feats]
        for i, y in enumerate(years):
            if y:
                X[i, :, 7] = [0.0 if not g else (1.0 if g == y else -1.0) for g in years]
        X[:, :, 13] = np.log1p([int(p[3][1]) for p in arts])[:, None]  # distinct terms: len(f.terms)
        ts = np.array([np.nan if f.timestamp is None else f.timestamp for f in feats])
        dated = ~np.isnan(ts)
        has = np.outer(dated, dated)
        gap = np.abs(ts[:, None] - ts[None, :])
        X[:, :, 14] = np.where(has, np.exp(-np.where(has, gap, 0.0) / (self.model.time_scale_days * DAY)), 0.0)
        X[:, :, 15] = has
        X[:, :, 16] = _LOG2
        langs = [f.language for f in feats]
        X[:, :, 17] = [[1.0 if (a is None or b is None or a == b) else 0.0 for b in langs] for a in langs]
        z = self.model.intercept + X @ np.asarray(self.model.coef)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        np.fill_diagonal(p, 1.0)
        return (p + p.T) / 2

    def pairwise_reference(self, articles: list[Article]) -> np.ndarray:
        """`pairwise` one pair at a time through `features` (the path before it was vectorised; kept
        for the tests and the benchmark)."""
        feats = [featurize(a) for a in articles]
        singles = [self.one_article_story(a, f) for a, f in zip(articles, feats)]
        vecs = [self.vectors(f) for f in feats]
        n = len(articles)
        p = np.ones((n, n))
        for i in range(n):
            for j in range(n):
                if i != j:
                    p[i, j] = self.model.probability(self.features(feats[i], singles[j], vecs[i]))
        return (p + p.T) / 2

    def review_grown(self, grown: dict[str, int], members_of: Callable[[str], list[Member]]) -> dict[str, str]:
        """Review every story whose number of originals crossed a review level since `grown[id]`
        (levels double, so a story is reviewed at most four times)."""
        moves: dict[str, str] = {}
        for sid in sorted(grown):
            sid = self.merged.get(sid, sid)
            s = self.stories.get(sid)
            if s is not None and _level(len(s.originals)) > _level(grown.get(sid, 0)):
                moves.update(self.review(sid, members_of(sid)))
        return moves

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
            self._unpost(self.stories.pop(sid))
        self.evicted += len(old)
        return len(old)

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

    def story_row(self, story_id: str) -> dict[str, Any]:
        return self.stories[story_id].row(self.dfs, self.seq, self._warm)

    def run(self, articles: Iterable[Article]) -> Iterator[Assignment]:
        """Assign a whole stream, in the order given."""
        for a in articles:
            yield self.add(a)


def _starts(arrays: list[np.ndarray] | list[bytes]) -> np.ndarray:
    starts = np.zeros(len(arrays) + 1, dtype=np.int64)
    starts[1:] = np.fromiter(itertools.accumulate(map(len, arrays)), dtype=np.int64, count=len(arrays))
    return starts


def _rows(ids: list[np.ndarray], offs: list[np.ndarray],
          weighed: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, ...]:
    """Several packed bags as the kernels take them at once (_weighed_rows). (Concatenated and
    reshaped, not np.stack: half the time on ten stories.)"""
    return _weighed_rows(np.concatenate(ids), _starts(ids), np.concatenate(offs).reshape(len(ids), -1), weighed)


def _weighed_rows(ids: np.ndarray, starts: np.ndarray, offs: np.ndarray,
                  weighed: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, ...]:
    """Rows of bags (ids concatenated, where each row starts, the rows' offsets stacked) with their
    weights concatenated, their norms stacked, and their heaviest entities (padded) with how many each has."""
    n = len(weighed)
    tops = np.zeros((n, TOP), dtype=np.int64)
    n_top = np.empty(n, dtype=np.int64)
    for k, (_, _, top) in enumerate(weighed):
        n_top[k] = m = len(top)
        if m:
            tops[k, :m] = top
    return (ids, np.concatenate([w[0] for w in weighed]), starts, offs,
            np.concatenate([w[1] for w in weighed]).reshape(n, -1), tops, n_top)


def _overlap(a: list[set[str]], b: list[set[str]], normalise: bool) -> np.ndarray:
    """|a_i & b_j| for every pair (over sqrt(|a_i| |b_j|) when normalising; 0 where either is empty)."""
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(x, len(vocab)) for x in s] for s in a]
    cols = [[vocab.setdefault(x, len(vocab)) for x in s] for s in b]
    if not vocab:
        return np.zeros((len(a), len(b)))
    A = np.zeros((len(a), len(vocab)))
    B = np.zeros((len(b), len(vocab)))
    for k, r in enumerate(rows):
        A[k, r] = 1.0
    for k, c in enumerate(cols):
        B[k, c] = 1.0
    shared = A @ B.T
    if not normalise:
        return shared
    sizes = np.sqrt(np.outer(A.sum(axis=1), B.sum(axis=1)))
    return np.divide(shared, sizes, out=np.zeros_like(shared), where=sizes > 0)


def _tie_key(story_id: str) -> int:
    """The order candidates with as many hits are taken in: the story ids' order for the engine's
    own ids ("s" + 11 hex digits, story_id_for); any other id after them, by its crc32."""
    if len(story_id) == 12 and story_id[0] == "s":
        try:
            return int(story_id[1:], 16)
        except ValueError:
            pass
    return (1 << 48) + zlib.crc32(story_id.encode())


@functools.lru_cache(maxsize=8192)
def _headline_terms(title: str) -> tuple[np.ndarray, np.ndarray]:
    """A headline's term ids (sorted) and counts, as the story title's choice weighs them."""
    counts = sorted(Counter(term_ids(title)).items())
    return np.array([t for t, _ in counts], dtype=np.int64), np.array([c for _, c in counts], dtype=np.float64)


def _most_common(c: Tally) -> str:
    """Counter.most_common(1)[0][0]: the largest count, the first inserted among equals."""
    return max(_tally_items(c), key=operator.itemgetter(1))[0]


def _level(originals: int) -> int:
    return sum(1 for x in REVIEW_LEVELS if originals >= x)


def _separation(probs: np.ndarray, a: list[int], b: list[int]) -> float:
    """How well two groups hold together as one, relative to the looser of the two on its own:
    the mean probability across them over the smaller mean probability within either."""
    def within(g: list[int]) -> float:
        sub = probs[np.ix_(g, g)]
        return float((sub.sum() - np.trace(sub)) / (len(g) * (len(g) - 1)))

    return float(probs[np.ix_(a, b)].mean()) / max(1e-9, min(within(a), within(b)))


def _two_groups(probs: np.ndarray) -> tuple[list[int], list[int]] | None:
    """The top split of average-link clustering over 1 - probability, as two index lists: the two
    clusters the last merge joins (fcluster(..., 2, "maxclust") without its checks; as there, no
    split when the last two merges are equally far, which would make three groups or one)."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    n = len(probs)
    dist = squareform(np.clip(1.0 - probs, 0.0, 1.0), checks=False)
    z = linkage(dist, "average")
    if n > 2 and z[-1, 2] == z[-2, 2]:
        return None
    groups: list[list[int]] = [[i] for i in range(n)]
    for left, right, *_ in z[:-1].tolist():
        groups.append(groups[int(left)] + groups[int(right)])
    left, right = (groups[int(x)] for x in z[-1, :2])
    a, b = (left, right) if 0 in left else (right, left)
    return sorted(a), sorted(b)


_PRIOR: dict[int, tuple[dict[int, int], tuple[np.ndarray, np.ndarray, float]]] = {}  # id(df) -> (df, table)
_NO_PRIOR: dict[int, int] = {}


def _prior_table(df: dict[int, int], n: int) -> tuple[np.ndarray, np.ndarray, float]:
    """A prior's document frequencies as a kernels.frequency_table, built once per prior."""
    df = df or _NO_PRIOR
    got = _PRIOR.get(id(df))
    if got is None or got[0] is not df:
        ids = np.fromiter(df.keys(), dtype=np.int64, count=len(df))
        counts = np.fromiter(df.values(), dtype=np.int64, count=len(df))
        got = _PRIOR[id(df)] = (df, (*kernels.frequency_table(ids, counts), float(n)))
    return got[1]


def _distinct_terms(f: ArticleFeatures) -> int:
    """How many distinct terms an article has (its packed terms section: the bags may be dropped)."""
    off = packed(f)[3]
    return int(off[TERMS + 1] - off[TERMS])


def index_keys(f: ArticleFeatures, prior: tuple[dict[int, int], int] | None = None) -> tuple[list[int], list[int]]:
    """The keys an article is posted and looked up under: its TOP_INDEX_TERMS heaviest terms and 10
    heaviest entities, heaviest first (ties by first mention), weighed by sublinear TF times the prior's IDF
    (the shipped one by default), not the stream's: a function of the article alone, so a story
    rebuilt later is posted exactly where it was, and it can be computed ahead in a worker."""
    df, n = prior if prior is not None else load_df_prior()
    table = _prior_table(df, n)
    ids, counts, ranks, off = packed(f)
    return (kernels.keyed_top(ids, counts, ranks, off[0], off[1], *table, TOP_INDEX_TERMS).tolist(),
            kernels.keyed_top(ids, counts, ranks, off[2], off[3], *table, 10).tolist())


@functools.lru_cache(maxsize=1)
def load_df_prior() -> tuple[dict[int, int], int]:
    """Document frequencies shipped with the model (term ids only, no text), and their corpus size."""
    path = resources.files("storyline") / "models" / "df_prior.json"
    if not path.is_file():
        return {}, 0
    data = json.loads(path.read_text())
    return {int(k): v for k, v in data["df"].items()}, int(data["n"])


def stream_order(articles: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Publication order; articles without a date keep their ingest order after dated ones. Items
    are (seq, article) or (seq, its publication time as stored)."""
    from .dates import to_timestamp

    def key(item: tuple[int, Any]) -> tuple[int, float, int]:
        when = item[1] if item[1] is None or isinstance(item[1], str) else item[1].published_at
        ts = to_timestamp(when)
        return (0, ts, item[0]) if ts is not None else (1, 0.0, item[0])

    return sorted(articles, key=key)


class _CollectBetweenChunks:
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

    def __enter__(self) -> _CollectBetweenChunks:
        import gc

        cls = _CollectBetweenChunks
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

        cls = _CollectBetweenChunks
        cls._depth -= 1
        if cls._depth == 0:
            gc.unfreeze()
            if cls._was_enabled:
                gc.enable()


def cluster_articles(articles: Iterable[Article], engine: StoryEngine | None = None, chunk: int = 100,
                     stats: dict[str, Any] | None = None, workers: int = 1, keep: bool = True) -> list[Assignment]:
    """Stories of a list of articles (publication order), without a store: for evaluation, tests
    and benchmarks. Stories that grew are reviewed after every `chunk` articles, as `cluster_store`
    does; an article moved by a split has its assignment's story id updated. `stats`, when given,
    receives the seconds each `add` took (`latency`) and the seconds spent reviewing (`review`).
    With `workers` > 1, featurising and signing run in other processes ahead of the assignment
    (same stories whatever the number). With `keep=False` the assignments are not kept (the list
    returned is empty): the engine and its reviews run the same, and the memory held is the
    engine's and the hot stories' member lists (MemberLog; a store-backed run reads those back
    from the store for each chunk instead), for benchmarks."""
    from .features import prepare_ahead

    engine = engine or StoryEngine()
    ordered = stream_order(list(enumerate(articles, 1)))
    prepared = prepare_ahead((a for _, a in ordered), workers)
    out: list[Assignment] | None = [] if keep else None
    by_article: dict[str, Assignment] | None = {} if keep else None
    members: dict[str, MemberLog] = {}
    latency = array("d")  # 8 bytes a figure, not a float object each
    review = 0.0
    seen = [engine.evicted]
    with _CollectBetweenChunks() as collector:
        for start in range(0, len(ordered), chunk):
            review += _cluster_chunk(engine, ordered[start:start + chunk], prepared, out, by_article, members,
                                     latency, seen)
            collector.chunk_done(chunk)
    if stats is not None:
        stats.update(latency=latency, review=review)
    return out or []


def _cluster_chunk(engine: StoryEngine, part: list[tuple[int, Article]], prepared: Iterator[Any],
                   out: list[Assignment] | None, by_article: dict[str, Assignment] | None,
                   members: dict[str, MemberLog], latency: array, seen: list[int]) -> float:
    """One chunk of `cluster_articles`: assign, settle merges, review; the seconds the review took.
    `seen`: the engine's eviction count when `members` last dropped the evicted stories. `out` and
    `by_article` None: the assignments are not kept."""
    clock = time.perf_counter
    grown: dict[str, int] = {}
    merged: dict[str, str] = {}
    for seq, a in part:
        f = next(prepared)
        t = clock()
        x = engine.add(a, seq, f)
        latency.append(clock() - t)
        merged.update(x.merged)
        if out is not None and by_article is not None:
            out.append(x)
            by_article[a.id] = x
        _track(engine, x, a, members, grown, MemberLog)
    t = clock()

    def members_of(sid: str) -> list[Member]:
        return list(members.get(sid, ()))

    engine.settle_merged(merged, members_of)
    moves = engine.review_grown(grown, members_of)
    # the moved articles leave stories reviewed, grown ones (under the ids they have now)
    _apply_moves(moves, members, {resolve_merged(engine.merged, sid) for sid in grown} if moves else ())
    if by_article is not None:
        for article_id, story_id in moves.items():
            by_article[article_id].story_id = story_id
    if engine.evicted != seen[0]:  # stories were evicted since the last look: never reviewed again
        seen[0] = engine.evicted
        for sid in [sid for sid in members if sid not in engine.stories]:
            del members[sid]
    return clock() - t


class MemberLog:
    """A story's members in processing order as `cluster_articles` keeps them from chunk to chunk:
    the numbers in an array, about 40 bytes a member where a list of Member tuples costs 136 (the
    tuple and its two ints). It appends and iterates as that list does (yielding Member tuples)."""

    __slots__ = ("numbers", "refs")

    def __init__(self, items: Iterable[Member] = ()) -> None:
        self.numbers = array("q")  # seq, step, seq, step, ...
        self.refs: list[Any] = []  # article, duplicate_of, article, duplicate_of, ...
        for m in items:
            self.append(m)

    def append(self, m: Member) -> None:
        self.numbers.extend((m[0], m[3]))
        self.refs.extend((m[1], m[2]))

    def __iter__(self) -> Iterator[Member]:
        n, r = self.numbers, self.refs
        return zip(n[::2], r[::2], r[1::2], n[1::2])

    def __len__(self) -> int:
        return len(self.numbers) // 2


def _track(engine: StoryEngine, x: Assignment, a: Article, members: dict[str, Any], grown: dict[str, int],
           make: Callable[..., Any] = list) -> None:
    """Keep `members` (story id -> its members in processing order, each a `make`: a list, or a
    MemberLog) and `grown` (story id -> its originals before this chunk) up to date with one
    assignment, merges included."""
    for gone, keep in x.merged.items():
        members[keep] = make(sorted([*members.get(keep, ()), *members.pop(gone, ())], key=lambda m: m[3]))
        grown.setdefault(keep, grown.pop(gone, 0))
    members.setdefault(x.story_id, make()).append((x.seq, a, x.duplicate_of, x.step))
    if x.story_id not in grown:
        grown[x.story_id] = len(engine.stories[x.story_id].originals) - (0 if x.duplicate_of else 1)


def _apply_moves(moves: dict[str, str], members: dict[str, MemberLog], sources: Iterable[str] | None = None) -> None:
    """Move the members a review split off (`sources`: the stories they leave, when known)."""
    if not moves:
        return
    moved: dict[str, list[Member]] = {}
    for sid in list(members) if sources is None else [x for x in sources if x in members]:
        stay = MemberLog()
        for m in members[sid]:
            if m[1].id in moves:
                moved.setdefault(moves[m[1].id], []).append(m)
            else:
                stay.append(m)
        members[sid] = stay
    for sid, ms in moved.items():
        members[sid] = MemberLog(sorted([*members.get(sid, ()), *ms], key=lambda m: m[3]))


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

    from .features import prepare_ahead

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
    done = splits = 0

    def read() -> Iterator[tuple[int, Article]]:
        for i in range(0, len(order), 1000):
            part = order[i:i + 1000]
            arts = store.articles_by_seq(part)
            for seq in part:
                yield seq, arts[seq]

    for_prepare, for_assign = itertools.tee(read())
    prepared = prepare_ahead((a for _, a in for_prepare), workers if prepare or len(order) >= AHEAD_MIN else 1)
    with _CollectBetweenChunks() as collector:
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
            store.save_assignments(rows, stories, merged, moves)
            engine.evict()
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

            from .features import prepare_ahead, worker_pool

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


def resolve_merged(merged: dict[str, str], sid: str) -> str:
    """The story a (possibly merged-away) story id now lives in, following chains of merges."""
    seen = set()
    while sid in merged and sid not in seen:
        seen.add(sid)
        sid = merged[sid]
    return sid


def warm(store: Any, engine: StoryEngine) -> None:
    """Rebuild the engine from the store: document frequencies replayed in processing order, the
    stories inside the window rebuilt, and a loader that brings older ones back for late articles."""
    from .dates import to_iso, to_timestamp

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

