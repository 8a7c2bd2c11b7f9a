"""The executor: owns the loop, batching, progress and stats; the readers stay pure."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import UnreadableInput
from .model import Article
from .readers import ReaderOptions, expand_inputs, read_path
from .store import Store

BATCH = 500
BATCH_CHARS = 20_000_000  # a batch of huge articles is flushed early, so memory stays bounded


@dataclass
class IngestReport:
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: (origin, reason) of each article not stored because an earlier article of the same ingest
    #: has its id (its URL) with a different text: the first one read is kept
    skipped: list[tuple[str, str]] = field(default_factory=list)
    inputs: int = 0
    article_ids: list[str] = field(default_factory=list)
    #: with `ingest(confident=True)`: the last stored batch's new articles whose sure language
    #: (language.sure_language) was identified while reading, {id: features.Known}, for the story
    #: assignment to take instead of identifying them again
    confident: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {"new": self.new, "unchanged": self.unchanged, "updated": self.updated,
                "failed": [{"input": o, "reason": r} for o, r in self.failed], "inputs": self.inputs,
                "skipped": [{"input": o, "reason": r} for o, r in self.skipped]}

    def summary(self) -> str:
        skipped = f"{len(self.skipped)} skipped (same URL), " if self.skipped else ""
        return (f"{self.new} new, {self.unchanged} unchanged, {self.updated} updated, {skipped}"
                f"{len(self.failed)} failed ({self.inputs} inputs)")


Progress = Callable[[str, int], None]


def read_inputs(paths: Iterable[str], options: ReaderOptions | None = None,
                on_input: Progress | None = None) -> Iterator[Article | UnreadableInput]:
    """Every article and every error of every input named by paths, in a stable order."""
    options = options or ReaderOptions()
    for n, path in enumerate(expand_inputs(paths), 1):
        if isinstance(path, UnreadableInput):
            yield path
            continue
        if on_input:
            on_input(path, n)
        yield from read_path(path, options)


def ingest(paths: Iterable[str], store: Store, options: ReaderOptions | None = None,
           on_input: Progress | None = None, on_batch: Callable[[IngestReport], None] | None = None,
           batch_size: int = BATCH, keep_ids: bool = False, executor: str = "local",
           client: Any = None, workers: int = 1, confident: bool = False) -> IngestReport:
    """Read every input and store its articles, one transaction per batch. `executor="dask"`
    reads, extracts and normalises on a Dask cluster (`client`, or a local cluster sized to the
    machine) over partitions of the inputs; articles are stored in input order all the same. With
    `workers` > 1 (local executor), languages are identified in workers - 1 other processes, and
    with `confident` each article's sure language too, in the same reading of its text, handed
    to `on_batch` in report.confident (for a story assignment that follows the ingest)."""
    report = IngestReport()

    def counting(path: str, n: int) -> None:
        report.inputs = n
        if on_input:
            on_input(path, n)

    if executor == "dask":
        from .executors import dask_client, dask_items

        own = client is None
        client = client or dask_client()
        try:
            return ingest_items(dask_items(paths, options or ReaderOptions(), client, counting), store, report,
                                on_batch, batch_size, keep_ids)
        finally:
            if own:
                client.close()
    if executor != "local":
        raise ValueError(f"unknown executor {executor!r}: local or dask")
    options = options or ReaderOptions()
    sure: dict[str, Any] | None = None
    if workers > 1 and options.detect_language:
        # the articles' languages are identified in another process, ahead of the store
        sure = {} if confident else None
        items = languages_ahead(read_inputs(paths, replace(options, detect_language=False), counting), workers - 1,
                                sure)
    else:
        items = read_inputs(paths, options, counting)
    return ingest_items(items, store, report, on_batch, batch_size, keep_ids, sure)


LANGUAGE_CHUNK = 256
LANGUAGE_CHUNK_CHARS = 2_000_000  # the chunks waiting for their languages hold a few MB, whatever the articles' size


def _bounded_chunks(items: Iterable[Article | UnreadableInput]) -> Iterator[list[Article | UnreadableInput]]:
    chunk: list[Article | UnreadableInput] = []
    chars = 0
    for item in items:
        chunk.append(item)
        if isinstance(item, Article):
            chars += len(item.title) + sum(len(p) for p in item.body)
        if len(chunk) >= LANGUAGE_CHUNK or chars >= LANGUAGE_CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def languages_ahead(items: Iterable[Article | UnreadableInput], processes: int,
                    sure: dict[str, Any] | None = None) -> Iterator[Article | UnreadableInput]:
    """The items in order, each article without a language given the one the readers would have
    identified (language.detect_language on its text), identified in `processes` other processes
    a few chunks ahead: the same articles as reading with detection on, at a fraction of the
    reading process's time. With `sure`, each article's language.sure_language is identified in
    the same reading of its text, and put there ({id: features.Known}) as the article is yielded."""
    from .features import map_ahead
    from .language import CONFIDENCE_SAMPLE, SAMPLE

    def samples(chunk: list[Article | UnreadableInput]) -> tuple[list[Article | UnreadableInput], list[Any]]:
        if sure is None:
            return chunk, [None if isinstance(x, UnreadableInput) or x.language else x.full_text[:SAMPLE]
                           for x in chunk]
        return chunk, [None if isinstance(x, UnreadableInput) else (x.full_text[:CONFIDENCE_SAMPLE], not x.language)
                       for x in chunk]

    chunks = (samples(c) for c in _bounded_chunks(items))
    pending: list[list[Article | UnreadableInput]] = []

    def texts() -> Iterator[list[Any]]:
        for chunk, sample in chunks:
            pending.append(chunk)
            yield sample

    for found in map_ahead(_languages if sure is None else _languages_and_sure, texts(), processes):
        chunk = pending.pop(0)
        for item, got in zip(chunk, found):
            if isinstance(item, Article) and got is not None:
                lang = got if sure is None else got[0]
                if lang is not None:
                    item.language = lang
                if sure is not None:
                    sure[item.id] = got[1:]  # (digest of the text read, sure language)
            yield item


def _languages(samples: list[str | None]) -> list[str | None]:
    from .language import detect_language

    return [None if t is None else detect_language(t) for t in samples]


def _languages_and_sure(samples: list[tuple[str, bool] | None]) -> list[tuple[str | None, bytes, str | None] | None]:
    """(language if asked for, digest of the text, sure language) of each sample, in one reading."""
    from .language import languages_of, sample_digest, sure_language

    out: list[tuple[str | None, bytes, str | None] | None] = []
    for x in samples:
        if x is None:
            out.append(None)
            continue
        text, detect = x
        lang, confident = languages_of(text) if detect else (None, sure_language(text))
        out.append((lang, sample_digest(text), confident))
    return out


def ingest_items(items: Iterable[Article | UnreadableInput], store: Store, report: IngestReport | None = None,
                 on_batch: Callable[[IngestReport], None] | None = None, batch_size: int = BATCH,
                 keep_ids: bool = False, sure: dict[str, Any] | None = None) -> IngestReport:
    """Store the items' articles a batch at a time. `sure`: sure languages of the items identified
    ahead ({id: features.Known}); a batch's new articles' ones go to report.confident."""
    report = report or IngestReport()
    batch: list[Article] = []
    chars = 0
    # the ids this ingest has read: a second article with the id of an earlier one (the same URL:
    # three ECB+ documents share one) is not sent to the store, where it would replace the first
    # and make a rerun of the same input report them all as updated; the first is kept
    seen: set[str] = set()

    def flush() -> None:
        nonlocal chars
        chars = 0
        if not batch:
            return
        report.confident = {}
        for art, status in zip(batch, store.add_articles(batch)):
            setattr(report, status, getattr(report, status) + 1)
            if keep_ids:
                report.article_ids.append(art.id)
            if sure is not None and (known := sure.pop(art.id, None)) is not None and status == "new":
                report.confident[art.id] = known
        batch.clear()
        if on_batch:
            on_batch(report)

    def repeat(art: Article) -> None:
        first = next((a for a in batch if a.id == art.id), None)
        if first is None:
            try:
                first = store.get_article(art.id)
            except Exception:  # noqa: BLE001 - not stored after all: nothing to compare with
                first = None
        if first is not None and first.content_hash() == art.content_hash():
            report.unchanged += 1  # the same article twice (a file given twice, a feed repeating an entry)
            return
        where = f" ({first.origin})" if first is not None and first.origin else ""
        report.skipped.append((art.origin or art.url or art.id,
                               f"same URL as an earlier article of this ingest{where} with another text; "
                               f"the first is kept ({art.url or art.id})"))

    for item in items:
        if isinstance(item, UnreadableInput):
            report.failed.append((item.origin, item.reason))
            continue
        if item.id in seen:
            repeat(item)
            continue
        seen.add(item.id)
        batch.append(item)
        chars += len(item.title) + sum(len(p) for p in item.body)
        if len(batch) >= batch_size or chars >= BATCH_CHARS:
            flush()
    flush()
    return report
