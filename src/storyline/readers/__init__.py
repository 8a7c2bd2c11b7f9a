"""Readers: one module per format, picked by sniffing the content rather than the file name."""
from __future__ import annotations

import glob
import gzip
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO

from ..errors import UnreadableInput, UnsupportedFormat
from .base import DEFAULT_MAX_CHARS, Item, ReaderOptions, decode_bytes, looks_binary, safe
from .feed import read_feed
from .html import read_html
from .jsonl import read_json, read_jsonl
from .text import read_text
from .warc import read_warc

__all__ = ["sniff", "read_path", "read_bytes", "expand_inputs", "ReaderOptions", "Item", "DEFAULT_MAX_CHARS"]

FORMATS = ("text", "html", "json", "jsonl", "feed", "warc")


#: byte-order marks, longest first: UTF-32 LE (FF FE 00 00) begins with UTF-16 LE's (FF FE)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def wide_encoding(head: bytes) -> tuple[str, int] | None:
    """The UTF-16 or UTF-32 encoding of content and the length of its byte-order mark, from a BOM
    or, without one, from the pattern of zero bytes ASCII makes in the first characters (the XML
    specification's autodetection, extended to text); None for any other content."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc, len(bom)
    sample = head[:64]
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    sample = sample[:n]

    def zero_at(step: int, positions: tuple[int, ...]) -> bool:
        return all((sample[i] == 0) == (i % step in positions) for i in range(n))

    for enc, step, zeros in (("utf-32-be", 4, (0, 1, 2)), ("utf-32-le", 4, (1, 2, 3)),
                             ("utf-16-be", 2, (0,)), ("utf-16-le", 2, (1,))):
        if zero_at(step, zeros):
            return enc, 0
    return None


class _Transcoded(io.RawIOBase):
    """A UTF-16/32 stream read as UTF-8, decoded as it streams (a bad sequence becomes U+FFFD)."""

    def __init__(self, raw: IO[bytes], encoding: str, skip: int) -> None:
        import codecs

        raw.read(skip)
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        while not self._pending and not self._done:
            chunk = self._raw.read(1 << 16)
            self._done = not chunk
            self._pending = self._decoder.decode(chunk, final=self._done).encode("utf-8", "surrogatepass")
        n = min(len(b), len(self._pending))
        b[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


_ROOT_SKIP = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<![^\[>]*(?:\[.*?\])?\s*>)", re.S)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}  # RSS, Atom, RSS 1.0 (rdf:RDF), CDF (<CHANNEL>)
_HTML_ROOTS = {"html", "head", "body", "meta", "link", "title", "style", "script", "noscript", "base",
               "div", "p", "br", "b", "i", "a", "span", "section", "article", "main", "header", "nav",
               "footer", "table", "h1", "h2", "h3", "h4", "ul", "ol", "form", "img", "iframe", "center",
               "font", "pre", "hr", "figure", "aside", "em", "strong", "blockquote", "template"}
_JSON_ARRAY = re.compile(r"\[\s*(?:[\[{\"\]\d-]|true|false|null|$)")  # not an INI file's [section]
_FEED_TAG = re.compile(r"<(?:[\w.-]+:)?(?:rss|feed|rdf)[\s>]", re.I)
_HTML_TAG = re.compile(r"<(?:html|!doctype html|body|head|article)[\s>]|<(?:p|div)[\s>]", re.I)


_HTML_DOC = re.compile(r"<(?:html|!doctype html|head|body)[\s>]")
_MARKUP_LINE = re.compile(r"<[A-Za-z/!][^<>]*>")


def _markup_share(text: str) -> float:
    lines = [ln for ln in text[:65536].split("\n") if ln.strip()]
    return sum(1 for ln in lines if _MARKUP_LINE.search(ln)) / len(lines) if lines else 0.0


def root_element(text: str) -> str | None:
    """The local name of the first element of markup (lowercased), past the XML declaration,
    processing instructions, comments and the doctype however long they run; None for no markup."""
    pos = 0
    while True:
        m = _ROOT_SKIP.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _ROOT.match(text, pos)
    return m.group(2).lower() if m else None


def sniff(head: bytes, name: str = "") -> str:
    """The format of content from its first bytes (the name only breaks ties)."""
    if head.startswith((b"WARC/", b"filedesc://")):  # a WARC, or an ARC by its first line
        return "warc"
    wide = wide_encoding(head)
    if wide:  # UTF-16/32: judge the characters, not the zero bytes of their encoding
        head = head[wide[1]:]
        head = head[: len(head) - len(head) % 4].decode(wide[0], errors="replace").encode("utf-8")
    if not head.strip():
        raise UnreadableInput(name or "input", "empty input")
    if looks_binary(head):
        raise UnsupportedFormat(name or "input", "binary data, not a news format")
    text = decode_bytes(head[:65536]).lstrip("\ufeff \t\r\n")
    low = text[:4096].lower()
    if text.startswith("{") or _JSON_ARRAY.match(text):
        first = text.split("\n", 1)[0].strip()
        if name.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
            return "jsonl"
        if text.startswith("{") and first.endswith("}") and "\n" in text.strip():
            return "jsonl"
        return "json"
    if text.startswith("<"):
        # markup: the first element decides, however long the comments or scripts before it
        root = root_element(text)
        if root in _FEED_ROOTS:
            return "feed"
        if root in _HTML_ROOTS:
            return "html"
    # markup behind a few lines of something else (a PHP warning, saved HTTP headers) is still a
    # page or a feed; a program or a text that merely quotes markup has few lines of it
    markup = text.startswith("<") or _markup_share(text) >= 0.5
    if markup and _FEED_TAG.search(low):
        return "feed"
    if text.startswith("<") and (_HTML_TAG.search(text) or "<p>" in low or "<div" in low):
        return "html"
    if markup and _HTML_DOC.search(low):
        return "html"
    if low.startswith("<?xml") or low.startswith("<"):
        raise UnsupportedFormat(name or "input", "XML that is neither an RSS/Atom feed nor HTML")
    return "text"


def _read_capped(stream: IO[bytes], origin: str, options: ReaderOptions) -> bytes:
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        from ..errors import ArticleTooLarge

        raise ArticleTooLarge(origin, f"over {options.max_bytes:,} bytes for a single-article file")
    return data


def read_stream(stream: IO[bytes], origin: str, options: ReaderOptions | None = None,
                fmt: str | None = None) -> Iterator[Item]:
    """Articles (and per-record errors) from a binary stream; never raises but for the caller's bugs."""
    options = options or ReaderOptions()
    yield from safe(origin, _dispatch(stream, origin, options, fmt))


