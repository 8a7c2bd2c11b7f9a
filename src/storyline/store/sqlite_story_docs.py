"""Each story's search document in the SQLite store (the table story_docs and its full-text index
story_docs_fts, schema 9): written when a story is made, and kept as articles join, merge, split
and change, so that a story search reads one index of stories instead of every matching article.
The words a document holds are store/search.py's; SQLiteStore calls these inside its own
transactions (add_articles, save_assignments, and the migration that backfills every story); save_assignments
notes what the documents need and _flush_story_docs writes it, in the same transaction or, for
the story assignment that runs beside an ingest, later and for several chunks at once. Here
too, as the documents need them first: _column and _pairs, a query's rows for a list of values read
500 values a query (SQLiteStore uses them as well).
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..model import resolve_merged
from .search import doc_words, join_words, outlet_text, split_words


def _column(cur: sqlite3.Cursor, sql: str, values: list[Any]) -> list[Any]:
    """The first column of `sql` (an IN ({}) of `values`), 500 values a query."""
    return [r[0] for r in _pairs(cur, sql, values)]


def _pairs(cur: sqlite3.Cursor, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(values), 500):
        part = values[i:i + 500]
        out += [tuple(r) for r in cur.execute(sql.format(",".join("?" * len(part))), part)]
    return out


def _member_words(cur: sqlite3.Cursor, story_ids: list[str]) -> dict[str, set[str]]:
    """Every word of the titles and texts of these stories' members, and of their own titles."""
    out: dict[str, set[str]] = {sid: set() for sid in story_ids}
    for sid, title in _pairs(cur, "SELECT id, title FROM stories WHERE id IN ({})", story_ids):
        out[sid] |= doc_words([title])
    for sid, title, body in _pairs(cur, "SELECT x.story_id, a.title, a.body FROM assignments x JOIN articles a"
                                   " ON a.id = x.article_id WHERE x.story_id IN ({})", story_ids):
        out[sid] |= doc_words([title, body])
    return out


def _save_docs(cur: sqlite3.Cursor, docs: dict[str, tuple[set[str], str]]) -> None:
    """Write these documents (story id -> (words, outlets)) where they differ from the stored ones."""
    stored = {sid: (w, o) for sid, w, o in _pairs(
        cur, "SELECT story_id, words, outlets FROM story_docs WHERE story_id IN ({})", list(docs))}
    todo = []
    for sid, (words, outlets) in docs.items():
        text = join_words(words)
        if stored.get(sid) != (text, outlets):
            todo.append((sid, text, outlets))
    cur.executemany("INSERT INTO story_docs (seq, story_id, words, outlets) SELECT rowid, id, ?, ? FROM stories"
                    " WHERE id=? ON CONFLICT(story_id) DO UPDATE SET words=excluded.words, outlets=excluded.outlets",
                    [(text, outlets, sid) for sid, text, outlets in todo])


def _outlets_of(cur: sqlite3.Cursor, story_ids: list[str]) -> dict[str, str]:
    return {sid: outlet_text(json.loads(o)) for sid, o in _pairs(
        cur, "SELECT id, outlets FROM stories WHERE id IN ({})", story_ids)}


def _rewrite_story_docs(cur: sqlite3.Cursor, story_ids: set[str]) -> None:
    """These stories' documents written again from all their members (a member left or changed);
    a story that is gone loses its document."""
    ids = sorted(story_ids)
    words, outlets = _member_words(cur, ids), _outlets_of(cur, ids)
    _save_docs(cur, {sid: (words[sid], outlets[sid]) for sid in ids if sid in outlets})
    cur.executemany("DELETE FROM story_docs WHERE story_id=?", [(sid,) for sid in ids if sid not in outlets])


def _note_story_docs(cur: sqlite3.Cursor, rows: list[dict[str, Any]], before: dict[str, str],
                     stories: list[dict[str, Any]], merged: dict[str, str], rewrite: set[str], defer: bool) -> None:
    """After save_assignments' writes: the documents of the stories they touched, written now, or
    with `defer` noted in the same transaction for _flush_story_docs to write later (story_docs_todo:
    articles whose words are not yet in their story's document; story_docs_stale: stories whose
    document, title or outlets are not current, rewrite=1 to write it again from its members).
    A document is a function of its story's members, title and outlets (the title is one of its
    members' headlines, so its words are theirs), so writing it later, once for several chunks,
    writes what writing it at every chunk would. A story merged away loses its document at once
    (its row is gone; its number may go to a new story), and the one it joined is written again
    from its members, which now include the merged story's."""
    for r in rows:
        old = before.get(r["article_id"])
        if old is not None and old != r["story_id"]:  # an article assigned elsewhere: both lose or change words
            rewrite |= {old, r["story_id"]}
    rewrite = {resolve_merged(merged, sid) for sid in rewrite} | {resolve_merged(merged, g) for g in merged}
    stale = {s["id"]: 0 for s in stories} | {sid: 1 for sid in rewrite}
    ids = [r["article_id"] for r in rows]
    cur.executemany("DELETE FROM story_docs WHERE story_id=?", [(g,) for g in merged])
    if not defer:
        _flush_story_docs(cur)  # what a run that deferred them left (an ingest interrupted)
        _write_docs(cur, _pairs(cur, "SELECT x.story_id, a.title, a.body FROM assignments x JOIN articles a"
                                     " ON a.id = x.article_id WHERE x.article_id IN ({})", ids), stale)
        return
    cur.executemany("DELETE FROM story_docs_stale WHERE story_id=?", [(g,) for g in merged])
    cur.executemany("INSERT OR IGNORE INTO story_docs_todo (article_id) VALUES (?)", [(i,) for i in ids])
    cur.executemany("INSERT INTO story_docs_stale (story_id, rewrite) VALUES (?, ?) ON CONFLICT(story_id)"
                    " DO UPDATE SET rewrite=MAX(rewrite, excluded.rewrite)", sorted(stale.items()))


