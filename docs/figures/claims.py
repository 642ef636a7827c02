"""Figure ``claims``: docs/validation.md 13, which findings are the model's and which are its
assumptions'. Each claim (the paper's propositions as docs/ODD.md states them and
tests/test_statistics.py tests them, and the ranking of the five dimensions at the baseline) is
tested in plausible worlds drawn from experiments/assumptions.toml, widened to more lever
equations: the share of worlds in which it holds (Latin hypercube, Wilson CI;
:mod:`ckm_sim.whatif.robust.claims`) and the assumptions its margin hinges on (Morris
elementary effects; :mod:`ckm_sim.whatif.robust.hinges`).

The runs go through ``robust``'s study runner (:func:`ckm_sim.whatif.robust.runs.run_study`:
the sweep runner, one sweep per alternative, replication r on the same seed in every world and
alternative). The firm and horizon are tests/test_statistics.py's (1,500 customers, 30
employees, 60 months) so the figure runs in about ten minutes on 2 cores: 9 alternatives x
(80 + 112 worlds) x 1 replication, and the default world x 4 replications.
"""

from __future__ import annotations

import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import DIMENSIONS, load_scenario
from ckm_sim.whatif.robust.assumptions import MULTIPLIERS, Assumptions, Range, load_assumptions
from ckm_sim.whatif.robust.claims import Claim, margins, shares
from ckm_sim.whatif.robust.hinges import LEVELS, hinges, morris_worlds
from ckm_sim.whatif.robust.runs import Alternative, run_study
from ckm_sim.whatif.robust.scores import wilson, winners, world_means
from ckm_sim.whatif.robust.worlds import WORLD, InWorld, sample_worlds

DOC = "docs/validation.md"
#: tests/test_statistics.py's firm, market and horizon: 30 employees, so the competence costs
#: 30/50 of the baseline's 2,000 per dimension, and 1,500 customers.
SMALL = {"customers": 1500, "prospects": 750, "employees": 30} | {
    f"cost_{d}": 2000.0 * 30 / 50 for d in DIMENSIONS
}
PERIODS = 60
BASE_SEED = 20240601  # tests/test_statistics.py's
SCENARIOS = ("baseline", "customer_centric", "siloed_firm", "it_only")
#: Each dimension raised alone from the baseline's 0.5 to this (the same cost for every one).
RAISED = 0.8
SHORT = {"inter_functional_cooperation": "IFC", "organisational_systems": "OS",
         "customer_cooperation": "CC", "it_systems": "IT", "learning_culture": "LC"}  # fmt: skip
#: Levers beyond the assumptions file's five that carry at least a fifth of some dimension's
#: CLV effect (docs/validation.md 9), at the file's range for lever strengths.
MORE_LEVERS = ("absorption", "offer_communication", "relay_to_product")
STRENGTH = Range(low=0.5, high=1.5)
LATIN_WORLDS = 80
TRAJECTORIES = 8
DEFAULT_REPLICATIONS = 4
WORKERS = 2


def raised(d: str) -> str:
    """The alternative that raises dimension ``d`` alone."""
    return f"raise_{SHORT[d]}"


def study_assumptions() -> Assumptions:
    """The shipped assumptions without the build-up multipliers (no alternative here builds
    competence over time, so they change nothing) and with :data:`MORE_LEVERS`."""
    shipped = load_assumptions()
    kept = {
        k: r
        for k, r in shipped.parameters.items()
        if not k.startswith(("lag_multiplier", "depreciation_multiplier"))
    }
    kept |= {f"strength_{lever}": STRENGTH for lever in MORE_LEVERS}
    return Assumptions(description=shipped.description, seed=shipped.seed, parameters=kept)


def alternatives() -> list[Alternative]:
    """The four shipped firms and the baseline with each dimension raised, on the small firm."""
    alts = [
        Alternative(name, load_scenario(name).with_overrides(**SMALL), InWorld())
        for name in SCENARIOS
    ]
    base = load_scenario("baseline").with_overrides(**SMALL)
    for d in DIMENSIONS:
        name = raised(d)
        alts.append(Alternative(name, base.with_overrides(name=name, **{d: RAISED}), InWorld()))
    return alts


