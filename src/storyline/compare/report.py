"""Reports of a stored story, or of files: the comparison rendered in one of the formats."""
from __future__ import annotations

import sys
from typing import Any

from ..model import Article
from . import compare_articles
from .render import to_html, to_json, to_markdown, to_text

FORMATS = ("text", "json", "markdown", "html")


def story_comparison(store: Any, story_id: str, words: int = 120) -> dict[str, Any]:
    """The comparison of a stored story (its copies counted as one source with their original)."""
    story = store.get_story(story_id)
    articles: list[Article] = [m["article"] for m in story["members"]]
    dup = {m["article"].id: m["duplicate_of"] for m in story["members"]}
    c = compare_articles(articles, words=words, duplicate_of=dup)
    c["story"] = {k: story[k] for k in ("id", "title", "articles", "independent", "first_at", "last_at")}
    return c


def render(c: dict[str, Any], fmt: str, console: Any = None, title: str | None = None) -> str | None:
    if fmt == "json":
        return to_json(c)
    if fmt == "markdown":
        return to_markdown(c)
    if fmt == "html":
        return to_html(c, title or (c.get("story") or {}).get("title") or "Story comparison")
    if console is None:
        from rich.console import Console

        console = Console()
    to_text(c, console)
    return None


def render_story_report(store: Any, story_id: str, fmt: str = "text", console: Any = None, words: int = 120) -> None:
    out = render(story_comparison(store, story_id, words), fmt, console)
    if out is not None:
        sys.stdout.write(out)
