"""The bundled demo: a corpus of invented stories in every format, and what storyline makes of it."""
from __future__ import annotations

import os
from importlib import resources
from typing import Any

from .errors import StorylineError
from .pipeline import ingest
from .store import open_store

DEMO_MARK = ("made_by", "storyline demo")


def is_demo_store(path: str) -> bool:
    """Whether `path` is a store the demo made (read-only look: the file is never changed)."""
    import sqlite3
    from urllib.parse import quote

    try:
        con = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key=?", (DEMO_MARK[0],)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == DEMO_MARK[1]


def remove_store(path: str, force: bool = False) -> None:
    """Delete an earlier demo store at `path`; refuse any other file unless forced."""
    if not force and not is_demo_store(path):
        raise StorylineError(f"{path} exists and is not a store the demo made; the demo will not overwrite it. "
                             "Choose another --db, or pass --force to replace it")
    for suffix in ("", "-wal", "-shm", "-cluster.lock"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def demo_path() -> str:
    """The folder of the bundled demo corpus."""
    return str(resources.files("storyline") / "demo_data")


def demo_outlets_path() -> str:
    """The bundled outlet file: invented attributes (country, type, owner, leaning) of the demo's
    invented outlets, beside the corpus rather than in it (so it is not ingested as an article)."""
    return str(resources.files("storyline") / "demo_outlets.csv")


def run_demo(db: str, console: Any) -> dict[str, Any]:
    """Ingest the demo corpus into `db` and print what the store holds at each stage."""
    from .terminal import fitted_table, plain_table

    store = open_store(db)
    store.set_meta(*DEMO_MARK)
    report = ingest([demo_path()], store)
    console.print(f"[bold]Ingested[/bold] {report.summary()}")
    for origin, reason in report.failed:
        console.print(f"  failed: {origin}: {reason}", markup=False)
    table = plain_table("source", "articles", title="Outlets")
    for source, n in store.sources():
        table.add_row(source or "unknown outlet", str(n))
    console.print(table)
    out: dict[str, Any] = {"report": report.to_dict()}
    try:
        from .stories import cluster_store
    except ImportError:  # the story engine is optional at this stage
        return out
    cluster_store(store)
    stories = store.list_stories(sort="size", limit=None)
    console.print(fitted_table(["story", "articles", "independent", "first", "last", "title"],
                               [[s["id"], str(s["articles"]), str(s["independent"]), (s["first_at"] or "")[:10],
                                 (s["last_at"] or "")[:10], s["title"][:70]] for s in stories],
                               console.width, ids=("story",), drop=("first", "last", "independent"), title="Stories"))
    out["stories"] = stories
    from .coverage import blindspot_stories, import_outlets

    with open(demo_outlets_path(), encoding="utf-8") as f:
        import_outlets(store, f.read(), "demo_outlets.csv")
    console.print(f"\n[bold]Outlet attributes[/bold] imported from {demo_outlets_path()} "
                  "(`storyline outlets` lists them)")
    spots = blindspot_stories(store, "leaning")
    out["blindspots"] = spots["items"]
    console.print(f"[bold]Blindspots on leaning[/bold] ({spots['rule']}):")
    for s in spots["items"]:
        console.print(f"  {s['id']}  {s['title']}: {s['blindspot']['line']}", markup=False, highlight=False)
    if not spots["items"]:
        console.print("  none", markup=False)
    if stories:
        from .coverage import story_coverage
        from .coverage.render import print_coverage

        console.print(f"\n[bold]Coverage of the largest story[/bold] ({stories[0]['id']})")
        print_coverage(console, story_coverage(store, stories[0]["id"]))
    if stories:
        try:
            from .compare.report import render_story_report
        except ImportError:
            return out
        console.print(f"\n[bold]Report of the largest story[/bold] ({stories[0]['id']})")
        render_story_report(store, stories[0]["id"], "text", console=console)
    store.close()
    return out
