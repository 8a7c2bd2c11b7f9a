"""Executors: where the per-article stages run. `local` runs them in this process (and, for
clustering, in one helper process); `dask` runs them on a Dask cluster (a local one sized to the
machine, or a scheduler's address) over partitions of the input: whole files, and byte ranges of
large JSONL files cut at line ends. Whatever runs where, the results are stored and assigned to
stories in input order by this process, so the same input gives the same articles, copies and
story ids as the local executor, and a partition Dask retries after a worker died is written once
(the store's writes are idempotent, and only this process writes)."""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import StorylineError, UnreadableInput
from .model import Article
from .readers import ReaderOptions, expand_inputs

PARTITION_BYTES = 8 << 20  # JSONL files larger than this are read as byte ranges of about this size


@dataclass(frozen=True)
class Partition:
    """A whole input file; or the lines of a JSONL file from byte `start` to `end` (first line
    number `line`); or (`fmt` "warc") the whole records of an archive from byte `start` to `end`."""
    path: str
    start: int = 0
    end: int = -1
    line: int = 1
    fmt: str = "jsonl"


def partitions(paths: Iterable[str], options: ReaderOptions, size: int | None = None) -> Iterator[Partition | UnreadableInput]:
    """The partitions of the inputs in input order; an input that cannot be read is yielded as its error."""
    from .readers import sniff

    size = size or PARTITION_BYTES
    for path in expand_inputs(paths):
        if isinstance(path, UnreadableInput) or path == "-":
            yield path if isinstance(path, UnreadableInput) else UnreadableInput("-", "standard input cannot be partitioned; use the local executor")
            continue
        try:
            total = os.path.getsize(path)
            with open(path, "rb") as f:
                head = f.read(65536)
            fmt = _gz_format(head) if head[:2] == b"\x1f\x8b" else (sniff(head, path) if head else None)
        except (OSError, StorylineError):
            yield Partition(path)  # the worker reads it and reports why it cannot, as locally
            continue
        if fmt not in ("jsonl", "warc") or total <= size:
            yield Partition(path)
        elif fmt == "jsonl":
            yield from _line_ranges(path, total, size)
        else:
            yield from _record_ranges(path, size)


def _gz_format(head: bytes) -> str | None:
    """"warc" for a gzipped WARC (a gzip member a record: it can be cut between records); a gzipped
    JSONL is one stream and is read whole."""
    import gzip
    import io

    try:
        inner = gzip.GzipFile(fileobj=io.BytesIO(head)).read(5)
    except (OSError, EOFError):
        return None
    return "warc" if inner.startswith(b"WARC/") else None


def _record_ranges(path: str, size: int) -> Iterator[Partition]:
    """Runs of whole WARC records of about `size` bytes (a gzip member a record, so each run can be
    read on its own); an archive whose records cannot be walked is one partition, whose worker
    reports why, as the local executor would."""
    from .readers.warc import record_offsets

    try:
        offsets = record_offsets(path)
    except Exception:  # noqa: BLE001 - a truncated or corrupt archive: read whole, fail as locally
        yield Partition(path)
        return
    cuts = [offsets[0]]
    for off in offsets[1:-1]:
        if off - cuts[-1] >= size:
            cuts.append(off)
    cuts.append(offsets[-1])
    if len(cuts) <= 2:
        yield Partition(path)
        return
    for start, end in zip(cuts, cuts[1:]):
        yield Partition(path, start, end, fmt="warc")


def _line_ranges(path: str, total: int, size: int) -> Iterator[Partition]:
    """Byte ranges of about `size` that end at line ends, with the number of each one's first line."""
    start, line = 0, 1
    with open(path, "rb") as f:
        while start < total:
            f.seek(min(start + size, total))
            if start + size < total:
                f.readline()  # to the end of the line the cut falls in
            end = f.tell() if start + size < total else total
            f.seek(start)
            lines, left = 0, end - start
            while left > 0:  # count this range's lines, a megabyte at a time
                chunk = f.read(min(left, 1 << 20))
                lines += chunk.count(b"\n")
                left -= len(chunk)
            yield Partition(path, start, end, line)
            start, line = end, line + lines


def read_partition(part: Partition, options: ReaderOptions) -> list[Article | UnreadableInput]:
    """Read, extract and normalise one partition (runs on a worker)."""
    import io

    from .readers import read_path
    from .readers.jsonl import read_jsonl

    if part.end < 0:
        return list(read_path(part.path, options))
    try:
        with open(part.path, "rb") as f:
            f.seek(part.start)
            data = f.read(part.end - part.start)
    except OSError as exc:
        return [UnreadableInput(part.path, exc.strerror or str(exc))]
    if part.fmt == "warc":
        from .readers.warc import read_warc

        out: list[Article | UnreadableInput] = []
        try:
            out.extend(read_warc(io.BytesIO(data), part.path, options, part=True))
        except UnreadableInput as exc:
            out.append(exc)  # what was read before it is kept, as locally
        return out
    return list(read_jsonl(io.BytesIO(data), part.path, options, first_line=part.line))


def dask_client(scheduler: str | None = None) -> Any:
    """A Dask client: to the scheduler at `scheduler`, or to a local cluster sized to the machine
    (one single-threaded worker process per core)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise StorylineError("the dask executor needs Dask: pip install 'storyline[dask]'") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise StorylineError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return Client(LocalCluster(n_workers=max(1, cores), threads_per_worker=1, processes=True, dashboard_address=None))


def ordered_results(client: Any, fn: Callable[..., Any], items: Iterable[Any], window: int, **kwargs: Any) -> Iterator[Any]:
    """fn(item) for each item on the cluster, at most `window` ahead of the consumer, in item order.
    A task whose worker died is run again by Dask (up to 3 tries)."""
    it = iter(items)
    queue: deque[Any] = deque()

    def submit() -> bool:
        for item in it:
            queue.append(client.submit(fn, item, pure=False, retries=3, **kwargs))
            return True
        return False

    while len(queue) < window and submit():
        pass
    while queue:
        fut = queue.popleft()
        result = fut.result()
        fut.release()
        submit()
        yield result


def dask_items(paths: Iterable[str], options: ReaderOptions, client: Any,
               on_input: Callable[[str, int], None] | None = None) -> Iterator[Article | UnreadableInput]:
    """Every article and error of the inputs, read on the cluster, in input order."""
    parts = list(partitions(paths, options))
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    real = [p for p in parts if isinstance(p, Partition)]
    results = ordered_results(client, read_partition, real, window=2 * workers, options=options)
    seen_paths: dict[str, int] = {}
    for p in parts:
        if isinstance(p, UnreadableInput):
            yield p
            continue
        if on_input and p.path not in seen_paths:
            seen_paths[p.path] = len(seen_paths) + 1
            on_input(p.path, seen_paths[p.path])
        yield from next(results)


def dask_prepare_ahead(client: Any, chunk: int = 256) -> Callable[[Iterable[Article], int], Iterator[Any]]:
    """A `prepare_ahead` that featurises and signs chunks of articles on the cluster, in order."""
    def prepare(articles: Iterable[Article], workers: int = 1) -> Iterator[Any]:
        import itertools

        from .features import prepared_chunk

        it = iter(articles)
        chunks = iter(lambda: list(itertools.islice(it, chunk)), [])  # read as the window moves on
        n = max(1, len(client.scheduler_info().get("workers", {})))
        for done in ordered_results(client, prepared_chunk, chunks, window=2 * n):
            yield from done
    return prepare
