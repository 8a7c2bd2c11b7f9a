"""A PostgreSQL backend (psycopg 3) of the same store: for several writers and readers at once
(a newsroom's web page, feed watchers and ingests). Full-text search is a generated tsvector
with a GIN index; writes are idempotent (an article's id is its key, a re-run changes nothing);
each batch is one transaction, so a killed process leaves the store as after its last whole batch;
one story engine at a time holds an advisory lock. Select it with `--db postgresql://…`.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import StoreError
from ..model import Article, resolve_merged, storable
from .base import article_from_row, article_row, export_row, one_by_id, story_from_row

MIGRATIONS: list[str] = [
    # 1: the whole schema of SQLite's version 5, in PostgreSQL's words
    """
    CREATE TABLE articles (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT, source TEXT, title TEXT NOT NULL, standfirst TEXT,
        keywords TEXT NOT NULL, captions TEXT NOT NULL, authors TEXT NOT NULL,
        published_at TEXT, language TEXT, body TEXT NOT NULL, origin TEXT,
        content_hash TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS
            (to_tsvector('simple', left(title || ' ' || body, 500000))) STORED
    );
    CREATE INDEX articles_source ON articles(source);
    CREATE INDEX articles_published ON articles(published_at);
    CREATE INDEX articles_tsv ON articles USING GIN (tsv);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, articles INTEGER NOT NULL,
        sources INTEGER NOT NULL, independent INTEGER NOT NULL,
        first_at TEXT, last_at TEXT, updated_seq BIGINT NOT NULL, outlets TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED
    );
    CREATE INDEX stories_last ON stories(last_at);
    CREATE INDEX stories_tsv ON stories USING GIN (tsv);
    CREATE TABLE assignments (
        article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, duplicate_of TEXT,
        wire TEXT, score DOUBLE PRECISION, seq BIGINT NOT NULL, step BIGINT
    );
    CREATE INDEX assignments_story ON assignments(story_id);
    CREATE INDEX assignments_step ON assignments(step);
    CREATE INDEX assignments_dup ON assignments(duplicate_of);
    CREATE TABLE merged_stories (old_id TEXT PRIMARY KEY, into_id TEXT NOT NULL);
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT, status INTEGER, error TEXT
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    """,
    # 2: the outlet registry and the conflicts of compared stories per outlet (SQLite's version 8)
    """
    CREATE TABLE IF NOT EXISTS outlets (name TEXT PRIMARY KEY, domains TEXT NOT NULL, attributes TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS story_conflicts (story_id TEXT PRIMARY KEY, updated_seq BIGINT NOT NULL, outlets TEXT NOT NULL);
    """,
    # 3: each story's search document (SQLite's version 9): the lexemes of its title and of every
    # member's title and text (their tsv, without positions) and its outlets, with a GIN index, kept
    # as articles join, merge, split and change; filled here from the stories' members. The vectors
    # live out of line (toast_tuple_target), so the rows a search visits after the index are small;
    # the index on `independent` counts the matches under a --min-sources without reading the others
    """
    CREATE TABLE IF NOT EXISTS story_docs (
        story_id TEXT PRIMARY KEY, words tsvector NOT NULL, outlets TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (words || to_tsvector('simple', outlets)) STORED
    ) WITH (toast_tuple_target = 128);
    CREATE INDEX IF NOT EXISTS story_docs_tsv ON story_docs USING GIN (tsv);
    CREATE INDEX IF NOT EXISTS stories_independent ON stories(independent);
    DELETE FROM story_docs;
    INSERT INTO story_docs (story_id, words, outlets)
        SELECT s.id, COALESCE(m.words, ''::tsvector) || strip(to_tsvector('simple', s.title)),
               COALESCE((SELECT string_agg(k, ' ' ORDER BY k) FROM json_object_keys(s.outlets::json) AS k), '')
        FROM stories s LEFT JOIN (
            SELECT x.story_id, array_to_tsvector(array_agg(DISTINCT l.lexeme)) AS words
            FROM assignments x JOIN articles a ON a.id = x.article_id CROSS JOIN LATERAL unnest(a.tsv) AS l
            GROUP BY x.story_id) m ON m.story_id = s.id;
    """,
    # 4: the earlier story a story continues and the archive of evicted stories (SQLite's version 10)
    """
    ALTER TABLE stories ADD COLUMN IF NOT EXISTS continues TEXT;
    CREATE TABLE IF NOT EXISTS story_archive (n BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
    """,
]
#: the lexemes of the members of the stories a query picks (`{}`: a WHERE on assignments x)
_MEMBER_WORDS = ("SELECT x.story_id, array_to_tsvector(array_agg(DISTINCT l.lexeme)) AS words FROM assignments x"
                 " JOIN articles a ON a.id = x.article_id CROSS JOIN LATERAL unnest(a.tsv) AS l WHERE {} GROUP BY x.story_id")
SCHEMA_VERSION = len(MIGRATIONS)
_COLS = "seq, id, url, source, title, standfirst, keywords, captions, authors, published_at, language, body, origin"
_A_COLS = ", ".join("a." + c.strip() for c in _COLS.split(","))
_LOCK_MIGRATE = 0x5703_1001  # advisory lock keys (any 64-bit numbers of our own)
_LOCK_CLUSTER = 0x5703_1002


def is_postgres_url(path: str | None) -> bool:
    return bool(path) and re.match(r"^postgres(?:ql)?://", path or "") is not None


def _text(v: Any) -> Any:
    """PostgreSQL text holds no NUL character and psycopg encodes no lone surrogate: every string
    parameter is made `storable` (a user's query, an id typed by hand)."""
    return storable(v) if isinstance(v, str) else v


def _pg_row(a: Article) -> tuple[Any, ...]:
    return tuple(_text(v) for v in article_row(a))


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


class PostgresStore:
    """Articles and stories in a PostgreSQL database, behind the same methods as SQLiteStore."""

    def __init__(self, url: str, **_: object) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self.path = url
        self._url = url
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
            self._migrate()
        except psycopg.Error as exc:
            raise StoreError(f"{_safe(url)}: cannot open store ({str(exc).strip().splitlines()[0]})") from None
        self._lock = threading.RLock()

    def _q(self, sql: str, params: Any = ()) -> Any:
        if isinstance(params, dict):
            params = {k: _text(v) for k, v in params.items()}
        else:
            params = [_text(v) for v in params]
        return self.conn.execute(sql, params)

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.conn.transaction():
            self._q("SELECT pg_advisory_xact_lock(%s)", (_LOCK_MIGRATE,))  # two processes never migrate at once
            self._q("CREATE TABLE IF NOT EXISTS storyline_schema (version INTEGER NOT NULL)")
            row = self._q("SELECT version FROM storyline_schema").fetchone()
            version = row["version"] if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(f"{_safe(self._url)}: schema version {version} is newer than this storyline ({SCHEMA_VERSION})")
            for n in range(version, SCHEMA_VERSION):
                self._q(MIGRATIONS[n])
            if row is None:
                self._q("INSERT INTO storyline_schema (version) VALUES (%s)", (SCHEMA_VERSION,))
            elif version != SCHEMA_VERSION:
                self._q("UPDATE storyline_schema SET version=%s", (SCHEMA_VERSION,))

    @property
    def schema_version(self) -> int:
        return int(self._q("SELECT version FROM storyline_schema").fetchone()["version"])

    def get_meta(self, key: str) -> str | None:
        row = self._q("SELECT value FROM meta WHERE key=%s", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._q("INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                    (key, value))

    @contextlib.contextmanager
    def cluster_lock(self) -> Iterator[None]:
        """One story engine at a time on this database, across processes and machines: a session
        advisory lock on a connection of its own, released when the block ends (or the process dies)."""
        import psycopg

        with psycopg.connect(self._url, autocommit=True) as lock_conn:
            lock_conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_CLUSTER,))
            try:
                yield
            finally:
                lock_conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_CLUSTER,))

    # -- articles -------------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        """One transaction; writers take turns (a table lock, as SQLite's write lock), so sequence
        numbers have no gaps and a killed batch followed by a re-run numbers articles exactly as an
        uninterrupted run would. Three round trips a batch: what is stored, the new rows, the changed."""
        arts = list(articles)
        statuses: list[str] = []
        with self._lock, self.conn.transaction():
            self._q("LOCK TABLE articles IN SHARE ROW EXCLUSIVE MODE")
            seq = int(self._q("SELECT COALESCE(MAX(seq), 0) AS n FROM articles").fetchone()["n"])
            stored = {r["id"]: r["content_hash"] for r in self._q(
                "SELECT id, content_hash FROM articles WHERE id = ANY(%s)", (list({a.id for a in arts}),))}
            new: dict[str, tuple[Any, ...]] = {}
            changed: dict[str, tuple[Any, ...]] = {}
            for a in map(Article.storable, arts):
                h = a.content_hash()
                if a.id not in stored:
                    seq += 1
                    new[a.id] = (seq,) + _pg_row(a) + (h,)
                    statuses.append("new")
                elif stored[a.id] == h:
                    statuses.append("unchanged")
                    continue
                else:
                    row = _pg_row(a)[1:] + (h, a.id)
                    if a.id in new:  # changed again within this batch: the new row takes the last text
                        new[a.id] = new[a.id][:2] + row[:-2] + (h,)
                    else:
                        changed[a.id] = row
                    statuses.append("updated")
                stored[a.id] = h
            with self.conn.cursor() as cur:
                if new:
                    cur.executemany(f"INSERT INTO articles (seq, {_COLS[5:]}, content_hash) VALUES"
                                    " (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", list(new.values()))
                if changed:  # a changed text changes its story's search document (words may have gone)
                    cur.executemany("UPDATE articles SET url=%s, source=%s, title=%s, standfirst=%s, keywords=%s,"
                                    " captions=%s, authors=%s, published_at=%s, language=%s, body=%s, origin=%s,"
                                    " content_hash=%s WHERE id=%s", list(changed.values()))
                    self._rewrite_story_docs([r["story_id"] for r in self._q(
                        "SELECT DISTINCT story_id FROM assignments WHERE article_id = ANY(%s)", (list(changed),))])
        return statuses

    # -- story search documents -------------------------------------------------------------
    def _rewrite_story_docs(self, story_ids: list[str]) -> None:
        """These stories' documents written again from all their members (a member left or changed);
        a story that is gone loses its document. Inside the caller's transaction."""
        if not story_ids:
            return
        ids = sorted(set(story_ids))
        self._q("DELETE FROM story_docs WHERE story_id = ANY(%s)", (ids,))
        self._q("INSERT INTO story_docs (story_id, words, outlets)"
                " SELECT s.id, COALESCE(m.words, ''::tsvector) || strip(to_tsvector('simple', s.title)),"
                " COALESCE((SELECT string_agg(k, ' ' ORDER BY k) FROM json_object_keys(s.outlets::json) AS k), '')"
                f" FROM stories s LEFT JOIN ({_MEMBER_WORDS.format('x.story_id = ANY(%s)')}) m ON m.story_id = s.id"
                " WHERE s.id = ANY(%s)", (ids, ids))

    def _update_story_docs(self, article_ids: list[str], before: dict[str, str], stories: list[dict[str, Any]],
                           merged: dict[str, str], rewrite: set[str]) -> None:
        """After save_assignments' writes: the documents of the stories they touched. A story that only
        gained (new members, a story merged into it, a new title or outlet) adds their lexemes to its
        document; one that lost members (a split, an article assigned elsewhere) is written again."""
        now = {r["article_id"]: r["story_id"] for r in self._q(
            "SELECT article_id, story_id FROM assignments WHERE article_id = ANY(%s)", (article_ids,))}
        joined = [aid for aid, sid in now.items() if before.get(aid) != sid]
        rewrite |= {x for aid in joined if aid in before for x in (before[aid], now[aid])}
        # a story's own title and outlets (a new story's document starts here)
        self.conn.cursor().executemany(
            "INSERT INTO story_docs (story_id, words, outlets) VALUES (%s, strip(to_tsvector('simple', %s)), %s)"
            " ON CONFLICT (story_id) DO UPDATE SET words = story_docs.words || excluded.words, outlets = excluded.outlets"
            " WHERE story_docs.words || excluded.words <> story_docs.words OR story_docs.outlets <> excluded.outlets",
            [(_text(s["id"]), _text(s["title"]), _text(" ".join(sorted(o for o in s["outlets"] if o)))) for s in stories])
        # stories merged away give their words to the story they joined
        for old in merged:
            into = resolve_merged(merged, old)
            self._q("INSERT INTO story_docs (story_id, words, outlets) SELECT %s, o.words, '' FROM story_docs o"
                    " WHERE o.story_id = %s ON CONFLICT (story_id) DO UPDATE SET words = story_docs.words || excluded.words"
                    " WHERE story_docs.words || excluded.words <> story_docs.words", (into, old))
        self._q("DELETE FROM story_docs WHERE story_id = ANY(%s)", (list(merged),))
        # new members' lexemes
        self._q("INSERT INTO story_docs (story_id, words, outlets) SELECT m.story_id, m.words, '' FROM"
                f" ({_MEMBER_WORDS.format('x.article_id = ANY(%s)')}) m JOIN stories s ON s.id = m.story_id"
                " ON CONFLICT (story_id) DO UPDATE SET words = story_docs.words || excluded.words"
                " WHERE story_docs.words || excluded.words <> story_docs.words", (joined,))
        self._rewrite_story_docs([resolve_merged(merged, sid) for sid in rewrite])

    def _by_prefix(self, select: str, column: str, prefix: str) -> list[dict[str, Any]]:
        if not prefix:
            return []
        hi = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))  # a range, not LIKE: no wildcard in a user's id
        return self._q(f"{select} WHERE {column} >= %s AND {column} < %s ORDER BY {column} LIMIT 11",
                       (prefix, hi)).fetchall()

    def get_article(self, article_id: str) -> Article:
        row = self._q(f"SELECT {_COLS} FROM articles WHERE id=%s", (article_id,)).fetchone()
        row = one_by_id("article", article_id, row, lambda: self._by_prefix(f"SELECT {_COLS} FROM articles", "id", article_id))
        return article_from_row(row)

    def has_article(self, article_id: str) -> bool:
        return self._q("SELECT 1 FROM articles WHERE id=%s", (article_id,)).fetchone() is not None

    @staticmethod
    def _article_filter(search: str | None, source: str | None) -> tuple[str, list[Any]]:
        where, params = [], []  # type: ignore[var-annotated]
        if search:
            where.append("a.tsv @@ plainto_tsquery('simple', %s)")
            params.append(search)
        if source:  # an outlet's name in any case: "meridian times" finds "Meridian Times"
            where.append("lower(a.source) = lower(%s)")
            params.append(source)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def list_articles(self, search: str | None = None, source: str | None = None,
                      limit: int | None = 50, offset: int = 0) -> list[Article]:
        where, params = self._article_filter(search, source)
        order = " ORDER BY a.seq" if not search else " ORDER BY ts_rank(a.tsv, plainto_tsquery('simple', %s)) DESC, a.seq"
        if search:
            params.append(search)
        rows = self._q(f"SELECT {_A_COLS} FROM articles a{where}{order} LIMIT %s OFFSET %s", params + [limit, offset])
        return [article_from_row(r) for r in rows]

    def count_articles(self, search: str | None = None, source: str | None = None) -> int:
        where, params = self._article_filter(search, source)
        return int(self._q(f"SELECT COUNT(*) AS n FROM articles a{where}", params).fetchone()["n"])

    def stories_of(self, article_ids: list[str]) -> dict[str, str]:
        rows = self._q("SELECT article_id, story_id FROM assignments WHERE article_id = ANY(%s)", (list(article_ids),))
        return {r["article_id"]: r["story_id"] for r in rows}

    def iter_articles(self, after_seq: int = 0) -> Iterator[tuple[int, Article]]:
        last = after_seq
        while True:
            rows = self._q(f"SELECT {_COLS} FROM articles WHERE seq > %s ORDER BY seq LIMIT 1000", (last,)).fetchall()
            if not rows:
                return
            for r in rows:
                yield r["seq"], article_from_row(r)
            last = rows[-1]["seq"]

    def export_articles(self) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            rows = self._q(f"SELECT {_A_COLS}, x.story_id, x.duplicate_of, x.wire FROM articles a"
                           " LEFT JOIN assignments x ON x.article_id = a.id WHERE a.seq > %s ORDER BY a.seq LIMIT 1000",
                           (last,)).fetchall()
            if not rows:
                return
            for r in rows:
                yield export_row(article_from_row(r), r)
            last = rows[-1]["seq"]

    def last_seq(self) -> int:
        return int(self._q("SELECT COALESCE(MAX(seq), 0) AS n FROM articles").fetchone()["n"])

    def outlets_in_order(self) -> list[str | None]:
        return [r["source"] for r in self._q("SELECT source FROM articles GROUP BY source ORDER BY MIN(seq)")]

    def sources(self) -> list[tuple[str, int]]:
        return [(r["source"], r["n"]) for r in self._q(
            "SELECT source, COUNT(*) AS n FROM articles GROUP BY source ORDER BY COUNT(*) DESC, source")]

    # -- stories --------------------------------------------------------------------------
    def save_assignments(self, rows: Iterable[dict[str, Any]], stories: Iterable[dict[str, Any]],
                         merged: dict[str, str], moved: dict[str, str] | None = None,
                         archive: dict[str, dict[str, Any] | None] | None = None) -> None:
        rows, stories = list(rows), list(stories)
        with self._lock, self.conn.transaction():
            ids = [r["article_id"] for r in rows]
            before = {r["article_id"]: r["story_id"] for r in self._q(
                "SELECT article_id, story_id FROM assignments WHERE article_id = ANY(%s)", (ids,))}
            with self.conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO assignments (article_id, story_id, duplicate_of, wire, score, seq, step)"
                    " VALUES (%(article_id)s, %(story_id)s, %(duplicate_of)s, %(wire)s, %(score)s, %(seq)s, %(step)s)"
                    " ON CONFLICT (article_id) DO UPDATE SET story_id=excluded.story_id, duplicate_of=excluded.duplicate_of,"
                    " wire=excluded.wire, score=excluded.score, seq=excluded.seq, step=excluded.step",
                    [dict(r, step=r.get("step")) for r in rows])
                for old, new in merged.items():
                    cur.execute("INSERT INTO merged_stories VALUES (%s, %s) ON CONFLICT (old_id) DO UPDATE SET"
                                " into_id=excluded.into_id", (old, new))
                    cur.execute("UPDATE assignments SET story_id=%s WHERE story_id=%s", (new, old))
                    cur.execute("DELETE FROM stories WHERE id=%s", (old,))
                # the stories a split's articles leave lose words: their documents are written again
                left = {r["story_id"] for r in self._q("SELECT story_id FROM assignments WHERE article_id = ANY(%s)",
                                                       (list(moved or {}),))}
                cur.executemany("UPDATE assignments SET story_id=%s WHERE article_id=%s",
                                [(new, article_id) for article_id, new in (moved or {}).items()])
                cur.executemany(
                    "INSERT INTO stories (id, title, articles, sources, independent, first_at, last_at, updated_seq, outlets,"
                    " continues) VALUES (%(id)s, %(title)s, %(articles)s, %(sources)s, %(independent)s, %(first_at)s,"
                    " %(last_at)s, %(updated_seq)s, %(outlets)s, %(continues)s) ON CONFLICT (id) DO UPDATE SET"
                    " title=excluded.title, articles=excluded.articles, sources=excluded.sources,"
                    " independent=excluded.independent, first_at=excluded.first_at, last_at=excluded.last_at,"
                    " updated_seq=excluded.updated_seq, outlets=excluded.outlets,"
                    " continues=COALESCE(excluded.continues, stories.continues)",
                    [dict(s, outlets=json.dumps(s["outlets"]), continues=s.get("continues")) for s in stories])
                # the archive's changes (id -> its record, or None when it left the archive), in order
                for k, r in (archive or {}).items():
                    cur.execute("DELETE FROM story_archive WHERE id=%s", (k,))
                    if r is not None:
                        cur.execute("INSERT INTO story_archive (id, record) VALUES (%s, %s)", (k, _text(json.dumps(r))))
            self._update_story_docs(ids, before, stories, merged, left | set((moved or {}).values()))

    def unassigned_order(self) -> list[tuple[int, str | None]]:
        return [(r["seq"], r["published_at"]) for r in self._q(
            "SELECT a.seq, a.published_at FROM articles a LEFT JOIN assignments x ON x.article_id = a.id"
            " WHERE x.article_id IS NULL ORDER BY a.seq")]

    def articles_by_seq(self, seqs: list[int]) -> dict[int, Article]:
        return {r["seq"]: article_from_row(r) for r in self._q(f"SELECT {_COLS} FROM articles WHERE seq = ANY(%s)", (list(seqs),))}

    def last_step(self) -> int:
        # MAX(COALESCE(step, seq)) over every row, through the index on step (asked on every page of stories)
        return int(self._q("SELECT GREATEST(COALESCE((SELECT MAX(step) FROM assignments), 0),"
                           " COALESCE((SELECT MAX(seq) FROM assignments WHERE step IS NULL), 0)) AS n").fetchone()["n"])

    def assigned_articles(self, story_id: str | None = None) -> list[tuple[int, Article, str, str | None, int]]:
        where, params = ("WHERE x.story_id = %s", [story_id]) if story_id else ("", [])
        rows = self._q(f"SELECT {_A_COLS}, x.story_id, x.duplicate_of, COALESCE(x.step, x.seq) AS step"
                       f" FROM articles a JOIN assignments x ON x.article_id = a.id {where}"
                       " ORDER BY COALESCE(x.step, x.seq)", params)
        return [(r["seq"], article_from_row(r), r["story_id"], r["duplicate_of"], r["step"]) for r in rows]

    def story_archive(self) -> list[dict[str, Any]]:
        """The records of evicted stories (stories/archive.py), least recently evicted first."""
        return [json.loads(r["record"]) for r in self._q("SELECT record FROM story_archive ORDER BY n")]

    def story_links(self) -> dict[str, str]:
        """Every story that continues an earlier one: story id -> the earlier story's id."""
        return {r["id"]: r["continues"] for r in self._q("SELECT id, continues FROM stories WHERE continues IS NOT NULL")}

    def merged_stories(self) -> dict[str, str]:
        return {r["old_id"]: r["into_id"] for r in self._q("SELECT old_id, into_id FROM merged_stories")}

    def stories_between(self, start: str, end: str) -> list[str]:
        return [r["id"] for r in self._q(
            "SELECT id FROM stories WHERE first_at IS NOT NULL AND first_at <= %s AND last_at >= %s ORDER BY id",
            (end, start))]

    #: STORYLINE_STORY_SEARCH=walk: search stories by walking their matching articles, as before
    #: schema 3 (kept to compare against: benchmarks/bench_web.py, tests/test_story_search.py)
    walk_articles = os.environ.get("STORYLINE_STORY_SEARCH") == "walk"

    def _story_filter(self, search: str | None, min_sources: int) -> tuple[str, list[Any]]:
        if search and not self.walk_articles:
            return (" WHERE s.id IN (SELECT d.story_id FROM story_docs d WHERE d.tsv @@ plainto_tsquery('simple', %s))"
                    " AND s.independent >= %s", [search, min_sources])
        return self._walk_filter(search, min_sources)

    @staticmethod
    def _walk_filter(search: str | None, min_sources: int) -> tuple[str, list[Any]]:
        if search:
            return (" WHERE (s.tsv @@ plainto_tsquery('simple', %s) OR s.id IN (SELECT x.story_id FROM assignments x"
                    " JOIN articles a ON a.id = x.article_id WHERE a.tsv @@ plainto_tsquery('simple', %s)))"
                    " AND s.independent >= %s", [search, search, min_sources])
        return " WHERE s.independent >= %s", [min_sources]

    def list_stories(self, search: str | None = None, min_sources: int = 1, sort: str = "latest",
                     limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        where, params = self._story_filter(search, min_sources)
        return [story_from_row(r) for r in self._q(_story_query(where, sort), params + [limit, offset])]

    def _count_found(self, search: str, min_sources: int) -> int:
        """How many stories a search finds: the matching documents, less those of stories under
        `min_sources` (none for 1)."""
        found = self._q("SELECT COUNT(*) AS n FROM story_docs d WHERE d.tsv @@ plainto_tsquery('simple', %s)",
                        (search,)).fetchone()["n"]
        under = self._q("SELECT COUNT(*) AS n FROM stories s JOIN story_docs d ON d.story_id = s.id WHERE"
                        " s.independent < %s AND d.tsv @@ plainto_tsquery('simple', %s)", (min_sources, search)).fetchone()["n"]
        return int(found) - int(under)

    def count_stories(self, search: str | None = None, min_sources: int = 1) -> int:
        if search and not self.walk_articles:
            return self._count_found(search, min_sources)
        where, params = self._story_filter(search, min_sources)
        return int(self._q(f"SELECT COUNT(*) AS n FROM stories s{where}", params).fetchone()["n"])

    def story_page(self, search: str | None = None, min_sources: int = 1, sort: str = "latest",
                   limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        if not search:
            return self.list_stories(None, min_sources, sort, limit, offset), self.count_stories(None, min_sources)
        where, params = self._story_filter(search, min_sources)
        if not self.walk_articles:
            # the page's ids in order (only the sort keys of the matches are read), then its rows;
            # the total from the index. The matches are always taken from the GIN index: for a common
            # word the planner would rather read every document and test it, which detoasts each
            # vector (at 100,000 articles: 89 ms and 53 ms for the count, against 64 and 14)
            order = _STORY_ORDER.get(sort, _STORY_ORDER["latest"])
            with self._lock, self.conn.transaction():
                self._q("SET LOCAL enable_seqscan = off")
                ids = [r["id"] for r in self._q(f"SELECT s.id FROM stories s{where} ORDER BY {order}, s.id"
                                                " LIMIT %s OFFSET %s", params + [limit, offset])]
                got = {r["id"]: story_from_row(r) for r in self._q(
                    f"SELECT {self._STORY_COLS} FROM stories WHERE id = ANY(%s)", (ids,))}
                total = self._count_found(search, min_sources)
            return [got[i] for i in ids], total
        rows = self._q(_story_query(where, sort, ", COUNT(*) OVER () AS total_"), params + [limit, offset]).fetchall()
        if not rows:
            return [], self.count_stories(search, min_sources)
        total = int(rows[0]["total_"])
        return [story_from_row({k: v for k, v in dict(r).items() if k != "total_"}) for r in rows], total

    def resolve_story_id(self, story_id: str) -> str:
        seen = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self._q("SELECT into_id FROM merged_stories WHERE old_id=%s", (story_id,)).fetchone()
            if row is None:
                break
            story_id = row["into_id"]
        return story_id

    def story_version(self, story_id: str) -> tuple[str, int]:
        sid = self.resolve_story_id(story_id)
        row = self._q("SELECT id, updated_seq FROM stories WHERE id=%s", (sid,)).fetchone()
        if row is None:
            s = self.get_story(story_id, members=False)
            return s["id"], s["updated_seq"]
        return row["id"], int(row["updated_seq"])

    _STORY_COLS = "id, title, articles, sources, independent, first_at, last_at, updated_seq, outlets, continues"

    def get_story(self, story_id: str, members: bool = True) -> dict[str, Any]:
        sid = self.resolve_story_id(story_id)
        row = self._q(f"SELECT {self._STORY_COLS} FROM stories WHERE id=%s", (sid,)).fetchone()
        row = one_by_id("story", story_id, row, lambda: self._by_prefix(f"SELECT {self._STORY_COLS} FROM stories", "id", story_id))
        story = story_from_row(row)
        if not members:
            return story
        rows = self._q(f"SELECT {_A_COLS}, x.duplicate_of, x.wire, x.score FROM assignments x"
                       " JOIN articles a ON a.id = x.article_id WHERE x.story_id=%s"
                       " ORDER BY COALESCE(a.published_at, ''), a.seq", (story["id"],)).fetchall()
        story["members"] = [{"article": article_from_row(r), "duplicate_of": r["duplicate_of"], "wire": r["wire"],
                             "score": r["score"]} for r in rows]
        return story

    def outlet_counts(self, story_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in story_ids}
        rows = self._q(
            "SELECT x.story_id, a.source, SUM(CASE WHEN x.duplicate_of IS NULL THEN 1 ELSE 0 END) AS originals,"
            " SUM(CASE WHEN x.duplicate_of IS NULL THEN 0 ELSE 1 END) AS copies"
            " FROM assignments x JOIN articles a ON a.id = x.article_id WHERE x.story_id = ANY(%s)"
            " GROUP BY x.story_id, a.source ORDER BY x.story_id, 3 DESC, 4 DESC, a.source", (list(story_ids),))
        for r in rows:
            out[r["story_id"]].append({"name": r["source"], "originals": int(r["originals"]), "copies": int(r["copies"])})
        return out

    def languages_of(self, story_ids: list[str]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {sid: {} for sid in story_ids}
        for r in self._q("SELECT x.story_id, a.language, COUNT(*) AS n FROM assignments x JOIN articles a"
                         " ON a.id = x.article_id WHERE x.story_id = ANY(%s) AND a.language IS NOT NULL"
                         " GROUP BY x.story_id, a.language ORDER BY x.story_id, 3 DESC, a.language", (list(story_ids),)):
            out[r["story_id"]][r["language"]] = int(r["n"])
        return out

    def story_of(self, article_id: str) -> str | None:
        row = self._q("SELECT story_id FROM assignments WHERE article_id=%s", (article_id,)).fetchone()
        return row["story_id"] if row else None

    def copies_of(self, article_id: str) -> list[str]:
        return [r["article_id"] for r in self._q(
            "SELECT article_id FROM assignments WHERE duplicate_of=%s ORDER BY seq", (article_id,))]

    def assignment(self, article_id: str) -> dict[str, Any] | None:
        row = self._q("SELECT article_id, story_id, duplicate_of, wire, score, seq, step FROM assignments"
                      " WHERE article_id=%s", (article_id,)).fetchone()
        return dict(row) if row else None

    # -- outlets and coverage -------------------------------------------------------------
    def coverage_rows(self, story_ids: list[str] | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT a.id AS article_id, x.story_id, a.source, a.url, a.published_at, a.language, x.duplicate_of,"
               " x.wire, a.seq FROM assignments x JOIN articles a ON a.id = x.article_id")
        if story_ids is None:
            return [dict(r) for r in self._q(sql + " ORDER BY a.seq")]
        return [dict(r) for r in self._q(sql + " WHERE x.story_id = ANY(%s) ORDER BY a.seq", (list(story_ids),))]

    def outlet_registry(self) -> list[dict[str, Any]]:
        return [{"name": r["name"], "domains": json.loads(r["domains"]), "attributes": json.loads(r["attributes"])}
                for r in self._q("SELECT name, domains, attributes FROM outlets ORDER BY name")]

    def save_outlets(self, outlets: Iterable[dict[str, Any]]) -> None:
        with self._lock, self.conn.transaction():
            for o in outlets:
                self._q("INSERT INTO outlets (name, domains, attributes) VALUES (%s, %s, %s) ON CONFLICT (name)"
                        " DO UPDATE SET domains=excluded.domains, attributes=excluded.attributes",
                        (o["name"], json.dumps(o["domains"], ensure_ascii=False),
                         json.dumps(o["attributes"], ensure_ascii=False)))

    def story_conflicts(self, story_ids: list[str] | None = None) -> dict[str, tuple[int, dict[str, Any]]]:
        sql = "SELECT story_id, updated_seq, outlets FROM story_conflicts"
        rows = self._q(sql) if story_ids is None else self._q(sql + " WHERE story_id = ANY(%s)", (list(story_ids),))
        return {r["story_id"]: (int(r["updated_seq"]), json.loads(r["outlets"])) for r in rows}

    def save_story_conflicts(self, story_id: str, updated_seq: int, outlets: dict[str, Any]) -> None:
        with self._lock:
            self._q("INSERT INTO story_conflicts (story_id, updated_seq, outlets) VALUES (%s, %s, %s)"
                    " ON CONFLICT (story_id) DO UPDATE SET updated_seq=excluded.updated_seq, outlets=excluded.outlets",
                    (story_id, updated_seq, json.dumps(outlets, ensure_ascii=False)))

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self._q("SELECT etag, last_modified FROM http_cache WHERE url=%s", (url,)).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_http(self, url: str, etag: str | None, last_modified: str | None, status: int | None,
                  error: str | None, checked_at: str) -> None:
        with self._lock:
            self._q("INSERT INTO http_cache (url, etag, last_modified, checked_at, status, error)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET"
                    " etag=COALESCE(excluded.etag, http_cache.etag),"
                    " last_modified=COALESCE(excluded.last_modified, http_cache.last_modified),"
                    " checked_at=excluded.checked_at, status=excluded.status, error=excluded.error",
                    (url, etag, last_modified, checked_at, status, error))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_STORY_ORDER = {"latest": "s.last_at DESC NULLS LAST, s.updated_seq DESC",
                "size": "s.articles DESC, s.independent DESC, s.last_at DESC NULLS LAST",
                "sources": "s.independent DESC, s.articles DESC, s.last_at DESC NULLS LAST"}


def _story_query(where: str, sort: str, extra: str = "") -> str:
    """A page of stories under `where` in the `sort` order (then by id); `extra` adds columns."""
    order = _STORY_ORDER.get(sort, _STORY_ORDER["latest"])
    return (f"SELECT s.id, s.title, s.articles, s.sources, s.independent, s.first_at, s.last_at, s.updated_seq,"
            f" s.outlets, s.continues{extra} FROM stories s{where} ORDER BY {order}, s.id LIMIT %s OFFSET %s")
