"""The class game's Solara app: ``/`` the join page, ``/team/<code>`` a team's page,
``/teacher`` the teacher's page (for a browser that has shown the teacher's code: typed on the
join page, or the printed ``/teacher/<code>`` link, which leaves the address bar at once),
``/board`` the projector's view and ``/slips`` the printable code slips.

Run by ``ckm-sim classroom``; the game is the process's :func:`~ckm_sim.game.live.current`.
A code in an address counts against the attempt limits like a typed one
(:mod:`~ckm_sim.game.guard`).
"""

from __future__ import annotations

import solara

from ckm_sim.game.budget import GameError
from ckm_sim.game.live import TEACHER, current
from ckm_sim.game.web.pages import JoinPage, TeamPage, client_keys, session_id
from ckm_sim.game.web.style import CSS
from ckm_sim.game.web.teacher import BoardPage, SlipsPage, TeacherPage

PAGES = ("team", "teacher", "board", "slips")


def route(path: str) -> tuple[str, str]:
    """``(kind, code)`` of a page address: ``("team", "AB3K")``, ``("join", "")``."""
    parts = [p for p in path.split("/") if p]
    if len(parts) == 2 and parts[0] in ("team", "teacher"):
        return parts[0], parts[1].upper()
    if len(parts) == 1 and parts[0] in ("teacher", "board", "slips"):
        return parts[0], ""
    return "join", ""


@solara.component
def Page():
    """The page the address names; an unknown code falls back to the join page."""
    live = current()
    router = solara.use_router()
    kind, code = route(router.path)
    me = session_id()

    def check() -> tuple[str | None, str]:
        if not code:
            return None, ""
        try:
            return live.admit(code, client_keys()), ""
        except GameError as exc:
            return None, str(exc)

    who, refusal = solara.use_memo(check, [code])
    teacher = who == TEACHER or me in live.teachers

    def leave_the_address_bar() -> None:
        if kind == "teacher" and code and who == TEACHER:
            live.teachers.add(me)
            router.push("/teacher")

    solara.use_effect(leave_the_address_bar, [kind, code, who])
    solara.Style(CSS)
    if kind == "teacher" and teacher:
        TeacherPage(live)
    elif kind == "slips" and teacher:
        SlipsPage(live)
    elif kind == "board":
        BoardPage(live)
    elif kind == "team" and who is not None and who != TEACHER:
        TeamPage(live, who)
    else:
        JoinPage(live, message=refusal)


@solara.component
def Layout(children=()):
    """No app bar or navigation: just the page."""
    return solara.Div(children=list(children))


#: The addresses the server answers (the code after ``team/`` or ``teacher/`` is the page's).
routes = [
    solara.Route(path="/", component=Page, layout=Layout),
    *(solara.Route(path=p, component=Page) for p in PAGES),
]
