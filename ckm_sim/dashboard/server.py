"""Starting the dashboard's web server: in this process (the command) or as a child process
that is always stopped (tests, the benchmark, the README screenshot)."""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ckm_sim.errors import CKMError

APP = "ckm_sim.dashboard.app"
GAME_APP = "ckm_sim.game.web.app"
#: The class game keeps its state on the server, not in a page's kernel: a kernel whose pages
#: have closed is culled after two minutes (Solara keeps it 24 h), and at most this many
#: connections are served at once (one thread each), so a script opening hundreds of
#: websockets cannot leave hundreds of kernels and threads behind.
GAME_KERNEL_ENV = {"SOLARA_KERNEL_CULL_TIMEOUT": "120s", "SOLARA_KERNEL_MAX_COUNT": "120"}
#: Solara settings: no telemetry, and no "runs on Solara" banner over the page's corner.
QUIET_ENV = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_THEME_SHOW_BANNER": "False"}


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def listen_address(host: str, port: int) -> tuple[int, tuple]:
    """(address family, socket address) of ``host``; a one-line CKMError if it is not valid."""
    try:
        if re.fullmatch(r"[0-9.]+", host) or ":" in host:  # an IP address, not a name
            ipaddress.ip_address(host)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (ValueError, OSError, UnicodeError):
        raise CKMError(f"--host {host!r} is not a valid IP address or host name") from None
    family, _, _, _, address = infos[0]
    return family, address


def port_is_free(host: str, port: int) -> bool:
    """Whether ``port`` on ``host`` is free; an invalid or foreign address is a CKMError."""
    family, address = listen_address(host, port)
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise CKMError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        return True


def is_local(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (a loopback address or name)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_note(host: str, port: int) -> str:
    """What to say when serving beyond this machine: the pages travel unencrypted."""
    return (
        f"ckm-sim: note: serving plain HTTP on {host}:{port} (no encryption): anyone on this "
        "network can read the pages, the codes and the decisions in transit. Use it on a "
        "network you trust (the classroom's), or put an HTTPS proxy in front."
    )


def serve(host: str, port: int, app: str = APP, prog: str = "ckm-sim dashboard") -> None:
    """Run the Solara ``app`` module (the dashboard by default) in this process until
    interrupted. Serving beyond this machine prints :func:`plain_http_note`; the class game
    culls idle kernels and caps connections (:data:`GAME_KERNEL_ENV`)."""
    os.environ.update(QUIET_ENV)
    if app == GAME_APP:
        for name, setting in GAME_KERNEL_ENV.items():
            os.environ.setdefault(name, setting)
    if not is_local(host):
        print(plain_http_note(host, port), flush=True)
    from solara.__main__ import cli  # imported late: settings read the environment

    args = ["run", app, "--host", host, "--port", str(port), "--production", "--no-open"]
    args += ["--no-check-version", "--log-level", "warning"]
    cli.main(args=args, prog_name=prog, standalone_mode=False)


def wait_until_up(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers 200; fail early if ``process`` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise CKMError(f"the dashboard server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise CKMError(f"the dashboard did not answer at {url} within {timeout:.0f} s")


@contextmanager
def dashboard_server(
    log: Path,
    host: str = "127.0.0.1",
    port: int | None = None,
    timeout: float = 60.0,
    command: tuple[str, ...] = ("ckm_sim.commands.dashboard",),
) -> Iterator[str]:
    """Start the dashboard command (or ``python -m`` of another ``command`` and its
    arguments) in a child process on a free port; yield its URL; stop it."""
    port = free_port(host) if port is None else port
    url = f"http://{host}:{port}/"
    argv = (sys.executable, "-m", *command, "--host", host, "--port", str(port))
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **QUIET_ENV}
        )
        try:
            wait_until_up(url, timeout, process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
