"""Every command the README shows works on the README's setup (issue 25): the commands are read
from README.md (tests/readme_commands.py), and each runs as a user would type it after `make run`,
in a fresh folder that holds what a clone holds (scenarios/, experiments/, data/, benchmarks/),
in a subprocess that cannot import what only the ``dev`` extra installs (``make run`` installs
``.[all]``; the tests run on ``.[dev]``). Each must exit 0 and write what the README says it
writes; a console example (``$ ckm-sim validate bad.toml``) must print what the README shows.

A command the tests cannot run is in :data:`NOT_RUN` with the reason; a new command in the README
is run, or fails :func:`test_every_command_is_run_or_says_why_not` until it is classified. A
synopsis (``[--option N]``) runs its required part; every option it shows must be the command's.

Quick but honest: each command runs as written, then :func:`smaller` appends options that only
shrink its work (the same code, extras and outputs); the commands of one verb share one fresh
interpreter (tests/readme_session.py: the imports are most of a small command's time), the
sessions that read no other session's results run side by side, one per CPU (each in folders of
its own), and commands the README chains run in one folder, after the session they follow
(``make run`` again reprints the quick-start sweep; ``analyze`` reads the sweep before it).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from readme_commands import (
    Command,
    dev_only_distributions,
    make_recipe,
    readme_commands,
    readme_python,
    top_level_modules,
    write_blocker,
)
from test_documented_defaults import PARSERS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
COMMANDS = readme_commands(README)
CLONE_FOLDERS = ("scenarios", "experiments", "data", "benchmarks")

#: What the tests do not run, and why (each is a command of the README).
NOT_RUN = {
    "make test": "runs ruff, mypy and this test suite: the suite cannot run itself",
    "make bench": "a benchmark: minutes of timing that write nothing to check",
    'pip install -e ".[all]"': "the README's setup itself: what these tests run on (dev less "
    "what only dev installs)",
    'pip install "ckm-sim[dask]"': "installs an extra that .[all] holds (test_setup_extras.py)",
    'pip install -e ".[viz]"': "installs an extra that .[all] holds (test_setup_extras.py)",
    "pip install .": "builds and installs a wheel: tests/test_install.py does",
    "ckm-sim run <name>": "a synopsis: ckm-sim run baseline and run duopoly run",
    "ckm-sim sweep EXPERIMENT": "a synopsis: the four shipped experiments' sweeps run",
    "ckm-sim sweep EXP --resume --replications 20": "a synopsis; growing a sweep: "
    "tests/test_sweep_growth.py",
    "dask scheduler --port 8786": "a Dask scheduler serves until stopped; sweeps on a Dask "
    "cluster: tests/test_experiment_runner.py",
    "dask worker tcp://HEAD:8786 --nworkers -1 --nthreads 1": "a Dask worker (HEAD: the "
    "scheduler's host) serves until stopped",
    "ckm-sim sweep experiments/sensitivity_sobol.toml --scheduler tcp://HEAD:8786": "needs that "
    "cluster; the same sweep runs here on local workers",
    "ckm-sim dashboard": "a server that serves until stopped: tests/test_dashboard_browser.py "
    "starts it and drives it in Chromium",
    "ckm-sim dashboard --host 0.0.0.0 --port 9000": "the same server, open to the network",
    "ckm-sim classroom --teams 4 --host 0.0.0.0": "the class game's server, open to the network: "
    "tests/test_game_classroom_browser.py plays it in Chromium",
    "ckm-sim classroom --teams 6 --rounds 4 --months 12 --budget 2500 --seed 7": "the class "
    "game's server: tests/test_game_server.py and the browser tests",
    "ckm-sim classroom --resume results/classroom/game-20261201-093000": "a saved game's server "
    "(the date is an example): tests/test_game_browser.py serves a saved game",
}

#: What the tests run: every other command, and the README's Python example as a script.
RUN = [command.text for command in COMMANDS if command.text not in NOT_RUN]
EXAMPLE = "python readme_example.py"

#: Files the README tells a user to make before a command.
MY_DUOPOLY = "# my_duopoly: the duopoly, the laggard with a learning culture\n"


def _make_files(clone: Path) -> None:
    # "check your own scenario file (start from a copy of scenarios/baseline.toml)"
    shutil.copy(ROOT / "scenarios" / "baseline.toml", clone / "my_firm.toml")
    # the README's example of a bad file
    (clone / "bad.toml").write_text("[competence]\nit_systems = 1.4\n")
    duopoly = (ROOT / "scenarios" / "duopoly.toml").read_text()
    head, laggard = duopoly.rsplit('name = "laggard"', 1)
    laggard = laggard.replace("learning_culture = 0.3", "learning_culture = 0.8")
    text = MY_DUOPOLY + (head + 'name = "laggard"' + laggard).replace(
        'name = "duopoly"', 'name = "my_duopoly"'
    )
    (clone / "my_duopoly.toml").write_text(text)
    # the README's experiment file, as my_sweep.toml, on the duopoly (a firm's factor)
    (block,) = re.findall(r"```toml\n(.*?)```", README, re.DOTALL)
    assert 'scenario = "baseline"' in block and "[factors.it_systems]" in block
    sweep = block.replace('scenario = "baseline"', 'scenario = "duopoly"')
    (clone / "my_sweep.toml").write_text(
        sweep.replace("[factors.it_systems]", '[factors."firms.laggard.it_systems"]')
    )


#: A command that runs where another ran (their order in the README and what it says).
AFTER = {
    # "run it again and it reprints the finished result"
    "make run": "ckm-sim sweep experiments/quickstart.toml",
    "ckm-sim analyze results/competence_sweep": "ckm-sim sweep experiments/competence_sweep.toml",
    # the sweep of "results/my_sweep": the README's experiment file, on the duopoly
    "ckm-sim analyze results/my_sweep --outcome leader.final_market_share": "ckm-sim sweep "
    "my_sweep.toml",
}


#: Smaller sweeps: the same design on a smaller market (the run's cost is its periods' and
#: agents'; a sweep's periods are its file's).
SMALL_MARKET = ["--set", "customers=200", "--set", "prospects=100"]


def smaller(words: list[str], folder: Path) -> list[str]:
    """Options appended to a command that only shrink its work (argparse takes the last): fewer
    replications (two where a report pairs them, else one), samples, trials (26, the least the
    surface search takes), restarts, rounds (one of calibrate's refinement: the same search, not
    six), worlds, periods, customers, and one process
    (results are the same for any number of workers) unless the README asks for workers; the
    quick-start sweep (what ``make run`` runs) keeps its process pool."""
    if words[0] == "python" and words[1].endswith("march_docking.py"):
        return ["--figure1-only", "--rules", "program", "--replications", "2"]
    if words[0] != "ckm-sim" or len(words) < 2:
        return []
    command = words[1]
    one = [] if {"-j", "--workers"} & set(words) else ["--workers", "1"]
    if command == "sweep":
        experiment = tomllib.loads((folder / words[2]).read_text())
        if experiment["name"] in {"quickstart", "interaction_grid"}:  # paired differences
            return ["--replications", "2", *SMALL_MARKET, *([] if "quick" in words[2] else one)]
        sampled = experiment.get("design", {}).get("method") in {"sobol", "morris"}
        samples = ["--samples", "2"] if sampled else []
        return ["--replications", "1", *samples, *SMALL_MARKET, *one]
    if command == "compare":
        return ["--replications", "2", "--periods", "24", *one]
    if command == "optimize" and "--plans" in words:
        return ["--replications", "2", "--periods", "36", *one]
    if command == "optimize":
        rounds = ["--best-response-rounds", "1"] if "--best-response-rounds" in words else []
        small = ["--trials", "26", "--restarts", "1", "--eval-replications", "2"]
        return [*small, "--periods", "12", *rounds, *one]
    if command == "robust":
        return ["--worlds", "8", "--replications", "1", "--periods", "12", *one]
    if command == "calibrate":
        small = ["--trials", "4", "--refine", "1", "--replications", "2"]
        return [*small, "--eval-replications", "2", *one]
    return []


def _without_optional(text: str) -> str:
    """A synopsis's required part: ``[--option ...]`` dropped."""
    return " ".join(re.sub(r"\[[^\]]*\]", " ", text).split())


