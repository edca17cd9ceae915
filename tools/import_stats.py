"""How Tandem's own modules import each other: a number anyone can rerun.

    python tools/import_stats.py            # summary
    python tools/import_stats.py --verbose  # every function-local import and every cycle

Counts the imports of ``tandem.*`` in the product code (tests and migrations
left out): how many sit at module level and how many inside a function
(usually a sign of a cycle being dodged), and the import cycles between files,
counting function-local imports too (a cycle dodged is still a cycle).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tandem"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_files() -> list[Path]:
    skip = {"migrations", "tests", "testkit"}
    return sorted(p for p in PACKAGE.rglob("*.py") if not skip & set(p.parts))


def resolve(target: str, modules: set[str]) -> str | None:
    """The product module an import names (``from a.b import c`` may mean a.b.c)."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def main(verbose: bool) -> None:
    files = product_files()
    modules = {module_name(p) for p in files}
    edges: dict[str, set[str]] = defaultdict(set)
    top_level = local = 0
    local_sites: list[str] = []
    for path in files:
        name = module_name(path)
        tree = ast.parse(path.read_text())
        top_nodes = set(map(id, tree.body))
        # Imports under "if TYPE_CHECKING:" never run: not counted, as import-linter leaves them out too.
        typing_only = {
            id(inner)
            for node in tree.body
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            targets = [t for t in targets if t.startswith("tandem.")]
            if not targets:
                continue
            if id(node) in top_nodes:
                top_level += 1
            else:
                local += 1
                local_sites.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            for target in targets:
                found = resolve(target, modules)
                if found and found != name:
                    edges[name].add(found)
    cycles = strongly_connected(modules, edges)
    total = top_level + local
    print(f"internal imports: {total}, module level {top_level}, function-local {local} ({100 * local / total:.1f} %)")
    print(f"import cycles between files: {len(cycles)} (modules in them: {sum(len(c) for c in cycles)})")
    if verbose:
        print("\nfunction-local imports:\n  " + "\n  ".join(local_sites))
        for cycle in cycles:
            print("\ncycle: " + " <-> ".join(sorted(cycle)))


def strongly_connected(nodes: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm; components of more than one module are cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


if __name__ == "__main__":
    main("--verbose" in sys.argv)