def _dispatch(stream: IO[bytes], origin: str, options: ReaderOptions, fmt: str | None) -> Iterator[Item]:
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream, 1 << 16)  # type: ignore[arg-type]
    head = buffered.peek(1 << 16)[: 1 << 16]
    wide = wide_encoding(head)
    if wide:  # UTF-16/32 (with a BOM or without): every reader gets UTF-8
        transcoded = io.BufferedReader(_Transcoded(buffered, *wide), 1 << 16)  # type: ignore[arg-type]
        yield from _dispatch(transcoded, origin, options, fmt)
        return
    if head[:2] == b"\x1f\x8b":
        if fmt == "warc" or origin.endswith((".warc.gz", ".arc.gz")) or _gz_head(head).startswith(b"WARC/"):
            yield from read_warc(buffered, origin, options)
            return
        gz = gzip.GzipFile(fileobj=buffered)
        try:
            gz.peek(1)  # a header that is not gzip fails here, with the input's name
        except (OSError, EOFError) as exc:
            raise UnreadableInput(origin, f"corrupt gzip ({exc})") from None
        yield from _dispatch(io.BufferedReader(gz, 1 << 16), origin, options, fmt)  # type: ignore[arg-type]
        return
    fmt = fmt or sniff(head, origin)
    if fmt == "warc":
        yield from read_warc(buffered, origin, options)
    elif fmt == "jsonl":
        yield from read_jsonl(buffered, origin, options)
    elif fmt == "json":
        yield from read_json(buffered, origin, options)
    elif fmt == "feed":
        data = buffered.read(max(options.max_bytes, 64 << 20) + 1)
        yield from read_feed(data, origin, options)
    elif fmt == "html":
        yield from read_html(_read_capped(buffered, origin, options), origin, options)
    elif fmt == "text":
        yield from read_text(decode_bytes(_read_capped(buffered, origin, options)), origin, options)
    else:
        raise UnsupportedFormat(origin, f"unknown format {fmt!r}")


def _gz_head(head: bytes) -> bytes:
    try:
        return gzip.GzipFile(fileobj=io.BytesIO(head)).read(5)
    except (OSError, EOFError):
        return b""


def read_path(path: str, options: ReaderOptions | None = None, fmt: str | None = None) -> Iterator[Item]:
    """Articles from one file (or `-` for standard input).

    A folder name is never taken as the outlet: two files of unknown outlets in one folder are two
    voices, not one (the outlet comes from a header, the page's metadata or the URL)."""
    options = options or ReaderOptions()
    if path == "-":
        yield from read_stream(sys.stdin.buffer, "<stdin>", options, fmt)
        return
    try:
        f = open(path, "rb", buffering=1 << 16)
    except OSError as exc:
        yield UnreadableInput(path, exc.strerror or str(exc))
        return
    with f:
        yield from read_stream(f, path, options, fmt)


def read_bytes(data: bytes, origin: str = "<bytes>", options: ReaderOptions | None = None,
               fmt: str | None = None) -> Iterator[Item]:
    yield from read_stream(io.BytesIO(data), origin, options, fmt)  # type: ignore[arg-type]


def expand_inputs(paths: Iterable[str]) -> Iterator[str | UnreadableInput]:
    """Files named by paths: folders recursively (sorted, hidden files skipped), globs, and `-`."""
    for path in paths:
        if path == "-":
            yield path
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif os.path.exists(path):
            yield path
        else:
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield UnreadableInput(path, "no such file or directory")
            for m in matches:
                if os.path.isfile(m):
                    yield m
