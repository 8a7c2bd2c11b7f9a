"""The archive of evicted stories and the links to them: a story that leaves the window leaves a
small record behind (`ArchivedStory`: its id, headline, heaviest entities and terms, last date and
size), and a new story that has gathered LINK_AT originals is looked up against those records; when
it shares enough with one, the engine records that it `continues` that earlier story (a trial
resuming after a month). Nothing here moves an article: the assignments are those of an engine
without the archive, the link is only recorded beside them (`StoryEngine.links`)."""
from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import resolve_merged
from ..packing import ENTS, TERMS
from .hot import HotStory, kernels

if TYPE_CHECKING:
    from ..features import DocumentFrequencies

#: at most this many records, the most recently evicted: on the realistic generator a return comes
#: 10-45 days after its first part, which was evicted 7 days after its last article, and ~320
#: stories of ARCHIVE_MIN_ORIGINALS originals or more are evicted a day at 4,320 articles a day:
#: 12,000 records reach back ~37 days. Recent ones are kept rather than big ones: a return need
#: not be big, and what is older is less likely to return. A record costs ~700 bytes with its
#: postings (5,088 records took 3.6 MB at 100,000 articles: benchmarks/archive_cost.py), so the
#: archive stays under ~9 MB however long the stream
ARCHIVE_MAX = 12_000
#: only stories of at least this many originals are archived: a one- or two-article story is
#: rarely followed up, and they are a third of what is evicted (2,435 of 7,523 at 100,000)
ARCHIVE_MIN_ORIGINALS = 3
ARCHIVE_ENTITIES = 8  # the heaviest entities a record keeps (and is found by)
ARCHIVE_TERMS = 16  # the heaviest terms a record keeps (to score a candidate found by its entities)
LINK_AT = 3  # originals a new story has when it is looked up: one article does not decide
MAX_ARCHIVE_POSTING = 200  # an entity shared by more records than this does not find candidates
#: a new story continues a record when they share at least LINK_MIN_ENTITIES of their heaviest
#: entities (one is a place or a person that many stories name: never enough) and LINK_MIN_TERMS
#: terms, and the shared keys carry at least LINK_THRESHOLD of the new story's key weight. Chosen
#: for precision on realistic_stream seed 5 at 300,000 articles (benchmarks/link_thresholds.py; 914
#: returns): 589 links, 578 right, 11 false (98.1 %); one shared entity allowed, 663 links and 14
#: false; a score of 0.30, 608 and 15; 0.25, 774 and 179. Checked on seed 11 (bench_stories.py)
LINK_MIN_ENTITIES = 2
LINK_MIN_TERMS = 2
LINK_THRESHOLD = 0.35


@dataclass(slots=True)
class ArchivedStory:
    """What is kept of an evicted story: enough to recognise its return and to name it. Its keys
    are 4 bytes each in one array (a tuple of ints cost 32 bytes an id more): its heaviest entities,
    then its heaviest terms, heaviest first."""

    id: str
    title: str
    last_ts: float | None
    size: int
    keys: array
    n_entities: int
    continues: str | None = None  # the story it continued, when it was linked itself
    handle: int = 0

    @property
    def entities(self) -> array:
        return self.keys[:self.n_entities]

    @property
    def terms(self) -> array:
        return self.keys[self.n_entities:]

    def record(self) -> dict[str, Any]:
        """As a JSON-ready dict (the store's story_archive rows)."""
        return {"id": self.id, "title": self.title, "last_ts": self.last_ts, "size": self.size,
                "entities": self.entities.tolist(), "terms": self.terms.tolist(), "continues": self.continues}

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> ArchivedStory:
        return cls(r["id"], r["title"], r["last_ts"], r["size"], array("I", [*r["entities"], *r["terms"]]),
                   len(r["entities"]), r.get("continues"))


