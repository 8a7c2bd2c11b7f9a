"""Typed records that flow between the stages. Plain dataclasses, JSON-serialisable."""
from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_WS = re.compile(r"\s+")
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$|ref$|cmpid$)")


#: what no store can hold and no reader should pass on: NUL and the other C0 controls but tab and
#: newlines, and lone UTF-16 surrogates (a JSON escape "\\ud800" or a feed's "&#55296;" make them)
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def storable(text: str) -> str:
    """Text every store can hold: control characters dropped, a surrogate pair joined into its
    character and a lone surrogate replaced by U+FFFD (the replacement character)."""
    if not _UNSTORABLE.search(text):
        return text
    if re.search("[\ud800-\udfff]", text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _UNSTORABLE.sub("", text)


def _storable_list(values: list[str]) -> list[str]:
    return [storable(v) for v in values]


def normalise_text(text: str) -> str:
    """Lowercased, whitespace-collapsed text: the basis of text ids and exact-duplicate hashes."""
    return _WS.sub(" ", text).strip().lower()


def canonical_url(url: str | None) -> str | None:
    """A URL reduced to what identifies the page: no fragment, no tracking parameters."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    host = parts.netloc.lower()
    if host.endswith(":80") or host.endswith(":443"):
        host = host.rsplit(":", 1)[0]
    return urlunsplit(("https", host, path, query, ""))


def source_from_url(url: str | None) -> str | None:
    """The outlet named by a URL's host, without `www.`."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else (host or None)


#: an outlet's or agency's furniture, not news: left out of the comparison and of the article page
BOILERPLATE = re.compile(r"\b(?:copyright|all rights reserved|subscribe|sign up for|follow (?:us|[A-Z][\w ]{0,30} for)|"
                         r"read more|newsletter|this (?:story|article) was provided by|send (?:us )?(?:news )?tips|"
                         r"click here|share this)\b|^©", re.I)


def is_boilerplate(paragraph: str) -> bool:
    """Whether a paragraph is an outlet's furniture (copyright lines, tips, newsletters)."""
    return bool(BOILERPLATE.search(paragraph))


def voice(article_id: str, source: str | None, wire: str | None = None) -> str:
    """What makes a report independent: the wire it credits, else its outlet, else (an unknown
    outlet) the article itself. The story engine, the store and every comparison count voices
    with this one function, so a story shows the same number of independent sources everywhere."""
    return f"wire:{wire.lower()}" if wire else f"outlet:{source.lower()}" if source else f"article:{article_id}"


def independent_sources(voices: Iterable[str]) -> int:
    """How many independent sources distinct voices (`voice`) make, as a story states it: every
    known wire or outlet counts once, and articles of no known outlet count as one source at most,
    since nothing says they are not all one outlet's. (A fact's sources are still told apart by
    article, so that two unknown outlets' sentences align as two statements.)"""
    known, unknown = 0, 0
    for v in voices:
        if v.startswith("article:"):
            unknown = 1
        else:
            known += 1
    return known + unknown


def _digest(value: str) -> str:
    # surrogatepass: an article not yet made storable still has an id (`storable` runs before storing)
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def id_for_url(url: str | None) -> str | None:
    """The id an article at this URL gets (None when the URL is not canonical http(s))."""
    canon = canonical_url(url)
    return _digest("url:" + canon) if canon else None


@dataclass
class Article:
    """One news article as every stage sees it."""

    title: str = ""
    body: list[str] = field(default_factory=list)
    url: str | None = None
    source: str | None = None
    standfirst: str | None = None
    keywords: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    language: str | None = None
    origin: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.compute_id()

    @property
    def text(self) -> str:
        """Body paragraphs joined by blank lines."""
        return "\n\n".join(self.body)

    @property
    def full_text(self) -> str:
        parts = [self.title, self.standfirst or "", self.text]
        return "\n\n".join(p for p in parts if p)

    def compute_id(self) -> str:
        """Stable id: from the canonical URL when there is one, else from the normalised text."""
        by_url = id_for_url(self.url)
        if by_url:
            return by_url
        return _digest("text:" + normalise_text(self.title + "\n" + self.text))

    def storable(self) -> Article:
        """This article if every text field can be stored, else a copy whose fields are made so
        by `storable` (the id is kept: it names the article as it was read)."""
        fields = (self.title, self.url, self.source, self.standfirst, self.published_at, self.language,
                  self.origin, *self.body, *self.keywords, *self.captions, *self.authors)
        if not any(f and _UNSTORABLE.search(f) for f in fields):
            return self
        opt = lambda v: None if v is None else storable(v)  # noqa: E731
        return dataclasses.replace(
            self, title=storable(self.title), url=opt(self.url), source=opt(self.source),
            standfirst=opt(self.standfirst), published_at=opt(self.published_at), language=opt(self.language),
            origin=opt(self.origin), body=[p for p in _storable_list(self.body) if p.strip()],
            keywords=_storable_list(self.keywords), captions=_storable_list(self.captions),
            authors=_storable_list(self.authors))

    def content_hash(self) -> str:
        """Hash of every stored field but origin: tells an unchanged re-ingest from an update."""
        data = self.to_dict()
        data.pop("origin", None)
        return hashlib.sha1(repr(sorted(data.items())).encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "standfirst": self.standfirst,
            "keywords": list(self.keywords),
            "captions": list(self.captions),
            "authors": list(self.authors),
            "published_at": self.published_at,
            "language": self.language,
            "body": list(self.body),
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def resolve_merged(merged: dict[str, str], sid: str) -> str:
    """The story a (possibly merged-away) story id now lives in, following chains of merges."""
    seen = set()
    while sid in merged and sid not in seen:
        seen.add(sid)
        sid = merged[sid]
    return sid
