"""The ``ckm-sim`` command line: one sub-command per module in ``ckm_sim/commands/``.

Each command module defines ``HELP`` (one line), ``EXAMPLES`` (text), ``add_arguments(parser)``
and ``run(args) -> int``. Errors a user can cause end in one line on stderr and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence

from ckm_sim import __version__
from ckm_sim.errors import EXIT_CODES, CKMError, TooLargeError, missing_extra_for, output_error
from ckm_sim.lifeline import stop_signals
from ckm_sim.model.warmup import announce_compile

#: Sub-commands in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "run",
    "validate",
    "scenarios",
    "sweep",
    "analyze",
    "compare",
    "optimize",
    "calibrate",
    "robust",
    "firm-scenario",
    "dashboard",
    "classroom",
)
#: The sub-commands that run the model (the first run of an installation compiles its kernels).
MODEL_COMMANDS: frozenset[str] = frozenset(COMMANDS) - {"validate", "scenarios", "analyze"}

EPILOG = """examples:
  ckm-sim run baseline                         run the baseline scenario, write results/baseline/
  ckm-sim run scenarios/it_only.toml --seed 7 --periods 60
  ckm-sim validate my_firm.toml                check your own scenario file (start from a copy
                                               of scenarios/baseline.toml)
  ckm-sim scenarios                            list the shipped scenarios
  ckm-sim sweep experiments/quickstart.toml    run a parameter sweep (see README)
  ckm-sim compare it_only customer_centric     paired comparison with 95% CIs
  ckm-sim optimize baseline --budget 2500      best use of a per-period budget
  ckm-sim robust baseline customer_centric     the answer across plausible worlds
  ckm-sim firm-scenario FIGURES.toml --out my_firm.toml
                                               a scenario from your firm's own figures
  ckm-sim dashboard                            the classroom dashboard in the browser
  ckm-sim classroom --teams 4                  a class game of competing firms
  ckm-sim <command> --help                     help and examples for one command

exit codes:
"""
EPILOG += "".join(f"  {code:<4d} {meaning}\n" for code, meaning in EXIT_CODES.items())


def build_parser() -> argparse.ArgumentParser:
    """The ``ckm-sim`` parser: one sub-command per module in ``ckm_sim/commands/``."""
    parser = argparse.ArgumentParser(
        prog="ckm-sim",
        description=(
            "Agent-based simulation of how customer knowledge management (CKM) competence "
            "drives customer retention and customer lifetime value."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ckm-sim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"ckm_sim.commands.{name.replace('-', '_')}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ckm_sim.commands.{name.replace('-', '_')}":
                continue  # command not built yet
            raise
        command = sub.add_parser(
            name,
            help=module.HELP.replace("%", "%%"),  # argparse %-formats help strings
            description=module.HELP,
            epilog=getattr(module, "EXAMPLES", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ckm-sim`` with ``argv``; the exit code (2 and one error line for bad input)."""
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        print(f"ckm-sim {__version__}")  # before the parser: no command module is imported
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 0
    if args.command in MODEL_COMMANDS:
        announce_compile()  # the first run of a wheel compiles the kernels: say so
    try:
        with stop_signals():  # SIGTERM and SIGHUP stop every command as Ctrl-C does
            return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        _say("ckm-sim: interrupted")
        return 130
    except Exception as exc:
        error = one_line_error(exc, f"ckm-sim {args.command}")
        if error is None:
            raise
        _say(f"ckm-sim: error: {error}")
        return error.exit_code


def _say(line: str) -> None:
    """Print ``line`` on stderr, if there still is one (after SIGHUP the terminal is gone)."""
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr)


def one_line_error(exc: BaseException, what: str = "this command") -> CKMError | None:
    """The user's error for ``exc``: itself if a CKMError; I/O and memory failures (a
    read-only folder, a full disk, an allocation numpy could not make) and an optional
    dependency ``what`` needs but is not installed become one too."""
    if isinstance(exc, CKMError):
        return exc
    missing = missing_extra_for(exc, what)
    if missing is not None:
        return missing
    if isinstance(exc, OSError):
        return output_error(exc, "file system error")
    if isinstance(exc, MemoryError):
        return TooLargeError(f"out of memory ({exc or 'allocation failed'}); see --max-memory")
    return None


if __name__ == "__main__":
    sys.exit(main())
