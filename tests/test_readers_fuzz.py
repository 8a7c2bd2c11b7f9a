"""Every reader, fed anything: an article that can be stored or an error naming the input, never
a traceback. Strategies hold lone surrogates (as JSON escapes and character references), NULs,
deep nesting, byte-order marks and CJK text."""
from __future__ import annotations

import codecs
import json
from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import UnreadableInput
from storyline.model import Article, storable
from storyline.readers import ReaderOptions, read_bytes

OPTS = ReaderOptions(detect_language=False)
CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=30)
WILD = st.one_of(
    st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=40),
    CJK,
    st.sampled_from(["\x00", "\ud800", "\udfff", "\ufeff", "\u2028", "&#55296;", "&amp;", "<br />", "]]>"]),
)
BOMS = st.sampled_from([b"", codecs.BOM_UTF8, "utf-16", "utf-32"])
PROSE = "The harbour council of Port Selby voted on Tuesday to rebuild the old ferry pier."


def _ref(text: str) -> str:
    """Text for XML: every character outside ASCII printable as a numeric reference, so a lone
    surrogate or a NUL arrives as `&#55296;`/`&#0;`, as a broken feed would send it."""
    return "".join(c if " " <= c <= "~" and c not in "<>&" else f"&#{ord(c)};" for c in text)


def _doc(fmt: str, title: str, text: str, depth: int) -> str:
    if fmt == "jsonl":
        rows = [json.dumps({"title": title, "text": text + " " + PROSE}), "[" * depth + "]" * depth,
                json.dumps({"title": "Second", "text": PROSE})]
        return "\n".join(rows)
    if fmt == "json":
        return "[" + ",".join([json.dumps({"title": title, "text": text}), "[" * depth + "]" * depth,
                               json.dumps({"title": "Second", "text": PROSE})]) + "]"
    if fmt == "feed":
        items = "".join(f"<item><title>{_ref(t)}</title><link>https://echo.example/{i}</link>"
                        f"<description>{_ref(b)}</description></item>"
                        for i, (t, b) in enumerate([(title, text + " " + PROSE), ("Second", PROSE)]))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Echo</title>{items}</channel></rss>'
    if fmt == "html":
        return (f"<!doctype html><html><head><title>{escape(title)}</title></head><body><article>"
                f"<h1>{escape(title)}</h1><p>{escape(text)}</p><p>{PROSE}</p></article></body></html>")
    return f"{title}\n\n{text}\n\n{PROSE}"


def _encode(doc: str, bom) -> bytes:
    raw = doc.encode("utf-8", "surrogatepass")  # a lone surrogate as the bytes a broken writer gives
    if isinstance(bom, str):
        try:
            return doc.encode(bom)
        except UnicodeEncodeError:
            return raw
    return bom + raw


def _check(items) -> None:
    for x in items:
        assert isinstance(x, (Article, UnreadableInput)), type(x)
        if isinstance(x, Article):
            for v in (x.title, x.url or "", x.source or "", x.standfirst or "", *x.body, *x.authors):
                assert storable(v) == v, repr(v)
        else:
            assert x.origin and x.reason and "Traceback" not in x.reason


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["jsonl", "json", "feed", "html", "text"]), WILD, WILD, st.integers(0, 1500), BOMS,
       st.booleans())
def test_every_reader_answers_anything(fmt, title, text, depth, bom, sniffed):
    data = _encode(_doc(fmt, title, text, depth), bom)
    _check(list(read_bytes(data, f"in.{fmt}", OPTS, fmt=None if sniffed else fmt)))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["x.bin", "x.json", "x.jsonl", "x.warc.gz", "x.arc", "x.html", "x"]))
def test_random_bytes_get_an_answer(data, name):
    _check(list(read_bytes(data, name, OPTS)))