def propositions() -> list[Claim]:
    """docs/ODD.md's patterns 1-3 (tests/test_statistics.py)."""
    claims = []
    for outcome, word in (("clv", "CLV"), ("mean_retention_rate", "retention")):
        claims += [
            Claim(f"customer_centric > baseline in {word}", "customer_centric", ("baseline",),
                  outcome),
            Claim(f"baseline > siloed_firm in {word}", "baseline", ("siloed_firm",), outcome),
        ]  # fmt: skip
    claims += [
        Claim("it_only < baseline in net value", "baseline", ("it_only",), "net_value"),
        Claim(
            "it_only < customer_centric in net value", "customer_centric", ("it_only",),
            "net_value",
        ),
    ]  # fmt: skip
    claims += [
        Claim(f"raising {SHORT[d]} raises CLV", raised(d), ("baseline",), "clv") for d in DIMENSIONS
    ]
    return claims


def top_claims(default: pd.DataFrame) -> list[Claim]:
    """ "Raising X gains most", X the dimension with the largest mean gain in the default world,
    on CLV and on net value."""
    names = [raised(d) for d in DIMENSIONS]
    out = []
    for outcome, word in (("clv", "CLV"), ("net_value", "net value")):
        values = world_means(default, names, outcome)
        top = str(values.mean().idxmax())
        others = tuple(n for n in names if n != top)
        out.append(Claim(f"raising {top[6:]} gains most {word}", top, others, outcome))
    return out


def default_world(assumptions: Assumptions) -> pd.DataFrame:
    """The world of the defaults: every multiplier 1, every other parameter the baseline's."""
    flat = load_scenario("baseline").with_overrides(**SMALL).flat()
    row = {WORLD: 0} | {
        k: (1.0 if k in MULTIPLIERS else flat[k]) for k in assumptions.names
    }  # fmt: skip
    return pd.DataFrame([row])


def run_all(root: Path) -> dict:
    """Every run: the default world (replications), then the Latin hypercube and the Morris
    trajectories as one table of worlds (one replication)."""
    assumptions = study_assumptions()
    alts = alternatives()
    for alt in alts:
        assumptions.check_against(alt.base)
    latin = sample_worlds(assumptions, LATIN_WORLDS)
    unit, morris = morris_worlds(assumptions, TRAJECTORIES)
    morris = morris.assign(**{WORLD: morris[WORLD] + LATIN_WORLDS})
    worlds = pd.concat([latin, morris], ignore_index=True)
    start = time.perf_counter()
    plan = RunPlan(DEFAULT_REPLICATIONS, BASE_SEED, PERIODS, WORKERS)
    default = run_study(
        root / "default", alts, assumptions, default_world(assumptions), plan, progress=False
    )
    plan = RunPlan(1, BASE_SEED, PERIODS, WORKERS)
    sampled = run_study(root / "worlds", alts, assumptions, worlds, plan, progress=False)
    seconds = time.perf_counter() - start
    failed = default.failed + sampled.failed
    if failed:
        raise SystemExit(f"{failed} runs failed")
    return {
        "assumptions": assumptions,
        "alternatives": [a.name for a in alts],
        "default": default.runs.assign(**{WORLD: default.runs["replication"]}),
        "runs": sampled.runs,
        "unit": unit,
        "seconds": seconds,
        "count": len(default.runs) + len(sampled.runs),
    }


def fill(text: str) -> str:
    return textwrap.fill(text, 100, break_on_hyphens=False, break_long_words=False)


def number(x: float, outcome: str) -> str:
    """A margin of ``outcome``: net value in whole units, CLV to one decimal, retention to 4."""
    if outcome == "net_value":
        return f"{x:+,.0f}"
    if outcome == "clv":
        return f"{x:+,.1f}"
    return f"{x:+.4f}"


