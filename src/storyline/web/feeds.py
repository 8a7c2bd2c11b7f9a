"""Atom 1.0 documents (RFC 4287) of a story's updates and of a search: any feed reader follows
them, so storyline keeps no notification system of its own."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

ATOM = "http://www.w3.org/2005/Atom"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    el.text = text
    return el


def atom(feed_id: str, title: str, self_url: str, alt_url: str, updated: str, entries: list[dict[str, Any]]) -> bytes:
    """A feed of `entries` ({id, title, updated, link, content}), as UTF-8 XML."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url, "type": "application/atom+xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": alt_url, "type": "text/html"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "storyline")
    _text(feed, "generator", "storyline")
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", e["id"])
        _text(entry, "title", e["title"])
        _text(entry, "updated", e["updated"])
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": e["link"], "type": "text/html"})
        _text(entry, "content", e["content"], type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


def summary_text(sentences: list[dict[str, Any]], sources: dict[int, str]) -> str:
    """An update summary as plain text, each sentence with its citations and the legend of them."""
    lines = [f"{s['text']} {''.join(f'[{n}]' for n in s['sources'])}" for s in sentences]
    cited = sorted({n for s in sentences for n in s["sources"]})
    if cited:
        lines.append("")
        lines += [f"[{n}] {sources.get(n, 'unknown outlet')}" for n in cited]
    return "\n".join(lines) or "No new facts: the new articles repeat what was known."
