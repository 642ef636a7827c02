"""Investment games with equilibria known in closed form, for the best-response tests.

**Linear game.** Firm i splits budget B_i over n dimensions (shares ``s_i``) and earns
``sum_d sqrt(w_id + k_i s_jd) sqrt(B_i s_id)`` (plus noise shared within a seed): a concave
payoff in its own spend whose weights depend on the rival's shares ``s_j``. By Lagrange its best
response is ``s_id = (w_id + k_i s_jd) / (W_i + k_i)`` (``W_i = sum_d w_id``): linear in the
rival's shares. With two firms the equilibrium solves ``s_1 = A_1 + R_1 s_2``, ``s_2 = A_2 + R_2
s_1`` (``A_i = w_i / (W_i + k_i)``, ``R_i = k_i / (W_i + k_i)``), so
``s_1 = (A_1 + R_1 A_2) / (1 - R_1 R_2)`` and ``s_2 = A_2 + R_2 s_1``.

**Matching pennies.** Two dimensions; firm 1 earns ``B (s_10 - 1/2)(s_20 - 1/2)``, firm 2 the
opposite: firm 1 wants to put its money where firm 2 does, firm 2 where firm 1 does not. Best
responses are corners that flip every round: no pure equilibrium, a cycle of two rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _noise(seed: int, spend: np.ndarray, common_sd: float, own_sd: float) -> float:
    common = np.random.default_rng(seed).normal(0.0, common_sd)
    own = 0.0
    if own_sd:
        key = (seed, *np.round(np.asarray(spend) * 1e6).astype(np.int64).tolist())
        own = np.random.default_rng(abs(hash(key)) % 2**32).normal(0.0, own_sd)
    return float(common + own)


@dataclass(frozen=True)
class LinearGame:
    """The linear game of the module docstring, for firms ``a`` and ``b``."""

    w: dict  # firm -> weights (n,)
    k: dict  # firm -> interaction (negative: the firm avoids where its rival spends)
    budgets: dict  # firm -> budget

    def rival(self, firm: str) -> str:
        return next(f for f in self.w if f != firm)

    def shares(self, firm: str, splits) -> np.ndarray:
        return np.asarray(splits[firm], dtype=float) / self.budgets[firm]

    def payoff(self, firm: str, own: np.ndarray, splits, seed: int, common_sd=0.0, own_sd=0.0):
        weights = np.asarray(self.w[firm]) + self.k[firm] * self.shares(self.rival(firm), splits)
        value = float(np.sqrt(weights) @ np.sqrt(np.asarray(own, dtype=float)))
        return value + _noise(seed, own, common_sd, own_sd)

    def best_response(self, firm: str, splits) -> np.ndarray:
        w, k = np.asarray(self.w[firm], dtype=float), self.k[firm]
        s = (w + k * self.shares(self.rival(firm), splits)) / (w.sum() + k)
        return self.budgets[firm] * s

    def equilibrium(self) -> dict:
        (f1, f2) = list(self.w)
        parts = {}
        for f in (f1, f2):
            w = np.asarray(self.w[f], dtype=float)
            parts[f] = (w / (w.sum() + self.k[f]), self.k[f] / (w.sum() + self.k[f]))
        (a1, r1), (a2, r2) = parts[f1], parts[f2]
        s1 = (a1 + r1 * a2) / (1.0 - r1 * r2)
        s2 = a2 + r2 * s1
        return {f1: self.budgets[f1] * s1, f2: self.budgets[f2] * s2}


@dataclass(frozen=True)
class MatchingPennies:
    """Matching pennies between firms ``match`` and ``avoid`` (module docstring)."""

    budget: float = 100.0

    def payoff(self, firm: str, own: np.ndarray, splits, seed: int, common_sd=0.0, own_sd=0.0):
        other = "avoid" if firm == "match" else "match"
        mine = float(own[0]) / self.budget - 0.5
        theirs = float(splits[other][0]) / self.budget - 0.5
        sign = 1.0 if firm == "match" else -1.0
        return sign * self.budget * mine * theirs + _noise(seed, own, common_sd, own_sd)

    def best_response(self, firm: str, splits) -> np.ndarray:
        other = "avoid" if firm == "match" else "match"
        high = splits[other][0] > self.budget / 2
        first = high if firm == "match" else not high
        return np.array([self.budget, 0.0]) if first else np.array([0.0, self.budget])
