"""The sweep report: ``report.md`` with seaborn figures, CSV tables, and the terminal summary.

Figures depend on the design: response curves with 95% CI bands (one-at-a-time, or a
one-factor grid), heatmaps (two-factor grid), main effects (larger grids), scatter plots (Latin
hypercube, CSV points), Sobol or Morris indices, and paired differences against the reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ckm_sim.experiments.analysis import Analysis
from ckm_sim.experiments.discovery import MIN_COVERAGE, discovery_table
from ckm_sim.experiments.sensitivity_words import (
    SOBOL_MEANING,
    SRC_MEANING,
    sobol_warnings,
    src_sentences,
)
from ckm_sim.experiments.summary_page import sweep_summary
from ckm_sim.experiments.terminal import point_labels
from ckm_sim.io import write_text
from ckm_sim.model.outcomes import conventions_note, summary_meaning
from ckm_sim.reports.html_summary import write_summary
from ckm_sim.reports.markdown import frame_table
from ckm_sim.reports.numbers import number
from ckm_sim.reports.plots import plt, save_figure, sns

FIGURES = "figures"
#: Figures of the sweep report are drawn at this resolution.
DPI = 100


def _save(fig: plt.Figure, path: Path) -> Path:
    return save_figure(fig, path, dpi=DPI)


def _grid(rows: int, cols: int, w: float = 3.4, h: float = 2.7, sharey: bool = False):
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols, h * rows), squeeze=False, sharey=sharey)
    return fig, axes


def response_curves(a: Analysis, path: Path) -> Path | None:
    """Rows: outcomes; columns: factors; mean with a 95% CI band along each factor's levels."""
    design = a.design.points
    factors = a.design.factors
    one_factor = a.exp.design.method == "full_factorial" and len(factors) == 1
    if a.exp.design.method != "one_at_a_time" and not one_factor:
        return None
    fig, axes = _grid(len(a.outcomes), len(factors))
    for i, outcome in enumerate(a.outcomes):
        stats = a.points[a.points["outcome"] == outcome].set_index("point")
        for j, factor in enumerate(factors):
            ax = axes[i, j]
            on = design if one_factor else design[design["varied"].isin([factor, ""])]
            on = on[~on["reference"] | (on["varied"] == "")].sort_values(factor)
            s = stats.reindex(on["point"])
            x = on[factor].to_numpy(dtype=np.float64)
            ax.plot(x, s["mean"], marker="o", color="C0")
            ax.fill_between(x, s["low"], s["high"], alpha=0.25, color="C0")
            ax.set_xlabel(factor if i == len(a.outcomes) - 1 else "")
            ax.set_ylabel(outcome if j == 0 else "")
            if i == 0:
                ax.set_title(factor, fontsize=9)
    fig.suptitle(f"{a.exp.name}: response curves (mean and 95% CI)")
    return _save(fig, path)


def heatmaps(a: Analysis, path: Path) -> Path | None:
    """Two-factor grid: one annotated heatmap of the mean per outcome."""
    factors = a.design.factors
    if a.exp.design.method != "full_factorial" or len(factors) != 2:
        return None
    fx, fy = factors
    fig, axes = _grid(1, len(a.outcomes), w=4.6, h=3.9)
    wide = a.wide_points()
    for ax, outcome in zip(axes[0], a.outcomes, strict=True):
        table = wide.pivot_table(index=fy, columns=fx, values=f"{outcome}_mean").sort_index(
            ascending=False
        )
        sns.heatmap(table, annot=True, fmt=".3g", cmap="viridis", ax=ax, cbar=False)
        ax.set_title(outcome)
    fig.suptitle(f"{a.exp.name}: mean over replications")
    return _save(fig, path)


def main_effects(a: Analysis, path: Path) -> Path | None:
    """Larger grids: the mean of each outcome per level of each factor (others averaged)."""
    factors = a.design.factors
    if a.exp.design.method != "full_factorial" or len(factors) < 3:
        return None
    wide = a.wide_points()
    fig, axes = _grid(len(a.outcomes), len(factors))
    for i, outcome in enumerate(a.outcomes):
        for j, factor in enumerate(factors):
            sns.pointplot(data=wide, x=factor, y=f"{outcome}_mean", ax=axes[i, j], errorbar="sd")
            axes[i, j].set_ylabel(outcome if j == 0 else "")
    fig.suptitle(f"{a.exp.name}: main effects (mean of point means, +-1 sd across points)")
    return _save(fig, path)


