"""Write the demo corpus (tools/demo_stories.py) as files of every format storyline reads."""
from __future__ import annotations

import html
import io
import json
import re
import shutil
import sys
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from demo_stories import ARTICLES, OUTLETS, WIRE  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "demo_data"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def expand(a: dict) -> dict:
    a = dict(a)
    name, base = OUTLETS[a["outlet"]]
    a["source"] = name
    if "wire" in a:
        w = WIRE[a["wire"]]
        body = list(w["body"])
        if a.get("cut"):
            body = body[: -a["cut"]]
        if a.get("boilerplate_before"):
            body.insert(0, a["boilerplate_before"])
        if a.get("boilerplate_after"):
            body.append(a["boilerplate_after"])
        a["title"] = w["title"]
        a["body"] = body
        a["author"] = "Atlas News Agency"
    day = a["date"][:10].replace("-", "/")
    a["url"] = f"{base}/{day}/{slug(a['title'])}"
    return a


def page(a: dict) -> str:
    e = html.escape
    meta = [f'<meta property="og:site_name" content="{e(a["source"])}">',
            f'<meta property="article:published_time" content="{a["date"]}">',
            f'<link rel="canonical" href="{e(a["url"])}">']
    if a.get("author"):
        meta.append(f'<meta name="author" content="{e(a["author"])}">')
    if a.get("standfirst"):
        meta.append(f'<meta name="description" content="{e(a["standfirst"])}">')
    paras = "\n".join(f"<p>{e(p)}</p>" for p in a["body"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(a['title'])} | {e(a['source'])}</title>
{chr(10).join(meta)}</head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{e(a['title'])}</h1>
{paras}
</article></main>
<footer><p>&copy; 2025 {e(a['source'])}. Contact us. Privacy policy.</p></footer></body></html>
"""


def text_file(a: dict) -> str:
    head = [f"Source: {a['source']}", f"Date: {a['date']}", f"URL: {a['url']}"]
    if a.get("author"):
        head.append(f"By {a['author']}")
    blocks = ["\n".join(head), a["title"]]
    if a.get("standfirst"):
        blocks.append(a["standfirst"])
    if a.get("keywords"):
        blocks.append(a["keywords"])
    blocks += a.get("captions", [])
    blocks += a["body"]
    return "\n\n".join(blocks) + "\n"


def obj(a: dict) -> dict:
    o = {"headline": a["title"], "link": a["url"], "outlet": a["source"], "published": a["date"],
         "content": "\n\n".join(a["body"])}
    if a.get("author"):
        o["author"] = a["author"]
    if a.get("standfirst"):
        o["description"] = a["standfirst"]
    return o


def rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")))


def rss(name: str, base: str, items: list[dict]) -> str:
    e = html.escape
    entries = "\n".join(f"""  <item>
    <title>{e(a['title'])}</title>
    <link>{e(a['url'])}</link>
    <guid>{e(a['url'])}</guid>
    <pubDate>{rfc822(a['date'])}</pubDate>
    <description>{e(''.join(f'<p>{e(p)}</p>' for p in a['body']))}</description>
  </item>""" for a in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>{e(name)}</title><link>{e(base)}</link><description>News from {e(name)}</description>
{entries}
</channel></rss>
"""


def atom(name: str, base: str, items: list[dict]) -> str:
    e = html.escape
    entries = "\n".join(f"""  <entry>
    <title>{e(a['title'])}</title>
    <link href="{e(a['url'])}"/>
    <id>{e(a['url'])}</id>
    <updated>{a['date']}</updated>
    <author><name>{e(a.get('author') or name)}</name></author>
    <content type="html">{e(''.join(f'<p>{e(p)}</p>' for p in a['body']))}</content>
  </entry>""" for a in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{e(name)}</title><id>{e(base)}/</id><updated>2025-08-20T00:00:00Z</updated>
{entries}
</feed>
"""


def warc(items: list[dict]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for a in items:
        payload = page(a).encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(a["url"], "response", payload=io.BytesIO(payload), http_headers=headers,
                                        warc_headers_dict={"WARC-Date": a["date"]})
        writer.write_record(rec)
    return buf.getvalue()


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    arts = [expand(a) for a in ARTICLES]
    by_fmt: dict[str, list[dict]] = {}
    for a in arts:
        by_fmt.setdefault(a["fmt"], []).append(a)
    for a in by_fmt.get("txt", []):
        p = OUT / "text" / a["outlet"] / f"{slug(a['title'])}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text_file(a), encoding="utf-8")
    for a in by_fmt.get("html", []):
        p = OUT / "pages" / f"{a['outlet']}-{slug(a['title'])[:40]}.html"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(page(a), encoding="utf-8")
    (OUT / "json").mkdir(parents=True, exist_ok=True)
    (OUT / "json" / "aggregator.json").write_text(
        json.dumps({"articles": [obj(a) for a in by_fmt.get("json", [])]}, indent=1, ensure_ascii=False), encoding="utf-8")
    (OUT / "json" / "newsroom-export.jsonl").write_text(
        "".join(json.dumps(obj(a), ensure_ascii=False) + "\n" for a in by_fmt.get("jsonl", [])), encoding="utf-8")
    feeds = OUT / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    for kind, render in (("rss", rss), ("atom", atom)):
        outlets: dict[str, list[dict]] = {}
        for a in by_fmt.get(kind, []):
            outlets.setdefault(a["outlet"], []).append(a)
        for key, items in outlets.items():
            name, base = OUTLETS[key]
            (feeds / f"{key}.{kind}.xml").write_text(render(name, base, items), encoding="utf-8")
    (OUT / "archive").mkdir(parents=True, exist_ok=True)
    (OUT / "archive" / "crawl-2025.warc.gz").write_bytes(warc(by_fmt.get("warc", [])))
    print(f"{len(arts)} articles written under {OUT}")


if __name__ == "__main__":
    main()
