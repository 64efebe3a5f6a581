"""The package's layout: no module imports another that (directly or not) imports it back.

Every `import` counts, at module level or inside a function (a deferred import is still a
dependency); only imports under `if TYPE_CHECKING:` are left out, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "parser"


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return skipped


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules `path` imports (`from a import b` counts `a.b` when that is a
    module, else `a`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in modules else node.module)
    return {name for name in found if name in modules}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    files = {_module_name(path, package.parent): path for path in package.rglob("*.py")}
    modules = set(files)
    return {name: _imports(path, modules) - {name} for name, path in files.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), each as a path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_package_has_no_import_cycles() -> None:
    graph = import_graph()
    assert len(graph) > 40  # the walk found the package's modules
    assert find_cycles(graph) == []


def test_the_cycle_finder_finds_a_deferred_import_cycle(tmp_path: Path) -> None:
    package = tmp_path / "parser"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from parser.b import f\n")
    (package / "b.py").write_text("def f():\n    from parser import a\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from parser.a import x\n"
    )
    graph = import_graph(package)
    assert find_cycles(graph) == [["parser.a", "parser.b"]]
    assert graph["parser.c"] == set()


def test_each_stage_imports_only_what_comes_before_it() -> None:
    """Fetching neither stores, writes files, loads documents nor extracts; the store and what
    reads it never import the extractors; only the command line imports the terminal output."""
    graph = import_graph()
    fetching = [name for name in graph if name.startswith("parser.fetch")]
    for name in fetching:
        assert not {i for i in graph[name] if i.startswith(("parser.extract", "parser.load."))} - {
            "parser.load.edgar"  # which documents of a filing to fetch
        }, name
        assert not graph[name] & {
            "parser.store",
            "parser.pipeline",
            "parser.archive",
            "parser.output",
        }, name
    for name in ("parser.store", "parser.history", "parser.compare", "parser.records"):
        assert not any(i.startswith("parser.extract") for i in graph[name]), name
    assert {n for n, imports in graph.items() if "parser.render" in imports} == {"parser.cli"}
