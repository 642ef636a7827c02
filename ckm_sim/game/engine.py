"""The class game's engine: teams, rounds, submissions, running the market, the record.

One :class:`Game` object holds the whole game on the server (not per browser session), so a
team that reloads its page loses nothing. Each round every team submits a budget
:class:`~ckm_sim.game.budget.Split`; a team that does not submit keeps its previous split (the
even split before the first round). When every team has submitted, or the teacher ends the
round (button or timer), the engine turns each split into competence levels, sets them on the
market (``set_competence``), steps the market ``periods_per_round`` periods and records every
team's outcomes per period (:class:`RoundRecord`). The same settings and the same splits give
the same market (the seed is the game's). Every method takes the game's lock: pages of many
sessions call it from their own threads.

The teacher controls the rounds: :meth:`Game.end_round` names the round it ends (a second
press never ends the next one), :meth:`Game.pause` freezes the round (its timer stops, no
split is accepted) until :meth:`Game.resume`, and :meth:`Game.reopen` takes back the last round
played (the market is rebuilt and the earlier rounds replayed, so the reopened round runs again
on the same market; its submissions are open again, changeable until it runs).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ckm_sim.game import budget
from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.market import Market, firm_outcomes, open_market, team_scenario
from ckm_sim.model.levers import investment_cost
from ckm_sim.model.scenario import Scenario, ScenarioError, load_scenario

#: Team (firm) names, in order: a game of n teams uses the first n.
TEAM_NAMES: tuple[str, ...] = ("red", "blue", "green", "orange", "purple", "teal", "brown", "pink")
MIN_TEAMS, MAX_TEAMS = 2, len(TEAM_NAMES)
#: Customers at the start per team when the settings do not say (the dashboard's classroom
#: size per firm; the staff scale with it, :func:`team_employees`).
CUSTOMERS_PER_TEAM = 1000


@dataclass(frozen=True)
class GameSettings:
    """What the teacher chose: the market (scenario, seed, size) and the rules (rounds,
    periods per round, budget per period; ``budget`` None: what a team's firm's competence
    costs at the scenario's levels)."""

    teams: int = 4
    rounds: int = 5
    periods_per_round: int = 12
    budget: float | None = None
    seed: int = 42
    scenario: str = "baseline"
    customers_per_team: int = CUSTOMERS_PER_TEAM

    def __post_init__(self) -> None:
        if not MIN_TEAMS <= self.teams <= MAX_TEAMS:
            raise GameError(f"a game has {MIN_TEAMS} to {MAX_TEAMS} teams, got {self.teams}")
        for name in ("rounds", "periods_per_round", "customers_per_team"):
            if getattr(self, name) < 1:
                raise GameError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.budget is not None and not (math.isfinite(self.budget) and self.budget > 0):
            raise GameError(f"the budget must be a positive amount per period, got {self.budget}")
        if self.seed < 0:
            raise GameError(f"the seed must be 0 or more, got {self.seed}")

    @property
    def team_names(self) -> tuple[str, ...]:
        """The teams' (firms') names."""
        return TEAM_NAMES[: self.teams]

    def market_scenario(self) -> Scenario:
        """The base scenario sized for the class, on the game's seed, long enough for every
        round (each firm's own parameters are the scenario's defaults). Each team's firm is the
        scenario's firm at the class's size: its staff scale with its customers, at the
        scenario's customers per employee (:func:`team_employees`), as do the prospects."""
        try:
            base = load_scenario(self.scenario)
        except (ScenarioError, OSError) as exc:
            raise GameError(f"scenario {self.scenario!r}: {exc}") from None
        ratio = base.market.prospects / max(base.market.customers, 1)
        customers = self.customers_per_team * self.teams
        return base.with_overrides(
            seed=self.seed,
            periods=self.rounds * self.periods_per_round,
            customers=customers,
            prospects=round(customers * ratio),
            employees=team_employees(base, self.customers_per_team),
        )

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain values (for the log)."""
        return asdict(self)


def team_employees(base: Scenario, customers: int) -> int:
    """The staff of a team's firm of ``customers`` customers at the start: the scenario's firm
    scaled to that size (its employees per customer), and at least one per department. A team's
    firm is then the scenario's firm made smaller, whose costs shrink but for their fixed parts
    (docs/ODD.md 7.5), not a firm with the scenario's staff and fewer customers."""
    per_customer = base.firm.employees / max(base.market.customers, 1)
    return max(len(base.firm.departments), round(per_customer * customers))


@dataclass(frozen=True)
class RoundRecord:
    """One round as it was played: each team's split, whether the team submitted it (or kept
    its previous one), the levels and spend per period it bought, and the team's outcomes at
    the end of every period of the round."""

    number: int
    splits: dict[str, Split]
    submitted: tuple[str, ...]
    levels: dict[str, dict[str, float]]
    spend: dict[str, float]
    outcomes: dict[str, list[dict[str, float]]]

    def last(self, team: str) -> dict[str, float]:
        """``team``'s outcomes at the end of the round."""
        return self.outcomes[team][-1]

    def mean(self, team: str, name: str) -> float:
        """The round's mean of ``team``'s per-period outcome ``name`` (nan if not measured)."""
        values = [p.get(name, math.nan) for p in self.outcomes[team]]
        return sum(values) / len(values) if values else math.nan


MarketFactory = Callable[[Scenario, tuple[str, ...]], Market]
#: The longest timer a teacher can start (seconds): a lesson is shorter.
MAX_TIMER_SECONDS = 3600


class RoundClosed(GameError):
    """A split sent for a round that has already run: it is not recorded for the next one."""


@dataclass(frozen=True)
class Submission:
    """A team's split as the server recorded it this round: who sent it (a browser's label)
    and when (seconds since the epoch); ``seq`` counts the game's changes, so a screen can
    tell one submission from the next even when the split is the same."""

    split: Split
    by: str
    at: float
    seq: int


@dataclass
class _Round:
    """The round being decided: submissions so far and the teacher's timer."""

    submitted: dict[str, Split] = field(default_factory=dict)
    records: dict[str, Submission] = field(default_factory=dict)
    deadline: float | None = None
    #: Seconds the timer had left when the teacher paused (None: not paused).
    frozen: float | None = None
    paused: bool = False


class Game:
    """A class game in progress (or over): the market, the teams' splits, the rounds played."""

    def __init__(
        self,
        settings: GameSettings,
        market_factory: MarketFactory = open_market,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.scenario = settings.market_scenario()
        self.teams: tuple[str, ...] = settings.team_names
        #: The scenario a team's firm works under: its cost curve (docs/ODD.md 7.5).
        self.team_scenario = team_scenario(self.scenario, self.teams)
        budget.check_costs(self.team_scenario)
        #: Each team's budget per period (what the scenario's own levels cost a team's firm if
        #: the settings give none).
        self.budget: float = (
            settings.budget if settings.budget is not None else investment_cost(self.team_scenario)
        )
        #: Builds the game's market (a replay builds a fresh one).
        self.market_factory = market_factory
        self._market = market_factory(self.scenario, self.teams)
        missing = [t for t in self.teams if t not in self._market.firm_names]
        if missing:
            raise GameError(f"the market has no firm {missing[0]!r}")
        self._clock = clock
        self._wall = wall
        self._lock = threading.RLock()
        self._current = _Round()
        #: The split each team works at (its last submission; even before the first round).
        self.splits: dict[str, Split] = {team: Split.even() for team in self.teams}
        #: Every team's outcomes before the first round (period 0).
        self.start: dict[str, dict[str, float]] = self._snapshot()
        self.rounds: list[RoundRecord] = []
        #: Counts every change, so a page can tell that it must redraw.
        self.version = 0
        #: Called with the game after every round (the log saves it).
        self.on_round: list[Callable[[Game], None]] = []

    # ---------------------------------------------------------------- what screens show
    @property
    def round_number(self) -> int:
        """The round being decided, from 1 (``rounds + 1`` once the game is over)."""
        return len(self.rounds) + 1

    @property
    def over(self) -> bool:
        """Whether every round has been played."""
        return len(self.rounds) >= self.settings.rounds

    @property
    def period(self) -> int:
        """Periods (months) the market has run."""
        return len(self.rounds) * self.settings.periods_per_round

    def submitted(self) -> tuple[str, ...]:
        """The teams that have submitted a split this round, in team order."""
        with self._lock:
            return tuple(t for t in self.teams if t in self._current.submitted)

    def pending(self, team: str) -> Split | None:
        """``team``'s submission this round, if it has made one."""
        self._check_team(team)
        with self._lock:
            return self._current.submitted.get(team)

    def submission(self, team: str) -> Submission | None:
        """``team``'s submission this round as recorded (split, by whom, when), if any."""
        self._check_team(team)
        with self._lock:
            return self._current.records.get(team)

    @property
    def paused(self) -> bool:
        """Whether the teacher has paused the round (no split accepted, the timer stopped)."""
        return self._current.paused

    def seconds_left(self) -> float | None:
        """Seconds until the teacher's timer ends the round (None: no timer)."""
        with self._lock:
            if self._current.paused:
                return self._current.frozen
            deadline = self._current.deadline
        return None if deadline is None else max(0.0, deadline - self._clock())

    def latest(self, team: str) -> dict[str, float]:
        """``team``'s outcomes at the end of the last round played (period 0 before)."""
        self._check_team(team)
        with self._lock:
            return self.rounds[-1].last(team) if self.rounds else self.start[team]

    def leaderboard(self, upto: int | None = None) -> list[dict[str, Any]]:
        """One row per team, best net value first: net value, market share, mean retention
        rate of the round, what the team spends per period; at the end of round ``upto``
        (None: the last round played; 0: before the first)."""
        with self._lock:
            shown = self.rounds[: len(self.rounds) if upto is None else max(upto, 0)]
            last = shown[-1] if shown else None
            rows = []
            for team in self.teams:
                now = last.last(team) if last else self.start[team]
                rows.append(
                    {
                        "team": team,
                        "net_value": now.get("net_value", math.nan),
                        "market_share": now.get("market_share", math.nan),
                        "retention_rate": last.mean(team, "retention_rate") if last else math.nan,
                        "spend": last.spend[team] if last else 0.0,
                    }
                )
        return sorted(rows, key=lambda r: -r["net_value"] if math.isfinite(r["net_value"]) else 0)

    def levels_of(self, split: Split) -> dict[str, float]:
        """The competence levels ``split`` of this game's budget buys."""
        return budget.levels(split, self.budget, self.team_scenario)

    # ---------------------------------------------------------------- what players do
    def submit(
        self, team: str, split: Split, round_number: int | None = None, by: str = ""
    ) -> bool:
        """Record ``team``'s split for this round (a new submission replaces the last); when
        every team has submitted, run the round. Whether the round ran.

        ``round_number`` is the round the sender's screen showed: a split for a round that
        has already run is refused (:class:`RoundClosed`), never filed for the next one.
        ``by`` names the sender (the screens show who changed the split, and when)."""
        self._check_team(team)
        with self._lock:
            self._check_open()
            if self._current.paused:
                raise GameError(
                    "The teacher has paused the game: your split was not recorded. Submit it "
                    "again when the round resumes."
                )
            if round_number is not None and round_number != self.round_number:
                raise RoundClosed(
                    f"Round {round_number} had already run when this split arrived: it was not "
                    f"recorded. Round {self.round_number} is open: check the split and submit "
                    "again."
                )
            self._current.submitted[team] = split
            self.version += 1
            self._current.records[team] = Submission(split, by, self._wall(), self.version)
            if len(self._current.submitted) == len(self.teams):
                self._run_round()
                return True
            return False

    def end_round(self, round_number: int | None = None) -> None:
        """The teacher ends the round (``round_number``, if given, must be the open one: a
        second press never ends the next round): teams that have not submitted keep their
        split."""
        with self._lock:
            self._check_open()
            if round_number is not None and round_number != self.round_number:
                raise GameError(f"Round {round_number} has already run.")
            self._run_round()

    def pause(self) -> None:
        """Freeze the round: its timer stops and no split is accepted until :meth:`resume`."""
        with self._lock:
            self._check_open()
            if not self._current.paused:
                self._current.frozen = self.seconds_left()
                self._current.paused = True
                self.version += 1

    def resume(self) -> None:
        """Let the paused round go on; its timer runs again from where it stopped."""
        with self._lock:
            if self._current.paused:
                frozen = self._current.frozen
                self._current.paused = False
                self._current.frozen = None
                self._current.deadline = None if frozen is None else self._clock() + frozen
                self.version += 1

    def reopen(self) -> int:
        """Take back the last round played: the market is rebuilt and the earlier rounds are
        played again, the teams' submissions of that round are open again (a team that kept
        its split has not submitted). The round's number; a GameError before any round."""
        with self._lock:
            if not self.rounds:
                raise GameError("no round has been played yet: there is none to reopen")
            taken = self.rounds.pop()
            self._market = self.market_factory(self.scenario, self.teams)
            for record in self.rounds:
                for team in self.teams:
                    self._market.set_competence(team, **record.levels[team])
                for _ in range(self.settings.periods_per_round):
                    self._market.step()
            before = self.rounds[-1].splits if self.rounds else None
            self.splits = {t: before[t] if before else Split.even() for t in self.teams}
            self._current = _Round()
            now = self._wall()
            for team in taken.submitted:
                self.version += 1
                split = taken.splits[team]
                self._current.submitted[team] = split
                self._current.records[team] = Submission(split, "reopened", now, self.version)
            self.version += 1
            for listener in self.on_round:
                listener(self)
            return taken.number

    def start_timer(self, seconds: float) -> None:
        """End the round ``seconds`` from now (:meth:`tick` checks the clock)."""
        try:
            ok = math.isfinite(seconds) and 0 < seconds <= MAX_TIMER_SECONDS
        except OverflowError:  # a whole number too large for a float
            ok = False
        if not ok:
            raise GameError(
                f"a timer runs from 1 to {MAX_TIMER_SECONDS} seconds, got {str(seconds)[:12]}"
            )
        with self._lock:
            self._check_open()
            if self._current.paused:
                self._current.frozen = float(seconds)
            else:
                self._current.deadline = self._clock() + seconds
            self.version += 1

    def tick(self) -> bool:
        """End the round if its timer has run out; whether it did."""
        with self._lock:
            deadline = self._current.deadline
            if self.over or self._current.paused or deadline is None or self._clock() < deadline:
                return False
            self._run_round()
            return True

    def play(self, splits: Mapping[str, Split], submitted: tuple[str, ...] | None = None) -> None:
        """Play the next round with these splits (teams not named keep theirs): a replay."""
        with self._lock:
            self._check_open()
            for team in splits:
                self._check_team(team)
            named = tuple(splits) if submitted is None else submitted
            self._current.submitted = {t: splits[t] for t in named if t in splits}
            self.splits.update(splits)
            self._run_round()

    # ---------------------------------------------------------------- running a round
    def _run_round(self) -> None:
        self.splits.update(self._current.submitted)
        submitted = tuple(t for t in self.teams if t in self._current.submitted)
        levels = {team: self.levels_of(self.splits[team]) for team in self.teams}
        for team in self.teams:
            self._market.set_competence(team, **levels[team])
        periods: dict[str, list[dict[str, float]]] = {team: [] for team in self.teams}
        for _ in range(self.settings.periods_per_round):
            self._market.step()
            for team, figures in self._snapshot().items():
                periods[team].append(figures)
        record = RoundRecord(
            number=self.round_number,
            splits=dict(self.splits),
            submitted=submitted,
            levels=levels,
            spend={t: budget.spend(levels[t], self.team_scenario) for t in self.teams},
            outcomes=periods,
        )
        self.rounds.append(record)
        self._current = _Round()
        self.version += 1
        for listener in self.on_round:
            listener(self)

    def _snapshot(self) -> dict[str, dict[str, float]]:
        outcomes = self._market.outcomes
        return {team: firm_outcomes(outcomes, team) for team in self.teams}

    def _check_team(self, team: str) -> None:
        if team not in self.teams:
            raise GameError(f"no team {team!r} in this game; teams: {', '.join(self.teams)}")

    def _check_open(self) -> None:
        if self.over:
            raise GameError(f"the game is over: all {self.settings.rounds} rounds are played")
