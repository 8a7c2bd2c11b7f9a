"""WARC and WARC.gz archives (CC-NEWS and the like) through warcio, streamed record by record."""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from ..errors import ArticleTooLarge, BrokenInstallation, UnreadableInput
from .base import Item, ReaderOptions
from .html import parse_html


def read_warc(stream: IO[bytes], origin: str, options: ReaderOptions, part: bool = False) -> Iterator[Item]:
    """The HTML responses of an archive. `part`: the stream is a run of whole records cut from a
    larger archive (a partition), so holding no HTML response is no error of its own."""
    from warcio.archiveiterator import ArchiveIterator

    pages = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            status = record.http_headers.get_statuscode() if record.http_headers else "200"
            if "html" not in ctype.lower() or not str(status).startswith("2"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            rid = record.rec_headers.get_header("WARC-Record-ID") or url
            where = f"{origin}#{rid}"
            data = record.content_stream().read(options.max_bytes + 1)
            if len(data) > options.max_bytes:
                yield ArticleTooLarge(where, f"page over {options.max_bytes:,} bytes")
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise UnreadableInput(origin, f"truncated WARC: record {rid} is cut short after {pages} pages")
            pages += 1
            try:
                yield parse_html(data, where, options, url=url)
            except UnreadableInput as exc:
                yield exc
    except (UnreadableInput, BrokenInstallation):
        raise
    except ImportError as exc:  # a broken installation, not a corrupt archive
        raise BrokenInstallation(exc) from exc
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on a truncated archive
        raise UnreadableInput(origin, f"truncated or corrupt WARC after {pages} pages ({type(exc).__name__}: {exc})"[:300]) from None
    if pages == 0 and not part:
        raise UnreadableInput(origin, "WARC archive holds no HTML responses")


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
