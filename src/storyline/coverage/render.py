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
