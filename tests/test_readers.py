from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import ArticleTooLarge, UnreadableInput
from storyline.model import Article
from storyline.readers import ReaderOptions, read_bytes, read_path, sniff
from storyline.readers.text import is_caption, is_keyword_line, parse_text

from fixtures import PARAS, TEXT_ARTICLE, atom_feed, html_page, rss_feed, warc_bytes


def articles(items):
    out = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, UnreadableInput)]
    return out, errors


def test_text_rules_on_invented_article():
    a = parse_text(TEXT_ARTICLE, "crane.txt", ReaderOptions())
    assert a.title == "Harbour crane topples in Port Selby gale"
    assert a.standfirst == "Two dock workers were hurt when a container crane fell during the storm"
    assert a.keywords == ["port selby", "docks", "storm", "crane"]
    assert len(a.captions) == 2
    assert a.captions[0].endswith("PA Wire/PA Images")
    assert a.captions[1].startswith("Crane operators union") and a.captions[1].endswith("Getty Images")
    assert a.body[0].startswith("A container crane toppled")
    assert not any("Picture by" in p or "Getty" in p for p in a.body)
    # a hard-wrapped paragraph is joined into one
    assert a.body[1] == "Two dock workers were taken to hospital with minor injuries. The port was closed for twelve hours while engineers checked the other cranes."


def test_caption_and_keyword_rules():
    assert is_caption("Firefighters at the scene Reuters")
    assert is_caption("The mayor. Picture by Jo Bloggs/PA Images")
    assert not is_caption("The fire was reported by Reuters.")
    assert not is_caption("Officials told Reuters reporters the road was closed on Friday.")
    assert is_keyword_line("storm, floods, power cuts")
    assert not is_keyword_line("He came, he saw, he left.")


def test_text_header_lines():
    a = parse_text("Source: Selby Echo\nDate: 2025-02-14T10:00:00Z\nURL: https://selbyecho.example/x\nBy Ann Lee and Bo Chan\n\nTitle here\n\nBody sentence one is here, and it runs to ten words.", "x.txt", ReaderOptions())
    assert a.source == "Selby Echo"
    assert a.published_at == "2025-02-14T10:00:00Z"
    assert a.url == "https://selbyecho.example/x"
    assert a.authors == ["Ann Lee", "Bo Chan"]
    assert a.body == ["Body sentence one is here, and it runs to ten words."]


def test_seeds(shared):
    seeds = sorted((shared / "seeds").glob("*.txt"))
    a0 = next(read_path(str(seeds[0])))
    assert a0.title == "Russia begins military withdrawal in Syria"
    assert a0.standfirst == "Vladimir Putin has agreed to reduce military deployment under the fragile Syrian ceasefire deal"
    assert a0.keywords == ["syria", "russia", "withdrawal", "military", "fighters"]
    assert len(a0.captions) == 1 and a0.captions[0].endswith("PA Wire/PA Images")
    assert a0.body[0].startswith("Russia has begun to withdraw")
    assert not any("PA Images" in p for p in a0.body)
    a1 = next(read_path(str(seeds[1])))
    assert len(a1.captions) == 2 and all(c.endswith("Reuters") for c in a1.captions)
    assert not any(p.endswith("Reuters") for p in a1.body)


def test_html_reader():
    items = list(read_bytes(html_page("Port Selby backs ferry terminal", PARAS).encode(), "p.html"))
    (a,), errors = articles(items)
    assert not errors
    assert a.title == "Port Selby backs ferry terminal"
    assert a.source == "Selby Echo"
    assert a.authors == ["Ines Duarte"]
    assert a.published_at.startswith("2025-02-14")
    assert a.body[0].startswith("The city council")
    assert "Contact us" not in a.text


def test_html_reader_keeps_the_publication_time():
    # htmldate keeps the day only; an update is told from a report by the hour
    page = html_page("Port Selby backs ferry terminal", PARAS, date="2025-02-14T16:40:00Z")
    (a,), _ = articles(list(read_bytes(page.encode(), "p.html")))
    assert a.published_at == "2025-02-14T16:40:00Z"


def test_cp1252_with_wrong_charset():
    page = html_page("Café owners protest", ["Café owners protested on Monday against a new tax on terraces in the old town of Selby.",
                                              "The mayor, José Núñez, said the money would repave the streets.",
                                              "Protesters blocked the main square for an hour, police said on Monday evening."])
    (a,), _ = articles(list(read_bytes(page.encode("cp1252"), "c.html")))
    assert "José Núñez" in a.text and a.title == "Café owners protest"


def test_legacy_text_encodings():
    text = "Crème brûlée festival opens\n\nThe crème brûlée festival in Sélby opened on Saturday with forty stalls and a parade."
    for enc in ("cp1252", "latin-1", "utf-8"):
        (a,), _ = articles(list(read_bytes(text.encode(enc), f"t-{enc}.txt")))
        assert a.title == "Crème brûlée festival opens", enc


