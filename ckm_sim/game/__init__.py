"""The class game (issue 13): student teams run competing firms in one market.

The engine (:mod:`~ckm_sim.game.engine`: rounds, submissions, running the market, the log) is
independent of the web pages (:mod:`ckm_sim.game.web`). A team's budget split becomes
competence levels through the scenario's cost curve (:mod:`~ckm_sim.game.budget`); the market
is any object with the :class:`~ckm_sim.game.market.Market` protocol (the multi-firm
``CKMModel``); :mod:`~ckm_sim.game.log` saves and replays a game.
"""
