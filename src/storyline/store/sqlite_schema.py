"""The SQLite store's schema, as the migrations that build it: the n-th entry takes a store from
version n to n+1 (`PRAGMA user_version`), so a store made by any earlier version is brought up to
date when opened."""

MIGRATIONS: list[str] = [
    # 1: articles and their full-text index
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        url TEXT, source TEXT, title TEXT NOT NULL, standfirst TEXT,
        keywords TEXT NOT NULL, captions TEXT NOT NULL, authors TEXT NOT NULL,
        published_at TEXT, language TEXT, body TEXT NOT NULL, origin TEXT,
        content_hash TEXT NOT NULL
    );
    CREATE INDEX articles_source ON articles(source);
    CREATE INDEX articles_published ON articles(published_at);
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='seq');
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
    END;
    """,
    # 2: stories, their articles (with copies and wire credits) and merges
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, articles INTEGER NOT NULL,
        sources INTEGER NOT NULL, independent INTEGER NOT NULL,
        first_at TEXT, last_at TEXT, updated_seq INTEGER NOT NULL, outlets TEXT NOT NULL
    );
    CREATE INDEX stories_last ON stories(last_at);
    CREATE TABLE assignments (
        article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, duplicate_of TEXT,
        wire TEXT, score REAL, seq INTEGER NOT NULL
    );
    CREATE INDEX assignments_story ON assignments(story_id);
    CREATE TABLE merged_stories (old_id TEXT PRIMARY KEY, into_id TEXT NOT NULL);
    CREATE VIRTUAL TABLE stories_fts USING fts5(title, content='stories', content_rowid='rowid');
    CREATE TRIGGER stories_ai AFTER INSERT ON stories BEGIN
        INSERT INTO stories_fts(rowid, title) VALUES (new.rowid, new.title);
    END;
    CREATE TRIGGER stories_ad AFTER DELETE ON stories BEGIN
        INSERT INTO stories_fts(stories_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
    END;
    CREATE TRIGGER stories_au AFTER UPDATE ON stories BEGIN
        INSERT INTO stories_fts(stories_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
        INSERT INTO stories_fts(rowid, title) VALUES (new.rowid, new.title);
    END;
    """,
    # 3: HTTP validators of polled feeds and fetched pages (conditional GET)
    """
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT, status INTEGER, error TEXT
    );
    """,
    # 4: the order in which the story engine took the articles, so a resumed run replays it
    """
    ALTER TABLE assignments ADD COLUMN step INTEGER;
    CREATE INDEX assignments_step ON assignments(step);
    """,
    # 5: facts about the store itself (who made it: the demo only ever replaces its own stores)
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    """,
    # 6: a story's search entry is rewritten only when its title changes (the engine saves every
    # touched story after each chunk, and most keep their title)
    """
    DROP TRIGGER stories_au;
    CREATE TRIGGER stories_au AFTER UPDATE OF title ON stories WHEN old.title IS NOT new.title BEGIN
        INSERT INTO stories_fts(stories_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
        INSERT INTO stories_fts(rowid, title) VALUES (new.rowid, new.title);
    END;
    """,
    # 7: new articles' search entries are written by add_articles, a batch in one statement: through
    # a trigger, FTS5 wrote its pending terms out at every row (the trigger's savepoint), which made
    # the full-text index cost three times what it does in a batch (100,000 generated articles:
    # 8.5 s of inserting instead of 3.5)
    """
    DROP TRIGGER articles_ai;
    """,
    # 8: the outlet registry (attributes a user imported, keyed by outlet name, with the domains
    # that join it) and, per compared story, how many conflicts each outlet takes a side in
    """
    CREATE TABLE IF NOT EXISTS outlets (name TEXT PRIMARY KEY, domains TEXT NOT NULL, attributes TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS story_conflicts (story_id TEXT PRIMARY KEY, updated_seq INTEGER NOT NULL, outlets TEXT NOT NULL);
    """,
    # 9: each story's search document (the words of its title and of every member's title and text,
    # and its outlets), kept as articles join, merge, split and change, so that a story search reads
    # one full-text index of stories instead of every matching article; filled by _backfill_story_docs.
    # A document's number is its story's rowid (as stories_fts's), so a match is a story without a
    # lookup; the index on `independent` counts the matches under a --min-sources without reading them
    """
    CREATE INDEX IF NOT EXISTS stories_independent ON stories(independent);
    CREATE TABLE IF NOT EXISTS story_docs (
        seq INTEGER PRIMARY KEY, story_id TEXT NOT NULL UNIQUE, words TEXT NOT NULL, outlets TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS story_docs_fts USING fts5(words, outlets, content='story_docs', content_rowid='seq');
    CREATE TRIGGER IF NOT EXISTS story_docs_ai AFTER INSERT ON story_docs BEGIN
        INSERT INTO story_docs_fts(rowid, words, outlets) VALUES (new.seq, new.words, new.outlets);
    END;
    CREATE TRIGGER IF NOT EXISTS story_docs_ad AFTER DELETE ON story_docs BEGIN
        INSERT INTO story_docs_fts(story_docs_fts, rowid, words, outlets) VALUES ('delete', old.seq, old.words, old.outlets);
    END;
    CREATE TRIGGER IF NOT EXISTS story_docs_au AFTER UPDATE ON story_docs BEGIN
        INSERT INTO story_docs_fts(story_docs_fts, rowid, words, outlets) VALUES ('delete', old.seq, old.words, old.outlets);
        INSERT INTO story_docs_fts(rowid, words, outlets) VALUES (new.seq, new.words, new.outlets);
    END;
    """,
    # 10: the earlier story a story continues (a return after the engine's window, stories/archive.py),
    # and the archive of evicted stories that such a link is found in, least recently evicted first
    # (bounded by the engine: at most archive.ARCHIVE_MAX rows of ~300 bytes)
    """
    ALTER TABLE stories ADD COLUMN continues TEXT;
    CREATE TABLE IF NOT EXISTS story_archive (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
    """,
    # 11: what the story documents still need (sqlite_story_docs._note_story_docs), so that the
    # assignment beside an ingest leaves writing them to the ingest's own process
    """
    CREATE TABLE IF NOT EXISTS story_docs_todo (article_id TEXT PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS story_docs_stale (story_id TEXT PRIMARY KEY, rewrite INTEGER NOT NULL);
    """,
]
