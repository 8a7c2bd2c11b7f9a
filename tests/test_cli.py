from __future__ import annotations

import json

from click.testing import CliRunner

from storyline.cli import main


def invoke(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def test_mixed_folder_ingest(tmp_path, mixed_folder):
    db = tmp_path / "s.db"
    r = invoke("ingest", mixed_folder, "--db", db)
    assert r.exit_code == 1
    failed = [ln for ln in r.stderr.splitlines() if ln.startswith("failed:")]
    bad_names = ["junk.bin", "empty.txt", "nav-only.html", "shape.json", "broken.rss", "cut.jsonl.gz", "cut.warc.gz"]
    for name in bad_names:
        assert any(name in ln for ln in failed), name
    out = json.loads(invoke("articles", "--db", db, "--json", "--limit", 100).output)
    titles = {a["title"] for a in out}
    assert {"Harbour crane topples in Port Selby gale", "Port Selby backs ferry terminal", "Café owners in Selby protest",
            "Selby market story 0", "Selby market story 1", "Northmoor mill reopens", "Selby library extends hours",
            "Tide report 0", "Tide report 2", "Ferry terminal vote"} <= titles
    cafe = next(a for a in out if a["title"].startswith("Café"))
    assert "José Núñez" in " ".join(cafe["body"])
    crane = next(a for a in out if a["title"].startswith("Harbour crane"))
    assert crane["source"] == "selby-echo"  # the folder name
    again = invoke("ingest", mixed_folder, "--db", db)
    assert again.exit_code == 1 and "0 new" in again.output


def test_good_inputs_exit_zero_and_show(tmp_path, mixed_folder):
    db = tmp_path / "s.db"
    r = invoke("ingest", mixed_folder / "page.html", mixed_folder / "feed.rss", "--db", db)
    assert r.exit_code == 0, r.output
    assert "3 new" in r.output
    listing = json.loads(invoke("articles", "--db", db, "--json", "--search", "ferry").output)
    assert len(listing) == 1
    shown = json.loads(invoke("show", listing[0]["id"], "--db", db, "--json").output)
    assert shown["title"] == "Port Selby backs ferry terminal" and shown["story_id"]
    r = invoke("show", "nope", "--db", db)
    assert r.exit_code == 2 and "no article" in r.stderr


def test_missing_path_is_a_failed_input(tmp_path):
    r = invoke("ingest", tmp_path / "nothing-here.txt", "--db", tmp_path / "s.db")
    assert r.exit_code == 1 and "nothing-here.txt" in r.stderr


def test_stdin(tmp_path):
    r = invoke("ingest", "-", "--db", tmp_path / "s.db", input='{"title": "From a pipe", "text": "Piped text is read from standard input like any file."}\n')
    assert r.exit_code == 0 and "1 new" in r.output


def test_demo_runs():
    r = invoke("demo")
    assert r.exit_code == 0, r.output
    assert "33 new" in r.output
    assert "Stories" in r.output
