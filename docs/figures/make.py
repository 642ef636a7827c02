"""Make the docs' figures again after a model change (docs/figures/blocks.py says how they are
kept honest):

    .venv/bin/python docs/figures/make.py              # every figure
    .venv/bin/python docs/figures/make.py odd_costs    # one
    .venv/bin/python docs/figures/make.py --check      # list the stale ones (exit 1 if any)
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import blocks  # noqa: E402


def names() -> list[str]:
    """Every figure: a script beside this one with a ``block()``."""
    skip = {"blocks", "make"}
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in skip)


def script(name: str) -> ModuleType:
    """Figure ``name``'s script."""
    spec = importlib.util.spec_from_file_location(f"figure_{name}", HERE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no figure '{name}'; figures: {', '.join(names())}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    """Make the figures named (all by default), or check them."""
    parser = argparse.ArgumentParser(description="make the docs' figures again")
    parser.add_argument("figures", nargs="*", help=f"figures (default all: {', '.join(names())})")
    parser.add_argument("--check", action="store_true", help="list stale figures, make none")
    args = parser.parse_args(argv)
    chosen = args.figures or names()
    unknown = [n for n in chosen if n not in names()]
    if unknown:
        parser.error(f"unknown figure '{unknown[0]}'; figures: {', '.join(names())}")
    model = blocks.fingerprint()
    if args.check:
        stale = [p for n in chosen for p in blocks.problems(n, model)]
        print("\n".join(stale) or "every figure is current")
        return 1 if stale else 0
    for name in chosen:
        module = script(name)
        blocks.write(blocks.ROOT / module.DOC, name, module.block(), model)
        print(f"{name}: written to {module.DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
