"""The reference run against an earlier commit's, interleaved: is the model slower than it was?

Checks out ``commit`` in a temporary git worktree, then alternates fresh processes of the two
trees (and of this tree with ``[market] burn_in = 0``), each running the reference run of
``bench_model.py`` (10,000 customers + 5,000 prospects, 200 employees, m = 30, 120 periods,
DataCollector off, seed 1) ``--repeats`` times after a small warm-up run and reporting its best
CPU time (``time.process_time``: the machines are shared). A round runs each variant once, in
turn; over ``--rounds`` rounds each variant's figure is the median of its rounds' bests and
the ratio to the commit's is the median of the rounds' ratios, so a load that moves between
rounds moves both. The worktree is removed afterwards.

    .venv/bin/python benchmarks/bench_against.py b8e51f5 [--rounds 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = {"customers": 10_000, "prospects": 5_000, "employees": 200, "need_dimensions": 30}
PERIODS = 120

#: What a timing process runs: a warm-up (kernels loaded), then the best CPU time of repeats.
TIMING = """
import json, sys, time
from ckm_sim import CKMModel
params, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
CKMModel(rng=1, collect=False, customers=200, prospects=100, employees=20).run(2)
best = float("inf")
for _ in range(repeats):
    start = time.process_time()
    model = CKMModel(rng=1, collect=False, **params)
    for _ in range(PERIODS):
        model.step()
    best = min(best, time.process_time() - start)
print(json.dumps({"seconds": best}))
""".replace("PERIODS", str(PERIODS))


@dataclass(frozen=True)
class Variant:
    """One tree's reference run, with these scenario overrides."""

    label: str
    tree: Path
    overrides: dict[str, int]


@dataclass(frozen=True)
class Timing:
    """A variant's median over the rounds of its best run, and its ratio to the commit's: the
    median over the rounds and their range."""

    variant: Variant
    seconds: float
    ratio: float
    ratio_range: tuple[float, float]

    @property
    def per_customer_step(self) -> float:
        """Microseconds per customer agent (prospects included) and counted period."""
        agents = REFERENCE["customers"] + REFERENCE["prospects"]
        return self.seconds / (agents * PERIODS) * 1e6


def best_seconds(variant: Variant, repeats: int) -> float:
    """The best CPU time of ``repeats`` reference runs in a fresh process of ``variant``."""
    params = json.dumps({**REFERENCE, **variant.overrides})
    env = {**os.environ, "PYTHONPATH": str(variant.tree)}
    out = subprocess.run(
        [sys.executable, "-c", TIMING, params, str(repeats)],
        capture_output=True,
        text=True,
        check=True,
        cwd=variant.tree,
        env=env,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


def interleave(variants: list[Variant], rounds: int, repeats: int) -> list[Timing]:
    """Each variant once per round, in turn; the first variant is the one the others are
    compared with."""
    seconds: list[list[float]] = [[] for _ in variants]
    for _ in range(rounds):
        for i, variant in enumerate(variants):
            seconds[i].append(best_seconds(variant, repeats))
    timings = []
    for variant, times in zip(variants, seconds, strict=True):
        ratios = [t / b for t, b in zip(times, seconds[0], strict=True)]
        spread = (min(ratios), max(ratios))
        timings.append(Timing(variant, statistics.median(times), statistics.median(ratios), spread))
    return timings


def against(commit: str, rounds: int, repeats: int) -> list[Timing]:
    """The commit's reference run, this tree's (default burn-in) and this tree's without
    burn-in, interleaved (the commit checked out in a temporary worktree)."""
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "reference"
        git = ["git", "-C", str(ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", str(tree), commit], check=True)
        try:
            variants = [
                Variant(f"commit {commit}", tree, {}),
                Variant("this tree", ROOT, {}),
                Variant("this tree, burn_in = 0", ROOT, {"burn_in": 0}),
            ]
            return interleave(variants, rounds, repeats)
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=True)


def table(timings: list[Timing]) -> str:
    """A Markdown table of the timings."""
    lines = [
        "| run | CPU time (median of the rounds' best) | per customer-step | against the first "
        "(median of the rounds; range) |",
        "|---|---|---|---|",
    ]
    for t in timings:
        lines.append(
            f"| {t.variant.label} | {t.seconds:.3f} s | {t.per_customer_step:.3f} us | "
            f"{t.ratio:.2f}x ({t.ratio_range[0]:.2f}-{t.ratio_range[1]:.2f}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="the earlier commit to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(table(against(args.commit, args.rounds, args.repeats)))


if __name__ == "__main__":
    main()
