"""The engine over a list of articles (`cluster_articles`), and the bookkeeping of a chunk that
every driver shares: publication order, members per story as the chunk goes, the moves a split
makes."""
from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..model import Article, resolve_merged
from .assign import Assignment
from .engine import StoryEngine
from .hot import Member
from .memory import CollectBetweenChunks


def stream_order(articles: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Publication order; articles without a date keep their ingest order after dated ones. Items
    are (seq, article) or (seq, its publication time as stored)."""
    from ..dates import to_timestamp

    def key(item: tuple[int, Any]) -> tuple[int, float, int]:
        when = item[1] if item[1] is None or isinstance(item[1], str) else item[1].published_at
        ts = to_timestamp(when)
        return (0, ts, item[0]) if ts is not None else (1, 0.0, item[0])

    return sorted(articles, key=key)


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
    from ..features import prepare_ahead

    engine = engine or StoryEngine()
    ordered = stream_order(list(enumerate(articles, 1)))
    prepared = prepare_ahead((a for _, a in ordered), workers)
    out: list[Assignment] | None = [] if keep else None
    by_article: dict[str, Assignment] | None = {} if keep else None
    members: dict[str, MemberLog] = {}
    latency = array("d")  # 8 bytes a figure, not a float object each
    review = 0.0
    seen = [engine.evicted]
    with CollectBetweenChunks() as collector:
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