# -- running on the README's setup -------------------------------------------------------------


@dataclass
class Ran:
    """One command's run: what ran, where, its exit code and output."""

    argv: list[str]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def explain(self) -> str:
        return (
            f"{shlex.join(self.argv)} in {self.cwd}\n{self.stdout[-3000:]}\n{self.stderr[-3000:]}"
        )


def _depth(text: str) -> int:
    return 0 if text not in AFTER else _depth(AFTER[text]) + 1


class Setup:
    """Fresh folders like a clone, and the README's commands run in them on the README's setup:
    each verb's commands in a fresh interpreter of their own (tests/readme_session.py), after
    the verbs whose results they read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        blocked = top_level_modules(dev_only_distributions(ROOT / "pyproject.toml"))
        self.blocker = write_blocker(root / "readme-setup", blocked)
        paths = [str(self.blocker), str(ROOT), os.environ.get("PYTHONPATH", "")]
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
        self.folders: dict[str, Path] = {}
        self.ran: dict[str, list[Ran]] = {}

    def clone(self, name: str) -> Path:
        folder = self.root / re.sub(r"[^\w.-]+", "_", name)[:60]
        folder.mkdir()
        for link in CLONE_FOLDERS:
            (folder / link).symlink_to((ROOT / link).resolve(), target_is_directory=True)
        _make_files(folder)
        (folder / "readme_example.py").write_text(readme_python(README))
        return folder

    def folder(self, text: str) -> Path:
        if text not in self.folders:
            after = AFTER.get(text)
            self.folders[text] = self.folder(after) if after else self.clone(text)
        return self.folders[text]

    def argv(self, text: str) -> list[str]:
        """What runs for ``text`` in its folder: the words, then :func:`smaller`'s options."""
        folder = self.folder(text)
        words = shlex.split(_without_optional(text))
        # an absolute scratch path (--out /tmp/ckm) goes into the folder
        words = [str(folder / w.lstrip("/")) if w.startswith("/tmp/") else w for w in words]
        assert words[0] in {"ckm-sim", "python"}, f"no way to run {text!r}"
        return [*words[int(words[0] == "python") :], *smaller(words, folder)]

    def lines(self, text: str) -> list[str]:
        """``make X``: its recipe's commands; any other command: itself."""
        if text.startswith("make "):
            return make_recipe((ROOT / "Makefile").read_text(), text.split()[1])
        return [text]

    def run_all(self, texts: list[str]) -> None:
        """Run ``texts`` (and what they run after), one session per (depth, verb)."""
        every = list(dict.fromkeys([*texts, *(AFTER[t] for t in texts if t in AFTER)]))
        sessions: dict[tuple[int, str], list[tuple[str, list[str]]]] = {}
        for text in every:
            for line in self.lines(text):
                argv = self.argv(line) if line == text else self._argv_in(line, text)
                key = (_depth(text), argv[0] if argv[0] != "ckm-sim" else argv[1])
                sessions.setdefault(key, []).append((text, argv))
        for depth in sorted({depth for depth, _ in sessions}):
            # the sessions of one depth read nothing of each other's (folders of their own): they
            # run side by side, the longest first (HEAVY), and the next depth reads their results
            keys = sorted(
                (key for key in sessions if key[0] == depth),
                key=lambda key: (key[1] not in HEAVY, key),
            )
            jobs = [
                [{"argv": argv, "cwd": str(self.folder(text))} for text, argv in sessions[key]]
                for key in keys
            ]
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                done = dict(zip(keys, pool.map(self._session, jobs), strict=True))
            for key in sorted(keys):
                for (text, _), ran in zip(sessions[key], done[key], strict=True):
                    self.ran.setdefault(text, []).append(ran)

    def _argv_in(self, line: str, text: str) -> list[str]:
        self.folders.setdefault(line, self.folder(text))
        return self.argv(line)

    def _session(self, jobs: list[dict]) -> list[Ran]:
        folder = Path(tempfile.mkdtemp(dir=self.root, prefix="session-"))
        (folder / "jobs.json").write_text(json.dumps(jobs))
        done = subprocess.run(
            [sys.executable, str(SESSION), str(folder / "jobs.json"), str(folder / "out.json")],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr
        results = json.loads((folder / "out.json").read_text())
        return [
            Ran(job["argv"], Path(job["cwd"]), **result)
            for job, result in zip(jobs, results, strict=True)
        ]


#: The verbs whose sessions take longest (the shipped sweeps, the searches): started first, so
#: the sessions side by side finish together.
HEAVY = ("sweep", "optimize")


SESSION = Path(__file__).with_name("readme_session.py")


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> Setup:
    return Setup(tmp_path_factory.mktemp("readme"))


@pytest.fixture(scope="module")
def ran(setup: Setup) -> dict[str, list[Ran]]:
    """Every command of :data:`RUN`, and the Python example, run once."""
    setup.run_all([*RUN, EXAMPLE])
    return setup.ran


def test_the_blocker_hides_dev_only_packages_and_nothing_of_all(setup: Setup) -> None:
    dev_only = dev_only_distributions(ROOT / "pyproject.toml")
    # what only dev names, read from pyproject.toml (a dev-only extra of ours: not in all)
    assert {"pytest", "hypothesis", "polars", "duckdb", "playwright", "mypy"} <= dev_only
    assert not {"optuna", "solara", "distributed", "numpy", "ckm-sim"} & dev_only
    code = (
        "import sys\n"
        "for name in ('pytest', 'polars', 'hypothesis', '_pytest.config'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ModuleNotFoundError:\n"
        "        pass\n"
        "    else:\n"
        "        sys.exit(f'{name} imported')\n"
        "import importlib.util\n"
        "for name in ('optuna', 'solara', 'distributed', 'ema_workbench', 'sklearn'):\n"
        "    assert importlib.util.find_spec(name), name\n"
        "import ckm_sim\n"
        "print(ckm_sim.__file__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=setup.env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(ROOT / "ckm_sim" / "__init__.py")
    # and without the blocker the same interpreter has them (it is the dev setup)
    free = subprocess.run([sys.executable, "-c", "import pytest, polars"], timeout=120)
    assert free.returncode == 0


def test_a_command_needing_a_dev_only_package_fails_on_the_readme_setup(setup: Setup) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import ckm_sim, polars"],
        env=setup.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "ModuleNotFoundError" in done.stderr and "polars" in done.stderr


def test_every_command_is_run_or_says_why_not() -> None:
    texts = [command.text for command in COMMANDS]
    assert not set(NOT_RUN) - set(texts), "NOT_RUN names a command the README no longer shows"
    assert not set(AFTER) - set(texts) - set(AFTER.values())
    for text in texts:
        if text in NOT_RUN:
            continue
        words = text.split()
        runnable = words[0] in {"ckm-sim", "python"} or text.startswith("make ")
        assert runnable, f"{text!r}: run it here, or say in NOT_RUN why not"
        assert not re.search(r"<\w+>|\b[A-Z]{3,}\b", _without_optional(text)), text


def _outputs(command: Command, ran: Ran) -> list[str]:
    """What the README says ``command`` writes (globs under its folder)."""
    words = shlex.split(_without_optional(command.text))
    if words[0] != "ckm-sim":
        return []
    verb = words[1]
    if verb == "run":
        out = words[words.index("--out") + 1].lstrip("/") if "--out" in words else "results"
        name = Path(words[2]).stem
        return [
            f"{out}/{name}/{f}" for f in ("timeseries.parquet", "summary.json", "timeseries.png")
        ]
    if verb == "sweep":
        name = tomllib.loads((ran.cwd / words[2]).read_text())["name"]
        return [
            f"results/{name}/{f}"
            for f in ("manifest.json", "design.parquet", "runs/part-*.parquet", "report.md")
        ] + [f"results/{name}/figures/*.png"]
    if verb == "analyze":
        return [f"{words[2]}/report.md"]
    files = {
        "compare": ["report.md", "paths.png", "differences.png"],
        "optimize": ["report.md"],
        "robust": ["report.md", "results.csv", "robustness.png", "summary.html"],
        "calibrate": ["report.md", "survival.png"],
    }
    return [f"results/{verb}/*/{f}" for f in files.get(verb, [])]


def _id(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


@pytest.mark.slow
@pytest.mark.parametrize("text", RUN, ids=_id)
def test_the_readme_command_runs_on_the_readme_setup(ran: dict[str, list[Ran]], text: str) -> None:
    (command,) = [c for c in COMMANDS if c.text == text]
    for run in ran[text]:
        assert "Traceback" not in run.stderr, run.explain()
        if command.output:  # a console example: the README shows what it prints
            shown = [line for line in command.output if line.startswith("ckm-sim: error")]
            assert run.stderr.strip().splitlines() == shown, run.explain()
            assert run.returncode == 2, run.explain()
            continue
        assert run.returncode == 0, run.explain()
        for pattern in _outputs(command, run):
            assert list(run.cwd.glob(pattern)), f"{pattern} not written\n{run.explain()}"


@pytest.mark.slow
def test_make_run_again_reprints_the_finished_sweep(ran: dict[str, list[Ran]]) -> None:
    (first,) = ran[AFTER["make run"]]
    (again,) = ran["make run"]
    finished = re.search(r"runs: (\d+) of \1 finished, 0 failed", first.stdout)
    assert finished, first.explain()
    assert finished.group(0) in again.stdout, again.explain()
    runs = pd.read_parquet(again.cwd / "results" / "quickstart" / "runs")  # as the README reads
    assert len(runs) == int(finished.group(1)) == runs["run_id"].nunique()


@pytest.mark.slow
def test_the_scenarios_command_lists_the_readmes_table(ran: dict[str, list[Ran]]) -> None:
    table = README.split("## Shipped scenarios", 1)[1].split("\n\n", 2)[1]
    names = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert len(names) >= 9
    (listed,) = ran["ckm-sim scenarios"]
    assert all(re.search(rf"\b{name}\b", listed.stdout) for name in names), listed.stdout


@pytest.mark.slow
def test_the_readmes_python_example_runs_on_the_readme_setup(ran: dict[str, list[Ran]]) -> None:
    (example,) = ran[EXAMPLE]
    assert example.returncode == 0, example.explain()


# -- the README's commands and options are the command line's -----------------------------------

NAMED = sorted(set(re.findall(r"(?:`|^\s*(?:\$ )?)ckm-sim ([a-z][\w-]*)", README, re.MULTILINE)))
OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")


@pytest.mark.slow
def test_every_command_the_readme_names_is_in_the_help(ran: dict[str, list[Ran]]) -> None:
    (shown,) = ran["ckm-sim --help"]
    listed = set(re.findall(r"^\s{4}([a-z][\w-]*)\s", shown.stdout, re.MULTILINE))
    assert {"run", "sweep", "compare", "optimize"} <= set(NAMED)
    assert set(NAMED) <= listed, set(NAMED) - listed
    assert set(NAMED) <= set(PARSERS)


@pytest.mark.parametrize("text", [c.text for c in COMMANDS if c.program == "ckm-sim"])
def test_every_option_the_readme_shows_is_the_commands(text: str) -> None:
    words = text.split()
    if words[1].startswith("-"):
        return  # ckm-sim --help
    parser = PARSERS[words[1]]
    options = {option for action in parser._actions for option in action.option_strings}
    shown = set(OPTION.findall(text.split(" ", 2)[-1]))
    assert shown <= options, (text, shown - options)
    assert all(option in parser.format_help() for option in shown)


# -- reading the commands from a README ---------------------------------------------------------

SAMPLE = """# Tool

```sh
make run    # sets up
ckm-sim new-verb --fast   # a new command
# a comment line
```

Run `ckm-sim sweep EXP --resume
--replications 20` to grow it; `ckm-sim compare` is a command's name, `make` a program.

    ckm-sim optimize baseline --budget 2500 [--trials 256]
                     [--method surface|tpe]
    results/<experiment>/
      manifest.json

```
$ ckm-sim validate bad.toml
ckm-sim: error: bad.toml: it is bad
```

```toml
name = "ckm-sim run inside toml"
```

```python
print("ckm-sim run inside python")
```
"""


def test_the_readme_commands_are_read_from_code_blocks_and_inline_spans() -> None:
    found = readme_commands(SAMPLE)
    assert [c.text for c in found] == [
        "make run",
        "ckm-sim new-verb --fast",
        "ckm-sim sweep EXP --resume --replications 20",
        "ckm-sim optimize baseline --budget 2500 [--trials 256] [--method surface|tpe]",
        "ckm-sim validate bad.toml",
    ]
    assert found[-1].output == ("ckm-sim: error: bad.toml: it is bad",)
    assert readme_python(SAMPLE) == 'print("ckm-sim run inside python")'
    assert _without_optional(found[3].text) == "ckm-sim optimize baseline --budget 2500"


def test_a_new_readme_command_is_not_silently_skipped() -> None:
    texts = [c.text for c in readme_commands(README + "\n```sh\nckm-sim brand-new\n```\n")]
    assert "ckm-sim brand-new" in texts  # so RUN has it and it must run or be in NOT_RUN


def test_make_targets_run_their_recipe() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert make_recipe(makefile, "run") == ["ckm-sim sweep experiments/quickstart.toml --resume"]
    with pytest.raises(KeyError):
        make_recipe(makefile, "nope")


def test_an_extra_only_dev_installs_is_dev_only(tmp_path: Path) -> None:
    """The defect behind these tests: ``optimize`` needed optuna, which ``.[dev]`` installed and
    ``.[all]`` (`make run`) did not; such a package is blocked, so its commands fail here."""
    text = (ROOT / "pyproject.toml").read_text()
    assert 'all = ["ckm-sim[dask,viz,optimize,discovery]"]' in text
    old = text.replace("ckm-sim[dask,viz,optimize,discovery]", "ckm-sim[dask,viz,discovery]")
    old = old.replace('    "ckm-sim[all]",\n', '    "ckm-sim[all,optimize]",\n')
    (tmp_path / "pyproject.toml").write_text(old)
    assert "optuna" in dev_only_distributions(tmp_path / "pyproject.toml")
    assert "optuna" not in dev_only_distributions(ROOT / "pyproject.toml")
