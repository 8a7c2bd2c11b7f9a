"""JSON and JSONL: one article per object, with the field names people actually use.

JSONL is read line by line and a JSON array object by object, so a file of any size streams;
a bad line is reported with its line number and the rest is kept.
"""
from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from ..dates import to_iso
from ..errors import UnreadableInput
from ..model import Article
from .base import Item, ReaderOptions, decode_bytes, finish, paragraphs, safe

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "name"),
    "body": ("body", "text", "content", "article", "maintext", "full_text", "story", "content_text"),
    "url": ("url", "link", "href", "canonical_url"),
    "source": ("source", "outlet", "site", "sitename", "publisher", "source_name", "domain"),
    "published_at": ("published_at", "published", "date", "pubdate", "date_publish", "datetime",
                     "publishedAt", "time", "created_at", "date_published"),
    "standfirst": ("standfirst", "subtitle", "dek", "description", "summary", "lead"),
    "keywords": ("keywords", "tags", "topics"),
    "captions": ("captions",),
    "authors": ("authors", "author", "byline"),  # JSON Feed: [{"name": …}]
    "language": ("language", "lang"),
    "id": ("id",),
}


def _pick(obj: dict[str, Any], field: str) -> Any:
    for key in ALIASES[field]:
        if key in obj and obj[key] not in (None, ""):
            return obj[key]
    return None


