"""Readers: one module per format, picked by sniffing the content rather than the file name."""
from __future__ import annotations

import glob
import gzip
import io
import os
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


def sniff(head: bytes, name: str = "") -> str:
    """The format of content from its first bytes (the name only breaks ties)."""
    if head.startswith((b"WARC/", b"filedesc://")):  # a WARC, or an ARC by its first line
        return "warc"
    if not head.strip():
        raise UnreadableInput(name or "input", "empty input")
    if looks_binary(head):
        raise UnsupportedFormat(name or "input", "binary data, not a news format")
    text = decode_bytes(head[:65536]).lstrip("\ufeff \t\r\n")
    low = text[:4096].lower()
    if text.startswith("{") or text.startswith("["):
        first = text.split("\n", 1)[0].strip()
        if name.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
            return "jsonl"
        if text.startswith("{") and first.endswith("}") and "\n" in text.strip():
            return "jsonl"
        return "json"
    if "<rss" in low or "<feed" in low or "<rdf:rdf" in low:
        return "feed"
    if "<html" in low or "<!doctype html" in low or "<body" in low or "<article" in low or (
        low.startswith("<") and ("<p>" in low or "<div" in low)
    ):
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
