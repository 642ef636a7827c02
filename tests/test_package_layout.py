"""The house's layout (issue "One room per knowledge flow"): small modules, one stage per
room, no import circle, and nothing outside the model touching its private parts.

Read from the source with ``ast``: nothing here runs the model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import ckm_sim
from ckm_sim.model.stages import PIPELINE

PACKAGE = Path(ckm_sim.__file__).parent
MODEL_CORE = {PACKAGE / "model" / "model.py", PACKAGE / "model" / "world.py"}


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imported(node: ast.AST, module: str, modules: dict[str, Path]) -> set[str]:
    """The package modules one import statement names (``from a import b``: ``a.b`` when it
    is a module, else ``a``), relative imports resolved."""
    names: set[str] = set()
    if isinstance(node, ast.Import):
        names = {a.name for a in node.names}
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = module.split(".")[: -node.level]
            base = ".".join([*anchor, base] if base else anchor)
        names = {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
    return {n for n in names if n in modules}


def _import_graph() -> nx.DiGraph:
    """Module -> module for every import in the package, those under TYPE_CHECKING too."""
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _imported(node, name, modules):
                if target != name and not name.startswith(target + "."):
                    graph.add_edge(name, target)
    return graph


def test_no_import_circle_anywhere_in_the_package() -> None:
    graph = _import_graph()
    circles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not circles, circles


def test_no_module_is_a_warehouse() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in _modules().values()}
    assert sizes[PACKAGE / "model" / "model.py"] < 500
    big = {str(p.relative_to(PACKAGE)): n for p, n in sizes.items() if n > 720}
    assert not big, big


def test_every_stage_lives_in_a_room_of_the_stages_wing() -> None:
    rooms = [stage.__module__ for _, stage in PIPELINE]
    assert all(r.startswith("ckm_sim.model.stages.") for r in rooms), rooms
    assert len(set(rooms)) == len(rooms), rooms  # one room per stage


def _private_names() -> set[str]:
    """Private methods and attributes of the model (``_name``, not dunders): defined with
    ``def`` in CKMModel or World, or assigned as ``self._name``."""
    names: set[str] = set()
    for path in MODEL_CORE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = None
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                name = node.name
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                name = node.attr
            if name and name.startswith("_") and not name.startswith("__"):
                names.add(name)
    return names


def test_nothing_outside_the_model_touches_a_private_part_of_it() -> None:
    private = _private_names()
    assert "_build" in private  # the walk sees the model's own private names
    offences = []
    for path in _modules().values():
        if path in MODEL_CORE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            own = isinstance(getattr(node, "value", None), ast.Name) and node.value.id == "self"
            if isinstance(node, ast.Attribute) and node.attr in private and not own:
                offences.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ClassDef):  # a subclass of the model overriding one
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if bases & {"CKMModel", "World"}:
                    offences += [
                        f"{path.relative_to(PACKAGE)}:{f.lineno} overrides {f.name}"
                        for f in node.body
                        if isinstance(f, ast.FunctionDef) and f.name in private
                    ]
    assert not offences, offences