def at_default(table: pd.DataFrame) -> dict[str, tuple[float, float, float, float]]:
    """Per claim: the mean margin over the default world's replications, its 95% t interval,
    and the standard deviation of one replication's margin (seed noise)."""
    out = {}
    for claim in table.columns:
        m = table[claim].to_numpy(dtype=np.float64)
        n = len(m)
        sd = float(m.std(ddof=1))
        half = float(stats.t.ppf(0.975, n - 1)) * sd / np.sqrt(n)
        out[claim] = (float(m.mean()), float(m.mean() - half), float(m.mean() + half), sd)
    return out


def noise_floor(sd: float) -> float:
    """The most seed noise alone adds to |elementary effect| of one replication, roughly: two
    independent runs' difference (sqrt 2 sd) over the step (2/3 of the range). Common seeds make
    it smaller, so a mu* above it is the parameter's, one below it may be noise."""
    step = LEVELS / (2 * (LEVELS - 1))
    return float(np.sqrt(2.0) * sd / step)


def hinge_words(table: pd.DataFrame, claim: str, floor: float, top: int = 3) -> str:
    """The parameters the claim's margin hinges on most, with their share of mu* and which
    way a higher value pushes the margin; those above the noise floor only."""
    rows = table[(table["claim"] == claim) & (table["mu_star"] > floor)].head(top)
    if rows.empty:
        return "nothing beyond seed noise"
    words = []
    for r in rows.itertuples():
        way = "stronger" if r.mu > 0 else "weaker"
        words.append(f"{r.parameter.removeprefix('strength_')} {r.share:.0%} ({way})")
    return "; ".join(words)


def claims_table(
    claims: list[Claim], shares_: pd.DataFrame, default: dict, table: pd.DataFrame
) -> str:
    lines = [
        "| claim | at the defaults: margin (95% CI) | holds in worlds (95% CI) | hinges on: "
        "share of mu* (a higher value makes the claim ...) |",
        "|---|---|---|---|",
    ]
    by = shares_.set_index("claim")
    for claim in claims:
        mean, low, high, sd = default[claim.name]
        row, o = by.loc[claim.name], claim.outcome
        lines.append(
            f"| {claim.name} | {number(mean, o)} ({number(low, o)} to {number(high, o)}) | "
            f"{int(row['holds'])}/{int(row['worlds'])} ({row['share']:.0%}; {row['low']:.0%} to "
            f"{row['high']:.0%}) | {hinge_words(table, claim.name, noise_floor(sd))} |"
        )
    return "\n".join(lines)


