"""`storyline outlets`: the outlet registry, its import and one outlet's page."""
from __future__ import annotations

import os

import click

from ..terminal import ProgressBar, console, fitted_table
from .base import _emit_json, _existing_store, db_option, errors_as_lines, json_option, main


@main.group("outlets", invoke_without_command=True)
@click.option("--compare", "run_compare", is_flag=True,
              help="First compare the stories of two or more independent sources not yet compared (or changed "
                   "since), so that every outlet's conflicts are counted; this takes a while on a large store.")
@db_option
@json_option
@click.pass_context
@errors_as_lines
def outlets(ctx: click.Context, run_compare: bool, db: str, as_json: bool) -> None:
    """List every outlet: articles, stories, first reports, share of copies, conflicts, languages and
    the attributes imported with `storyline outlets import FILE`."""
    if ctx.invoked_subcommand is not None:
        ctx.ensure_object(dict)["db"] = db
        return
    from ..coverage import compare_stale, outlets_data

    store = _existing_store(db)
    if run_compare:
        with ProgressBar("Comparing stories", enabled=not as_json) as progress:
            compare_stale(store, on_story=lambda done, total: progress._bar and progress._bar.update(
                progress._task, completed=done, total=total))
    data = outlets_data(store)
    if as_json:
        _emit_json(data)
        return
    attrs = data["attributes"]
    c = console()
    c.print(fitted_table(["outlet", "articles", "stories", "first", "copies", "conflicts", "languages", *attrs],
                         [[o["name"], str(o["articles"]), str(o["stories"]), str(o["first_reports"]),
                           f"{o['copy_share']:.0%}" if o["copy_share"] is not None else "",
                           str(o["conflicts"]) if o["compared_stories"] else "-",
                           ",".join(o["languages"]), *(o["attributes"].get(a, "") for a in attrs)]
                          for o in data["outlets"]],
                         c.width, ids=(), flex="outlet", drop=tuple(reversed(attrs)) + ("languages",)))
    click.echo(f"{len(data['outlets'])} outlets; conflicts counted over {data['compared_stories']} compared of "
               f"{data['stories']} stories (`storyline outlets --compare` compares the rest)")


def _sub_db(ctx: click.Context, db: str) -> str:
    """A subcommand's --db, else the one given to `storyline outlets` before it."""
    from click.core import ParameterSource

    if ctx.get_parameter_source("db") in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
        return db
    return (ctx.obj or {}).get("db", db)


@outlets.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
@json_option
@click.pass_context
@errors_as_lines
def outlets_import(ctx: click.Context, path: str, db: str, as_json: bool) -> None:
    """Attach attributes to outlets from FILE (CSV with a header, or JSON), keyed by name or domain:
    country, language, type (wire, national, local, public broadcaster, magazine), owner, and any
    other column as a free-form group (leaning…)."""
    from ..coverage import import_outlets

    store = _existing_store(_sub_db(ctx, db))
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        entries = import_outlets(store, f.read(), os.path.basename(path))
    if as_json:
        _emit_json(entries)
        return
    click.echo(f"{len(entries)} outlet{'s' if len(entries) != 1 else ''} updated from {path}")


@outlets.command("show")
@click.argument("name")
@db_option
@json_option
@click.pass_context
@errors_as_lines
def outlets_show(ctx: click.Context, name: str, db: str, as_json: bool) -> None:
    """One outlet (a name, a domain, or a name its articles carry) and its latest stories."""
    from ..coverage import outlet_data

    o = outlet_data(_existing_store(_sub_db(ctx, db)), name)
    if as_json:
        _emit_json(o)
        return
    c = console()
    c.print(f"[bold]{o['name']}[/bold]", highlight=False)
    facts = [f"{o['articles']} articles ({o['copies']} copies)", f"{o['stories']} stories",
             f"first on {o['first_reports']}", f"conflicts {o['conflicts']} in {o['compared_stories']} compared stories"]
    c.print(" · ".join(facts), style="dim", markup=False)
    for k, v in o["attributes"].items():
        c.print(f"{k}: {v}", markup=False, highlight=False)
    if o["domains"]:
        c.print("domains: " + ", ".join(o["domains"]), markup=False)
    c.print(fitted_table(["story", "last", "first", "title"],
                         [[s["id"], (s["last_at"] or "")[:16], "yes" if s["first"] else "", s["title"]]
                          for s in o["latest_stories"]], c.width, ids=("story",), drop=("last",)))


# -- export -----------------------------------------------------------------------------
