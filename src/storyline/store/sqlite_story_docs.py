"""Each story's search document in the SQLite store (the table story_docs and its full-text index
story_docs_fts, schema 9): written when a story is made, and kept as articles join, merge, split
and change, so that a story search reads one index of stories instead of every matching article.
The words a document holds are store/search.py's; SQLiteStore calls these inside its own
transactions (add_articles, save_assignments, and the migration that backfills every story). Here
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


def _update_story_docs(cur: sqlite3.Cursor, article_ids: list[str], before: dict[str, str],
                       stories: list[dict[str, Any]], merged: dict[str, str], rewrite: set[str]) -> None:
    """After save_assignments' writes: the documents of the stories they touched. A story that only
    gained (new members, a story merged into it, a new title) adds their words to its document; one
    that lost members (a split, an article assigned elsewhere) is written again from its members."""
    gains: dict[str, set[str]] = {}
    for aid, sid, title, body in _pairs(cur, "SELECT x.article_id, x.story_id, a.title, a.body FROM assignments x"
                                        " JOIN articles a ON a.id = x.article_id WHERE x.article_id IN ({})", article_ids):
        if before.get(aid) != sid:
            gains.setdefault(sid, set()).update(doc_words([title, body]))
            if aid in before:
                rewrite |= {before[aid], sid}
    gone = list(merged)
    for old, words in _pairs(cur, "SELECT story_id, words FROM story_docs WHERE story_id IN ({})", gone):
        gains.setdefault(resolve_merged(merged, old), set()).update(split_words(words))
    cur.executemany("DELETE FROM story_docs WHERE story_id=?", [(g,) for g in gone])
    for s in stories:
        gains.setdefault(s["id"], set()).update(doc_words([s["title"]]))
    rewrite = {resolve_merged(merged, sid) for sid in rewrite}
    _rewrite_story_docs(cur, rewrite)
    todo = sorted(sid for sid in gains if sid not in rewrite and sid not in merged)
    stored = dict(_pairs(cur, "SELECT story_id, words FROM story_docs WHERE story_id IN ({})", todo))
    outlets = _outlets_of(cur, todo)
    _save_docs(cur, {sid: (split_words(stored.get(sid)) | gains[sid], outlets[sid]) for sid in todo if sid in outlets})


def _backfill_story_docs(cur: sqlite3.Cursor) -> None:
    """Every story's document, from its members (migration 9), one story at a time in id order."""
    cur.execute("DELETE FROM story_docs")
    ids = [r[0] for r in cur.execute("SELECT id FROM stories ORDER BY id").fetchall()]
    for i in range(0, len(ids), 500):
        _rewrite_story_docs(cur, set(ids[i:i + 500]))
