"""Date parsing shared by readers and the timeline: one place that turns strings into ISO 8601."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


@lru_cache(maxsize=4096)
def to_iso(value: str | None) -> str | None:
    """ISO 8601 from whatever a feed, page or JSON file gives; None when it is not a date."""
    if not value:
        return None
    value = str(value).strip()
    if not value:
        return None
    if _ISO.match(value):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return _fmt(dt, has_time=len(value) > 10)
    try:
        return _fmt(parsedate_to_datetime(value), True)
    except (TypeError, ValueError, IndexError):
        pass
    if value.isdigit() and len(value) in (10, 13):
        ts = int(value) / (1000 if len(value) == 13 else 1)
        return _fmt(datetime.fromtimestamp(ts, tz=timezone.utc), True)
    try:
        import dateparser

        dt = dateparser.parse(value, settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"})
    except Exception:  # noqa: BLE001 - dateparser raises on odd input
        dt = None
    return _fmt(dt, True) if dt else None


def _fmt(dt: datetime, has_time: bool) -> str:
    if not has_time:
        return dt.date().isoformat()
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def to_datetime(value: str | None) -> datetime | None:
    """A timezone-aware datetime from a stored ISO string."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def to_timestamp(value: str | None) -> float | None:
    dt = to_datetime(value)
    return dt.timestamp() if dt else None
