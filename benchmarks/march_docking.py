"""Docking with March (1991): reproduce his Figure 1 and his turnover/turbulence findings.

Drives the real model (``CKMModel(scenario="march1991", ...)``, customer side frozen) through
:mod:`ckm_sim.experiments.march`, under both rule sets of the docking (``march.RULES``):
``paper``, March's
text, and ``program``, his program as reconstructed by Christensen (2015) and Workiewicz (2019),
the conventions of ``scenarios/march1991.toml``. Prints tables; figures go into docs/validation.md.

    .venv/bin/python benchmarks/march_docking.py                  # both rule sets, 80 reps
    .venv/bin/python benchmarks/march_docking.py --figure1-only --rules program --replications 1000

Figure 1 is printed on two scales: knowledge (share of dimensions on which the code equals
reality) and score ((matches - mismatches) / m, the scale of the reconstruction's output and of
March's figure). The reference column is the published output of Workiewicz's reconstruction of
March's program (10,000 runs per point; github.com/Mac13kW/March_1991_Original, Output/), an
independent implementation: the ``program`` columns should match it within sampling error.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ckm_sim.experiments import march

P1 = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
P2 = (0.1, 0.5, 0.9)

#: Workiewicz (2019), Output/March_1991_p1_0.1-0.9_p2_0.1-0.9_p3_0_p4_0_t_limit_100_i_10000.csv:
#: mean equilibrium score (Figure 1's scale) of 10,000 runs, rows p1 = 0.1 ... 0.9, columns P2.
RECONSTRUCTION = (
    (0.8633, 0.9543, 0.9724),
    (0.8171, 0.9088, 0.9404),
    (0.8051, 0.8691, 0.9081),
    (0.8021, 0.8371, 0.8737),
    (0.7994, 0.8106, 0.8401),
    (0.8032, 0.7867, 0.8067),
    (0.8060, 0.7679, 0.7796),
    (0.8090, 0.7540, 0.7561),
    (0.8132, 0.7421, 0.7284),
)


def cell(values: np.ndarray) -> str:
    return f"{values.mean():.3f} ± {values.std(ddof=1) / np.sqrt(len(values)):.3f}"


def figure1(rule_set: str, replications: int, seed: int) -> None:
    print(f"\nMarch (1991) Figure 1, rules '{rule_set}' {march.RULES[rule_set]}")
    print(f"equilibrium code knowledge and score, {replications} replications, mean ± s.e.")
    print("(same seed, hence the same realities and initial beliefs, at every design point)")
    head = "  p1  | " + " | ".join(f"knowledge p2={p2:<5}" for p2 in P2)
    head += " | " + " | ".join(f"score p2={p2:<9}" for p2 in P2)
    if rule_set == "program":
        head += " | reconstruction (score)"
    print(head + " | max periods")
    print("-" * len(head))
    started = time.perf_counter()
    for i, p1 in enumerate(P1):
        eqs = [march.equilibrium(p1, p2, replications, seed, rule_set=rule_set) for p2 in P2]
        for eq in eqs:
            if not eq.reached.all():
                print(f"  warning: {int((~eq.reached).sum())} replications hit the cap")
        cells = [cell(eq.knowledge) for eq in eqs] + [cell(eq.score) for eq in eqs]
        line = f"  {p1:.1f} | " + " | ".join(f"{c:<18}" for c in cells)
        if rule_set == "program":
            line += " | " + " ".join(f"{x:.3f}" for x in RECONSTRUCTION[i])
        print(line + f" | {max(int(eq.periods.max()) for eq in eqs)}")
    print(f"  {time.perf_counter() - started:.1f} s in all")


def turbulence(rule_set: str, replications: int, seed: int, periods: int = 200) -> None:
    every = 20
    print(f"\nRules '{rule_set}': turbulence p4 = 0.02, p1 = p2 = 0.5, code knowledge over time")
    print("  p3   | " + " ".join(f"t={t:<4}" for t in range(0, periods + 1, every)))
    for p3 in (0.0, 0.02, 0.1):
        k = march.knowledge_path(
            0.5, 0.5, p3, 0.02, replications, seed, periods, every, rule_set=rule_set
        )
        print(f"  {p3:<4} | " + " ".join(f"{x:.3f} " for x in k.mean(axis=0)))


def turnover(rule_set: str, replications: int, seed: int, periods: int = 200) -> None:
    print(f"\nRules '{rule_set}': turnover, no turbulence, p2 = 0.5, knowledge at t = {periods}")
    rates = (0.0, 0.02, 0.05, 0.1, 0.2)
    print("  p1  | " + " | ".join(f"p3={p3:<12}" for p3 in rates))
    for p1 in (0.1, 0.9):
        cells = []
        for p3 in rates:
            k = march.knowledge_path(
                p1, 0.5, p3, 0.0, replications, seed, periods, periods, rule_set=rule_set
            )
            cells.append(cell(k[:, -1]))
        print(f"  {p1:.1f} | " + " | ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=80, help="March used 80")
    parser.add_argument("--seed", type=int, default=1991)
    parser.add_argument("--rules", choices=[*march.RULES, "both"], default="both")
    parser.add_argument("--figure1-only", action="store_true", help="skip the open system")
    parser.add_argument("--open-only", action="store_true", help="skip Figure 1")
    args = parser.parse_args()
    rule_sets = list(march.RULES) if args.rules == "both" else [args.rules]
    for rule_set in rule_sets:
        if not args.open_only:
            figure1(rule_set, args.replications, args.seed)
        if not args.figure1_only:
            turbulence(rule_set, args.replications, args.seed)
            turnover(rule_set, args.replications, args.seed)


if __name__ == "__main__":
    main()
