"""Issue 24, dashboard defect 3: the network colours the flows of the period and lets them fade;
before anything has run no tie is coloured; a community tie shows FOR only where one end lately
learned a part of the offer that the other end understands (not wherever their knowledge
differs)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.dashboard.flows import FADE, PeerTrace
from ckm_sim.dashboard.model import DashboardModel
from ckm_sim.dashboard.network_view import COMMUNITY_TIE, network_layout, network_option
from ckm_sim.model.market import ACTIVE

SMALL = {"customers": 200, "employees": 20}


def coloured(model, layout) -> list[dict]:
    links = network_option(model, layout)["series"][0]["links"]
    return [link for link in links if "flow" in link]


def test_no_tie_is_coloured_before_anything_has_run():
    model = DashboardModel(preset="customer_centric", **SMALL)
    layout = network_layout(model, max_customers=150)
    assert coloured(model, layout) == []


def test_a_peer_lesson_shows_for_its_period_and_fades():
    trace = PeerTrace()
    before = np.zeros((3, 2), dtype=bool)
    after = before.copy()
    after[0, 1] = True  # customer 0 learned part 1 ...
    understood = np.array([[False, True], [False, True], [False, False]])  # ... that 1 knows
    active = np.ones(3, dtype=bool)
    edges = np.array([[0, 1], [0, 2], [1, 2]])
    trace.note(before, after, np.empty(0, dtype=np.int64), 4)
    assert list(trace.opacity(understood, active, edges, 4)) == [FADE[0], 0.0, 0.0]
    assert trace.opacity(understood, active, edges, 5)[0] == FADE[1]
    assert trace.opacity(understood, active, edges, 4 + len(FADE))[0] == 0.0
    trace.note(after, after, np.empty(0, dtype=np.int64), 5)  # nothing new: still fading
    assert trace.opacity(understood, active, edges, 5)[0] == FADE[1]
    tailored = PeerTrace()  # a tailored message taught it: not a neighbour's doing
    tailored.note(before, after, np.array([0]), 4)
    assert tailored.opacity(understood, active, edges, 4)[0] == 0.0


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 10_000), periods=st.integers(1, 5))
def test_coloured_community_ties_are_this_periods_peer_lessons(seed, periods):
    model = DashboardModel(preset="customer_centric", seed=seed, **SMALL)
    layout = network_layout(model, max_customers=150)
    model.run(periods)
    community = np.flatnonzero(layout.kinds == COMMUNITY_TIE)
    pairs = layout.customer_of(layout.edges[community])
    active = model.state.status == ACTIVE
    shown = model.peers.opacity(model.state.understood, active, pairs, model.steps)
    lit = {(int(a), int(b)) for a, b in layout.edges[community][shown > 0]}
    drawn = {
        (link["source"], link["target"])
        for link in coloured(model, layout)
        if link["flow"] == "for" and link["lineStyle"]["curveness"] == 0.0
    }
    assert drawn == lit  # the community ties drawn in colour are exactly the lit ones
    # and no tie joins two customers that could not have taught each other
    gained = [g for when, g in model.peers.learned if model.steps - when < len(FADE)]
    for (a, b), alpha in zip(pairs[shown > 0], shown[shown > 0], strict=True):
        assert alpha in FADE
        assert any(
            (g[a] & model.state.understood[b]).any() or (g[b] & model.state.understood[a]).any()
            for g in gained
        )