def _name(value: Any) -> str:
    """A name from a string or from an object that has one ({"name": …}, as JSON Feed's authors)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("text") or value.get("title") or ""
    return "" if value is None else str(value).strip()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [n for n in map(_name, value) if n]
    return [n] if (n := _name(value)) else []


def _as_text(value: Any) -> str:
    return _name(value) if isinstance(value, dict) else "" if value is None else str(value)


_BLOCKS = ("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "section", "article")


def html_paragraphs(markup: str) -> list[str]:
    """The paragraphs of an HTML fragment (JSON Feed's `content_html`): block elements and line
    breaks end a paragraph; markup, scripts and styles are dropped."""
    import lxml.html

    if not markup.strip():
        return []
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    for el in root.iter("script", "style"):
        el.drop_tree()
    for el in root.iter("br"):
        el.tail = "\n\n" + (el.tail or "")
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    return paragraphs(root.text_content())


def article_from_object(obj: Any, origin: str, options: ReaderOptions) -> Article:
    if not isinstance(obj, dict):
        raise UnreadableInput(origin, f"expected a JSON object, got {type(obj).__name__}")
    body = _pick(obj, "body")
    if body is None and isinstance(obj.get("content_html"), str):  # JSON Feed's markup, after its text
        body = html_paragraphs(obj["content_html"])
    if isinstance(body, str) and len(body) > options.max_chars:  # before splitting it into paragraphs
        from ..errors import ArticleTooLarge

        raise ArticleTooLarge(origin, f"article of {len(body):,} characters is over the cap of {options.max_chars:,}")
    if isinstance(body, list):
        paras = [str(p) for p in body if str(p).strip()]
    elif isinstance(body, str):
        paras = paragraphs(body)
    elif body is not None:
        raise UnreadableInput(origin, f"the text field must be a string or a list of paragraphs, not {type(body).__name__}")
    else:
        paras = []
    title = _as_text(_pick(obj, "title"))
    if not paras and not title:
        raise UnreadableInput(origin, "JSON object has no text field (text/body/content)")
    # a story field is also used as a gold label in evaluation files; keep only text values
    art = Article(
        title=title,
        body=paras,
        url=_as_text(_pick(obj, "url")) or None,
        source=_as_text(_pick(obj, "source")) or None,
        standfirst=_as_text(_pick(obj, "standfirst")) or None,
        keywords=_as_list(_pick(obj, "keywords")),
        captions=_as_list(_pick(obj, "captions")),
        authors=_as_list(_pick(obj, "authors")),
        published_at=to_iso(_as_text(_pick(obj, "published_at"))),
        language=_as_text(_pick(obj, "language")) or None,
    )
    return finish(art, origin, options)


def _record(obj: Any, where: str, options: ReaderOptions) -> Iterator[Item]:
    """One record's article, or its error: whatever goes wrong in one record stays in it."""
    def one() -> Iterator[Item]:
        yield article_from_object(obj, where, options)

    yield from safe(where, one())


def _line_texts(stream: IO[bytes], origin: str, options: ReaderOptions,
                first_line: int = 1) -> Iterator[tuple[int, str | UnreadableInput]]:
    for n, raw in enumerate(stream, first_line):
        if len(raw) > options.max_bytes:
            from ..errors import ArticleTooLarge

            yield n, ArticleTooLarge(f"{origin}:{n}", f"line of {len(raw):,} bytes is over the size cap")
            continue
        yield n, decode_bytes(raw)


def _utf8_lines(stream: IO[bytes]) -> IO[bytes]:
    """The stream as UTF-8 when a byte-order mark says UTF-16 or UTF-32 (whose lines do not end at
    a newline byte); else the stream itself."""
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    enc = ("utf-32" if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else
           "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None)
    if enc is None:
        return stream
    text = io.TextIOWrapper(stream, encoding=enc, errors="replace", newline="")  # type: ignore[arg-type]
    return (line.encode("utf-8", "surrogatepass") for line in text)  # type: ignore[return-value]


def read_jsonl(stream: IO[bytes], origin: str, options: ReaderOptions, first_line: int = 1) -> Iterator[Item]:
    """Articles of JSON lines; `first_line` numbers the stream's first line (a part of a file)."""
    stream = _utf8_lines(stream)
    for n, text in _line_texts(stream, origin, options, first_line):
        if isinstance(text, UnreadableInput):
            yield text
            continue
        text = text.strip()
        if not text:
            continue
        where = f"{origin}:{n}"
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield UnreadableInput(where, f"invalid JSON ({exc.msg})")
            continue
        except RecursionError:
            yield UnreadableInput(where, "JSON nested too deeply")
            continue
        yield from _record(obj, where, options)


def _guess_encoding(head: bytes) -> str:
    """UTF-8 unless a byte-order mark or the first chunk proves otherwise (a cut multi-byte tail is allowed)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    text = decode_bytes(head)
    try:
        text.encode("cp1252")
        return "cp1252"
    except UnicodeEncodeError:
        return "latin-1"


#: keys under which a JSON object wraps its list of articles (JSON Feed's is "items")
WRAPPER_KEYS = ("articles", "items", "data", "results", "entries", "documents")


class _Buffer:
    """Text of a stream decoded a chunk at a time, read through `pos`. A value that needs more text
    doubles what is read (`grow`), so a large value costs linear time, not one scan per chunk."""

    def __init__(self, stream: IO[bytes], origin: str, cap: int) -> None:
        self.stream, self.origin, self.cap = stream, origin, cap
        self.buf, self.pos, self.eof = "", 0, False
        self.inc: Any = None

    def fill(self, size: int = 1 << 20) -> bool:
        chunk = self.stream.read(size)
        if self.inc is None:
            self.inc = codecs.getincrementaldecoder(_guess_encoding(chunk))(errors="replace")
        if not chunk:
            self.eof = True
            self.buf = self.buf[self.pos:] + self.inc.decode(b"", final=True)
            self.pos = 0
            return False
        self.buf = self.buf[self.pos:] + self.inc.decode(chunk)
        self.pos = 0
        return True

    def skip_ws(self, chars: str = " \t\r\n") -> None:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in chars:
                self.pos += 1
            if self.pos < len(self.buf) or not self.fill():
                return

    def peek(self) -> str:
        self.skip_ws()
        return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def value(self, decoder: json.JSONDecoder, where: str, skip: bool = True) -> Any:
        """The next JSON value. One that does not parse, is nested too deeply or is over the cap
        is that record's error: with `skip`, the buffer is first moved past its end, so the caller
        goes on with the next record."""
        while True:
            try:
                obj, end = decoder.raw_decode(self.buf, self.pos)
                self.pos = end
                return obj
            except RecursionError:
                reason = "JSON nested too deeply"
            except json.JSONDecodeError as exc:
                if not self.eof and len(self.buf) - self.pos <= self.cap:
                    self.fill(max(1 << 20, len(self.buf) - self.pos))  # double what is held
                    continue
                reason = f"invalid JSON ({exc.msg})" if self.eof else (
                    f"a JSON value of over {self.cap:,} characters (the cap of one article)")
            if skip and self._skip_value():
                raise UnreadableInput(where, reason)
            raise UnreadableInput(where, f"{reason}; the rest of the file cannot be read" if skip else reason)

    _STEP = re.compile(r'["\[\]{},]')
    _IN_STRING = re.compile(r'["\\]')

    def _skip_value(self) -> bool:
        """Move past the value at pos by its brackets and strings alone (for one that does not
        parse), dropping what it read; False when it does not end before the file does."""
        depth, in_str, i = 0, False, self.pos
        while True:
            buf = self.buf
            while True:
                m = (self._IN_STRING if in_str else self._STEP).search(buf, i)
                if m is None:
                    i = len(buf)
                    break
                c, i = m.group(), m.end()
                if in_str:
                    if c == "\\":
                        i += 1  # the escaped character (maybe in the next chunk)
                    else:
                        in_str = False
                elif c == '"':
                    in_str = True
                elif c in "[{":
                    depth += 1
                elif c in "]}":
                    depth -= 1
                    if depth <= 0:  # its end, or the end of the array holding it
                        self.pos = i if depth == 0 else i - 1
                        return True
                elif depth == 0:  # a comma after a broken scalar
                    self.pos = i - 1
                    return True
            over = i - len(buf)
            self.pos = len(buf)
            if self.eof or not self.fill():
                return False
            i = over


def read_json(stream: IO[bytes], origin: str, options: ReaderOptions) -> Iterator[Item]:
    """A JSON document: an object, an array of objects, or an object wrapping such an array
    (`{"articles": [...]}`, a JSON Feed's `{"items": [...]}`).

    Arrays, wrapped ones included, are decoded one element at a time from a sliding buffer, so
    they stream; an element that does not parse is reported with its index and the rest is kept.
    A single object is read key by key, and one over the size cap is refused as soon as it is.
    """
    decoder = json.JSONDecoder()
    b = _Buffer(stream, origin, options.max_bytes)
    b.fill()
    if b.buf.startswith("\ufeff"):
        b.pos = 1
    first = b.peek()
    if not first:
        raise UnreadableInput(origin, "empty JSON file")
    if first == "[":
        yield from _array(b, decoder, origin, options)
        return
    if first != "{":
        raise UnreadableInput(origin, "JSON must be an object or an array of objects")
    b.pos += 1
    obj: dict[str, Any] = {}
    while True:
        b.skip_ws(" \t\r\n,")
        c = b.peek()
        if c == "}":
            break
        if c != '"':
            raise UnreadableInput(origin, "invalid JSON (expecting a property name)" if c else "truncated JSON object")
        key = b.value(decoder, origin, skip=False)
        if b.peek() != ":":
            raise UnreadableInput(origin, "invalid JSON (expecting ':')")
        b.pos += 1
        if b.peek() == "[" and key in WRAPPER_KEYS:
            yield from _array(b, decoder, origin, options)
            return  # what follows the wrapped list is not read: the articles are in it
        obj[key] = b.value(decoder, origin, skip=False)  # one article: an error is the file's
    yield article_from_object(obj, origin, options)


def _array(b: _Buffer, decoder: json.JSONDecoder, origin: str, options: ReaderOptions) -> Iterator[Item]:
    b.pos += 1  # the "["
    n = 0
    while True:
        b.skip_ws(" \t\r\n,")
        if b.pos >= len(b.buf):
            raise UnreadableInput(origin, "truncated JSON array")
        if b.buf[b.pos] == "]":
            return
        where = f"{origin}[{n}]"
        n += 1
        try:
            obj = b.value(decoder, where)
        except UnreadableInput as exc:
            if exc.reason.endswith("cannot be read"):
                raise
            yield exc
            continue
        yield from _record(obj, where, options)
