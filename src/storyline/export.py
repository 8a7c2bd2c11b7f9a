"""Export the store as tables for pandas, DuckDB or Spark: articles (with their story and the
original they copy), stories, outlets (with the registry's attributes), and the facts and
conflicts of the compared stories.

One function makes the rows (`tables`), one writer a format (Parquet through pyarrow, JSON Lines,
CSV). Each table is written to a temporary name and renamed when complete, so a file that exists
is whole.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

FORMATS = ("parquet", "jsonl", "csv")
BATCH = 10_000

#: column -> type of every table ("str", "int", "float", "bool", "list[int]", "list[str]")
SCHEMAS: dict[str, dict[str, str]] = {
    "articles": {"id": "str", "seq": "int", "story_id": "str", "duplicate_of": "str", "wire": "str", "source": "str",
                 "url": "str", "title": "str", "published_at": "str", "language": "str", "authors": "list[str]",
                 "text": "str"},
    "stories": {"id": "str", "title": "str", "articles": "int", "sources": "int", "independent": "int",
                "first_at": "str", "last_at": "str", "outlets": "str", "languages": "str"},
    "facts": {"story_id": "str", "fact_id": "int", "status": "str", "text": "str", "sources": "list[int]",
              "article_ids": "list[str]", "independent_sources": "int", "similarity": "float"},
    "outlets": {"name": "str", "domains": "list[str]", "country": "str", "language": "str", "type": "str",
                "owner": "str", "groups": "str", "articles": "int", "originals": "int", "copies": "int",
                "copy_share": "float", "wire_credited": "int", "stories": "int", "first_reports": "int",
                "conflicts": "int", "compared_stories": "int", "languages": "str", "sources": "list[str]"},
    "conflicts": {"story_id": "str", "conflict_id": "int", "kind": "str", "update": "bool", "fact_id": "int",
                  "value": "str", "sources": "list[int]", "article_ids": "list[str]", "published_at": "str"},
}


def tables(store: Any, min_sources: int = 2, compare: bool = True, words: int = 120,
           on_story: Callable[[int, int], None] | None = None) -> dict[str, Iterable[dict[str, Any]]]:
    """The rows of every table, as iterables (articles are streamed from the store). Stories with
    at least `min_sources` independent sources are compared; `on_story(done, total)` follows that."""
    stories = store.list_stories(limit=None, sort="size")
    langs = store.languages_of([s["id"] for s in stories]) if stories else {}
    story_rows = [{"id": s["id"], "title": s["title"], "articles": s["articles"], "sources": s["sources"],
                   "independent": s["independent"], "first_at": s["first_at"], "last_at": s["last_at"],
                   "outlets": json.dumps(s.get("outlets") or {}, ensure_ascii=False),
                   "languages": json.dumps(langs.get(s["id"], {}), ensure_ascii=False)} for s in stories]
    compared = [s["id"] for s in stories if compare and s["independent"] >= min_sources]
    facts: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    done: list[bool] = []

    def comparisons() -> None:
        done.append(True)
        from .compare.report import story_comparison
        from .coverage import record_conflicts

        by_id = {s["id"]: s for s in stories}
        for k, sid in enumerate(compared, 1):
            c = story_comparison(store, sid, words)
            record_conflicts(store, by_id[sid], c)  # the outlets table counts them
            ids = {s["n"]: s["id"] for s in c["sources"]}
            for f in c["facts"]:
                facts.append({"story_id": sid, "fact_id": f["id"], "status": f["status"], "text": f["text"],
                              "sources": f["sources"], "article_ids": [ids[n] for n in f["sources"]],
                              "independent_sources": f["independent_sources"], "similarity": f["similarity"]})
            for x in c["conflicts"]:
                for cl in x["claims"]:
                    srcs = cl.get("sources") or [cl["source"]]
                    conflicts.append({"story_id": sid, "conflict_id": x["id"], "kind": x["kind"], "update": x["update"],
                                      "fact_id": x["fact"], "value": cl["value"], "sources": srcs,
                                      "article_ids": [ids[n] for n in srcs], "published_at": cl.get("published_at")})
            if on_story:
                on_story(k, len(compared))

    def lazily(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        if not done:
            comparisons()
        yield from rows

    def outlet_rows() -> Iterator[dict[str, Any]]:
        if not done:  # after the comparisons, which record each outlet's conflicts
            comparisons()
        from .coverage import KNOWN_ATTRIBUTES, outlets_data

        for o in outlets_data(store)["outlets"]:
            attrs = dict(o["attributes"])
            known = {k: attrs.pop(k, None) for k in KNOWN_ATTRIBUTES}
            yield dict(o, **known, groups=json.dumps(attrs, ensure_ascii=False),
                       languages=json.dumps(o["languages"], ensure_ascii=False))

    return {"articles": store.export_articles(), "stories": story_rows, "facts": lazily(facts),
            "conflicts": lazily(conflicts), "outlets": outlet_rows()}


def export(store: Any, out_dir: str, fmt: str = "parquet", min_sources: int = 2, compare: bool = True,
           words: int = 120, on_story: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Write every table to `out_dir` in `fmt`; returns {table: {"path", "rows"}}."""
    from .errors import ExportError

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc})") from None
    out = {}
    for name, rows in tables(store, min_sources, compare, words, on_story).items():
        path = os.path.join(out_dir, f"{name}.{fmt}")
        tmp = path + ".part"
        try:
            n = {"parquet": _parquet, "jsonl": _jsonl, "csv": _csv}[fmt](tmp, name, rows)
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
        out[name] = {"path": path, "rows": n}
    return out


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _arrow_schema(name: str) -> Any:
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
             "list[int]": pa.list_(pa.int64()), "list[str]": pa.list_(pa.string())}
    return pa.schema([(col, types[t]) for col, t in SCHEMAS[name].items()])


def _parquet(path: str, name: str, rows: Iterable[dict[str, Any]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(name)
    n = 0
    with pq.ParquetWriter(path, schema) as w:
        for batch in _batches(rows):
            w.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            w.write_table(schema.empty_table())
    return n


def _jsonl(path: str, name: str, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: r.get(k) for k in SCHEMAS[name]}, ensure_ascii=False) + "\n")
            n += 1
    return n


def _csv(path: str, name: str, rows: Iterable[dict[str, Any]]) -> int:
    cols = SCHEMAS[name]
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(cols))
        for r in rows:  # lists as JSON arrays, so a cell holds one value
            w.writerow([json.dumps(r.get(c), ensure_ascii=False) if t.startswith("list") else r.get(c)
                        for c, t in cols.items()])
            n += 1
    return n
