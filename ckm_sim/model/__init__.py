"""The model wing: the CKM agent-based model and everything it is made of.

``model`` (the Mesa model and its schedule), ``agents`` (Mesa views on the state arrays),
``scenario`` (validated inputs), ``levers`` (the five dimensions as named mechanism rates),
``learning``, ``market``, ``network`` and ``economics`` (the mechanisms), ``streams`` (one random
stream per mechanism), ``outcomes`` (what a run reports) and ``runs`` (one run end to end).
"""
