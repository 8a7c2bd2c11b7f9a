"""The command line's frame: the `storyline` group, its one-line errors, and the options and
emitters every command shares."""
from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import BrokenInstallation, StorylineError

F = Callable[..., Any]


def db_option(f: F) -> F:
    return click.option("--db", "db", envvar="STORYLINE_DB", default="storyline.db", show_default=True,
                        help="SQLite store file (or $STORYLINE_DB).")(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(f)


def errors_as_lines(f: F) -> F:
    """A named storyline error (or a module that will not import: a broken installation)
    becomes one line on stderr and exit code 2."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except StorylineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except ImportError as exc:
            click.echo(f"error: {BrokenInstallation(exc)}", err=True)
            sys.exit(2)

    return wrapper


def _store(db: str) -> Any:
    """The store at `db`, created when there is none yet (the commands that write: ingest, watch,
    serve, demo)."""
    from ..store import open_store

    return open_store(db)


def _existing_store(db: str) -> Any:
    """The store at `db` for a command that only reads it (or, as `cluster`, works on what it
    holds): a path that holds no store is an error, and nothing is created there. A PostgreSQL URL
    is opened as it is."""
    from ..store.postgres import is_postgres_url

    if not (is_postgres_url(db) or db in ("", ":memory:") or db.startswith("file:")) and not os.path.isfile(db):
        what = "is a folder, not a store" if os.path.isdir(db) else "does not exist"
        raise StorylineError(f"no store at {db}: the file {what} (give the store with --db FILE or $STORYLINE_DB; "
                             "`storyline ingest PATH --db FILE` creates one)")
    return _store(db)


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _default_workers() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


workers_option = click.option(
    "--workers", type=click.IntRange(min=1, max=64), default=_default_workers, show_default="2 where there are 2 cores",
    help="Processes: with 2 or more, languages are identified and articles featurised in other processes "
         "ahead of the store and the (sequential, deterministic) story assignment, and `ingest` assigns "
         "stories in a process of its own while it reads on. Same articles and stories whatever the number.")


#: set when this process is the `storyline` command (its environment is then the command's to set)


_COMMAND_LINE = False


class _Group(click.Group):
    """click's group, but a usage error (an unknown command or option, a bad value) is one
    `error: …` line on stderr with exit code 2, as every other error is."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        if args is None:  # the storyline command itself (not a caller's CliRunner): the process is ours
            global _COMMAND_LINE
            _COMMAND_LINE = True
            # a first run compiles the story engine: say so on stderr (here and in helper processes)
            os.environ.setdefault("STORYLINE_COMPILE_NOTICE", "1")
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # a bare `storyline` or `storyline eval`: its help
            click.echo(exc.format_message())
            sys.exit(0)
        except click.UsageError as exc:
            where = f"{exc.ctx.command_path}: " if exc.ctx is not None else ""
            click.echo(f"error: {where}{_one_line(exc.format_message())}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"error: {_one_line(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)  # --help and --version return their exit code


def _one_line(message: str) -> str:
    return " ".join(message.split())


@click.group(cls=_Group)
@click.version_option(package_name="storyline")
def main() -> None:
    """storyline: ingest news, group it into stories, compare the sources."""


# -- ingest -------------------------------------------------------------------------------


def _print_scores(scores: dict[str, Any], as_json: bool) -> None:
    """Flat scores as JSON, or one aligned `name value` line each."""
    if as_json:
        _emit_json(scores)
        return
    width = max(len(k) for k in scores) + 2
    for k, v in scores.items():
        if v is None:
            v = "undefined"
        click.echo(f"{k:{width}} {v:.4f}" if isinstance(v, float) else f"{k:{width}} {v}")


# -- comparisons --------------------------------------------------------------------------


def format_option(f: F) -> F:
    return click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
                        show_default=True, help="Output: coloured text, JSON (docs/comparison.md), Markdown or one HTML file.")(f)


def _emit(out: str | None, output: str | None, c: dict[str, Any], fmt: str) -> None:
    if output:
        from ..compare.render import to_json

        text = out if out is not None else to_json(c)
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(f"wrote {output}")
    elif out is not None:
        click.echo(out, nl=False)
