"""RSS and Atom feeds through feedparser: each entry an article, the feed's title its source."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..dates import to_iso
from ..errors import UnreadableInput
from ..model import Article
from .base import Item, ReaderOptions, finish, paragraphs


def html_to_paragraphs(html: str) -> list[str]:
    """Paragraphs of an HTML fragment (feed summaries and content)."""
    if "<" not in html:
        return paragraphs(html)
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several kinds on junk
        return paragraphs(html)
    blocks = []
    for el in root.iter("p", "li", "h2", "h3", "blockquote"):
        text = " ".join(el.text_content().split())
        if text:
            blocks.append(text)
    return blocks or paragraphs(root.text_content())


def parse_feed(data: bytes, origin: str) -> tuple[str | None, list[Any], str | None]:
    import feedparser

    parsed = feedparser.parse(data)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise UnreadableInput(origin, f"not a valid RSS/Atom feed ({reason})" if reason else "not a valid RSS/Atom feed")
    problem = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    return (parsed.feed.get("title") or None), list(parsed.entries), problem


def entry_article(entry: Any, feed_title: str | None, origin: str, options: ReaderOptions) -> Article:
    content = ""
    if entry.get("content"):
        content = max((c.get("value", "") for c in entry.content), key=len)
    summary = entry.get("summary") or ""
    body = html_to_paragraphs(content or summary)
    standfirst = None
    if content and summary:
        sf = html_to_paragraphs(summary)
        standfirst = sf[0] if sf and sf[0] not in body else None
    authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry.author]
    art = Article(
        title=entry.get("title") or "",
        body=body,
        url=entry.get("link"),
        source=feed_title,
        standfirst=standfirst,
        keywords=[t.get("term") for t in entry.get("tags", []) if t.get("term")],
        authors=authors,
        published_at=to_iso(entry.get("published") or entry.get("updated")),
    )
    return finish(art, origin, options)


def read_feed(data: bytes, origin: str, options: ReaderOptions) -> Iterator[Item]:
    title, entries, problem = parse_feed(data, origin)
    if not entries:
        raise UnreadableInput(origin, f"malformed feed with no entries ({problem})" if problem else "feed has no entries")
    results: list[Item] = []
    for n, entry in enumerate(entries):
        where = f"{origin}#{entry.get('id') or entry.get('link') or n}"
        try:
            results.append(entry_article(entry, title, where, options))
        except UnreadableInput as exc:
            results.append(exc)
    if problem and not any(isinstance(r, Article) for r in results):
        raise UnreadableInput(origin, f"malformed feed: no readable entry ({problem})")
    yield from results
