"""JSON and JSONL: one bad record is reported with its number and every other one is kept."""
from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import UnreadableInput
from storyline.model import Article, storable
from storyline.readers import ReaderOptions, read_bytes, read_stream

BODY = ("The harbour council of Port Selby voted on Tuesday to rebuild the old ferry pier before the summer "
        "season, after two years of delays.")
DEEP = "[" * 1500 + "]" * 1500
OPTS = ReaderOptions(detect_language=False)


def _line(i: int, **kw) -> str:
    return json.dumps({"title": f"Pier vote {i}", "text": f"{BODY} Item {i}.", **kw})


def _split(items):
    arts = [x for x in items if isinstance(x, Article)]
    errors = [x for x in items if isinstance(x, UnreadableInput)]
    assert len(arts) + len(errors) == len(items)
    return arts, errors


def test_jsonl_bad_lines_are_numbered_and_the_rest_kept():
    lines = [_line(i, url=f"https://echo.example/{i}") for i in range(6)]
    lines[1] = '{"title": "Deep", "text": ' + DEEP + "}"
    lines[2] = '{"title": "Bad \\ud800", "text": "' + BODY + ' two"}'  # a lone surrogate, no URL
    lines[3] = "{not json"
    arts, errors = _split(list(read_bytes("\n".join(lines).encode(), "in.jsonl", OPTS)))
    assert [e.origin for e in errors] == ["in.jsonl:2", "in.jsonl:4"]
    assert "nested too deeply" in errors[0].reason
    assert [a.title for a in arts] == ["Pier vote 0", "Bad \ufffd", "Pier vote 4", "Pier vote 5"]


def test_json_array_bad_items_are_numbered_and_the_rest_kept():
    items = [_line(i) for i in range(5)]
    items[1] = DEEP
    items[2] = '{"title": broken, "text": "x"}'
    items[3] = '{"title": "esc \\"q\\" ]}", "text": "' + BODY + '", "n": [1, {"a": "]"}]}'
    arts, errors = _split(list(read_bytes(("[" + ",\n".join(items) + "]").encode(), "in.json", OPTS)))
    assert [e.origin for e in errors] == ["in.json[1]", "in.json[2]"]
    assert [a.title for a in arts] == ["Pier vote 0", 'esc "q" ]}', "Pier vote 4"]


def test_a_broken_item_that_never_ends_stops_with_one_error():
    data = ("[" + _line(0) + ', {"title": "cut", "text": "never ends').encode()
    arts, errors = _split(list(read_bytes(data, "cut.json", OPTS)))
    assert len(arts) == 1 and len(errors) == 1 and errors[0].origin == "cut.json[1]"


def test_json_feed_items():
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Selby Gazette",
            "home_page_url": "https://gazette.example/", "items": [
                {"id": "1", "url": "https://gazette.example/a", "title": "Pier vote",
                 "content_html": f"<p>{BODY}</p><p>Second <b>paragraph</b> of the report.</p><script>x()</script>",
                 "date_published": "2026-03-01T10:00:00Z", "authors": [{"name": "Ann Lee"}], "tags": ["port"]},
                {"id": "2", "url": "https://gazette.example/b", "title": "Pier vote two", "content_text": BODY}]}
    arts, errors = _split(list(read_bytes(json.dumps(feed).encode(), "feed.json", OPTS)))
    assert not errors
    assert arts[0].body == [BODY, "Second paragraph of the report."]
    assert arts[0].published_at == "2026-03-01T10:00:00Z" and arts[0].authors == ["Ann Lee"]
    assert arts[0].keywords == ["port"] and arts[0].source == "gazette.example"
    assert arts[1].body == [BODY]


class _Counting(io.RawIOBase):
    """A stream of one huge JSON object that counts what is read of it."""

    def __init__(self, size: int) -> None:
        self.read_bytes = 0
        self.parts = [b'{"title": "Huge", "text": "']
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        if self.parts:
            chunk = self.parts.pop()
        elif self.left > 0:
            chunk = b"word " * min(len(b) // 5, self.left // 5)
            self.left -= len(chunk)
        else:
            return 0
        chunk = chunk[: len(b)]
        b[: len(chunk)] = chunk
        self.read_bytes += len(chunk)
        return len(chunk)


def test_a_huge_single_object_is_refused_without_reading_it_whole():
    stream = _Counting(200_000_000)
    opts = ReaderOptions(max_chars=1_000_000, detect_language=False)
    items = list(read_stream(io.BufferedReader(stream), "huge.json", opts, fmt="json"))
    assert len(items) == 1 and isinstance(items[0], UnreadableInput)
    assert "cap" in items[0].reason
    assert stream.read_bytes < 20 * opts.max_bytes  # read up to about the cap, not the 200 MB


def test_a_utf16_json_document_is_read():
    data = json.dumps({"title": "Pier vote", "text": BODY}).encode("utf-16")
    arts, errors = _split(list(read_bytes(data, "u16.json", OPTS, fmt="json")))
    assert not errors and arts[0].title == "Pier vote"


# text with every code point, NUL and lone surrogates included
WILD = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(WILD, WILD, st.integers(0, 1400)), min_size=1, max_size=5), st.booleans())
def test_any_records_give_storable_articles_or_numbered_errors(records, as_array):
    rows = []
    for title, text, depth in records:
        value = "[" * depth + "]" * depth if depth > 900 else json.dumps(text + " " + BODY)
        rows.append('{"title": ' + json.dumps(title) + ', "text": ' + value + "}")
    data = ("[" + ",".join(rows) + "]") if as_array else "\n".join(rows)
    items = list(read_bytes(data.encode("utf-8"), "w.json" if as_array else "w.jsonl", OPTS,
                            fmt="json" if as_array else "jsonl"))
    assert len(items) == len(rows)  # one answer per record: nothing lost, nothing doubled
    for x in items:
        if isinstance(x, Article):
            for v in (x.title, *x.body):
                assert storable(v) == v
        else:
            assert x.origin.startswith(("w.json[", "w.jsonl:"))


def test_utf16_and_utf32_jsonl_with_a_bom_are_read_line_by_line():
    data = "\n".join(_line(i) for i in range(3)).replace("Pier", "Pier 埠頭")
    for enc in ("utf-16", "utf-32"):
        arts, errors = _split(list(read_bytes(data.encode(enc), "u.jsonl", OPTS, fmt="jsonl")))
        assert not errors and [a.title for a in arts] == [f"Pier 埠頭 vote {i}" for i in range(3)]
