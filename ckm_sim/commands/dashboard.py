"""``ckm-sim dashboard``: the classroom dashboard in the browser (Mesa SolaraViz)."""

from __future__ import annotations

import argparse
import importlib.util
import sys

from ckm_sim.errors import CKMError, require

HELP = "start the classroom dashboard in the browser (127.0.0.1:8765 by default)"
EXAMPLES = """examples:
  ckm-sim dashboard                      serve on http://127.0.0.1:8765
  ckm-sim dashboard --port 9000          another port
  ckm-sim dashboard --host 0.0.0.0       let other machines in the classroom connect

stop it with Ctrl+C; docs/classroom.md has a 45-minute lesson built on it
"""


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 1 and 65535, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The address the dashboard serves on."""
    parser.add_argument("--port", type=_port, default=8765, help="port (default: 8765)")
    parser.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")


def check_server(host: str, port: int, what: str = "the dashboard") -> None:
    """Refuse (one line) a missing viz extra or an address that cannot be served on; note
    when the page's scripts would come from the internet."""
    for module in ("solara", "mesa.visualization"):
        require(module, what)
    from ckm_sim.dashboard.server import port_is_free

    try:
        free = port_is_free(host, port)
    except (OSError, UnicodeError) as exc:
        raise CKMError(f"cannot listen on {host}: {exc}") from None
    if not free:
        raise CKMError(f"port {port} on {host} is in use; choose another with --port")
    if importlib.util.find_spec("solara_assets") is None:
        print(
            "ckm-sim: note: solara-assets is not installed, so the page loads its scripts "
            "from the internet"
        )


def run(args: argparse.Namespace) -> int:
    """Serve the classroom dashboard until interrupted."""
    from ckm_sim.dashboard.server import serve

    check_server(args.host, args.port)
    print(
        f"ckm-sim dashboard: open http://{args.host}:{args.port} in a browser (Ctrl+C stops it)",
        flush=True,
    )
    serve(args.host, args.port)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m ckm_sim.commands.dashboard``: the same command without the other commands."""
    parser = argparse.ArgumentParser(prog="ckm-sim dashboard", description=HELP)
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except CKMError as exc:
        print(f"ckm-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
