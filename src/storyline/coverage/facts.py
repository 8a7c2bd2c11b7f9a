"""Who stated each fact first, for a stored story: the comparison's `fact_firsts` (compare/told.py)
with the wire each article credits as the store knows it."""
from __future__ import annotations

from typing import Any

from ..compare.told import fact_firsts, fact_line

__all__ = ["fact_firsts", "fact_line", "story_fact_firsts"]


def story_fact_firsts(store: Any, story_id: str, c: dict[str, Any]) -> list[dict[str, Any]]:
    """`fact_firsts` of a stored story's comparison, with the wire each of its articles credits."""
    wires = {r["article_id"]: r["wire"] for r in store.coverage_rows([story_id])}
    return fact_firsts(c, wires)
