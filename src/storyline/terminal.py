"""What the faces print to a terminal (the command line, the demo): the console, rich tables that
never wrap a cell, one that fits a width without ever cutting an id, and a progress bar."""
from __future__ import annotations

import os
import sys
from typing import Any


def plain_table(*columns: str, title: str | None = None) -> Any:
    """A borderless table whose columns never wrap (long values end in an ellipsis)."""
    from rich.table import Table

    table = Table(box=None, title=title)
    for c in columns:
        table.add_column(c, no_wrap=True, overflow="ellipsis")
    return table


FLEX_MIN = 12  # the least a title keeps before a column that can go is dropped


def fitted_table(columns: list[str], rows: list[list[str]], width: int, *, ids: tuple[str, ...] = ("id",),
                 drop: tuple[str, ...] = (), flex: str = "title", title: str | None = None) -> Any:
    """A borderless table of `rows` that fits `width` columns and never cuts an id (the ids are
    what `story`, `show` and `report` take): the columns in `drop` go first, in that order, then
    the `flex` column (the title) is cut with an ellipsis; an id column that still does not fit
    folds onto a second line, whole."""
    from rich.table import Table

    widths = {c: max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)}
    kept = list(columns)

    def fixed() -> int:  # every column but the title, with its padding of one space each side
        return sum(widths[c] + 2 for c in kept if c != flex)

    for c in drop:
        if fixed() + (min(widths.get(flex, 0), FLEX_MIN) + 2 if flex in kept else 0) <= width:
            break
        kept.remove(c)
    room = max(FLEX_MIN, width - fixed() - 2)
    table = Table(box=None, title=title)
    for c in kept:
        if c in ids:
            table.add_column(c, no_wrap=False, overflow="fold", min_width=widths[c])
        else:
            table.add_column(c, no_wrap=c != flex, overflow="ellipsis", max_width=room if c == flex else None)
    at = [columns.index(c) for c in kept]
    for r in rows:
        table.add_row(*(_cut(r[i], room) if columns[i] == flex else r[i] for i in at))
    return table


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(1, width - 1)].rstrip() + "…"


def console() -> Any:
    """The console a command prints to."""
    from rich.console import Console

    # the terminal's width, or $COLUMNS; piped output without $COLUMNS is 160 columns wide
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160)


class ProgressBar:
    """A rich progress bar on a terminal, nothing elsewhere."""

    def __init__(self, label: str, enabled: bool = True, total: int | None = None) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self.total = total
        self._bar: Any = None

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.fields[info]}"),
                                 console=Console(stderr=True), transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=self.total, info="")
        return self

    def on_input(self, path: str, n: int) -> None:
        if self._bar:
            self._bar.update(self._task, completed=n, info=os.path.basename(path)[:40])

    def on_batch(self, report: Any) -> None:
        if self._bar:
            self._bar.update(self._task, info=report.summary())

    def advance(self, n: int = 1) -> None:
        if self._bar:
            self._bar.update(self._task, advance=n)

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.__exit__(*exc)
