"""Plain-text articles: headline, optional standfirst, keyword line, captions, body.

The layout is the one newsrooms paste into text files: blocks separated by blank lines; the
first line is the headline; a short unpunctuated line before the body is the standfirst; a
comma-separated line of short terms is the keyword line; photo captions are recognised by their
credit (``Picture by …``, ``Reuters``, ``PA Images``, ``Getty``, ``AFP``, ``AP``) and a short
heading line directly above a caption belongs to it. Optional header lines ``Source:``, ``URL:``,
``Date:`` and ``By …`` are honoured.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import UnreadableInput
from ..model import Article
from .base import Item, ReaderOptions, clean, finish, reads_as_prose

_CREDIT = re.compile(
    r"(?:\bPicture by\b.*|\bPhoto(?:graph)?(?: by)?:?\s.*|"
    r"(?:^|[\s/(])(?:Reuters|PA Images|PA Wire|PA|Getty(?: Images)?|AFP(?:/Getty Images)?|AP(?: Photo)?"
    r"|EPA|Shutterstock|Alamy|Bloomberg)\)?)\s*$"
)
_END_PUNCT = re.compile(r"[.!?…:;\"”’')\]]$")
_HEADER = re.compile(r"^(source|outlet|url|link|date|published|author|by)\s*:\s*(.+)$", re.I)
_BYLINE = re.compile(r"^By\s+([A-Z][\w.'-]+(?:\s+(?:[A-Z][\w.'-]+|and|&|,))*)\s*$")


def is_caption(line: str) -> bool:
    return bool(_CREDIT.search(line)) and not _END_PUNCT.search(line.rstrip(". ")) and len(line) < 600


def is_keyword_line(line: str) -> bool:
    body = re.sub(r"^(keywords|tags|topics)\s*:\s*", "", line, flags=re.I)
    items = [i.strip() for i in body.split(",")]
    if len(items) < 3 or _END_PUNCT.search(line):
        return False
    return all(0 < len(i.split()) <= 4 and len(i) <= 40 for i in items)


def is_heading(line: str) -> bool:
    return len(line) <= 80 and len(line.split()) <= 10 and not _END_PUNCT.search(line)


def parse_text(text: str, origin: str, options: ReaderOptions) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [[clean(ln) for ln in b.split("\n") if clean(ln)] for b in re.split(r"\n\s*\n", text)]
    blocks = [b for b in blocks if b]
    if not blocks:
        raise UnreadableInput(origin, "empty text")
    art = Article()
    # header lines (Source:, URL:, Date:, By ...) at the very top
    while blocks and blocks[0]:
        line = blocks[0][0]
        m = _HEADER.match(line)
        b = _BYLINE.match(line)
        if m:
            key, value = m.group(1).lower(), m.group(2).strip()
            if key in ("source", "outlet"):
                art.source = value
            elif key in ("url", "link"):
                art.url = value
            elif key in ("date", "published"):
                art.published_at = _iso(value)
            else:
                art.authors = _split_authors(value)
        elif b and not art.authors:
            art.authors = _split_authors(b.group(1))
        else:
            break
        blocks[0].pop(0)
        if not blocks[0]:
            blocks.pop(0)
    if not blocks:
        raise UnreadableInput(origin, "no article text after the header lines")
    if not reads_as_prose("\n".join(ln for b in blocks for ln in b)):
        # a settings file, a list of URLs, code or a table of numbers: stored, it would be a
        # "news article" no reader wants and a story of its own
        raise UnreadableInput(origin, "text does not read as prose (settings, URLs, code or too few words)")
    art.title = blocks[0].pop(0)
    lines: list[tuple[str, bool]] = []  # (line, starts a new block)
    for block in blocks:
        for i, line in enumerate(block):
            lines.append((line, i == 0))
    body: list[str] = []
    i = 0
    in_body = False
    while i < len(lines):
        line, new_block = lines[i]
        nxt = lines[i + 1][0] if i + 1 < len(lines) else ""
        if is_caption(line):
            art.captions.append(line)
        elif is_heading(line) and nxt and is_caption(nxt) and not lines[i + 1][1]:
            art.captions.append(f"{line} — {nxt}")
            i += 1
        elif not in_body and not art.keywords and is_keyword_line(line):
            art.keywords = [k.strip() for k in re.sub(r"^\w+\s*:\s*", "", line).split(",") if k.strip()]
        elif not in_body and not art.standfirst and not body and not _END_PUNCT.search(line) and len(line) > 20:
            art.standfirst = line
        else:
            in_body = True
            if body and not new_block:
                body[-1] = body[-1] + " " + line  # a hard-wrapped paragraph
            else:
                body.append(line)
        i += 1
    if not body and art.standfirst:
        body, art.standfirst = [art.standfirst], None  # a one-paragraph article without final punctuation
    art.body = body
    return finish(art, origin, options)


def _split_authors(value: str) -> list[str]:
    return [a.strip() for a in re.split(r",| and | & ", value) if a.strip()]


def _iso(value: str) -> str | None:
    from ..dates import to_iso

    return to_iso(value)


def read_text(text: str, origin: str, options: ReaderOptions) -> Iterator[Item]:
    yield parse_text(text, origin, options)
