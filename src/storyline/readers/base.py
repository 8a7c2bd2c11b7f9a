"""What every reader shares: decoding, junk checks, size cap, the finishing of an Article."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

from ..errors import ArticleTooLarge, BrokenInstallation, UnreadableInput
from ..language import detect_language
from ..model import Article, source_from_url

DEFAULT_MAX_CHARS = 5_000_000

#: What a reader yields: an article, or the error of one record it could not read.
Item = Union[Article, UnreadableInput]


@dataclass(frozen=True)
class ReaderOptions:
    max_chars: int = DEFAULT_MAX_CHARS
    #: identify the language of articles that do not name it (`compare`, which never reads it, skips
    #: the 0.4 s the identifier's model takes to load)
    detect_language: bool = True

    @property
    def max_bytes(self) -> int:
        # a UTF-8 character is at most 4 bytes; HTML markup gets the same generous allowance
        return self.max_chars * 4


_C1 = re.compile("[\x80-\x9f]")


def looks_binary(data: bytes) -> bool:
    """Binary junk: NUL bytes or many control characters in the first bytes."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes whatever the charset claims: UTF-8, then cp1252, then detection.

    A declared charset is tried after UTF-8 since a wrong declaration is common in the wild.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        candidates.append(declared)
    candidates.append("cp1252")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _C1.search(text):
            return text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except Exception:  # pragma: no cover - detection is best effort
        pass
    return data.decode("latin-1")


def clean(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs on blank lines (or single newlines when there are none)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text)
    if len(blocks) == 1:
        blocks = text.split("\n")
    out = [clean(" ".join(b.split("\n"))) for b in blocks]
    return [p for p in out if p]


def finish(article: Article, origin: str, options: ReaderOptions) -> Article:
    """Fill what can be derived (language, source, id) and enforce the size cap."""
    article.title = clean(article.title)
    article.body = [p for p in (" ".join(str(x).split()) for x in article.body) if p]
    article.title = " ".join(article.title.split())
    size = len(article.title) + len(article.standfirst or "") + sum(len(p) for p in article.body)
    if size > options.max_chars:
        raise ArticleTooLarge(origin, f"article of {size:,} characters is over the cap of {options.max_chars:,}")
    if not article.body and not article.title:
        raise UnreadableInput(origin, "no article text found")
    if not article.body:
        raise UnreadableInput(origin, "article has a title but no body text")
    article.origin = article.origin or origin
    if not article.source:
        article.source = source_from_url(article.url)
    if not article.language and options.detect_language:
        article.language = detect_language(article.full_text)
    article.id = article.compute_id()
    if not article.title:  # after the id, so an untitled article keeps the id it always had
        article.title = derive_title(article.body[0])
    return article


def derive_title(paragraph: str, max_words: int = 12) -> str:
    """A headline for an untitled article: its first sentence, cut at a word boundary."""
    first = re.split(r"(?<=[.!?])\s+", paragraph.strip(), maxsplit=1)[0].rstrip(".")
    words = first.split()
    return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")


def safe(origin: str, produce: Iterator[Item]) -> Iterator[Item]:
    """Turn any stray exception of a third-party parser into the named error of its input."""
    try:
        yield from produce
    except UnreadableInput as exc:
        yield exc
    except BrokenInstallation:
        raise
    except ImportError as exc:  # not the input's fault: name the installation, not the file
        raise BrokenInstallation(exc) from exc
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything
        yield UnreadableInput(origin, f"cannot parse: {type(exc).__name__}: {exc}".strip()[:300])
