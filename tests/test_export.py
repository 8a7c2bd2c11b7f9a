"""`storyline export`: the store as Parquet, JSON Lines or CSV tables that agree with the store."""
from __future__ import annotations

import csv
import json
import os

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.export import SCHEMAS
from storyline.store import open_store


def _read(path: str, fmt: str) -> list[dict]:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    name = os.path.basename(path).split(".")[0]
    for r in rows:  # lists are JSON arrays in CSV
        for col, t in SCHEMAS[name].items():
            if t.startswith("list"):
                r[col] = json.loads(r[col])
    return rows


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_export_tables_agree_with_the_store(demo_db, tmp_path, fmt):
    out = tmp_path / "tables"
    r = CliRunner().invoke(main, ["export", str(out), "--db", demo_db, "--format", fmt, "--json"])
    assert r.exit_code == 0, r.output
    written = json.loads(r.output)
    assert sorted(os.listdir(out)) == sorted(f"{t}.{fmt}" for t in SCHEMAS)  # no partial file left
    tables = {t: _read(str(out / f"{t}.{fmt}"), fmt) for t in SCHEMAS}
    assert {t: len(rows) for t, rows in tables.items()} == {t: w["rows"] for t, w in written.items()}
    store = open_store(demo_db)
    arts = {a["id"]: a for a in tables["articles"]}
    assert len(arts) == store.count_articles()
    for a in arts.values():
        x = store.assignment(a["id"])
        assert a["story_id"] == x["story_id"] and (a["duplicate_of"] or None) == x["duplicate_of"]  # CSV: ""
    assert any(a["duplicate_of"] for a in arts.values())  # the demo's wire copies
    stories = {s["id"]: s for s in tables["stories"]}
    assert len(stories) == store.count_stories()
    compared = {s for s, row in stories.items() if int(row["independent"]) >= 2}
    assert {f["story_id"] for f in tables["facts"]} == compared
    for row in tables["facts"] + tables["conflicts"]:  # every cited source is an article of that story
        assert all(arts[i]["story_id"] == row["story_id"] for i in row["article_ids"])
    fire = [c for c in tables["conflicts"] if c["value"] in ("2,400", "3,100")]
    assert len(fire) == 2 and all(c["update"] in (True, "True") for c in fire)


def test_export_without_comparisons_and_read_with_duckdb(demo_db, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "t"
    r = CliRunner().invoke(main, ["export", str(out), "--db", demo_db, "--no-compare"])
    assert r.exit_code == 0, r.output
    n = duckdb.sql(f"SELECT COUNT(*) FROM '{out}/facts.parquet'").fetchall()[0][0]
    assert n == 0
    per_story = duckdb.sql(f"SELECT s.id, s.articles, COUNT(a.id) FROM '{out}/stories.parquet' s "
                           f"JOIN '{out}/articles.parquet' a ON a.story_id = s.id GROUP BY s.id, s.articles").fetchall()
    assert per_story and all(articles == n for _, articles, n in per_story)


def test_export_refuses_an_unknown_format(demo_db, tmp_path):
    r = CliRunner().invoke(main, ["export", str(tmp_path / "x"), "--db", demo_db, "--format", "xlsx"])
    assert r.exit_code == 2 and "xlsx" in r.output


def test_export_to_an_unwritable_place_is_one_error_line(demo_db, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder is needed")
    r = CliRunner().invoke(main, ["export", str(blocked / "tables"), "--db", demo_db])
    assert r.exit_code == 2 and r.output.startswith("error: ") and "Traceback" not in r.output, r.output
