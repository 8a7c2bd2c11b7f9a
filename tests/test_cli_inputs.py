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


# -- the first demo ------------------------------------------------------------------------
def _run(code_or_args, env_extra, timeout=120):
    import subprocess
    import sys

    env = {k: v for k, v in {**os.environ, **env_extra}.items() if v is not None}  # None: unset
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_first_demo_compiles_nothing_and_keeps_its_store(tmp_path):
    """A fresh install's first demo: numba's cache is empty, and the demo must not spend a minute
    filling it (the kernels run uncompiled on its 33 articles)."""
    import sys
    import time

    cache = tmp_path / "numba-cache"
    cache.mkdir()
    env = {"NUMBA_CACHE_DIR": str(cache), "TMPDIR": str(tmp_path), "COLUMNS": "80", "STORYLINE_KERNELS": None}
    t = time.perf_counter()
    r = _run([sys.executable, "-m", "storyline.cli", "demo"], env, timeout=60)
    took = time.perf_counter() - t
    assert r.returncode == 0, r.stderr
    assert took < 15, took
    assert list(cache.iterdir()) == []  # nothing compiled
    assert "compiling" not in r.stderr
    assert "33 new" in r.stdout
    store = next(line.split(": ", 1)[1] for line in r.stdout.splitlines() if line.startswith("Store: "))
    assert os.path.isfile(store)  # the path it printed is kept...
    assert f"storyline serve --db {store}" in r.stdout  # ...for the next step it names
    listing = _run([sys.executable, "-m", "storyline.cli", "stories", "--db", store, "--json"], env)
    assert listing.returncode == 0 and len(json.loads(listing.stdout)) > 5


_ASSIGN = """
import hashlib, json, sys
sys.path.insert(0, {bench!r})
from synth import stream
from storyline.demo import demo_path
from storyline.readers import expand_inputs, read_path
from storyline.stories import StoryEngine
from storyline import kernels
out = {{"interpreted": kernels.INTERPRETED}}
demo = [x for p in expand_inputs([demo_path()]) for x in read_path(p)]
for name, arts in (("demo", demo), ("stream", [a for a, _ in stream(250, seed=11)])):
    engine = StoryEngine(semantic=False)
    got = [engine.add(a, seq) for seq, a in enumerate(arts, 1)]
    packs = hashlib.sha1(b"".join(bytes(s.pack) for _, s in sorted(engine.stories.items()))).hexdigest()
    titles = {{k: s.title(engine.dfs) for k, s in engine.stories.items()}}
    pairs = engine.pairwise(arts[:12]).tolist()
    out[name] = [[(x.story_id, x.duplicate_of) for x in got], packs, titles, pairs, [a.language for a in arts]]
print(json.dumps(out))
"""


def test_uncompiled_kernels_give_the_compiled_stories_bit_for_bit():
    """STORYLINE_KERNELS=python (the demo's kernels) against the compiled ones: the same stories,
    the same copies, the same bytes in every story's pack, the same titles and probabilities."""
    from pathlib import Path

    code = _ASSIGN.format(bench=str(Path(__file__).resolve().parents[1] / "benchmarks"))
    plain = _run(code, {"STORYLINE_KERNELS": "python"}, timeout=300)
    compiled = _run(code, {"STORYLINE_KERNELS": ""}, timeout=600)
    assert plain.returncode == 0 and compiled.returncode == 0, plain.stderr + compiled.stderr
    a, b = json.loads(plain.stdout), json.loads(compiled.stdout)
    assert a.pop("interpreted") is True and b.pop("interpreted") is False
    assert len({s for s, _ in a["stream"][0]}) > 20  # a stream with stories to get wrong
    assert a == b
    assert "RuntimeWarning" not in plain.stderr


def test_a_compiling_run_says_so_once(tmp_path):
    """The first command that compiles the kernels (an ingest after a fresh install) says so on one
    line, and nothing on a run that loads them from numba's cache."""
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    code = ("import os; os.environ['STORYLINE_COMPILE_NOTICE'] = '1'\n"
            "from storyline import kernels\nimport numpy as np\n"
            "kernels.heaviest(np.array([1.0, 2.0]), np.array([0, 1], dtype=np.int32), 1)\n"
            "kernels.heaviest(np.array([1.0, 2.0]), np.array([0, 1], dtype=np.int32), 1)\n")
    env = {"NUMBA_CACHE_DIR": str(cache), "STORYLINE_KERNELS": ""}
    first, again = _run(code, env), _run(code, env)
    assert first.returncode == 0 and again.returncode == 0, first.stderr
    assert first.stderr.count("compiling the story engine (first run only)") == 1
    assert "compiling" not in again.stderr


