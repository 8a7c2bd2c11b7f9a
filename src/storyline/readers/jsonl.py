"""JSON and JSONL: one article per object, with the field names people actually use.

JSONL is read line by line and a JSON array object by object, so a file of any size streams;
a bad line is reported with its line number and the rest is kept.
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import IO, Any

from ..dates import to_iso
from ..errors import UnreadableInput
from ..model import Article
from .base import Item, ReaderOptions, decode_bytes, finish, paragraphs

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "name"),
    "body": ("body", "text", "content", "article", "maintext", "full_text", "story"),
    "url": ("url", "link", "href", "canonical_url"),
    "source": ("source", "outlet", "site", "sitename", "publisher", "source_name", "domain"),
    "published_at": ("published_at", "published", "date", "pubdate", "date_publish", "datetime",
                     "publishedAt", "time", "created_at"),
    "standfirst": ("standfirst", "subtitle", "dek", "description", "summary", "lead"),
    "keywords": ("keywords", "tags", "topics"),
    "captions": ("captions",),
    "authors": ("authors", "author", "byline"),
    "language": ("language", "lang"),
    "id": ("id",),
}


def _pick(obj: dict[str, Any], field: str) -> Any:
    for key in ALIASES[field]:
        if key in obj and obj[key] not in (None, ""):
            return obj[key]
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, dict):
                v = v.get("name") or v.get("text") or ""
            if str(v).strip():
                out.append(str(v).strip())
        return out
    return [str(value)]


def _as_text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("text") or ""
    return "" if value is None else str(value)


def article_from_object(obj: Any, origin: str, options: ReaderOptions) -> Article:
    if not isinstance(obj, dict):
        raise UnreadableInput(origin, f"expected a JSON object, got {type(obj).__name__}")
    body = _pick(obj, "body")
    if isinstance(body, list):
        paras = [str(p) for p in body if str(p).strip()]
    elif isinstance(body, str):
        paras = paragraphs(body)
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


def _line_texts(stream: IO[bytes], origin: str, options: ReaderOptions,
                first_line: int = 1) -> Iterator[tuple[int, str | UnreadableInput]]:
    for n, raw in enumerate(stream, first_line):
        if len(raw) > options.max_bytes:
            from ..errors import ArticleTooLarge

            yield n, ArticleTooLarge(f"{origin}:{n}", f"line of {len(raw):,} bytes is over the size cap")
            continue
        yield n, decode_bytes(raw)


def read_jsonl(stream: IO[bytes], origin: str, options: ReaderOptions, first_line: int = 1) -> Iterator[Item]:
    """Articles of JSON lines; `first_line` numbers the stream's first line (a part of a file)."""
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
        try:
            yield article_from_object(obj, where, options)
        except UnreadableInput as exc:
            yield exc


def _guess_encoding(head: bytes) -> str:
    """UTF-8 unless the first chunk proves otherwise (a cut multi-byte tail is allowed)."""
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


def read_json(stream: IO[bytes], origin: str, options: ReaderOptions) -> Iterator[Item]:
    """A JSON document: an object, an array of objects, or an object wrapping such an array.

    Arrays are decoded one element at a time from a sliding buffer, so they stream.
    """
    decoder = json.JSONDecoder()
    inc = None
    buf = ""
    pos = 0
    eof = False

    def fill() -> bool:
        nonlocal buf, pos, eof, inc
        chunk = stream.read(1 << 20)
        if inc is None:
            inc = codecs.getincrementaldecoder(_guess_encoding(chunk))(errors="replace")
        if not chunk:
            eof = True
            buf = buf[pos:] + inc.decode(b"", final=True)
            pos = 0
            return False
        buf = buf[pos:] + inc.decode(chunk)
        pos = 0
        return True

    def skip_ws(chars: str = " \t\r\n") -> None:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in chars:
                pos += 1
            if pos < len(buf) or not fill():
                return

    fill()
    if buf.startswith("\ufeff"):
        pos = 1
    skip_ws()
    if pos >= len(buf):
        raise UnreadableInput(origin, "empty JSON file")
    if buf[pos] == "{":
        # a single object: small enough to read whole, or a wrapper {"articles": [...]}
        while fill():
            if len(buf) > options.max_bytes * 4:
                raise UnreadableInput(origin, "JSON object too large; use JSONL or a JSON array")
        try:
            obj = json.loads(buf[pos:])
        except json.JSONDecodeError as exc:
            raise UnreadableInput(origin, f"invalid JSON ({exc.msg} at char {exc.pos})") from None
        items = None
        for key in ("articles", "items", "data", "results", "entries", "documents"):
            if isinstance(obj.get(key), list):
                items = obj[key]
                break
        if items is None:
            yield article_from_object(obj, origin, options)
            return
        for n, item in enumerate(items):
            try:
                yield article_from_object(item, f"{origin}[{n}]", options)
            except UnreadableInput as exc:
                yield exc
        return
    if buf[pos] != "[":
        raise UnreadableInput(origin, "JSON must be an object or an array of objects")
    pos += 1
    n = 0
    while True:
        skip_ws(" \t\r\n,")
        if pos >= len(buf):
            raise UnreadableInput(origin, "truncated JSON array")
        if buf[pos] == "]":
            return
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as exc:
                if eof or len(buf) - pos > options.max_bytes:
                    raise UnreadableInput(f"{origin}[{n}]", f"invalid JSON ({exc.msg})") from None
                fill()
        pos = end
        try:
            yield article_from_object(obj, f"{origin}[{n}]", options)
        except UnreadableInput as exc:
            yield exc
        n += 1
