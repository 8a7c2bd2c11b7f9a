"""A story's coverage as terminal text (the CLI and the demo print it)."""
from __future__ import annotations

from typing import Any


def print_coverage(c: Any, cov: dict[str, Any]) -> None:
    """A story's coverage on a rich console: first reporter, a line of blocks per series, the splits."""
    first = cov["first_reported"]
    if first["status"] == "dated":
        extra = f" ({first['undated_originals']} undated original{'s' if first['undated_originals'] != 1 else ''} " \
                "not ranked)" if first["undated_originals"] else ""
        c.print(f"first reported by: {first['outlet'] or 'unknown outlet'} · {first['published_at']} · "
                f"{first['article_id']}{extra}", markup=False, highlight=False)
    else:
        c.print(f"first reported by: {first['status']}", markup=False, highlight=False)
    series = cov["over_time"]
    if series["series"]:
        c.print(f"coverage per {series['bucket']} by {series['by']} "
                f"({series['buckets'][0][:16]} → {series['buckets'][-1][:16]}"
                f"{', ' + str(series['undated']) + ' undated' if series['undated'] else ''}):", markup=False)
        width = max(len(s["name"]) for s in series["series"])
        for s in series["series"]:
            c.print(f"  {s['name']:<{width}}  {sparkline(s['counts'])}  {s['total']}", markup=False, highlight=False)
    for g in cov["groups"]:
        spot = f"  [blindspot: {g['blindspot']['line']}]" if g["blindspot"] else ""
        c.print(f"{g['attribute']}: {g['line']}{spot}", markup=False, highlight=False)


def sparkline(counts: list[int], width: int = 48) -> str:
    """Counts as a line of block characters, folded to `width` columns (each the sum of its buckets)."""
    if len(counts) > width:
        per = -(-len(counts) // width)
        counts = [sum(counts[i:i + per]) for i in range(0, len(counts), per)]
    top = max(counts) or 1
    blocks = " ▁▂▃▄▅▆▇█"
    return "".join(blocks[0] if n == 0 else blocks[max(1, round(n / top * 8))] for n in counts)


def print_since(c: Any, d: dict[str, Any]) -> None:
    """What is new since a time: counts, new sources, the cited update summary, moved figures and
    new conflicts."""
    n = len(d["new_articles"])
    c.print(f"since {d['since']}: {n} new article{'s' if n != 1 else ''}"
            f" ({d['known_articles']} known before"
            f"{', ' + str(len(d['undated_articles'])) + ' undated, not placed' if d['undated_articles'] else ''})",
            markup=False, highlight=False)
    if d["new_sources"]:
        c.print("new sources: " + ", ".join(d["new_sources"]), markup=False, highlight=False)
    for s in d["summary"]:
        c.print(f"  {s['text']} {''.join(f'[{k}]' for k in s['sources'])}", markup=False, highlight=False)
    for u in d["updates"]:
        c.print(f"moved: {u['from']['value']} {''.join(f'[{k}]' for k in u['from']['sources'])} → "
                f"{u['to']['value']} {''.join(f'[{k}]' for k in u['to']['sources'])}", markup=False, highlight=False)
    for x in d["new_conflicts"]:
        sides = " vs ".join(f"{cl['value']} {''.join(f'[{k}]' for k in cl['sources'])}" for cl in x["claims"])
        c.print(f"new conflict ({x['kind']}): {sides}", markup=False, highlight=False)
    if not n:
        c.print("nothing new", markup=False)
