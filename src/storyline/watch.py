"""Watch RSS/Atom feeds over HTTP: conditional GET (ETag, Last-Modified) for feeds and pages,
timeouts, a clear error for a dead feed, and incremental story updates after every poll.

Each poll stores its articles in one transaction and then assigns them to stories, so stopping
(Ctrl-C) between or during polls never leaves anything half-written."""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .errors import UnreadableInput
from .model import Article, id_for_url
from .readers import ReaderOptions
from .readers.feed import entry_article, parse_feed
from .readers.html import parse_html

USER_AGENT = "storyline/0.1 (+https://pypi.org/project/storyline)"


@dataclass
class Fetched:
    status: int  # 200, or 304 when unchanged
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class PollResult:
    feed: str
    new: int = 0
    unchanged: int = 0
    not_modified: bool = False
    error: str | None = None
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        if self.error:
            return f"{self.feed}: error: {self.error}"
        if self.not_modified:
            return f"{self.feed}: not modified"
        extra = f", {len(self.failed)} failed" if self.failed else ""
        return f"{self.feed}: {self.new} new, {self.unchanged} unchanged{extra}"


def fetch(url: str, store: Any, timeout: float, max_bytes: int) -> Fetched:
    """GET with the validators stored for this URL; raises UnreadableInput with a one-line reason."""
    etag, modified = store.http_validators(url)
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    if etag:
        req.add_header("If-None-Match", etag)
    if modified:
        req.add_header("If-Modified-Since", modified)
    now = datetime.now(timezone.utc).isoformat()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) URLs given by the user
            body = resp.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise UnreadableInput(url, f"response over {max_bytes:,} bytes")
            got = Fetched(resp.status, body, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            store.save_http(url, None, None, 304, None, now)
            return Fetched(304)
        store.save_http(url, None, None, exc.code, f"HTTP {exc.code}", now)
        raise UnreadableInput(url, f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = str(exc.reason)
        store.save_http(url, None, None, None, reason, now)
        raise UnreadableInput(url, f"cannot connect ({reason})") from None
    except (TimeoutError, OSError) as exc:
        store.save_http(url, None, None, None, str(exc) or "timed out", now)
        raise UnreadableInput(url, f"timed out after {timeout:g} s" if isinstance(exc, TimeoutError) else str(exc)) from None
    store.save_http(url, got.etag, got.last_modified, got.status, None, now)
    return got


def poll(feed: str, store: Any, timeout: float = 10.0, fetch_pages: bool = True,
         options: ReaderOptions | None = None) -> PollResult:
    """One poll of one feed: new entries' pages are fetched, read and stored in one batch."""
    options = options or ReaderOptions()
    result = PollResult(feed)
    try:
        got = fetch(feed, store, timeout, max(options.max_bytes, 64 << 20))
    except UnreadableInput as exc:
        result.error = exc.reason
        return result
    if got.status == 304:
        result.not_modified = True
        return result
    try:
        title, entries, _ = parse_feed(got.body, feed)
    except UnreadableInput as exc:
        result.error = exc.reason
        return result
    batch: list[Article] = []
    for n, entry in enumerate(entries):
        link = entry.get("link")
        where = f"{feed}#{entry.get('id') or link or n}"
        known = id_for_url(link)
        if known and store.has_article(known):
            result.unchanged += 1
            continue
        article = None
        if fetch_pages and link and link.startswith(("http://", "https://")):
            try:
                page = fetch(link, store, timeout, options.max_bytes)
                if page.status == 200:
                    article = parse_html(page.body, link, options, url=link)
                    article.source = title or article.source
            except UnreadableInput as exc:
                result.failed.append((link, exc.reason))
        if article is None:
            try:
                article = entry_article(entry, title, where, options)  # the feed's own text
            except UnreadableInput as exc:
                result.failed.append((exc.origin, exc.reason))
                continue
        article.published_at = article.published_at or _entry_date(entry)
        article.origin = where
        batch.append(article)
    if batch:
        for status in store.add_articles(batch):
            if status == "new":
                result.new += 1
            else:
                result.unchanged += 1
    return result


def _entry_date(entry: Any) -> str | None:
    from .dates import to_iso

    return to_iso(entry.get("published") or entry.get("updated"))


def watch(feeds: list[str], store: Any, every: float = 300.0, once: bool = False, timeout: float = 10.0,
          fetch_pages: bool = True, on_poll: Callable[[PollResult], None] | None = None,
          sleep: Callable[[float], None] | None = None) -> int:
    """Poll every feed, update stories, wait, repeat; returns the number of new articles."""
    from .stories import cluster_store

    total = 0
    while True:
        for feed in feeds:
            result = poll(feed, store, timeout, fetch_pages)
            total += result.new
            if on_poll:
                on_poll(result)
        cluster_store(store)
        if once:
            return total
        (sleep or time.sleep)(every)
