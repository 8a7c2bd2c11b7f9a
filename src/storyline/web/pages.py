"""What the web page adds to the data: dates as people read them, and one colour per outlet."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from markupsafe import Markup

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def human_date(iso: str | None, with_time: bool = True) -> str:
    """`2025-07-09T08:00:00+00:00` as `9 July 2025, 08:00` (English, as the page); partial dates
    (`2025-07`, `2025`) as far as they go; anything unparseable as given."""
    if not iso:
        return "undated"
    parts = iso[:10].split("-")
    try:
        if len(parts) == 1:
            return str(int(parts[0]))
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00")) if len(iso) > 10 else None
        day = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        return iso
    if with_time and dt is not None and (dt.hour or dt.minute):
        return f"{day}, {dt:%H:%M}"
    return day


def time_tag(iso: str | None, with_time: bool = True) -> Markup:
    """A `<time>` element: the readable date, with the ISO value in its datetime attribute."""
    if not iso:
        return Markup('<span class="undated">undated</span>')
    return Markup('<time datetime="{}">{}</time>').format(iso, human_date(iso, with_time))


def relative_time(iso: str | None, now: float) -> str:
    """How long before `now` (a Unix time) an ISO date was: "3 hours ago", "yesterday", "5 days
    ago"; past a month, or in the future, the day itself. A date without a time counts in days."""
    from ..dates import to_datetime

    dt = to_datetime(iso)
    if dt is None:
        return human_date(iso) if iso else "undated"
    seconds = now - dt.timestamp()
    date_only = len(iso or "") <= 10
    if seconds < 0 or seconds > 31 * 86400:
        return human_date(iso, with_time=False)
    if not date_only and seconds < 3600:
        minutes = int(seconds // 60)
        return "just now" if minutes < 1 else f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if not date_only and seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = int(seconds // 86400)
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def ago_tag(iso: str | None, now: float | None = None) -> Markup:
    """A `<time>` that reads as a relative time, with the exact date and time on hover."""
    import time

    if not iso:
        return Markup('<span class="undated">undated</span>')
    exact = human_date(iso) + (" UTC" if len(iso) > 10 else "")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        iso, exact, relative_time(iso, time.time() if now is None else now))


def outlet_href(name: str | None) -> str:
    """The address of an outlet's page."""
    from urllib.parse import quote

    return "/outlets/" + quote(name or "", safe="")


def coverage_chart(over_time: dict[str, Any], colour: Any = None, width: int = 640, height: int = 120) -> dict[str, Any]:
    """A story's articles over time as stacked bars (one colour per outlet or value), positions
    computed here and drawn by the template as plain SVG."""
    buckets = over_time.get("buckets") or []
    series = over_time.get("series") or []
    if not buckets:
        return {"bars": [], "width": width, "height": 0, "ticks": [], "legend": [], "top": 0}
    colour = colour or outlet_colour
    left, bottom, top_pad = 28, 20, 6
    n = len(buckets)
    step = (width - left - 4) / n
    totals = [sum(s["counts"][i] for s in series) for i in range(n)]
    top = max(totals) or 1
    scale = (height - bottom - top_pad) / top
    bars = []
    for i in range(n):
        y = height - bottom
        for s in series:
            k = s["counts"][i]
            if not k:
                continue
            h = k * scale
            y -= h
            bars.append({"x": round(left + i * step + 0.5, 1), "y": round(y, 1), "w": round(max(step - 1, 1), 1),
                         "h": round(h, 1), "colour": colour(s["name"]) if over_time.get("by") == "outlet"
                         else outlet_colour(s["name"]), "title": f"{s['name']}: {k} at {buckets[i][:16].replace('T', ' ')}"})
    every = max(1, n // 6)
    label = (lambda b: b[11:16]) if over_time.get("bucket") == "hour" else (lambda b: b[5:10])
    ticks = [{"x": round(left + i * step + step / 2, 1), "label": label(buckets[i]), "day": buckets[i][:10]}
             for i in range(0, n, every)]
    legend_ = [{"name": s["name"], "total": s["total"],
                "colour": colour(s["name"]) if over_time.get("by") == "outlet" else outlet_colour(s["name"])}
               for s in series]
    return {"bars": bars, "width": width, "height": height, "ticks": ticks, "legend": legend_, "top": top,
            "baseline": height - bottom, "left": left, "bucket": over_time.get("bucket"),
            "first": buckets[0], "last": buckets[-1]}


#: ten well-separated colours (the Tableau 10 set) for the first outlets a store sees
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac"]


def outlet_colour(name: str | None) -> str:
    """A colour from an outlet's name alone (for an outlet the store's palette does not know)."""
    digest = hashlib.sha1((name or "?").lower().encode("utf-8")).digest()
    return f"hsl({int.from_bytes(digest[:2], 'big') % 360},55%,{38 + digest[2] % 3 * 10}%)"


class Palette:
    """One colour per outlet for the whole store: the n-th outlet the store ever saw gets the n-th
    colour of PALETTE, and past ten a hue n x 137.5 degrees round the wheel (the golden angle) in one of
    three lightnesses. The order only ever grows at its end, so an outlet keeps its colour on every
    story and every page as new outlets arrive."""

    def __init__(self, outlets_in_order: list[str | None]) -> None:
        self.colours = {name: self.colour_of_rank(rank) for rank, name in enumerate(outlets_in_order)}

    @staticmethod
    def colour_of_rank(rank: int) -> str:
        if rank < len(PALETTE):
            return PALETTE[rank]
        return f"hsl({round(rank * 137.508) % 360},55%,{(30, 45, 60)[rank % 3]}%)"

    def __call__(self, name: str | None) -> str:
        return self.colours[name] if name in self.colours else outlet_colour(name)


def coverage_bars(outlets: list[dict[str, Any]], colour: Any = outlet_colour, width: int = 160) -> list[dict[str, Any]]:
    """Segments of a coverage bar: one per outlet (its own colour), originals solid and copies pale.

    `outlets` holds {"name", "originals", "copies"} per outlet."""
    total = sum(o["originals"] + o["copies"] for o in outlets) or 1
    x = 0.0
    bars = []
    for o in outlets:
        c = colour(o["name"])
        for kind, n in (("original", o["originals"]), ("copy", o["copies"])):
            if not n:
                continue
            w = width * n / total
            bars.append({"name": o["name"] or "unknown outlet", "n": n, "kind": kind, "x": round(x, 1),
                         "w": round(max(w - 1, 1), 1), "colour": c})
            x += w
    return bars


def legend(outlets: list[dict[str, Any]], colour: Any = outlet_colour) -> list[dict[str, Any]]:
    """One legend entry per outlet: its colour, name, and how many originals and copies."""
    out = []
    for o in outlets:
        parts = []
        if o["originals"]:
            parts.append(f"{o['originals']} article{'s' if o['originals'] != 1 else ''}")
        if o["copies"]:
            parts.append(f"{o['copies']} cop{'ies' if o['copies'] != 1 else 'y'}")
        out.append({"name": o["name"] or "unknown outlet", "colour": colour(o["name"]), "detail": ", ".join(parts),
                    "copies_only": not o["originals"]})
    return out


def column_class(n: int) -> str:
    """Columns for n sources side by side, so no source is left alone on a row (wide screens)."""
    if n <= 3:
        return f"cols-{max(n, 1)}"
    for c in (4, 3, 2):
        if n % c != 1:
            return f"cols-{c}"
    return "cols-4"


def web_link(url: str | None) -> str | None:
    """The address when it is an http(s) one, else None: a stored `javascript:` or `data:` URL
    (from a file ingested, or a store older than the API's check) is never made a link."""
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and host else None


def register_filters(env: Any) -> None:
    env.filters["when"] = time_tag
    env.filters["web_link"] = web_link
    env.filters["day"] = lambda iso: time_tag(iso, with_time=False)
    env.filters["ago"] = ago_tag
    env.filters["outlet_href"] = outlet_href
