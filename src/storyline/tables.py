"""Tables for the terminal, which the command line and the demo print: rich tables that never
wrap a cell, and one that fits a width without ever cutting an id."""
from __future__ import annotations

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
