"""Renderers of a comparison: a coloured terminal view, JSON, Markdown for a newsroom chat, and one
self-contained HTML file. All take the dict that `compare_articles` returns."""
from __future__ import annotations

import html
import json
from typing import Any

STATUS_STYLE = {"agreed": "green", "unique": "cyan", "unmatched": "dim", "conflict": "bold red", "update": "yellow"}
STATUS_MARK = {"agreed": "✓ agreed", "unique": "• unique", "unmatched": "◦ unmatched", "conflict": "✗ conflict",
               "update": "↻ updated"}
UNMATCHED = "One source, not matched (the others may say it in other words)"
CLOSE = 0.5  # a closest sentence is shown when the aligner rates it at least as likely the same fact as not


def differs_line(f: dict[str, Any], c: dict[str, Any]) -> str:
    """The values in which a fact's sources differ though both may be true ("At least 12" and "15"):
    an agreed fact is never shown as if its sources gave one figure."""
    by_id = {p["id"]: p for p in c.get("possible") or []}
    items = [by_id[i] for i in f.get("possible") or [] if i in by_id]
    return "; ".join(f"{p['kind']}s differ, both may be true: "
                     + " vs ".join(f"{cl['value']} {cite(claim_sources(cl))}" for cl in p["claims"]) for p in items)


def told_line(f: dict[str, Any], c: dict[str, Any]) -> str:
    """Who stated an agreed fact first and who repeated it ("first Meridian Times [1] 07:30; then
    Northfield News [3] 09:00; copied by …"): `compare.told.fact_firsts`, the one source of it."""
    from .told import fact_firsts, fact_line

    if f.get("status") != "agreed" or len(f.get("sources") or []) < 2:
        return ""
    entry = next((e for e in fact_firsts({"sources": c["sources"], "facts": [f]})), None)
    if not entry or not entry["first"]:
        return ""  # no source of it is dated: nothing to say about who was first
    return fact_line(entry, {s["n"]: s for s in c["sources"]}, with_text=False)


def nearest_line(f: dict[str, Any], n: int = 110) -> str:
    """A one-source fact's notes in one line: the names and figures no other source gives, and for
    an unmatched fact where it may also be stated (the closest sentence of another source)."""
    notes = []
    if f.get("own_details"):
        notes.append(f"only {cite(f['sources'])} gives: {', '.join(f['own_details'])}")
    near = [x for x in f.get("nearest") or [] if x["probability"] >= CLOSE]
    if near:
        notes.append(f"closest: {cite([near[0]['source']])} {_short(near[0]['sentence'], n)}")
    return " · ".join(notes)


def claim_sources(cl: dict[str, Any]) -> list[int]:
    return cl.get("sources") or [cl["source"]]


def conflict_line(k: dict[str, Any]) -> str:
    """A conflict or an update in one line, every value with every source that states it."""
    n = f"{k['id']}. " if k.get("id") else ""  # the number a summary sentence's "see conflict 2" refers to
    if k.get("update"):
        return f"{n}{k['kind']} updated: " + " → ".join(
            f"{cl['value']} {cite(claim_sources(cl))} ({when(cl, k['claims'])})" for cl in k["claims"])
    return f"{n}{k['kind']}: " + " vs ".join(f"{cl['value']} {cite(claim_sources(cl))}" for cl in k["claims"])


def when(cl: dict[str, Any], claims: list[dict[str, Any]]) -> str:
    """When a value of an update was published: its day, and its time when two values share a day."""
    stamp = cl.get("published_at") or ""
    days = [(x.get("published_at") or "")[:10] for x in claims]
    return stamp[:16].replace("T", " ") if len(set(days)) < len(days) else stamp[:10]


def quote_line(q: dict[str, Any], n: int = 120) -> str:
    """A direct quote in quotation marks; reported speech as such, never inside quotation marks."""
    who = q["speaker"] or "unattributed"
    if q.get("direct"):
        return f"{who}: “{_short(q['text'], n)}” {cite(q['sources'])}"
    return f"{who} (reported): {_short(q['text'], n)} {cite(q['sources'])}"


