"""Dates mentioned in text, normalised against a base date (publication, or the latest date the
article itself gives); relative ones are resolved and marked approximate."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"\.?,?\s+(\d{4})\b", re.I)
_MDY = re.compile(r"\b" + _MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
_MY = re.compile(r"\b" + _MONTH + r"\.?,?\s+(\d{4})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_Y = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_MD = re.compile(r"\b" + _MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_DM = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"\b", re.I)
_M = re.compile(r"\b(?:(?:early|mid|late|in|last|next)[\s-]+)?" + _MONTH + r"\b", re.I)


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:3] if name.lower()[:4] != "sept" else "sept"]


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)


def normalise_date(text: str, base: str | None = None, published: bool = True) -> tuple[str, bool] | None:
    """(ISO date or year-month or year, approximate?) for a date expression, or None.

    `base` is the publication date (`published`) or, for an undated article, an absolute date the
    article itself gives. Against a publication date, weekdays and "last month" resolve looking
    back; against a date inside the article only a month without a year resolves (to the year that
    puts it nearest that date): anything else would be a guess."""
    t = text.strip()
    for rx, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_MDY, "mdy")):
        m = rx.search(t)
        if m:
            g = m.groups()
            if order == "ymd":
                y, mo, d = int(g[0]), int(g[1]), int(g[2])
            elif order == "dmy":
                d, mo, y = int(g[0]), _month(g[1]), int(g[2])
            else:
                mo, d, y = _month(g[0]), int(g[1]), int(g[2])
            try:
                return date(y, mo, d).isoformat(), False
            except ValueError:
                return None
    m = _MY.search(t)
    if m:
        return f"{int(m.group(2)):04d}-{_month(m.group(1)):02d}", False
    m = _Y.search(t)
    if m and not re.search(r"\b(years?|decades?)\b", t, re.I):
        return m.group(1), False
    b = _base(base)
    if b is None:
        return None
    low = t.lower()
    if not published:
        return _month_near(t, b)
    m = _WEEKDAY.search(low)
    if m and base and len(base) >= 10 and not re.search(r"\bnext\b", low):
        back = (b.weekday() - _WEEKDAYS.index(m.group(1))) % 7  # the latest such day up to publication
        return date.fromordinal(b.toordinal() - back).isoformat(), True
    if re.search(r"\blast year\b", low):
        return f"{b.year - 1:04d}", True
    if re.search(r"\bthis year\b", low):
        return f"{b.year:04d}", True
    if re.search(r"\bnext year\b", low):
        return f"{b.year + 1:04d}", True
    if re.search(r"\blast month\b", low):
        y, mo = (b.year, b.month - 1) if b.month > 1 else (b.year - 1, 12)
        return f"{y:04d}-{mo:02d}", True
    # a month without a year: the latest such month not after the base (news looks back),
    # unless the text says "next"
    return _month_in_year(t, lambda mo: b.year if mo <= b.month or "next" in low else b.year - 1)


def _month_near(t: str, b: date) -> tuple[str, bool] | None:
    """A month (and day) without a year, in the year that puts it nearest the date `b`."""
    return _month_in_year(t, lambda mo: min((b.year - 1, b.year, b.year + 1),
                                            key=lambda yy: abs((yy - b.year) * 12 + mo - b.month)))


def _month_in_year(t: str, year_of: Any) -> tuple[str, bool] | None:
    """A month (and day) written without a year, dated in the year `year_of(month)` chooses."""
    for rx, has_day in ((_MD, "md"), (_DM, "dm"), (_M, None)):
        m = rx.search(t)
        if not m:
            continue
        if has_day == "md":
            mo, d = _month(m.group(1)), int(m.group(2))
        elif has_day == "dm":
            d, mo = int(m.group(1)), _month(m.group(2))
        else:
            mo, d = _month(m.group(1)), None
        y = year_of(mo)
        if d:
            try:
                return date(y, mo, d).isoformat(), True
            except ValueError:
                return None
        return f"{y:04d}-{mo:02d}", True
    return None


def _base(base: str | None) -> date | None:
    if not base:
        return None
    try:
        parts = [int(p) for p in base[:10].split("-")]
    except ValueError:
        return None
    while len(parts) < 3:
        parts.append(1)
    try:
        return date(*parts[:3])
    except ValueError:
        return None


def latest_absolute(texts: list[str]) -> str | None:
    """The latest full date (day, month and year) an article gives: the base for its relative
    dates when it is undated. A year or a month alone is no base: resolving against it is a guess."""
    found = []
    for t in texts:
        for rx in (_ISO, _DMY, _MDY):
            for m in rx.finditer(t):
                n = normalise_date(m.group(0))
                if n:
                    found.append(n[0])
    return max(found) if found else None


def written_date(text: str) -> tuple[Any, ...] | None:
    """A date as written when it cannot be resolved to a calendar date on its own: (month, day),
    (month,) or a weekday. Two of the same shape that differ are a conflict as written."""
    m = _MD.search(text)
    if m:
        return ("md", _month(m.group(1)), int(m.group(2)))
    m = _DM.search(text)
    if m:
        return ("md", _month(m.group(2)), int(m.group(1)))
    m = _WEEKDAY.search(text)
    if m:
        return ("weekday", m.group(1).lower())
    m = _M.search(text)
    if m and not re.search(r"\b(?:early|mid|late)\b", text, re.I):
        return ("m", _month(m.group(1)))  # "September" and "September this year" are one month
    return None
