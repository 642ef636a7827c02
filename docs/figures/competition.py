"""The README's table of the shipped scenarios with several firms (``ckm-sim run <name>``, the
scenario's seed, its horizon): regenerate after a model change with

    .venv/bin/python docs/make_competition_table.py

``tests/test_docs_figures.py`` fails while the README's table differs from :func:`table`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ckm_sim import CKMModel

README = Path(__file__).resolve().parents[1] / "README.md"
SCENARIOS = ("duopoly", "it_arms_race", "market_entry")
START, END = "<!-- competition-table -->", "<!-- /competition-table -->"
HEADER = (
    "| scenario | firm | final share | retention / month | won from prospects / rivals "
    "| lost to rivals / out | CLV | net value |\n|---|---|---|---|---|---|---|---|"
)


def thousands(x: float) -> str:
    """Money in thousands: ``742k``, ``1,246k``."""
    return f"{round(x / 1000):,}k"


def rows(name: str) -> list[str]:
    """One table row per firm of shipped scenario ``name``."""
    model = CKMModel(name).run()
    row = model.summary()
    out = []
    for i, firm in enumerate(model.firm_names):

        def get(key: str, firm: str = firm) -> float:
            return row[f"{firm}.{key}"]

        out.append(
            (f"| `{name}` |" if i == 0 else "| |") + f" {firm} | {get('final_market_share'):.3f} "
            f"| {get('mean_retention_rate'):.4f} "
            f"| {get('acquisitions_from_prospects'):,} / {get('acquisitions_from_rivals'):,} "
            f"| {get('losses_to_rivals'):,} / {get('losses_out_of_market'):,} "
            f"| {get('clv'):.0f} | {thousands(get('net_value'))} |"
        )
    return out


def table() -> str:
    """The whole table, header included."""
    return "\n".join([HEADER, *(r for name in SCENARIOS for r in rows(name))])


def in_readme(text: str) -> str:
    """The table as the README holds it between its markers."""
    match = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), text, re.S)
    if match is None:
        raise SystemExit(f"README.md has no {START} ... {END} block")
    return match.group(1)


def main() -> None:
    """Rewrite the README's table."""
    text = README.read_text(encoding="utf-8")
    old = in_readme(text)
    README.write_text(text.replace(old, table()), encoding="utf-8")
    print("README.md: competition table regenerated", file=sys.stderr)


if __name__ == "__main__":
    main()