# -- markdown holds what text and HTML hold ------------------------------------------------
def test_markdown_has_the_quotes_timeline_and_entities(demo_db):
    stories = json.loads(invoke("stories", "--db", demo_db, "--json", "--sort", "size").output)
    sid = stories[0]["id"]
    c = json.loads(invoke("report", sid, "--db", demo_db, "--format", "json").output)
    md = invoke("report", sid, "--db", demo_db, "--format", "markdown").output
    assert c["quotes"] and c["timeline"] and c["entities"]
    assert "**Quotes**" in md and "**Timeline**" in md and "**Entities**" in md
    for q in c["quotes"]:
        assert q["text"] in md and (q["speaker"] or "unattributed") in md
    for t in c["timeline"]:
        assert t["date"] in md
    for e in c["entities"]:
        assert e["text"] in md


def test_an_unknown_outlet_is_named_by_its_host_or_as_unknown(tmp_path):
    from storyline.compare.render import outlet, to_markdown

    a, b = tmp_path / "a.json", tmp_path / "b.txt"
    a.write_text(json.dumps({"title": "Harbour crane topples in Port Selby gale",
                             "url": "https://www.selby-echo.example/news/crane",
                             "text": "A harbour crane toppled in Port Selby on Monday during a gale, the port said. "
                                     "Nobody was hurt, said harbour master Ada Brandt."}))
    b.write_text("Crane falls at Port Selby harbour\n\nA crane fell over at the harbour of Port Selby in a gale on "
                 "Monday. Harbour master Ada Brandt said nobody was hurt.\n")
    for fmt in ("text", "markdown", "html"):
        out = invoke("compare", a, b, "--format", fmt).output
        assert "selby-echo.example" in out and "unknown outlet" in out, fmt
        assert "] ?" not in out and ". ?:" not in out and "[2] ? " not in out
    assert outlet({"source": None, "url": None}) == "unknown outlet"
    assert outlet({"source": "Selby Echo", "url": "https://x.example/"}) == "Selby Echo"
    assert to_markdown  # imported from the renderers the command uses


# -- several articles with one URL in one input -------------------------------------------
def _same_url_file(path, texts):
    path.write_text("".join(json.dumps({"title": f"Quake report {i}", "url": "https://news.example/quake",
                                        "source": "News Example", "text": t}) + "\n" for i, t in enumerate(texts)))


QUAKE = ["A strong earthquake struck the north of the island on Monday, damaging dozens of houses.",
         "Rescue teams searched collapsed buildings in the port town on Tuesday after the earthquake.",
         "The government promised aid to families whose homes the earthquake destroyed this week."]


def test_a_rerun_of_unchanged_input_with_one_url_thrice_updates_nothing(tmp_path):
    src, db = tmp_path / "ecb.jsonl", tmp_path / "s.db"
    _same_url_file(src, QUAKE)
    first = invoke("ingest", src, "--db", db)
    assert first.exit_code == 0, first.output
    assert "1 new, 0 unchanged, 0 updated, 2 skipped (same URL)" in first.output
    skipped = [ln for ln in first.stderr.splitlines() if ln.startswith("skipped:")]
    assert len(skipped) == 2 and all("https://news.example/quake" in ln for ln in skipped)
    for _ in range(2):
        again = invoke("ingest", src, "--db", db)
        assert again.exit_code == 0 and "0 new, 1 unchanged, 0 updated, 2 skipped" in again.output, again.output
    stored = json.loads(invoke("articles", "--db", db, "--json").output)
    assert len(stored) == 1 and stored[0]["body"] == [QUAKE[0]]  # the first one read is kept
    data = json.loads(invoke("ingest", src, "--db", db, "--json").stdout)
    assert data["updated"] == 0 and len(data["skipped"]) == 2
    # a later ingest with a new text at that URL is an update, as before
    _same_url_file(src, ["Aftershocks shook the island again on Wednesday, but no new damage was reported."])
    assert "1 updated" in invoke("ingest", src, "--db", db).output


def test_the_same_article_twice_in_one_ingest_is_unchanged_not_skipped(tmp_path):
    src, db = tmp_path / "twice.jsonl", tmp_path / "s.db"
    _same_url_file(src, [QUAKE[0]])
    r = invoke("ingest", src, src, "--db", db)
    assert r.exit_code == 0 and "1 new, 1 unchanged, 0 updated, 0 failed" in r.output and "skipped" not in r.stderr