class ArchiveMixin:
    """StoryEngine's archive: owns `archive` (story id -> record, least recently evicted first),
    `_archive_index` (entity id -> record handles), `links` (story id -> the id of the earlier story it
    continues) and `archive_changes` (records added or dropped since the store last took them, or
    None when no store keeps them)."""

    stories: dict[str, HotStory]
    merged: dict[str, str]
    dfs: DocumentFrequencies
    _prior_df: dict[int, int]
    _prior_n: int
    archive: dict[str, ArchivedStory]
    _archive_index: dict[int, list[int] | int]
    _by_archive_handle: dict[int, ArchivedStory]
    _archive_handles: Any
    links: dict[str, str]
    archive_changes: dict[str, dict[str, Any] | None] | None
    #: when a list: (story id, best record's id or None, its score, shared entities, shared terms)
    #: of every look-up, linked or not (for choosing the thresholds)
    link_trace: list[tuple[str, str | None, float, int, int]] | None

    def _heaviest_keys(self, s: HotStory) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """A story's ARCHIVE_ENTITIES heaviest entities and ARCHIVE_TERMS heaviest terms, by its bag
        value times the shipped prior's IDF (not the stream's: a function of the story alone),
        heaviest first, ties by id."""
        ids, cnt, _, off, _, _ = kernels.unpack(s.pack)
        df, n = self._prior_df, self._prior_n
        get = df.get
        out = []
        for section, k in ((ENTS, ARCHIVE_ENTITIES), (TERMS, ARCHIVE_TERMS)):
            lo, hi = int(off[section]), int(off[section + 1])
            sec = ids[lo:hi].astype(np.int64)
            freq = np.fromiter((get(t, 0) for t in sec.tolist()), dtype=np.float64, count=hi - lo)
            w = cnt[lo:hi].astype(np.float64) * (np.log((n + 1.0) / (freq + 1.0)) + 1.0)
            out.append(tuple(sec[np.lexsort((sec, -w))[:k]].tolist()))
        return out[0], out[1]

    def _idf(self, t: int) -> float:
        return math.log((self._prior_n + 1.0) / (self._prior_df.get(t, 0) + 1.0)) + 1.0

    def archive_story(self, s: HotStory) -> None:
        """Keep a record of a story leaving the window (evict), when it has ARCHIVE_MIN_ORIGINALS
        originals; the oldest record goes past ARCHIVE_MAX."""
        if len(s.originals) < ARCHIVE_MIN_ORIGINALS:
            return
        ents, terms = self._heaviest_keys(s)
        self._add_record(ArchivedStory(s.id, s.titles[0] if s.titles else "", s.last_ts, s.size,
                                       array("I", ents + terms), len(ents), self.links.get(s.id)))

    def _add_record(self, r: ArchivedStory) -> None:
        old = self.archive.pop(r.id, None)
        if old is not None:  # evicted again after a late article brought it back
            self._unpost_record(old)
        r.handle = next(self._archive_handles)
        self.archive[r.id] = r
        self._by_archive_handle[r.handle] = r
        index = self._archive_index
        for e in r.entities:
            p = index.get(e)
            if p is None:
                index[e] = r.handle
            elif type(p) is int:
                index[e] = [p, r.handle]
            else:
                p.append(r.handle)
        if self.archive_changes is not None:
            self.archive_changes[r.id] = r.record()
        while len(self.archive) > ARCHIVE_MAX:
            gone = self.archive.pop(next(iter(self.archive)))
            self._unpost_record(gone)
            if self.archive_changes is not None:
                self.archive_changes[gone.id] = None

    def _unpost_record(self, r: ArchivedStory) -> None:
        index = self._archive_index
        for e in r.entities:
            p = index.get(e)
            if p == r.handle:
                del index[e]
            elif type(p) is list:
                p.remove(r.handle)
                if len(p) == 1:
                    index[e] = p[0]
        del self._by_archive_handle[r.handle]

    def restore_archive(self, records: list[dict[str, Any]]) -> None:
        """The archive as a store kept it (least recently evicted first), minus the stories that are hot."""
        changes, self.archive_changes = self.archive_changes, None
        for rec in records:
            if rec["id"] not in self.stories:
                self._add_record(ArchivedStory.from_record(rec))
        self.archive_changes = changes

    def take_archive_changes(self) -> dict[str, dict[str, Any] | None]:
        """The records added (id -> record) and dropped (id -> None) since the last call."""
        got = self.archive_changes or {}
        self.archive_changes = {}
        return got

    def look_back(self, s: HotStory) -> str | None:
        """Look a new story up in the archive by its heaviest entities (their postings), score each
        record sharing LINK_MIN_ENTITIES of them by the shared keys' share of the story's key weight
        (its entities' and terms' prior IDF), and record the link to
        the best one when it is close enough (LINK_*); the id linked to, or None."""
        if not self.archive:
            return None
        ents, terms = self._heaviest_keys(s)
        hits: Counter[int] = Counter()  # record handle -> entities shared
        index = self._archive_index
        for e in ents:
            p = index.get(e)
            if type(p) is int:
                hits[p] += 1
            elif p is not None and len(p) <= MAX_ARCHIVE_POSTING:
                hits.update(p)
        # only the records sharing enough entities are scored (most share one, a place: on 100,000
        # realistic articles scoring every record found cost 1.7 ms a look-up, 4 % of the run)
        found = [h for h, k in hits.items() if k >= LINK_MIN_ENTITIES]
        best: tuple[float, int, int, ArchivedStory] | None = None
        if found:
            idf = self._idf
            weights = {t: idf(t) for t in ents}
            tw = {t: idf(t) for t in terms}
            total = sum(weights.values()) + sum(tw.values())
            for h in found:
                r = self._by_archive_handle[h]
                if r.id == s.id:
                    continue
                shared_terms = [t for t in r.terms if t in tw]
                score = (sum(weights[e] for e in r.entities if e in weights) + sum(tw[t] for t in shared_terms)) / total
                key = (score, hits[h], len(shared_terms), r)
                if best is None or (key[:3], r.last_ts or 0.0, r.id) > (best[:3], best[3].last_ts or 0.0, best[3].id):
                    best = key
        if self.link_trace is not None:
            self.link_trace.append((s.id, None, 0.0, 0, 0) if best is None else (s.id, best[3].id, *best[:3]))
        if best is None or best[1] < LINK_MIN_ENTITIES or best[2] < LINK_MIN_TERMS or best[0] < LINK_THRESHOLD:
            return None
        self.links[s.id] = best[3].id
        return best[3].id

    def carry_link(self, keep: HotStory, gone: HotStory) -> None:
        """A merge: the kept story continues what the gone one did, unless it continues something already."""
        earlier = self.links.get(gone.id)
        if earlier is not None and keep.id not in self.links and earlier != keep.id:
            self.links[keep.id] = earlier

    def continues(self, story_id: str) -> str | None:
        """The earlier story this one continues (merges resolved on both ends), or None."""
        earlier = self.links.get(story_id)
        return None if earlier is None else resolve_merged(self.merged, earlier)
