"""The default backend: one SQLite file, WAL mode, FTS5 over title and body, versioned schema."""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import StoreError
from ..model import Article, storable
from .base import article_from_row, article_row, export_row, one_by_id, story_from_row
from .search import story_fts_query
from .sqlite_schema import MIGRATIONS
from .sqlite_story_docs import (
    _backfill_story_docs,
    _column,
    _flush_pending,
    _note_story_docs,
    _pairs,
    _rewrite_story_docs,
)

_INDEX_NEW = "INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)"  # (seq, title, body) of new articles
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
SCHEMA_VERSION = len(MIGRATIONS)
_COLS = "seq, id, url, source, title, standfirst, keywords, captions, authors, published_at, language, body, origin"


def default_path() -> str:
    return os.environ.get("STORYLINE_DB") or "storyline.db"


def fts_query(q: str) -> str:
    """User words as an FTS5 query of quoted terms (so no user syntax reaches the parser)."""
    terms = [t.replace('"', '""') for t in storable(q).split() if t.strip()]
    return " ".join(f'"{t}"' for t in terms) or '""'


class SQLiteStore:
    """Articles and stories in one SQLite file. Each batch is one transaction, so a killed
    process leaves the store as it was after the last whole batch."""

    def __init__(self, path: str | None = None, check_same_thread: bool = True) -> None:
        self.path = path or default_path()
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                        check_same_thread=check_same_thread)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open store ({exc})") from None
        self._lock = threading.RLock()
        self.defer_docs = False  # True: save_assignments leaves the story documents to flush_story_docs

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {version} is newer than this storyline ({SCHEMA_VERSION})")
        for n in range(version, SCHEMA_VERSION):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for stmt in _split_sql(MIGRATIONS[n]):
                    if stmt.strip().startswith("ALTER TABLE stories ADD COLUMN") and stmt.split()[5] in {
                            r[1] for r in self.conn.execute("PRAGMA table_info(stories)")}:
                        continue  # there already (a store whose version was set back, as a test does)
                    self.conn.execute(stmt)
                if n + 1 == 9:  # every story's search document, written from its members
                    _backfill_story_docs(self.conn.cursor())
                self.conn.execute(f"PRAGMA user_version={n + 1}")
                self.conn.execute("COMMIT")
            except Exception:
                self.conn.execute("ROLLBACK")
                raise

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
                              " value=excluded.value", (key, value))

    @contextlib.contextmanager
    def cluster_lock(self) -> Iterator[None]:
        """One story engine at a time on this store, across threads and processes (an advisory
        lock on a file beside the database), so two writers never assign from stale state."""
        if self.path in ("", ":memory:") or self.path.startswith("file:"):
            with self._lock:
                yield
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: one clusterer per process only
            with _PROCESS_LOCKS.setdefault(os.path.abspath(self.path), threading.Lock()):
                yield
            return
        with open(self.path + "-cluster.lock", "a+b") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- articles -------------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        statuses: list[str] = []
        with self._lock:
            cur = self.conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                searchable = []  # (seq, title, body) of the new articles, for the full-text index
                changed: list[str] = []  # ids of stored articles whose text changed
                for a in articles:
                    a = a.storable()  # no NUL or lone surrogate reaches the file (an API caller's article)
                    h = a.content_hash()
                    row = cur.execute("SELECT content_hash FROM articles WHERE id=?", (a.id,)).fetchone()
                    if row is None:
                        values = article_row(a)
                        cur.execute(
                            f"INSERT INTO articles ({_COLS[5:]}, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            values + (h,),
                        )
                        searchable.append((cur.lastrowid, values[3], values[10]))
                        statuses.append("new")
                    elif row[0] == h:
                        statuses.append("unchanged")
                    else:
                        if searchable:  # the update's trigger rewrites the row's entry: it must be in the index
                            cur.executemany(_INDEX_NEW, searchable)
                            searchable.clear()
                        cur.execute(
                            "UPDATE articles SET url=?, source=?, title=?, standfirst=?, keywords=?, captions=?,"
                            " authors=?, published_at=?, language=?, body=?, origin=?, content_hash=? WHERE id=?",
                            article_row(a)[1:] + (h, a.id),
                        )
                        changed.append(a.id)
                        statuses.append("updated")
                cur.executemany(_INDEX_NEW, searchable)
                if changed:  # a changed text changes its story's search document (words may have gone)
                    _rewrite_story_docs(cur, set(_column(cur, "SELECT DISTINCT story_id FROM assignments"
                                                                " WHERE article_id IN ({})", changed)))
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        return statuses

    def get_article(self, article_id: str) -> Article:
        article_id = storable(article_id)
        row = self.conn.execute(f"SELECT {_COLS} FROM articles WHERE id=?", (article_id,)).fetchone()
        row = one_by_id("article", article_id, row, lambda: self._by_prefix(f"SELECT {_COLS} FROM articles", "id", article_id))
        return article_from_row(row)

    def _by_prefix(self, select: str, column: str, prefix: str) -> list[sqlite3.Row]:
        """Rows whose id starts with `prefix` (at most 11: enough to list and say there are more)."""
        prefix = storable(prefix)
        if not prefix:
            return []
        hi = storable(prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF)))  # a range, not LIKE: no wildcard in a user's id
        return self.conn.execute(f"{select} WHERE {column} >= ? AND {column} < ? ORDER BY {column} LIMIT 11",
                                 (prefix, hi)).fetchall()

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    @staticmethod
    def _article_filter(search: str | None, source: str | None) -> tuple[str, list[Any]]:
        """The FROM-clause tail and parameters that pick articles by full-text search and outlet."""
        sql, where, params = "", [], []  # type: ignore[var-annotated]
        if search:
            sql += " JOIN articles_fts f ON f.rowid = a.seq"
            where.append("articles_fts MATCH ?")
            params.append(fts_query(search))
        if source:  # an outlet's name in any case: "meridian times" finds "Meridian Times"
            where.append("a.source = ? COLLATE NOCASE")
            params.append(storable(source))
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

    def list_articles(self, search: str | None = None, source: str | None = None,
                      limit: int | None = 50, offset: int = 0) -> list[Article]:
        tail, params = self._article_filter(search, source)
        sql = f"SELECT {', '.join('a.' + c.strip() for c in _COLS.split(','))} FROM articles a" + tail
        sql += " ORDER BY a.seq" if not search else " ORDER BY rank"
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        return [article_from_row(r) for r in self.conn.execute(sql, params)]

    def count_articles(self, search: str | None = None, source: str | None = None) -> int:
        """How many articles match (all of them without filters)."""
        tail, params = self._article_filter(search, source)
        return int(self.conn.execute("SELECT COUNT(*) FROM articles a" + tail, params).fetchone()[0])

    def stories_of(self, article_ids: list[str]) -> dict[str, str]:
        """Article id -> story id, for the given articles that have a story."""
        out: dict[str, str] = {}
        for i in range(0, len(article_ids), 500):
            part = article_ids[i:i + 500]
            out.update(self.conn.execute(
                f"SELECT article_id, story_id FROM assignments WHERE article_id IN ({','.join('?' * len(part))})",
                part).fetchall())
        return out

    def iter_articles(self, after_seq: int = 0) -> Iterator[tuple[int, Article]]:
        last = after_seq
        while True:
            rows = self.conn.execute(f"SELECT {_COLS} FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000",
                                     (last,)).fetchall()
            if not rows:
                return
            for r in rows:
                yield r["seq"], article_from_row(r)
            last = rows[-1]["seq"]

    def last_seq(self) -> int:
        """The sequence number of the newest article (0 when empty): a cheap sign the store grew."""
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0])

    def outlets_in_order(self) -> list[str | None]:
        """Every outlet, in the order the store first saw it (a stable order: new ones go last)."""
        return [r[0] for r in self.conn.execute("SELECT source FROM articles GROUP BY source ORDER BY MIN(seq)")]

    def sources(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT source, COUNT(*) FROM articles GROUP BY source ORDER BY COUNT(*) DESC, source")]

    # -- stories --------------------------------------------------------------------------
    def save_assignments(self, rows: Iterable[dict[str, Any]], stories: Iterable[dict[str, Any]],
                         merged: dict[str, str], moved: dict[str, str] | None = None,
                         archive: dict[str, dict[str, Any] | None] | None = None) -> None:
        rows, stories = list(rows), list(stories)
        with self._lock:
            cur = self.conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                ids = [r["article_id"] for r in rows]
                before = dict(_pairs(cur, "SELECT article_id, story_id FROM assignments WHERE article_id IN ({})", ids))
                cur.executemany(
                    "INSERT OR REPLACE INTO assignments (article_id, story_id, duplicate_of, wire, score, seq, step)"
                    " VALUES (:article_id, :story_id, :duplicate_of, :wire, :score, :seq, :step)",
                    [dict(r, step=r.get("step")) for r in rows])
                for old, new in merged.items():
                    cur.execute("INSERT OR REPLACE INTO merged_stories VALUES (?, ?)", (old, new))
                    cur.execute("UPDATE assignments SET story_id=? WHERE story_id=?", (new, old))
                    cur.execute("DELETE FROM stories WHERE id=?", (old,))
                # articles a split moved to a new story (the stories they leave lose words: rewritten)
                left = set(_column(cur, "SELECT story_id FROM assignments WHERE article_id IN ({})", list(moved or {})))
                cur.executemany("UPDATE assignments SET story_id=? WHERE article_id=?",
                                [(new, article_id) for article_id, new in (moved or {}).items()])
                cur.executemany(
                    "INSERT INTO stories (id, title, articles, sources, independent, first_at, last_at,"
                    " updated_seq, outlets, continues) VALUES (:id, :title, :articles, :sources, :independent,"
                    " :first_at, :last_at, :updated_seq, :outlets, :continues) ON CONFLICT(id) DO UPDATE SET"
                    " title=excluded.title, articles=excluded.articles, sources=excluded.sources,"
                    " independent=excluded.independent, first_at=excluded.first_at,"
                    " last_at=excluded.last_at, updated_seq=excluded.updated_seq, outlets=excluded.outlets,"
                    " continues=COALESCE(excluded.continues, stories.continues)",
                    [dict(s, outlets=json.dumps(s["outlets"]), continues=s.get("continues")) for s in stories])
                # the archive's changes (id -> its record, or None when it left the archive)
                cur.executemany("DELETE FROM story_archive WHERE id=?", [(k,) for k, r in (archive or {}).items() if r is None])
                cur.executemany("INSERT OR REPLACE INTO story_archive (id, record) VALUES (?, ?)",
                                [(k, json.dumps(r)) for k, r in (archive or {}).items() if r is not None])
                _note_story_docs(cur, rows, before, stories, merged, left | set((moved or {}).values()), self.defer_docs)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def flush_story_docs(self, least: int = 1) -> bool:
        """Write the story documents that saves left to write (`defer_docs`), when they are those
        of at least `least` articles; False when none were written."""
        with self._lock:
            return _flush_pending(self.conn, least)

    def unassigned_order(self) -> list[tuple[int, str | None]]:
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT a.seq, a.published_at FROM articles a LEFT JOIN assignments x ON x.article_id = a.id"
            " WHERE x.article_id IS NULL ORDER BY a.seq")]

    def last_step(self) -> int:
        # MAX(COALESCE(step, seq)) over every row, as two lookups in the index on step (the web page
        # asks on every page of stories: a scan of all assignments was 40 ms at 100,000 articles)
        return int(self.conn.execute(
            "SELECT MAX(COALESCE((SELECT MAX(step) FROM assignments), 0),"
            " COALESCE((SELECT MAX(seq) FROM assignments WHERE step IS NULL), 0))").fetchone()[0])

    def articles_by_seq(self, seqs: list[int]) -> dict[int, Article]:
        out: dict[int, Article] = {}
        for i in range(0, len(seqs), 500):
            part = list(seqs[i:i + 500])
            for r in self.conn.execute(f"SELECT {_COLS} FROM articles WHERE seq IN ({','.join('?' * len(part))})", part):
                out[r["seq"]] = article_from_row(r)
        return out

    def assigned_articles(self, story_id: str | None = None) -> list[tuple[int, Article, str, str | None, int]]:
        """(seq, article, story id, duplicate of, step) in the order the story engine took them."""
        cols = ", ".join("a." + c.strip() for c in _COLS.split(","))
        where, params = ("WHERE x.story_id = ?", [story_id]) if story_id else ("", [])
        rows = self.conn.execute(f"SELECT {cols}, x.story_id, x.duplicate_of, COALESCE(x.step, x.seq) AS step"
                                 f" FROM articles a JOIN assignments x ON x.article_id = a.id {where}"
                                 " ORDER BY COALESCE(x.step, x.seq)", params)
        return [(r["seq"], article_from_row(r), r["story_id"], r["duplicate_of"], r["step"]) for r in rows]

    def export_articles(self) -> Iterator[dict[str, Any]]:
        """Every article as a flat row with its story, the original it copies and its wire credit
        (in store order, read 1,000 at a time)."""
        cols = ", ".join("a." + c.strip() for c in _COLS.split(","))
        last = 0
        while True:
            rows = self.conn.execute(f"SELECT {cols}, x.story_id, x.duplicate_of, x.wire FROM articles a"
                                     " LEFT JOIN assignments x ON x.article_id = a.id WHERE a.seq > ?"
                                     " ORDER BY a.seq LIMIT 1000", (last,)).fetchall()
            if not rows:
                return
            for r in rows:
                yield export_row(article_from_row(r), r)
            last = rows[-1]["seq"]

    def story_archive(self) -> list[dict[str, Any]]:
        """The records of evicted stories (stories/archive.py), least recently evicted first."""
        return [json.loads(r[0]) for r in self.conn.execute("SELECT record FROM story_archive ORDER BY n")]

    def story_links(self) -> dict[str, str]:
        """Every story that continues an earlier one: story id -> the earlier story's id."""
        return dict(self.conn.execute("SELECT id, continues FROM stories WHERE continues IS NOT NULL").fetchall())

    def merged_stories(self) -> dict[str, str]:
        """Every merge so far: old story id -> the id it was merged into."""
        return dict(self.conn.execute("SELECT old_id, into_id FROM merged_stories").fetchall())

    def stories_between(self, start: str, end: str) -> list[str]:
        """Ids of stories whose time span meets [start, end] (ISO strings)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM stories WHERE first_at IS NOT NULL AND first_at <= ? AND last_at >= ? ORDER BY id",
            (end, start))]

    #: STORYLINE_STORY_SEARCH=walk: search stories by walking their matching articles, as before
    #: schema 9 (kept to compare against: benchmarks/bench_web.py, tests/test_story_search.py)
    walk_articles = os.environ.get("STORYLINE_STORY_SEARCH") == "walk"

    def _story_filter(self, search: str | None, min_sources: int) -> tuple[str, list[Any]]:
        if search and not self.walk_articles:
            return (" WHERE s.rowid IN (SELECT rowid FROM story_docs_fts WHERE story_docs_fts MATCH ?)"
                    " AND s.independent >= ?", [story_fts_query(search), min_sources])
        return self._walk_filter(search, min_sources)

    def _count_found(self, search: str, min_sources: int) -> int:
        """How many stories a search finds: the index's count of matching documents, less those of
        stories under `min_sources` (found through the index on `independent`: none for 1)."""
        q = story_fts_query(search)
        found = int(self.conn.execute("SELECT COUNT(*) FROM story_docs_fts WHERE story_docs_fts MATCH ?", (q,)).fetchone()[0])
        under = self.conn.execute(
            "SELECT COUNT(*) FROM stories s INDEXED BY stories_independent WHERE s.independent < ? AND s.rowid IN"
            " (SELECT rowid FROM story_docs_fts WHERE story_docs_fts MATCH ?)", (min_sources, q)).fetchone()[0]
        return found - int(under)

    @staticmethod
    def _walk_filter(search: str | None, min_sources: int) -> tuple[str, list[Any]]:
        if search:
            return (" WHERE (s.rowid IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)"
                    " OR s.id IN (SELECT x.story_id FROM assignments x JOIN articles a ON a.id = x.article_id"
                    " JOIN articles_fts f ON f.rowid = a.seq WHERE articles_fts MATCH ?))"
                    " AND s.independent >= ?", [fts_query(search), fts_query(search), min_sources])
        return " WHERE s.independent >= ?", [min_sources]

    def list_stories(self, search: str | None = None, min_sources: int = 1, sort: str = "latest",
                     limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        where, params = self._story_filter(search, min_sources)
        params += [-1 if limit is None else limit, offset]
        return [story_from_row(r) for r in self.conn.execute(_story_query(where, sort), params)]

    def count_stories(self, search: str | None = None, min_sources: int = 1) -> int:
        """How many stories match (all of them without filters)."""
        if search and not self.walk_articles:
            return self._count_found(search, min_sources)
        where, params = self._story_filter(search, min_sources)
        return int(self.conn.execute("SELECT COUNT(*) FROM stories s" + where, params).fetchone()[0])

    def story_page(self, search: str | None = None, min_sources: int = 1, sort: str = "latest",
                   limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        if not search:  # the page walks an index and the count is cheap: two queries are faster
            return self.list_stories(None, min_sources, sort, limit, offset), self.count_stories(None, min_sources)
        where, params = self._story_filter(search, min_sources)
        if not self.walk_articles:
            # the page's rowids in order (only the sort keys of the matches are read), then its rows;
            # the total from the index's count
            order = _STORY_ORDER.get(sort, _STORY_ORDER["latest"])
            seqs = [r[0] for r in self.conn.execute(f"SELECT s.rowid FROM stories s{where} ORDER BY {order}, s.id"
                                                    " LIMIT ? OFFSET ?", params + [limit, offset])]
            got = {r["rowid_"]: story_from_row(r) for r in self.conn.execute(
                f"SELECT s.*, s.rowid AS rowid_ FROM stories s WHERE s.rowid IN ({','.join('?' * len(seqs))})", seqs)}
            items = [got[n] for n in seqs]
            for d in items:
                d.pop("rowid_")
            return items, self._count_found(search, min_sources)
        rows = self.conn.execute(_story_query(where, sort, ", COUNT(*) OVER () AS total_"),
                                 params + [limit, offset]).fetchall()
        if not rows:  # past the last page: the window count has no row to ride on
            return [], self.count_stories(search, min_sources)
        total = int(rows[0]["total_"])
        items = []
        for r in rows:
            d = story_from_row(r)
            d.pop("total_")
            items.append(d)
        return items, total

    def resolve_story_id(self, story_id: str) -> str:
        story_id = storable(story_id)
        seen = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self.conn.execute("SELECT into_id FROM merged_stories WHERE old_id=?", (story_id,)).fetchone()
            if row is None:
                break
            story_id = row[0]
        return story_id

    def story_version(self, story_id: str) -> tuple[str, int]:
        """(current id, last update) of a story: a cheap key for caches of its views."""
        sid = self.resolve_story_id(story_id)
        row = self.conn.execute("SELECT id, updated_seq FROM stories WHERE id=?", (sid,)).fetchone()
        if row is None:
            return self.get_story(story_id)["id"], self.get_story(story_id)["updated_seq"]
        return row[0], int(row[1])

    def get_story(self, story_id: str, members: bool = True) -> dict[str, Any]:
        sid = self.resolve_story_id(story_id)
        row = self.conn.execute("SELECT * FROM stories WHERE id=?", (sid,)).fetchone()
        row = one_by_id("story", story_id, row, lambda: self._by_prefix("SELECT * FROM stories", "id", story_id))
        story = story_from_row(row)
        if not members:
            return story
        rows = self.conn.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _COLS.split(','))}, x.duplicate_of, x.wire, x.score"
            " FROM assignments x JOIN articles a ON a.id = x.article_id WHERE x.story_id=?"
            " ORDER BY COALESCE(a.published_at, ''), a.seq", (story["id"],)).fetchall()
        story["members"] = [
            {"article": article_from_row(r), "duplicate_of": r["duplicate_of"], "wire": r["wire"], "score": r["score"]}
            for r in rows
        ]
        return story

    def outlet_counts(self, story_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Per story, per outlet: how many originals and how many copies it published."""
        out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in story_ids}
        for i in range(0, len(story_ids), 500):
            part = story_ids[i:i + 500]
            rows = self.conn.execute(
                "SELECT x.story_id, a.source, SUM(x.duplicate_of IS NULL), SUM(x.duplicate_of IS NOT NULL)"
                " FROM assignments x JOIN articles a ON a.id = x.article_id"
                f" WHERE x.story_id IN ({','.join('?' * len(part))}) GROUP BY x.story_id, a.source"
                " ORDER BY x.story_id, 3 DESC, 4 DESC, a.source", part).fetchall()
            for sid, source, originals, copies in rows:
                out[sid].append({"name": source, "originals": int(originals), "copies": int(copies)})
        return out

    def languages_of(self, story_ids: list[str]) -> dict[str, dict[str, int]]:
        """Per story, its articles' languages with how many articles each (most first)."""
        out: dict[str, dict[str, int]] = {sid: {} for sid in story_ids}
        for i in range(0, len(story_ids), 500):
            part = story_ids[i:i + 500]
            for sid, lang, k in self.conn.execute(
                    "SELECT x.story_id, a.language, COUNT(*) FROM assignments x JOIN articles a ON a.id = x.article_id"
                    f" WHERE x.story_id IN ({','.join('?' * len(part))}) AND a.language IS NOT NULL"
                    " GROUP BY x.story_id, a.language ORDER BY x.story_id, 3 DESC, a.language", part):
                out[sid][lang] = int(k)
        return out

    def story_of(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT story_id FROM assignments WHERE article_id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def copies_of(self, article_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT article_id FROM assignments WHERE duplicate_of=? ORDER BY seq", (article_id,))]

    def assignment(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM assignments WHERE article_id=?", (article_id,)).fetchone()
        return dict(row) if row else None

    # -- outlets and coverage -------------------------------------------------------------
    def coverage_rows(self, story_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Every assigned article (or those of `story_ids`) as the coverage needs it: its story,
        outlet, address, date, language, and the original it copies and the wire it credits."""
        sql = ("SELECT a.id AS article_id, x.story_id, a.source, a.url, a.published_at, a.language, x.duplicate_of,"
               " x.wire, a.seq FROM assignments x JOIN articles a ON a.id = x.article_id")
        if story_ids is None:
            return [dict(r) for r in self.conn.execute(sql + " ORDER BY a.seq")]
        out: list[dict[str, Any]] = []
        for i in range(0, len(story_ids), 500):
            part = story_ids[i:i + 500]
            out += [dict(r) for r in self.conn.execute(
                sql + f" WHERE x.story_id IN ({','.join('?' * len(part))}) ORDER BY a.seq", part)]
        return out

    def outlet_registry(self) -> list[dict[str, Any]]:
        """The imported outlets: name, the domains that join it, and its attributes."""
        return [{"name": r[0], "domains": json.loads(r[1]), "attributes": json.loads(r[2])}
                for r in self.conn.execute("SELECT name, domains, attributes FROM outlets ORDER BY name")]

    def save_outlets(self, outlets: Iterable[dict[str, Any]]) -> None:
        """Add or replace registry entries (by name), in one transaction."""
        with self._lock:
            cur = self.conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.executemany("INSERT INTO outlets (name, domains, attributes) VALUES (?, ?, ?) ON CONFLICT(name)"
                                " DO UPDATE SET domains=excluded.domains, attributes=excluded.attributes",
                                [(storable(o["name"]), json.dumps(o["domains"], ensure_ascii=False),
                                  json.dumps(o["attributes"], ensure_ascii=False)) for o in outlets])
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def story_conflicts(self, story_ids: list[str] | None = None) -> dict[str, tuple[int, dict[str, Any]]]:
        """Per compared story (all, or those of `story_ids`): (its version when compared, what the
        comparison found: conflicts, updates, and per outlet the conflicts it took a side in)."""
        sql = "SELECT story_id, updated_seq, outlets FROM story_conflicts"
        if story_ids is None:
            rows = self.conn.execute(sql).fetchall()
        else:
            rows = []
            for i in range(0, len(story_ids), 500):
                part = story_ids[i:i + 500]
                rows += self.conn.execute(sql + f" WHERE story_id IN ({','.join('?' * len(part))})", part).fetchall()
        return {r[0]: (int(r[1]), json.loads(r[2])) for r in rows}

    def save_story_conflicts(self, story_id: str, updated_seq: int, outlets: dict[str, Any]) -> None:
        with self._lock:
            self.conn.execute("INSERT INTO story_conflicts (story_id, updated_seq, outlets) VALUES (?, ?, ?)"
                              " ON CONFLICT(story_id) DO UPDATE SET updated_seq=excluded.updated_seq,"
                              " outlets=excluded.outlets", (story_id, updated_seq, json.dumps(outlets, ensure_ascii=False)))

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute("SELECT etag, last_modified FROM http_cache WHERE url=?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_http(self, url: str, etag: str | None, last_modified: str | None, status: int | None,
                  error: str | None, checked_at: str) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT INTO http_cache (url, etag, last_modified, checked_at, status, error) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET etag=COALESCE(excluded.etag, etag),"
                " last_modified=COALESCE(excluded.last_modified, last_modified), checked_at=excluded.checked_at,"
                " status=excluded.status, error=excluded.error", (url, etag, last_modified, checked_at, status, error))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _split_sql(script: str) -> list[str]:
    """Statements of a migration (trigger bodies hold semicolons, so split on `END;` too)."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


_STORY_ORDER = {"latest": "s.last_at DESC, s.updated_seq DESC",
                "size": "s.articles DESC, s.independent DESC, s.last_at DESC",
                "sources": "s.independent DESC, s.articles DESC, s.last_at DESC"}


def _story_query(where: str, sort: str, extra: str = "") -> str:
    """A page of stories under `where` in the `sort` order (then by id); `extra` adds columns."""
    order = _STORY_ORDER.get(sort, _STORY_ORDER["latest"])
    return f"SELECT s.*{extra} FROM stories s{where} ORDER BY {order}, s.id LIMIT ? OFFSET ?"
