"""RSS and Atom feeds through feedparser: each entry an article, the feed's title its source."""
from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from typing import Any

from ..dates import to_iso
from ..errors import UnreadableInput
from ..model import Article
from .base import MIN_WORDS, Item, ReaderOptions, count_words, finish, paragraphs, reads_as_prose


_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescaped(text: str) -> str:
    """Text with the character references a feed escaped twice (`&amp;amp;`, `&amp;#8217;`)
    decoded; feedparser decodes once, and publishers often escape once too many."""
    for _ in range(3):
        if not _ENTITY.search(text):
            break
        text = htmllib.unescape(text)
    return text


def plain_text(text: str) -> str:
    """A feed's title or other one-line field as plain text: markup dropped, references decoded."""
    if not text:
        return ""
    for _ in range(3):
        before = text
        text = _unescaped(text)
        if _TAG.search(text):
            text = " ".join(p for p in html_to_paragraphs(text, unescape=False))
        if text == before:
            break
    return " ".join(text.split())


def html_to_paragraphs(html: str, unescape: bool = True) -> list[str]:
    """Paragraphs of an HTML fragment (feed summaries and content), as plain text."""
    if unescape and not _TAG.search(html) and "&lt;" in html:
        html = htmllib.unescape(html)  # markup escaped twice: `&lt;p&gt;` for `<p>`
    if "<" not in html:
        blocks = paragraphs(html)
    else:
        import lxml.html

        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except Exception:  # noqa: BLE001 - lxml raises several kinds on junk
            root = None
        if root is None:
            blocks = paragraphs(_TAG.sub(" ", html))
        else:
            for bad in root.iter("script", "style"):
                bad.drop_tree() if bad.getparent() is not None else None
            blocks = []
            for el in root.iter("p", "li", "h2", "h3", "blockquote"):
                text = " ".join(el.text_content().split())
                if text:
                    blocks.append(text)
            blocks = blocks or paragraphs(root.text_content())
    if unescape:
        blocks = [" ".join(_unescaped(b).split()) for b in blocks]
    return [b for b in blocks if b]


#: a numeric character reference; one to no character (a lone surrogate, zero, beyond U+10FFFF)
#: makes feedparser fail on the whole feed
_CHARREF = re.compile(rb"&#(?:[0-9]{1,12}|[xX][0-9a-fA-F]{1,12});")
_XML_DECL = re.compile(rb"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*["'])([\w.:-]+)(["'])""", re.I)


def _repair_charrefs(data: bytes) -> bytes:
    def fix(m: re.Match[bytes]) -> bytes:
        ref = m.group(0)[2:-1]
        code = int(ref[1:], 16) if ref[:1] in (b"x", b"X") else int(ref)
        valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        return m.group(0) if valid else b"&#xFFFD;"

    return _CHARREF.sub(fix, data) if b"&#" in data else data


def _codec(name: str) -> str:
    """Python's name of a declared charset ('' when unknown)."""
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def feed_bytes(data: bytes) -> bytes:
    """The feed as feedparser should see it: UTF-8 when it is, whatever the declaration says of a
    transcoded UTF-16/32 feed; detected (charset-normalizer) when it declares no charset, or UTF-8
    wrongly, and is not UTF-8; character references to no character replaced by U+FFFD."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = _XML_DECL.match(data[:1024])
    declared = m.group(2).decode("ascii").lower() if m else None
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    if utf8:
        if declared and _codec(declared).startswith(("utf-16", "utf-32")):
            # a UTF-16/32 feed the dispatcher transcoded (its declaration names any alias: u16, utf_16)
            data = _XML_DECL.sub(lambda x: x.group(1) + b"utf-8" + x.group(3), data, count=1)
        return _repair_charrefs(data)
    if declared and _codec(declared) not in ("utf-8", ""):
        return _repair_charrefs(data)  # feedparser follows a declared legacy charset
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # noqa: BLE001 - detection is best effort
        best = None
    if best is None:
        return _repair_charrefs(data)
    text = str(best).encode("utf-8")
    if m:
        text = _XML_DECL.sub(lambda x: x.group(1) + b"utf-8" + x.group(3), text, count=1)
    return _repair_charrefs(text)


def parse_feed(data: bytes, origin: str) -> tuple[str | None, list[Any], str | None]:
    import feedparser

    parsed = feedparser.parse(feed_bytes(data))
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise UnreadableInput(origin, f"not a valid RSS/Atom feed ({reason})" if reason else "not a valid RSS/Atom feed")
    problem = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    return (plain_text(parsed.feed.get("title") or "") or None), list(parsed.entries), problem


def entry_article(entry: Any, feed_title: str | None, origin: str, options: ReaderOptions) -> Article:
    content = ""
    if entry.get("content"):
        content = max((c.get("value", "") for c in entry.content), key=len)
    summary = entry.get("summary") or ""
    body = html_to_paragraphs(content or summary)
    # an entry's few lines are all sentences: a script fragment or a spec sheet is not news
    if count_words(" ".join(body)) >= MIN_WORDS and not reads_as_prose("\n".join(body), share=0.8):
        raise UnreadableInput(origin, "entry text does not read as prose (code, settings or too few words)")
    standfirst = None
    if content and summary:
        sf = html_to_paragraphs(summary)
        standfirst = sf[0] if sf and sf[0] not in body else None
    authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry.author]
    authors = [a for a in (plain_text(a) for a in authors) if a]
    art = Article(
        title=plain_text(entry.get("title") or ""),
        body=body,
        url=entry.get("link"),
        source=feed_title,
        standfirst=standfirst,
        keywords=[plain_text(t.get("term")) for t in entry.get("tags", []) if t.get("term")],
        authors=authors,
        published_at=to_iso(entry.get("published") or entry.get("updated")),
    )
    return finish(art, origin, options)


def read_feed(data: bytes, origin: str, options: ReaderOptions) -> Iterator[Item]:
    title, entries, problem = parse_feed(data, origin)
    if not entries:
        raise UnreadableInput(origin, f"malformed feed with no entries ({problem})" if problem else "feed has no entries")
    results: list[Item] = []
    for n, entry in enumerate(entries, 1):
        where = f"{origin}#{entry.get('id') or entry.get('link') or n - 1}"
        try:
            results.append(entry_article(entry, title, where, options))
        except UnreadableInput as exc:
            # one bad entry is reported with its number, and the rest of the feed is kept
            results.append(type(exc)(exc.origin, f"entry {n} of {len(entries)}: {exc.reason}"))
        except Exception as exc:  # noqa: BLE001 - a parser's surprise on one entry loses only that entry
            results.append(UnreadableInput(where, f"entry {n} of {len(entries)}: cannot read "
                                                  f"({type(exc).__name__}: {exc})"[:300]))
    if problem and not any(isinstance(r, Article) for r in results):
        raise UnreadableInput(origin, f"malformed feed: no readable entry ({problem})")
    yield from results
