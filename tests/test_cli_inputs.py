"""The command line on a user's first mistakes: a store that is not there, a narrow terminal, a bad
option, a first demo."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from storyline.cli import main


def invoke(*args, env=None, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env, **kw)


# -- a path that holds no store ---------------------------------------------------------
READS = [["stories"], ["articles"], ["show", "abc"], ["story", "sabc"], ["report", "sabc"],
         ["report", "sabc", "--format", "markdown"], ["export", "OUT"], ["cluster"], ["similarity", "abc", "def"]]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_a_read_on_a_path_with_no_store_is_one_error_and_creates_nothing(tmp_path, args):
    db = tmp_path / "mistyped.db"
    args = [str(tmp_path / a) if a == "OUT" else a for a in args]
    r = invoke(*args, "--db", db)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "no store" in lines[0], r.stderr
    assert str(db) in lines[0]
    assert sorted(os.listdir(tmp_path)) == []  # no store, no lock, no WAL, no export folder


def test_stories_in_an_empty_folder_creates_no_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    r = invoke("stories")
    assert r.exit_code == 2 and "no store at storyline.db" in r.stderr
    assert "0 of 0" not in r.output
    assert os.listdir(tmp_path) == []


def test_a_folder_is_not_a_store(tmp_path):
    r = invoke("articles", "--db", tmp_path)
    assert r.exit_code == 2 and r.stderr.startswith("error: no store at") and "folder" in r.stderr


def test_writes_still_create_the_store(tmp_path, mixed_folder):
    db = tmp_path / "new.db"
    assert invoke("ingest", mixed_folder / "page.html", "--db", db).exit_code == 0
    assert db.exists()
    r = invoke("stories", "--db", db)
    assert r.exit_code == 0 and "1 of 1 stories" in r.output


def test_similarity_of_a_missing_file_names_it(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Port Selby backs ferry terminal\n\nThe council voted on Monday to back a new ferry terminal.")
    r = invoke("similarity", a, tmp_path / "typo.txt", "--db", tmp_path / "none.db")
    assert r.exit_code == 2 and "typo.txt: no such file" in r.stderr
    assert not (tmp_path / "none.db").exists()


# -- ids are never cut -------------------------------------------------------------------
@pytest.mark.parametrize("columns", [80, 60])
def test_ids_are_whole_at_any_width(demo_db, columns):
    env = {"COLUMNS": str(columns)}
    stories = json.loads(invoke("stories", "--db", demo_db, "--json", "--limit", 100).output)
    out = invoke("stories", "--db", demo_db, "--limit", 100, env=env).output
    assert all(s["id"] in out for s in stories)
    arts = json.loads(invoke("articles", "--db", demo_db, "--json", "--limit", 100).output)
    out += invoke("articles", "--db", demo_db, "--limit", 100, env=env).output
    assert all(a["id"] in out for a in arts)
    big = max(stories, key=lambda s: s["articles"])
    shown = invoke("story", big["id"], "--db", demo_db, env=env).output
    members = json.loads(invoke("story", big["id"], "--db", demo_db, "--json").output)["members"]
    assert all(m["id"] in shown for m in members)
    assert all(m["duplicate_of"] in shown for m in members if m["duplicate_of"])
    out += shown
    assert all(len(line) <= columns for line in out.splitlines()), max(out.splitlines(), key=len)
    assert "…" in out  # titles are what gave way


# -- usage errors --------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["stories", "--limit", "-1"], ["stories", "--sort", "sideways"], ["articles", "--bogus"], ["bogus"],
    ["compare"], ["report"], ["eval", "pairs", "no-such-file.jsonl"], ["compare", "a", "b", "--format", "pdf"],
])
def test_a_usage_error_is_one_error_line_with_exit_2(args):
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Usage:" not in r.stderr and "Try '" not in r.stderr


def test_help_and_version_still_exit_0():
    for args in (["--help"], ["stories", "--help"], ["--version"], []):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0 and r.stderr == "", (args, r.output)
    assert "Usage:" in CliRunner().invoke(main, ["stories", "--help"]).stdout
