"""The model wing: the CKM agent-based model and everything it is made of.

``model`` (the Mesa model: construction, agents, the schedule, outcomes), ``world`` (the state
and structure every stage works on, and its build), ``state`` (the arrays), ``stages`` (the
period as a pipeline, one module per stage: the three knowledge flows, organisational learning,
the open market, the customers' decisions, competition, the books), ``agents`` (Mesa views on
the state arrays), ``scenario`` (validated inputs), ``levers`` (the five dimensions as named
mechanism rates), ``learning``, ``market``, ``choice``, ``network`` and ``economics`` (the
mechanisms), ``kernels`` (their compiled loops), ``streams`` (one random stream per mechanism),
``outcomes`` (what a run reports), ``measures``, ``valuation``, ``summary`` and
``firm_outcomes`` (computing it), ``extensions`` (a modeller's own outcomes) and ``runs`` (one
run end to end).
"""
