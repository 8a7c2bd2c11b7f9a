"""WARC and ARC archives: every record read through warcio, one bad record never loses the rest.

The archives are built here, with warcio's own writer or (ARC, which warcio does not write) by hand."""
from __future__ import annotations

import gzip
import io

import pytest

from storyline.errors import UnreadableInput
from storyline.model import Article
from storyline.readers import read_bytes, read_path, sniff

from fixtures import PARAS, html_page

PAGES = [
    ("https://selbyecho.example/ferry", html_page("Port Selby backs ferry terminal", PARAS)),
    ("https://northmoor.example/mill", html_page("Northmoor mill reopens as a museum", PARAS[::-1], site="Northmoor Radio")),
    ("https://selbyecho.example/tide", html_page("Record tide floods the Selby quay", PARAS[1:] + PARAS[:1])),
]


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, UnreadableInput)]


def http(html: str, ctype: str = "text/html; charset=utf-8") -> bytes:
    body = html.encode()
    return (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def warc(records, gz: bool = True) -> bytes:
    """A WARC written by warcio: records are (type, url, html) with type response, resource or request."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    w.write_record(w.create_warcinfo_record("crawl.warc", {"software": "storyline tests"}))
    for kind, url, html in records:
        if kind == "response":
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
        elif kind == "resource":
            rec = w.create_warc_record(url, "resource", payload=io.BytesIO(html.encode()),
                                       warc_content_type="text/html; charset=utf-8")
        else:
            headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.example")], protocol="HTTP/1.1", is_http_request=True)
            rec = w.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=headers)
        w.write_record(rec)
    return buf.getvalue()


def arc(pages, gz: bool = False, name: str = "crawl.arc") -> bytes:
    """An ARC (version 1) written by hand: the `filedesc://` header record, then one record a page;
    gzipped, each record is a gzip member of its own, as crawlers write them."""
    desc = b"1 0 storyline tests\nURL IP-address Archive-date Content-type Archive-length\n\n"
    records = [f"filedesc://{name} 0.0.0.0 20250214000000 text/plain {len(desc)}\n".encode() + desc + b"\n"]
    for i, (url, html) in enumerate(pages):
        payload = http(html)
        records.append(f"{url} 192.0.2.{i + 1} 20250214100{i}00 text/html {len(payload)}\n".encode() + payload + b"\n")
    if gz:
        return b"".join(gzip.compress(r) for r in records)
    return b"".join(records)


# --- ARC -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("gz", [False, True])
def test_arc_pages_with_url_outlet_and_origin(gz):
    name = "crawl.arc.gz" if gz else "crawl.arc"
    good, bad = split(read_bytes(arc(PAGES, gz=gz), name))
    assert not bad
    assert [a.url for a in good] == [u for u, _ in PAGES]
    assert [a.title for a in good] == ["Port Selby backs ferry terminal", "Northmoor mill reopens as a museum",
                                       "Record tide floods the Selby quay"]
    assert [a.origin for a in good] == [f"{name}#{u}" for u, _ in PAGES]
    assert good[1].source == "Northmoor Radio" and not any("filedesc" in a.title for a in good)


def test_arc_origins_are_stable():
    data = arc(PAGES, gz=True)
    first = [a.origin for a in read_bytes(data, "c.arc.gz")]
    assert first == [a.origin for a in read_bytes(data, "c.arc.gz")] and not any(o.endswith("#None") for o in first)


def test_arc_is_sniffed_by_its_first_line_whatever_its_name(tmp_path):
    data = arc(PAGES[:2])
    assert sniff(data, "crawl.txt") == "warc"
    path = tmp_path / "crawl-without-extension"
    path.write_bytes(data)
    good, bad = split(read_path(str(path)))
    assert len(good) == 2 and not bad
    gzipped = tmp_path / "crawl.gz"  # a gzipped ARC not named .arc.gz
    gzipped.write_bytes(arc(PAGES[:2], gz=True))
    good, bad = split(read_path(str(gzipped)))
    assert [a.url for a in good] == [PAGES[0][0], PAGES[1][0]] and not bad


def test_arc_header_record_is_never_an_article():
    # like warcio's bad.arc: a header record, then records whose lengths are wrong or missing
    desc = b"1 0 Bad Capture\nURL IP-address Archive-date Content-type Archive-length\n\n"
    data = (b"filedesc://bad.arc.gz 127.0.0.1 20140301000000 text/plain -1\n" + desc
            + b"http://example.com/ 93.184.216.119 201404010000000000 text/html -1\n\n"
            + b"http://example.com/ 127.0.0.1 20140102000000 text/plain 1\n\n\n"
            + b"http://example.com/ 93.184.216.119 201404010000000000 text/html abc\n\n")
    good, bad = split(read_bytes(data, "bad.arc"))
    assert not good
    assert len(bad) == 1 and bad[0].origin == "bad.arc" and "no HTML pages" in bad[0].reason


# --- WARC that warcio reads ------------------------------------------------------------------------

def test_single_member_gzip_warc():
    data = gzip.compress(warc([("response", u, h) for u, h in PAGES], gz=False))
    good, bad = split(read_bytes(data, "one-member.warc.gz"))
    assert [a.url for a in good] == [u for u, _ in PAGES] and not bad


def test_gzip_members_cut_elsewhere_than_at_records():
    plain = warc([("response", u, h) for u, h in PAGES], gz=False)
    # members that end in the middle of pages, the second holding the start of the next record
    cuts = [0, plain.index(b"four years") + 2, plain.index(b"Northmoor mill reopens") + 3, len(plain)]
    data = b"".join(gzip.compress(plain[a:b]) for a, b in zip(cuts, cuts[1:]))
    good, bad = split(read_bytes(data, "wrong-chunks.warc.gz"))
    assert [a.url for a in good] == [u for u, _ in PAGES] and not bad


@pytest.mark.parametrize("gz", [True, False])
def test_resource_records_that_hold_html(gz):
    data = warc([("resource", PAGES[0][0], PAGES[0][1]), ("resource", "file:///notes/tide.html", PAGES[2][1])], gz=gz)
    good, bad = split(read_bytes(data, "resource.warc.gz" if gz else "resource.warc"))
    assert not bad
    assert [a.title for a in good] == ["Port Selby backs ferry terminal", "Record tide floods the Selby quay"]
    assert good[0].url == PAGES[0][0] and good[1].url is None  # a file:// target is no article URL


# --- one bad record, a cut archive -----------------------------------------------------------------

def test_a_record_whose_page_fails_keeps_the_rest(monkeypatch):
    import storyline.readers.warc as warc_reader

    real = warc_reader.parse_html

    def parse(data, origin, options, url=None):
        if url == PAGES[1][0]:
            raise ValueError("parser crashed")
        return real(data, origin, options, url=url)

    monkeypatch.setattr(warc_reader, "parse_html", parse)
    good, bad = split(read_bytes(warc([("response", u, h) for u, h in PAGES]), "c.warc.gz"))
    assert [a.url for a in good] == [PAGES[0][0], PAGES[2][0]]
    assert len(bad) == 1
    assert bad[0].origin.startswith("c.warc.gz#<urn:uuid:") and "record 3" in bad[0].reason
    assert "parser crashed" in bad[0].reason


def test_a_record_without_text_is_named_and_the_rest_kept():
    empty = "<html><body><nav>Home</nav></body></html>"
    data = warc([("response", PAGES[0][0], empty), ("response", PAGES[1][0], PAGES[1][1])])
    good, bad = split(read_bytes(data, "c.warc.gz"))
    assert [a.url for a in good] == [PAGES[1][0]]
    assert len(bad) == 1 and bad[0].origin.startswith("c.warc.gz#<urn:uuid:") and "record 2" in bad[0].reason


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_archive_keeps_every_record_before_the_cut(gz):
    data = warc([("response", u, h) for u, h in PAGES], gz=gz)
    cut = data.index(b"Record tide") if not gz else len(data) - 300
    good, bad = split(read_bytes(data[:cut], "cut.warc.gz" if gz else "cut.warc"))
    assert [a.url for a in good] == [PAGES[0][0], PAGES[1][0]]
    assert len(bad) == 1 and "cut short" in bad[0].reason and "2 pages" in bad[0].reason


def test_cut_between_records_inside_a_gzip_member_is_reported_once():
    plain = warc([("response", u, h) for u, h in PAGES], gz=False)
    data = gzip.compress(plain)[:-40]  # one member for all, cut in its last bytes (a request-free tail)
    good, bad = split(read_bytes(data, "cut.warc.gz"))
    assert [a.url for a in good][:2] == [PAGES[0][0], PAGES[1][0]]
    assert len(bad) == 1 and "cut short" in bad[0].reason


def test_cut_inside_a_request_record_is_reported():
    data = warc([("response", PAGES[0][0], PAGES[0][1]), ("request", PAGES[0][0], "")], gz=False)
    good, bad = split(read_bytes(data[:-30], "cut.warc"))
    assert [a.url for a in good] == [PAGES[0][0]]
    assert len(bad) == 1 and "cut short inside record 3" in bad[0].reason


def test_origins_name_the_record_never_none():
    good, _ = split(read_bytes(warc([("response", u, h) for u, h in PAGES]), "c.warc.gz"))
    assert all(a.origin.startswith("c.warc.gz#<urn:uuid:") for a in good)
    assert len({a.origin for a in good}) == 3
    again = [a.origin for a in read_bytes(warc([("response", u, h) for u, h in PAGES]), "c.warc.gz")]
    assert len(again) == 3  # a fresh archive has fresh record ids; an archive read twice keeps its own


def test_archive_of_no_pages_is_one_refusal():
    good, bad = split(read_bytes(warc([("request", PAGES[0][0], "")]), "requests.warc.gz"))
    assert not good and len(bad) == 1 and "no HTML pages" in bad[0].reason


@pytest.mark.parametrize("gz", [False, True])
def test_a_record_with_a_wrong_length_loses_only_itself(gz):
    import re

    plain = warc([("response", u, h) for u, h in PAGES], gz=False)
    # the second page's record (record 3, after the warcinfo) says it is 120 bytes shorter than it is
    start = plain.index(PAGES[1][0].encode())
    m = re.compile(rb"Content-Length: (\d+)").search(plain, start)
    plain = plain[: m.start(1)] + str(int(m.group(1)) - 120).encode() + plain[m.end(1):]
    data = gzip.compress(plain) if gz else plain
    good, bad = split(read_bytes(data, "c.warc.gz" if gz else "c.warc"))
    assert PAGES[0][0] in [a.url for a in good] and PAGES[2][0] in [a.url for a in good]
    assert len(bad) == 1 and bad[0].origin == ("c.warc.gz" if gz else "c.warc")
    assert "after record 3" in bad[0].reason and "read on" in bad[0].reason


from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["warc", "warc.gz", "arc", "arc.gz"]), st.integers(0, 10**6), st.binary(max_size=40),
       st.booleans())
def test_damaged_archives_get_an_answer_never_a_traceback(kind, where, garbage, cut):
    data = warc([("response", u, h) for u, h in PAGES], gz=kind == "warc.gz") if kind.startswith("warc") \
        else arc(PAGES, gz=kind == "arc.gz")
    at = where % (len(data) + 1)
    data = data[:at] if cut else data[:at] + garbage + data[at + len(garbage):]
    items = list(read_bytes(data, f"damaged.{kind}"))
    assert items and all(isinstance(i, (Article, UnreadableInput)) for i in items)
    assert all(i.origin.startswith(f"damaged.{kind}") and not i.origin.endswith("#None") for i in items)