def scatter(a: Analysis, path: Path) -> Path | None:
    """Sampled or listed points: each point's mean against each factor."""
    if a.exp.design.method not in ("latin_hypercube", "csv", "morris", "sobol"):
        return None
    wide = a.wide_points()
    factors = [f for f in a.design.factors if pd.api.types.is_numeric_dtype(wide[f])]
    if not factors or len(wide) > 5000:
        return None
    fig, axes = _grid(len(a.outcomes), len(factors), w=3.0, h=2.5)
    for i, outcome in enumerate(a.outcomes):
        for j, factor in enumerate(factors):
            axes[i, j].scatter(wide[factor], wide[f"{outcome}_mean"], s=6, alpha=0.5)
            axes[i, j].set_xlabel(factor if i == len(a.outcomes) - 1 else "")
            axes[i, j].set_ylabel(outcome if j == 0 else "")
    fig.suptitle(f"{a.exp.name}: point means against each factor")
    return _save(fig, path)


#: Panels side by side in a sensitivity figure; more outcomes start a new row (slide-sized).
SENSITIVITY_COLUMNS = 2


def sensitivity_figure(a: Analysis, path: Path) -> Path | None:
    """Sobol S1/ST bars, or Morris mu* and sigma bars, with 95% CIs: one panel per outcome, at
    most :data:`SENSITIVITY_COLUMNS` to a row, factors named on the axis (never on the points,
    where names overlap)."""
    if a.sensitivity is None:
        return None
    outcomes = list(a.sensitivity["outcome"].unique())
    cols = min(len(outcomes), SENSITIVITY_COLUMNS)
    rows = -(-len(outcomes) // cols)
    n_factors = int(a.sensitivity["factor"].nunique())
    fig, axes = _grid(rows, cols, w=6.4, h=max(3.2, 0.45 * n_factors + 1.6))
    sobol = "S1" in a.sensitivity.columns
    first, second = (
        (("S1", "first order S1"), ("ST", "total ST"))
        if sobol
        else (
            ("mu_star", "mu* (mean absolute effect)"),
            ("sigma", "sigma (interactions, nonlinearity)"),
        )
    )
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        s = a.sensitivity[a.sensitivity["outcome"] == outcome]
        y = np.arange(len(s))
        ax.barh(y - 0.2, s[first[0]], 0.4, xerr=s[f"{first[0]}_conf"], label=first[1])
        ax.barh(y + 0.2, s[second[0]], 0.4, xerr=s.get(f"{second[0]}_conf"), label=second[1])
        ax.set_yticks(y, s["factor"], fontsize=9)
        ax.invert_yaxis()
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_title(outcome)
    for ax in axes.flat[len(outcomes) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    kind = "Sobol indices (95% CI)" if sobol else "Morris screening (95% CI of mu*)"
    fig.suptitle(f"{a.exp.name}: {kind}")
    return _save(fig, path)


def differences_figure(a: Analysis, path: Path) -> Path | None:
    """Paired differences against the reference point, with their 95% CIs."""
    d = a.differences
    if d is None or d["point"].nunique() > 60:
        return None
    full = {f: f for f in a.design.factors}
    labels = {p: text.replace("\n", ", ") for p, text in point_labels(a, full).items()}
    height = max(2.5, 0.28 * d["point"].nunique() + 1)
    fig, axes = _grid(
        1, len(a.outcomes), w=4.2 if len(a.outcomes) > 1 else 6, h=height, sharey=True
    )
    for ax, outcome in zip(axes[0], a.outcomes, strict=True):
        s = d[d["outcome"] == outcome]
        y = np.arange(len(s))
        err = np.vstack([s["difference"] - s["low"], s["high"] - s["difference"]])
        ax.errorbar(s["difference"], y, xerr=err, fmt="o", ms=3)
        ax.axvline(0, color="grey", lw=0.8)
        if ax is axes[0, 0]:
            ax.set_yticks(y, [labels[p] for p in s["point"]], fontsize=7)
            ax.invert_yaxis()
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        ax.set_title(outcome)
    fig.suptitle(f"{a.exp.name}: paired difference from the reference (95% CI)")
    return _save(fig, path)


def discovery_figure(a: Analysis, path: Path) -> Path | None:
    """Per outcome: PRIM's peeling trajectory (coverage against density, the reported box
    ringed) and the classification tree."""
    if not a.discovery:
        return None
    from sklearn.tree import plot_tree

    fig, axes = _grid(len(a.discovery), 2, w=6.0, h=4.2)
    for row, d in zip(axes, a.discovery, strict=True):
        left, right = row
        t = d.trajectory
        dots = left.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=14)
        left.scatter([d.coverage], [d.density], s=120, facecolors="none", edgecolors="red")
        left.set_xlim(0.0, 1.05)
        left.set_xlabel("coverage")
        left.set_ylabel("density")
        left.set_title(f"{d.outcome} high: PRIM trajectory", fontsize=9)
        fig.colorbar(dots, ax=left, label="factors restricted")
        plot_tree(
            d.tree,
            ax=right,
            feature_names=list(d.tree.feature_names_in_),
            class_names=["other", "high"],
            filled=True,
            impurity=False,
            proportion=True,
            fontsize=6,
        )
        right.set_title(f"{d.outcome} high: classification tree", fontsize=9)
    fig.suptitle(f"{a.exp.name}: where are the outcomes in their top 20%?")
    return _save(fig, path)


def write_tables(a: Analysis) -> list[Path]:
    """CSV files of every table, beside the report."""
    paths = [write_text(a.root / "points.csv", a.wide_points().to_csv(index=False))]
    paths.append(write_text(a.root / "adequacy.csv", a.adequacy.to_csv(index=False)))
    for name in ("differences", "simple_effects", "sensitivity", "second_order", "regression"):
        table = getattr(a, name)
        if table is not None:
            paths.append(write_text(a.root / f"{name}.csv", table.to_csv(index=False)))
    if a.discovery:
        boxes = discovery_table(a.discovery)
        paths.append(write_text(a.root / "discovery.csv", boxes.to_csv(index=False)))
        leaves = pd.concat([d.leaves.assign(outcome=d.outcome) for d in a.discovery])
        paths.append(write_text(a.root / "discovery_leaves.csv", leaves.to_csv(index=False)))
    return paths


def write_report(a: Analysis) -> Path:
    """Write figures, CSV tables and ``report.md``; return the report's path."""
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.8)
    figdir = a.root / FIGURES
    figures = {
        "Response curves": response_curves(a, figdir / "response_curves.png"),
        "Heatmaps": heatmaps(a, figdir / "heatmaps.png"),
        "Main effects": main_effects(a, figdir / "main_effects.png"),
        "Sensitivity": sensitivity_figure(a, figdir / "sensitivity.png"),
        "Paired differences": differences_figure(a, figdir / "differences.png"),
        "Point means": scatter(a, figdir / "scatter.png"),
        "Scenario discovery": discovery_figure(a, figdir / "discovery.png"),
    }
    tables = write_tables(a)
    report = write_text(a.root / "report.md", _markdown(a, figures, tables))
    write_summary(sweep_summary(a, figures, _adequacy_sentence(a)), a.root)
    return report


