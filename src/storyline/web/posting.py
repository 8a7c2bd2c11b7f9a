"""Checking an article POSTed to the API: the token, the body's type and size, each field with a
422 that names it, and whether the text reads as news."""
from __future__ import annotations

import hmac
from typing import Any

from fastapi.security import HTTPAuthorizationCredentials

from ..errors import UnreadableInput
from ..model import storable

MAX_BODY = 5 * 1024 * 1024
MIN_NEWS_WORDS = 10  # a POSTed body shorter than this is not news ("hello")
FUTURE_SLACK = 24 * 3600  # time zones and clock skew; a date further ahead is refused
EARLIEST_YEAR = 1900  # a publication date before this is a typo or a placeholder ("0001-01-01")
#: text any store and any JSON encoder can take (a lone surrogate from a JSON escape "\ud800")
_repair = storable


class ApiError(Exception):
    """An HTTP error with its status and one-line message (every error body has this shape)."""

    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


def _authorise(credentials: HTTPAuthorizationCredentials | None, token: str | None) -> None:
    if not token:
        raise ApiError(401, "writes are disabled: set STORYLINE_TOKEN on the server to allow them")
    given = credentials.credentials.strip() if credentials else ""
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "missing or wrong bearer token")


def _check_news(article: Any) -> None:
    """A POSTed article must be news: long enough, and not dated in the future."""
    import time

    from ..dates import to_timestamp
    from ..readers.base import count_words

    words = sum(count_words(p) for p in article.body)  # a CJK character is a word
    if words < MIN_NEWS_WORDS:
        raise ApiError(422, f"too short to be news: the text has {words} word{'s' if words != 1 else ''}, "
                            f"an article needs at least {MIN_NEWS_WORDS}")
    ts = to_timestamp(article.published_at) if article.published_at else None
    if ts is not None and ts > time.time() + FUTURE_SLACK:
        raise ApiError(422, f"published_at {article.published_at} is in the future")


def _parse_post(body: bytes, ctype: str) -> Any:
    from ..api import CONTENT_TYPES, article_from_content
    from ..errors import ArticleTooLarge

    ctype = ctype.split(";")[0].strip().lower()
    if ctype not in CONTENT_TYPES and ctype != "":
        raise ApiError(415, f"unsupported content type {_shown(ctype)}: use application/json, text/html or text/plain")
    # JSON is checked field by field here first, for errors that name the field
    content = _article_object(_json_body(body)) if ctype in ("application/json", "") else body
    try:
        return article_from_content(content, ctype or "application/json", "POST /api/articles")
    except ArticleTooLarge as exc:
        raise ApiError(413, exc.reason) from None
    except UnreadableInput as exc:  # read, but not news: too short, not prose, no text
        raise ApiError(422, exc.reason) from None


def _json_body(body: bytes) -> Any:
    import json

    from ..readers.base import decode_bytes

    try:
        return json.loads(decode_bytes(body))
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise ApiError(400, "invalid JSON: nested too deeply") from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise ApiError(400, f"invalid JSON: {str(exc)[:200]}") from None


def _shown(value: Any, limit: int = 60) -> str:
    """A value quoted for an error message, cut short."""
    text = _repair(str(value))
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _article_object(obj: Any) -> dict[str, Any]:
    """A POSTed JSON article checked field by field (with the JSON readers' aliases) into an object
    of the readers' own names: a missing text, a field of the wrong type, a date that is not one and
    a link that is not http(s) are refused with 422 naming the field; text is made storable."""
    from ..readers.jsonl import ALIASES

    if not isinstance(obj, dict):
        raise ApiError(422, "an article must be a JSON object")

    def given(field: str) -> tuple[str | None, Any]:
        for key in ALIASES[field]:
            if key in obj and obj[key] is not None:
                return key, obj[key]
        return None, None

    out: dict[str, Any] = {}
    key, text = given("body")
    if key is None:
        raise ApiError(422, "missing field: text (the article's body; body or content are accepted too)")
    if isinstance(text, list) and all(isinstance(p, str) for p in text):
        text = [_repair(p) for p in text]
    elif isinstance(text, str):
        text = _repair(text)
    else:
        raise ApiError(422, f"{key} must be a string (or a list of paragraphs), not {_json_type(text)}")
    if not "".join(text).strip():
        raise ApiError(422, f"{key} is empty")
    out["body"] = text
    for field in ("title", "url", "source", "standfirst", "published_at", "language"):
        key, value = given(field)
        if key is None:
            continue
        if not isinstance(value, str):
            raise ApiError(422, f"{key} must be a string, not {_json_type(value)}")
        out[field] = _repair(value).strip()
    for field in ("keywords", "captions", "authors"):
        key, value = given(field)
        if key is None:
            continue
        if isinstance(value, str):
            out[field] = _repair(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[field] = [_repair(v) for v in value]
        else:
            raise ApiError(422, f"{key} must be a string or a list of strings, not {_json_type(value)}")
    if out.get("url"):
        out["url"] = _checked_url(out["url"], given("url")[0] or "url")
    if out.get("published_at"):
        out["published_at"] = _checked_date(out["published_at"], given("published_at")[0] or "published_at")
    return out


def _json_type(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object",
            str: "a string"}.get(type(value), type(value).__name__)


def _checked_url(url: str, key: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host, parts = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host or any(c.isspace() for c in url):
        raise ApiError(422, f"{key} must be an http:// or https:// address, not {_shown(url)}")
    return url


def _checked_date(value: str, key: str) -> str:
    """An ISO 8601 date or date-time (or an RFC 2822 one, as feeds give), from 1900 on; anything
    else is refused where a reader would have stored the article undated."""
    from datetime import datetime
    from email.utils import parsedate_to_datetime

    from ..dates import _ISO, to_iso

    dt = None
    if _ISO.match(value):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            dt = None
    else:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            dt = None
    if dt is not None and dt.year < EARLIEST_YEAR:
        raise ApiError(422, f"{key} {_shown(value)} is before {EARLIEST_YEAR}")
    try:
        iso = to_iso(value) if dt is not None else None
    except (OverflowError, ValueError):  # 9999-12-31T23:00:00-05:00 is past datetime's range in UTC
        iso = None
    if iso is None:
        raise ApiError(422, f"{key} must be an ISO 8601 date such as 2025-03-05 or 2025-03-05T09:00:00Z, "
                            f"not {_shown(value)}")
    return iso
