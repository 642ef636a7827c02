"""Figures the docs quote are the code's (issue 21, defect 8): each is a block a script in
docs/figures/ writes, recorded with the model's fingerprint; a hand-edited block or a model
changed since makes it stale (docs/figures/blocks.py)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "docs" / "figures"


def _blocks():
    sys.path.insert(0, str(FIGURES))
    spec = importlib.util.spec_from_file_location("figure_blocks", FIGURES / "blocks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def blocks():
    return _blocks()


@pytest.fixture(scope="module")
def model(blocks) -> str:
    return blocks.fingerprint()


def test_every_docs_figure_is_current(blocks, model) -> None:
    records = sorted(FIGURES.glob("*.json"))
    assert {p.stem for p in records} >= {
        "competition",
        "game_settings",
        "game_budget",
        "game_lesson",
        *ODD_FIGURES,
        *VALIDATION_FIGURES,
    }
    stale = [p for r in records for p in blocks.problems(r.stem, model)]
    assert not stale, f"{stale}: run .venv/bin/python docs/figures/make.py"


#: docs/validation.md's figures made from model runs (issue 21, defect 8): March's Figure 1 and
#: open system (sections 4-5), March's conventions inside the CKM model (6), issue 9's lever
#: effects (7), the calibration check (8), the lever decomposition (9), the robustness of the
#: dimensions' ordering (10), the competition checks (11), issue 21's wiring (12) and which
#: claims hold across plausible worlds and what they hinge on (13, issue 23).
VALIDATION_FIGURES = (
    "march_figure1",
    "march_open_system",
    "appraisal_conventions",
    "knowledge_for",
    "calibration_check",
    "decomposition",
    "robustness",
    "competition_checks",
    "wiring",
    "claims",
)
#: docs/ODD.md's figures made from model runs: the shipped scenarios' money (7.5) and rivals'
#: and switching costs' effect on churn (7.6).
ODD_FIGURES = ("odd_costs", "rival_churn")


def test_every_figure_script_has_a_current_record_and_a_block(blocks, model) -> None:
    """A figure script added to docs/figures/ counts only once it has been made: its record
    exists, names the doc its ``DOC`` says, and the doc holds its block, current."""
    scripts = sorted(p.stem for p in FIGURES.glob("*.py") if p.stem not in {"blocks", "make"})
    assert set(VALIDATION_FIGURES) | set(ODD_FIGURES) <= set(scripts)
    missing = [n for n in scripts if not (FIGURES / f"{n}.json").exists()]
    assert not missing, f"{missing}: run .venv/bin/python docs/figures/make.py {' '.join(missing)}"
    for name in scripts:
        record = json.loads((FIGURES / f"{name}.json").read_text(encoding="utf-8"))
        doc = _script_doc(name)
        assert record["doc"] == doc, (name, record["doc"], doc)
        assert blocks.read(ROOT / doc, name).strip(), name
        assert blocks.problems(name, model) == [], name


def _script_doc(name: str) -> str:
    """The ``DOC`` a figure script names, read from its source (importing it costs nothing,
    but the source is enough)."""
    match = re.search(r'^DOC = "([^"]+)"', (FIGURES / f"{name}.py").read_text(), re.M)
    assert match, f"docs/figures/{name}.py has no DOC"
    return match.group(1)


def _without_blocks_and_history(text: str) -> str:
    """``text`` without its figure blocks, its parenthesised history ("(history: ...)", "(History,
    ...)", nested parentheses included) and its "**History**" parts (up to the next heading):
    what is left is prose that speaks of today's model."""
    text = re.sub(r"<!-- figure:(\w+) -->.*?<!-- /figure:\1 -->", "", text, flags=re.S)
    text = re.sub(r"\*\*History\*\*.*?(?=^#)", "", text, flags=re.S | re.M)
    out, depth, i = [], 0, 0
    while i < len(text):
        if depth == 0 and re.match(r"\(history\b", text[i:], re.I):
            depth = 1
            i += 1
            continue
        if depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
        else:
            out.append(text[i])
        i += 1
    return "".join(out)


#: A measured result: a mean ± its error, or an interval "(low to high)" / "CI low to high".
RESULT = re.compile(r"\d ± \d|\([−+-]?\d[\d.,]*k? to\s+[−+-]?\d[\d.,]*k?\)|CI [−+-]?\d")


@pytest.mark.parametrize("doc", ["docs/ODD.md", "docs/validation.md"])
def test_no_measured_result_is_typed_outside_a_figure(doc: str) -> None:
    """Outside the blocks a script writes, neither document quotes a result with its error or
    interval, unless it is marked as history (with the commit it was measured on)."""
    text = _without_blocks_and_history((ROOT / doc).read_text(encoding="utf-8"))
    found = [
        " ".join(m.split()) for m in re.findall(rf".{{0,60}}(?:{RESULT.pattern}).{{0,20}}", text)
    ]
    assert not found, found


