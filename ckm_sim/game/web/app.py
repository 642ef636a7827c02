"""The class game's Solara app: ``/`` the join page, ``/team/<code>`` a team's page,
``/teacher/<code>`` the teacher's page (its code is printed by ``ckm-sim classroom``).

Run by ``ckm-sim classroom``; the game is the process's :func:`~ckm_sim.game.live.current`.
"""

from __future__ import annotations

import solara

from ckm_sim.game.live import TEACHER, current
from ckm_sim.game.web.pages import JoinPage, TeacherPage, TeamPage
from ckm_sim.game.web.style import CSS


def route(path: str) -> tuple[str, str]:
    """``(kind, code)`` of a page address: ``("team", "AB3K")``, ``("join", "")``."""
    parts = [p for p in path.split("/") if p]
    if len(parts) == 2 and parts[0] in ("team", "teacher"):
        return parts[0], parts[1].upper()
    return "join", ""


@solara.component
def Page():
    """The page the address names; an unknown code falls back to the join page."""
    live = current()
    kind, code = route(solara.use_router().path)
    who = live.team_of(code) if code else None
    solara.Style(CSS)
    if kind == "teacher" and who == TEACHER:
        TeacherPage(live)
    elif kind == "team" and who is not None and who != TEACHER:
        TeamPage(live, who)
    else:
        JoinPage(live)


@solara.component
def Layout(children=()):
    """No app bar or navigation: just the page."""
    return solara.Div(children=list(children))


#: The addresses the server answers (the code after ``team/`` or ``teacher/`` is the page's).
routes = [
    solara.Route(path="/", component=Page, layout=Layout),
    *(solara.Route(path=p, component=Page) for p in ("team", "teacher")),
]
