"""HTML pages through trafilatura: title, author, date, site name, main text."""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

from ..dates import to_iso
from ..errors import UnreadableInput
from ..model import Article
from .base import Item, ReaderOptions, count_words, decode_bytes, finish, page_problem

MIN_WORDS = 12  # words (readers.base.count_words); below this, what trafilatura finds is navigation or boilerplate, not an article
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.I)


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:65536])  # scripts and comments may run long before <head>
    return m.group(1).decode("ascii", "ignore") if m else None


def _extract(html: str, url: str | None, favor_recall: bool) -> tuple[dict, list[str]]:
    """trafilatura's metadata and the text's lines (the title's repeat left out)."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_recall=favor_recall)
    if doc is None:
        return {}, []
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = meta.get("title") or ""
    lines = [ln.strip() for ln in (meta.get("text") or "").split("\n") if ln.strip()]
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]
    return meta, lines


def _problem(lines: list[str]) -> str | None:
    if count_words(" ".join(lines)) < MIN_WORDS:  # a CJK character counts as a word
        return "HTML page holds no article text"
    return page_problem(lines)


def parse_html(html: str | bytes, origin: str, options: ReaderOptions, url: str | None = None) -> Article:
    if isinstance(html, bytes):
        html = decode_bytes(html, declared_charset(html))
    meta, lines = _extract(html, url, favor_recall=False)
    problem = _problem(lines)
    if problem:
        # trafilatura's precise pass found no article: its recall-favouring pass often does
        # (trafilatura's own test pages: 95 characters of slogan against 1,680 of text)
        meta, lines = _extract(html, url, favor_recall=True)
        if _problem(lines):
            raise UnreadableInput(origin, problem)
    title = meta.get("title") or ""
    authors = [a.strip() for a in re.split(r";|,| and ", meta.get("author") or "") if a.strip()]
    tags = meta.get("tags") or meta.get("categories") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    art = Article(
        title=title,
        body=lines,
        url=url or meta.get("url"),
        source=_site_name(meta.get("sitename")),
        standfirst=meta.get("description") or None,
        keywords=list(tags),
        authors=authors,
        published_at=_with_time(to_iso(meta.get("date")), html),
        language=meta.get("language") or None,
    )
    if art.standfirst and lines and lines[0].startswith(art.standfirst[:60]):
        art.standfirst = None
    return finish(art, origin, options)


_PUBLISHED = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:published_time|og:published_time|datePublished|pubdate)["']"""
    r"""[^>]*content=["']([^"']+)["']|"datePublished"\s*:\s*"([^"]+)["]""", re.I)


def _with_time(date: str | None, html: str) -> str | None:
    """The page's publication time when its metadata gives one: htmldate (inside trafilatura)
    keeps the day only, and a story's updates are told apart by the hour."""
    m = _PUBLISHED.search(html[:200_000])
    stamp = to_iso(m.group(1) or m.group(2)) if m else None
    if stamp and len(stamp) > 10 and (date is None or stamp[:10] == date[:10]):
        return stamp
    return date


def _site_name(name: str | None) -> str | None:
    """The page's site name, unless it is an address (trafilatura falls back to the URL, query and
    all: `example.com?example=1`): then None, and the outlet comes from the URL's host."""
    name = (name or "").strip()
    return None if not name or re.search(r"[/?#=&]", name) else name


def read_html(data: bytes, origin: str, options: ReaderOptions) -> Iterator[Item]:
    yield parse_html(data, origin, options)
