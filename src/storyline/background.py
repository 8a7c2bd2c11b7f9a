"""Stories assigned in another process while an ingest goes on storing articles.

`StreamingClusterer` clusters each block of sequence numbers as the ingest completes it, in the
ingest's own process: reading and storing wait while the engine assigns. `BackgroundClusterer`
runs the same clusterer, block by block, in a process of its own that follows the store through
its own connection, so the two overlap on two cores. The blocks, their order and therefore the
stories are the same as in one process (the store decides what a block holds, not the timing);
a kill of either process leaves the store as an interrupted `StreamingClusterer` would, and a
re-run finishes it the same way. With a SQLite store the other process only notes what the stories'
search documents need, and this one writes them (`flush_docs`) as it reads and while it waits: the
assignment, the longest part, does not carry them, and a kill leaves the notes for the re-run.
"""
from __future__ import annotations

import os
from typing import Any

from .errors import StorylineError

# while reading, the stories' search documents are written once this many assigned articles
# wait for them (a story touched by several chunks is written once for them); while waiting for
# the assignment to finish, as each chunk is saved
DOCS_EVERY = 5000
NICE = 10  # how much lower the ingest's own process runs than the assignment's (os.nice)


class BackgroundClusterer:
    """`stored()` after each stored batch, `finish()` at the end: the interface of
    StreamingClusterer, with the assignment in another process (started at once, waiting for work).
    The store must be reachable by another process: a SQLite file or a PostgreSQL URL. Starting it
    lowers the calling process's priority by NICE (for good: a process cannot raise it back)."""

    def __init__(self, path: str, block: int, workers: int = 1, docs: Any = None) -> None:
        self.path, self.block, self.workers = path, block, workers
        # a SQLite store, on this process's connection: the other process leaves the stories'
        # search documents to it (store.defer_docs), written as it idles, off the assignment's path
        self.docs = docs if hasattr(docs, "flush_story_docs") else None
        self._proc: Any = None
        self._conn: Any = None
        self._start()
        # the assignment is the one sequential part, and the longest: it gets a core to itself, and
        # this process (reading, storing) and the helpers it starts after this line use what is left
        # (where there are only two cores, four busy processes would otherwise share them evenly)
        try:
            os.nice(NICE)
        except (AttributeError, OSError):  # no nice() here: same stories, less overlap
            pass

    def _start(self) -> None:
        from .features import process_context

        # the child opens its own connection to the store and never touches the caller's
        ctx = process_context()
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_follow, args=(self.path, self.block, self.workers, child, os.getpid(),
                                                         self.docs is not None),
                                 name="storyline-stories")
        self._proc.start()
        child.close()

    def stored(self, report: Any = None) -> None:
        """After a batch was stored (an on_batch callback; the report's `confident` sure languages
        go along): the other process assigns every block completed so far."""
        self._raise_if_failed()
        self._send(("stored", getattr(report, "confident", None) or {}))
        self.flush_docs(DOCS_EVERY)

    def flush_docs(self, least: int = 1) -> None:
        """Write the search documents of the stories the other process saved since the last call
        (when those are of at least `least` articles)."""
        if self.docs is not None:
            self.docs.flush_story_docs(least)

    def finish(self) -> dict[str, int]:
        """Wait for every block, and the rest, to be assigned; totals of this run."""
        self._send(("finish", {}))
        while not self._conn.poll(0.2):  # the documents of the chunks it saves, as it saves them
            self.flush_docs()
        reply = self._receive()
        self._proc.join()
        self._proc = None
        self.flush_docs()
        return reply

    def close(self) -> None:
        """Stop the other process if it still runs (after an error in this one): what it saved
        is whole, a chunk per transaction, and a re-run carries on from there."""
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join()
            self._proc = None

    def _send(self, message: tuple[str, dict[str, Any]]) -> None:
        try:
            self._conn.send(message)
        except OSError:  # the other process is gone: its last word says why
            self._receive()

    def _raise_if_failed(self) -> None:
        if self._conn.poll():
            self._receive()

    def _receive(self) -> dict[str, int]:
        try:
            kind, value = self._conn.recv()
        except EOFError:
            self._proc.join()
            code = self._proc.exitcode
            self._proc = None
            raise StorylineError(f"the story assignment process ended unexpectedly (exit code {code})") from None
        if kind == "error":
            self._proc.join()
            self._proc = None
            raise value if isinstance(value, BaseException) else StorylineError(str(value))
        return value  # type: ignore[no-any-return]


def _follow(path: str, block: int, workers: int, conn: Any, parent: int, defer_docs: bool = False) -> None:
    """The other process: a StreamingClusterer on its own connection, told by the ingest when a
    batch was stored (it reads how far the store got itself) and when the ingest is done."""
    import signal
    import threading

    from .features import _die_with_parent
    from .store import open_store
    from .stories import CollectBetweenChunks, StoryEngine, StreamingClusterer, warm_up

    _die_with_parent(parent)  # killed with the ingest, as its other helpers are
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the ingest, which stops this process
    try:
        store = open_store(path)
        store.defer_docs = defer_docs  # the ingest's process writes them (BackgroundClusterer.docs)
        finishing = []

        def take(message: str, confident: dict[str, Any]) -> None:
            clusterer.confident.update(confident)
            if message == "finish":
                finishing.append(True)

        def drain(*_: Any) -> None:
            # the notices are read as they come, also while a block is being assigned: they carry
            # sure languages, and a pipe left full would stop the ingest in its next notice
            while not finishing and conn.poll():
                take(*conn.recv())

        clusterer = StreamingClusterer(store, block=block, workers=workers, on_article=drain)
        # while the first block is being stored, the kernels are loaded and an engine is made (the
        # prior's frequencies) beside the reading of the notices, not on the assignment's path
        made: list[Any] = []
        warming: Any = threading.Thread(target=lambda: (warm_up(), made.append(StoryEngine())), daemon=True)
        warming.start()
        # this process only clusters: the garbage collector stays as the clustering runs set it
        # (off, run between chunks, the engine frozen out of its sight) from one block to the next
        with CollectBetweenChunks():
            while True:
                if not finishing:
                    take(*conn.recv())
                drain()  # a backlog of notices is one look at the store
                if warming is not None and (finishing or store.last_seq() // block * block > clusterer.done_to):
                    warming.join()
                    clusterer.ready(made[0] if made else None)
                    warming = None
                if finishing:
                    conn.send(("done", clusterer.finish()))
                    return
                clusterer.stored()
    except EOFError:  # the ingest went away without a word: nothing more will come
        return
    except Exception as exc:  # noqa: BLE001  (any failure goes back to the ingest, which reports it)
        try:
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001  (an exception that does not pickle goes as its message)
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
