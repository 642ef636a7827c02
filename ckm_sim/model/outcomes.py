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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ckm_sim.model.scenario import DIMENSIONS

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


#: Years of acquisitions with a summary column of their own (``clv_year_1`` ..); every year is in
#: ``CKMModel.cohort_clv()``.
COHORT_YEARS = 10

#: Per-period meaning of every outcome that is a series (a DataCollector column).
_SERIES: dict[str, str] = {
    "retention_rate": "share of the period's active customers who stayed",
    "active_customers": "customers active at the end of the period",
    "prospects": "prospects in the market at the end of the period (arrivals, returns included)",
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
    "net_value": "customer equity minus every discounted cost to date, in period-0 money",
}

#: Meaning of every summary column.
_SUMMARY: dict[str, str] = {
    "mean_retention_rate": "mean per-period retention over the run",
    "final_retention_rate": "mean per-period retention over the last 12 periods",
    "final_active_customers": "active customers at the horizon",
    "total_acquisitions": "customers acquired over the run",
    "total_churned": "customers lost over the run",
    "total_arrivals": "new prospects who arrived in the market over the run",
    "total_returns": "lapsed customers who returned to the prospect pool (win-back)",
    "total_reacquisitions": "acquisitions of customers who had been customers before",
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
    "clv": "mean CLV of all customers acquired, under the run's horizon convention",
    "clv_initial": "mean CLV of the initial base: the standard cohort, the same in every scenario",
    "clv_acquired": "mean CLV of the customers first acquired during the run",
    **{
        f"clv_year_{y}": f"mean CLV of the customers first acquired in year {y}"
        for y in range(1, COHORT_YEARS + 1)
    },
    "clv_p10": "10th percentile of the CLV of all customers acquired",
    "clv_p50": "median CLV of all customers acquired",
    "clv_p90": "90th percentile of the CLV of all customers acquired",
    "value_share_top20": "share of customer equity from the top 20% of customers acquired",
    "customer_equity": "customer equity in period-0 money",
    "investment_cost": "discounted investment in CKM competence, periods 1..T",
    "sustaining_cost": "discounted cost of sustaining the competence beyond T (residual only)",
    "acquisition_spend": "discounted cost of acquisitions (acquisition_cost each)",
    "serving_cost": "discounted cost of contacts (contact_cost each; beyond T if residual)",
    "net_value": "customer equity minus every discounted cost",
    "residual_value_counted": "horizon convention: 1 residual (value and cost beyond T), 0 horizon",
}

