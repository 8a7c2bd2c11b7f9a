"""WARC and ARC archives, plain or gzipped (CC-NEWS and the like), through warcio, streamed record
by record.

Every record is read through warcio's own parser, ARC records converted to WARC ones
(`arc2warc`), so an ARC page has its URL and outlet as a WARC page has. A gzipped archive is
decompressed as one stream, as warcio's `recompress` does: a gzip member a record, a single member
for the whole file, or members cut elsewhere than at records all read the same.

What is kept: `response` records (HTTP status 2xx) and `resource` records that hold HTML. A record
whose page cannot be read is one error naming the archive and the record, and the records after
it are still read; an archive cut short (or whose gzip breaks) keeps every record before the cut
and reports the cut once.

The origin of a record is the archive's path, `#`, and the record's WARC-Record-ID (stable: it is
written in the archive); for an ARC record, whose WARC-Record-ID warcio invents anew at each read,
the record's URL; for a record with neither, `record N` (its number in the archive, from 1)."""
from __future__ import annotations

import gzip
import io
import logging
import re
import zlib
from collections.abc import Iterator
from typing import IO, Any

from ..errors import ArticleTooLarge, BrokenInstallation, UnreadableInput
from .base import Item, ReaderOptions
from .html import parse_html

_KEPT = ("response", "resource")


class _Gunzip(io.RawIOBase):
    """The decompressed bytes of every gzip member of a stream; a cut or a broken member ends the
    stream quietly and is remembered in `broken`, so the records before it are read whole and the
    cut is reported once (warcio takes an EOFError while it parses a record's header for the end
    of the archive)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self.broken: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if self.broken:
            return 0
        try:
            data = self._gz.read1(len(buf))  # what one read gives: a cut loses nothing before it
        except EOFError:
            self.broken = "the archive is cut short"
            return 0
        except (OSError, zlib.error) as exc:
            self.broken = f"corrupt gzip ({exc})"
            return 0
        buf[: len(data)] = data
        return len(data)


def _iterator(stream: IO[bytes], known: str | None) -> Any:
    from warcio.archiveiterator import ArchiveIterator

    class Records(ArchiveIterator):  # type: ignore[misc]
        INC_RECORD = ""  # warcio writes a warning on stderr for a record not followed by a blank line

    logging.getLogger("warcio.recordloader").addHandler(logging.NullHandler())  # "Replacing spaces…"
    records = Records(stream, arc2warc=True)
    records.known_format = known  # a WARC's lines are never taken for ARC headers, nor the reverse
    return records


class _Chain(io.RawIOBase):
    """Bytes already read, then the rest of a stream."""

    def __init__(self, first: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._first, self._rest = first, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        data = self._first[: len(buf)] if self._first else self._rest.read(len(buf))
        self._first = self._first[len(data):]
        buf[: len(data)] = data
        return len(data)


_WARC_LINE = re.compile(rb"\nWARC/\d\.\d+\r?\n")


def _resync(records: Any, rest: IO[bytes]) -> IO[bytes] | None:
    """The stream from the next WARC record header on, after warcio failed on a record's header
    (a wrong Content-Length before it); None when no record follows."""
    reader = getattr(records, "reader", None)
    left = reader.buff.read() if reader is not None and reader.buff is not None else b""
    data = b"\n" + left  # warcio reads whole lines: what it left starts a line
    while True:
        m = _WARC_LINE.search(data)
        if m:
            return io.BufferedReader(_Chain(data[m.start() + 1:], rest), 1 << 16)
        data = data[-24:] + rest.read(1 << 16)
        if len(data) <= 24:
            return None


def _header(headers: Any, name: str) -> str:
    return (headers.get_header(name) if headers else None) or ""


def _is_page(record: Any) -> bool:
    """Whether a record may hold a page: an HTML response with a 2xx status, or an HTML resource."""
    if record.rec_type not in _KEPT:
        return False
    if record.rec_type == "resource":
        return "html" in _header(record.rec_headers, "Content-Type").lower()
    if not record.http_headers:
        return False
    ctype = _header(record.http_headers, "Content-Type").lower()
    status = str(record.http_headers.get_statuscode() or "")
    return (not ctype or "html" in ctype) and status.startswith("2")


def read_warc(stream: IO[bytes], origin: str, options: ReaderOptions, part: bool = False) -> Iterator[Item]:
    """The HTML pages of an archive. `part`: the stream is a run of whole records cut from a
    larger archive (a partition), so holding no page is no error of its own."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream, 1 << 16)  # type: ignore[arg-type]
    gunzip = None
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        gunzip = _Gunzip(buffered)
        buffered = io.BufferedReader(gunzip, 1 << 16)
    head = buffered.peek(16).lstrip()
    arc = not head.startswith(b"WARC/")  # an ARC's records have their URL, not a lasting record id
    kind = "WARC" if not arc else "ARC" if head.startswith(b"filedesc://") else "archive"
    known = "arc" if arc else "warc"  # (a run of ARC records cut from a large ARC has no filedesc://)
    pages = number = problems = 0
    last = spared = None
    source: IO[bytes] | None = buffered
    while source is not None:
        records = _iterator(source, known)
        try:
            for last in records:
                number += 1
                item = _page(last, number, origin, arc, options)
                if item is _CUT:
                    break  # the archive ends inside this page: reported once, below
                if item is not None:
                    if isinstance(item, UnreadableInput):
                        problems += 1
                    else:
                        pages += 1
                        spared = last  # a closed page at the end of a short archive: nothing was lost
                    yield item
            source = None
        except BrokenInstallation:
            raise
        except ImportError as exc:  # a broken installation, not a corrupt archive
            raise BrokenInstallation(exc) from exc
        except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on a corrupt archive
            if gunzip is not None and gunzip.broken:
                break  # the gzip's own cut or damage: reported below
            why = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:160]
            source = _resync(records, source) if known == "warc" else None
            problems += 1
            if source is None:
                yield UnreadableInput(origin, f"corrupt {kind} after record {number} ({why}); "
                                              f"the {pages} pages before it are kept")
                return
            yield UnreadableInput(origin, f"corrupt {kind} after record {number} ({why}); "
                                          "skipped to the next record header, and read on")
    cut = last is not None and getattr(last.raw_stream, "limit", 0) > 0 and last is not spared
    broken = gunzip.broken if gunzip is not None else None
    if cut or broken:
        if broken and not broken.startswith("the archive"):
            yield UnreadableInput(origin, broken if not number else
                                  f"{broken} in the {kind} after record {number}; the {pages} pages before it are kept")
        else:
            where = "inside" if cut else "in or after"
            yield UnreadableInput(origin, f"truncated {kind}: the archive is cut short {where} record {number}; "
                                          f"the {pages} pages before it are kept")
        return
    if pages == 0 and problems == 0 and not part:
        raise UnreadableInput(origin, f"{kind} archive holds no HTML pages" if kind != "archive"
                              else "neither a WARC nor an ARC archive holding HTML pages")


