"""The hot story: a story as the engine holds it in memory, its bags packed into one bytes object
(kernels.py), its tallies and voices kept in the smallest containers that hold them, and the ids
stories are known by. Read by every part of the engine; it imports none of them."""
from __future__ import annotations

import functools
import hashlib
import operator
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..features import DocumentFrequencies, term_ids
from ..model import Article, independent_sources
from ..packing import PACK_HEAD, SECTIONS, TERMS


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

CENTROID_TERMS = 150
LEAD_VECTORS = 3  # the title+lead vectors of a story's first originals, for the lead_max feature
SINGLE = "single"  # the id of a one-article story (StoryEngine.one_article_story)
_NO_SIGNATURE = np.zeros(0, dtype=np.uint8)

#: a stored member of a story: (article seq, article, duplicate of, processing step)
Member = tuple[int, Article, "str | None", int]


def story_id_for(article_id: str) -> str:
    return "s" + hashlib.sha1(("story:" + article_id).encode()).hexdigest()[:11]


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
    #: set of five costs 728 bytes, a tuple 80; only their number is read, through model.independent_sources)
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
            from ..language import sure_language

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
                "sources": _tally_len(self.outlets), "independent": independent_sources(self.independent),
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



@functools.lru_cache(maxsize=8192)
def _headline_terms(title: str) -> tuple[np.ndarray, np.ndarray]:
    """A headline's term ids (sorted) and counts, as the story title's choice weighs them."""
    counts = sorted(Counter(term_ids(title)).items())
    return np.array([t for t, _ in counts], dtype=np.int64), np.array([c for _, c in counts], dtype=np.float64)


def _most_common(c: Tally) -> str:
    """Counter.most_common(1)[0][0]: the largest count, the first inserted among equals."""
    return max(_tally_items(c), key=operator.itemgetter(1))[0]
