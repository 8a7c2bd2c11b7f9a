"""The commands over the store and files: ingest, articles, stories, compare, report, watch,
export, serve, demo."""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from ..errors import StorylineError
from ..model import Article
from ..terminal import ProgressBar, console, fitted_table
from . import base
from .base import (
    _emit,
    _emit_json,
    _existing_store,
    _store,
    db_option,
    errors_as_lines,
    format_option,
    json_option,
    main,
    workers_option,
)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--max-chars", type=click.IntRange(min=1), default=None, help="Refuse articles over this many characters (default 5,000,000).")
@click.option("--cluster/--no-cluster", default=True, show_default=True, help="Assign new articles to stories.")
@click.option("--cluster-every", type=click.IntRange(min=1), default=None, metavar="N",
              help="Assign stories each time N more articles are stored, as the ingest goes (default 10,000).")
@workers_option
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where reading, extraction and featurising run: this machine, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="The Dask scheduler (tcp://host:8786); without it, a local Dask cluster sized to the machine.")
@json_option
@errors_as_lines
def ingest(paths: tuple[str, ...], db: str, max_chars: int | None, cluster: bool, cluster_every: int | None,
           workers: int, executor: str, scheduler: str | None, as_json: bool) -> None:
    """Read PATHS (files, folders, globs, - for stdin) into the store."""
    from ..pipeline import ingest as run
    from ..readers import DEFAULT_MAX_CHARS, ReaderOptions

    _check_inputs(paths)
    client = None
    if executor == "dask":  # before the store: an unreachable scheduler leaves no empty store behind
        from ..executors import dask_client

        client = dask_client(scheduler)
    store = _store(db)
    options = ReaderOptions(max_chars=max_chars or DEFAULT_MAX_CHARS)
    clusterer = None
    try:
        clusterer = _clusterer(store, workers, client, cluster_every) if cluster else None
        with ProgressBar("Ingesting", enabled=not as_json) as progress:
            def stored(report: Any) -> None:
                progress.on_batch(report)
                if clusterer:  # stories as the ingest goes, a block of articles at a time
                    clusterer.stored(report)

            # with the stories assigned in another process, smaller batches: the store's write lock
            # is held for shorter spells, so that process waits less to save (100k generated
            # articles: 5.2-5.7 s of saving against 6.5-7.1 s with the default 500)
            batch = {"batch_size": BACKGROUND_BATCH} if _is_background(clusterer) else {}
            # the languages identified while reading include the sure ones the stories ask for
            report = run(paths, store, options, on_input=progress.on_input, on_batch=stored,
                         executor=executor, client=client, workers=workers, confident=clusterer is not None,
                         **batch)
        for origin, reason in report.failed:
            click.echo(f"failed: {origin}: {reason}", err=True)
        for origin, reason in report.skipped:
            click.echo(f"skipped: {origin}: {reason}", err=True)
        if clusterer:
            clusterer.finish()
        if hasattr(store, "flush_story_docs"):  # documents an interrupted run left to write (SQLite)
            store.flush_story_docs()
    finally:
        if clusterer is not None:
            clusterer.close()
        if client is not None:
            client.close()
    if as_json:
        _emit_json(report.to_dict())
    else:
        click.echo(report.summary())
    sys.exit(1 if report.failed else 0)


def _check_inputs(paths: tuple[str, ...]) -> None:
    """Before a store is created: exit 1 when no path names a readable input at all."""
    from ..errors import UnreadableInput
    from ..readers import expand_inputs

    missing = []
    for item in expand_inputs(paths):
        if not isinstance(item, UnreadableInput):
            return  # one real input is enough; the rest is reported as it is read
        missing.append(item)
    for exc in missing:
        click.echo(f"failed: {exc.origin}: {exc.reason}", err=True)
    if not missing:
        click.echo(f"nothing to ingest: no files in {', '.join(paths)}", err=True)
    sys.exit(1)


# -- articles -----------------------------------------------------------------------------


