"""Inputs the readers once refused, stored half-decoded or stored as junk (issue 24): feeds,
HTML, plain text, sniffing, encodings, CJK text and the minimums every reader shares."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import UnreadableInput
from storyline.model import Article
from storyline.readers import ReaderOptions, read_bytes, sniff
from storyline.readers.base import count_words, reads_as_prose

from fixtures import html_page

OPTS = ReaderOptions(detect_language=False)
BODY = "Traders at the Selby market said on Friday that rents had risen for the third year running."


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, UnreadableInput)]


def rss(items: str, title: str = "Selby Echo", decl: str = '<?xml version="1.0"?>') -> str:
    return f'{decl}<rss version="2.0"><channel><title>{title}</title><link>https://selbyecho.example</link>{items}</channel></rss>'


def item(title: str, body: str, n: int = 0) -> str:
    return f"<item><title>{title}</title><link>https://selbyecho.example/{n}</link><description>{body}</description></item>"


# 1. feed text fully decoded

def test_feed_titles_and_bodies_are_plain_text():
    feed = rss(item("Harbour board &amp;amp; council agree", "It&amp;#8217;s the third year running that rents rose, traders said.", 1)
               + item("&lt;div&gt;&lt;a href=&quot;https://x.example/&quot;&gt;Market&lt;/a&gt; stalls close&lt;/div&gt;", BODY, 2),
               title="Selby &amp;amp; District Echo")
    arts, errors = split(read_bytes(feed.encode(), "f.xml", OPTS))
    assert not errors
    assert [a.title for a in arts] == ["Harbour board & council agree", "Market stalls close"]
    assert arts[0].body == ["It\u2019s the third year running that rents rose, traders said."]
    assert arts[0].source == "Selby & District Echo"


@pytest.mark.parametrize("encoding, title, body", [
    ("koi8-r", "Городской совет утвердил бюджет",
     "Городской совет в понедельник утвердил новый бюджет на следующий год, сообщили в мэрии."),
    ("shift_jis", "東京都が新たな対策を発表",
     "東京都は十二日、新型の感染症対策として、飲食店の営業時間を短縮するよう要請すると発表した。"),
])
def test_feed_without_declared_charset_is_detected(encoding, title, body):
    data = rss(item(title, body)).encode(encoding)
    arts, errors = split(read_bytes(data, "f.xml", OPTS))
    assert not errors
    assert arts[0].title == title and arts[0].body == [body]


# 2. one bad entry loses only itself

def test_feed_bad_character_reference_keeps_the_other_entries():
    feed = rss(item("First story", BODY, 1) + item("Bad &#55296; title", BODY.replace("Friday", "Monday"), 2)
               + item("Third story", BODY.replace("Friday", "Sunday"), 3))
    arts, errors = split(read_bytes(feed.encode(), "f.xml", OPTS))
    assert not errors
    assert [a.title for a in arts] == ["First story", "Bad \ufffd title", "Third story"]


def test_feed_bad_entry_is_reported_with_its_number():
    feed = rss(item("First story", BODY, 1) + item("Empty story", "&lt;br /&gt;", 2) + item("Third story", BODY, 3))
    arts, errors = split(read_bytes(feed.encode(), "f.xml", OPTS))
    assert [a.title for a in arts] == ["First story", "Third story"]
    assert len(errors) == 1
    assert errors[0].origin.startswith("f.xml#") and "entry 2 of 3" in errors[0].reason


# 3. namespaced RSS, CDF

def test_namespaced_rss_is_a_feed():
    feed = ('<!-- a comment first -->\n<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2"><r:channel>'
            '<r:title>Selby Echo</r:title><r:item><r:title>Market rents rise</r:title>'
            f'<r:description>{BODY}</r:description></r:item></r:channel></r:rss>')
    assert sniff(feed.encode()) == "feed"
    arts, errors = split(read_bytes(feed.encode(), "ns.xml", OPTS))
    assert not errors and arts[0].title == "Market rents rise"


# 4. UTF-16 and UTF-32, with a BOM or without

@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False])
def test_wide_encodings_are_read(encoding, bom):
    text = "Market rents rise again\n\n" + BODY + " Стоимость аренды растёт."
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    arts, errors = split(read_bytes(data, "t.txt", OPTS))
    assert not errors, errors
    assert arts[0].title == "Market rents rise again" and arts[0].body == [BODY + " Стоимость аренды растёт."]
    feed = rss(item("Market rents rise", BODY), decl=f'<?xml version="1.0" encoding="{encoding[:6]}"?>')
    data = feed.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    arts, errors = split(read_bytes(data, "f.xml", OPTS))
    assert not errors and arts[0].title == "Market rents rise" and arts[0].body == [BODY]


# 5. HTML behind long junk

def test_html_after_long_prolog_is_html():
    page = html_page("Market rents rise in Selby", [BODY, BODY.replace("Friday", "Monday"), "The council will meet next week to discuss the rents and the stalls."])
    junk = "<style>\n" + ".x { opacity: 1; }\n" * 400 + "</style>\n<!-- " + "comment " * 200 + "-->\n"
    data = (junk + page).encode()
    assert len(junk) > 8192
    assert sniff(data) == "html"
    arts, errors = split(read_bytes(data, "p.html", OPTS))
    assert not errors and arts[0].title == "Market rents rise in Selby"
    assert sniff(("<br />\n<b>Deprecated</b>: something " * 300 + page).encode()) == "html"


# 6. CJK text is counted by character

JA = ("東京都は十二日、新型の感染症対策として、飲食店の営業時間を短縮するよう要請すると発表した。"
      "都内の感染者数は増加が続いており、知事は記者会見で協力を呼びかけた。")
ZH = "北京市政府周二宣布，将在今年年底前新建二十所学校，以缓解城区入学压力。教育部门表示，新学校将于明年秋季开学。"


def test_count_words_counts_cjk_characters():
    assert count_words("東京都") == 3
    assert count_words("Tokyo 東京 2024") == 4
    assert count_words("<br /> ¤ — …") == 1  # only "br" has a letter
    assert count_words("서울시는 오늘 발표했다") == 10


@pytest.mark.parametrize("body", [JA, ZH])
def test_cjk_text_json_and_html_are_not_too_short(body):
    arts, errors = split(read_bytes(f"見出し\n\n{body}".encode(), "t.txt", OPTS))
    assert not errors and arts[0].body == [body]
    arts, errors = split(read_bytes(json.dumps({"title": "見出し", "text": body}).encode(), "a.json", OPTS))
    assert not errors and arts[0].body == [body]
    arts, errors = split(read_bytes(html_page("見出し", [body]).encode(), "p.html", OPTS))
    assert not errors and any(body[:20] in p for p in arts[0].body)


# 7. junk is not news

@pytest.mark.parametrize("body", ["&lt;br /&gt;", "¤", "&amp;#x61;", "Example content", "1"])
def test_feed_entry_without_words_is_refused(body):
    arts, errors = split(read_bytes(rss(item("A title", body)).encode(), "f.xml", OPTS))
    assert not arts and len(errors) == 1
    assert "too short" in errors[0].reason or "no body text" in errors[0].reason


@pytest.mark.parametrize("obj", [{"title": "Hello", "text": "hello"}, {"title": "A title", "text": "¤ ¤ ¤ <br />"}])
def test_json_and_text_below_the_minimum_are_refused(obj):
    arts, errors = split(read_bytes(json.dumps(obj).encode(), "a.json", OPTS))
    assert not arts and "too short" in errors[0].reason
    arts, errors = split(read_bytes(f"{obj['title']}\n\n{obj['text']}".encode(), "a.txt", OPTS))
    assert not arts and errors


CONFIG = """[metadata]
name = storyline
version = 1.0
url = https://example.org/storyline

