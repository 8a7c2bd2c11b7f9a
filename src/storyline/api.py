"""The Python API: one data function per view, feeding the CLI, the JSON output and the web app."""
from __future__ import annotations

import os
from typing import Any

from .errors import NotFound, UnreadableInput
from .model import Article, is_boilerplate
from .readers import ReaderOptions, read_path


def load_article(ref: str, store: Any = None) -> Article:
    """An article from a file (the first article it holds) or from a stored id."""
    if os.path.exists(ref):
        for item in read_path(ref):
            if isinstance(item, UnreadableInput):
                raise item
            return item
        raise UnreadableInput(ref, "no article in this input")
    if store is None:
        raise NotFound(f"{ref!r} is neither a file nor a stored article")
    return store.get_article(ref)


def load_articles(paths: list[str], options: ReaderOptions | None = None) -> list[Article]:
    """Every article of the inputs, failing on the first unreadable one."""
    from .pipeline import read_inputs

    out = []
    for item in read_inputs(paths, options):
        if isinstance(item, UnreadableInput):
            raise item
        out.append(item)
    return out


#: the media types article_from_content reads, by the reader each goes to
CONTENT_TYPES = {"application/json": "json", "text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


def article_from_content(content: bytes | dict[str, Any], content_type: str, origin: str = "<content>",
                         options: ReaderOptions | None = None) -> Article:
    """One article from one piece of content of a known media type, as the web app's POST takes it:
    a JSON object (given as a dict, with the JSON readers' field names and aliases, or as bytes),
    an HTML page, or plain text (bytes in any encoding the readers sniff). Raises UnsupportedFormat
    for another type, ArticleTooLarge and UnreadableInput as the readers do."""
    from .errors import UnsupportedFormat
    from .readers.base import decode_bytes

    options = options or ReaderOptions()
    kind = CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
    if kind == "json":
        from .readers.jsonl import article_from_object

        if not isinstance(content, dict):
            import json

            try:
                content = json.loads(decode_bytes(content))
            except ValueError as exc:
                raise UnreadableInput(origin, f"invalid JSON: {str(exc)[:200]}") from None
            if not isinstance(content, dict):
                raise UnreadableInput(origin, "an article must be a JSON object")
        return article_from_object(content, origin, options)
    if isinstance(content, dict):
        raise UnsupportedFormat(origin, f"a JSON object given as {content_type!r}")
    if kind == "html":
        from .readers.html import parse_html

        return parse_html(content, origin, options)
    if kind == "text":
        from .readers.text import parse_text

        return parse_text(decode_bytes(content), origin, options)
    raise UnsupportedFormat(origin, f"unsupported content type {content_type!r}")


def article_view(store: Any, article_id: str) -> tuple[Article, dict[str, Any]]:
    """A stored article and its data with its story, the copy it is and the copies it has:
    what `storyline show`, the API and the article page all render."""
    art = store.get_article(article_id)
    data = art.to_dict()
    a = store.assignment(art.id)
    data["story_id"] = a["story_id"] if a else None
    data["duplicate_of"] = a["duplicate_of"] if a else None
    data["wire"] = a["wire"] if a else None
    data["copies"] = store.copies_of(art.id)
    # titles and outlets for what the ids point to, so no renderer shows a bare hash
    data["story_title"] = store.get_story(data["story_id"], members=False)["title"] if data["story_id"] else None
    data["original"] = _ref(store, data["duplicate_of"]) if data["duplicate_of"] else None
    data["copy_refs"] = [_ref(store, c) for c in data["copies"]]
    data["boilerplate"] = [i for i, p in enumerate(art.body) if is_boilerplate(p)]
    return art, data


def _ref(store: Any, article_id: str) -> dict[str, Any]:
    a = store.get_article(article_id)
    return {"id": a.id, "title": a.title, "source": a.source}


def article_summary(a: Article) -> dict[str, Any]:
    return {"id": a.id, "source": a.source, "title": a.title, "published_at": a.published_at, "url": a.url}


def story_data(store: Any, story_id: str) -> dict[str, Any]:
    """A story with its members (copies marked), as every renderer sees it."""
    s = store.get_story(story_id)
    members = []
    for m in s.pop("members"):
        d = article_summary(m["article"])
        d.update(duplicate_of=m["duplicate_of"], wire=m["wire"], score=m["score"])
        members.append(d)
    s["members"] = members
    s["languages"] = store.languages_of([s["id"]])[s["id"]]
    s["continues"] = s.get("continues")
    s["continues_title"] = None
    if s["continues"]:  # the earlier story it continues (a return after the engine's window), named
        try:
            earlier = store.get_story(s["continues"], members=False)
        except NotFound:
            pass
        else:
            s["continues"], s["continues_title"] = earlier["id"], earlier["title"]
    return s