_CUT = object()


def _page(record: Any, number: int, origin: str, arc: bool, options: ReaderOptions) -> Any:
    """The article of one record, its error, None for a record that holds no page, or _CUT."""
    if not _is_page(record):
        return None
    url = _header(record.rec_headers, "WARC-Target-URI") or None
    rid = None if arc else _header(record.rec_headers, "WARC-Record-ID")
    where = f"{origin}#{rid or url or f'record {number}'}"
    label = f"record {number}" + (f" ({url})" if url and where != f"{origin}#{url}" else "")
    try:
        data = record.content_stream().read(options.max_bytes + 1)
    except Exception as exc:  # noqa: BLE001 - a payload warcio cannot decode (chunks, gzip)
        return UnreadableInput(where, f"{label}: payload cannot be read ({type(exc).__name__}: {exc})"[:300])
    if len(data) > options.max_bytes:
        return ArticleTooLarge(where, f"{label}: page over {options.max_bytes:,} bytes")
    if getattr(record.raw_stream, "limit", 0) > 0 and not data.rstrip().lower().endswith(b"</html>"):
        return _CUT  # a page cut short (one whose markup is closed lost nothing: it is read)
    if record.rec_type == "response" and not _header(record.http_headers, "Content-Type"):
        if not any(tag in data[:4096].lower() for tag in (b"<html", b"<!doctype html", b"<body")):
            return None  # an untyped payload that is no HTML page
    try:
        return parse_html(data, where, options, url=url if url and url.startswith(("http://", "https://")) else None)
    except UnreadableInput as exc:  # the same error, naming the record
        return type(exc)(exc.origin, f"{label}: {exc.reason}")
    except (BrokenInstallation, ImportError):
        raise
    except Exception as exc:  # noqa: BLE001 - the page of one record: the rest is read on
        return UnreadableInput(where, f"{label}: page cannot be parsed ({type(exc).__name__}: {exc})"[:300])


def record_offsets(path: str) -> list[int]:
    """The byte offset of every record of an archive, and its end (one pass, no page parsed)."""
    from warcio.archiveiterator import ArchiveIterator

    offsets = []
    with open(path, "rb") as f:
        it = ArchiveIterator(f)
        for _ in it:
            offsets.append(it.get_record_offset())
        it.read_to_end()
        offsets.append(f.tell())
    return offsets