@main.command()
@click.option("--search", "-q", default=None, help="Full-text search over title and body.")
@click.option("--source", default=None, help="Only this outlet.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0, 10**9), default=0)
@db_option
@json_option
@errors_as_lines
def articles(search: str | None, source: str | None, limit: int, offset: int, db: str, as_json: bool) -> None:
    """List stored articles."""
    store = _existing_store(db)
    rows = store.list_articles(search=search, source=source, limit=limit, offset=offset)
    if as_json:
        _emit_json([a.to_dict() for a in rows])
        return
    c = console()
    c.print(fitted_table(["id", "source", "published", "title"],
                         [[a.id, a.source or "", (a.published_at or "")[:16], a.title[:90]] for a in rows],
                         c.width, drop=("published", "source")))
    click.echo(f"{len(rows)} of {store.count_articles()} articles")


@main.command()
@click.argument("article_id")
@db_option
@json_option
@errors_as_lines
def show(article_id: str, db: str, as_json: bool) -> None:
    """Show one article (an id or a unique prefix of one)."""
    from ..api import article_view

    art, data = article_view(_existing_store(db), article_id)
    if as_json:
        _emit_json(data)
        return
    _print_article(art, data)


def _print_article(art: Article, data: dict[str, Any]) -> None:
    c = console()
    c.print(f"[bold]{art.title}[/bold]", markup=True, highlight=False)
    meta = " · ".join(x for x in [art.source or "", art.published_at or "", ", ".join(art.authors), art.url or ""] if x)
    c.print(meta, style="dim", highlight=False, markup=False)
    if art.standfirst:
        c.print(art.standfirst, style="italic", markup=False)
    if art.keywords:
        c.print("keywords: " + ", ".join(art.keywords), style="dim", markup=False)
    for cap in art.captions:
        c.print("caption: " + cap, style="dim", markup=False)
    c.print()
    for p in art.body:
        c.print(p, markup=False, highlight=False)
        c.print()
    if data.get("story_id"):
        c.print(f"story: {data['story_id']}" + (f"  copy of: {data['duplicate_of']}" if data.get("duplicate_of") else ""),
                style="dim", markup=False)


BACKGROUND_BATCH = 100


def _is_background(clusterer: Any) -> bool:
    from ..background import BackgroundClusterer

    return isinstance(clusterer, BackgroundClusterer)


def _clusterer(store: Any, workers: int, client: Any, every: int | None) -> Any:
    from ..stories import BLOCK, StreamingClusterer

    prepare = None
    if client is not None:
        from ..executors import dask_prepare_ahead

        prepare = dask_prepare_ahead(client)
    elif workers > 1 and store.path not in ("", ":memory:") and not store.path.startswith("file:"):
        from ..background import BackgroundClusterer

        # the stories are assigned in another process while this one reads and stores on
        return BackgroundClusterer(store.path, block=every or BLOCK, workers=workers, docs=store)
    return StreamingClusterer(store, block=every or BLOCK, workers=workers, prepare=prepare)


def _cluster(store: Any, quiet: bool = False, workers: int = 1) -> Any:
    from ..stories import cluster_store

    with ProgressBar("Clustering", enabled=not quiet, total=None) as progress:
        return cluster_store(store, on_article=lambda n: progress.advance(n), workers=workers)


# -- stories ------------------------------------------------------------------------------


@main.command()
@db_option
@workers_option
@json_option
@errors_as_lines
def cluster(db: str, workers: int, as_json: bool) -> None:
    """Assign every article not yet in a story."""
    store = _existing_store(db)
    stats = _cluster(store, quiet=as_json, workers=workers)
    if as_json:
        _emit_json(stats)
    else:
        split = f" ({stats['split']} split off by review)" if stats.get("split") else ""
        click.echo(f"{stats['assigned']} articles assigned; {stats['stories']} stories{split}")


@main.command()
@click.option("--min-sources", type=click.IntRange(min=1), default=1, show_default=True, help="Only stories with this many independent sources.")
@click.option("--search", "-q", default=None, help="Full-text search over story titles and their articles.")
@click.option("--sort", type=click.Choice(["latest", "size", "sources"]), default="latest", show_default=True,
              help="Newest first, most articles first, or most independent sources first.")
@click.option("--blindspot", "blindspot", default=None, metavar="ATTRIBUTE",
              help="Only stories covered mostly by one value of this registry attribute (type, country, "
                   "leaning…) while the store is mixed: the rule is in the README.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0, 10**9), default=0)
@db_option
@json_option
@errors_as_lines
def stories(min_sources: int, search: str | None, sort: str, blindspot: str | None, limit: int, offset: int, db: str,
            as_json: bool) -> None:
    """List stories."""
    store = _existing_store(db)
    if blindspot is not None:
        from ..coverage import blindspot_stories

        found = blindspot_stories(store, blindspot, search=search, sort=sort)
        rows = [r for r in found["items"] if r["independent"] >= min_sources][offset:offset + limit]
        if as_json:
            _emit_json(rows)
            return
        c = console()
        c.print(fitted_table(["id", "independent", "last", "blindspot", "title"],
                             [[r["id"], str(r["independent"]), (r["last_at"] or "")[:16], r["blindspot"]["line"],
                               r["title"][:80]] for r in rows], c.width, drop=("last", "independent")))
        mix = ", ".join(f"{v} {n}" for v, n in found["store"]["values"].items())
        click.echo(f"{len(rows)} blindspot stor{'y' if len(rows) == 1 else 'ies'} on {blindspot} "
                   f"(the store's outlets: {mix or 'none with a ' + blindspot}"
                   f"{'' if found['store']['mixed'] else '; not mixed, so no story is a blindspot'})")
        return
    rows = store.list_stories(search=search, min_sources=min_sources, sort=sort, limit=limit, offset=offset)
    if as_json:
        _emit_json(rows)
        return
    c = console()
    c.print(fitted_table(["id", "articles", "independent", "first", "last", "title"],
                         [[r["id"], str(r["articles"]), str(r["independent"]), (r["first_at"] or "")[:16],
                           (r["last_at"] or "")[:16], r["title"][:80]] for r in rows],
                         c.width, drop=("first", "last", "independent", "articles")))
    click.echo(f"{len(rows)} of {store.count_stories()} stories")


@main.command()
@click.argument("story_id")
@click.option("--by", default="outlet", show_default=True, metavar="outlet|ATTRIBUTE",
              help="Coverage over time per outlet, or per value of a registry attribute (type, country…).")
@click.option("--bucket", type=click.Choice(["auto", "hour", "day"]), default="auto", show_default=True,
              help="Count articles per hour or per day (auto: per hour for a story of three days or less).")
@click.option("--since", default=None, metavar="TIME",
              help="Also say what is new since TIME (ISO 8601: 2025-07-08 or 2025-07-08T09:00Z): new sources, facts "
                   "no earlier article stated, figures that moved, new conflicts, and a cited update summary.")
@click.option("--facts", is_flag=True, help="Also compare the sources and say who stated each agreed fact first "
                                            "and who repeated it (a comparison: slower).")
@db_option
@json_option
@errors_as_lines
def story(story_id: str, by: str, bucket: str, since: str | None, facts: bool, db: str, as_json: bool) -> None:
    """Show one story: its articles, which are copies of which, who reported it first, and its
    coverage over time and by group."""
    from ..api import story_data
    from ..coverage import story_coverage

    store = _existing_store(db)
    data = story_data(store, story_id)
    data["coverage"] = story_coverage(store, data["id"], bucket=bucket, by=by)
    if since is not None:
        from ..coverage import parse_since

        parse_since(since)  # a bad time is refused before the comparison runs
    if facts or since is not None:
        from ..compare.report import story_comparison
        from ..coverage import changes_since, record_conflicts, story_fact_firsts

        comparison = story_comparison(store, data["id"])
        record_conflicts(store, store.get_story(data["id"], members=False), comparison)
        if facts:
            data["fact_firsts"] = story_fact_firsts(store, data["id"], comparison)
        if since is not None:
            data["since"] = changes_since(comparison, since)
    if as_json:
        _emit_json(data)
        return
    c = console()
    c.print(f"[bold]{data['title']}[/bold]", highlight=False)
    langs = ", ".join(f"{k} {v}" for k, v in data.get("languages", {}).items())
    c.print(f"{data['id']} · {data['articles']} articles · {data['independent']} independent sources · "
            f"{(data['first_at'] or '?')[:16]} → {(data['last_at'] or '?')[:16]}" + (f" · languages: {langs}" if langs else ""),
            style="dim", markup=False)
    if data.get("continues"):
        c.print(f"continues story {data['continues']}" + (f": {data['continues_title']}" if data.get("continues_title") else ""),
                style="dim", markup=False, highlight=False)
    c.print(fitted_table(["article", "source", "published", "title", "copy of", "wire"],
                         [[m["id"], m["source"] or "", (m["published_at"] or "")[:16], m["title"][:60],
                           m["duplicate_of"] or "", m["wire"] or ""] for m in data["members"]],
                         c.width, ids=("article", "copy of"), drop=("published", "wire", "source")))
    from ..coverage.render import print_coverage

    print_coverage(c, data["coverage"])
    if since is not None:
        from ..coverage.render import print_since

        print_since(c, data["since"])
    if facts:
        c.print("who stated each agreed fact first:" if data["fact_firsts"] else "no fact is agreed by two sources",
                markup=False)
        for e in data["fact_firsts"]:
            c.print(f"  {e['line']}", markup=False, highlight=False)


@main.command()
@click.argument("a")
@click.argument("b")
@db_option
@json_option
@errors_as_lines
def similarity(a: str, b: str, db: str, as_json: bool) -> None:
    """How likely A and B (files in any format, or stored article ids) report the same story."""
    from ..api import load_article
    from ..similarity import similarity as score

    store = None
    if not (os.path.exists(a) and os.path.exists(b)):
        try:
            store = _existing_store(db)
        except StorylineError:
            missing = next(x for x in (a, b) if not os.path.exists(x))
            raise StorylineError(f"{missing}: no such file, and no store at {db} to look it up in as an article id") from None
    result = score(load_article(a, store), load_article(b, store))
    if as_json:
        _emit_json(result.to_dict())
        return
    verdict = "same story" if result.same_story else "different stories"
    extra = " (near-duplicate)" if result.near_duplicate else ""
    click.echo(f"{result.score:.3f}  {verdict}{extra}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@format_option
@click.option("--words", type=click.IntRange(min=1), default=120, show_default=True, help="Length of the summary.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@click.option("--since", default=None, metavar="TIME",
              help="Also say what is new since TIME (ISO 8601) among the articles: new sources, facts, moved "
                   "figures, new conflicts and a cited update summary (text and json formats).")
@errors_as_lines
def compare(paths: tuple[str, ...], fmt: str, words: int, output: str | None, since: str | None) -> None:
    """Compare the articles in PATHS (files in any format) fact by fact."""
    from ..api import load_articles
    from ..compare import compare_articles
    from ..compare.report import render
    from ..readers import ReaderOptions

    articles = load_articles(list(paths), ReaderOptions(detect_language=False))  # compare never reads it
    distinct = list({a.id: a for a in articles}.values())
    if len(distinct) < 2:
        raise StorylineError(f"compare needs two or more different articles; {' and '.join(paths)} hold "
                             f"{len(distinct)}" + (" (the same article twice)" if len(articles) > len(distinct) else ""))
    if since is not None:
        from ..coverage import parse_since

        if fmt not in ("text", "json"):
            raise StorylineError(f"--since works with --format text or json, not {fmt}")
        parse_since(since)
    c = compare_articles(articles, words=words)
    if since is not None:
        from ..coverage import changes_since

        c["since"] = changes_since(c, since)
    _emit(render(c, fmt, None if output else console()), output, c, fmt)
    if since is not None and fmt == "text" and not output:
        from ..coverage.render import print_since

        print_since(console(), c["since"])


@main.command()
@click.argument("story_id")
@format_option
@click.option("--words", type=click.IntRange(min=1), default=120, show_default=True, help="Length of the summary.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@db_option
@errors_as_lines
def report(story_id: str, fmt: str, words: int, output: str | None, db: str) -> None:
    """The comparison report of a stored story."""
    from ..compare.report import render, story_comparison

    c = story_comparison(_existing_store(db), story_id, words)
    _emit(render(c, fmt, None if output else console()), output, c, fmt)


@main.command()
@click.argument("feeds", nargs=-1)
@click.option("--feeds", "feeds_file", type=click.Path(exists=True, dir_okay=False), help="A file of feed URLs, one a line.")
@click.option("--every", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True, help="Seconds between polls.")
@click.option("--once", is_flag=True, help="Poll every feed once, then stop.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True, help="Seconds before a request gives up.")
@click.option("--no-pages", is_flag=True, help="Use the feed's own text instead of fetching each entry's page.")
@db_option
@errors_as_lines
def watch(feeds: tuple[str, ...], feeds_file: str | None, every: float, once: bool, timeout: float,
          no_pages: bool, db: str) -> None:
    """Poll RSS/Atom feeds, ingest new entries and update stories (Ctrl-C stops cleanly)."""
    from ..watch import watch as run

    urls = list(feeds)
    if feeds_file:
        with open(feeds_file, encoding="utf-8") as f:
            urls += [ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]
    if not urls:
        raise StorylineError("give at least one feed URL (or --feeds FILE)")
    store = _store(db)

    failed_feeds: set[str] = set()

    def report(result: Any) -> None:
        if result.error:
            failed_feeds.add(result.feed)
        click.echo(result.line(), err=bool(result.error))
        for origin, reason in result.failed:
            click.echo(f"  failed: {origin}: {reason}", err=True)

    try:
        total = run(urls, store, every=every, once=once, timeout=timeout, fetch_pages=not no_pages, on_poll=report)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        return
    click.echo(f"{total} new articles")
    if once and failed_feeds == set(urls):
        click.echo(f"error: none of the {len(urls)} feeds could be read", err=True)
        sys.exit(1)


# -- outlets ----------------------------------------------------------------------------


@main.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl", "csv"]), default="parquet", show_default=True,
              help="Table format: Parquet (pyarrow), JSON Lines or CSV (lists as JSON arrays).")
@click.option("--min-sources", type=click.IntRange(min=1), default=2, show_default=True,
              help="Compare stories with this many independent sources (their facts and conflicts).")
@click.option("--no-compare", is_flag=True, help="Articles and stories only, no facts or conflicts.")
@click.option("--words", type=click.IntRange(min=1), default=120, show_default=True, help="Summary length of each comparison.")
@db_option
@json_option
@errors_as_lines
def export(out: str, fmt: str, min_sources: int, no_compare: bool, words: int, db: str, as_json: bool) -> None:
    """Write the store to folder OUT as tables: articles.FORMAT (with story_id and duplicate_of),
    stories, outlets (with their imported attributes), and the facts and conflicts of the compared stories."""
    from ..export import export as run

    store = _existing_store(db)
    with ProgressBar("Comparing stories", enabled=not as_json) as progress:
        def on_story(done: int, total: int) -> None:
            if progress._bar:
                progress._bar.update(progress._task, completed=done, total=total)

        written = run(store, out, fmt, min_sources=min_sources, compare=not no_compare, words=words, on_story=on_story)
    if as_json:
        _emit_json(written)
    else:
        for name, w in written.items():
            click.echo(f"{w['rows']:>9,} {name:<10} {w['path']}")


# -- web --------------------------------------------------------------------------------


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@errors_as_lines
def serve(db: str, host: str, port: int) -> None:
    """Serve the HTTP API and the web page (writes need $STORYLINE_TOKEN)."""
    from ..web import serve as run

    click.echo(f"Serving {db} on http://{host}:{port}/  (Ctrl-C to stop)")
    run(db, host=host, port=port)


# -- demo ---------------------------------------------------------------------------------


@main.command()
@click.option("--db", "db", default=None, help="Keep the demo store in this file (default: a temporary one).")
@click.option("--force", is_flag=True, help="Replace FILE even when it is not a store the demo made.")
@click.option("--path", "print_path", is_flag=True, help="Print the folder of the bundled demo corpus and exit.")
@click.option("--outlets", "print_outlets", is_flag=True,
              help="Print the path of the bundled outlet file (invented attributes of the demo's outlets) and exit.")
@click.option("--serve", is_flag=True, help="Serve the demo store on the web after building it.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@errors_as_lines
def demo(db: str | None, force: bool, print_path: bool, print_outlets: bool, serve: bool, host: str, port: int) -> None:
    """Ingest the bundled demo corpus into a fresh store and show what it holds."""
    import tempfile

    if base._COMMAND_LINE:
        # 33 articles: the story engine's kernels run uncompiled, as fast here as compiled and with
        # nothing to compile (a fresh install would otherwise spend a minute compiling them first)
        os.environ.setdefault("STORYLINE_KERNELS", "python")
    from ..demo import demo_outlets_path, demo_path, remove_store, run_demo

    if print_path:
        click.echo(demo_path())
        return
    if print_outlets:
        click.echo(demo_outlets_path())
        return
    if db is None:  # kept after the demo, for the next step to open
        db = os.path.join(tempfile.mkdtemp(prefix="storyline-demo-"), "demo.db")
    elif os.path.exists(db):
        remove_store(db, force=force)
    click.echo(f"Demo corpus: {demo_path()}")
    click.echo(f"Store: {db}")
    run_demo(db, console())
    if serve:
        from ..web import serve as run_server

        click.echo(f"Serving on http://{host}:{port}/  (Ctrl-C to stop)")
        run_server(db, host=host, port=port)
        return
    import shlex

    db_arg = shlex.quote(db)  # as a shell word
    click.echo(f"\nThe demo store is kept at {db}. Next, browse its stories on the web:\n"
               f"  storyline serve --db {db_arg}\n"
               f"or list them here: storyline stories --db {db_arg}")
