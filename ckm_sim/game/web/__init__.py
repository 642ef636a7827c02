"""The class game's web pages (Solara): a join page, one page per team, the teacher's page.

:mod:`~ckm_sim.game.web.views` builds their HTML from the engine (plain functions, tested
without a browser); :mod:`~ckm_sim.game.web.pages` and :mod:`~ckm_sim.game.web.app` are the
Solara components and the routes.
"""