def _markdown(a: Analysis, figures: dict[str, Path | None], tables: list[Path]) -> str:
    m, exp = a.manifest, a.exp
    git = m.get("git") or {}
    commit = git.get("commit", "none")[:12] + (" (local changes)" if git.get("dirty") else "")
    out = [f"# Sweep: {exp.name}", ""]
    if exp.description:
        out += [exp.description, ""]
    out += [
        f"- experiment file: `{m.get('experiment_file')}` (sha256 "
        f"`{str(m.get('experiment_sha256'))[:12]}`)",
        f"- base scenario: `{exp.scenario}`, {m['base_scenario']['periods']} periods"
        + (f", fixed: {exp.fixed}" if exp.fixed else ""),
        f"- design: {exp.design.method}, {a.design.size} points x {exp.replications} "
        f"replications = {a.runs_total} runs; base seed {exp.base_seed} (replication r of every "
        "point runs on the same seed: differences are paired)",
        f"- runs: {a.runs_done} of {a.runs_total} finished, {a.runs_failed} failed",
        *[_growth_line(g) for g in m.get("growth") or []],
        f"- ckm-sim {m.get('ckm_sim_version')}, git {commit}, Python {m.get('python')}",
        f"- started {m.get('started')}, ended {m.get('ended') or '(not finished)'}",
        "- "
        + conventions_note(
            exp.factors["horizon_value"].levels or ["horizon", "residual"]
            if "horizon_value" in exp.factors
            else [m["base_scenario"]["economics"].get("horizon_value", "horizon")]
        ),
        "",
    ]
    for note in a.notes:
        out += [f"> note: {note}", ""]
    if a.errors:
        out += ["## Failed runs", "", *[f"- `{e}`" for e in a.errors], ""]
    out += ["## Mean and 95% confidence interval per design point", ""]
    wide = a.wide_points()
    shown = wide[["point", *a.design.factors, "n"]].copy()
    for outcome in a.outcomes:
        shown[outcome] = [
            f"{number(mu)} [{number(lo)}, {number(hi)}]"
            for mu, lo, hi in zip(
                wide[f"{outcome}_mean"],
                wide[f"{outcome}_low"],
                wide[f"{outcome}_high"],
                strict=True,
            )
        ]
    out += [frame_table(shown), ""]
    out += ["Outcomes: " + "; ".join(f"**{o}**: {summary_meaning(o)}" for o in a.outcomes), ""]
    for title, path in figures.items():
        if path is not None:
            out += [f"## {title}", "", f"![{title}]({FIGURES}/{path.name})", ""]
            if title == "Scenario discovery" and a.discovery:
                out += [_discovery_text(a), "", frame_table(discovery_table(a.discovery)), ""]
            if title == "Sensitivity" and a.sensitivity is not None:
                if "S1" in a.sensitivity.columns:
                    out += [SOBOL_MEANING, ""]
                    warned = sobol_warnings(a.sensitivity)
                    out += [f"> caution: {line}" for line in warned] + ([""] if warned else [])
                out += [frame_table(a.sensitivity, 100), ""]
                if a.second_order is not None:
                    out += ["Second-order Sobol indices:", "", frame_table(a.second_order), ""]
    if a.regression is not None:
        out += ["## Standardized regression coefficients", "", SRC_MEANING, ""]
        out += [f"- {line}" for line in src_sentences(a.regression)] + [""]
        out += [frame_table(a.regression, 200), ""]
    if a.simple_effects is not None and len(a.simple_effects):
        f2 = a.design.factors[1]
        out += [
            "## Interaction: simple effects",
            "",
            f"Effect of moving {a.simple_effects['effect_of'].iloc[0]} at each level of {f2} "
            "(paired over replications, 95% CI):",
            "",
            frame_table(a.simple_effects),
            "",
        ]
    if a.differences is not None:
        point = a.design.reference or 0
        ref = (
            f"point {point} ("
            + ", ".join(f"{k} = {number(v)}" for k, v in a.design.params(point).items())
            + ")"
        )
        out += [
            "## Paired differences from the reference point",
            "",
            f"Reference: {ref}. `half_width` is the paired CI half-width; "
            "`unpaired_half_width` what it would be without common random numbers.",
            "",
            frame_table(a.differences),
            "",
        ]
    out += ["## Are the replications enough?", "", _adequacy_sentence(a), ""]
    out += [frame_table(a.adequacy), ""]
    out += ["## Files", ""]
    out += [f"- `{p.name}`" for p in tables]
    out += ["- `runs/` (Parquet, one row per run), `design.parquet`, `manifest.json`"]
    if (a.root / "timeseries").exists():
        out += [f"- `timeseries/` (Parquet, every {a.exp.outcomes.interval} period(s) per run)"]
    out += [""]
    return "\n".join(out)


