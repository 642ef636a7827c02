"""The outcomes a run reports, in one registry: per-period series and one summary row.

Every outcome is an :class:`Outcome`: its name (the column name of every table ckm-sim writes
and the name docs/ODD.md uses), what it means per period and in the summary, a short label for
figures and tables, its unit, and the knowledge flow or area it belongs to. Every list of
outcomes elsewhere (the DataCollector's columns, the summary's, the dashboard's labels, panels
and tables, the run figure, the what-if figures and metrics) is derived from :data:`REGISTRY`.

Retention has two names with one meaning each: ``retention_rate`` is one period's retention (a
series: ``1 - churned / active at the start of the period``); ``mean_retention_rate`` is its
mean over the run (a summary column), and ``final_retention_rate`` its mean over the last 12.

:func:`summarise` reads a finished model through the small :class:`RunState` protocol, so this
module does not import the model (no import circle).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np

Unit = Literal["share", "count", "money", "items"]
Area = Literal["about", "from", "for", "value"]

#: What the areas are: the three knowledge flows, and what they are worth.
AREAS: dict[str, str] = {
    "about": "knowledge ABOUT customers (the firm learns)",
    "from": "knowledge FROM customers (feedback, co-creation)",
    "for": "knowledge FOR customers (the firm explains its offer)",
    "value": "what it is worth (CRM performance)",
}


@dataclass(frozen=True)
class Outcome:
    """One outcome: name, meanings (per period and in the summary), label, unit and area.

    ``series`` / ``summary`` are None when the outcome is not a per-period series / not a
    summary column. ``views`` names the figures and tables that show it (see :data:`VIEWS`);
    ``panel`` is the title of the dashboard chart it is drawn in (None: not drawn).
    """

    name: str
    label: str
    unit: Unit
    area: Area
    series: str | None = None
    summary: str | None = None
    views: frozenset[str] = field(default_factory=frozenset)
    panel: str | None = None

    @property
    def title(self) -> str:
        """The label with its knowledge flow, for figure panels (``"... (ABOUT)"``)."""
        return self.label if self.area == "value" else f"{self.label} ({self.area.upper()})"

    @property
    def words(self) -> str:
        """The label as words inside a sentence (``"Mean CLV"`` -> ``"mean CLV"``)."""
        first, _, rest = self.label.partition(" ")
        head = first if first.isupper() else first.lower()
        return f"{head} {rest}" if rest else head


#: Per-period meaning of every outcome that is a series (a DataCollector column).
_SERIES: dict[str, str] = {
    "retention_rate": "share of the period's active customers who stayed",
    "active_customers": "customers active at the end of the period",
    "acquisitions": "prospects who became customers this period",
    "churned": "customers who left this period",
    "mean_satisfaction": "mean satisfaction of active customers, in [0, 1]",
    "mean_perceived_value": "mean perceived value of active customers, in [0, 1]",
    "offer_fit": "share of segment needs the standard offer meets",
    "repository_accuracy": "share of active customers' needs the CRM profiles record correctly",
    "code_accuracy": "share of segment needs the organisational code knows correctly",
    "employee_accuracy": "share of segment needs employees know correctly, on average",
    "offer_knowledge": "share of need dimensions active customers understand (flow FOR)",
    "knowledge_from_customers": "need items shared with the firm per active customer (flow FROM)",
    # flow FOR (firm -> customer): volume and quality (docs/ODD.md 7.2)
    "for_broadcast_reach": "share of active customers the broadcast taught something",
    "for_broadcast_lessons": "dimensions taught by broadcast per active customer",
    "for_tailored_lessons": "dimensions explained in tailored messages per active customer",
    "for_tailored_precision": "share of tailored lessons on a need the customer has",
    "for_understood_fitting": "share of the fitting delivered offer that customers understand",
    # flow FROM (customer -> firm)
    "from_absorbed": "shared items an employee adopted, per active customer",
    "from_to_product": "shared items reaching product development, per active customer",
    "from_direct": "items shared through the direct channel, per active customer",
    "from_relayed": "frontline items relayed to product development, per active customer",
    # flow ABOUT (the firm learns about customers)
    "about_contacts": "service contacts per active customer",
    "about_captures": "need items recorded in CRM profiles per active customer",
    "about_wrong_captures": "share of this period's recorded items recorded wrongly",
    "about_profile_staleness": "mean age in periods of active customers' profile entries",
    # inside the firm
    "frontline_accuracy": "share of segment needs frontline employees know correctly",
    "product_accuracy": "share of segment needs product-department employees know correctly",
    "belief_diversity": "mean Gini-Simpson diversity of employees' beliefs per segment need",
    "clv": "mean customer lifetime value of every customer acquired so far",
    "customer_equity": "sum of all customers' lifetime values, in period-0 money",
    "investment_cost": "investment in CKM competence this period",
    "net_value": "customer equity minus discounted investment to date, in period-0 money",
}

#: Meaning of every summary column.
_SUMMARY: dict[str, str] = {
    "mean_retention_rate": "mean per-period retention over the run",
    "final_retention_rate": "mean per-period retention over the last 12 periods",
    "final_active_customers": "active customers at the horizon",
    "total_acquisitions": "customers acquired over the run",
    "total_churned": "customers lost over the run",
    "mean_satisfaction": "mean satisfaction of active customers at the horizon",
    "mean_perceived_value": "mean perceived value of active customers at the horizon",
    "offer_fit": "standard offer's fit to segment needs at the horizon",
    "repository_accuracy": "CRM profile accuracy at the horizon",
    "code_accuracy": "organisational code accuracy at the horizon",
    "employee_accuracy": "employees' accuracy at the horizon",
    "offer_knowledge": "customers' knowledge of the offer at the horizon",
    "knowledge_from_customers": "need items shared per active customer per period, run mean",
    "for_tailored_precision": "share of the run's tailored lessons on a need the customer has",
    "for_lessons": "lessons (broadcast + tailored) per active customer per period, run mean",
    "from_to_product": "items reaching product development per active customer-period",
    "about_wrong_captures": "share of the run's recorded items recorded wrongly",
    "about_profile_staleness": "mean age of active customers' profile entries at the horizon",
    "belief_diversity": "diversity of employees' beliefs at the horizon",
    "clv": "mean CLV of all customers acquired (with residual value)",
    "customer_equity": "customer equity in period-0 money",
    "investment_cost": "discounted investment in CKM competence over the run",
    "net_value": "customer equity minus discounted investment",
}

#: Name, label, unit and area of every outcome, in the order of the tables' columns.
_TABLE: tuple[tuple[str, str, Unit, Area], ...] = (
    ("retention_rate", "Retention rate (per period)", "share", "value"),
    ("mean_retention_rate", "Mean retention rate", "share", "value"),
    ("final_retention_rate", "Final retention rate", "share", "value"),
    ("active_customers", "Active customers", "count", "value"),
    ("final_active_customers", "Active customers at the horizon", "count", "value"),
    ("acquisitions", "New customers", "count", "value"),
    ("total_acquisitions", "New customers (total)", "count", "value"),
    ("churned", "Customers lost", "count", "value"),
    ("total_churned", "Customers lost (total)", "count", "value"),
    ("mean_satisfaction", "Satisfaction", "share", "value"),
    ("mean_perceived_value", "Perceived value", "share", "value"),
    ("offer_fit", "Offer fit to needs", "share", "from"),
    ("repository_accuracy", "CRM profiles right", "share", "about"),
    ("code_accuracy", "Shared code right", "share", "about"),
    ("employee_accuracy", "Employees right", "share", "about"),
    ("offer_knowledge", "Customers' knowledge of the offer", "share", "for"),
    ("knowledge_from_customers", "Items shared per customer", "items", "from"),
    ("for_broadcast_reach", "Reached by broadcast", "share", "for"),
    ("for_broadcast_lessons", "Broadcast lessons per customer", "items", "for"),
    ("for_tailored_lessons", "Tailored lessons per customer", "items", "for"),
    ("for_tailored_precision", "Tailored lessons on a real need", "share", "for"),
    ("for_lessons", "Lessons per customer", "items", "for"),
    ("for_understood_fitting", "Fitting offer understood", "share", "for"),
    ("from_absorbed", "Shared items adopted per customer", "items", "from"),
    ("from_to_product", "Items reaching product per customer", "items", "from"),
    ("from_direct", "Direct-channel items per customer", "items", "from"),
    ("from_relayed", "Relayed frontline items per customer", "items", "from"),
    ("about_contacts", "Contacts per customer", "items", "about"),
    ("about_captures", "Captures per customer", "items", "about"),
    ("about_wrong_captures", "Captures recorded wrongly", "share", "about"),
    # periods, shown as a rate ("items" is the registry's unit for non-count numbers)
    ("about_profile_staleness", "Age of profile entries (periods)", "items", "about"),
    # inside the firm: what the firm knows about customers (area "about")
    ("frontline_accuracy", "Front line right", "share", "about"),
    ("product_accuracy", "Product department right", "share", "about"),
    ("belief_diversity", "Diversity of employees' beliefs", "share", "about"),
    ("clv", "Mean CLV", "money", "value"),
    ("customer_equity", "Customer equity", "money", "value"),
    ("investment_cost", "CKM cost", "money", "value"),
    ("net_value", "Net value", "money", "value"),
)

#: The figures and tables that show outcomes, and which (in their order).
VIEWS: dict[str, tuple[str, ...]] = {
    # the run figure (ckm-sim run --plot, reports/plots.py)
    "run": (
        "retention_rate",
        "active_customers",
        "mean_satisfaction",
        "repository_accuracy",
        "employee_accuracy",
        "offer_knowledge",
        "knowledge_from_customers",
        "clv",
        "net_value",
    ),
    # the dashboard's table of figures, per flow
    "dashboard": (
        "retention_rate",
        "active_customers",
        "mean_satisfaction",
        "mean_perceived_value",
        "offer_fit",
        "repository_accuracy",
        "code_accuracy",
        "employee_accuracy",
        "offer_knowledge",
        "knowledge_from_customers",
        "clv",
        "customer_equity",
        "investment_cost",
        "net_value",
    ),
    # the dashboard's side-by-side table
    "compared": (
        "active_customers",
        "retention_rate",
        "mean_satisfaction",
        "offer_fit",
        "repository_accuracy",
        "employee_accuracy",
        "offer_knowledge",
        "knowledge_from_customers",
        "clv",
        "customer_equity",
        "net_value",
    ),
    # the time paths of a comparison (ckm-sim compare)
    "paths": (
        "retention_rate",
        "active_customers",
        "mean_satisfaction",
        "clv",
        "customer_equity",
        "net_value",
    ),
    # the summary outcomes a comparison tests (ckm-sim compare)
    "metric": (
        "mean_retention_rate",
        "clv",
        "customer_equity",
        "net_value",
    ),
}

#: The dashboard chart each drawn outcome is in (charts in the order of first appearance).
_PANELS: dict[str, str] = {
    "retention_rate": "Retention",
    "mean_satisfaction": "Satisfaction",
    "repository_accuracy": "Knowledge ABOUT customers",
    "employee_accuracy": "Knowledge ABOUT customers",
    "offer_knowledge": "Knowledge FOR customers",
    "knowledge_from_customers": "Knowledge FROM customers",
    "offer_fit": "Offer fit to needs",
    "clv": "CLV (mean)",
    "customer_equity": "Customer equity",
}


def _outcome(name: str, label: str, unit: Unit, area: Area) -> Outcome:
    if name not in _SERIES and name not in _SUMMARY:
        raise ValueError(f"{name}: neither a series nor a summary column")
    shown = frozenset(view for view, names in VIEWS.items() if name in names)
    meanings = _SERIES.get(name), _SUMMARY.get(name)
    return Outcome(name, label, unit, area, *meanings, shown, _PANELS.get(name))


#: Every outcome, in the order of the tables' columns.
REGISTRY: tuple[Outcome, ...] = tuple(_outcome(*row) for row in _TABLE)

#: Every outcome by name.
BY_NAME: dict[str, Outcome] = {o.name: o for o in REGISTRY}

#: Per-period outcomes (DataCollector columns) and what they measure.
OUTCOMES: dict[str, str] = {o.name: o.series for o in REGISTRY if o.series is not None}

#: Summary columns and what they hold.
SUMMARY: dict[str, str] = {o.name: o.summary for o in REGISTRY if o.summary is not None}

#: Summary columns that count customers (stored as integers).
SUMMARY_COUNTS: tuple[str, ...] = tuple(name for name in SUMMARY if BY_NAME[name].unit == "count")

#: Old names that now mean something else, with the name to use instead.
RENAMED: dict[str, str] = {"retention_rate": "mean_retention_rate"}


def in_view(view: str, among: Sequence[str] | Mapping[str, Any] | None = None) -> list[str]:
    """Names of the outcomes shown in ``view``, in registry order (optionally only ``among``)."""
    if view not in VIEWS:
        raise KeyError(f"unknown view '{view}'; views: {', '.join(VIEWS)}")
    names = list(VIEWS[view])
    return names if among is None else [n for n in names if n in among]


def labels(names: Sequence[str] | None = None, titles: bool = False) -> dict[str, str]:
    """``name -> label`` for ``names`` (default: every outcome); ``titles``: with the flow."""
    chosen = BY_NAME if names is None else {n: BY_NAME[n] for n in names}
    return {n: o.title if titles else o.label for n, o in chosen.items()}


def panels() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The dashboard's charts: title and the outcomes drawn in it."""
    out: dict[str, list[str]] = {}
    for name, title in _PANELS.items():
        out.setdefault(title, []).append(name)
    return tuple((title, tuple(names)) for title, names in out.items())