def mu_table(claims: list[Claim], table: pd.DataFrame, names: list[str]) -> str:
    """mu* of every parameter for every claim, as a share of the claim's total."""
    short = [n.removeprefix("strength_") for n in names]
    lines = ["| claim | " + " | ".join(short) + " |", "|---" * (len(names) + 1) + "|"]
    for claim in claims:
        rows = table[table["claim"] == claim.name].set_index("parameter")
        cells = [f"{rows.loc[n, 'share']:.0%}" for n in names]
        lines.append(f"| {claim.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def top_table(runs: pd.DataFrame) -> str:
    """Per outcome, the share of worlds in which each dimension's gain is the largest."""
    names = [raised(d) for d in DIMENSIONS]
    lines = [
        "| outcome | " + " | ".join(SHORT.values()) + " |",
        "|---" * (len(DIMENSIONS) + 1) + "|",
    ]
    for outcome, word in (("clv", "CLV"), ("net_value", "net value")):
        best = winners(world_means(runs, names, outcome))
        n = len(best)
        cells = []
        for name in names:
            k = int((best == name).sum())
            low, high = wilson(k, n)
            cells.append(f"{k / n:.0%} ({low:.0%} to {high:.0%})")
        lines.append(f"| {word} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def listing(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reading(
    claims: list[Claim], shares_: pd.DataFrame, default: dict, table: pd.DataFrame, runs
) -> str:
    """The counts the prose reads: which claims hold in at least 95% of the worlds, which in
    fewer, which the defaults' replications cannot tell from 0, the parameters most often
    first, and how often the two leading dimensions share the top."""
    by = shares_.set_index("claim")
    solid = [c.name for c in claims if by.loc[c.name, "share"] >= 0.95]
    weak = [
        f"{c.name} ({int(by.loc[c.name, 'holds'])}/{int(by.loc[c.name, 'worlds'])})"
        for c in claims
        if by.loc[c.name, "share"] < 0.95
    ]
    unsure = [c.name for c in claims if default[c.name][1] <= 0 <= default[c.name][2]]
    firsts = table.groupby("claim", sort=False).head(1)["parameter"].value_counts()
    first = ", ".join(f"{p.removeprefix('strength_')} for {k}" for p, k in firsts.items())
    names = [raised(d) for d in DIMENSIONS]
    best = winners(world_means(runs, names, "clv"))
    two = best.value_counts().index[:2].tolist()
    both = int(best.isin(two).sum())
    parts = [
        f"Hold in at least 95% of the worlds: {listing(solid) if solid else 'none'}.",
        f"Hold in fewer: {listing(weak) if weak else 'none'}.",
        "At the defaults, the 4 replications cannot tell the margin from 0 (its 95% CI holds "
        f"0): {listing(unsure) if unsure else 'none'}.",
        f"The parameter with the largest mu*, by claims: {first} of {len(claims)}.",
        "The largest CLV gain is from raising "
        f"{' or '.join(n.removeprefix('raise_') for n in two)} in {both} of {len(best)} worlds.",
    ]
    return " ".join(parts)


def block() -> str:
    """The settings, the claims' shares and hinges, the dimensions' top shares, and mu*."""
    with tempfile.TemporaryDirectory() as folder:
        done = run_all(Path(folder))
    assumptions: Assumptions = done["assumptions"]
    names = assumptions.names
    claims = [*propositions(), *top_claims(done["default"])]
    default = at_default(margins(done["default"], claims))
    everywhere = margins(done["runs"], claims)
    latin = everywhere[everywhere.index < LATIN_WORLDS]
    morris = everywhere[everywhere.index >= LATIN_WORLDS].sort_index()
    table = hinges(done["unit"], morris, names)
    shares_ = shares(latin)
    latin_runs = done["runs"][done["runs"][WORLD] < LATIN_WORLDS]
    ranges = ", ".join(
        f"{n.removeprefix('strength_')} {r.low:g}-{r.high:g}{' (log)' if r.log else ''}"
        for n, r in assumptions.parameters.items()
    )
    minutes = done["seconds"] / 60
    head = (
        f"`python docs/figures/make.py claims`: tests/test_statistics.py's firm (1,500 customers, "
        f"750 prospects, 30 employees, each dimension's level 1 costing "
        f"{SMALL['cost_it_systems']:,.0f} a month), {PERIODS} months, base seed {BASE_SEED}. "
        f"{len(names)} uncertain parameters: {ranges} (lever strengths by their lever's name). "
        f"{LATIN_WORLDS} Latin-hypercube worlds (the shares) and {TRAJECTORIES} Morris "
        f"trajectories of {len(names) + 1} worlds ({LEVELS} levels; the hinges), 1 replication "
        f"each, and the default world with {DEFAULT_REPLICATIONS} replications; "
        f"{len(done['alternatives'])} alternatives ({', '.join(done['alternatives'])}) on common "
        f"seeds: {done['count']:,} runs in {minutes:.1f} minutes on {WORKERS} workers."
    )
    return "\n".join(
        [
            fill(head),
            "",
            claims_table(claims, shares_, default, table),
            "",
            fill(
                "Which dimension's rise (0.5 -> 0.8, the same cost for each) gains most, share "
                f"of the {len(latin)} worlds (95% CI):"
            ),
            "",
            top_table(latin_runs),
            "",
            fill(
                "Morris mu* of each claim's margin, as a share of the claim's total over the "
                "parameters:"
            ),
            "",
            mu_table(claims, table, names),
            "",
            fill(reading(claims, shares_, default, table, latin_runs)),
        ]
    )


if __name__ == "__main__":
    print(block())