def outlet(s: dict[str, Any]) -> str:
    """A source's outlet as a reader should see it: its name, else its URL's host, else "unknown outlet"."""
    if s.get("source"):
        return str(s["source"])
    if s.get("url"):
        from urllib.parse import urlsplit

        try:
            host = urlsplit(s["url"]).hostname or ""
        except ValueError:
            host = ""
        if host:
            return host.removeprefix("www.")
    return "unknown outlet"


def cite(sources: list[int]) -> str:
    return "".join(f"[{s}]" for s in sources)


def to_json(c: dict[str, Any]) -> str:
    return json.dumps(c, indent=2, ensure_ascii=False)


def to_text(c: dict[str, Any], console: Any) -> None:
    from rich.text import Text

    out = console.print
    out(Text("Sources", style="bold"))
    for s in c["sources"]:
        copy = f"  (copy of [{s['copy_of']}])" if s["copy_of"] else ""
        out(Text(f"  [{s['n']}] {outlet(s)} · {(s['published_at'] or 'undated')[:16]} · {s['title']}{copy}"))
    out(Text("\nSummary", style="bold"))
    for item in c["summary"]:
        out(Text(f"  {item['text']} {cite(item['sources'])}{_disputed(item)}"))
    for heading, items, style in _sections(c):
        out(Text(f"\n{heading}", style=f"bold {style}"))
        for k in items:
            out(Text(f"  {conflict_line(k)}", style=style))
            for cl in k["claims"]:
                out(Text(f"    {cite(claim_sources(cl))} {cl['value']} — “{_short(cl['sentence'])}”"))
    out(Text("\nFacts", style="bold"))
    for f in c["facts"]:
        own = own_sentences(f)
        line = Text(f"  {STATUS_MARK[f['status']]:<11} ", style=STATUS_STYLE[f["status"]])
        line.append(f"{cite(own[0][0])} {_short(own[0][1], 150)}")
        out(line)
        for sources, text in own[1:]:  # each source in its own words: [2] never seems to say what [1] wrote
            out(Text(f"  {'':<11} {cite(sources)} {_short(text, 150)}"))
        for note in (told_line(f, c), differs_line(f, c), nearest_line(f)):
            if note:
                out(Text(f"  {'':<11} {note}", style="dim"))
    if c["quotes"]:
        out(Text("\nQuotes", style="bold"))
        for q in c["quotes"]:
            out(Text(f"  {quote_line(q)}"))
    if c["timeline"]:
        out(Text("\nTimeline", style="bold"))
        for t in c["timeline"]:
            approx = "~" if t["approximate"] else " "
            out(Text(f"  {approx}{t['date']:<10} {cite(t['sources'])} {_short(t['text'], 110)}"))
    people = [e for e in c["entities"] if len(e["sources"]) > 1]
    if people:
        out(Text("\nEntities in several sources", style="bold"))
        more = f" (and {len(people) - 15} more: --format json lists them all)" if len(people) > 15 else ""
        out(Text("  " + ", ".join(f"{e['text']} {cite(e['sources'])}" for e in people[:15]) + more))
    s = c["stats"]
    out(Text(f"\n{s['articles']} articles, {s['independent_sources']} independent sources: {s['agreed']} agreed, "
             f"{s['unique']} unique, {s.get('unmatched', 0)} unmatched, {s['conflict']} conflicting, "
             f"{s.get('update', 0)} updated facts", style="dim"))


def own_sentences(f: dict[str, Any]) -> list[tuple[list[int], str]]:
    """A fact's sentences, each under the sources that wrote it (copies that repeat a sentence
    word for word share its line), in the order of the sources."""
    by_text: dict[str, list[int]] = {}
    for e in f.get("evidence") or []:
        by_text.setdefault(e["sentence"], [])
        if e["source"] not in by_text[e["sentence"]]:
            by_text[e["sentence"]].append(e["source"])
    if not by_text:
        return [(f["sources"], f["text"])]
    return sorted(((sorted(v), k) for k, v in by_text.items()), key=lambda x: x[0])