#: Name, label, unit and area of every outcome, in the order of the tables' columns.
_TABLE: tuple[tuple[str, str, Unit, Area], ...] = (
    ("retention_rate", "Retention rate (per period)", "share", "value"),
    ("mean_retention_rate", "Mean retention rate", "share", "value"),
    ("final_retention_rate", "Final retention rate", "share", "value"),
    ("active_customers", "Active customers", "count", "value"),
    ("prospects", "Prospects", "count", "value"),
    ("final_active_customers", "Active customers at the horizon", "count", "value"),
    ("acquisitions", "New customers", "count", "value"),
    ("total_acquisitions", "New customers (total)", "count", "value"),
    ("churned", "Customers lost", "count", "value"),
    ("total_churned", "Customers lost (total)", "count", "value"),
    ("total_arrivals", "Prospects arrived (total)", "count", "value"),
    ("total_returns", "Lapsed customers returned (total)", "count", "value"),
    ("total_reacquisitions", "Customers won back (total)", "count", "value"),
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
    ("clv_initial", "Mean CLV of the initial base", "money", "value"),
    ("clv_acquired", "Mean CLV of acquired customers", "money", "value"),
    *(
        (f"clv_year_{y}", f"Mean CLV of year {y}'s acquisitions", "money", "value")
        for y in range(1, COHORT_YEARS + 1)
    ),
    ("clv_p10", "CLV, 10th percentile", "money", "value"),
    ("clv_p50", "CLV, median", "money", "value"),
    ("clv_p90", "CLV, 90th percentile", "money", "value"),
    ("value_share_top20", "Equity share of the top 20%", "share", "value"),
    ("customer_equity", "Customer equity", "money", "value"),
    ("investment_cost", "CKM cost", "money", "value"),
    ("sustaining_cost", "CKM cost beyond the horizon", "money", "value"),
    ("acquisition_spend", "Acquisition cost", "money", "value"),
    ("serving_cost", "Serving cost", "money", "value"),
    ("net_value", "Net value", "money", "value"),
    ("residual_value_counted", "Residual value counted", "share", "value"),
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

#: The measure of every outcome a modeller registered (:func:`register`): name -> a function of
#: the model at the end of a period (docs/extending.md).
MEASURES: dict[str, Callable[[Any], float]] = {}


def register(outcome: Outcome, measure: Callable[[Any], float]) -> None:
    """Add ``outcome``, measured by ``measure(model)`` at the end of each period (a series,
    when ``outcome.series`` says what it means) and of the run (a summary column, when
    ``outcome.summary`` does): it then appears in the time series, :func:`summarise`, a
    sweep's results and its report. Registering a name again replaces it; a built-in name is
    refused."""
    if outcome.name in BY_NAME and outcome.name not in MEASURES:
        raise ValueError(f"outcome '{outcome.name}' is built in; choose another name")
    if outcome.series is None and outcome.summary is None:
        raise ValueError(f"outcome '{outcome.name}': give a series or a summary meaning")
    BY_NAME[outcome.name] = outcome
    for table, meaning in ((OUTCOMES, outcome.series), (SUMMARY, outcome.summary)):
        table.pop(outcome.name, None)
        if meaning is not None:
            table[outcome.name] = meaning
    MEASURES[outcome.name] = measure


def measured(table: Mapping[str, str], model: Any) -> dict[str, float]:
    """The registered outcomes of ``table`` (``OUTCOMES`` or ``SUMMARY``), measured now."""
    return {name: float(f(model)) for name, f in MEASURES.items() if name in table}


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


def horizon_note(horizon_value: str) -> str:
    """One line for report headers: which horizon convention valued the runs."""
    if horizon_value == "residual":
        return (
            "Net value convention: residual (customers active at the horizon add their expected "
            "later margins, net of the cost of serving them and of sustaining the competence)."
        )
    return (
        "Net value convention: horizon (margins and costs of periods 1..T only; no residual value)."
    )


def conventions_note(conventions: Iterable[str]) -> str:
    """The report line for runs valued under ``conventions`` (one per run or scenario)."""
    kinds = set(conventions)
    if len(kinds) == 1:
        return horizon_note(kinds.pop())
    return (
        "Net value convention: differs between runs (summary column residual_value_counted: "
        "1 residual, 0 horizon)."
    )


#: per-period flow counts (the stages' tallies, ``period.counts()``) the summary adds up
FLOW_COUNTS: tuple[str, ...] = (
    "for_broadcast_lessons",
    "for_tailored_lessons",
    "for_tailored_right",
    "from_to_product",
    "about_captures",
    "about_wrong_captures",
)


#: Per-firm running totals (``model.firm_counters[name][f]``), each over the run so far.
FIRM_COUNTERS: tuple[str, ...] = (
    "from_prospects",  # prospects the firm won
    "from_rivals",  # rivals' customers the firm won
    "to_rivals",  # its customers who switched to a rival
    "out_of_market",  # its customers who left the market
    "equity_pv0",  # margins its customers paid it, in period-0 money
    "won",  # customers it has won (initial customers included), each counted once
    "clv_sum",  # margins each paid it, discounted to when it first won them, summed
    "customer_periods",  # its active customers at the start of each period, summed
    "contacts",
    "cost_pv0",
    "contact_pv0",
    "acquisition_pv0",
    "knowledge_items",
    *FLOW_COUNTS,
)


#: Summary columns of a run under an investment plan (docs/ODD.md 7.7), beside the registry's:
#: run descriptors, like ``seed``, that runs without a plan do not have.
PLAN_COLUMNS: dict[str, str] = {
    "plan_spend": "competence spend over the run under the plan, undiscounted",
    **{
        f"plan_level_{d}": f"{d.replace('_', ' ')} level reached at the horizon" for d in DIMENSIONS
    },
}


# ---------------------------------------------------------------------- per-firm outcomes
#: Separator of per-firm outcome keys: ``<firm>.<outcome>`` (firm names have no dots).
FIRM_SEPARATOR = "."

#: Per-period outcomes of each firm of a multi-firm market (``<firm>.<name>`` series).
FIRM_SERIES: dict[str, str] = {
    "market_share": "share of the market's active customers who are the firm's",
    "active_customers": "the firm's active customers at the end of the period",
    "acquisitions_from_prospects": "prospects who became the firm's customers this period",
    "acquisitions_from_rivals": "rivals' customers who switched to the firm this period",
    "losses_to_rivals": "the firm's customers who switched to a rival this period",
    "losses_out_of_market": "the firm's customers who left the market this period",
    "retention_rate": "share of the firm's customers at the start of the period who stayed",
    "mean_satisfaction": "mean satisfaction of the firm's active customers",
    "mean_perceived_value": "mean perceived value of the firm's active customers",
    "offer_fit": "share of segment needs the firm's standard offer meets",
    "repository_accuracy": "share of its customers' needs the firm's CRM records correctly",
    "code_accuracy": "share of segment needs the firm's organisational code knows",
    "employee_accuracy": "share of segment needs the firm's employees know, on average",
    "offer_knowledge": "share of need dimensions the firm's customers understand (FOR)",
    "knowledge_from_customers": "need items shared with the firm per customer of it (FROM)",
    "for_broadcast_reach": "share of the firm's customers its broadcast taught something",
    "for_broadcast_lessons": "dimensions the firm's broadcast taught per customer of it",
    "for_tailored_lessons": "dimensions explained in the firm's tailored messages per customer",
    "for_tailored_precision": "share of the firm's tailored lessons on a need the customer has",
    "for_understood_fitting": "share of the firm's fitting delivered offer its customers grasp",
    "from_absorbed": "shared items one of the firm's employees adopted, per customer",
    "from_relayed": "the firm's frontline items relayed to its product department, per customer",
    "from_direct": "items shared through the firm's direct channel, per customer",
    "from_to_product": "shared items reaching the firm's product department, per customer",
    "about_contacts": "the firm's service contacts per customer",
    "about_captures": "need items recorded in the firm's CRM profiles per customer",
    "about_wrong_captures": "share of the firm's recorded items recorded wrongly",
    "about_profile_staleness": "mean age in periods of the firm's customers' profile entries",
    "clv": "mean lifetime value to the firm of the customers it has won so far",
    "customer_equity": "margins the firm has earned from its customers, in period-0 money",
    "investment_cost": "the firm's investment in CKM competence this period",
    "net_value": "the firm's customer equity minus its discounted costs to date",
}

#: Summary columns of each firm (``<firm>.<name>``).
FIRM_SUMMARY: dict[str, str] = {
    "final_market_share": "the firm's share of the active customers at the horizon",
    "mean_market_share": "the firm's market share, mean over the run",
    "mean_retention_rate": "the firm's per-period retention, mean over the run",
    "final_retention_rate": "the firm's per-period retention, mean over the last 12 periods",
    "final_active_customers": "the firm's active customers at the horizon",
    "acquisitions_from_prospects": "prospects the firm won over the run",
    "acquisitions_from_rivals": "rivals' customers the firm won over the run",
    "losses_to_rivals": "customers the firm lost to rivals over the run",
    "losses_out_of_market": "customers the firm lost out of the market over the run",
    "mean_satisfaction": "mean satisfaction of the firm's customers at the horizon",
    "mean_perceived_value": "mean perceived value of the firm's customers at the horizon",
    "offer_fit": "the firm's offer fit at the horizon",
    "repository_accuracy": "the firm's CRM profile accuracy at the horizon",
    "code_accuracy": "the firm's code accuracy at the horizon",
    "employee_accuracy": "the firm's employees' accuracy at the horizon",
    "offer_knowledge": "its customers' knowledge of the firm's offer at the horizon",
    "knowledge_from_customers": "items shared with the firm per customer-period, run mean",
    "for_lessons": "lessons (broadcast + tailored) per customer-period of the firm",
    "for_tailored_precision": "share of the firm's tailored lessons on a real need, run",
    "from_to_product": "items reaching the firm's product department per customer-period",
    "about_captures": "items recorded in the firm's CRM per customer-period",
    "about_wrong_captures": "share of the firm's recorded items recorded wrongly, run",
    "about_profile_staleness": "mean age of the firm's customers' profile entries at the horizon",
    "clv": "mean lifetime value to the firm of the customers it won (horizon convention)",
    "customer_equity": "the firm's customer equity in period-0 money",
    "investment_cost": "the firm's discounted investment in CKM competence",
    "sustaining_cost": "the firm's discounted cost of sustaining its competence beyond T",
    "acquisition_spend": "the firm's discounted cost of acquisitions (from rivals too)",
    "serving_cost": "the firm's discounted cost of contacts",
    "net_value": "the firm's customer equity minus every discounted cost of it",
}


def firm_outcome(firm: str, name: str) -> str:
    """The key of one firm's outcome: ``firm_outcome("leader", "clv") == "leader.clv"``."""
    return f"{firm}{FIRM_SEPARATOR}{name}"


def split_firm_outcome(key: str) -> tuple[str | None, str]:
    """``(firm, outcome)`` of a per-firm key, ``(None, key)`` of a market (unprefixed) one."""
    firm, sep, name = key.partition(FIRM_SEPARATOR)
    return (firm, name) if sep else (None, key)


def firm_meaning(key: str) -> str | None:
    """What a per-firm key (``leader.clv``) means, series or summary; None if it is none."""
    firm, name = split_firm_outcome(key)
    if firm is None:
        return None
    meaning = FIRM_SUMMARY.get(name) or FIRM_SERIES.get(name)
    return f"{meaning} ({firm})" if meaning else None


def firm_columns(firms: Sequence[str], summary: bool = True) -> list[str]:
    """Every per-firm key of ``firms`` (summary columns, or per-period series)."""
    names = FIRM_SUMMARY if summary else FIRM_SERIES
    return [firm_outcome(f, n) for f in firms for n in names]


#: Per-firm outcomes that count customers (stored as integers), summary and series alike.
FIRM_COUNTS: tuple[str, ...] = (
    "active_customers",
    "final_active_customers",
    "acquisitions_from_prospects",
    "acquisitions_from_rivals",
    "losses_to_rivals",
    "losses_out_of_market",
)


def summary_columns(firms: Sequence[str]) -> list[str]:
    """Every summary column of a run of these firms: the market's, then (several firms only)
    each firm's ``<firm>.<column>``."""
    return list(SUMMARY) + (firm_columns(firms) if len(firms) > 1 else [])


def is_count(key: str) -> bool:
    """Whether outcome ``key`` (a market or a ``<firm>.<name>`` key) counts customers."""
    firm, name = split_firm_outcome(key)
    if firm is not None:
        return name in FIRM_COUNTS
    return key in BY_NAME and BY_NAME[key].unit == "count"


def summary_meaning(key: str) -> str | None:
    """What summary column ``key`` means: a market column or a ``<firm>.<column>`` one."""
    firm, name = split_firm_outcome(key)
    if firm is None:
        return SUMMARY.get(key)
    return f"{FIRM_SUMMARY[name]} ({firm})" if name in FIRM_SUMMARY else None


def series_meaning(key: str) -> str | None:
    """What per-period series ``key`` means: a market series or a ``<firm>.<name>`` one."""
    firm, name = split_firm_outcome(key)
    if firm is None:
        return OUTCOMES.get(key)
    return f"{FIRM_SERIES[name]} ({firm})" if name in FIRM_SERIES else None
