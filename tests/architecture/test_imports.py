"""The tree shows the pipeline: rooms import one way, no module imports in a cycle, and
imports stand at the top of each module (none hides inside a function)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "generator"

# Each room and the rooms it may import, in pipeline order (docs/architecture.md).
ALLOWED: dict[str, set[str]] = {
    "diagnostics": set(),
    "settings": {"diagnostics"},
    "model": set(),
    "content": {"model", "diagnostics", "settings"},
    "render": {"model"},
    "build": {"model", "settings"},
    "pages": {"build", "model", "render", "settings"},
    "plugin": {"build", "model", "pages", "render", "settings", "diagnostics"},
    "pipeline": {
        "build",
        "content",
        "model",
        "pages",
        "plugin",
        "render",
        "settings",
        "diagnostics",
    },
    "cli": {"pipeline", "build", "content", "model", "settings", "diagnostics"},
    "__init__": {"pipeline", "plugin"},
    "__main__": {"cli"},
}


def module_name(file: Path) -> str:
    parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(file: Path) -> list[tuple[str, ast.AST, bool]]:
    """(imported module of the package, node, at module top?) for each import in `file`."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    name = module_name(file)
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    top = {id(node) for node in tree.body} | {
        id(inner) for node in tree.body if isinstance(node, ast.Try) for inner in node.body
    }  # try: import a fast parser / except ImportError
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")
            base = base[: len(base) - node.level + 1]
            target = ".".join([*base, node.module] if node.module else base)
            if not node.module:  # from . import a, b: each is a module
                for alias in node.names:
                    found.append((f"{target}.{alias.name}", node, id(node) in top))
            else:
                found.append((target, node, id(node) in top))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
            )
            found.extend((n, node, id(node) in top) for n in names if n.startswith("generator"))
    return found


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_imports_stand_at_the_top_of_each_module() -> None:
    inside = [
        f"{f.relative_to(PACKAGE.parent)}:{node.lineno}"  # type: ignore[attr-defined]
        for f in PACKAGE.rglob("*.py")
        for _, node, at_top in imports(f)
        if not at_top
    ]
    assert inside == []


def test_rooms_import_one_way() -> None:
    wrong = []
    for file in PACKAGE.rglob("*.py"):
        own = room(module_name(file))
        for target, node, _ in imports(file):
            other = room(target)
            if other != own and other not in ALLOWED[own]:
                wrong.append(
                    f"{file.relative_to(PACKAGE.parent)}:{node.lineno}: "  # type: ignore[attr-defined]
                    f"{own} imports {other}"
                )
    assert wrong == []


def module_graph() -> dict[str, set[str]]:
    known = {module_name(f) for f in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for file in PACKAGE.rglob("*.py"):
        source = module_name(file)
        for target, _, _ in imports(file):
            while target and target not in known:  # from .x import name: the module x
                target = target.rpartition(".")[0]
            if target and target != source:
                graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_in_a_cycle() -> None:
    """A package's __init__ re-exporting its modules is not a cycle of the modules; every
    import counts, in functions too (the test above keeps them out of functions anyway)."""
    graph = module_graph()
    assert cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
