"""Figure ``competition``: the README's table of the shipped scenarios with several firms
(``ckm-sim run <name>``: the scenario's seed and horizon), one row per firm."""

from __future__ import annotations

from ckm_sim import CKMModel

DOC = "README.md"
SCENARIOS = ("duopoly", "it_arms_race", "market_entry")
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


def block() -> str:
    """The whole table, header included."""
    return "\n".join([HEADER, *(r for name in SCENARIOS for r in rows(name))])