[options]
packages = find:
python_requires = >=3.10
install_requires =
    lxml
    feedparser
"""
URLS = "\n".join(f"https://news{i}.example.org/2024/05/{i}/story-about-things-{i}.html" for i in range(30))
CODE = '''import os
from storyline import ingest


def main(paths):
    """Ingest every path."""
    for path in paths:
        if os.path.exists(path):
            ingest([path])
    return 0


class Reader:
    def __init__(self, name):
        self.name = name
'''
YAML = "title: My site\nbaseurl: /blog\nmarkdown: kramdown\ntheme: minima\nplugins:\n  - jekyll-feed\n  - jekyll-seo\n"


@pytest.mark.parametrize("text", [CONFIG, URLS, CODE, YAML])
def test_settings_urls_and_code_are_not_text_articles(text):
    assert not reads_as_prose(text)
    arts, errors = split(read_bytes(text.encode(), "x.txt", OPTS))
    assert not arts and "prose" in errors[0].reason


def test_prose_still_reads_as_prose():
    text = ("Market rents rise again\n\nSource: Selby Echo\n\n" + BODY + "\nThe council said: it will meet on Monday.\n"
            "See https://selbyecho.example/rents for the figures.\n")
    assert reads_as_prose(text)
    assert reads_as_prose(JA) and reads_as_prose(ZH)


# no reader crashes on what these inputs are made of

_PIECES = st.sampled_from(["\ufeff", "\ud800", "\x00", "東京都", "서울", "&#55296;", "&amp;amp;", "<br />", "<r:rss>",
                           "<rss>", "<item>", "</item>", "<html>", "{", "key = value", "https://x.example/", "\n\n"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=25),
       st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-16-be", "utf-32-le", "shift_jis"]))
def test_readers_never_crash(pieces, encoding):
    text = "".join(pieces)
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    for doc in (text, rss(item("x", text))):
        for name in ("x.txt", "x.xml", "x.json"):
            for got in read_bytes(doc.encode(encoding, errors=errors), name, OPTS):
                assert isinstance(got, (Article, UnreadableInput))


def test_a_program_quoting_markup_is_not_a_page_or_a_feed():
    code = ('import feedparser\n\n\ndef test_sanitize():\n    html = """<p style="margin: 15em;">example</p>"""\n'
            '    feed = "<rss><channel><item>x</item></channel></rss>"\n    doc = "<html><body>x</body></html>"\n'
            '    assert feedparser.parse(feed).entries\n    assert html != doc\n')
    assert sniff(code.encode(), "test_x.py") == "text"
    arts, errors = split(read_bytes(code.encode(), "test_x.py", OPTS))
    assert not arts and "prose" in errors[0].reason
    page = html_page("Market rents rise in Selby", [BODY, BODY.replace("Friday", "Monday")])
    warning = "Warning: session_start(): headers already sent in /var/www/index.php on line 3\n"
    assert sniff((warning + page).encode()) == "html"


# -- pages and entries that are not articles (the shapes found in trafilatura's and feedparser's corpora)
_NEWS = ("The harbour council of Port Selby voted on Tuesday to rebuild the old ferry pier before the "
         "summer season, after two years of delays and a long dispute over the cost.")


def _page(paras: list[str], title: str = "Selby Echo") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!doctype html><html><head><title>{title}</title></head><body><main><article><h1>{title}</h1>"
            f"{body}</article></main></body></html>").encode()


def test_a_status_page_a_template_and_a_menu_are_not_articles():
    status = [f"Server {k}: {v}" for k, v in [("Version", "Hx/2.4.7"), ("Uptime", "18 minutes 33 seconds"),
              ("Load", "1.22 0.96 0.63"), ("Accesses", "1133"), ("Traffic", "29.1 MB"), ("CPU", "1.31%")]] * 3
    template = [f"{{{{ctrl.content{i}.status === 'published' ? 'Publié' : 'En attente'}}}} {{{{ctrl.user{i}.fullName}}}}"
                for i in range(6)]
    menu = ["Home", "Politics", "Economy", "World", "Sport", "Culture", "Science and Technology", "Opinion"] * 4
    for paras in (status, template, menu):
        arts, errors = split(read_bytes(_page(paras), "p.html", OPTS))
        assert not arts and ("reads as an article" in errors[0].reason or "no article text" in errors[0].reason)
    arts, errors = split(read_bytes(_page([_NEWS, "Home", "Sport"]), "p.html", OPTS))
    assert arts and not errors  # one paragraph of sentences among menu items is an article


def test_a_page_of_links_is_not_an_article():
    paras = ["Here is the list of every market stall we know about in Port Selby, kept up to date by readers."]
    for i in range(20):
        paras += [f"Stall {i}", f"http://stall{i}.selby.example/"]
    arts, errors = split(read_bytes(_page(paras), "links.html", OPTS))
    assert not arts and "list of links" in errors[0].reason


def test_a_site_name_that_is_an_address_is_not_the_outlet():
    page = (b'<!doctype html><html><head><title>Pier vote</title><meta property="og:site_name" '
            b'content="selby.example?page=1"></head><body><article><p>' + _NEWS.encode() + b"</p></article></body></html>")
    (art,) = list(read_bytes(page, "p.html", OPTS))
    assert art.source != "selby.example?page=1"


def test_a_feed_entry_of_code_is_not_news():
    code = ("Pier vote results are in for Port Selby this week. &lt;br&gt;function runMe() {&lt;br&gt;"
            "/* Did the script run? */&lt;br&gt;var x = document.cookie;&lt;br&gt;}")
    arts, errors = split(read_bytes(rss(item("Pier vote", code) + item("Pier vote two", _NEWS, 1)).encode(), "f.xml", OPTS))
    assert [a.title for a in arts] == ["Pier vote two"] and "prose" in errors[0].reason


def test_nul_bytes_past_the_sniffed_head_are_not_stored():
    """The binary check reads the first 8 KB; NULs further on are dropped, in every format."""
    long = (_NEWS + " ") * 80  # about 13 KB of text before the NUL
    text = f"Pier vote\n\n{long}\n\nThe vote\x00 passed by\x00 six to two, the clerk said on Tuesday evening.".encode()
    page = _page([long, "The vote\x00 passed by six to two, the clerk said on Tuesday evening."])
    jsonl = ('{"title": "Pier vote", "text": "' + long + ' The vote\\u0000 passed."}').encode()
    for data, name in ((text, "t.txt"), (page, "p.html"), (jsonl, "j.jsonl")):
        (art,) = list(read_bytes(data, name, OPTS))
        assert isinstance(art, Article), art
        assert "\x00" not in art.title + "".join(art.body) and "The vote passed" in " ".join(art.body), name


@given(st.text(alphabet=st.sampled_from(list("ab Z9_ ¤<>/\t\n\x1c\x1f\x85\u00a0\u2028\u3000é漢字ー-.,\u200b")), max_size=40),
       st.integers(min_value=1, max_value=12))
@settings(max_examples=500, deadline=None)
def test_count_words_is_the_tokens_that_hold_a_letter_or_digit_and_stops_at_a_minimum(text, minimum):
    import re

    cjk = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f]")
    cjk_n = len([c for c in text if c in "漢字ー"])
    rest = cjk.sub(" ", text) if cjk_n else text
    expected = cjk_n + sum(1 for tok in rest.split() if re.search(r"[^\W_]", tok))
    assert count_words(text) == expected
    stopped = count_words(text, at_most=minimum)
    assert (stopped >= minimum) == (expected >= minimum) and (expected >= minimum or stopped == expected)
