"""The bundled demo: a corpus of invented stories in every format, and what storyline makes of it."""
from __future__ import annotations

from importlib import resources
from typing import Any

from .pipeline import ingest
from .store import open_store


def demo_path() -> str:
    """The folder of the bundled demo corpus."""
    return str(resources.files("storyline") / "demo_data")


def run_demo(db: str, console: Any) -> dict[str, Any]:
    """Ingest the demo corpus into `db` and print what the store holds at each stage."""
    from .cli import _table

    store = open_store(db)
    report = ingest([demo_path()], store)
    console.print(f"[bold]Ingested[/bold] {report.summary()}")
    for origin, reason in report.failed:
        console.print(f"  failed: {origin}: {reason}", markup=False)
    table = _table("source", "articles", title="Outlets")
    for source, n in store.sources():
        table.add_row(source or "?", str(n))
    console.print(table)
    out: dict[str, Any] = {"report": report.to_dict()}
    try:
        from .stories import cluster_store
    except ImportError:  # the story engine is optional at this stage
        return out
    cluster_store(store)
    stories = store.list_stories(sort="size", limit=None)
    t = _table("story", "articles", "independent", "first", "last", "title", title="Stories")
    for s in stories:
        t.add_row(s["id"], str(s["articles"]), str(s["independent"]), (s["first_at"] or "")[:10],
                  (s["last_at"] or "")[:10], s["title"][:70])
    console.print(t)
    out["stories"] = stories
    if stories:
        try:
            from .compare.report import render_story_report
        except ImportError:
            return out
        console.print(f"\n[bold]Report of the largest story[/bold] ({stories[0]['id']})")
        render_story_report(store, stories[0]["id"], "text", console=console)
    store.close()
    return out
