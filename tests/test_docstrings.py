"""Every public callable in the package has a docstring: functions, classes, methods and
properties whose names (and whose modules' and classes' names) have no leading underscore."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import ckm_sim

PACKAGE = Path(ckm_sim.__file__).parent

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _public(name: str) -> bool:
    return not name.startswith("_")


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":  # a package's own module is named as the package
            parts = parts[:-1]
        if all(_public(p) for p in parts):
            yield ".".join(parts), ast.parse(path.read_text(encoding="utf-8"))


def _public_callables(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, Definition]]:
    for node in body:
        if isinstance(node, Definition) and _public(node.name):
            yield f"{prefix}.{node.name}", node
            if isinstance(node, ast.ClassDef):
                yield from _public_callables(node.body, f"{prefix}.{node.name}")


def undocumented() -> list[str]:
    """Dotted names of the public callables without a docstring."""
    return [
        name
        for module, tree in _modules()
        for name, node in _public_callables(tree.body, module)
        if not ast.get_docstring(node)
    ]


def test_the_walk_finds_the_public_api():
    # the walk must see methods and properties, not only module-level names
    names = {
        name for module, tree in _modules() for name, _ in _public_callables(tree.body, module)
    }
    assert "ckm_sim.model.model.CKMModel.step" in names
    assert "ckm_sim.model.model.CKMModel.network" in names  # a property
    assert "ckm_sim.model.agents.Customer.satisfaction" in names
    assert not any("._" in name.removeprefix("ckm_sim.") for name in names)


def test_every_public_callable_has_a_docstring():
    missing = undocumented()
    assert not missing, f"{len(missing)} public callables without a docstring:\n" + "\n".join(
        missing
    )