def _flush_story_docs(cur: sqlite3.Cursor) -> bool:
    """Write every document _note_story_docs left to write; False when none was left."""
    stale = dict(cur.execute("SELECT story_id, rewrite FROM story_docs_stale").fetchall())
    todo = cur.execute("SELECT x.story_id, a.title, a.body FROM story_docs_todo t JOIN assignments x"
                       " ON x.article_id = t.article_id JOIN articles a ON a.id = t.article_id").fetchall()
    if stale or todo or cur.execute("SELECT EXISTS(SELECT 1 FROM story_docs_todo)").fetchone()[0]:
        _write_docs(cur, todo, stale)
        cur.execute("DELETE FROM story_docs_todo")
        cur.execute("DELETE FROM story_docs_stale")
    return bool(stale or todo)


def _write_docs(cur: sqlite3.Cursor, joined: list[tuple[Any, ...]], stale: dict[str, int]) -> None:
    """The documents of the stories `stale` names (story id -> 1 to write it again from all its
    members, a story that is gone losing its document; 0 to add to the stored one the words of
    its current title and of `joined`, (story id, title, text) of its new members) and their
    current outlets."""
    rewrite = {sid for sid, again in stale.items() if again}
    gains: dict[str, set[str]] = {sid: set() for sid in stale if sid not in rewrite}
    for sid, title, body in joined:
        if sid not in rewrite:
            gains.setdefault(sid, set()).update(doc_words([title, body]))
    _rewrite_story_docs(cur, rewrite)
    ids = sorted(gains)
    for sid, title in _pairs(cur, "SELECT id, title FROM stories WHERE id IN ({})", ids):
        gains[sid] |= doc_words([title])
    stored = dict(_pairs(cur, "SELECT story_id, words FROM story_docs WHERE story_id IN ({})", ids))
    outlets = _outlets_of(cur, ids)
    _save_docs(cur, {sid: (split_words(stored.get(sid)) | gains[sid], outlets[sid]) for sid in ids if sid in outlets})


FLUSH_SLICE = 200  # stories written a transaction by _flush_pending: the write lock is held briefly


def _flush_pending(conn: sqlite3.Connection, least: int = 1) -> bool:
    """What _flush_story_docs writes, when at least `least` articles (or, with 1, anything) are
    left to write (looked at first without taking the write lock), FLUSH_SLICE stories a
    transaction, so that the story assignment that saves beside it never waits long for the lock.
    Each article noted is assigned to a story noted (the one it joined, or the one that story
    merged into, or a split moved it to: all noted), so a slice takes its stories' articles."""
    articles, stories = conn.execute("SELECT (SELECT COUNT(*) FROM story_docs_todo),"
                                     " (SELECT COUNT(*) FROM story_docs_stale)").fetchone()
    if articles + min(stories, 1) < least or not articles + stories:
        return False
    cur = conn.cursor()
    for _ in range(stories // FLUSH_SLICE + 1):  # what was noted before this call (and some of what comes)
        cur.execute("BEGIN IMMEDIATE")
        try:
            stale = dict(cur.execute("SELECT story_id, rewrite FROM story_docs_stale ORDER BY story_id LIMIT ?",
                                     (FLUSH_SLICE,)).fetchall())
            ids = list(stale)
            if not ids:
                cur.execute("DELETE FROM story_docs_todo")  # (articles no longer assigned)
            joined = _pairs(cur, "SELECT x.story_id, a.title, a.body FROM assignments x JOIN story_docs_todo t"
                            " ON t.article_id = x.article_id JOIN articles a ON a.id = x.article_id"
                            " WHERE x.story_id IN ({})", ids)
            _write_docs(cur, joined, stale)
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                marks = ",".join("?" * len(part))
                cur.execute(f"DELETE FROM story_docs_todo WHERE article_id IN (SELECT article_id FROM assignments"
                            f" WHERE story_id IN ({marks}))", part)
                cur.execute(f"DELETE FROM story_docs_stale WHERE story_id IN ({marks})", part)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        if not ids:
            break
    return True


def _backfill_story_docs(cur: sqlite3.Cursor) -> None:
    """Every story's document, from its members (migration 9), one story at a time in id order."""
    cur.execute("DELETE FROM story_docs")
    ids = [r[0] for r in cur.execute("SELECT id FROM stories ORDER BY id").fetchall()]
    for i in range(0, len(ids), 500):
        _rewrite_story_docs(cur, set(ids[i:i + 500]))