def _growth_line(event: dict) -> str:
    """One growth of the sweep (``sweep --resume --replications/--samples``), in a bullet."""
    reps, points = event.get("replications", ["?", "?"]), event.get("points", ["?", "?"])
    return (
        f"- grown {event.get('at', '')}: {points[0]} -> {points[1]} points, "
        f"{reps[0]} -> {reps[1]} replications (the stored runs kept)"
    )


def _discovery_text(a: Analysis) -> str:
    return (
        "Points of interest: a point mean in the outcome's top 20%. The PRIM box (EMA "
        "Workbench) is the densest box on the peeling trajectory with coverage >= "
        f"{MIN_COVERAGE:.0%}: *coverage* is the share of all points of interest inside it, "
        "*density* the share of points inside it that are of interest, *mass* the share of all "
        "points inside it. The tree (scikit-learn CART, depth 3) gives the leaf with the "
        "highest share of points of interest. All leaves: `discovery_leaves.csv`."
    )


def _adequacy_sentence(a: Analysis) -> str:
    target = f"{a.exp.outcomes.precision:.0%}"
    if a.exp.replications < 2:
        return (
            "Not known: with one replication per point there is no confidence interval; run at "
            "least 2 replications (set `replications` in the experiment file) to judge them."
        )
    bad = a.adequacy[~a.adequacy["adequate"]]
    if bad.empty:
        return f"Yes: every point's 95% CI half-width is within {target} of its mean."
    parts = []
    for _, row in bad.iterrows():
        worst, need = row["max_rel_half_width"], row["replications_needed"]
        said = [f"worst {number(worst)} of the mean"] if np.isfinite(worst) else ["no CI"]
        if np.isfinite(need):
            said.append(f"about {int(need)} replications would reach it")
        parts.append(f"{row['outcome']} ({'; '.join(said)})")
    return (
        f"Not for every outcome at a {target} target: " + "; ".join(parts) + ". Paired "
        "differences may still be precise enough: see their half-widths."
    )
