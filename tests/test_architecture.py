"""The layout holds (issue 20): no import cycle, data flows down, every package says what it is.

The imports of every module under ``cxtext/`` and ``app/`` are read with :mod:`ast` (nothing is
imported). Every ``import`` statement counts, wherever it is:

* at module level, and inside functions: a lazy import only puts the cost off, the dependency is
  the same;
* under ``if TYPE_CHECKING:`` too: a type-only import says the importing module knows the other
  module's shape, so a type-only import that points upward is a real (if invisible at run time)
  dependency on the layer above. The fix is to move the type down, or to let the lower module
  declare the small :class:`typing.Protocol` it needs (as :mod:`cxtext.outputs` does), never to
  hide the import.

An import names one module: ``from cxtext.social import annotate_records`` depends on
``cxtext.social`` (the package ``__init__``), ``from cxtext import metrics`` on
``cxtext.metrics``. The package ``__init__`` that Python also runs on the way is not counted,
or every package that re-exports its modules would be a cycle with them.

Checked: (a) no cycle among the modules of cxtext (every strongly connected component has one
module), nor among its packages (each module counted as its top-level package or module under
cxtext, ``cxtext.themes.model`` as ``cxtext.themes``): data flows down, as docs/architecture.md draws; (b) no module of cxtext imports ``cxtext.cli`` (the package) or ``app`` (the faces sit on top;
``python -m cxtext`` runs the command line, so ``cxtext.__main__`` may);
(c) every package ``__init__`` under cxtext/ and app/ has a docstring.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cxtext", "app")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of cxtext and app: dotted name -> file."""
    return {module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of cxtext/app that ``name`` imports (each statement, wherever it is)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # ``from package import module`` depends on the module, else on what holds the name
            targets = [f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin
                       for alias in node.names]
        else:
            continue
        for target in targets:
            # ``import cxtext.embed.backends`` names that module; a missing one names its nearest parent
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = modules()
    known = set(files)
    return {name: imports_of(name, path, known) for name, path in files.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative), the components in no particular order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def test_the_checker_sees_a_cycle_and_type_only_imports():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert sorted(map(tuple, strongly_connected(graph))) == [("a", "b", "c"), ("d",)]
    assert "cxtext.schema" in import_graph()["cxtext.drivers.table"]
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cxtext.analysis import Analysis\n"
    path = ROOT / "tests" / "_architecture_probe.py"
    try:
        path.write_text(source, encoding="utf-8")
        assert imports_of("probe", path, set(modules())) == {"cxtext.analysis"}
    finally:
        path.unlink()


def test_no_import_cycle_in_cxtext():
    graph = {name: {t for t in targets if t.startswith("cxtext")}
             for name, targets in import_graph().items() if name.startswith("cxtext")}
    cycles = [component for component in strongly_connected(graph) if len(component) > 1]
    details = [" <-> ".join(component) + ": " + "; ".join(
        f"{m} imports {', '.join(sorted(graph[m] & set(component)))}" for m in component) for component in cycles]
    assert not cycles, "import cycles:\n" + "\n".join(details)


def test_no_import_cycle_between_the_packages_of_cxtext():
    def top(module: str) -> str:
        return ".".join(module.split(".")[:2])

    graph: dict[str, set[str]] = {}
    for name, targets in import_graph().items():
        if name.startswith("cxtext."):
            graph.setdefault(top(name), set()).update(
                top(t) for t in targets if t.startswith("cxtext.") and top(t) != top(name))
    cycles = [component for component in strongly_connected(graph) if len(component) > 1]
    assert not cycles, f"packages that import each other: {cycles}"


def test_the_library_never_imports_its_faces_above():
    def is_face(module: str) -> bool:
        return module == "app" or module.startswith(("app.", "cxtext.cli"))

    offenders = {name: sorted(t for t in targets if is_face(t)) for name, targets in import_graph().items()
                 if name.startswith("cxtext") and not is_face(name) and name != "cxtext.__main__"}
    assert not {name: found for name, found in offenders.items() if found}


def test_every_package_says_what_it_holds():
    missing = [name for name, path in modules().items()
               if path.name == "__init__.py" and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert not missing, f"package __init__ without a docstring: {missing}"