def in_area(area: Area, view: str | None = None) -> tuple[str, ...]:
    """Outcomes of one flow or area (optionally only those shown in ``view``)."""
    return tuple(o.name for o in REGISTRY if o.area == area and (view is None or view in o.views))


def unknown_outcome(name: str, allowed: Sequence[str]) -> str:
    """Why ``name`` is not allowed, with a hint when it is an old name that was renamed."""
    hint = ""
    if name in RENAMED and RENAMED[name] in allowed:
        hint = f" ('{name}' is per period; the run mean is '{RENAMED[name]}')"
    return f"unknown outcome '{name}'{hint}; allowed: {', '.join(allowed)}"


class _Named(Protocol):
    name: str


class _Counted(Protocol):
    counters: dict[str, float]


class RunState(Protocol):
    """What :func:`summarise` reads from a model that has been run (a CKMModel has it all)."""

    outcomes: dict[str, float]
    retention_history: list[float]
    steps: int
    scenario_config: _Named
    state: _Counted


#: per-period flow counts (``model.flow_counts``) that the summary adds up over the run
FLOW_COUNTS: tuple[str, ...] = (
    "for_broadcast_lessons",
    "for_tailored_lessons",
    "for_tailored_right",
    "from_to_product",
    "about_captures",
    "about_wrong_captures",
)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