def _sections(c: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]], str]]:
    """Conflicts (values that contradict each other) apart from updates (a figure that moved as
    the story developed): an update is no dispute and is never shown as one."""
    disputes = [k for k in c["conflicts"] if not k.get("update")]
    updates = [k for k in c["conflicts"] if k.get("update")]
    return [(h, items, style) for h, items, style in (("Conflicts", disputes, "red"),
                                                      ("Updated as the story developed", updates, "yellow")) if items]


def _short(text: str, n: int = 140) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _disputed(item: dict[str, Any]) -> str:
    """The mark of a summary sentence that states one side of a conflict."""
    ids, moved = item.get("disputed") or [], item.get("updated") or []
    return (f" (disputed: see conflict {', '.join(map(str, ids))})" if ids else
            f" (the latest figure: see update {', '.join(map(str, moved))})" if moved else "")


def to_markdown(c: dict[str, Any]) -> str:
    lines = ["**Summary**", ""]
    lines += [f"- {i['text']} {cite(i['sources'])}{_disputed(i)}" for i in c["summary"]]
    for heading, items, _ in _sections(c):
        lines += ["", f"**{heading}**", ""]
        lines += [f"- {conflict_line(k)}" for k in items]
    # every fact, by status: a chat message may be long, but it never drops a fact silently
    for status, heading in (("agreed", "Agreed by several sources"), ("conflict", "Facts in conflict"),
                            ("update", "Updated as the story developed"), ("unique", "Only one source"),
                            ("unmatched", UNMATCHED)):
        facts = [f for f in c["facts"] if f["status"] == status]
        if facts:
            lines += ["", f"**{heading}** ({len(facts)})", ""]
            for f in facts:
                own = own_sentences(f)
                lines.append(f"- {cite(own[0][0])} {own[0][1]}")
                lines += [f"  - {cite(src)} {text}" for src, text in own[1:]]
                for note in (told_line(f, c), differs_line(f, c), nearest_line(f, 400)):
                    if note:
                        lines.append(f"  - {note}")
    if c["quotes"]:
        lines += ["", "**Quotes**", ""]
        lines += [f"- {quote_line(q, n=len(q['text']) + 1)}" for q in c["quotes"]]
    if c["timeline"]:
        lines += ["", "**Timeline**", ""]
        lines += [f"- {'~' if t['approximate'] else ''}{t['date']}: {t['text']} {cite(t['sources'])}" for t in c["timeline"]]
    if c["entities"]:
        several = [x for x in c["entities"] if len(x["sources"]) > 1]
        one = [x for x in c["entities"] if len(x["sources"]) <= 1]
        lines += ["", "**Entities**", ""]
        for label, group in (("In several sources", several), ("In one source", one)):
            if group:
                lines.append(f"- {label}: " + ", ".join(f"{x['text']} ({x['kind']}) {cite(x['sources'])}" for x in group))
    lines += ["", "**Sources**", ""]
    for s in c["sources"]:
        title = f"[{s['title']}]({s['url']})" if s["url"] else s["title"]
        lines.append(f"{s['n']}. {outlet(s)} · {(s['published_at'] or 'undated')[:16]}: {title}" + (f" (copy of {s['copy_of']})" if s["copy_of"] else ""))
    return "\n".join(lines) + "\n"


CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.agreed{background:#e3f6e8;border-left:4px solid #1b873f}.unique{background:#e6f1fb;border-left:4px dashed #1f6feb}
.unmatched{background:#f4f6f8;border-left:4px dotted #6e7781}
.conflict{background:#fdeaea;border-left:4px double #cf222e}.update{background:#fff6db;border-left:4px dotted #9a6700}
.fact{padding:.3rem .6rem;margin:.3rem 0}.tag{font-size:.75rem;font-weight:700;text-transform:uppercase;margin-right:.4rem}
.cite a{text-decoration:none}.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1rem}
.col{border:1px solid #ddd;padding:.5rem;border-radius:6px}.col p{padding:.2rem .4rem;margin:.25rem 0}
.legend span{padding:.1rem .5rem;margin-right:.5rem}:target{outline:3px solid #f0b400}
table{border-collapse:collapse}td,th{padding:.2rem .5rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
"""


def source_columns(c: dict[str, Any]) -> list[dict[str, Any]]:
    """Each source with its sentences in reading order, each with its fact's status and id."""
    per: dict[int, list[tuple[int, str, str, int, str]]] = {s["n"]: [] for s in c["sources"]}
    for f in c["facts"]:
        for e in f["evidence"]:
            note = " · ".join(x for x in (differs_line(f, c), nearest_line(f)) if x)
            per[e["source"]].append((e["index"], e["sentence"], f["status"], f["id"], note))
    return [dict(s, sentences=[{"text": t, "status": st, "fact": fid, "near": near}
                               for _, t, st, fid, near in sorted(per[s["n"]])])
            for s in c["sources"]]


def to_html(c: dict[str, Any], title: str = "Story comparison") -> str:
    """One self-contained page: no external assets, no scripts."""
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' content='width=device-width,initial-scale=1'>"
             f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>", f"<h1>{e(title)}</h1>"]
    parts.append("<p class='legend'><span class='agreed'>✓ agreed</span><span class='unique'>• only one source</span>"
                 "<span class='unmatched'>◦ one source, not matched</span>"
                 "<span class='conflict'>✗ conflict</span><span class='update'>↻ updated</span></p>")
    parts.append("<h2>Summary</h2><ul>")
    for item in c["summary"]:
        links = "".join(f"<a href='#s{s}-f{item['fact']}'>[{s}]</a>" for s in item["sources"])
        parts.append(f"<li>{e(item['text'])} <span class='cite'>{links}</span>{e(_disputed(item))}</li>")
    parts.append("</ul>")
    for heading, items, _ in _sections(c):
        parts.append(f"<h2>{e(heading)}</h2><table><tr><th>kind</th><th>claims</th></tr>")
        for k in items:
            claims = "<br>".join(
                "".join(f"<a href='#s{n}-f{k['fact']}'>[{n}]</a>" for n in claim_sources(cl))
                + f" <b>{e(cl['value'])}</b>" + (f" ({e((cl.get('published_at') or '')[:10])})" if k.get("update") else "")
                + f": {e(cl['sentence'])}" for cl in k["claims"])
            kind = f"{k['kind']} (updated)" if k.get("update") else k["kind"]
            parts.append(f"<tr><td>{e(kind)}</td><td>{claims}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Sources side by side</h2><div class='cols'>")
    for s in source_columns(c):
        parts.append(f"<section class='col' aria-label='source {s['n']}'><h3>[{s['n']}] {e(outlet(s))}</h3>"
                     f"<p><b>{e(s['title'])}</b><br><small>{e(s['published_at'] or 'undated')}</small></p>")
        for sent in s["sentences"]:
            parts.append(f"<p id='s{s['n']}-f{sent['fact']}' class='fact {sent['status']}'>"
                         f"<span class='tag'>{STATUS_MARK[sent['status']]}</span>{e(sent['text'])}"
                         + (f"<br><small>{e(sent['near'])}</small>" if sent["near"] else "") + "</p>")
        parts.append("</section>")
    parts.append("</div>")
    if c["quotes"]:
        parts.append("<h2>Quotes</h2><ul>")
        parts += [f"<li><b>{e(q['speaker'] or 'unattributed')}</b>: " + (f"“{e(q['text'])}”" if q.get("direct") else
                  f"<i>(reported)</i> {e(q['text'])}") + f" {cite(q['sources'])}</li>" for q in c["quotes"]]
        parts.append("</ul>")
    if c["timeline"]:
        parts.append("<h2>Timeline</h2><ul>")
        parts += [f"<li><b>{'~' if t['approximate'] else ''}{e(t['date'])}</b> {e(t['text'])} {cite(t['sources'])}</li>" for t in c["timeline"]]
        parts.append("</ul>")
    parts.append("<h2>Entities</h2><p>" + ", ".join(f"{e(x['text'])} <small>({x['kind']}) {cite(x['sources'])}</small>"
                                                     for x in c["entities"][:40])
                 + (f" <small>and {len(c['entities']) - 40} more</small>" if len(c["entities"]) > 40 else "") + "</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
