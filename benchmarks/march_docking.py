"""Docking with March (1991): reproduce his Figure 1 and his turnover/turbulence findings.

Drives the real model (``CKMModel(scenario="march1991", ...)``, customer side frozen) through
:mod:`ckm_sim.march` and prints tables. Figures go into docs/validation.md.

    .venv/bin/python benchmarks/march_docking.py                 # Figure 1 + open system, 80 reps
    .venv/bin/python benchmarks/march_docking.py --figure1-only --replications 1000
    .venv/bin/python benchmarks/march_docking.py --original  # + reconstructed original program

``--original`` adds, for comparison only, a vectorised re-implementation of the reconstruction of
March's unpublished program by Christensen (2015) and Workiewicz (2019; github.com/Mac13kW/
March_1991_Original): individuals act (a coin flip where they have no view), the superior group is
judged by the score of those actions, socialisation is gradual (-code -> 0 -> code), and k is the
superior group's absolute vote margin. It is not our model; it shows how far the published rules
(which our model follows) are from the program that drew the published figure.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ckm_sim import march

P1 = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
P2 = (0.1, 0.5, 0.9)


def original_program(
    p1: float, p2: float, replications: int, seed: int, m: int = 30, n: int = 50, cap: int = 5000
) -> np.ndarray:
    """Equilibrium code knowledge under the reconstruction of March's original program."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(np.array([-1, 1]), size=(replications, m))
    code = np.zeros((replications, m), dtype=np.int64)
    beliefs = rng.integers(-1, 2, size=(n, replications, m))
    for _ in range(cap):
        action = np.where(beliefs != 0, beliefs, rng.choice(np.array([-1, 1]), size=beliefs.shape))
        superior = ((action * truth).sum(-1) > (code * truth).sum(-1))[:, :, None]
        step = (rng.random(beliefs.shape) < p1) & (code != 0) & (beliefs != code)
        beliefs = np.where(step, np.where(beliefs == 0, code, 0), beliefs)
        vote = (superior * action).sum(0)
        majority = np.sign(vote)
        change = (majority != 0) & (majority != code)
        change &= rng.random(code.shape) > (1 - p2) ** np.abs(vote)
        code = np.where(change, majority, code)
        best_case = (beliefs * truth).sum(-1) + (beliefs == 0).sum(-1)
        code_can_learn = (best_case > (code * truth).sum(-1)).any(0)
        beliefs_can_learn = (beliefs != code).any(axis=(0, 2))
        if not (code_can_learn | beliefs_can_learn).any():
            break
    return (code == truth).mean(-1)


def figure1(replications: int, seed: int, original: bool) -> None:
    print(f"\nMarch (1991) Figure 1: equilibrium code knowledge, {replications} replications")
    print("(mean ± standard error; same seed, hence same realities and initial beliefs, per row)")
    head = "  p1 " + "".join(f" | p2={p2:<11}" for p2 in P2)
    if original:
        head += "".join(f" | orig p2={p2:<6}" for p2 in P2)
    print(head + " | max periods")
    print("-" * len(head))
    started = time.perf_counter()
    for p1 in P1:
        cells, longest = [], 0
        for p2 in P2:
            eq = march.equilibrium(p1, p2, replications=replications, seed=seed)
            if not eq.reached.all():
                print(f"  warning: {int((~eq.reached).sum())} replications hit the cap")
            cells.append(f"{eq.mean:.3f} ± {eq.se:.3f}")
            longest = max(longest, int(eq.periods.max()))
        if original:
            for p2 in P2:
                k = original_program(p1, p2, replications, seed)
                cells.append(f"{k.mean():.3f} ± {k.std(ddof=1) / np.sqrt(len(k)):.3f}")
        print(f"  {p1:.1f} | " + " | ".join(f"{c:<14}" for c in cells) + f" | {longest}")
    elapsed = time.perf_counter() - started
    print(f"  {elapsed:.1f} s in all")


def turbulence(replications: int, seed: int, periods: int = 200, every: int = 20) -> None:
    print(f"\nTurbulence p4 = 0.02, p1 = p2 = 0.5: code knowledge over time ({replications} reps)")
    print("  p3   | " + " ".join(f"t={t:<4}" for t in range(0, periods + 1, every)))
    for p3 in (0.0, 0.02, 0.1):
        k = march.knowledge_path(0.5, 0.5, p3, 0.02, replications, seed, periods, every)
        print(f"  {p3:<4} | " + " ".join(f"{x:.3f} " for x in k.mean(axis=0)))


def turnover(replications: int, seed: int, periods: int = 200) -> None:
    print(f"\nTurnover, no turbulence, p2 = 0.5: knowledge at t = {periods} ({replications} reps)")
    rates = (0.0, 0.02, 0.05, 0.1, 0.2)
    print("  p1  | " + " | ".join(f"p3={p3:<12}" for p3 in rates))
    for p1 in (0.1, 0.9):
        cells = []
        for p3 in rates:
            k = march.knowledge_path(p1, 0.5, p3, 0.0, replications, seed, periods, periods)[:, -1]
            cells.append(f"{k.mean():.3f} ± {k.std(ddof=1) / np.sqrt(len(k)):.3f}")
        print(f"  {p1:.1f} | " + " | ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=80, help="March used 80")
    parser.add_argument("--seed", type=int, default=1991)
    parser.add_argument("--figure1-only", action="store_true", help="skip the open system")
    parser.add_argument("--original", action="store_true", help="add the original-program columns")
    args = parser.parse_args()
    figure1(args.replications, args.seed, args.original)
    if not args.figure1_only:
        turbulence(args.replications, args.seed)
        turnover(args.replications, args.seed)


if __name__ == "__main__":
    main()