def summarise(model: RunState) -> dict[str, Any]:
    """The summary row of a model that has been run (with or without collected series)."""
    out, c = model.outcomes, model.state.counters
    history = model.retention_history
    return {
        "scenario": model.scenario_config.name,
        "periods": model.steps,
        "mean_retention_rate": float(np.mean(history)) if history else np.nan,
        "final_retention_rate": float(np.mean(history[-12:])) if history else np.nan,
        "final_active_customers": out["active_customers"],
        "total_acquisitions": int(c["acquisitions"]),
        "total_churned": int(c["churned"]),
        "mean_satisfaction": out["mean_satisfaction"],
        "mean_perceived_value": out["mean_perceived_value"],
        "offer_fit": out["offer_fit"],
        "repository_accuracy": out["repository_accuracy"],
        "code_accuracy": out["code_accuracy"],
        "employee_accuracy": out["employee_accuracy"],
        "offer_knowledge": out["offer_knowledge"],
        "knowledge_from_customers": c["knowledge_items"] / max(c["customer_periods"], 1),
        "for_tailored_precision": _ratio(c["for_tailored_right"], c["for_tailored_lessons"]),
        "for_lessons": (c["for_broadcast_lessons"] + c["for_tailored_lessons"])
        / max(c["customer_periods"], 1),
        "from_to_product": c["from_to_product"] / max(c["customer_periods"], 1),
        "about_wrong_captures": _ratio(c["about_wrong_captures"], c["about_captures"]),
        "about_profile_staleness": out["about_profile_staleness"],
        "belief_diversity": out["belief_diversity"],
        "clv": out["clv"],
        "customer_equity": out["customer_equity"],
        "investment_cost": c["cost_pv0"],
        "net_value": out["net_value"],
    }