def test_history_names_its_commit() -> None:
    """Every history passage of the two documents says which commit it was measured on."""
    for doc in ("docs/ODD.md", "docs/validation.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        passages = re.findall(r"\(history\b.{0,200}|\*\*History\*\*.{0,400}", text, re.I | re.S)
        assert passages, doc
        for passage in passages:
            assert re.search(r"commit [0-9a-f]{7}", passage), (doc, passage[:80])


def test_validation_prose_quotes_no_figure_of_the_generated_sections() -> None:
    """Sections 4 to 13 of docs/validation.md: outside their blocks and history, no sentence
    quotes a result with three decimals, which would go stale with the model."""
    text = _without_blocks_and_history((ROOT / "docs" / "validation.md").read_text("utf-8"))
    sections = re.split(r"^## ", text, flags=re.M)
    checked = 0
    for section in sections:
        number = section.split(".", 1)[0]
        if number not in {str(n) for n in range(4, 14)}:
            continue
        checked += 1
        assert not re.search(r"\d\.\d{3}|±", section), (
            number,
            re.findall(r".*(?:\d\.\d{3}|±).*", section),
        )
    assert checked == 10


def test_the_history_filter_keeps_todays_prose() -> None:
    text = (
        "Today 1.0 (0.5 to 1.5). Once (history, commit abcdef0: 2.0 (1.0 to 3.0)) it was."
        "\n**History** 3.0 ± 1.0\n## Next\nkept"
    )
    left = _without_blocks_and_history(text)
    assert "(0.5 to 1.5)" in left and "it was" in left and "kept" in left
    assert "2.0" not in left and "3.0 ± 1.0" not in left


def test_a_hand_edit_or_a_changed_model_makes_a_figure_stale(blocks, model, tmp_path) -> None:
    # a copy of the docs tree, so the real files stay as they are
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    blocks.ROOT, blocks.FIGURES = tmp_path, docs / "figures"
    try:
        assert blocks.problems("odd_costs", model) == []
        assert blocks.problems("odd_costs", "another model") == [
            "odd_costs: the model changed since it was made"
        ]
        odd = docs / "ODD.md"
        odd.write_text(odd.read_text().replace("| `it_only` | −", "| `it_only` | +"))
        assert blocks.problems("odd_costs", model) == [
            "odd_costs: the block in docs/ODD.md was edited by hand"
        ]
        record = json.loads((docs / "figures" / "odd_costs.json").read_text())
        assert record["doc"] == "docs/ODD.md"
    finally:
        blocks.ROOT, blocks.FIGURES = ROOT, FIGURES


# ---------------------------------------------------------------- the class game's lesson
#: docs/classroom.md's figures of the game lesson, each written by docs/figures/<name>.py.
GAME_FIGURES = ("game_settings", "game_budget", "game_lesson")
CLASSROOM = ROOT / "docs" / "classroom.md"


def _script(name: str):
    sys.path.insert(0, str(FIGURES))
    spec = importlib.util.spec_from_file_location(f"figure_{name}", FIGURES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", GAME_FIGURES)
def test_the_game_lessons_figures_are_what_the_game_makes_now(blocks, name) -> None:
    """The game's figures are cheap (seconds): made again and compared with the doc, so a
    change to the game's code (its debrief, budget or engine), which the model's fingerprint
    does not see, makes them stale too. Regenerate: .venv/bin/python docs/figures/make.py"""
    script = _script(name)
    assert script.DOC == "docs/classroom.md"
    assert blocks.read(CLASSROOM, name) == script.block(), (
        f"docs/classroom.md's figure {name} is stale: run .venv/bin/python docs/figures/make.py "
        f"{name}"
    )


def test_a_hand_edit_of_the_game_lesson_makes_it_stale(blocks, model, tmp_path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    blocks.ROOT, blocks.FIGURES = tmp_path, docs / "figures"
    try:
        assert blocks.problems("game_lesson", model) == []
        doc = docs / "classroom.md"
        text = doc.read_text()
        winner = blocks.read(doc, "game_lesson").split("> **", 1)[1].split(" ", 1)[0]
        assert winner in {"Red", "Blue", "Green"}
        edited = text.replace(f"> **{winner} wins the game", "> **Someone wins the game", 1)
        assert edited != text
        doc.write_text(edited)
        assert blocks.problems("game_lesson", model) == [
            "game_lesson: the block in docs/classroom.md was edited by hand"
        ]
    finally:
        blocks.ROOT, blocks.FIGURES = ROOT, FIGURES


def test_the_example_game_is_played_as_the_lesson_says() -> None:
    """The example shows a reopened round, teams that kept their split, the winner, a what-if
    for every team and an export of every round and team: the game's own figures."""
    from ckm_sim.game import debrief, export
    from ckm_sim.game.web import views

    script = _script("game_lesson")
    game, early = script.play()
    text = script.block()
    late_round, late = script.EARLY
    assert game.over and len(game.rounds) == game.settings.rounds == 4
    assert game.rounds[late_round - 1].splits[late] == script.PLAN[late][late_round - 1]
    assert late in game.rounds[late_round - 1].submitted  # the rerun counted its split
    assert f"net value of {views.value('net_value', early['net_value'])}" in text
    kept = [(r.number, t) for r in game.rounds for t in game.teams if t not in r.submitted]
    assert kept and all(script.PLAN[t][n - 1] is None for n, t in kept)
    assert text.count("(kept)") == len(kept)
    assert debrief.explain(game)[0] in text
    board = game.leaderboard()
    assert f"| 1 | {board[0]['team'].capitalize()} | " in text
    assert f"holds {len(export.rows(game))} rows" in text
    assert len(export.results_csv(game).splitlines()) == 1 + len(game.rounds) * len(game.teams)


def _game_lesson_prose() -> str:
    """docs/classroom.md's game lesson without its figure blocks (every block: those of
    GAME_FIGURES and the slower ``game_market``, which the fingerprint keeps current)."""
    text = CLASSROOM.read_text(encoding="utf-8").split("## A second lesson: the class game", 1)[1]
    return re.sub(r"<!-- figure:([\w]+) -->.*?<!-- /figure:\1 -->", "", text, flags=re.S)


#: Numbers the game lesson's prose may quote outside the figure blocks, and why: none is a
#: figure of a game (those are in the blocks); the code's settings among them are checked by
#: test_the_game_lessons_settings_are_the_codes.
PROSE_NUMBERS: dict[str, str] = {
    "0.0.0.0": "--host 0.0.0.0",
    "0": "month-0 money; net value starts at 0",
    "1": "rule 1; level 1 (the cap)",
    "2": "rule 2; 2 minutes for a later round",
    "3": "rule 3; 3-4 minutes for the first round",
    "4": "rule 4; --teams 4; 3-4 minutes",
    "5": "rule 5; 5 wrong codes a minute (checked); 5 points (checked)",
    "6": "rule 6",
    "7.5": "docs/ODD.md section 7.5",
    "10": "the debrief's question on the last 10 % of budget",
    "12": "12 months a round (checked)",
    "15": "15 minutes of debrief",
    "20": "20 wrong codes per computer (checked); 20 % each in the even split (checked)",
    "45": "45-60 minutes for the lesson",
    "55": "the paper's 55 % of CRM projects that fail",
    "60": "45-60 minutes for the lesson",
    "100": "at most 100 %; shares add up to 100 %",
}


def test_the_game_lessons_prose_quotes_no_figure_of_a_game() -> None:
    """A figure of a game (a net value, a share, a rank) belongs in a block a script writes:
    the prose may quote only the lesson's times, the rules' whole numbers and the settings
    checked against the code."""
    numbers = set(re.findall(r"\d+(?:[.,]\d+)*", _game_lesson_prose()))
    assert numbers <= set(PROSE_NUMBERS), sorted(numbers - set(PROSE_NUMBERS))


def test_the_game_lessons_settings_are_the_codes() -> None:
    """The limits and thresholds the game lesson's prose quotes are the code's."""
    from ckm_sim.dashboard.server import GAME_KERNEL_ENV
    from ckm_sim.game import debrief, guard
    from ckm_sim.game.budget import Split
    from ckm_sim.game.engine import GameSettings

    prose = " ".join(_game_lesson_prose().split())
    assert (
        f"Wrong codes are limited ({guard.PER_CONNECTION} a minute per tab, "
        f"{guard.PER_ADDRESS} per computer)" in prose
    )
    assert guard.WINDOW_SECONDS == 60
    assert GAME_KERNEL_ENV["SOLARA_KERNEL_CULL_TIMEOUT"] == "120s"
    assert "idle connections are closed after two minutes" in prose
    assert f"funded {debrief.SHARE_POINTS} points or more above or below" in prose
    assert f"an even split of the budget ({Split.even().shares[0]} % on each dimension)" in prose
    settings = GameSettings()
    assert f"Every round is one year ({settings.periods_per_round} months)" in prose
    assert settings.rounds == 5 and "for five rounds" in prose
