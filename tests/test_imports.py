"""The shape of the package's imports: no circle between storyline's modules, the compiled kernels
a leaf, the story engine reached through its face only.

Imports are read with `ast`, not run. Two graphs are checked:
- module level: the imports that run when a module is imported (those under `if TYPE_CHECKING:`
  never run and are left out);
- every import, including those inside functions (deferred to keep start-up cheap): a circle
  through a deferred import still means two modules that each need the other, so it is refused too.
A module's edge goes to the module it names (`from .x import y` is an edge to `x`, or to `x.y`
when that is a module); importing a submodule is not counted as importing its parent packages
(which Python also runs, but every module of storyline would then "import" storyline/__init__).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "storyline"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)]
            package = ".".join(base + ([node.module] if node.module else []))
        else:
            package = node.module or ""
        names = [f"{package}.{a.name}" if f"{package}.{a.name}" in MODULES else package for a in node.names]
    return [n for n in names if n in MODULES and n != module]


def import_graph(deferred: bool) -> dict[str, set[str]]:
    """module -> the storyline modules it imports (at module level; with `deferred`, anywhere)."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        is_package = path.name == "__init__.py"
        edges: set[str] = set()

        def walk(node: ast.AST, in_function: bool) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue
                inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if isinstance(child, (ast.Import, ast.ImportFrom)) and (deferred or not inside):
                    edges.update(_targets(module, is_package, child))
                walk(child, inside)

        walk(ast.parse(path.read_text()), False)
        graph[module] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_circle():
    """The check can fail: a made-up graph with a circle through three modules is caught."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("deferred", [False, True], ids=["module-level", "every-import"])
def test_no_import_circle_between_storyline_modules(deferred):
    assert len(MODULES) > 50  # the walk found the package
    assert circles(import_graph(deferred)) == []


def test_the_kernels_import_nothing_of_the_engine():
    """kernels is a leaf: it reads the packing layout (constants, a leaf itself) and nothing else;
    the language identifier's kernels read kernels (its switch, njit and np) and nothing else."""
    graph = import_graph(deferred=True)
    assert graph["storyline.kernels"] <= {"storyline.packing"}
    assert graph["storyline.kernels_langid"] <= {"storyline.kernels"}
    assert graph["storyline.packing"] == set()
    assert not any(m.startswith("storyline.stories") for m in graph["storyline.features"])


def test_the_story_engine_is_reached_through_its_face_only():
    graph = import_graph(deferred=True)
    inside = {m for m in MODULES if m.startswith("storyline.stories.")}
    assert inside  # the engine is a package
    for module, edges in graph.items():
        if not module.startswith("storyline.stories"):
            assert not edges & inside, (module, edges & inside)
    for module in inside:  # and its parts never go through the face (that would be a circle)
        assert "storyline.stories" not in graph[module], module


def test_faces_and_backends_borrow_no_private_helpers():
    """The web app builds a POSTed article through the Python API, not the readers' parsers; the
    PostgreSQL store takes its row conversions from store/base; the executors call a public
    featurising function; the demo does not import the command line."""
    graph = import_graph(deferred=True)
    assert not graph["storyline.web.app"] & {"storyline.readers.html", "storyline.readers.text"}
    assert "storyline.store.sqlite" not in graph["storyline.store.postgres"]
    assert "storyline.cli" not in graph["storyline.demo"]
    for module, names in (("storyline.web.app", {"parse_html", "parse_text", "article_from_object"}),
                          ("storyline.executors", {"_prepared_chunk"})):
        imported = {a.name for node in ast.walk(ast.parse(MODULES[module].read_text()))
                    if isinstance(node, ast.ImportFrom) for a in node.names}
        assert not imported & names, (module, imported & names)


def test_the_engine_files_stay_small():
    """Every file of the engine under 400 lines, every class in it under 300."""
    for module, path in MODULES.items():
        if not module.startswith("storyline.stories"):
            continue
        text = path.read_text()
        assert len(text.splitlines()) < 400, module
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno - node.lineno + 1 < 300, (module, node.name)
