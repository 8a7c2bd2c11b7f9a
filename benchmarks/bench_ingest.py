"""Ingest speed: 10,000 JSONL articles into SQLite, and HTML pages against bare trafilatura.extract.

Run: python benchmarks/bench_ingest.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from synth import stream  # noqa: E402

from storyline.pipeline import ingest  # noqa: E402
from storyline.readers import ReaderOptions  # noqa: E402
from storyline.readers.html import parse_html  # noqa: E402
from storyline.store import open_store  # noqa: E402


def page(a) -> str:
    paras = "".join(f"<p>{p}</p>" for p in a.body)
    return (f"<html><head><title>{a.title}</title><meta property='og:site_name' content='{a.source}'></head><body>"
            f"<nav><a href='/'>Home</a><a href='/world'>World</a></nav><article><h1>{a.title}</h1>{paras}</article>"
            f"<aside>Most read: other stories</aside><footer>Contact, privacy, terms</footer></body></html>")


def main() -> None:
    n = int(os.environ.get("N", 10_000))
    tmp = tempfile.mkdtemp()
    src = os.path.join(tmp, "articles.jsonl")
    arts = [a for a, _ in stream(n, seed=3)]
    with open(src, "w") as f:
        for a in arts:
            f.write(json.dumps({"title": a.title, "text": a.text, "url": a.url, "source": a.source,
                                "published_at": a.published_at}) + "\n")
    store = open_store(os.path.join(tmp, "s.db"))
    t0 = time.perf_counter()
    report = ingest([src], store)
    dt = time.perf_counter() - t0
    print(f"JSONL ingest: {report.new} articles in {dt:.2f} s = {report.new / dt:,.0f} articles/s (target >= 2,000)")
    t0 = time.perf_counter()
    again = ingest([src], store)
    dt2 = time.perf_counter() - t0
    print(f"re-ingest (all unchanged): {again.unchanged / dt2:,.0f} articles/s")
    # baseline in the same run: bare json.loads of each line, no store
    t0 = time.perf_counter()
    with open(src) as f:
        for line in f:
            json.loads(line)
    base = time.perf_counter() - t0
    print(f"baseline json.loads only: {n / base:,.0f} lines/s; ingest/baseline time ratio {dt / base:.1f}")

    import trafilatura

    pages = [page(a) for a in arts[:300]]
    opts = ReaderOptions()
    for p in pages[:5]:  # warm both paths
        trafilatura.extract(p, with_metadata=True)
        parse_html(p, "warm", opts)
    t0 = time.perf_counter()
    for p in pages:
        trafilatura.extract(p, with_metadata=True, include_comments=False, include_tables=False)
    bare = (time.perf_counter() - t0) / len(pages)
    t0 = time.perf_counter()
    for i, p in enumerate(pages):
        parse_html(p, f"p{i}", opts)
    ours = (time.perf_counter() - t0) / len(pages)
    print(f"HTML: bare trafilatura.extract {bare * 1000:.2f} ms/page; storyline HTML reader {ours * 1000:.2f} ms/page; "
          f"ratio {ours / bare:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
