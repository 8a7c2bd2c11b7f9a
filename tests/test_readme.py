"""The README is the truth: its example block runs as shown, on what the package ships."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def example_block() -> str:
    text = (ROOT / "README.md").read_text()
    after = text[text.index("Example, on the demo corpus"):]
    return re.search(r"```sh\n(.*?)```", after, re.S).group(1)


def test_readme_examples_run(tmp_path):
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "storyline").exists() and shutil.which("storyline") is None:
        pytest.skip("the storyline command is not installed")
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("STORYLINE_DB", None)
    shutil.copytree(ROOT / "benchmarks" / "data", tmp_path / "benchmarks" / "data")
    for line in example_block().strip().splitlines():
        assert "../shared" not in line  # a user's clone has no ../shared
    script = "set -euo pipefail\n" + example_block()
    r = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Agreed by several sources" in r.stdout
    # the DuckDB example reads the tables the example block exported
    pytest.importorskip("duckdb")
    text = (ROOT / "README.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", text[text.index("read straight into DuckDB"):], re.S).group(1)
    r = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "2,400" in r.stdout and "update" not in r.stderr