def test_json_aliases_and_shapes():
    obj = {"headline": "H", "content": "First paragraph of the story.\n\nSecond paragraph of the same story.", "link": "https://x.example/a?utm_source=z",
           "outlet": "X Daily", "date": "Fri, 14 Feb 2025 10:00:00 GMT", "tags": ["a", "b"]}
    (a,), _ = articles(list(read_bytes(json.dumps(obj).encode(), "o.json")))
    assert (a.title, a.source, a.body, a.keywords) == ("H", "X Daily", ["First paragraph of the story.", "Second paragraph of the same story."], ["a", "b"])
    assert a.published_at == "2025-02-14T10:00:00Z"
    wrapped = json.dumps({"articles": [obj, {"nothing": 1}]}).encode()
    good, bad = articles(list(read_bytes(wrapped, "w.json")))
    assert len(good) == 1 and len(bad) == 1 and "w.json[1]" in str(bad[0])
    good, bad = articles(list(read_bytes(b"[1, 2]", "shape.json")))
    assert not good and len(bad) == 2


def test_json_array_streams_across_chunks():
    rows = [{"title": f"T{i}", "text": "é" * 700_000 + f" body {i} of the story that runs to ten words"} for i in range(4)]
    data = json.dumps(rows, ensure_ascii=False).encode()
    good, bad = articles(list(read_bytes(data, "big.json")))
    assert [a.title for a in good] == ["T0", "T1", "T2", "T3"] and not bad
    assert good[0].text.startswith("é")


def test_jsonl_bad_line_keeps_the_rest():
    data = b'{"title": "A", "text": "one two three four five six seven eight nine ten"}\nnot json\n{"title": "B", "text": "six seven eight nine ten eleven twelve thirteen fourteen fifteen"}\n'
    good, bad = articles(list(read_bytes(data, "x.jsonl")))
    assert [a.title for a in good] == ["A", "B"]
    assert len(bad) == 1 and bad[0].origin == "x.jsonl:2"


def test_feeds():
    good, bad = articles(list(read_bytes(rss_feed(3).encode(), "f.rss")))
    assert len(good) == 3 and not bad and all(a.source == "Selby Echo" for a in good)
    assert good[0].url == "https://selbyecho.example/m/0"
    (a,), _ = articles(list(read_bytes(atom_feed().encode(), "f.atom")))
    assert a.source == "Northmoor Radio" and a.body[0].startswith("The old textile mill")


def test_warc_plain_and_gz():
    pages = [("https://selbyecho.example/a", html_page("Ferry vote", PARAS)), ("https://selbyecho.example/b", html_page("Ferry vote two", PARAS[::-1]))]
    for gz in (True, False):
        good, bad = articles(list(read_bytes(warc_bytes(pages, gz), "c.warc.gz" if gz else "c.warc")))
        assert [a.url for a in good] == [p[0] for p in pages] and not bad


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\xff" * 100, "binary"),
    (b"<html><body><nav>Home</nav></body></html>", "no article"),
    (b"<rss><channel><title>x</title><item><title>oops", "feed"),
    (b"<?xml version='1.0'?><svg></svg>", "XML"),
])
def test_bad_inputs_named_errors(data, needle):
    good, bad = articles(list(read_bytes(data, "bad-input")))
    assert not good and len(bad) == 1
    assert bad[0].origin.startswith("bad-input") and needle.lower() in str(bad[0]).lower()


def test_truncated_archives():
    gz = gzip.compress(b'{"title": "a", "text": "b c d e f g"}\n' * 200)
    good, bad = articles(list(read_bytes(gz[: len(gz) // 2], "cut.jsonl.gz")))
    assert bad and "cut.jsonl.gz" in str(bad[-1])
    warc = warc_bytes([("https://x.example/a", html_page("A title", PARAS))] * 3)
    good, bad = articles(list(read_bytes(warc[: len(warc) - 200], "cut.warc.gz")))
    assert len(bad) == 1 and "cut.warc.gz" in str(bad[0]) and len(good) >= 1


def test_size_cap():
    opts = ReaderOptions(max_chars=1000)
    good, bad = articles(list(read_bytes(("Title\n\n" + "word " * 400).encode(), "big.txt", opts)))
    assert not good and isinstance(bad[0], ArticleTooLarge)
    data = b'{"title": "small", "text": "a small text that is fine, and it runs to ten words"}\n' + json.dumps({"title": "big", "text": "x " * 5000}).encode() + b"\n"
    good, bad = articles(list(read_bytes(data, "m.jsonl", opts)))
    assert [a.title for a in good] == ["small"] and isinstance(bad[0], ArticleTooLarge)


def test_sniff_by_content_not_name():
    assert sniff(b'{"a": 1}\n{"a": 2}\n', "x.txt") == "jsonl"
    assert sniff(b"<rss version='2.0'>", "x.html") == "feed"
    assert sniff(b"WARC/1.0\r\n", "x.json") == "warc"
    assert sniff(b"Plain headline\n\nBody.", "x.html") == "text"


def test_stable_ids():
    a = Article(title="T", body=["b"], url="https://www.x.example/a/?utm_source=feed#top")
    b = Article(title="Other", body=["c"], url="https://WWW.X.example/a")
    assert a.id == b.id
    assert Article(title="T", body=["Some  Text"]).id == Article(title="t", body=["some text"]).id


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash(data):
    for item in read_bytes(data, "fuzz"):
        assert isinstance(item, (Article, UnreadableInput))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", b"<rss>", b"[{", b"{\"title\":", b"<html><body><p>"]))
def test_arbitrary_bytes_behind_a_format_prefix(data, prefix):
    for item in read_bytes(prefix + data, "fuzz"):
        assert isinstance(item, (Article, UnreadableInput))
